package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/osenv"
	"github.com/wirekit/wirekit/pcapio"
)

// Run replays files to sink following cfg (nil means the original timing,
// once) and returns what happened. files come from a map (dataset.Load or
// dataset.Scan); Run uses their paths, and their Beginning and End for
// Config.NoWait, Config.ScaleTo and to leave out files wholly outside the
// time window.
//
// A Config value Run cannot honour (NaN, infinite or negative rates, or a
// rate whose schedule would overflow a time.Duration: see Config.Validate)
// is refused with a *ConfigError before anything is sent.
//
// A file that cannot be opened or is not a capture is left out, and a
// file damaged part-way is replayed up to the damage: either way the
// replay goes on with the other files, Config.OnFileError is told, and
// once the replay is done Run returns a *FilesError listing them (it
// wraps ErrFilesLeftOut and each *FileError). A file that cannot be
// opened for a reason that is not the file's (out of file descriptors or
// memory, permission denied) stops the replay with an *EnvironmentError
// instead, so that a set is never silently replayed without files the
// user asked for.
//
// Run stops when every loop is done, when ctx is cancelled (it then
// returns the Stats so far and ctx.Err()), when no file of the set can be
// read (a *FilesError), or at the first error: a sink that fails, an
// oversize frame under OversizeStop (an *OversizeError), or an
// *EnvironmentError. The sink is always closed; its Close error is
// returned when nothing failed before.
func Run(ctx context.Context, files []dataset.File, sink Sink, cfg *Config) (st Stats, err error) {
	c, err := cfg.check()
	if err != nil {
		return Stats{}, err
	}
	r := &runner{cfg: c, sink: sink, files: files}
	defer func() {
		if cerr := sink.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if err := r.prepare(); err != nil {
		return Stats{}, err
	}
	if c.Clock == nil {
		unlock, err := lockThread(c.RealTime)
		if err != nil {
			return Stats{}, err
		}
		defer unlock()
		r.clock = NewRealClock(c.SpinMargin)
	} else {
		r.clock = c.Clock
	}
	err = r.run(ctx)
	if ferr := sink.Flush(); err == nil && ferr != nil {
		err = ferr
	}
	if err == nil && len(r.badList) > 0 {
		err = &FilesError{Files: r.badList, Of: len(r.files)}
	}
	return r.stats(), err
}

// Stats is the outcome of a replay.
type Stats struct {
	// Sent and Bytes count packets handed to the sink and their bytes.
	Sent, Bytes int64
	// Skipped counts packets outside the time window (including those of
	// files left out whole because the map puts them outside it).
	Skipped int64
	// Filtered counts packets not sent because they matched Exclude.
	Filtered int64
	// Oversize counts frames larger than the MTU allows, truncated or
	// skipped as Config.Oversize says (with OversizeStop it is 0 or 1).
	Oversize int64
	// Dropped counts packets Config.Inner dropped.
	Dropped int64
	// OutOfOrder counts packets dropped by Config.SkipOutOfOrder.
	OutOfOrder int64
	// Late counts packets the merge could not put in order (see
	// pcapio.Merged.Late); they were sent at once.
	Late int64
	// Loops counts loops started.
	Loops int
	// Elapsed is the clock time from the first packet to the last.
	Elapsed time.Duration
	// Lag is how far behind their deadlines packets went out (empty at
	// top speed, which has no deadlines).
	Lag LagSummary
	// Behind is the lag of the last packet sent.
	Behind time.Duration
	// LeftOut lists the files left out so far, whole or from their damage
	// on (see Run); the slice is shared with the error Run returns.
	LeftOut []*FileError
}

// inOrderWindow is the merge window per file when the map shows no file
// with packets out of order.
const inOrderWindow = 16

// batchWhenBehind is the lag past which a paced replay stops flushing the
// sink after every packet and lets it batch until the schedule is met again.
const batchWhenBehind = 50 * time.Microsecond

// ErrOversize is wrapped by *OversizeError.
var ErrOversize = errors.New("frame larger than the MTU allows")

// OversizeError names a packet too big for the sink.
type OversizeError struct {
	// Packet counts packets from 1 in replay order (across loops).
	Packet    int64
	Timestamp time.Time
	// Len is the frame's length, Max the largest frame the MTU allows
	// with the link header.
	Len, Max, MTU int
}

func (e *OversizeError) Error() string {
	return fmt.Sprintf("packet %d (timestamp %s) is a %d-byte frame, larger than the %d bytes the MTU %d allows with its link header",
		e.Packet, e.Timestamp.UTC().Format(time.RFC3339Nano), e.Len, e.Max, e.MTU)
}

// Unwrap returns ErrOversize.
func (e *OversizeError) Unwrap() error { return ErrOversize }

type runner struct {
	cfg    Config
	sink   Sink
	clock  Clock
	files  []dataset.File
	keep   []fileIn // files inside the window
	window int      // merge window per input
	// skipWhole counts the packets of files wholly outside the window,
	// skipped in every loop without being read.
	skipWhole int64

	lt       []layers.LinkType // per global interface
	excl     []*filter.Program // per global interface
	exclLT   map[layers.LinkType]*filter.Program
	nIfaces  int
	modifier float64
	mtu      int

	base     int64         // first packet's timestamp (ns), loop 0
	origin   time.Duration // clock time of the first packet
	haveBase bool
	shift    int64 // added to timestamps in the current loop
	lastRel  int64 // last packet's timestamp - base, in the current loop
	loopN    int64 // packets scheduled in the current loop
	k        int64 // packets sent, all loops (pps)
	read     int64 // packets read inside the window, all loops
	bits     float64
	started  time.Time

	st      Stats
	lag     lagHist
	nextOut time.Duration // next stats report

	bad     map[string]bool // files left out, by path
	badList []*FileError    // the same, in the order met
}

type fileIn struct {
	path   string
	offset int64 // subtracted from timestamps (NoWait)
}

func (r *runner) prepare() error {
	c := &r.cfg
	var setBegin time.Time
	for _, f := range r.files {
		if !f.Beginning.IsZero() && (setBegin.IsZero() || f.Beginning.Before(setBegin)) {
			setBegin = f.Beginning
		}
	}
	var lo, hi time.Time // span of the replayed window, shifted
	var outOfOrder, packets, size int64
	for _, f := range r.files {
		if !f.Beginning.IsZero() && ((!c.From.IsZero() && f.End.Before(c.From)) || (!c.To.IsZero() && f.Beginning.After(c.To))) {
			r.skipWhole += f.Packets
			continue
		}
		in := fileIn{path: f.Path}
		outOfOrder += f.OutOfOrder
		packets += f.Packets
		size += f.Size
		if c.NoWait && !f.Beginning.IsZero() {
			in.offset = f.Beginning.Sub(setBegin).Nanoseconds()
		}
		r.keep = append(r.keep, in)
		if f.Beginning.IsZero() {
			continue
		}
		b, e := f.Beginning, f.End
		if !c.From.IsZero() && b.Before(c.From) {
			b = c.From
		}
		if !c.To.IsZero() && e.After(c.To) {
			e = c.To
		}
		b, e = b.Add(-time.Duration(in.offset)), e.Add(-time.Duration(in.offset))
		if lo.IsZero() || b.Before(lo) {
			lo = b
		}
		if e.After(hi) {
			hi = e
		}
	}
	if len(r.keep) == 0 {
		return fmt.Errorf("replay: no file has packets inside the time window")
	}
	// The merge holds window packets of every file: with thousands of
	// files the default (1024) would cost gigabytes, and files the map
	// shows in order need none of it.
	r.window = c.MergeWindow
	if r.window <= 0 {
		r.window = pcapio.DefaultWindow
		if outOfOrder == 0 {
			r.window = inOrderWindow
		}
	}
	r.modifier = c.Modifier
	if c.ScaleTo > 0 {
		span := hi.Sub(lo)
		if lo.IsZero() || span <= 0 {
			return fmt.Errorf("replay: cannot scale to %s: the map gives the set no time span (first and last timestamps are equal or missing)", c.ScaleTo)
		}
		r.modifier = float64(span) / float64(c.ScaleTo)
	}
	var span time.Duration
	if !lo.IsZero() {
		span = hi.Sub(lo)
	}
	if err := r.checkSchedule(span, packets, size); err != nil {
		return err
	}
	r.mtu = c.MTU
	if r.mtu == 0 && r.sink != nil {
		r.mtu = r.sink.MTU()
	}
	r.started = c.Start
	return nil
}

// errNothingToRead ends the replay when no file of a loop could be opened.
var errNothingToRead = errors.New("no file of the set can be read")

// open merges the files of one loop, leaving out those that cannot be
// opened.
func (r *runner) open() (*pcapio.Merged, error) {
	srcs := make([]pcapio.Source, 0, len(r.keep))
	for _, in := range r.keep {
		var src pcapio.Source
		var err error
		if r.cfg.Open != nil {
			src, err = r.cfg.Open(in.path)
		} else {
			src, err = pcapio.Open(in.path)
		}
		if err != nil {
			if osenv.IsEnvironment(err) {
				for _, s := range srcs {
					s.Close()
				}
				_, limit, _ := osenv.Headroom()
				return nil, &EnvironmentError{Path: in.path, Files: len(r.keep), Limit: limit, Err: err}
			}
			r.leaveOut(in.path, 0, err)
			continue
		}
		srcs = append(srcs, newWindow(src, r, in))
	}
	if len(srcs) == 0 {
		return nil, errNothingToRead
	}
	return pcapio.MergeSources(&pcapio.MergeOptions{Window: r.window}, srcs...), nil
}

func (r *runner) run(ctx context.Context) error {
	c := &r.cfg
	for loop := 0; c.Loops <= 0 || loop < c.Loops; loop++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.st.Loops++
		r.st.Skipped += r.skipWhole
		m, err := r.open()
		if err == errNothingToRead {
			return nil // Run reports the files left out
		}
		if err != nil {
			return err
		}
		r.loopN, r.lastRel = 0, 0
		err = r.loop(ctx, m)
		r.st.Late += m.Late()
		m.Close()
		if err != nil {
			return err
		}
		if r.loopN == 0 {
			return nil // nothing in the window: more loops would spin
		}
		// The next loop starts one mean inter-packet gap after this
		// loop's last packet.
		gap := int64(time.Millisecond)
		if r.loopN > 1 {
			gap = max(r.lastRel/(r.loopN-1), 1000)
		}
		r.shift += r.lastRel + gap
	}
	return nil
}

