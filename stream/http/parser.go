package http

import (
	"bytes"
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
	// ReuseTransactions lets the Parser reuse each Transaction, its
	// Messages and their Header, Trailer and GRPCMessages slices once emit
	// has returned, for the transactions that follow: emit must then not
	// keep tx, nor anything it points to, past its return (the strings
	// are never reused: they may be kept). A caller that writes each
	// transaction out as it comes (wirekit http does) saves several
	// allocations per transaction.
	ReuseTransactions bool
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
	// With ReuseTransactions: transactions, messages and HTTP/2 streams
	// emitted and free to be used again.
	freeTx  []*Transaction
	freeMsg []*Message
	freeH2  []*h2Stream
}

// maxFree bounds each of the Parser's free lists.
const maxFree = 256

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
	early []*Transaction
	h2    *h2Conn // set once the connection speaks HTTP/2
	// h2try searches a connection picked up mid-stream for HTTP/2 frames,
	// beside the HTTP/1 parsers, until one of them finds its footing.
	h2try   *h2Conn
	h2tried bool
	chunk   stream.Chunk // the chunk being parsed (Data and Marks cleared after)
}

// Data parses a chunk of one direction (stream.ConnHandler).
func (cp *connParser) Data(c *stream.Conn, ch stream.Chunk) {
	cp.c = c
	cp.chunk = ch
	h := &cp.half[ch.Dir]
	if cp.h2 == nil && ch.Dir == stream.ClientToServer && h.off == 0 && !h.sniffed && len(ch.Data) > 0 && ch.Lost == 0 &&
		len(ch.Data) >= 4 && prefixEither(ch.Data, h2Preface) {
		cp.h2 = newH2(cp, true) // prior knowledge
		cp.p.stats.HTTP2++
		if cp.h2try != nil {
			// The server spoke first (its SETTINGS): the search for
			// frames in its bytes was not needed.
			cp.h2.adopt(cp.h2try, stream.ServerToClient)
			cp.h2try = nil
		}
	}
	if cp.h2 == nil && !cp.h2tried && !h.sniffed && len(ch.Data) > 0 && !looksHTTP(ch.Data) && !looksTLS(ch.Data) {
		// Neither HTTP/1 nor the HTTP/2 preface: perhaps HTTP/2 whose
		// start was not captured.
		cp.h2tried = true
		cp.h2try = newH2Mid(cp)
	}
	if cp.h2try != nil {
		if ch.Lost > 0 {
			cp.h2try.gap(ch.Dir, ch.Lost)
		}
		cp.h2try.feed(ch.Dir, ch.Data, ch.Time) // sets cp.h2 once it finds frames
		if cp.h2 == nil && (cp.h2try.dir[ch.Dir].searched > h2TryWindow || cp.half[0].settled || cp.half[1].settled) {
			cp.h2try = nil // not HTTP/2
		}
		if cp.h2 != nil {
			cp.chunk = stream.Chunk{PeerAcked: -1}
			return
		}
	} else if cp.h2 != nil {
		if ch.Lost > 0 {
			cp.h2.gap(ch.Dir, ch.Lost)
		}
		cp.h2.feed(ch.Dir, ch.Data, ch.Time)
		cp.chunk = stream.Chunk{PeerAcked: -1}
		return
	}
	if ch.Lost > 0 {
		h.gap(ch.Lost, ch.Time)
	}
	if len(ch.Data) > 0 {
		h.feed(ch.Data, ch.Time)
	}
	if ch.End {
		h.eof(ch.Time)
	}
	cp.chunk = stream.Chunk{PeerAcked: -1}
}

// Close ends the connection: messages in progress end incomplete, and
// requests still waiting are emitted without a response (stream.ConnHandler).
func (cp *connParser) Close(c *stream.Conn) {
	cp.c = c
	if cp.h2 != nil {
		cp.h2.close(c.Last)
	}
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
	var tx *Transaction
	if p := cp.p; len(p.freeTx) > 0 {
		tx = p.freeTx[len(p.freeTx)-1]
		p.freeTx = p.freeTx[:len(p.freeTx)-1]
		tx.Index = cp.next
	} else {
		tx = &Transaction{Index: cp.next}
	}
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
	if cp.p.cfg.ReuseTransactions && cp.half[0].tx != tx && cp.half[1].tx != tx {
		cp.p.recycle(tx)
	}
}

// newMsg returns a zeroed Message, reused when one is free, with
// DecodedBytes -1 (not decoded).
func (p *Parser) newMsg() *Message {
	if n := len(p.freeMsg); n > 0 {
		m := p.freeMsg[n-1]
		p.freeMsg = p.freeMsg[:n-1]
		m.DecodedBytes = -1
		return m
	}
	return &Message{DecodedBytes: -1}
}

// recycle puts an emitted transaction and its messages on the free lists
// (ReuseTransactions), their slices emptied (for their capacity) and
// their strings let go.
func (p *Parser) recycle(tx *Transaction) {
	for _, m := range [2]*Message{tx.Request, tx.Response} {
		if m == nil || len(p.freeMsg) >= maxFree {
			continue
		}
		clear(m.Header)
		clear(m.Trailer)
		*m = Message{Header: m.Header[:0], Trailer: m.Trailer[:0], GRPCMessages: m.GRPCMessages[:0]}
		p.freeMsg = append(p.freeMsg, m)
	}
	if len(p.freeTx) < maxFree {
		*tx = Transaction{}
		p.freeTx = append(p.freeTx, tx)
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
	feedOff  int64 // offset of the first byte of the chunk being parsed
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
	h.feedOff = h.off
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
		if h.cp.h2 != nil {
			// An Upgrade: h2c response ended: the rest is HTTP/2.
			h.cp.h2.feed(h.dir, data, t)
			return
		}
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

// looksHTTP reports whether b could start an HTTP/1 message or the
// HTTP/2 preface.
func looksHTTP(b []byte) bool {
	if prefixEither(b, "HTTP/1.") || prefixEither(b, h2Preface) {
		return true
	}
	for _, m := range methods {
		if prefixEither(b, m) {
			return true
		}
	}
	return false
}

// looksTLS reports whether b starts with a TLS record header (a content
// type, major version 3, a minor version up to 4): not HTTP/2 in clear.
func looksTLS(b []byte) bool {
	return len(b) >= 3 && b[0] >= 20 && b[0] <= 24 && b[1] == 3 && b[2] <= 4
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

// markStart records where a message begins, and how far the packet that
// carried its first byte acknowledged the other direction.
func (h *halfParser) markStart() {
	h.msgStart, h.msgAck = h.off, -1
	if a, ok := h.cp.chunk.PeerAckedAt(int(h.off - h.feedOff)); ok && a >= 0 {
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
