package memprep

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// TestForLargeHeap checks that the first call leaves a mapping advised
// for huge pages ("hg" in smaps' VmFlags) where none was, unless the
// kernel has no transparent huge pages.
func TestForLargeHeap(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages")
	}
	before := advisedMappings(t)
	if err := ForLargeHeap(); err != nil {
		t.Fatalf("ForLargeHeap: %v", err)
	}
	if after := advisedMappings(t); after <= before {
		t.Fatalf("mappings advised for huge pages: %d before, %d after", before, after)
	}
	if err := ForLargeHeap(); err != nil {
		t.Fatalf("second ForLargeHeap: %v", err)
	}
}

// big is a zero-initialized global holding pointers, as gopacket's type
// tables are: it must lie in the range populateGlobals maps.
var big [1 << 18]*byte

func TestGlobalsRange(t *testing.T) {
	lo, hi, err := globalsRange(uint64(uintptr(unsafe.Pointer(&anchor))))
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]unsafe.Pointer{
		"anchor":      unsafe.Pointer(&anchor),
		"big's start": unsafe.Pointer(&big[0]),
		"big's end":   unsafe.Pointer(&big[len(big)-1]),
	} {
		if a := uint64(uintptr(p)); a < lo || a >= hi {
			t.Errorf("%s at %#x, outside the globals' range %#x-%#x", name, a, lo, hi)
		}
	}
	if err := populateGlobals(); err != nil {
		t.Errorf("populateGlobals: %v", err)
	}
}

func TestParseMapsLine(t *testing.T) {
	for _, c := range []struct {
		name, line string
		lo, hi     uint64
		anon, ok   bool
	}{
		{"file", "03537000-0366b000 rw-p 03137000 fe:00 10010999                           /tmp/wk3", 0x3537000, 0x366b000, false, true},
		{"anonymous", "0366b000-05bed000 rw-p 00000000 00:00 0 ", 0x366b000, 0x5bed000, true, true},
		{"named anonymous", "41330000-41351000 rw-p 00000000 00:00 0                                  [heap]", 0x41330000, 0x41351000, false, true},
		{"high", "7f83d0000000-7f83d0021000 rw-p 00000000 00:00 0", 0x7f83d0000000, 0x7f83d0021000, true, true},
		{"no dash", "7f83d0000000 rw-p 00000000 00:00 0", 0, 0, false, false},
		{"not hex", "0366g000-05bed000 rw-p 00000000 00:00 0", 0, 0, false, false},
		{"empty range", "05bed000-05bed000 rw-p 00000000 00:00 0", 0, 0, false, false},
		{"short", "0366b000-05bed000 rw-p", 0, 0, false, false},
		{"empty", "", 0, 0, false, false},
	} {
		lo, hi, anon, ok := parseMapsLine(c.line)
		if lo != c.lo || hi != c.hi || anon != c.anon || ok != c.ok {
			t.Errorf("%s: parseMapsLine(%q) = %#x, %#x, %v, %v; want %#x, %#x, %v, %v",
				c.name, c.line, lo, hi, anon, ok, c.lo, c.hi, c.anon, c.ok)
		}
	}
}

func FuzzParseMapsLine(f *testing.F) {
	f.Add("0366b000-05bed000 rw-p 00000000 00:00 0 ")
	f.Add("03537000-0366b000 rw-p 03137000 fe:00 10010999 /tmp/wk3")
	f.Fuzz(func(t *testing.T, line string) {
		lo, hi, _, ok := parseMapsLine(line)
		if ok && hi <= lo {
			t.Fatalf("parseMapsLine(%q) = %#x-%#x, ok", line, lo, hi)
		}
	})
}

// advisedMappings counts the mappings whose VmFlags include "hg".
func advisedMappings(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if flags, ok := strings.CutPrefix(sc.Text(), "VmFlags:"); ok && strings.Contains(" "+flags+" ", " hg ") {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading /proc/self/smaps: %v", err)
	}
	return n
}
