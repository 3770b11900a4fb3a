package memprep

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// madvPopulateRead is MADV_POPULATE_READ (Linux 5.14): map the range's
// pages for reading, as read faults would, in one call.
const madvPopulateRead = 22

func prepare() error {
	ballast = make([]byte, BallastBytes)
	return errors.Join(populateGlobals(), adviseHeap(HeapBytes))
}

// ballast holds BallastBytes of heap the program never touches: the
// collector counts it as live, so it runs when the heap has grown by the
// live data plus the ballast instead of by the live data alone. The kernel
// never maps memory for it: it costs address space, not memory.
var ballast []byte

// adviseHeap allocates n bytes, which the runtime maps fresh and leaves
// untouched, and sets MADV_HUGEPAGE on them. The slice is dead once the
// call returns, so the collection its size starts gives its pages back to
// the heap; the advice stays with the mapping (the runtime releases free
// pages with MADV_FREE, which keeps it).
func adviseHeap(n int) error {
	b := make([]byte, n)
	if err := unix.Madvise(b, unix.MADV_HUGEPAGE); err != nil {
		return fmt.Errorf("memprep: madvise(MADV_HUGEPAGE) on %d bytes of heap: %w", n, err)
	}
	return nil
}

// anchor is a global holding a pointer, so it lives in the binary's .bss.
var anchor *byte

// populateGlobals maps in, for reading, the mapping that holds anchor and
// the anonymous one right after it: .bss begins in the last page of the
// file-backed data mapping and goes on in an anonymous mapping.
func populateGlobals() error {
	lo, hi, err := globalsRange(uint64(uintptr(unsafe.Pointer(&anchor))))
	if err != nil {
		return fmt.Errorf("memprep: finding the globals' mapping: %w", err)
	}
	if _, _, e := unix.Syscall(unix.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), madvPopulateRead); e != 0 {
		return fmt.Errorf("memprep: madvise(MADV_POPULATE_READ) on the globals: %w", e)
	}
	return nil
}

// globalsRange reads /proc/self/maps for the mapping holding address a,
// extended by the mapping that starts where it ends, if that one is
// anonymous (no inode).
func globalsRange(a uint64) (lo, hi uint64, err error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l, h, anon, ok := parseMapsLine(sc.Text())
		switch {
		case !ok:
			continue
		case hi == 0 && l <= a && a < h:
			lo, hi = l, h
		case hi != 0:
			if l == hi && anon {
				hi = h
			}
			return lo, hi, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if hi == 0 {
		return 0, 0, fmt.Errorf("no mapping holds %#x", a)
	}
	return lo, hi, nil
}

// parseMapsLine reads a line of /proc/self/maps: "lo-hi perms offset dev
// inode [path]".
func parseMapsLine(line string) (lo, hi uint64, anon, ok bool) {
	f := strings.Fields(line)
	if len(f) < 5 {
		return 0, 0, false, false
	}
	ls, hs, found := strings.Cut(f[0], "-")
	if !found {
		return 0, 0, false, false
	}
	lo, err1 := strconv.ParseUint(ls, 16, 64)
	hi, err2 := strconv.ParseUint(hs, 16, 64)
	if err1 != nil || err2 != nil || hi <= lo {
		return 0, 0, false, false
	}
	return lo, hi, f[4] == "0" && len(f) == 5, true
}
