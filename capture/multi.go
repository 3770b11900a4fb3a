package capture

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// ErrDuplicateInterface is matched (errors.Is) by the error OpenMulti
// returns when an interface is named twice.
var ErrDuplicateInterface = errors.New("interface named twice")

// MultiConfig tunes OpenMulti; a nil *MultiConfig means the defaults.
type MultiConfig struct {
	// Config applies to every interface. Its Filter, when set, must be
	// compiled for the link type of every interface; with interfaces of
	// different link types set Expr instead. Its ReadTimeout is that of
	// the merged reads (default 100ms; BlockForever: no bound).
	Config
	// Expr, when not empty, is a filter expression (package filter's
	// syntax) compiled for each interface's link type, for a live
	// capture (filter.Options.Live), and attached to its socket. It
	// cannot be combined with Config.Filter.
	Expr string
}

// multiTick is the read timeout of each interface's Handle under a Multi:
// a read that times out tells the merge that the interface sent nothing
// before the read began, so a packet of another interface can be given
// out without waiting for this one.
const multiTick = 40 * time.Millisecond

// multiHold bounds how long a packet waits for the other interfaces to
// say they have nothing earlier; after it, it is given out anyway (and an
// earlier packet that comes later is counted by Late).
const multiHold = 500 * time.Millisecond

// multiSlots is how many packets each interface may have copied and
// waiting; when they are all taken its reader stops, and the kernel ring
// holds the rest.
const multiSlots = 512

// Multi is a live capture on one or more interfaces, merged into one
// stream in timestamp order. Each packet's CaptureInfo.InterfaceIndex is
// the position of its interface in the names given to OpenMulti, and
// Interfaces lists them with their own link types, so
// stream.Assembler.ReadFrom, http.Transactions and pcapio writers see each
// packet with its interface's link type. It is a pcapio.Source.
//
// Reads return ErrTimeout when no packet came within the read timeout
// (the callers named above read on), and io.EOF once Close has run (also
// to a read waiting then) or every interface has ended. With one
// interface, reads go straight to its Handle.
//
// With several, each interface is read by its own goroutine into a copy
// (at most 512 packets waiting per interface), and a packet is given out
// once every other interface has either given a later one or said, by a
// read timeout, that it had nothing before it; a packet waits at most
// half a second for that. An interface that goes down is quiet; one that
// goes away, or fails, is reported once by a read (the error names it)
// and the others go on: read again to have their packets.
//
// A Multi is not safe for concurrent reads; Close may be called from
// another goroutine.
type Multi struct {
	handles []*Handle
	ifaces  []pcapio.Interface
	timeout time.Duration

	// One interface: reads go to handles[0].
	single bool

	srcs []*multiSrc
	ev   chan multiEvent
	quit chan struct{}
	wg   sync.WaitGroup

	closeOnce sync.Once
	closed    chan struct{}

	last    *multiSlot // given out by the last read, recycled by the next
	lastNS  int64
	late    int64
	started bool
	timer   *time.Timer
}

var _ pcapio.Source = (*Multi)(nil)

// multiSrc is one interface's state in the merge, owned by the reading
// goroutine (the Multi's reader), except free, which its goroutine takes
// slots from.
type multiSrc struct {
	q     []*multiSlot // packets waiting, in the order read
	free  chan *multiSlot
	wm    int64 // nothing earlier than this will come (ns); 0: unknown
	err   error // to report once the packets before it are given out
	ended bool
}

type multiSlot struct {
	data    []byte
	ci      gopacket.CaptureInfo
	ns      int64
	arrived time.Time
	src     int
}

// multiEvent is a packet (slot), a watermark (wm: the interface had
// nothing before it), an error, or the end of an interface (end).
type multiEvent struct {
	src  int
	slot *multiSlot
	wm   int64
	err  error
	end  bool
}

