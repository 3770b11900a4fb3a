package cli

import (
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
	client := ch.Dir == stream.ClientToServer
	if ch.Lost > 0 {
		// The session searches for the next record that decrypts; the
		// parser inside learns that bytes are missing (as many in clear
		// as were lost encrypted, near enough) before what follows,
		// unless they were KeyUpdates alone (see plain).
		x.sess.Lost(client, ch.Lost)
		i := dirIndex(ch.Dir)
		if x.lost[i] == 0 {
			x.lostTime[i] = ch.Time
		}
		x.lost[i] += ch.Lost
		if x.sess.GapHeldData(client) {
			x.tellLost(c, ch.Dir)
		}
	}
	x.sess.Feed(client, ch.Data)
	if ch.End {
		x.tellLost(c, ch.Dir)
		// Offsets in clear differ from the TCP stream's: no
		// acknowledgement information goes with decrypted bytes.
		x.in.Data(c, stream.Chunk{Dir: ch.Dir, Time: ch.Time, End: true})
	}
}

// plain passes decrypted application data on as the direction's bytes.
func (x *decryptConn) plain(fromClient bool, p []byte) {
	d := stream.ServerToClient
	if fromClient {
		d = stream.ClientToServer
	}
	if i := dirIndex(d); x.lost[i] > 0 {
		if x.sess.GapHeldData(fromClient) {
			x.tellLost(x.c, d)
		} else {
			x.lost[i] = 0 // KeyUpdates alone: no clear byte lost
		}
	}
	x.in.Data(x.c, stream.Chunk{Dir: d, Data: p, Time: x.cur.Time})
}

// tellLost tells the inner handler of the bytes direction d lost that it
// was not told of yet.
func (x *decryptConn) tellLost(c *stream.Conn, d stream.Dir) {
	if i := dirIndex(d); x.lost[i] > 0 {
		x.in.Data(c, stream.Chunk{Dir: d, Lost: x.lost[i], Time: x.lostTime[i]})
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
