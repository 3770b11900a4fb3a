package http

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/wirekit/wirekit/stream"
)

// Config tunes a Parser. A nil *Config or a zero field means the default.
type Config struct {
	// MaxHeaderBytes caps a message's start line and header fields
	// (default 64 KiB).
	MaxHeaderBytes int
	// KeepBodies keeps decoded bodies in Message.Body.
	KeepBodies bool
	// MaxBodyBytes caps a kept body, before and after content decoding
	// (default 16 MiB).
	MaxBodyBytes int
	// MaxPending caps the requests waiting for a response on one
	// connection (default 1024); past it the oldest is emitted unanswered.
	MaxPending int
	// MaxBodiesTotal caps the body bytes held at once for messages still
	// in progress on all connections (default 256 MiB); past it, bodies
	// are cut (Message.BodyTruncated).
	MaxBodiesTotal int
}

// Defaults for Config fields left zero.
const (
	DefaultMaxHeaderBytes = 64 << 10
	DefaultMaxBodyBytes   = 16 << 20
	DefaultMaxPending     = 1024
	DefaultMaxBodiesTotal = 256 << 20
)

// Parser reads HTTP transactions from reassembled connections. It
// implements stream.Handler. It is not safe for concurrent use (nor is the
// stream.Assembler that calls it).
type Parser struct {
	cfg   Config
	emit  func(*Transaction)
	stats Stats
	held  int // body bytes held by messages in progress
}

