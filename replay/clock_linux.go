package replay

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// sleep blocks the calling thread for d with nanosleep(2): unlike
// time.Sleep, whose wake-ups on Linux come from the runtime's poller in
// whole milliseconds, it wakes within tens of microseconds.
func sleep(d time.Duration) {
	ts := unix.NsecToTimespec(int64(d))
	for {
		var rem unix.Timespec
		if err := unix.Nanosleep(&ts, &rem); err != unix.EINTR {
			return
		}
		ts = rem
	}
}

// lockThread pins the calling goroutine to its OS thread and sets that
// thread's timer slack to 1 ns, so that nanosleep wakes on time (the
// default slack is 50 µs). The returned function restores both.
func lockThread() func() {
	runtime.LockOSThread()
	old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil {
		return runtime.UnlockOSThread
	}
	unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	return func() {
		unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0)
		runtime.UnlockOSThread()
	}
}