// loop replays one merged pass over the files.
func (r *runner) loop(ctx context.Context, m *pcapio.Merged) error {
	c := &r.cfg
	sink := r.sink
	for n := 0; ; n++ {
		if n&255 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		data, ci, err := m.ZeroCopyReadPacketData()
		if err != nil {
			// Each input's window turns its damage into io.EOF after
			// reporting it, so any other error is the merge's own.
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("replay: %w", err)
		}
		if ifs := m.Interfaces(); len(ifs) > r.nIfaces {
			if err := r.addInterfaces(ifs); err != nil {
				return err
			}
		}
		ns := ci.Timestamp.UnixNano()
		if !r.haveBase {
			// The schedule starts when the first packet is ready, not
			// when Run was called: opening the inputs takes time.
			r.base, r.haveBase = ns, true
			r.origin = r.clock.Now()
			r.nextOut = r.origin + c.StatsEvery
			if r.started.IsZero() {
				r.started = time.Now()
			}
		}
		rel := ns - r.base
		if rel > r.lastRel || r.loopN == 0 {
			r.lastRel = rel
		}
		r.loopN++
		r.read++
		idx := ci.InterfaceIndex
		if idx < 0 || idx >= len(r.lt) {
			idx = 0
		}
		if c.Inner != nil {
			var keep bool
			if data, ci, keep = c.Inner(r.lt[idx], data, ci); !keep {
				r.st.Dropped++
				continue
			}
		}
		if p := r.excl[idx]; p != nil && p.Matches(ci, data) {
			r.st.Filtered++
			continue
		}
		if c.MaxFrame > 0 && len(data) > c.MaxFrame {
			r.st.Oversize++
			continue
		}
		if r.mtu > 0 {
			limit := r.mtu + linkHeader(r.lt[idx], data)
			if len(data) > limit {
				r.st.Oversize++
				switch c.Oversize {
				case OversizeSkip:
					continue
				case OversizeTruncate:
					data = data[:limit]
					ci.CaptureLength = limit
				default:
					return &OversizeError{Packet: r.read, Timestamp: ci.Timestamp, Len: len(data), Max: limit, MTU: r.mtu}
				}
			}
		}
		var now time.Duration
		if c.TopSpeed {
			now = r.clock.Now()
		} else {
			due := r.deadline(rel, len(data))
			now = r.clock.Now()
			if due > now {
				if err := sink.Flush(); err != nil {
					return err
				}
				if now, err = r.wait(ctx, due); err != nil {
					return err
				}
			}
			r.st.Behind = now - due
			r.lag.add(r.st.Behind)
		}
		if c.KeepTimestamps {
			ci.Timestamp = time.Unix(0, ns+r.shift).UTC()
		} else {
			ci.Timestamp = r.started.Add(now - r.origin)
		}
		first := r.st.Sent == 0
		if err := sink.WritePacket(ci, data); err != nil {
			return err
		}
		// A paced packet on time leaves at once; while the replay is
		// behind, a batching sink keeps batching to catch up faster.
		if !c.TopSpeed && (first || r.st.Behind <= batchWhenBehind) {
			if err := sink.Flush(); err != nil {
				return err
			}
		}
		if first && !c.TopSpeed {
			// The schedule is anchored on the first packet's departure:
			// the first send on a socket is slower (tens of µs on veth),
			// and counting it would make every later packet early
			// relative to the first.
			if d := r.clock.Now() - now; d > 0 {
				r.origin += d
				r.nextOut += d
				now += d
			}
		}
		r.k++
		r.bits += float64(len(data)) * 8
		r.st.Sent++
		r.st.Bytes += int64(len(data))
		r.st.Elapsed = now - r.origin
		if c.StatsEvery > 0 && now >= r.nextOut {
			r.report(now)
		}
	}
}

