package osenv

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

func memoryAvailable() (int64, bool) {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return 0, false
	}
	mem := int64(si.Totalram) * int64(si.Unit)
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if n, ok := cgroupLimit(f); ok && n < mem {
			mem = n
		}
	}
	return mem, mem > 0
}

// cgroupLimit reads a cgroup memory limit file: a byte count, or "max"
// (no limit, ok false).
func cgroupLimit(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
