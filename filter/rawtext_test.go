package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestParseDDDRoundTrip(t *testing.T) {
	for _, expr := range flowExprs {
		prog := MustCompile(expr, layers.LinkTypeEthernet, 65535)
		text, err := Format(prog, "ddd")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := ParseDDD(text)
		if err != nil {
			t.Fatalf("%q: %v\n%s", expr, err, text)
		}
		if len(raw) != len(prog.raw) {
			t.Fatalf("%q: %d instructions back, want %d", expr, len(raw), len(prog.raw))
		}
		for i := range raw {
			if raw[i] != prog.raw[i] {
				t.Errorf("%q: instruction %d = %+v, want %+v", expr, i, raw[i], prog.raw[i])
			}
		}
	}
}

func TestParseDDDErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
		is               error
	}{
		{"empty", "", "", ErrEmptyProgram},
		{"count line", "2 3\n6 0 0 1\n", "line 1", nil},
		{"count mismatch", "2\n6 0 0 1\n", "but 1 follow", nil},
		{"fields", "1\n6 0 0\n", "line 2", nil},
		{"not a number", "1\n6 0 0 x\n", "field 4", nil},
		{"too big", "1\n6 0 300 0\n", "field 3", nil},
		{"invalid program", "1\n40 0 0 12\n", "", ErrNoReturn},
		{"bad jump", "2\n21 5 0 1\n6 0 0 0\n", "", ErrBadJump},
	}
	for _, tc := range tests {
		_, err := ParseDDD(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: error %v, want one containing %q (is %v)", tc.name, err, tc.want, tc.is)
		}
	}
	if raw, err := ParseDDD("4\n40,0,0,12\n\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n"); err != nil || len(raw) != 4 {
		t.Errorf("commas and blank lines: %v, %d instructions", err, len(raw))
	}
}

func FuzzParseDDD(f *testing.F) {
	f.Add("4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n")
	f.Add("1\n6 0 0 0")
	f.Fuzz(func(t *testing.T, text string) {
		raw, err := ParseDDD(text)
		if (err == nil) == (raw == nil) {
			t.Fatalf("program %v and error %v: want exactly one", raw, err)
		}
		if err == nil {
			if _, err := NewExecutor(raw); err != nil {
				t.Fatalf("parsed program does not validate: %v", err)
			}
		}
	})
}