// deadline is the send time of a packet at rel from the first one in this
// loop, of size bytes, counted from the start of the replay.
func (r *runner) deadline(rel int64, size int) time.Duration {
	c := &r.cfg
	switch {
	case c.PPS > 0:
		return addDuration(r.origin, durationOf(float64(r.k)*1e9/c.PPS))
	case c.Mbps > 0:
		return addDuration(r.origin, durationOf(r.bits*1e3/c.Mbps))
	}
	// Validate bounds one loop; later loops of an endless replay saturate
	// (the packet waits until cancelled) rather than wrap to the past.
	return addDuration(r.origin, durationOf(math.Round(float64(rel+r.shift)/r.modifier)))
}

// wait blocks until due, waking for stats reports and to look at ctx at
// least every 100 ms. It returns the clock time reached.
func (r *runner) wait(ctx context.Context, due time.Duration) (time.Duration, error) {
	const slice = 100 * time.Millisecond
	for {
		now := r.clock.Now()
		if now >= due {
			return now, nil
		}
		if err := ctx.Err(); err != nil {
			return now, err
		}
		t := due
		if r.cfg.StatsEvery > 0 && r.nextOut < t {
			t = r.nextOut
		}
		if t-now > slice {
			t = now + slice
		}
		r.clock.WaitUntil(t)
		if now = r.clock.Now(); r.cfg.StatsEvery > 0 && now >= r.nextOut {
			r.report(now)
		}
	}
}

