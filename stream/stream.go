package stream

import (
	"bytes"
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// Config tunes an Assembler. A nil *Config or a zero field means the
// default given on each field.
type Config struct {
	// MaxBufferedPerConn caps the out-of-order bytes buffered for one
	// connection (default 1 MiB).
	MaxBufferedPerConn int
	// MaxBufferedTotal caps the out-of-order bytes buffered for all
	// connections together (default 64 MiB).
	MaxBufferedTotal int
	// GapTimeout is how long, in capture time, a missing segment is waited
	// for before the bytes after it are delivered with a gap (default 5s).
	GapTimeout time.Duration
	// IdleTimeout closes a connection that saw no packet for this long, in
	// capture time (default 2 minutes).
	IdleTimeout time.Duration
	// MaxConns caps the connections being reassembled at once (default
	// 262,144): past it, the least recently seen tenth are closed early
	// (EndEvicted), delivering what they hold, so that a flood of new
	// connections cannot grow memory without bound.
	MaxConns int
}

// Defaults for Config fields left zero.
const (
	DefaultMaxBufferedPerConn = 1 << 20
	DefaultMaxBufferedTotal   = 64 << 20
	DefaultGapTimeout         = 5 * time.Second
	DefaultIdleTimeout        = 2 * time.Minute
	DefaultMaxConns           = 1 << 18
)

// pageBytes is gopacket reassembly's buffer page size, used to turn byte
// caps into page caps.
const pageBytes = 1900

// Handler is told about each new connection. Open returns the
// ConnHandler that receives the connection's data, or nil to keep only the
// connection's counters (Close is then not called either; use Assembler's
// OnClose).
type Handler interface {
	Open(c *Conn) ConnHandler
}

// ConnHandler receives one connection's reassembled bytes.
type ConnHandler interface {
	// Data is called with the next contiguous bytes of one direction.
	// ch.Data is valid only until Data returns.
	Data(c *Conn, ch Chunk)
	// Close is called once when the connection ends; c holds its final
	// counters. No Data call follows.
	Close(c *Conn)
}

// Dir is a direction within a connection.
type Dir uint8

// Directions.
const (
	ClientToServer Dir = 0
	ServerToClient Dir = 1
)

// String names the direction: "client>server" or "server>client".
func (d Dir) String() string {
	if d == ClientToServer {
		return "client>server"
	}
	return "server>client"
}

// EndReason says how a connection ended.
type EndReason uint8

// End reasons. A connection that saw an RST ended by RST, else one that saw
// a FIN (in either direction) by FIN; others were closed by the idle
// timeout or at the end of input.
const (
	EndNone EndReason = iota // still open
	EndFIN
	EndRST
	EndTimeout
	EndEOF
	EndEvicted // closed early to keep under Config.MaxConns
)

// String is the reason as printed by wirekit streams: fin, rst, timeout,
// eof, or open.
func (e EndReason) String() string {
	switch e {
	case EndFIN:
		return "fin"
	case EndRST:
		return "rst"
	case EndTimeout:
		return "timeout"
	case EndEOF:
		return "eof"
	case EndEvicted:
		return "evicted"
	}
	return "open"
}

// Chunk is a run of contiguous bytes of one direction.
type Chunk struct {
	Dir  Dir
	Data []byte
	// Lost is the number of bytes missing between the previous chunk of
	// this direction and Data (0: none).
	Lost int
	// Time is the capture time of the packet that made Data available in
	// order (for bytes that arrived in order, their own packet).
	Time time.Time
	// End is set on the last chunk of a direction closed by FIN or RST.
	End bool
	// PeerAcked is the offset in the other direction's byte stream (the
	// bytes delivered and lost so far in that direction count from 0) up
	// to which the packet that released Data acknowledges, when
	// PeerAckKnown (the packet had an ACK and the other direction has been
	// seen). Above the
	// other direction's current offset, it acknowledges bytes the capture
	// holds later (reordered between directions) or lost: a response whose
	// request is still to come.
	PeerAcked    int64
	PeerAckKnown bool
	// Marks say, when Data joins the bytes of several packets (a hole
	// filled releases the segments buffered behind it), what each later
	// packet acknowledged, from the offset in Data where its bytes
	// begin, in order. The first packet's is PeerAcked. Like Data, Marks
	// are valid only during the Data call.
	Marks []AckMark
}

// AckMark is what the packet carrying a Chunk's bytes from Off on
// acknowledged of the other direction (see Chunk.PeerAcked).
type AckMark struct {
	Off       int
	PeerAcked int64
	Known     bool
}

// PeerAckedAt returns what the packet that carried Data[i] acknowledged of
// the other direction: PeerAcked and PeerAckKnown, or the mark in Marks
// that covers i. A protocol parser uses it for a message that begins
// inside a chunk, whose packet may have been sent well after the chunk's
// first byte.
func (c *Chunk) PeerAckedAt(i int) (int64, bool) {
	acked, known := c.PeerAcked, c.PeerAckKnown
	for _, m := range c.Marks {
		if m.Off > i {
			break
		}
		acked, known = m.PeerAcked, m.Known
	}
	return acked, known
}

// Half holds one direction's counters.
type Half struct {
	Packets int64 // packets sent this way (including pure ACKs)
	Bytes   int64 // payload bytes delivered in order
	// Retransmissions counts segments carrying bytes already received.
	Retransmissions int64
	// OutOfOrder counts segments that arrived after bytes that follow
	// them (they filled a hole: reordering, or a lost segment sent
	// again). Segments after a hole that is never filled are not counted;
	// the hole is in Missing.
	OutOfOrder int64
	// Missing is the number of bytes skipped over as never received.
	Missing int64
	// Overflow is the part of Missing skipped early because a buffer cap
	// was reached rather than after GapTimeout.
	Overflow int64
	// FIN and RST say whether this side sent them.
	FIN, RST bool
}

// Conn is one TCP connection. Its fields are updated as packets come;
// they are final when ConnHandler.Close is called.
type Conn struct {
	// ID numbers connections from 0 in the order their first packet was
	// seen.
	ID             uint64
	Client, Server netip.AddrPort
	// Handshake is set when the client's SYN was seen.
	Handshake bool
	First     time.Time // first packet
	Last      time.Time // last packet
	Half      [2]Half   // indexed by Dir
	End       EndReason
}

// Duration is the time from the first packet to the last.
func (c *Conn) Duration() time.Duration { return c.Last.Sub(c.First) }

// Stats counts what an Assembler saw.
type Stats struct {
	Packets   int64 // packets given to Packet
	TCP       int64 // TCP segments reassembled
	Fragments int64 // IP fragments (not reassembled; ignored)
	Malformed int64 // IP or TCP headers that did not decode
	Truncated int64 // TCP segments cut short by the snap length
	Conns     int64 // connections opened
	Open      int64 // connections open now
	Overflow  int64 // bytes skipped because a buffer cap was reached
	Evicted   int64 // connections closed early to keep under MaxConns
	// Retransmissions and OutOfOrder add up the connections' Half
	// counters of the same names as segments arrive, so that a caller can
	// place them in time (packet by packet) before the connections end.
	Retransmissions int64
	OutOfOrder      int64
}

// Assembler turns packets into connections and their byte streams. It is
// not safe for concurrent use.
type Assembler struct {
	cfg       Config
	h         Handler
	onClose   func(c *Conn)
	pool      *reassembly.StreamPool
	asm       *reassembly.Assembler
	ctx       pktCtx
	tcp       layers.TCP
	lastFlush time.Time
	now       time.Time
	flushing  EndReason
	stats     Stats
	// pending holds connections whose both directions ended, reported a
	// second (of capture time) later so that the last ACK is counted.
	pending []*tcpStream
	// live holds the connections gopacket's pool still reassembles.
	live map[*tcpStream]struct{}
	// held holds the handler calls of a flush in progress (see flush).
	held []heldCall
}

// New returns an Assembler that calls h for each connection. h may be nil
// to keep counters only; onClose, if not nil, is called with every
// connection as it ends (after its ConnHandler's Close).
func New(cfg *Config, h Handler, onClose func(c *Conn)) *Assembler {
	a := &Assembler{h: h, onClose: onClose, live: map[*tcpStream]struct{}{}}
	if cfg != nil {
		a.cfg = *cfg
	}
	if a.cfg.MaxBufferedPerConn <= 0 {
		a.cfg.MaxBufferedPerConn = DefaultMaxBufferedPerConn
	}
	if a.cfg.MaxBufferedTotal <= 0 {
		a.cfg.MaxBufferedTotal = DefaultMaxBufferedTotal
	}
	if a.cfg.GapTimeout <= 0 {
		a.cfg.GapTimeout = DefaultGapTimeout
	}
	if a.cfg.IdleTimeout <= 0 {
		a.cfg.IdleTimeout = DefaultIdleTimeout
	}
	if a.cfg.MaxConns <= 0 {
		a.cfg.MaxConns = DefaultMaxConns
	}
	a.pool = reassembly.NewStreamPool(factory{a})
	a.asm = reassembly.NewAssembler(a.pool)
	a.asm.MaxBufferedPagesPerConnection = max(1, a.cfg.MaxBufferedPerConn/pageBytes)
	a.asm.MaxBufferedPagesTotal = max(1, a.cfg.MaxBufferedTotal/pageBytes)
	return a
}

// Stats returns the counters so far.
func (a *Assembler) Stats() Stats { return a.stats }

// Packet feeds one captured packet of link type lt. Packets that are not
// TCP over IPv4 or IPv6 are ignored; malformed ones are counted in Stats.
// data is not kept after Packet returns. Packets should come in capture
// order: idle and gap timeouts follow their timestamps.
func (a *Assembler) Packet(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) {
	a.stats.Packets++
	if ci.Timestamp.After(a.now) {
		a.now = ci.Timestamp
	}
	a.tick(ci.Timestamp)
	off := ipStart(lt, data)
	if off < 0 {
		return
	}
	src, dst, seg, frag, ok := tcpSegment(data[off:])
	if !ok {
		if frag {
			a.stats.Fragments++
		}
		return
	}
	a.IP(ci, src, dst, seg)
}

// IP feeds one TCP segment (seg, from its TCP header on) sent from the IP
// address src to dst (4 or 16 bytes each). Packet calls it after removing
// the link and IP headers; call it directly for sources without them.
func (a *Assembler) IP(ci gopacket.CaptureInfo, src, dst, seg []byte) {
	if err := a.tcp.DecodeFromBytes(seg, gopacket.NilDecodeFeedback); err != nil {
		a.stats.Malformed++
		return
	}
	// A segment the snap length cut: the IP length says more bytes were
	// sent than the capture holds. What is held is delivered; the rest
	// becomes a gap.
	if ci.Length > ci.CaptureLength {
		a.stats.Truncated++
	}
	et := layers.EndpointIPv4
	if len(src) == 16 {
		et = layers.EndpointIPv6
	}
	a.stats.TCP++
	a.ctx.ci = ci
	a.asm.AssembleWithContext(gopacket.NewFlow(et, src, dst), &a.tcp, &a.ctx)
	if len(a.live) > a.cfg.MaxConns {
		a.evict()
	}
}

// evict closes the least recently seen connections, down to nine tenths
// of MaxConns (so that it does not run again at the next packet). Ties at
// the cut are closed too.
func (a *Assembler) evict() {
	keep := a.cfg.MaxConns - a.cfg.MaxConns/10
	lasts := make([]time.Time, 0, len(a.live))
	for s := range a.live {
		lasts = append(lasts, s.c.Last)
	}
	slices.SortFunc(lasts, time.Time.Compare)
	cut := lasts[len(lasts)-keep-1].Add(time.Nanosecond)
	before := len(a.live)
	a.flush(EndEvicted, func() { a.asm.FlushWithOptions(reassembly.FlushOptions{T: cut, TC: cut}) })
	a.stats.Evicted += int64(before - len(a.live))
}

// Advance tells the Assembler that capture time has reached now without a
// packet (a live capture that is quiet), so that idle connections close and
// old gaps are given up on as if a packet had come.
func (a *Assembler) Advance(now time.Time) {
	if now.After(a.now) {
		a.now = now
	}
	a.tick(now)
}

// tick closes idle connections and gives up on old gaps, at most once per
// second of capture time.
func (a *Assembler) tick(now time.Time) {
	if a.lastFlush.IsZero() {
		a.lastFlush = now
		return
	}
	if now.Sub(a.lastFlush) < time.Second {
		return
	}
	a.lastFlush = now
	a.flush(EndTimeout, func() {
		a.asm.FlushWithOptions(reassembly.FlushOptions{
			T:  now.Add(-a.cfg.GapTimeout),
			TC: now.Add(-a.cfg.IdleTimeout),
		})
	})
	a.report(now.Add(-time.Second))
}

// report ends the pending connections closed before t (all when t is
// zero).
func (a *Assembler) report(t time.Time) {
	keep := a.pending[:0]
	for _, s := range a.pending {
		if t.IsZero() || s.closedAt.Before(t) {
			s.end()
		} else {
			keep = append(keep, s)
		}
	}
	clear(a.pending[len(keep):])
	a.pending = keep
}

// Flush ends input: every open connection delivers what it holds and is
// closed (EndEOF unless it saw FIN or RST).
func (a *Assembler) Flush() {
	a.flush(EndEOF, func() { a.asm.FlushAll() })
	a.report(time.Time{})
}

// flush runs one of gopacket's flushes, which walk its connections in the
// order of a map (it changes from run to run), and then makes the handler
// calls it caused in the order of the connections' IDs, so that the same
// capture always gives the same calls (a Data call made so sees the
// Conn's counters as the whole flush left them). Connections it left
// pending are put in that order too.
func (a *Assembler) flush(why EndReason, walk func()) {
	a.flushing = why
	pend := len(a.pending)
	walk()
	a.flushing = EndNone
	slices.SortStableFunc(a.held, func(x, y heldCall) int { return cmp.Compare(x.s.c.ID, y.s.c.ID) })
	for i := range a.held {
		hc := &a.held[i]
		if hc.close {
			hc.s.closed()
		} else {
			hc.s.h.Data(&hc.s.c, hc.ch)
		}
	}
	clear(a.held)
	a.held = a.held[:0]
	slices.SortStableFunc(a.pending[pend:], func(x, y *tcpStream) int { return cmp.Compare(x.c.ID, y.c.ID) })
}

// heldCall is a handler call held back during a flush (see flush): Data
// with its own copy of the chunk's bytes and marks, or Close (and
// onClose) when close is set.
type heldCall struct {
	s     *tcpStream
	ch    Chunk
	close bool
}

// pktCtx carries the current packet's CaptureInfo into gopacket's
// reassembly. One is reused for every packet, so buffered bytes report the
// time of the packet that released them.
type pktCtx struct{ ci gopacket.CaptureInfo }

// GetCaptureInfo implements reassembly.AssemblerContext.
func (p *pktCtx) GetCaptureInfo() gopacket.CaptureInfo { return p.ci }

type factory struct{ a *Assembler }

// New implements reassembly.StreamFactory: it orients and numbers a new
// connection and opens its handler.
func (f factory) New(netFlow, tcpFlow gopacket.Flow, t *layers.TCP, ac reassembly.AssemblerContext) reassembly.Stream {
	a := f.a
	s := &tcpStream{a: a}
	src := addrPort(netFlow.Src().Raw(), uint16(t.SrcPort))
	dst := addrPort(netFlow.Dst().Raw(), uint16(t.DstPort))
	switch {
	case t.SYN && !t.ACK:
	case t.SYN && t.ACK:
		s.swap = true
	case t.SrcPort < t.DstPort:
		s.swap = true
	}
	s.c.Client, s.c.Server = src, dst
	if s.swap {
		s.c.Client, s.c.Server = dst, src
	}
	s.c.ID = uint64(a.stats.Conns)
	ts := ac.GetCaptureInfo().Timestamp
	s.c.First, s.c.Last = ts, ts
	a.stats.Conns++
	a.stats.Open++
	a.live[s] = struct{}{}
	if a.h != nil {
		s.h = a.h.Open(&s.c)
	}
	return s
}

func addrPort(ip []byte, port uint16) netip.AddrPort {
	addr, _ := netip.AddrFromSlice(ip)
	return netip.AddrPortFrom(addr, port)
}

// segAck records the acknowledgement a buffered segment carried.
type segAck struct {
	seq, end, ack uint32
	acked         bool
}

// maxQueuedAcks bounds the segAck record of one direction.
const maxQueuedAcks = 256

// tcpStream is one connection as gopacket's reassembly sees it.
type tcpStream struct {
	a       *Assembler
	c       Conn
	h       ConnHandler
	swap    bool      // gopacket's client (first sender) is our server
	isn     [2]uint32 // first sequence number of each direction's data
	known   [2]bool   // isn is set
	ack     [2]uint32 // last acknowledgement sent in each direction
	acked   [2]bool
	hi      [2]reassembly.Sequence // end of the highest segment seen each way
	hiKnown [2]bool
	queued  [2][]segAck // acknowledgements of segments buffered out of order
	marks   []AckMark   // buffer for Chunk.Marks
	// rstDir sent the reset that ended the connection; rstAck is what it
	// acknowledged of the other direction (when rstAcked).
	rstDir   Dir
	rstAck   uint32
	rstAcked bool
	done     bool // both directions ended; waiting in Assembler.pending
	reported bool
	closedAt time.Time
	reason   EndReason // flush that closed it, if any
}

func (s *tcpStream) dir(d reassembly.TCPFlowDirection) Dir {
	if (d == reassembly.TCPDirClientToServer) != s.swap {
		return ClientToServer
	}
	return ServerToClient
}

// Accept implements reassembly.Stream: it counts every packet and starts
// directions whose SYN was not captured.
func (s *tcpStream) Accept(t *layers.TCP, ci gopacket.CaptureInfo, dir reassembly.TCPFlowDirection, nextSeq reassembly.Sequence, start *bool, ac reassembly.AssemblerContext) bool {
	if s.reported {
		return false
	}
	d := s.dir(dir)
	h := &s.c.Half[d]
	h.Packets++
	if ci.Timestamp.After(s.c.Last) {
		s.c.Last = ci.Timestamp
	}
	if s.done && !s.beforeReset(d, t) {
		// The last ACK of a closed connection, or a late segment: count
		// it, but the stream is over.
		h.RST = h.RST || t.RST
		return false
	}
	if t.SYN && !t.ACK && d == ClientToServer {
		s.c.Handshake = true
	}
	h.FIN = h.FIN || t.FIN
	h.RST = h.RST || t.RST
	if t.ACK {
		s.ack[d], s.acked[d] = t.Ack, true
	}
	if nextSeq == -1 {
		if !t.SYN && d == ServerToClient && s.c.Handshake && s.a.flushing == EndNone {
			// The client's SYN was seen, the server's SYN-ACK not
			// yet: this segment was captured before it (the capture
			// reordered the directions). gopacket keeps it until the
			// SYN-ACK starts the direction, or a flush gives up on it.
			if n := len(t.Payload); n > 0 && len(s.queued[d]) < maxQueuedAcks {
				s.queued[d] = append(s.queued[d], segAck{t.Seq, t.Seq + uint32(n), t.Ack, t.ACK})
			}
			return true
		}
		// No SYN seen this way: start at the first segment.
		*start = true
		s.isn[d], s.known[d] = t.Seq, true
		if t.SYN {
			s.isn[d]++
		}
		s.seen(d, t)
		return true
	}
	if n := len(t.Payload); n > 0 {
		seq := reassembly.Sequence(t.Seq)
		switch {
		case nextSeq.Difference(seq) < 0:
			h.Retransmissions++ // bytes already delivered
			s.a.stats.Retransmissions++
		case s.hiKnown[d] && seq.Difference(s.hi[d]) > 0:
			h.OutOfOrder++ // later bytes came first
			s.a.stats.OutOfOrder++
		}
		if nextSeq.Difference(seq) > 0 && len(s.queued[d]) < maxQueuedAcks {
			// Buffered: remember what it acknowledged for when it is
			// delivered.
			s.queued[d] = append(s.queued[d], segAck{t.Seq, t.Seq + uint32(n), t.Ack, t.ACK})
		}
	}
	s.seen(d, t)
	return true
}

// seen raises the highest sequence seen in direction d.
func (s *tcpStream) seen(d Dir, t *layers.TCP) {
	if len(t.Payload) == 0 {
		return
	}
	end := reassembly.Sequence(t.Seq).Add(len(t.Payload))
	if !s.hiKnown[d] || s.hi[d].Difference(end) > 0 {
		s.hi[d], s.hiKnown[d] = end, true
	}
}

// ackMarks returns what each buffered segment whose bytes begin after
// start, within the n bytes delivered, acknowledged, ordered by offset. It
// reuses one buffer per stream.
func (s *tcpStream) ackMarks(d Dir, start uint32, n int) []AckMark {
	m := s.marks[:0]
	for _, e := range s.queued[d] {
		off := int32(e.seq - start)
		if off <= 0 || int(off) >= n {
			continue
		}
		var a int64
		ok := false
		if e.acked {
			a, ok = s.peerAcked(d, e.ack)
		}
		m = append(m, AckMark{Off: int(off), PeerAcked: a, Known: ok})
	}
	slices.SortStableFunc(m, func(x, y AckMark) int { return x.Off - y.Off })
	s.marks = m
	return m
}

// carrierAck returns the acknowledgement number of the packet that carried
// the byte of direction d at sequence start: the current packet when it
// was delivered in order, or the one recorded when it was buffered out of
// order. ok is false when it is not known (bytes released by a flush, or
// out of the record).
func (s *tcpStream) carrierAck(d Dir, start uint32, n int) (ack uint32, ok bool) {
	q := s.queued[d]
	for _, e := range q {
		if int32(start-e.seq) >= 0 && int32(e.end-start) > 0 {
			ack, ok = e.ack, e.acked
			break
		}
	}
	// Forget what this delivery used up.
	keep := q[:0]
	for _, e := range q {
		if int32(e.end-(start+uint32(n))) > 0 {
			keep = append(keep, e)
		}
	}
	s.queued[d] = keep
	if ok {
		return ack, true
	}
	if s.a.flushing == EndNone && s.acked[d] {
		return s.ack[d], true
	}
	return 0, false
}

// peerAcked returns the offset in the other direction's stream that the
// acknowledgement number ack (sent in direction d) reaches, and whether it
// is one.
func (s *tcpStream) peerAcked(d Dir, ack uint32) (int64, bool) {
	o := 1 - d
	if !s.known[o] {
		return 0, false
	}
	h := &s.c.Half[o]
	done := h.Bytes + h.Missing
	ahead := int32(ack - (s.isn[o] + uint32(done)))
	if h.FIN && ahead > 0 {
		ahead-- // the FIN's sequence number
	}
	acked := done + int64(ahead)
	if acked < 0 || ahead > 1<<30 {
		return 0, false // not an acknowledgement of this stream
	}
	return acked, true
}

// ReassembledSG implements reassembly.Stream: it hands in-order bytes and
// gaps to the handler.
func (s *tcpStream) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	dir, _, end, skip := sg.Info()
	d := s.dir(dir)
	h := &s.c.Half[d]
	n, _ := sg.Lengths()
	if skip > 0 {
		h.Missing += int64(skip)
		if s.a.flushing == EndNone {
			h.Overflow += int64(skip)
			s.a.stats.Overflow += int64(skip)
		}
	}
	if n == 0 && skip <= 0 && !end {
		return
	}
	var data []byte
	if n > 0 {
		data = sg.Fetch(n)
	}
	h.Bytes += int64(n)
	if s.h != nil && !s.reported {
		var acked int64
		marks := s.ackMarks(d, s.isn[d]+uint32(h.Bytes-int64(n)+h.Missing), n)
		ack, known := s.carrierAck(d, s.isn[d]+uint32(h.Bytes-int64(n)+h.Missing), n)
		if known {
			acked, known = s.peerAcked(d, ack)
		}
		ch := Chunk{Dir: d, Data: data, Lost: max(skip, 0), Time: s.a.ctx.ci.Timestamp, End: end,
			PeerAcked: acked, PeerAckKnown: known, Marks: marks}
		if s.a.flushing != EndNone {
			ch.Data = bytes.Clone(ch.Data)
			ch.Marks = slices.Clone(ch.Marks)
			s.a.held = append(s.a.held, heldCall{s: s, ch: ch})
		} else {
			s.h.Data(&s.c, ch)
		}
	}
	if end && h.RST && !s.done {
		// A reset ends both directions: report the connection soon rather
		// than when the other direction times out, but after the other
		// direction's bytes still waiting behind a gap have been given up
		// on (GapTimeout).
		s.done = true
		s.closedAt = s.a.now.Add(s.a.cfg.GapTimeout)
		s.a.pending = append(s.a.pending, s)
		s.rstDir, s.rstAck, s.rstAcked = d, s.ack[d], s.acked[d]
	}
}

