package replay

import "time"

// Clock is the time source of a replay. Now returns monotonic time since
// an origin of the clock's choosing; WaitUntil returns once Now has reached
// t (at once when it already has). Run calls them from one goroutine.
type Clock interface {
	Now() time.Duration
	WaitUntil(t time.Duration)
}

// DefaultSpinMargin is how long before a deadline the real clock stops
// sleeping and starts spinning. A sleep on Linux with a 1 ns timer slack
// overshot its target by about 40 µs at the median and up to 110 µs on the
// shared 2-core VM this was measured on; 150 µs of spin absorbs that.
const DefaultSpinMargin = 150 * time.Microsecond

// RealClock is the wall clock of the machine: WaitUntil sleeps until
// SpinMargin before the deadline, then spins on the monotonic clock. On
// Linux the sleep is nanosleep(2) on the calling thread; see Run for how
// the replay goroutine is locked to its thread with a small timer slack.
type RealClock struct {
	// SpinMargin is the final stretch spun rather than slept; 0 means
	// DefaultSpinMargin. A larger margin is more precise and burns more
	// CPU.
	SpinMargin time.Duration
	base       time.Time
}

// NewRealClock returns a RealClock whose origin is now.
func NewRealClock(spin time.Duration) *RealClock {
	if spin <= 0 {
		spin = DefaultSpinMargin
	}
	return &RealClock{SpinMargin: spin, base: time.Now()}
}

// Now returns the time elapsed since the clock was made.
func (c *RealClock) Now() time.Duration { return time.Since(c.base) }

// WaitUntil sleeps, then spins, until Now reaches t.
func (c *RealClock) WaitUntil(t time.Duration) {
	now := c.Now()
	if d := t - now - c.SpinMargin; d > 0 {
		sleep(d)
	}
	for c.Now() < t {
	}
}

// realtimePriority is the SCHED_FIFO priority of Config.RealTime: low
// among real-time priorities (1-99), above every normal thread.
const realtimePriority = 10
