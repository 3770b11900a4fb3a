package replay

import (
	"fmt"
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
// default slack is 50 µs); with realtime it also gives the thread the
// SCHED_FIFO policy. The returned function restores all three.
func lockThread(realtime bool) (func(), error) {
	runtime.LockOSThread()
	var undo []func()
	restore := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
		runtime.UnlockOSThread()
	}
	if old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0); err == nil {
		unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
		undo = append(undo, func() { unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0) })
	}
	if realtime {
		old, err := unix.SchedGetAttr(0, 0)
		if err != nil {
			restore()
			return nil, fmt.Errorf("replay: reading the scheduling policy: %w", err)
		}
		if err := unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: realtimePriority}, 0); err != nil {
			restore()
			return nil, fmt.Errorf("replay: real-time scheduling (SCHED_FIFO) needs root or the CAP_SYS_NICE capability: %w", err)
		}
		undo = append(undo, func() { unix.SchedSetAttr(0, old, 0) })
	}
	return restore, nil
}