// OpenMulti starts capturing on every named interface, as Open does for
// one, and merges their packets in timestamp order. An interface named
// twice is refused (ErrDuplicateInterface), as is Any beside others (it
// already captures on them); an interface that does not exist is named in
// the error. If one cannot be opened, those already open are closed.
func OpenMulti(names []string, cfg *MultiConfig) (*Multi, error) {
	var c MultiConfig
	if cfg != nil {
		c = *cfg
	}
	if len(names) == 0 {
		return nil, errors.New("capture: no interface named")
	}
	if c.Expr != "" && c.Filter != nil {
		return nil, errors.New("capture: MultiConfig: set Expr or Config.Filter, not both")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("capture: interface %q: %w", n, ErrDuplicateInterface)
		}
		seen[n] = true
		if n == Any && len(names) > 1 {
			return nil, fmt.Errorf("capture: %q already captures on every interface; it cannot be combined with others", Any)
		}
		if n == "" {
			return nil, errors.New("capture: empty interface name")
		}
	}
	m := &Multi{timeout: c.withDefaults().ReadTimeout, closed: make(chan struct{})}
	for _, n := range names {
		hc := c.Config
		if len(names) > 1 {
			hc.ReadTimeout = multiTick
		}
		if c.Expr != "" {
			lt, err := LinkTypeOf(n)
			if err == nil && n == Any && hc.AnyLinkType == layers.LinkTypeLinuxSLL {
				lt = layers.LinkTypeLinuxSLL
			}
			if err != nil {
				m.closeHandles()
				return nil, err
			}
			// Compiled for a live capture: inbound, outbound and
			// ifindex test the kernel's metadata, as tcpdump -i does.
			prog, err := filter.CompileWith(c.Expr, lt, c.withDefaults().SnapLen, &filter.Options{Live: true})
			if err != nil {
				m.closeHandles()
				return nil, fmt.Errorf("capture: %s: filter %q: %w", n, c.Expr, err)
			}
			hc.Filter = prog
		}
		h, err := Open(n, &hc)
		if err != nil {
			m.closeHandles()
			return nil, err
		}
		m.handles = append(m.handles, h)
		m.ifaces = append(m.ifaces, h.Interfaces()...)
	}
	if len(m.handles) == 1 {
		m.single = true
		return m, nil
	}
	m.ev = make(chan multiEvent, multiSlots*len(m.handles)+16)
	m.quit = make(chan struct{})
	for i, h := range m.handles {
		s := &multiSrc{free: make(chan *multiSlot, multiSlots)}
		for range multiSlots {
			s.free <- &multiSlot{src: i}
		}
		m.srcs = append(m.srcs, s)
		m.wg.Add(1)
		go m.run(i, h, s.free)
	}
	return m, nil
}

func (m *Multi) closeHandles() {
	for _, h := range m.handles {
		h.Close()
	}
}

// run reads interface i into slots and sends them to the merge.
func (m *Multi) run(i int, h *Handle, free chan *multiSlot) {
	defer m.wg.Done()
	send := func(e multiEvent) bool {
		select {
		case m.ev <- e:
			return true
		case <-m.quit:
			return false
		}
	}
	for {
		t0 := time.Now()
		data, ci, err := h.ZeroCopyReadPacketData()
		if err != nil {
			switch {
			case err == io.EOF:
				send(multiEvent{src: i, end: true})
				return
			case errors.Is(err, ErrTimeout): // quiet, or down
				if !send(multiEvent{src: i, wm: t0.UnixNano()}) {
					return
				}
				continue
			}
			if !send(multiEvent{src: i, err: err}) {
				return
			}
			if !errors.Is(err, ErrInterfaceGone) {
				send(multiEvent{src: i, end: true})
				return
			}
			continue // the next read says io.EOF
		}
		var s *multiSlot
		select {
		case s = <-free:
		case <-m.quit:
			return
		}
		s.data = append(s.data[:0], data...)
		ci.InterfaceIndex = i
		s.ci = ci
		s.ns = ci.Timestamp.UnixNano()
		s.arrived = time.Now()
		if !send(multiEvent{src: i, slot: s}) {
			return
		}
	}
}

