package http

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/stream"
)

// h2Preface is what an HTTP/2 client sends first (RFC 9113 3.4).
const h2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// HTTP/2 frame types and flags this parser acts on.
const (
	h2Data         = 0
	h2Headers      = 1
	h2RSTStream    = 3
	h2Settings     = 4
	h2PushPromise  = 5
	h2GoAway       = 7
	h2Continuation = 9

	h2EndStream  = 0x1
	h2Ack        = 0x1
	h2EndHeaders = 0x4
	h2Padded     = 0x8
	h2Priority   = 0x20
)

// Bounds on what one HTTP/2 connection holds.
const (
	h2MaxFrame      = 1<<24 - 1 // the largest frame length (RFC 9113 4.2)
	h2MaxOpen       = 1000      // open streams; past it the oldest is emitted
	h2MaxHeaderList = 1 << 20   // a header block's fragments
	h2MaxConts      = 1000      // CONTINUATION frames in one header block
)

// h2Conn reads one HTTP/2 connection's frames in both directions and
// pairs each stream's request and response into a Transaction.
type h2Conn struct {
	cp      *connParser
	dir     [2]h2Dir
	streams map[uint32]*h2Stream
	open    []uint32 // stream IDs in the order they opened
	// Notes about the connection (GOAWAY, lost bytes), added to the
	// transactions still open when they happen.
	goAway string
	// try: the connection was picked up mid-stream and no frame boundary
	// was found yet; until one is, it may not be HTTP/2 at all.
	try bool
	// mid: some of the connection was not seen (its start, or bytes lost
	// in a gap): streams may lack their request.
	mid bool
	// fromStart: the connection was seen from its start (the client's
	// preface): what was lost, was lost in gaps.
	fromStart bool
	skipped   int64 // bytes passed over to find frame boundaries
	// swap: the stream layer took the server for the client (it guesses
	// from port numbers when the handshake was not captured); the header
	// blocks said otherwise. roleKnown: a block said.
	swap, roleKnown bool
	maxReq          uint32 // highest stream ID of a request seen
	waiting         int    // streams with noReq whose response ended
	lostB           int64  // bytes lost in capture gaps
	fields          []hpack.HeaderField
}

type h2Dir struct {
	buf      []byte  // a frame's bytes not complete yet
	bufp     *[]byte // where buf came from (h2BufPool), or nil
	preface  int     // client: bytes of the preface still expected
	dec      *hpack.Decoder
	block    []byte // header block being assembled (HEADERS + CONTINUATION)
	blockBuf []byte // block's storage, kept for the next block
	blockID  uint32
	blockES  bool   // the HEADERS that started block had END_STREAM
	promise  uint32 // PUSH_PROMISE: the promised stream of block, else 0
	conts    int    // CONTINUATION frames in block
	dead     string // why this direction is no longer read
	noted    bool   // dead was given as a transaction's note
	// Finding frame boundaries (a connection picked up mid-stream, or
	// after a gap): sync is set while searching sbuf.
	sync      bool
	sbuf      []byte
	sparts    []syncPart // when sbuf's bytes came
	find      h2Finder
	searched  int64 // bytes searched so far
	skipped   int64 // bytes of this direction passed over
	afterSync bool  // the first frames after a boundary was found: a CONTINUATION without its HEADERS is skipped
	// lost says why the decoder's dynamic table is a placeholder one:
	// "" (it is not), "mid" (the connection's start or bytes were lost)
	// or "hpack" (a block failed to decode: hpackErr says why).
	lost     string
	hpackErr string
	prime    bool // the placeholder table is still to be made (loseTable)
}

type h2Stream struct {
	id    uint32
	tx    *Transaction
	body  [2][]byte // kept DATA bytes: request, response
	cut   [2]bool
	ended [2]bool
	grpc  [2]grpcReader
	reset string
	note  string // what the loss of header compression state did to it
	// noReq: a response whose request was not seen (yet): the client's
	// direction may still be searching for frames, its request may come.
	noReq bool
	waits bool // noReq, and its response ended: counted in h2Conn.waiting
}