func (r *runner) report(now time.Duration) {
	for r.nextOut <= now {
		r.nextOut += r.cfg.StatsEvery
	}
	if r.cfg.OnStats != nil {
		st := r.stats()
		st.Elapsed = now - r.origin
		r.cfg.OnStats(st)
	}
}

func (r *runner) stats() Stats {
	st := r.st
	st.Lag = r.lag.summary()
	st.LeftOut = r.badList
	return st
}

// addInterfaces tells the sink about new interfaces and compiles the
// exclusion filter for their link types.
func (r *runner) addInterfaces(ifs []pcapio.Interface) error {
	for _, ifc := range ifs[r.nIfaces:] {
		r.lt = append(r.lt, ifc.LinkType)
		var p *filter.Program
		if r.cfg.Exclude != "" {
			if r.exclLT == nil {
				r.exclLT = map[layers.LinkType]*filter.Program{}
			}
			var ok bool
			if p, ok = r.exclLT[ifc.LinkType]; !ok {
				var err error
				p, err = filter.Compile(r.cfg.Exclude, ifc.LinkType, 262144)
				if err != nil {
					return fmt.Errorf("replay: exclusion filter %q for link type %v: %w", r.cfg.Exclude, ifc.LinkType, err)
				}
				r.exclLT[ifc.LinkType] = p
			}
		}
		r.excl = append(r.excl, p)
	}
	r.nIfaces = len(ifs)
	if err := r.sink.Start(ifs); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	return nil
}

// linkHeader is the link header allowance added to the MTU, as Linux
// allows on a packet socket: 14 bytes for Ethernet, 18 when the outer
// ethertype is 802.1Q (a QinQ frame gets no more), 0 for other link types.
func linkHeader(lt layers.LinkType, data []byte) int {
	if lt != layers.LinkTypeEthernet {
		return 0
	}
	if len(data) >= 14 && data[12] == 0x81 && data[13] == 0x00 {
		return 18
	}
	return 14
}
