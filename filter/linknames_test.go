package filter

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// Every link type the compiler accepts has tcpdump's name, and the name
// gives the type back (RAW gives the file value 101).
func TestLinkTypeNamesRoundTrip(t *testing.T) {
	known := 0
	for v := range 300 {
		lt := layers.LinkType(v)
		if _, err := CompileWith("", lt, 0, &Options{AllowRejectAll: true}); err != nil {
			continue
		}
		known++
		name, desc, ok := LinkTypeName(lt)
		if !ok || name == "" || desc == "" {
			t.Errorf("link type %d compiles but has no name: %q, %q", v, name, desc)
			continue
		}
		back, ok := LinkTypeByName(name)
		want := lt
		if v, ok := fileValues[name]; ok {
			want = v
		}
		if !ok || back != want {
			t.Errorf("LinkTypeByName(%q) = %d, %v; want %d (from link type %d)", name, back, ok, want, v)
		}
	}
	if known < 100 {
		t.Errorf("only %d link types compile: the loop above checked too few", known)
	}
}

func TestLinkTypeByName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want layers.LinkType
		ok   bool
	}{
		{"EN10MB", 1, true},
		{"en10mb", 1, true},
		{"RAW", 101, true},
		{"SUNATM", 123, true},
		{"MTP3", 141, true},
		{"PPI", 192, true},
		{"LINUX_SLL2", 276, true},
		{"JUNIPER_MFR", 134, true},
		{"ATM_CLIP", 106, true},
		{"NO_SUCH_TYPE", 0, false},
		{"", 0, false},
	} {
		got, ok := LinkTypeByName(tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
