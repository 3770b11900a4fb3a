package cli

import (
	"github.com/wirekit/wirekit/stream"
	"github.com/wirekit/wirekit/tlsinfo"
)

// tlsTap is a stream.Handler that reads the TLS handshake of every
// connection whose first bytes are a TLS record, and hands the facts to
// done when the connection closes (before the assembler's onClose).
type tlsTap struct {
	done func(c *stream.Conn, f *tlsinfo.Facts)
}

func (t *tlsTap) Open(*stream.Conn) stream.ConnHandler { return &tlsConnTap{t: t} }

type tlsConnTap struct {
	t    *tlsTap
	tls  *tlsinfo.Conn
	seen bool // the first bytes were looked at
}

func (x *tlsConnTap) Data(c *stream.Conn, ch stream.Chunk) {
	if !x.seen && len(ch.Data) > 0 {
		x.seen = true
		if tlsinfo.Sniff(ch.Data) {
			x.tls = &tlsinfo.Conn{}
		}
	}
	if x.tls == nil || x.tls.Done() {
		return
	}
	client := ch.Dir == stream.ClientToServer
	if ch.Lost > 0 {
		x.tls.Lost(client)
	}
	x.tls.Feed(client, ch.Data)
}

func (x *tlsConnTap) Close(c *stream.Conn) {
	if x.tls == nil {
		return
	}
	if f := x.tls.Facts(); f != nil {
		x.t.done(c, f)
	}
}

// teeHandler gives every connection to two handlers (either may return a
// nil ConnHandler).
type teeHandler struct{ a, b stream.Handler }

func (t teeHandler) Open(c *stream.Conn) stream.ConnHandler {
	ha, hb := t.a.Open(c), t.b.Open(c)
	switch {
	case ha == nil:
		return hb
	case hb == nil:
		return ha
	}
	return teeConn{ha, hb}
}

type teeConn struct{ a, b stream.ConnHandler }

func (t teeConn) Data(c *stream.Conn, ch stream.Chunk) {
	t.a.Data(c, ch)
	t.b.Data(c, ch)
}

func (t teeConn) Close(c *stream.Conn) {
	t.a.Close(c)
	t.b.Close(c)
}
