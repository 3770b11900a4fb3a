package http_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// h2Exchange is one HTTP/2 connection's bytes: each stream's request and
// response, in the order they are fed, and the frames in them.
type h2Exchange struct {
	parts  []h2Part
	frames int
	txs    int
}

type h2Part struct {
	dir  stream.Dir
	data []byte
}

// h2Conversation writes a connection of n streams as Go's client and
// server would: the preface and SETTINGS, then for each stream a request
// HEADERS (a POST with a DATA body every third one) and a response
// HEADERS and DATA frames, header blocks HPACK-encoded with dynamic table
// use, bodies of body bytes in frames of at most 16 KiB.
func h2Conversation(n, body int) *h2Exchange {
	x := &h2Exchange{txs: n}
	var cb, sb, hb bytes.Buffer
	cf, sf := http2.NewFramer(&cb, nil), http2.NewFramer(&sb, nil)
	cenc, senc := hpack.NewEncoder(&hb), hpack.NewEncoder(&hb)
	flush := func() {
		if cb.Len() > 0 {
			x.parts = append(x.parts, h2Part{stream.ClientToServer, bytes.Clone(cb.Bytes())})
			cb.Reset()
		}
		if sb.Len() > 0 {
			x.parts = append(x.parts, h2Part{stream.ServerToClient, bytes.Clone(sb.Bytes())})
			sb.Reset()
		}
	}
	cb.WriteString(http2.ClientPreface)
	cf.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1 << 20})
	sf.WriteSettings(http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: 250})
	x.frames += 2
	flush()
	block := func(enc *hpack.Encoder, fields ...string) []byte {
		hb.Reset()
		for i := 0; i < len(fields); i += 2 {
			enc.WriteField(hpack.HeaderField{Name: fields[i], Value: fields[i+1]})
		}
		return bytes.Clone(hb.Bytes())
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), body/16+1)[:body]
	for i := range n {
		id := uint32(2*i + 1)
		post := i%3 == 2
		method := "GET"
		if post {
			method = "POST"
		}
		cf.WriteHeaders(http2.HeadersFrameParam{StreamID: id, EndHeaders: true, EndStream: !post,
			BlockFragment: block(cenc, ":method", method, ":scheme", "http", ":authority", "api.example",
				":path", fmt.Sprintf("/v1/items/%d?page=%d", i, i%7), "user-agent", "bench/1.0", "accept", "application/json")})
		x.frames++
		if post {
			cf.WriteData(id, true, payload[:min(len(payload), 1000)])
			x.frames++
		}
		sf.WriteHeaders(http2.HeadersFrameParam{StreamID: id, EndHeaders: true,
			BlockFragment: block(senc, ":status", "200", "content-type", "application/json",
				"content-length", fmt.Sprint(body), "date", "Sat, 05 Dec 2026 15:41:12 GMT")})
		x.frames++
		for off := 0; off < len(payload); off += 16384 {
			end := min(off+16384, len(payload))
			sf.WriteData(id, end == len(payload), payload[off:end])
			x.frames++
		}
		flush()
	}
	return x
}

// feed hands the exchange to h in segments of at most seg bytes.
func (x *h2Exchange) feed(h stream.ConnHandler, c *stream.Conn, seg int, t time.Time) {
	for _, p := range x.parts {
		for off := 0; off < len(p.data); off += seg {
			h.Data(c, stream.Chunk{Dir: p.dir, Data: p.data[off:min(off+seg, len(p.data))], Time: t})
		}
	}
}

// BenchmarkHTTP2 reads HTTP/2 connections of 100 streams (request and
// response header blocks, 4 KiB bodies) in 1448-byte segments through one
// Parser, as the CLI does, and reports the allocations per frame and per
// transaction next to allocs/op (one connection).
func BenchmarkHTTP2(b *testing.B) {
	x := h2Conversation(100, 4096)
	size := 0
	for _, p := range x.parts {
		size += len(p.data)
	}
	for _, tc := range []struct {
		name string
		cfg  *whttp.Config
	}{
		{"default", nil},
		{"bodies", &whttp.Config{KeepBodies: true}},
		{"reuse", &whttp.Config{ReuseTransactions: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			n := 0
			p := whttp.NewParser(tc.cfg, func(*whttp.Transaction) { n++ })
			c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
			t := time.Unix(1700000000, 0)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				c.ID++
				h := p.Open(c)
				x.feed(h, c, 1448, t)
				h.Close(c)
			}
			runtime.ReadMemStats(&ms1)
			if n != b.N*x.txs {
				b.Fatalf("%d transactions from %d connections of %d streams", n, b.N, x.txs)
			}
			allocs := float64(ms1.Mallocs-ms0.Mallocs) / float64(b.N)
			b.ReportMetric(allocs/float64(x.frames), "allocs/frame")
			b.ReportMetric(allocs/float64(x.txs), "allocs/tx")
		})
	}
}
