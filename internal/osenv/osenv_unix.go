//go:build unix

package osenv

import (
	"errors"
	"math"
	"syscall"
)

func isTooManyOpen(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

func isOutOfMemory(err error) bool {
	return errors.Is(err, syscall.ENOMEM) || errors.Is(err, syscall.ENOBUFS)
}

// openLimit is the soft limit on open files. Go raises it to the hard
// limit when the program starts, so this is what the process can use.
func openLimit() (int, bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, false
	}
	if rl.Cur > math.MaxInt32 { // RLIM_INFINITY included
		return math.MaxInt32, true
	}
	return int(rl.Cur), true
}
