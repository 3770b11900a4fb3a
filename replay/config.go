package replay

import (
	"fmt"
	"math"
	"time"
)

// Config tunes a replay; a nil *Config replays once at the original
// timing to a real clock.
type Config struct {
	// Modifier divides every gap: 2 replays twice as fast, 0.5 half as
	// fast. Any positive value; 0 means 1.
	Modifier float64
	// ScaleTo, when positive, replays one loop of the set in this
	// duration (the modifier is computed from the map's time span of the
	// files replayed, inside the time window); it overrides Modifier.
	ScaleTo time.Duration
	// TopSpeed sends as fast as the sink takes packets: no deadlines.
	TopSpeed bool
	// PPS, when positive, sends at this fixed packet rate.
	PPS float64
	// Mbps, when positive, sends at this fixed bit rate (megabits per
	// second of captured bytes).
	Mbps float64

	// Loops is how many times the set is replayed; 0 means once and a
	// negative value forever (until ctx is cancelled). Each loop is
	// shifted in time by the span of the previous one plus its mean
	// inter-packet gap, so deadlines and kept timestamps keep increasing.
	Loops int

	// From and To, when not zero, bound the time window: packets with
	// earlier or later timestamps are skipped without waiting for them,
	// and the schedule starts at the first packet inside the window.
	From, To time.Time
	// NoWait starts every file at once (GopherCap's --wait-disable): each
	// file's timestamps are moved back by its delay from the start of the
	// set, so files from different periods play side by side. Needs the
	// files' Beginning from the map.
	NoWait bool
	// Exclude is a pcap-filter expression; packets matching it are not
	// sent (counted in Stats.Filtered). It is compiled for each link
	// type met.
	Exclude string

	// MergeWindow is how many packets of each file the merge holds to put
	// a file's own out-of-order packets back in order (see
	// pcapio.MergeOptions.Window). 0 chooses from the map: 16 when no
	// file has out-of-order packets, pcapio.DefaultWindow (1024) when one
	// has; memory grows with the window times the number of files.
	// Packets out of order beyond the window are sent as read and
	// counted in Stats.Late.
	MergeWindow int

	// MTU overrides the sink's MTU for the oversize check; 0 takes the
	// sink's (none for files and the null sink).
	MTU int
	// Oversize says what to do with a frame larger than the MTU plus its
	// link header.
	Oversize Oversize
	// KeepTimestamps writes each packet with its original timestamp (plus
	// the loop shift, and minus the file's delay with NoWait) instead of
	// the time it was sent.
	KeepTimestamps bool

	// StatsEvery, when positive, calls OnStats about this often with the
	// stats so far (from the replay goroutine; keep it short).
	StatsEvery time.Duration
	OnStats    func(Stats)

	// Clock, when nil, is a RealClock and Run locks its goroutine to an
	// OS thread for the replay.
	Clock Clock
	// RealTime runs the replay thread with the SCHED_FIFO policy (Linux,
	// root or CAP_SYS_NICE), so that other processes do not delay it on
	// a busy machine; it is ignored with a Clock of your own. The kernel's
	// real-time throttling still leaves other threads 5 % of the CPU.
	RealTime bool
	// SpinMargin tunes the RealClock (see DefaultSpinMargin).
	SpinMargin time.Duration
	// Start is the wall time of the first packet, from which the
	// timestamps written when KeepTimestamps is off count; zero means
	// time.Now() when the first packet is ready.
	Start time.Time
}

// Oversize is the policy for frames larger than the MTU allows.
type Oversize int

// Oversize policies.
const (
	OversizeStop     Oversize = iota // stop with an *OversizeError
	OversizeTruncate                 // cut the frame to the limit and send it (tcpreplay --mtu-trunc)
	OversizeSkip                     // count the frame and do not send it
)

// check validates c and returns a copy with defaults filled in.
func (c *Config) check() (Config, error) {
	var out Config
	if c != nil {
		out = *c
	}
	if out.Modifier == 0 {
		out.Modifier = 1
	}
	if !(out.Modifier > 0) || math.IsInf(out.Modifier, 0) {
		return out, fmt.Errorf("replay: time modifier %v: want a positive number", out.Modifier)
	}
	modes := 0
	for _, on := range []bool{out.TopSpeed, out.PPS > 0, out.Mbps > 0, out.ScaleTo > 0} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return out, fmt.Errorf("replay: top speed, a packet rate, a bit rate and a scaled duration exclude each other")
	}
	if out.PPS < 0 || out.Mbps < 0 || out.ScaleTo < 0 || math.IsInf(out.PPS, 0) || math.IsInf(out.Mbps, 0) {
		return out, fmt.Errorf("replay: rates and durations must be positive")
	}
	if !out.From.IsZero() && !out.To.IsZero() && out.To.Before(out.From) {
		return out, fmt.Errorf("replay: time window ends (%s) before it begins (%s)", out.To.Format(time.RFC3339Nano), out.From.Format(time.RFC3339Nano))
	}
	if out.MTU < 0 {
		return out, fmt.Errorf("replay: MTU %d: want 0 or more", out.MTU)
	}
	if out.Loops == 0 {
		out.Loops = 1
	} else if out.Loops < 0 {
		out.Loops = 0 // forever, in run's loop condition
	}
	return out, nil
}
