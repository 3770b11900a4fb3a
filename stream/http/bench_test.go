package http_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// TestBodyAllocs: body bytes (the bulk of HTTP traffic) are counted
// without allocating when bodies are not kept.
func TestBodyAllocs(t *testing.T) {
	p := whttp.NewParser(nil, nil)
	c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
	h := p.Open(c)
	h.Data(c, stream.Chunk{Dir: c2s, Data: []byte(get)})
	h.Data(c, stream.Chunk{Dir: s2c, Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")})
	seg := []byte(strings.Repeat("x", 1448))
	allocs := testing.AllocsPerRun(1000, func() { h.Data(c, stream.Chunk{Dir: s2c, Data: seg, Time: t0}) })
	if allocs != 0 {
		t.Errorf("%.1f allocations per body segment", allocs)
	}
}

// BenchmarkParser feeds 100 keep-alive transactions (10 kB bodies, half
// chunked) in 1448-byte segments.
func BenchmarkParser(b *testing.B) {
	var req, res strings.Builder
	body := strings.Repeat("b", 10000)
	for i := 0; i < 100; i++ {
		req.WriteString("GET /item/" + itoa(i) + " HTTP/1.1\r\nHost: example.com\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
		if i%2 == 0 {
			res.WriteString(resp(body))
		} else {
			res.WriteString("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2710\r\n" + body + "\r\n0\r\n\r\n")
		}
	}
	rq, rs := []byte(req.String()), []byte(res.String())
	b.SetBytes(int64(len(rq) + len(rs)))
	b.ReportAllocs()
	c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
	n := 0
	for b.Loop() {
		p := whttp.NewParser(nil, func(*whttp.Transaction) { n++ })
		h := p.Open(c)
		ts := time.Unix(1, 0)
		for _, d := range []struct {
			dir  stream.Dir
			data []byte
		}{{c2s, rq}, {s2c, rs}} {
			for off := 0; off < len(d.data); off += 1448 {
				h.Data(c, stream.Chunk{Dir: d.dir, Data: d.data[off:min(off+1448, len(d.data))], Time: ts})
			}
		}
		h.Close(c)
	}
	if n%100 != 0 {
		b.Fatalf("%d transactions", n)
	}
}
