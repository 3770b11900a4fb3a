package pcapio

import (
	"errors"
	"io"
	"math"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// DefaultWindow is the per-input reorder window of a merge when
// MergeOptions.Window is 0.
const DefaultWindow = 1024

// MergeOptions tunes a merge; nil means the defaults.
type MergeOptions struct {
	// Window is how many packets of each input are held to put a file's
	// own out-of-order timestamps back in order (default DefaultWindow).
	// A packet that would have to move more than Window-1 places earlier
	// in its file cannot be placed in order; it is delivered as soon as it
	// reaches the head and counted by Late. Memory grows with Window times
	// the number of inputs times the packet size (about 1.5 MB per input
	// at the default with 1500-byte packets), and the first packet is
	// returned only after Window packets of each input have been read.
	Window int
	// LastFirstOnTies gives packets with equal timestamps to the input
	// given last first, as mergecap (Wireshark 4.0) does; by default the
	// input given first goes first. Within one input, file order is kept
	// either way.
	LastFirstOnTies bool
}

// Merged is a time-ordered Source over several inputs: a k-way merge by
// timestamp, with ties going to the input given first, then to file order.
// Its interfaces are those of all inputs, numbered in the order met.
//
// A damaged input does not stop the merge: its packets before the damage
// are delivered, the other inputs go on, and once every readable packet has
// been delivered ZeroCopyReadPacketData returns the inputs' errors (joined
// with errors.Join, each naming its file through *FormatError) once instead
// of io.EOF, and io.EOF on every later call (so gopacket's PacketSource,
// which retries errors it does not know, still ends; Err keeps them). A
// caller that wants everything readable and then a failure, as the CLI
// does, reads until a non-nil error and reports it when it is not io.EOF.
//
// Steady-state reads do not allocate: each input's packets are copied into
// slots the merge owns and reuses.
type Merged struct {
	srcs   []*mergeSrc
	heap   []*mergeSrc // inputs with buffered packets, by next timestamp
	window int
	ifaces []Interface
	last   *mergeSlot // slot returned by the previous call, recycled next call
	lastTS int64
	seq    uint64
	errs   []error // input errors, in the order met
	done   bool    // the end was returned: later reads return io.EOF

	outOfOrder, late int64
}

var _ Source = (*Merged)(nil)

type mergeSlot struct {
	data []byte
	ci   gopacket.CaptureInfo
	ns   int64
	seq  uint64
	off  int64 // the record's offset in its input, -1 when unknown
	src  *mergeSrc
}

// recordOffsetter is a Source that says where its last packet's record
// starts (*Reader does).
type recordOffsetter interface{ RecordOffset() int64 }

type mergeSrc struct {
	src    Source
	idx    int          // rank among the inputs for ties
	pos    int          // position among the inputs as given
	buf    []*mergeSlot // min-heap by (ns, seq)
	free   []*mergeSlot
	ifmap  []int
	lastNS int64
	seen   bool
	ended  bool
}

// Merge opens every path with Open and merges them with the default
// options (see MergeSources). If one cannot be opened, those already open
// are closed and the error is returned.
func Merge(paths ...string) (*Merged, error) {
	srcs := make([]Source, 0, len(paths))
	for _, p := range paths {
		r, err := Open(p)
		if err != nil {
			for _, s := range srcs {
				s.Close()
			}
			return nil, err
		}
		srcs = append(srcs, r)
	}
	return MergeSources(nil, srcs...), nil
}

// MergeSources merges already open sources, in timestamp order with ties
// to the earlier source in srcs (or the later with opts.LastFirstOnTies),
// then to the order read. It reads the first
// window of each source at once; errors met then are reported after the
// packets, as for any later error. Close closes every source.
func MergeSources(opts *MergeOptions, srcs ...Source) *Merged {
	// lastTS starts below every timestamp: a first packet from before
	// 1970 is not late.
	m := &Merged{window: DefaultWindow, lastTS: math.MinInt64}
	if opts != nil && opts.Window > 0 {
		m.window = opts.Window
	}
	for i, s := range srcs {
		ms := &mergeSrc{src: s, idx: i, pos: i}
		if opts != nil && opts.LastFirstOnTies {
			ms.idx = len(srcs) - 1 - i
		}
		m.srcs = append(m.srcs, ms)
		m.mapInterfaces(ms)
	}
	for _, ms := range m.srcs {
		m.fill(ms)
		if len(ms.buf) > 0 {
			m.push(ms)
		}
	}
	return m
}

// mapInterfaces gives new interfaces of an input global numbers.
func (m *Merged) mapInterfaces(ms *mergeSrc) {
	ifs := ms.src.Interfaces()
	for len(ms.ifmap) < len(ifs) {
		m.ifaces = append(m.ifaces, ifs[len(ms.ifmap)])
		ms.ifmap = append(ms.ifmap, len(m.ifaces)-1)
	}
}

// fill reads from an input until it holds window packets or ends.
func (m *Merged) fill(ms *mergeSrc) {
	for !ms.ended && len(ms.buf) < m.window {
		data, ci, err := ms.src.ZeroCopyReadPacketData()
		if err != nil {
			ms.ended = true
			if !errors.Is(err, io.EOF) {
				m.errs = append(m.errs, err)
			}
			return
		}
		if ci.InterfaceIndex >= len(ms.ifmap) {
			m.mapInterfaces(ms)
		}
		if ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ms.ifmap) {
			ci.InterfaceIndex = ms.ifmap[ci.InterfaceIndex]
		}
		var s *mergeSlot
		if n := len(ms.free); n > 0 {
			s, ms.free = ms.free[n-1], ms.free[:n-1]
		} else {
			s = &mergeSlot{src: ms}
		}
		s.data = append(s.data[:0], data...)
		s.ci = ci
		s.off = -1
		if ro, ok := ms.src.(recordOffsetter); ok {
			s.off = ro.RecordOffset()
		}
		s.ns = ci.Timestamp.UnixNano()
		m.seq++
		s.seq = m.seq
		if ms.seen && s.ns < ms.lastNS {
			m.outOfOrder++
		}
		if !ms.seen || s.ns > ms.lastNS {
			ms.seen, ms.lastNS = true, s.ns
		}
		ms.pushSlot(s)
	}
}

