package cli

import (
	"sort"
	"time"

	"github.com/wirekit/wirekit/stream"
	"github.com/wirekit/wirekit/tlsdecrypt"
	"github.com/wirekit/wirekit/tlsinfo"
)

// decryptHandler hands an inner handler each connection's bytes, decrypted
// with a key log when the connection is TLS, as they are otherwise.
// status, when set, receives each TLS connection's session once it ended
// (what was decrypted, and why not the rest: Err) before the connection's
// Close reaches the handlers after it.
type decryptHandler struct {
	inner  stream.Handler
	keys   *tlsdecrypt.KeyLog
	status func(c *stream.Conn, s *tlsdecrypt.Session)
}

func (h decryptHandler) Open(c *stream.Conn) stream.ConnHandler {
	in := h.inner.Open(c)
	if in == nil {
		return nil
	}
	return &decryptConn{h: h, in: in}
}

type decryptConn struct {
	h    decryptHandler
	in   stream.ConnHandler
	sess *tlsdecrypt.Session
	seen bool
	cur  stream.Chunk // the chunk being decrypted, for its time
	c    *stream.Conn
	// lost: each direction's bytes lost in a capture gap and not told
	// to the inner handler yet, and when: the session said they may be
	// KeyUpdate records alone (GapHeldData), and the next application
	// data, or the direction's end, says whether they were.
	lost     [2]int
	lostTime [2]time.Time
	// enc: each direction's encrypted bytes given to the session (and
	// lost), so the stream offset of the next; clear maps positions in
	// the encrypted streams to positions in the clear ones.
	enc   [2]int64
	clear [2]clearMap
}

// clearMap maps a direction's positions in the encrypted stream to
// positions in the clear one, so that the bytes in clear carry what their
// packets acknowledged of the other direction, as the TCP stream's do:
// the HTTP parser pairs a response with the request its packets
// acknowledged, which keeps pairs right when a capture holds the two
// directions out of order.
type clearMap struct {
	out int64 // clear bytes passed on, and lost bytes told
	// marks is a ring of the last records of application data: n of
	// them, the oldest at head.
	marks   [maxRecMarks]recMark
	head, n int
	cut     bool // marks were dropped: offsets before the oldest are unknown
}

// recMark is where a record of application data ends, in the encrypted
// stream and in the clear one.
type recMark struct{ enc, clear int64 }

// maxRecMarks bounds a direction's marks: acknowledgements older than the
// records they hold are not mapped (PeerAckKnown false). 16 records are
// more than the segments a capture reorders (a few), and small: every
// TLS connection holds two rings.
const maxRecMarks = 16

// mark returns the k-th oldest mark.
func (m *clearMap) mark(k int) recMark { return m.marks[(m.head+k)%maxRecMarks] }

// add appends a mark, dropping the oldest when the ring is full.
func (m *clearMap) add(r recMark) {
	if m.n == maxRecMarks {
		m.marks[m.head] = r
		m.head = (m.head + 1) % maxRecMarks
		m.cut = true
		return
	}
	m.marks[(m.head+m.n)%maxRecMarks] = r
	m.n++
}

// at maps an encrypted stream offset of the direction (what a packet of
// the other direction acknowledged) to the clear stream's; end is where
// the last whole record read of the direction ended. Past it (bytes still
// to come, or a record not complete yet), the clear offset is as far past
// the clear bytes so far: over by the records' headers and tags, which is
// enough to tell that bytes not yet seen were acknowledged.
func (m *clearMap) at(enc, end int64) (int64, bool) {
	if enc >= end {
		return m.out + (enc - end), true
	}
	// after is the first mark past enc; the one before it holds enc.
	after := sort.Search(m.n, func(k int) bool { return m.mark(k).enc > enc })
	if after == 0 {
		return 0, !m.cut
	}
	return m.mark(after - 1).clear, true
}

func (x *decryptConn) Data(c *stream.Conn, ch stream.Chunk) {
	if !x.seen && len(ch.Data) > 0 {
		x.seen = true
		if tlsinfo.Sniff(ch.Data) {
			x.sess = x.h.keys.NewSession(x.plain)
		}
	}
	if x.sess == nil {
		x.in.Data(c, ch)
		return
	}
	x.c, x.cur = c, ch
	client, i := ch.Dir == stream.ClientToServer, dirIndex(ch.Dir)
	x.enc[i] += int64(ch.Lost)
	if ch.Lost > 0 {
		// The session searches for the next record that decrypts; the
		// parser inside learns that bytes are missing (as many in clear
		// as were lost encrypted, near enough) before what follows,
		// unless they were KeyUpdates alone (see plain).
		x.sess.Lost(client, ch.Lost)
		if x.lost[i] == 0 {
			x.lostTime[i] = ch.Time
		}
		x.lost[i] += ch.Lost
		if x.sess.GapHeldData(client) {
			x.tellLost(c, ch.Dir)
		}
	}
	x.sess.Feed(client, ch.Data)
	x.enc[i] += int64(len(ch.Data))
	if ch.End {
		x.tellLost(c, ch.Dir)
		x.in.Data(c, stream.Chunk{Dir: ch.Dir, Time: ch.Time, End: true})
	}
}

// plain passes decrypted application data on as the direction's bytes.
func (x *decryptConn) plain(fromClient bool, p []byte) {
	d := stream.ServerToClient
	if fromClient {
		d = stream.ClientToServer
	}
	i := dirIndex(d)
	if x.lost[i] > 0 {
		if x.sess.GapHeldData(fromClient) {
			x.tellLost(x.c, d)
		} else {
			x.lost[i] = 0 // KeyUpdates alone: no clear byte lost
		}
	}
	// What the packet that carried the record's first byte acknowledged
	// of the other direction, in that direction's clear stream.
	start, end := x.sess.Record(fromClient)
	ch := stream.Chunk{Dir: d, Data: p, Time: x.cur.Time}
	if n := len(x.cur.Data); n > 0 {
		chunkStart := x.enc[i] // the current chunk's first byte
		if acked, known := x.cur.PeerAckedAt(int(min(max(start-chunkStart, 0), int64(n-1)))); known && acked >= 0 {
			_, end := x.sess.Record(i == 1) // the other direction's
			ch.PeerAcked, ch.PeerAckKnown = x.clear[1-i].at(acked, end)
		}
	}
	x.in.Data(x.c, ch)
	m := &x.clear[i]
	m.out += int64(len(p))
	m.add(recMark{enc: end, clear: m.out})
}

// tellLost tells the inner handler of the bytes direction d lost that it
// was not told of yet.
func (x *decryptConn) tellLost(c *stream.Conn, d stream.Dir) {
	if i := dirIndex(d); x.lost[i] > 0 {
		x.in.Data(c, stream.Chunk{Dir: d, Lost: x.lost[i], Time: x.lostTime[i]})
		x.clear[i].out += int64(x.lost[i])
		x.lost[i] = 0
	}
}

func dirIndex(d stream.Dir) int {
	if d == stream.ClientToServer {
		return 0
	}
	return 1
}

func (x *decryptConn) Close(c *stream.Conn) {
	if x.sess != nil {
		x.sess.End()
		x.tellLost(c, stream.ClientToServer)
		x.tellLost(c, stream.ServerToClient)
		if x.h.status != nil {
			x.h.status(c, x.sess)
		}
	}
	x.in.Close(c)
}