// newH2 starts reading HTTP/2 on a connection. preface says the client's
// preface is still to come (prior knowledge: its first bytes; after an
// Upgrade: h2c, the bytes after the request).
func newH2(cp *connParser, preface bool) *h2Conn {
	h := &h2Conn{cp: cp, streams: map[uint32]*h2Stream{}, fromStart: preface}
	for d := range h.dir {
		h.dir[d].dec = hpack.NewDecoder(4096, nil)
		h.dir[d].dec.SetMaxStringLength(cp.p.cfg.MaxHeaderBytes)
		h.dir[d].dec.SetEmitFunc(h.emit)
	}
	if preface {
		h.dir[stream.ClientToServer].preface = len(h2Preface)
	}
	return h
}

// newH2Mid starts reading a connection picked up mid-stream that may be
// HTTP/2: each direction is searched for a frame boundary, and the header
// decoders start with the dynamic table lost.
func newH2Mid(cp *connParser) *h2Conn {
	h := newH2(cp, false)
	h.try, h.mid = true, true
	for d := range h.dir {
		h.dir[d].sync = true
		h.loseTable(stream.Dir(d), "mid")
	}
	return h
}

// feed reads the next bytes of direction d.
func (h *h2Conn) feed(d stream.Dir, data []byte, t time.Time) {
	x := &h.dir[d]
	if x.dead != "" {
		h.cp.p.stats.SkippedBytes += int64(len(data))
		return
	}
	if x.sync {
		h.syncFeed(d, data, t)
		return
	}
	if x.preface > 0 {
		n := min(x.preface, len(data))
		off := len(h2Preface) - x.preface
		if string(data[:n]) != h2Preface[off:off+n] {
			x.dead = "the client's HTTP/2 preface is wrong"
			return
		}
		x.preface -= n
		data = data[n:]
	}
	h.frames(d, data, t)
}

// frames reads direction d's bytes as frames.
func (h *h2Conn) frames(d stream.Dir, data []byte, t time.Time) {
	x := &h.dir[d]
	for len(data) > 0 && x.dead == "" {
		if len(x.buf) == 0 && len(data) >= 9 {
			// Whole frames straight from data, without copying.
			n := 9 + int(uint32(data[0])<<16|uint32(data[1])<<8|uint32(data[2]))
			if len(data) >= n {
				h.frame(d, data[:n], t)
				data = data[n:]
				continue
			}
		}
		if x.bufp == nil {
			// One buffer for the usual frame sizes, held only while a
			// frame is incomplete: connections are many and mostly idle.
			x.bufp = h2BufPool.Get().(*[]byte)
			x.buf = append((*x.bufp)[:0], x.buf...)
		}
		if len(x.buf) < 9 {
			k := min(9-len(x.buf), len(data))
			x.buf = append(x.buf, data[:k]...)
			data = data[k:]
			if len(x.buf) < 9 {
				return
			}
		}
		n := 9 + int(uint32(x.buf[0])<<16|uint32(x.buf[1])<<8|uint32(x.buf[2]))
		k := min(n-len(x.buf), len(data))
		x.buf = append(x.buf, data[:k]...)
		data = data[k:]
		if len(x.buf) == n {
			h.frame(d, x.buf, t)
			x.buf = x.buf[:0]
			x.release()
		}
	}
}

// h2BufPool holds buffers for frames split across segments.
var h2BufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 9+h2SyncMaxLen)
	return &b
}}

// release gives buf back to h2BufPool once it is empty (a larger frame
// grew it: then it is dropped).
func (x *h2Dir) release() {
	if x.bufp == nil || len(x.buf) > 0 {
		return
	}
	if cap(x.buf) == 9+h2SyncMaxLen {
		*x.bufp = x.buf[:0]
		h2BufPool.Put(x.bufp)
	}
	x.bufp, x.buf = nil, nil
}

