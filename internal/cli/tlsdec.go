package cli

import (
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
		// as were lost encrypted, near enough) before what follows.
		x.sess.Lost(client, ch.Lost)
		x.in.Data(c, stream.Chunk{Dir: ch.Dir, Lost: ch.Lost, Time: ch.Time})
	}
	x.sess.Feed(client, ch.Data)
	if ch.End {
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
	x.in.Data(x.c, stream.Chunk{Dir: d, Data: p, Time: x.cur.Time})
}

func (x *decryptConn) Close(c *stream.Conn) {
	if x.sess != nil {
		x.sess.End()
		if x.h.status != nil {
			x.h.status(c, x.sess)
		}
	}
	x.in.Close(c)
}