// NewParser returns a Parser that calls emit with each transaction once
// both its messages are complete (or its connection ended). emit owns the
// Transaction.
func NewParser(cfg *Config, emit func(*Transaction)) *Parser {
	p := &Parser{emit: emit}
	if cfg != nil {
		p.cfg = *cfg
	}
	if p.cfg.MaxHeaderBytes <= 0 {
		p.cfg.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if p.cfg.MaxBodyBytes <= 0 {
		p.cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if p.cfg.MaxPending <= 0 {
		p.cfg.MaxPending = DefaultMaxPending
	}
	if p.cfg.MaxBodiesTotal <= 0 {
		p.cfg.MaxBodiesTotal = DefaultMaxBodiesTotal
	}
	return p
}

// Stats returns the counters so far.
func (p *Parser) Stats() Stats { return p.stats }

// Open starts parsing a connection (stream.Handler).
func (p *Parser) Open(c *stream.Conn) stream.ConnHandler {
	cp := &connParser{p: p}
	cp.half[stream.ClientToServer] = halfParser{cp: cp, dir: stream.ClientToServer, requests: true}
	cp.half[stream.ServerToClient] = halfParser{cp: cp, dir: stream.ServerToClient}
	return cp
}

// connParser pairs one connection's requests and responses.
type connParser struct {
	p       *Parser
	c       *stream.Conn
	half    [2]halfParser
	pending []*Transaction // requests without a response yet, oldest first
	next    int            // Index of the next transaction
	// early holds responses that came before their request: the packet
	// that carried them acknowledged request bytes not yet seen (the
	// capture has the two directions out of order).
	early     []*Transaction
	peerAcked int64 // Chunk.PeerAcked of the data being parsed, -1 if unknown
}

// Data parses a chunk of one direction (stream.ConnHandler).
func (cp *connParser) Data(c *stream.Conn, ch stream.Chunk) {
	cp.c = c
	cp.peerAcked = -1
	if ch.PeerAckKnown {
		cp.peerAcked = ch.PeerAcked
	}
	h := &cp.half[ch.Dir]
	if ch.Lost > 0 {
		h.gap(ch.Lost, ch.Time)
	}
	if len(ch.Data) > 0 {
		h.feed(ch.Data, ch.Time)
	}
	if ch.End {
		h.eof(ch.Time)
	}
}

// Close ends the connection: messages in progress end incomplete, and
// requests still waiting are emitted without a response (stream.ConnHandler).
func (cp *connParser) Close(c *stream.Conn) {
	cp.c = c
	for d := range cp.half {
		cp.half[d].eof(c.Last)
	}
	for _, tx := range cp.pending {
		cp.done(tx)
	}
	for _, tx := range cp.early {
		cp.done(tx)
	}
	cp.pending, cp.early = nil, nil
}

// newTx starts a transaction for a request.
func (cp *connParser) newTx() *Transaction {
	tx := &Transaction{Index: cp.next}
	cp.next++
	if cp.c != nil {
		tx.Conn, tx.Client, tx.Server = cp.c.ID, cp.c.Client, cp.c.Server
	}
	return tx
}

// done emits a transaction.
func (cp *connParser) done(tx *Transaction) {
	if tx.Request == nil {
		cp.p.stats.Unrequested++
	}
	if tx.Response == nil {
		cp.p.stats.Unanswered++
	}
	if cp.p.emit != nil {
		cp.p.emit(tx)
	}
}

// parser states of one direction.
type state uint8

const (
	stHeader    state = iota // waiting for a start line and header fields
	stBody                   // Content-Length body: remain bytes left
	stChunkSize              // chunk-size line
	stChunkData              // chunk data: remain bytes left
	stChunkEnd               // CRLF after chunk data
	stTrailer                // trailer fields after the last chunk
	stUntilEOF               // response body delimited by the end of the connection
	stResync                 // lost: looking for the next start line
	stDead                   // not HTTP any more; skip everything
)

// halfParser parses one direction: requests (client to server) or
// responses.
type halfParser struct {
	cp       *connParser
	dir      stream.Dir
	requests bool
	off      int64 // offset in this direction's stream of the data being parsed
	msgStart int64 // offset where the message being parsed began
	msgAck   int64 // the other direction's offset acknowledged when it began (-1: unknown)
	resynced bool  // the parser lost its place since the last message
	sniffed  bool
	st       state
	buf      []byte // partial header section or chunk line
	cur      *Message
	tx       *Transaction
	remain   int64
	body     []byte // transfer-decoded body kept so far
	bodyCut  bool
	bodyGap  bool
	lineCut  bool      // resync: the previous feed ended mid-line
	atChunk  bool      // resync: data starts a chunk (a new segment)
	hStart   time.Time // time of the first byte of a buffered header
	// settled is set once a start line parsed: the role is fixed.
	settled        bool
	partialMissing int64 // bytes lost after a header being salvaged
}

// feed parses data.
func (h *halfParser) feed(data []byte, t time.Time) {
	if !h.sniffed {
		h.sniffed = true
		h.sniff(data)
	}
	h.atChunk = true
	for len(data) > 0 {
		var n int
		switch h.st {
		case stHeader:
			n = h.header(data, t)
		case stBody:
			n = int(min(int64(len(data)), h.remain))
			h.keep(data[:n])
			h.cur.BodyBytes += int64(n)
			h.cur.ContentBytes += int64(n)
			h.remain -= int64(n)
			if h.remain == 0 {
				h.finish(t, true)
			}
		case stChunkSize, stChunkEnd, stTrailer:
			n = h.chunkLine(data, t)
		case stChunkData:
			n = int(min(int64(len(data)), h.remain))
			h.keep(data[:n])
			h.cur.BodyBytes += int64(n)
			h.cur.ContentBytes += int64(n)
			h.remain -= int64(n)
			if h.remain == 0 {
				h.st = stChunkEnd
			}
		case stUntilEOF:
			n = len(data)
			h.keep(data)
			h.cur.BodyBytes += int64(n)
			h.cur.ContentBytes += int64(n)
		case stResync:
			n = h.resync(data)
		default:
			h.cp.p.stats.SkippedBytes += int64(len(data))
			n = len(data)
		}
		if h.cur != nil && n > 0 {
			h.cur.End = t
		}
		if n > 0 {
			h.atChunk = false
		}
		h.off += int64(n)
		data = data[n:]
	}
}

// sniff fixes the role of a direction from its first bytes when the
// connection's orientation was guessed wrong (no handshake captured). Too
// few bytes to tell keep the default role.
func (h *halfParser) sniff(data []byte) {
	resp := prefixEither(data, "HTTP/1.")
	req := false
	for _, m := range methods {
		if prefixEither(data, m) {
			req = true
			break
		}
	}
	switch {
	case resp && !req:
		h.requests = false
	case req && !resp:
		h.requests = true
	case !req && !resp:
		h.cp.p.stats.NotHTTP++
		h.st = stResync
		h.lineCut = true
	}
}

// prefixEither reports whether one of b and p is a prefix of the other.
func prefixEither(b []byte, p string) bool {
	n := min(len(b), len(p))
	return string(b[:n]) == p[:n]
}

// gap handles n bytes missing before the next data.
func (h *halfParser) gap(n int, t time.Time) {
	h.skipGap(n, t)
	h.off += int64(n)
}

func (h *halfParser) skipGap(n int, t time.Time) {
	switch h.st {
	case stBody, stChunkData:
		if h.cur != nil {
			take := min(int64(n), h.remain)
			h.cur.Missing += take
			h.cur.BodyBytes += take
			h.cur.ContentBytes += take
			h.bodyGap = true
			h.remain -= take
			if int64(n) == take {
				if h.remain == 0 {
					if h.st == stBody {
						h.finish(t, false)
					} else {
						h.st = stChunkEnd
					}
				}
				return
			}
			n -= int(take)
			if h.st == stBody {
				// The body ended inside the gap; what follows it is lost.
				h.finish(t, false)
				h.lost(t)
				return
			}
		}
	case stUntilEOF:
		h.cur.Missing += int64(n)
		h.cur.BodyBytes += int64(n)
		h.bodyGap = true
		return
	case stDead:
		return
	case stResync:
		h.lineCut = true
		return
	}
	if h.st == stHeader && len(h.buf) > 0 {
		// A message was cut in its header: keep what its complete lines
		// say, so that a lost response still uses up its request.
		if i := bytes.LastIndexByte(h.buf, '\n'); i >= 0 {
			h.partialMissing = int64(n)
			h.parseHeader(append(h.buf[:i+1:i+1], '\r', '\n'), h.hStart)
			h.partialMissing = 0
			if h.st != stResync {
				h.lost(t)
			}
			return
		}
	}
	if h.cur != nil {
		h.cur.Missing += int64(n)
	}
	h.lost(t)
}

// eof ends the direction: a body delimited by the connection's end is
// complete; any other message in progress is not.
func (h *halfParser) eof(t time.Time) {
	if h.cur != nil {
		h.finish(t, h.st == stUntilEOF && !h.bodyGap)
	}
	h.st = stDead
	h.buf = nil
}

// header collects the header section and parses it. It returns how many
// bytes of data it used.
func (h *halfParser) header(data []byte, t time.Time) int {
	limit := h.cp.p.cfg.MaxHeaderBytes
	if len(h.buf) == 0 {
		// Empty lines before a message are ignored (RFC 9112 2.2).
		skip := 0
		for skip < len(data) && (data[skip] == '\r' || data[skip] == '\n') {
			skip++
		}
		if skip > 0 {
			return skip
		}
		h.markStart()
		if end := headerEnd(data, 0); end > 0 && end <= limit {
			h.parseHeader(data[:end], t)
			return end
		}
	}
	if len(h.buf) == 0 {
		h.hStart = t
	}
	from := max(0, len(h.buf)-3)
	room := limit - len(h.buf)
	take := min(len(data), room)
	h.buf = append(h.buf, data[:take]...)
	if end := headerEnd(h.buf, from); end > 0 {
		used := end - (len(h.buf) - take)
		h.parseHeader(h.buf[:end], h.hStart)
		h.buf = h.buf[:0]
		return used
	}
	if len(h.buf) >= limit {
		h.cp.p.stats.HeaderTooBig++
		h.buf = nil
		h.st = stResync
		h.lineCut = true
		h.cp.p.stats.Resyncs++
	}
	return take
}

// markStart records where a message begins, and how far its packet
// acknowledged the other direction.
func (h *halfParser) markStart() {
	h.msgStart, h.msgAck = h.off, -1
	if a := h.cp.peerAcked; a >= 0 {
		h.msgAck = a
	}
}

// headerEnd returns the index just past the empty line ending a header
// section in b (CRLF CRLF, or bare LFs), searching from from, or -1.
func headerEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j
		if i+1 < len(b) && b[i+1] == '\n' {
			return i + 2
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			return i + 3
		}
	}
	return -1
}