// gap handles n bytes of direction d lost: the frame they were in and
// the header compression state are lost; the direction is searched for
// the next frame boundary and read on from there, with the dynamic table
// unknown.
func (h *h2Conn) gap(d stream.Dir, n int) {
	x := &h.dir[d]
	if x.dead != "" {
		return
	}
	r := h.role(d)
	for _, id := range h.open {
		if s := h.streams[id]; s != nil {
			if m := h.msg(s, r); m != nil && !s.ended[r] {
				m.Missing += int64(n)
			}
		}
	}
	h.lostB += int64(n)
	h.mid = true
	if x.sync {
		// The bytes held are not contiguous with what follows.
		h.skip(d, int64(len(x.sbuf)))
		x.sbuf, x.sparts = x.sbuf[:0], x.sparts[:0]
		return
	}
	x.sync, x.buf, x.block, x.sbuf = true, x.buf[:0], nil, x.sbuf[:0]
	x.release()
	h.loseTable(d, "mid")
}

// frame handles one whole frame f (9-byte header and payload).
func (h *h2Conn) frame(d stream.Dir, f []byte, t time.Time) {
	x := &h.dir[d]
	r := h.role(d)
	typ, flags := f[3], f[4]
	id := binary.BigEndian.Uint32(f[5:9]) & 0x7fffffff
	p := f[9:]
	if x.afterSync {
		if typ == h2Continuation && x.block == nil {
			// The rest of a header block whose start was not seen.
			if flags&h2EndHeaders != 0 {
				x.afterSync = false
			}
			return
		}
		x.afterSync = false
	}
	if x.block != nil && typ != h2Continuation {
		x.dead = "a header block was interrupted by another frame"
		return
	}
	switch typ {
	case h2Data:
		p, ok := unpad(p, flags)
		if !ok {
			x.dead = "a DATA frame's padding is longer than the frame"
			return
		}
		s := h.streams[id]
		if s == nil {
			return // a stream opened before the capture: nothing to pair
		}
		h.data(s, r, p, flags&h2EndStream != 0, t)
	case h2Headers:
		p, ok := unpad(p, flags)
		if ok && flags&h2Priority != 0 {
			if len(p) < 5 {
				ok = false
			} else {
				p = p[5:]
			}
		}
		if !ok {
			x.dead = "a HEADERS frame is shorter than its padding and priority"
			return
		}
		x.blockID, x.blockES, x.promise, x.conts = id, flags&h2EndStream != 0, 0, 0
		if flags&h2EndHeaders != 0 {
			x.block = p[:len(p):len(p)] // the whole block: decoded from the frame, not copied
			h.headers(d, t)
		} else {
			x.block = append(x.blockBuf[:0], p...)
		}
	case h2PushPromise:
		p, ok := unpad(p, flags)
		if !ok || len(p) < 4 {
			x.dead = "a PUSH_PROMISE frame is too short"
			return
		}
		x.blockID, x.blockES, x.conts = id, false, 0
		x.promise = binary.BigEndian.Uint32(p) & 0x7fffffff
		if flags&h2EndHeaders != 0 {
			x.block = p[4:len(p):len(p)]
			h.headers(d, t)
		} else {
			x.block = append(x.blockBuf[:0], p[4:]...)
		}
	case h2Continuation:
		if x.block == nil || id != x.blockID {
			x.dead = "a CONTINUATION frame without its HEADERS"
			return
		}
		if len(x.block)+len(p) > h2MaxHeaderList {
			x.dead = fmt.Sprintf("a header block (stream %d) larger than %d bytes", id, h2MaxHeaderList)
			return
		}
		if x.conts++; x.conts > h2MaxConts {
			x.dead = fmt.Sprintf("a header block (stream %d) of more than %d CONTINUATION frames", id, h2MaxConts)
			return
		}
		x.block = append(x.block, p...)
		if cap(x.block) <= h2MaxHeaderList {
			x.blockBuf = x.block[:0] // kept for the next block split across frames
		}
		if flags&h2EndHeaders != 0 {
			h.headers(d, t)
		}
	case h2RSTStream:
		if s := h.streams[id]; s != nil && len(p) >= 4 {
			s.reset = fmt.Sprintf("stream reset by the %s: %s", sideName(r), h2ErrName(binary.BigEndian.Uint32(p)))
			h.end(s, t)
		}
	case h2Settings:
		if flags&h2Ack != 0 {
			return
		}
		for ; len(p) >= 6; p = p[6:] {
			if binary.BigEndian.Uint16(p) == 1 { // HEADER_TABLE_SIZE
				// Limits what the other side's encoder may use.
				h.dir[1-d].dec.SetAllowedMaxDynamicTableSize(binary.BigEndian.Uint32(p[2:]))
			}
		}
	case h2GoAway:
		if len(p) >= 8 {
			h.goAway = fmt.Sprintf("GOAWAY from the %s: %s, last stream %d", sideName(r), h2ErrName(binary.BigEndian.Uint32(p[4:])), binary.BigEndian.Uint32(p)&0x7fffffff)
		}
	}
}

