// Package memprep prepares a process's memory for a run that builds a
// large heap: a command reading a capture through TCP reassembly, TLS
// decryption and HTTP parsing touches tens of megabytes of fresh memory,
// and the kernel faults it in one 4 KiB page at a time.
//
// On virtual machines each fault costs several microseconds (12 us on the
// machine of docs/http.md, against 1.5 ms to fault in and clear a whole
// 2 MiB huge page), so 'wirekit http' over a 150 MB TLS capture spent a
// fifth of its CPU time in page faults: on fresh heap, and on the binary's
// zero-initialized globals (gopacket's 5 MB of type tables), which the
// garbage collector reads on its first cycle, one fault per page. The Go
// runtime asks for neither huge pages nor populated mappings, so
// ForLargeHeap does, on Linux; elsewhere it does nothing. It also holds a
// heap ballast, so that such a run collects once instead of every few
// megabytes.
//
// Not for short commands: ForLargeHeap starts garbage collections, which a
// command that allocates little would never have run (tried at the start
// of every command, it made 'wirekit version' 13 ms slower).
package memprep

import "sync"

const (
	// HeapBytes is how much heap ForLargeHeap advises for huge pages.
	HeapBytes = 64 << 20
	// BallastBytes is how much untouched heap ForLargeHeap holds.
	BallastBytes = 32 << 20
)

var once sync.Once

// ForLargeHeap, called at the start of a command that will build a large
// heap, maps the zero-initialized globals in one call instead of a fault
// per page; maps HeapBytes of fresh heap advised for transparent huge
// pages (used where the system leaves the choice to programs, as
// transparent_hugepage=madvise does), which later allocations then use;
// and holds BallastBytes of untouched heap for the rest of the process, so
// that the collector runs when the heap has grown by the live data plus
// the ballast rather than by the live data alone (a run over a 150 MB
// capture collected at 8, 19 and 35 MB; now twice, both at its start, when
// the advised space and the ballast are allocated). That raises peak
// memory by up to the ballast's size: much when live data is small, little
// when it is large.
// Only the first call in a process does anything: the heap space must be
// fresh from the kernel, as it is at the start of a run. An error (no
// /proc, a kernel without these madvise calls, a system other than Linux)
// means only that memory keeps its ordinary pages: callers may ignore it.
func ForLargeHeap() error {
	var err error
	once.Do(func() { err = prepare() })
	return err
}