var methods = [...]string{"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ",
	"PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ", "LOCK ", "UNLOCK ", "SEARCH ", "REPORT "}

// isMethodStart reports whether b starts with a known method and a space.
func isMethodStart(b []byte) bool {
	for _, m := range methods {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return false
}

// startsMessage reports whether b starts a message of this direction.
func (h *halfParser) startsMessage(b []byte) bool {
	if h.requests {
		return isMethodStart(b)
	}
	return bytes.HasPrefix(b, []byte("HTTP/1."))
}

// couldStart reports whether b starts a message of this direction, or is
// too short to tell and could (the header parser then decides).
func (h *halfParser) couldStart(b []byte) bool {
	if h.startsMessage(b) {
		return true
	}
	if len(b) >= 12 {
		return false
	}
	if !h.requests {
		return prefixEither(b, "HTTP/1.")
	}
	for _, m := range methods {
		if prefixEither(b, m) {
			return true
		}
	}
	return false
}

// resync skips to the next line that starts a message, or to a segment
// that starts with one (senders often write a message's head in a new
// segment, and a body rarely ends with a newline).
func (h *halfParser) resync(data []byte) int {
	if (!h.lineCut && h.couldStart(data)) || (h.atChunk && h.startsMessage(data)) {
		h.st = stHeader
		return 0
	}
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		if i == len(data) || h.couldStart(data[i:]) {
			h.cp.p.stats.SkippedBytes += int64(i)
			h.lineCut = false
			if i < len(data) {
				h.st = stHeader
			}
			return i
		}
	}
	h.cp.p.stats.SkippedBytes += int64(len(data))
	h.lineCut = true
	return len(data)
}

