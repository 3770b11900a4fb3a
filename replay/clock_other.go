//go:build !linux

package replay

import (
	"errors"
	"runtime"
	"time"
)

// sleep is time.Sleep where nanosleep is not used.
func sleep(d time.Duration) { time.Sleep(d) }

// lockThread pins the goroutine to its thread; the timer slack is left as
// it is, and real-time scheduling is not supported.
func lockThread(realtime bool) (func(), error) {
	if realtime {
		return nil, errors.New("replay: real-time scheduling is only supported on Linux")
	}
	runtime.LockOSThread()
	return runtime.UnlockOSThread, nil
}
