package osenv

import (
	"os"
	"runtime/debug"
)

// TuneGC sets the garbage collector for batch work on captures, unless
// GOGC or GOMEMLIMIT is set in the environment (they win, as always in
// Go). wirekit's commands keep little live data and allocate fast, so at
// Go's default (GOGC=100, a collection each time the heap doubles from a
// few MB) the collector takes 10% to 30% of a run's CPU. TuneGC lets the
// heap grow to five times the live data between collections (GOGC=400)
// and puts a soft limit at half the memory the process may use (the
// machine's RAM, or its cgroup's limit in a container), so that the
// larger factor never takes a big heap towards what the machine has: near
// the limit the collector runs as often as needed. Where that memory is
// not known (systems other than Linux), TuneGC changes nothing and
// reports false.
func TuneGC() bool {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return false
	}
	mem, ok := MemoryAvailable()
	if !ok || mem <= 0 {
		return false
	}
	debug.SetMemoryLimit(mem / 2)
	debug.SetGCPercent(400)
	return true
}

// MemoryAvailable returns the bytes of memory the process may use: the
// machine's RAM, or less when a cgroup (v2 memory.max, v1
// memory.limit_in_bytes) limits it. ok is false where it cannot be known
// (systems other than Linux).
func MemoryAvailable() (int64, bool) { return memoryAvailable() }