// lost gives up on the current message and searches for the next one.
func (h *halfParser) lost(t time.Time) {
	if h.cur != nil {
		h.finish(t, false)
	}
	h.buf = h.buf[:0]
	h.st = stResync
	h.lineCut = true
	h.resynced = true
	h.cp.p.stats.Resyncs++
}

// parseHeader reads a start line and header fields, and sets up the body.
func (h *halfParser) parseHeader(hdr []byte, t time.Time) {
	text := string(hdr)
	lines := strings.Split(strings.TrimRight(text, "\r\n"), "\n")
	m := &Message{HeaderBytes: len(hdr), Start: t, End: t, DecodedBytes: -1, Missing: h.partialMissing}
	if h.partialMissing > 0 {
		m.HeaderBytes -= 2 // the CRLF added to end the salvaged lines
	}
	first := strings.TrimSuffix(lines[0], "\r")
	ok := h.startLine(first, m)
	if !ok && !h.settled {
		// The first message decides the role when the connection's
		// orientation was guessed wrong.
		h.requests = !h.requests
		if ok = h.startLine(first, m); !ok {
			h.requests = !h.requests
		}
	}
	if ok {
		h.settled = true
	}
	if !ok {
		h.cp.p.stats.SkippedBytes += int64(len(hdr))
		h.lost(t)
		return
	}
	for _, l := range lines[1:] {
		l = strings.TrimSuffix(l, "\r")
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && len(m.Header) > 0 {
			f := &m.Header[len(m.Header)-1]
			f.Value += " " + strings.TrimSpace(l)
			continue
		}
		name, value, found := strings.Cut(l, ":")
		if !found || name == "" || strings.ContainsAny(name, " \t") {
			continue // not a field; ignored as lenient parsers do
		}
		m.Header = append(m.Header, Field{Name: name, Value: strings.TrimSpace(value)})
	}
	if h.requests {
		h.startRequest(m, t)
	} else {
		h.startResponse(m, t)
	}
}

// startLine parses a request or status line, as the role says.
func (h *halfParser) startLine(l string, m *Message) bool {
	if h.requests {
		return parseRequestLine(l, m)
	}
	return parseStatusLine(l, m)
}

// parseRequestLine reads "METHOD SP target SP HTTP/1.x".
func parseRequestLine(l string, m *Message) bool {
	method, rest, ok := strings.Cut(l, " ")
	if !ok || method == "" {
		return false
	}
	target, proto, ok := strings.Cut(rest, " ")
	if !ok || target == "" || !strings.HasPrefix(proto, "HTTP/1.") {
		return false
	}
	for _, c := range method {
		if c < '!' || c > '~' {
			return false
		}
	}
	m.Method, m.URL, m.Proto = method, target, strings.TrimSpace(proto)
	return true
}