func sideName(d stream.Dir) string {
	if d == stream.ClientToServer {
		return "client"
	}
	return "server"
}

// unpad strips a PADDED frame's pad length byte and padding.
func unpad(p []byte, flags byte) ([]byte, bool) {
	if flags&h2Padded == 0 {
		return p, true
	}
	if len(p) < 1 || int(p[0]) > len(p)-1 {
		return nil, false
	}
	return p[1 : len(p)-int(p[0])], true
}

// h2ErrName names an HTTP/2 error code (RFC 9113 7).
func h2ErrName(c uint32) string {
	names := [...]string{"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
		"STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR",
		"ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"}
	if int(c) < len(names) {
		return names[c]
	}
	return "error 0x" + strconv.FormatUint(uint64(c), 16)
}

// headers decodes a complete header block of direction d. A block that
// fails to decode keeps the fields before the failure; the decoder's
// table is lost from there on (loseTable), and the stream goes on.
func (h *h2Conn) headers(d stream.Dir, t time.Time) {
	x := &h.dir[d]
	block, id, es, promise := x.block, x.blockID, x.blockES, x.promise
	x.block = nil
	h.fields = h.fields[:0]
	_, err := x.dec.Write(block)
	if err == nil {
		err = x.dec.Close()
	}
	fields := h.fields
	// Placeholders (empty names) stand for the entries of a lost table.
	unknown := 0
	for _, f := range fields {
		if f.Name == "" {
			unknown++
		}
	}
	if unknown > 0 {
		k := 0
		for _, f := range fields {
			if f.Name != "" {
				fields[k] = f
				k++
			}
		}
		fields = fields[:k]
	}
	if h.mid && !h.roleKnown {
		// Which side is the client, from what the block holds.
		for _, f := range fields {
			if f.Name == ":method" || f.Name == ":status" {
				h.roleKnown = true
				h.swap = (f.Name == ":method") != (d == stream.ClientToServer)
				break
			}
		}
	}
	r := h.role(d)
	note := ""
	if unknown > 0 {
		note = h.lostNote(d)
	}
	if err != nil {
		// The decoder's table may now differ from the encoder's: what
		// follows in this block is unknown, and so are later fields that
		// use the table.
		unknown++
		note = fmt.Sprintf("HTTP/2 header compression (HPACK) failed on the %s's block: %v", sideName(r), err)
		h.loseTable(d, "hpack")
		x.hpackErr = err.Error()
	}
	h.cp.p.stats.UnknownHeaders += int64(unknown)
	if promise != 0 {
		// A pushed response's request, sent by the server.
		s := h.stream(promise, t)
		s.tx.Request = h.message(fields, len(block), true, t)
		s.tx.Request.UnknownHeaders = unknown
		s.ended[0] = true
		if s.note == "" {
			s.note = note
		}
		return
	}
	s := h.streams[id]
	req := r == stream.ClientToServer
	if s == nil {
		if !req && !h.mid && err == nil && (id <= h.maxReq || id%2 == 0) {
			return // a response on a stream already over (a late frame)
		}
		// (A response on a client stream not opened yet, the connection
		// seen from its start: the client's bytes come later, held back
		// by a gap or reordered; its request may still come.)
		if h.mid && err == nil && (!h.roleKnown || !startsMessage(fields, unknown, req)) {
			return // trailers, or a block that says too little, of a stream begun before
		}
		s = h.stream(id, t)
		if !req {
			// Its request was sent before the capture began, or lost, or
			// is still to be found in the client's bytes.
			s.noReq = true
			if note == "" && h.mid {
				note = h.lostNote(d)
			}
		}
	}
	if s.note == "" || err != nil {
		s.note = note
	}
	m := h.msg(s, r)
	if req && id > h.maxReq {
		h.maxReq = id
		if h.waiting > 0 {
			h.endWaiting(id, t)
		}
	}
	switch {
	case m == nil:
		m = h.message(fields, len(block), req, t)
		m.UnknownHeaders = unknown
		if req {
			s.tx.Request = m
			s.noReq = false
			if s.waits {
				s.waits = false
				h.waiting--
			}
		} else if m.Status >= 100 && m.Status < 200 {
			h.cp.p.stats.Interim++
			return // an interim response: the final one follows
		} else {
			s.tx.Response = m
			h.cp.p.stats.Responses++
		}
		s.grpc[r].on = strings.HasPrefix(m.Get("Content-Type"), "application/grpc")
	default:
		// Trailer fields.
		for _, f := range fields {
			m.Trailer = append(m.Trailer, Field{Name: f.Name, Value: f.Value})
		}
		m.HeaderBytes += len(block)
		m.UnknownHeaders += unknown
	}
	m.End = t
	if es {
		h.finishMsg(s, r, t)
	}
}

