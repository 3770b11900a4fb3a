package http

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/wirekit/wirekit/stream"
)

// parseHeader reads a start line and header fields, and sets up the body.
func (h *halfParser) parseHeader(hdr []byte, t time.Time) {
	// One string for the whole header: the fields are substrings of it.
	first, rest, _ := strings.Cut(strings.TrimRight(string(hdr), "\r\n"), "\n")
	m := h.cp.p.newMsg()
	m.HeaderBytes, m.Start, m.End, m.Missing = len(hdr), t, t, h.partialMissing
	if h.partialMissing > 0 {
		m.HeaderBytes -= 2 // the CRLF added to end the salvaged lines
	}
	first = strings.TrimSuffix(first, "\r")
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
	if n := strings.Count(rest, "\n") + 1; cap(m.Header) < n {
		m.Header = make([]Field, 0, n)
	}
	for rest != "" {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
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
		// Moved down rather than resliced, so that the slice keeps its
		// capacity for the next request.
		n := copy(cp.pending, cp.pending[i+1:])
		clear(cp.pending[n:])
		cp.pending = cp.pending[:n]
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
	if m.Status == 101 && tx.Request != nil && strings.EqualFold(strings.TrimSpace(m.Get("Upgrade")), "h2c") {
		// HTTP/2 from here on; the upgraded request's response comes
		// on stream 1 (RFC 7540 3.2).
		cp.p.stats.Upgraded++
		cp.p.stats.HTTP2++
		// A copy of the request for stream 1, made before finish emits
		// tx (whose memory the parser may then reuse).
		q := *tx.Request
		q.Header = append([]Field(nil), q.Header...)
		q.Trailer = append([]Field(nil), q.Trailer...)
		q.GRPCMessages = append([]GRPCMessage(nil), q.GRPCMessages...)
		h.finish(t, true)
		cp.h2 = newH2(cp, true)
		s1 := cp.h2.stream(1, t)
		s1.tx.Request = &q
		s1.ended[stream.ClientToServer] = true
		return
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