// parseStatusLine reads "HTTP/1.x SP 3DIGIT [SP reason]".
func parseStatusLine(l string, m *Message) bool {
	proto, rest, ok := strings.Cut(l, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/1.") || len(rest) < 3 {
		return false
	}
	code, reason, _ := strings.Cut(rest, " ")
	if len(code) != 3 {
		return false
	}
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 {
		return false
	}
	m.Proto, m.Status, m.Reason = proto, n, reason
	return true
}

// framing returns how a message's body is delimited: chunked, or a
// Content-Length (-1 when there is none; -2 when it is invalid).
func framing(m *Message) (chunked bool, length int64) {
	if te := m.Get("Transfer-Encoding"); te != "" {
		codings := strings.Split(te, ",")
		if strings.EqualFold(strings.TrimSpace(codings[len(codings)-1]), "chunked") {
			return true, -1
		}
	}
	cl := m.Get("Content-Length")
	if cl == "" {
		return false, -1
	}
	v, _, _ := strings.Cut(cl, ",") // repeated identical values
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return false, -2
	}
	return false, n
}

func (h *halfParser) startRequest(m *Message, t time.Time) {
	cp := h.cp
	cp.p.stats.Requests++
	// A response that came first acknowledged bytes up to respAck: a
	// request starting there or later is not its request, which was lost.
	for len(cp.early) > 0 && cp.early[0].respAck <= h.msgStart {
		old := cp.early[0]
		cp.early[0] = nil
		cp.early = cp.early[1:]
		old.reqDone = true
		if old.respDone {
			cp.done(old)
		}
	}
	var tx *Transaction
	if len(cp.early) > 0 {
		// The response came first: this is its request.
		tx = cp.early[0]
		cp.early[0] = nil
		cp.early = cp.early[1:]
	} else {
		tx = cp.newTx()
		if len(cp.pending) >= cp.p.cfg.MaxPending {
			old := cp.pending[0]
			cp.pending = cp.pending[1:]
			cp.p.stats.PendingCapHit++
			old.reqDone = true
			cp.done(old)
		}
		cp.pending = append(cp.pending, tx)
	}
	tx.Request = m
	tx.reqStart = h.msgStart
	h.cur, h.tx = m, tx
	chunked, n := framing(m)
	switch {
	case chunked:
		m.Chunked = true
		h.st = stChunkSize
	case n == -2:
		h.lost(t) // RFC 9112 6.3: an invalid length is unrecoverable
	case n > 0:
		h.st, h.remain = stBody, n
	default:
		h.finish(t, true)
	}
}

func (h *halfParser) startResponse(m *Message, t time.Time) {
	cp := h.cp
	if m.Status < 200 && m.Status != 101 {
		cp.p.stats.Interim++
		return // 100 Continue and friends: the final response follows
	}
	cp.p.stats.Responses++
	reqOff := cp.half[1-h.dir].off // how far the requests have been read
	var tx *Transaction
	if i := h.pick(); i >= 0 {
		for _, old := range cp.pending[:i] {
			old.reqDone = true // its response was lost in a gap
			cp.done(old)
		}
		tx = cp.pending[i]
		clear(cp.pending[:i+1])
		cp.pending = cp.pending[i+1:]
	} else {
		tx = cp.newTx()
		if h.msgAck > reqOff && len(cp.early) < cp.p.cfg.MaxPending {
			tx.respAck = h.msgAck
			cp.early = append(cp.early, tx) // its request is still to come
		} else {
			tx.reqDone = true
		}
	}
	h.resynced = false
	tx.Response = m
	h.cur, h.tx = m, tx
	method := ""
	if tx.Request != nil {
		method = tx.Request.Method
	}
	if m.Status == 101 || (method == "CONNECT" && m.Status < 300) {
		// The connection leaves HTTP.
		cp.p.stats.Upgraded++
		h.finish(t, true)
		for d := range cp.half {
			cp.half[d].st = stDead
		}
		return
	}
	chunked, n := framing(m)
	switch {
	case method == "HEAD" || m.Status == 204 || m.Status == 304:
		h.finish(t, true)
	case chunked:
		m.Chunked = true
		h.st = stChunkSize
	case n == -2:
		h.lost(t)
	case n > 0:
		h.st, h.remain = stBody, n
	case n == 0:
		h.finish(t, true)
	default:
		h.st = stUntilEOF
	}
}