// role is the side that sends direction d.
func (h *h2Conn) role(d stream.Dir) stream.Dir {
	if h.swap {
		return 1 - d
	}
	return d
}

// startsMessage reports whether a decoded block of a stream not seen
// before can start a request (req) or a response: a response needs its
// :status; a request a pseudo-header, or a first field that used the lost
// table (the pseudo-headers come first).
func startsMessage(fields []hpack.HeaderField, unknown int, req bool) bool {
	for _, f := range fields {
		if !strings.HasPrefix(f.Name, ":") {
			break
		}
		if f.Name == ":status" {
			return !req
		}
		if req {
			return true
		}
	}
	return req && unknown > 0
}

// emit collects a decoded header field (the decoder's emit function).
func (h *h2Conn) emit(f hpack.HeaderField) { h.fields = append(h.fields, f) }

// lostNote says why direction d's header fields may be unknown.
func (h *h2Conn) lostNote(d stream.Dir) string {
	x := &h.dir[d]
	if x.lost == "hpack" {
		return fmt.Sprintf("HTTP/2 header compression (HPACK) failed earlier on the %s's side (%s): headers using the lost dynamic table are unknown", sideName(h.role(d)), x.hpackErr)
	}
	lost := ""
	if h.lostB > 0 {
		lost = fmt.Sprintf("%d bytes lost, ", h.lostB)
	}
	if h.fromStart {
		return fmt.Sprintf("%s: %s%d bytes skipped to the next frame; headers using the lost dynamic table are unknown", NoteGap, lost, h.skipped)
	}
	return fmt.Sprintf("%s: %s%d bytes skipped; headers using the lost dynamic table are unknown", NoteMidConnection, lost, h.skipped)
}

