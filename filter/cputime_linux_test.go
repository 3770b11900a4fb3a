package filter

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// timeOf runs f on one locked OS thread and returns the CPU time that
// thread spent in it. Unlike wall time it does not grow when other
// processes load the machine, so the compile-time bounds below hold on a
// busy CI machine and still catch quadratic code. Where the thread clock
// cannot be read, it falls back to wall time.
func timeOf(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var a, b unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &a); err != nil {
		start := time.Now()
		f()
		return time.Since(start)
	}
	f()
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &b); err != nil {
		panic(err) // read once a moment ago on the same thread
	}
	return time.Duration(b.Nano() - a.Nano())
}
