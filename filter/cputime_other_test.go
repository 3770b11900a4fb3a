//go:build !linux

package filter

import "time"

// timeOf returns the wall time f takes (the thread CPU clock the Linux
// version reads is not portable).
func timeOf(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
