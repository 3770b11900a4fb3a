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
// runtime asks for neither huge pages nor populated mappings, so ForLargeHeap does,
// on Linux; elsewhere it does nothing.
//
// Not for short commands: ForLargeHeap starts a garbage collection, which
// a command that allocates little would never have run (it made 'wirekit
// version' 13 ms slower).
package memprep

import "sync"

// HeapBytes is how much heap ForLargeHeap advises for huge pages.
const HeapBytes = 32 << 20

var once sync.Once

// ForLargeHeap, called at the start of a command that will build a large
// heap, maps the zero-initialized globals in one call instead of a fault
// per page, and maps HeapBytes of fresh heap advised for transparent huge
// pages (used where the system leaves the choice to programs, as
// transparent_hugepage=madvise does), which later allocations then use.
// Only the first call in a process does anything: the heap space must be
// fresh from the kernel, as it is at the start of a run. An error (no
// /proc, a kernel without these madvise calls, a system other than Linux)
// means only that memory keeps its ordinary pages: callers may ignore it.
func ForLargeHeap() error {
	var err error
	once.Do(func() { err = prepare() })
	return err
}