// beforeReset reports whether a segment of direction d arriving after the
// other direction's reset carries bytes the reset acknowledged: sent
// before it, and captured after it only because the capture reordered the
// two directions. Such a segment is still taken until the connection is
// reported (GapTimeout after the reset).
func (s *tcpStream) beforeReset(d Dir, t *layers.TCP) bool {
	if s.reported || !s.rstAcked || d == s.rstDir || len(t.Payload) == 0 || t.RST {
		return false
	}
	return int32(s.rstAck-t.Seq) > 0
}

// ReassemblyComplete keeps the connection in gopacket's pool (false), so
// that its last packets are not taken for a new connection; it leaves the
// pool at the idle timeout, or when a SYN reuses its ports.
func (s *tcpStream) ReassemblyComplete(ac reassembly.AssemblerContext) bool {
	if !s.done {
		s.done = true
		delete(s.a.live, s)
		s.closedAt = s.a.now
		s.reason = s.a.flushing
		if s.reason != EndNone {
			s.end() // the idle timeout or the end of input: nothing follows
		} else {
			s.a.pending = append(s.a.pending, s)
		}
	}
	return false
}

// end reports the connection to the handlers.
func (s *tcpStream) end() {
	if s.reported {
		return
	}
	s.reported = true
	c := &s.c
	switch {
	case c.Half[0].RST || c.Half[1].RST:
		c.End = EndRST
	case c.Half[0].FIN || c.Half[1].FIN:
		c.End = EndFIN
	case s.reason != EndNone:
		c.End = s.reason
	default:
		c.End = EndEOF
	}
	s.a.stats.Open--
	if s.a.flushing != EndNone {
		s.a.held = append(s.a.held, heldCall{s: s, close: true})
		return
	}
	s.closed()
}

// closed tells the handler and the onClose function that the connection
// ended.
func (s *tcpStream) closed() {
	if s.h != nil {
		s.h.Close(&s.c)
	}
	if s.a.onClose != nil {
		s.a.onClose(&s.c)
	}
}

// String gives a one-line summary of the connection.
func (c *Conn) String() string {
	return fmt.Sprintf("%d %s <> %s %s", c.ID, c.Client, c.Server, c.End)
}