// ZeroCopyReadPacketData returns the earliest packet of all interfaces;
// its bytes are valid until the next read or Close.
func (m *Multi) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if m.single {
		return m.handles[0].ZeroCopyReadPacketData()
	}
	if m.last != nil {
		m.srcs[m.last.src].free <- m.last
		m.last = nil
	}
	var deadline time.Time
	if m.timeout >= 0 {
		deadline = time.Now().Add(m.timeout)
	}
	for {
		select {
		case <-m.closed:
			return nil, gopacket.CaptureInfo{}, io.EOF
		default:
		}
		// Take what has come, without waiting.
		for drained := false; !drained; {
			select {
			case e := <-m.ev:
				m.apply(e)
			default:
				drained = true
			}
		}
		for _, src := range m.srcs {
			if src.err != nil && len(src.q) == 0 {
				err := src.err
				src.err = nil
				return nil, gopacket.CaptureInfo{}, err
			}
		}
		s, wait := m.pick()
		if s != nil {
			src := m.srcs[s.src]
			src.q = src.q[1:]
			if s.ns < m.lastNS {
				m.late++
			} else {
				m.lastNS = s.ns
			}
			m.last = s
			return s.data, s.ci, nil
		}
		if wait < 0 && m.allEnded() {
			return nil, gopacket.CaptureInfo{}, io.EOF
		}
		// Wait for an event, the hold of the head packet, the deadline,
		// or Close.
		d := time.Duration(-1)
		if wait >= 0 {
			d = wait
		}
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return nil, gopacket.CaptureInfo{}, ErrTimeout
			}
			if d < 0 || left < d {
				d = left
			}
		}
		var tc <-chan time.Time
		if d >= 0 {
			if m.timer == nil {
				m.timer = time.NewTimer(d)
			} else {
				m.timer.Reset(d)
			}
			tc = m.timer.C
		}
		select {
		case e := <-m.ev:
			m.apply(e)
		case <-tc:
		case <-m.closed:
			return nil, gopacket.CaptureInfo{}, io.EOF
		}
	}
}

// apply records one event. An interface's error (which names it) waits
// for the packets read before it.
func (m *Multi) apply(e multiEvent) {
	s := m.srcs[e.src]
	switch {
	case e.slot != nil:
		s.q = append(s.q, e.slot)
		s.wm = max(s.wm, e.slot.ns)
	case e.end:
		s.ended = true
	case e.err != nil:
		s.err = e.err
	default:
		s.wm = max(s.wm, e.wm)
	}
}

// pick returns the packet to give out, if any; else how long until the
// earliest waiting packet's hold ends (-1: no packet waits).
func (m *Multi) pick() (*multiSlot, time.Duration) {
	var head *multiSlot
	for _, s := range m.srcs {
		if len(s.q) > 0 && (head == nil || s.q[0].ns < head.ns) {
			head = s.q[0]
		}
	}
	if head == nil {
		return nil, -1
	}
	ready := true
	for i, s := range m.srcs {
		if i == head.src || s.ended || len(s.q) > 0 || s.wm >= head.ns {
			continue
		}
		ready = false
		break
	}
	if ready {
		return head, 0
	}
	left := time.Until(head.arrived.Add(multiHold))
	if left <= 0 {
		return head, 0
	}
	return nil, left
}

func (m *Multi) allEnded() bool {
	for _, s := range m.srcs {
		if !s.ended || len(s.q) > 0 {
			return false
		}
	}
	return true
}

// ReadPacketData is ZeroCopyReadPacketData with a copy the caller owns.
func (m *Multi) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := m.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// LinkType returns the link type of the first interface; see Interfaces
// for the others.
func (m *Multi) LinkType() layers.LinkType { return m.ifaces[0].LinkType }

// Interfaces returns the interfaces captured on, in the order named;
// CaptureInfo.InterfaceIndex indexes it.
func (m *Multi) Interfaces() []pcapio.Interface { return m.ifaces }

// Late counts packets given out with a timestamp earlier than one given
// before them: one interface's packet that came after the half second a
// packet of another waits. The output is in timestamp order exactly when
// Late is 0.
func (m *Multi) Late() int64 { return m.late }

// Stats returns the kernel's counters of every interface, summed.
func (m *Multi) Stats() (Stats, error) {
	var sum Stats
	for _, h := range m.handles {
		st, err := h.Stats()
		if err != nil {
			return sum, err
		}
		sum.Received += st.Received
		sum.Dropped += st.Dropped
	}
	return sum, nil
}

// Close stops every capture; a read waiting returns io.EOF, as do all
// reads after it. Calling Close again does nothing.
func (m *Multi) Close() error {
	var err error
	m.closeOnce.Do(func() {
		close(m.closed)
		if m.quit != nil {
			close(m.quit)
		}
		for _, h := range m.handles {
			if e := h.Close(); e != nil && err == nil {
				err = e
			}
		}
		m.wg.Wait()
	})
	return err
}