// ReadPacketData returns the next packet in a new slice.
func (m *Merged) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := m.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// ZeroCopyReadPacketData returns the earliest packet of all inputs; its
// bytes are valid until the next call. At the end it returns io.EOF, or the
// errors the inputs met (see Merged).
func (m *Merged) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if m.last != nil {
		ms := m.last.src
		ms.free = append(ms.free, m.last)
		m.last = nil
	}
	if len(m.heap) == 0 {
		if m.done {
			return nil, gopacket.CaptureInfo{}, io.EOF
		}
		m.done = true
		if err := m.Err(); err != nil {
			return nil, gopacket.CaptureInfo{}, err
		}
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	ms := m.heap[0]
	s := ms.popSlot()
	m.fill(ms)
	if len(ms.buf) > 0 {
		m.down(0)
	} else {
		m.pop()
	}
	if s.ns < m.lastTS {
		m.late++
	}
	m.lastTS = max(m.lastTS, s.ns)
	m.last = s
	return s.data, s.ci, nil
}

// Origin says where the packet last returned by ZeroCopyReadPacketData (or
// ReadPacketData) comes from: the position of its input among those given
// to MergeSources or Merge (0 for the first), and the offset of its record
// in that input's uncompressed capture (see Reader.RecordOffset; -1 when
// the input does not say). Before the first packet it returns -1, -1.
func (m *Merged) Origin() (input int, offset int64) {
	if m.last == nil {
		return -1, -1
	}
	return m.last.src.pos, m.last.off
}

// Err returns the errors the inputs met so far (one, or several joined
// with errors.Join), nil when none did. After the end it is what the read
// that ended the merge returned in place of io.EOF.
func (m *Merged) Err() error {
	switch len(m.errs) {
	case 0:
		return nil
	case 1:
		return m.errs[0]
	}
	return errors.Join(m.errs...)
}

// OutOfOrder counts packets read so far whose timestamp was earlier than
// that of a packet before them in their own input, whether or not the
// window put them back in order.
func (m *Merged) OutOfOrder() int64 { return m.outOfOrder }

// Late counts packets delivered with a timestamp earlier than a packet
// already delivered: those out of order beyond the window, which the merge
// could not place. The output is globally sorted exactly when Late is 0.
func (m *Merged) Late() int64 { return m.late }

// LinkType returns the link type of the first interface.
func (m *Merged) LinkType() layers.LinkType {
	if len(m.ifaces) == 0 {
		return layers.LinkTypeNull
	}
	return m.ifaces[0].LinkType
}

// Interfaces returns the interfaces of all inputs met so far.
func (m *Merged) Interfaces() []Interface { return m.ifaces }

// Close closes every input and returns the first error. Reads after Close
// return io.EOF.
func (m *Merged) Close() error {
	m.heap, m.done = nil, true
	var first error
	for _, ms := range m.srcs {
		if err := ms.src.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// before orders slots: earlier timestamp, then earlier input, then read order.
func before(a, b *mergeSlot) bool {
	if a.ns != b.ns {
		return a.ns < b.ns
	}
	if a.src.idx != b.src.idx {
		return a.src.idx < b.src.idx
	}
	return a.seq < b.seq
}

func (ms *mergeSrc) pushSlot(s *mergeSlot) {
	ms.buf = append(ms.buf, s)
	h := ms.buf
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !before(h[i], h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (ms *mergeSrc) popSlot() *mergeSlot {
	h := ms.buf
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, r, min := 2*i+1, 2*i+2, i
		if l < n && before(h[l], h[min]) {
			min = l
		}
		if r < n && before(h[r], h[min]) {
			min = r
		}
		if min == i {
			break
		}
		h[i], h[min] = h[min], h[i]
		i = min
	}
	ms.buf = h
	return top
}

func (m *Merged) push(ms *mergeSrc) {
	m.heap = append(m.heap, ms)
	for i := len(m.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !before(m.heap[i].buf[0], m.heap[p].buf[0]) {
			break
		}
		m.heap[i], m.heap[p] = m.heap[p], m.heap[i]
		i = p
	}
}

func (m *Merged) pop() {
	n := len(m.heap) - 1
	m.heap[0] = m.heap[n]
	m.heap = m.heap[:n]
	if n > 0 {
		m.down(0)
	}
}

func (m *Merged) down(i int) {
	h := m.heap
	n := len(h)
	for {
		l, r, min := 2*i+1, 2*i+2, i
		if l < n && before(h[l].buf[0], h[min].buf[0]) {
			min = l
		}
		if r < n && before(h[r].buf[0], h[min].buf[0]) {
			min = r
		}
		if min == i {
			return
		}
		h[i], h[min] = h[min], h[i]
		i = min
	}
}