// stream opens stream id.
func (h *h2Conn) stream(id uint32, t time.Time) *h2Stream {
	if s := h.streams[id]; s != nil {
		return s
	}
	if len(h.open) >= h2MaxOpen {
		if old := h.streams[h.open[0]]; old != nil {
			old.reset = fmt.Sprintf("more than %d streams open: emitted before its end", h2MaxOpen)
			h.end(old, t)
		}
	}
	var s *h2Stream
	if p := h.cp.p; len(p.freeH2) > 0 {
		s = p.freeH2[len(p.freeH2)-1]
		p.freeH2 = p.freeH2[:len(p.freeH2)-1]
		s.id, s.tx = id, h.cp.newTx()
	} else {
		s = &h2Stream{id: id, tx: h.cp.newTx()}
	}
	s.tx.At = t
	if h.swap {
		s.tx.Client, s.tx.Server = s.tx.Server, s.tx.Client
	}
	h.streams[id] = s
	h.open = append(h.open, id)
	return s
}

// msg is the stream's message in direction d, or nil.
func (h *h2Conn) msg(s *h2Stream, d stream.Dir) *Message {
	if d == stream.ClientToServer {
		return s.tx.Request
	}
	return s.tx.Response
}

// message builds a Message from a decoded header block.
func (h *h2Conn) message(fields []hpack.HeaderField, n int, req bool, t time.Time) *Message {
	m := h.cp.p.newMsg()
	m.Proto, m.HeaderBytes, m.Start, m.End = "HTTP/2.0", n, t, t
	if cap(m.Header) < len(fields) {
		m.Header = make([]Field, 0, len(fields))
	}
	for _, f := range fields {
		switch f.Name {
		case ":method":
			m.Method = f.Value
		case ":path":
			m.URL = f.Value
		case ":status":
			m.Status, _ = strconv.Atoi(f.Value)
		}
		m.Header = append(m.Header, Field{Name: f.Name, Value: f.Value})
	}
	if req {
		h.cp.p.stats.Requests++
	}
	return m
}

// data adds a DATA frame's payload to the stream's message of direction d.
func (h *h2Conn) data(s *h2Stream, d stream.Dir, p []byte, end bool, t time.Time) {
	m := h.msg(s, d)
	if m == nil {
		return // DATA before HEADERS: a protocol error, or a capture gap
	}
	m.BodyBytes += int64(len(p))
	m.ContentBytes += int64(len(p))
	m.End = t
	s.grpc[d].feed(p, m)
	if h.cp.p.cfg.KeepBodies && !s.cut[d] {
		room := h.cp.p.cfg.MaxBodyBytes - len(s.body[d])
		if len(p) > room {
			p, s.cut[d] = p[:max(room, 0)], true
		}
		s.body[d] = append(s.body[d], p...)
	}
	if end {
		h.finishMsg(s, d, t)
	}
}

// finishMsg ends the message of direction d (END_STREAM).
func (h *h2Conn) finishMsg(s *h2Stream, d stream.Dir, t time.Time) {
	if s.ended[d] {
		return
	}
	s.ended[d] = true
	if m := h.msg(s, d); m != nil {
		m.Complete = m.Missing == 0 && !s.cut[d]
		m.End = t
		if h.cp.p.cfg.KeepBodies {
			decodeBody(m, s.body[d], s.cut[d], h.cp.p.cfg.MaxBodyBytes)
			s.body[d] = nil
		}
	}
	if s.noReq && s.ended[1] {
		if h.maxReq > s.id {
			h.end(s, t) // its request came before the capture
		} else if !s.waits {
			s.waits = true
			h.waiting++ // its request may still be found
		}
		return
	}
	if s.ended[0] && s.ended[1] {
		h.end(s, t)
	}
}

// endWaiting emits the responses waiting for a request whose stream is
// before id: their requests will not come.
func (h *h2Conn) endWaiting(id uint32, t time.Time) {
	for i := 0; i < len(h.open); i++ {
		if s := h.streams[h.open[i]]; s != nil && s.waits && s.id < id {
			h.end(s, t)
			i--
		}
	}
}

