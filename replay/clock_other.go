//go:build !linux

package replay

import (
	"runtime"
	"time"
)

// sleep is time.Sleep where nanosleep is not used.
func sleep(d time.Duration) { time.Sleep(d) }

// lockThread pins the goroutine to its thread; the timer slack is left as
// it is.
func lockThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
