package http_test

import (
	"bytes"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// FuzzHTTP2 feeds arbitrary frames after the client preface (client
// bytes, server bytes) in pieces: no panic, and every transaction emitted
// has a request, a response, or a note saying why it has neither (a
// header block that could not be read).
func FuzzHTTP2(f *testing.F) {
	var c, s bytes.Buffer
	cf, sf := http2.NewFramer(&c, nil), http2.NewFramer(&s, nil)
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	for _, kv := range [][2]string{{":method", "POST"}, {":path", "/p.S/M"}, {":authority", "a"}, {"content-type", "application/grpc"}} {
		enc.WriteField(hpack.HeaderField{Name: kv[0], Value: kv[1]})
	}
	cf.WriteSettings(http2.Setting{ID: http2.SettingHeaderTableSize, Val: 100})
	cf.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hb.Bytes(), EndHeaders: true})
	cf.WriteData(1, true, []byte{0, 0, 0, 0, 2, 'h', 'i'})
	hb.Reset()
	enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	sf.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hb.Bytes(), EndHeaders: false})
	sf.WriteContinuation(1, true, nil)
	sf.WriteRSTStream(1, http2.ErrCodeCancel)
	sf.WriteGoAway(1, http2.ErrCodeProtocol, nil)
	f.Add(c.Bytes(), s.Bytes(), uint8(7))
	f.Add([]byte{0, 0, 1, 9, 4, 0, 0, 0, 1, 0xff}, []byte{0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0}, uint8(1))
	f.Fuzz(func(t *testing.T, client, server []byte, step uint8) {
		p := whttp.NewParser(&whttp.Config{KeepBodies: true}, func(tx *whttp.Transaction) {
			if tx.Request == nil && tx.Response == nil && tx.Note == "" {
				t.Fatal("empty transaction")
			}
		})
		conn := &stream.Conn{}
		h := p.Open(conn)
		h.Data(conn, stream.Chunk{Dir: stream.ClientToServer, Data: []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")})
		n := int(step%13) + 1
		for len(client) > 0 || len(server) > 0 {
			k := min(n, len(client))
			h.Data(conn, stream.Chunk{Dir: stream.ClientToServer, Data: client[:k]})
			client = client[k:]
			k = min(n, len(server))
			h.Data(conn, stream.Chunk{Dir: stream.ServerToClient, Data: server[:k]})
			server = server[k:]
		}
		h.Close(conn)
	})
}

// FuzzHTTP2MidConnection feeds arbitrary bytes as a connection whose
// start was not captured (no preface), in pieces, with a gap now and
// then: no panic; every transaction has a request, a response or a note;
// a message with unknown header fields has a note saying why.
func FuzzHTTP2MidConnection(f *testing.F) {
	var c, s bytes.Buffer
	cf, sf := http2.NewFramer(&c, nil), http2.NewFramer(&s, nil)
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	for i := range 4 {
		hb.Reset()
		for _, kv := range [][2]string{{":method", "GET"}, {":path", "/x"}, {":authority", "a"}} {
			enc.WriteField(hpack.HeaderField{Name: kv[0], Value: kv[1]})
		}
		cf.WriteHeaders(http2.HeadersFrameParam{StreamID: uint32(2*i + 1), BlockFragment: hb.Bytes(), EndHeaders: true, EndStream: true})
		sf.WriteHeaders(http2.HeadersFrameParam{StreamID: uint32(2*i + 1), BlockFragment: []byte{0x88, 0xbe}, EndHeaders: true})
		sf.WriteData(uint32(2*i+1), true, []byte("body"))
	}
	f.Add(c.Bytes()[3:], s.Bytes()[5:], uint8(7))
	f.Add(c.Bytes(), s.Bytes(), uint8(0x85))
	f.Add([]byte{0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1}, []byte{0, 0, 0, 4, 1, 0, 0, 0, 0}, uint8(3))
	f.Fuzz(func(t *testing.T, client, server []byte, step uint8) {
		p := whttp.NewParser(&whttp.Config{KeepBodies: true}, func(tx *whttp.Transaction) {
			if tx.Request == nil && tx.Response == nil && tx.Note == "" {
				t.Fatal("empty transaction")
			}
			for _, m := range []*whttp.Message{tx.Request, tx.Response} {
				if m != nil && m.UnknownHeaders > 0 && tx.Note == "" {
					t.Fatal("unknown header fields without a note")
				}
			}
		})
		conn := &stream.Conn{}
		h := p.Open(conn)
		n := int(step%13) + 1
		for i := 0; len(client) > 0 || len(server) > 0; i++ {
			lost := 0
			if step&0x80 != 0 && i%5 == 4 {
				lost = n
			}
			k := min(n, len(client))
			h.Data(conn, stream.Chunk{Dir: stream.ClientToServer, Data: client[:k], Lost: lost})
			client = client[k:]
			k = min(n, len(server))
			h.Data(conn, stream.Chunk{Dir: stream.ServerToClient, Data: server[:k]})
			server = server[k:]
		}
		h.Close(conn)
	})
}
