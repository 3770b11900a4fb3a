package replay

import (
	"fmt"
	"math"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
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

	// SkipOutOfOrder drops every packet whose timestamp is earlier than
	// that of a packet kept before it from the same file (GopherCap's
	// --skip-ooo), counting it in Stats.OutOfOrder, instead of putting it
	// back in order with the merge. The comparison is in file order,
	// before the merge and after the time window.
	SkipOutOfOrder bool
	// MaxFrame, when positive, drops frames whose captured length is more
	// than this many bytes, link header included (GopherCap's --skip-mtu),
	// counting them in Stats.Oversize. It is checked before the MTU.
	MaxFrame int

	// Inner, when set, is called with every packet read (after the time
	// window, before Exclude), in the global order, and its link type; it
	// returns the packet to send instead (a sub-slice or a buffer of its
	// own, valid until its next call) or keep false to drop it (counted
	// in Stats.Dropped). It must not change the packet's link type. The
	// CLI strips tunnels (decap) and drops duplicates (dedup) with it.
	Inner func(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) (out []byte, outCI gopacket.CaptureInfo, keep bool)

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

	// Open, when set, opens each file of the set instead of pcapio.Open
	// (a capture in object storage, say). Its errors are treated as
	// pcapio.Open's: the file is left out, or the run stops for an error
	// of the environment (osenv.IsEnvironment).
	Open func(path string) (pcapio.Source, error)

	// StatsEvery, when positive, calls OnStats about this often with the
	// stats so far (from the replay goroutine; keep it short).
	StatsEvery time.Duration
	OnStats    func(Stats)
	// OnFileError, when set, is called (from the replay goroutine) each
	// time a file is left out of the replay: when it cannot be opened or
	// is not a capture, and when damage is met part-way through it (its
	// packets before the damage are replayed; the call comes when the
	// damage is read, which the merge does up to MergeWindow packets of
	// that file ahead of sending them). Each file is reported once.
	OnFileError func(*FileError)

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

// ConfigError reports a Config value Run cannot honour: a NaN, an
// infinity, a negative or zero value where none is meaningful, or a rate
// whose schedule does not fit a time.Duration (about 292 years). Field is
// the name of the Config field, Value the value given and Want what is
// accepted.
type ConfigError struct {
	Field string
	Value any
	Want  string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("replay: %s %v: %s", e.Field, e.Value, e.Want)
}

// maxSchedule is the longest schedule a time.Duration holds, in
// nanoseconds, as a float64 that converts back without overflow.
const maxSchedule = float64(math.MaxInt64 - 1<<10)

// finite reports whether x is neither NaN nor an infinity.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// check validates c and returns a copy with defaults filled in; errors are
// *ConfigError except for the time window and the exclusive modes.
func (c *Config) check() (Config, error) {
	var out Config
	if c != nil {
		out = *c
	}
	if out.Modifier == 0 {
		out.Modifier = 1
	}
	if !(out.Modifier > 0) || !finite(out.Modifier) {
		return out, &ConfigError{"Modifier", out.Modifier, "want a finite positive number (2 replays twice as fast, 0.5 half as fast)"}
	}
	if !(out.PPS >= 0) || !finite(out.PPS) {
		return out, &ConfigError{"PPS", out.PPS, "want a finite packet rate, 0 for none"}
	}
	if !(out.Mbps >= 0) || !finite(out.Mbps) {
		return out, &ConfigError{"Mbps", out.Mbps, "want a finite bit rate, 0 for none"}
	}
	if out.ScaleTo < 0 {
		return out, &ConfigError{"ScaleTo", out.ScaleTo, "want a positive duration, 0 for none"}
	}
	if out.StatsEvery < 0 {
		return out, &ConfigError{"StatsEvery", out.StatsEvery, "want a positive period, 0 for none"}
	}
	if out.MaxFrame < 0 {
		return out, &ConfigError{"MaxFrame", out.MaxFrame, "want 0 (no limit) or a frame size in bytes"}
	}
	if out.MTU < 0 {
		return out, &ConfigError{"MTU", out.MTU, "want 0 (the sink's) or more"}
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
	if !out.From.IsZero() && !out.To.IsZero() && out.To.Before(out.From) {
		return out, fmt.Errorf("replay: time window ends (%s) before it begins (%s)", out.To.Format(time.RFC3339Nano), out.From.Format(time.RFC3339Nano))
	}
	if out.Loops == 0 {
		out.Loops = 1
	} else if out.Loops < 0 {
		out.Loops = 0 // forever, in run's loop condition
	}
	return out, nil
}

// Validate checks cfg against files as Run would before sending anything:
// the values themselves (a *ConfigError), the time window, and that the
// schedule of the replay fits a time.Duration (a *ConfigError naming the
// rate that makes it too long: Modifier, ScaleTo, PPS or Mbps, with the
// smallest value that fits). It opens no file; callers use it to refuse a
// configuration before creating a sink.
func (cfg *Config) Validate(files []dataset.File) error {
	c, err := cfg.check()
	if err != nil {
		return err
	}
	r := &runner{cfg: c, files: files}
	return r.prepare()
}

// checkSchedule refuses a replay whose schedule overflows a time.Duration:
// every loop (one when looping forever: later deadlines saturate and wait
// until cancelled) of span of capture, packets packets of size bytes, at
// the configured rate.
func (r *runner) checkSchedule(span time.Duration, packets, size int64) error {
	c := &r.cfg
	loops := float64(max(c.Loops, 1))
	var field string
	var value any
	var ns, minimum float64 // schedule of all loops; smallest value that fits
	var unit string
	switch {
	case c.TopSpeed:
		return nil
	case c.PPS > 0:
		field, value = "PPS", c.PPS
		ns = float64(packets) * loops * 1e9 / c.PPS
		minimum, unit = float64(packets)*loops*1e9/maxSchedule, "packets per second"
	case c.Mbps > 0:
		field, value = "Mbps", c.Mbps
		ns = float64(size) * 8 * loops * 1e3 / c.Mbps
		minimum, unit = float64(size)*8*loops*1e3/maxSchedule, "Mbps"
	default:
		field, value = "Modifier", c.Modifier
		if c.ScaleTo > 0 {
			field, value = "ScaleTo", c.ScaleTo
		}
		// Each loop is shifted by its span plus its mean gap (see run).
		gap := float64(time.Millisecond)
		if packets > 1 {
			gap = max(float64(span)/float64(packets-1), 1000)
		}
		last := (loops-1)*(float64(span)+gap) + float64(span)
		ns = last / r.modifier
		minimum, unit = last/maxSchedule, "as a time modifier"
	}
	if ns <= maxSchedule {
		return nil
	}
	want := fmt.Sprintf("the replay (%d loop(s) of %s of capture, %d packets, %d bytes) would last %.3g s, longer than a schedule can hold (%.0f years); want at least %.3g %s",
		max(c.Loops, 1), span, packets, size, ns/1e9, maxSchedule/1e9/86400/365.25, minimum, unit)
	if field == "ScaleTo" {
		want = fmt.Sprintf("%d loops of this duration would last longer than a schedule can hold (%.0f years)", max(c.Loops, 1), maxSchedule/1e9/86400/365.25)
	}
	return &ConfigError{field, value, want}
}

// durationOf converts a schedule offset in nanoseconds to a Duration,
// saturating instead of wrapping (a float64 beyond int64 would convert to
// a negative duration and send at once).
func durationOf(ns float64) time.Duration {
	if ns >= maxSchedule {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// addDuration adds b >= 0 to a, saturating at the largest Duration.
func addDuration(a, b time.Duration) time.Duration {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}