// end emits a stream's transaction and forgets the stream.
func (h *h2Conn) end(s *h2Stream, t time.Time) {
	if h.streams[s.id] != s {
		return
	}
	if s.waits {
		s.waits = false
		h.waiting--
	}
	for d := range s.ended {
		if m := h.msg(s, stream.Dir(d)); m != nil && !s.ended[d] && h.cp.p.cfg.KeepBodies {
			decodeBody(m, s.body[d], true, h.cp.p.cfg.MaxBodyBytes)
		}
	}
	if s.tx.Request == nil && s.note == "" && h.lostB > 0 {
		s.note = h.lostNote(h.role(stream.ClientToServer)) // its request was lost in a gap
	}
	note := s.reset
	if note == "" && !(s.ended[0] && s.ended[1]) && h.goAway != "" {
		note = h.goAway
	}
	switch {
	case s.note == "":
	case note == "":
		note = s.note
	default:
		note += "; " + s.note
	}
	s.tx.Note = note
	delete(h.streams, s.id)
	for i, id := range h.open {
		if id == s.id {
			h.open = append(h.open[:i], h.open[i+1:]...)
			break
		}
	}
	h.cp.done(s.tx)
	if p := h.cp.p; p.cfg.ReuseTransactions && len(p.freeH2) < maxFree {
		*s = h2Stream{}
		p.freeH2 = append(p.freeH2, s)
	}
}

// close emits every stream still open, in the order they opened. When
// a direction was given up and no stream is left to say why, it emits a
// transaction with neither message whose note says it.
func (h *h2Conn) close(t time.Time) {
	for d := range h.dir {
		x := &h.dir[d]
		switch {
		case x.dead != "":
		case len(x.buf) > 0:
			x.dead = fmt.Sprintf("the connection ended inside a frame (%d bytes of it)", len(x.buf))
		case x.block != nil:
			x.dead = fmt.Sprintf("the connection ended inside a header block (stream %d, %d bytes)", x.blockID, len(x.block))
		}
	}
	if len(h.open) == 0 {
		for d := range h.dir {
			if x := &h.dir[d]; x.dead != "" && !x.noted {
				s := h.stream(x.blockID, t)
				s.reset = "HTTP/2 " + sideName(h.role(stream.Dir(d))) + ": " + x.dead
				h.end(s, t)
			}
		}
	}
	for len(h.open) > 0 {
		s := h.streams[h.open[0]]
		if s == nil {
			h.open = h.open[1:]
			continue
		}
		if s.reset == "" {
			for d := range h.dir {
				if h.dir[d].dead != "" {
					s.reset = "HTTP/2 " + sideName(h.role(stream.Dir(d))) + ": " + h.dir[d].dead
					h.dir[d].noted = true
				}
			}
		}
		h.end(s, t)
	}
}

// grpcReader splits a gRPC message stream (RFC-less: gRPC over HTTP/2's
// length-prefixed messages) as DATA arrives.
type grpcReader struct {
	on   bool
	hdr  [5]byte
	have int   // bytes of hdr read
	left int64 // bytes of the current message still to come
}

func (g *grpcReader) feed(p []byte, m *Message) {
	if !g.on {
		return
	}
	for len(p) > 0 {
		if g.left > 0 {
			k := min(int64(len(p)), g.left)
			g.left -= k
			p = p[k:]
			continue
		}
		k := copy(g.hdr[g.have:], p)
		g.have += k
		p = p[k:]
		if g.have == 5 {
			g.have = 0
			n := binary.BigEndian.Uint32(g.hdr[1:])
			m.GRPCMessages = append(m.GRPCMessages, GRPCMessage{Compressed: g.hdr[0]&1 != 0, Length: int64(n)})
			g.left = int64(n)
		}
	}
}