// pick chooses the pending request a response starting now answers, or
// -1 for none. In step, the oldest; but a request that began at or after
// the offset the response's packet acknowledges was not yet received by
// the server, so it cannot be the one. After the parser lost its place in
// the responses, the newest request that began before that offset: the
// responses of the ones before it were lost.
func (h *halfParser) pick() int {
	cp := h.cp
	if len(cp.pending) == 0 {
		return -1
	}
	if h.msgAck < 0 {
		return 0
	}
	if cp.pending[0].reqStart >= h.msgAck {
		return -1
	}
	if !h.resynced {
		return 0
	}
	i := 0
	for j := range cp.pending {
		if cp.pending[j].reqStart < h.msgAck {
			i = j
		}
	}
	return i
}

// chunkLine reads a chunk-size line, the CRLF after chunk data, or a
// trailer line.
func (h *halfParser) chunkLine(data []byte, t time.Time) int {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		if len(h.buf)+len(data) > 4096 {
			h.lost(t)
			return len(data)
		}
		h.buf = append(h.buf, data...)
		h.cur.BodyBytes += int64(len(data))
		return len(data)
	}
	line := data[:i]
	if len(h.buf) > 0 {
		h.buf = append(h.buf, line...)
		line = h.buf
	}
	h.cur.BodyBytes += int64(i + 1)
	line = bytes.TrimSuffix(line, []byte("\r"))
	switch h.st {
	case stChunkSize:
		size, ok := parseChunkSize(line)
		switch {
		case !ok:
			h.buf = h.buf[:0]
			h.lost(t)
			return i + 1
		case size == 0:
			h.st = stTrailer
		default:
			h.st, h.remain = stChunkData, size
		}
	case stChunkEnd:
		if len(line) != 0 {
			h.buf = h.buf[:0]
			h.lost(t)
			return i + 1
		}
		h.st = stChunkSize
	case stTrailer:
		if len(line) == 0 {
			h.buf = h.buf[:0]
			h.finish(t, true)
			return i + 1
		}
	}
	h.buf = h.buf[:0]
	return i + 1
}

// parseChunkSize reads the hex size before any chunk extension.
func parseChunkSize(l []byte) (int64, bool) {
	if j := bytes.IndexAny(l, "; \t"); j >= 0 {
		l = l[:j]
	}
	if len(l) == 0 || len(l) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range l {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
	}
	return n, true
}

// keep stores body bytes when bodies are kept.
func (h *halfParser) keep(b []byte) {
	if !h.cp.p.cfg.KeepBodies || h.bodyCut {
		return
	}
	p := h.cp.p
	room := min(p.cfg.MaxBodyBytes-len(h.body), p.cfg.MaxBodiesTotal-p.held)
	if len(b) > room {
		b = b[:max(room, 0)]
		h.bodyCut = true
	}
	p.held += len(b)
	h.body = append(h.body, b...)
}

// finish ends the current message and emits its transaction when both
// sides are done.
func (h *halfParser) finish(t time.Time, complete bool) {
	m, tx := h.cur, h.tx
	h.cur, h.tx = nil, nil
	if h.st != stDead {
		h.st = stHeader
	}
	if m == nil {
		return
	}
	m.Complete = complete && m.Missing == 0
	if !t.IsZero() && t.After(m.End) {
		m.End = t
	}
	if h.cp.p.cfg.KeepBodies {
		decodeBody(m, h.body, h.bodyCut || h.bodyGap || !complete, h.cp.p.cfg.MaxBodyBytes)
	}
	h.cp.p.held -= len(h.body)
	h.body, h.bodyCut, h.bodyGap = nil, false, false
	if tx == nil {
		return
	}
	if h.requests {
		tx.reqDone = true
	} else {
		tx.respDone = true
	}
	if tx.reqDone && tx.respDone {
		h.cp.done(tx)
	}
}
