package http_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// jsonLines runs capture through Transactions with cfg, writing each
// transaction as a JSON line as it comes (as wirekit http does).
func jsonLines(t *testing.T, capture []byte, cfg *whttp.Config) string {
	t.Helper()
	src, err := pcapio.NewReader(bytes.NewReader(capture), "mem")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out bytes.Buffer
	w := whttp.NewJSONLWriter(&out)
	for tx, err := range whttp.Transactions(src, cfg) {
		if err != nil {
			t.Fatal(err)
		}
		w.Write(tx)
	}
	w.Flush()
	return out.String()
}

// TestReuseTransactions: with ReuseTransactions, every transaction written
// as it comes is the same as without (HTTP/2 with gRPC trailers and
// bodies, HTTP/1.1 keep-alive, a connection picked up mid-stream), and an
// HTTP/2 transaction costs at most 2 allocations in steady state (the
// header strings HPACK decodes afresh).
func TestReuseTransactions(t *testing.T) {
	var reqs []*http.Request
	for i := range 12 {
		r, _ := http.NewRequest("GET", fmt.Sprintf("http://api.example/p/%d", i), nil)
		if i%3 == 1 {
			r, _ = http.NewRequest("POST", "http://api.example/echo", strings.NewReader(strings.Repeat("e", 100*i)))
			r.Header.Set("Content-Type", "text/plain")
		}
		reqs = append(reqs, r)
	}
	h2c := h2cConv(t, reqs).Frames
	h1 := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", time.Unix(1700000000, 0))
	for i := range 10 {
		h1.Send(true, []byte(fmt.Sprintf("GET /item/%d HTTP/1.1\r\nHost: x\r\n\r\n", i)))
		h1.Send(false, []byte(resp(strings.Repeat("b", 10*i))))
	}
	h1.Close()
	// An h2c Upgrade: the HTTP/1.1 request becomes stream 1's.
	up := testutil.NewTCPConv("10.0.0.1:40001", "10.0.0.2:80", time.Unix(1700000000, 0))
	up.Send(true, []byte("GET /up HTTP/1.1\r\nHost: api.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"))
	var srv, hb bytes.Buffer
	srv.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
	fr := http2.NewFramer(&srv, nil)
	fr.WriteSettings()
	hpack.NewEncoder(&hb).WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hb.Bytes(), EndHeaders: true})
	fr.WriteData(1, true, []byte("upgraded!"))
	up.Send(false, srv.Bytes())
	up.Send(true, []byte(http2.ClientPreface))
	up.Close()
	for _, tc := range []struct {
		name   string
		frames []testutil.Frame
	}{
		{"h2c", h2c},
		{"grpc", grpcConv(t).Frames},
		{"HTTP/1.1", h1.Frames},
		{"h2c Upgrade", up.Frames},
		{"h2c picked up mid-connection", h2c[len(h2c)/2:]},
	} {
		for _, bodies := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s bodies=%v", tc.name, bodies), func(t *testing.T) {
				capture := frames2pcap(t, tc.frames)
				want := jsonLines(t, capture, &whttp.Config{KeepBodies: bodies})
				got := jsonLines(t, capture, &whttp.Config{KeepBodies: bodies, ReuseTransactions: true})
				if want == "" {
					t.Fatal("no transactions")
				}
				if got != want {
					t.Errorf("reused transactions differ:\n got %s\nwant %s", got, want)
				}
			})
		}
	}
	t.Run("allocations per HTTP/2 transaction", func(t *testing.T) {
		if raceEnabled {
			t.Skip("allocation counts do not hold under the race detector")
		}
		x := h2Conversation(50, 2000)
		p := whttp.NewParser(&whttp.Config{ReuseTransactions: true}, func(*whttp.Transaction) {})
		c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
		h := p.Open(c)
		x.feed(h, c, 1448, time.Unix(1, 0)) // the connection's start, and its free lists filled
		more := h2Conversation(100, 2000)
		more.parts = more.parts[1:] // streams 1.. again, past the SETTINGS: the same connection goes on
		allocs := testing.AllocsPerRun(1, func() {
			for _, q := range more.parts {
				h.Data(c, stream.Chunk{Dir: q.dir, Data: q.data})
			}
		})
		if per := allocs / float64(more.txs); per > 2 {
			t.Errorf("%.2f allocations per HTTP/2 transaction with ReuseTransactions, want <= 2", per)
		}
	})
}

// TestHTTP1Allocs: an HTTP/1.1 keep-alive transaction costs two
// allocations with ReuseTransactions (one string a header section, its
// fields substrings of it), not one per field.
func TestHTTP1Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	p := whttp.NewParser(&whttp.Config{ReuseTransactions: true}, func(*whttp.Transaction) {})
	c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
	h := p.Open(c)
	req := []byte("GET /v1/items/1?page=2 HTTP/1.1\r\nHost: api.example\r\nUser-Agent: bench/1.0\r\nAccept: application/json\r\nAccept-Encoding: identity\r\nX-Request-Id: 42\r\n\r\n")
	res := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nDate: Sat, 05 Dec 2026 15:41:12 GMT\r\nServer: x\r\n\r\n{}")
	one := func() {
		h.Data(c, stream.Chunk{Dir: c2s, Data: req, PeerAcked: -1})
		h.Data(c, stream.Chunk{Dir: s2c, Data: res, PeerAcked: -1})
	}
	one()
	if allocs := testing.AllocsPerRun(200, one); allocs > 2 {
		t.Errorf("%.1f allocations per HTTP/1.1 transaction, want <= 2", allocs)
	}
}

// FuzzReuseTransactions: arbitrary bytes of both directions (after an
// HTTP/2 preface or not, with gaps now and then), fed in pieces: the JSON
// lines written as transactions come are the same with and without
// ReuseTransactions.
func FuzzReuseTransactions(f *testing.F) {
	f.Add([]byte("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n"), []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n"), false, uint8(5))
	x := h2Conversation(3, 100)
	var c, s []byte
	for _, p := range x.parts {
		if p.dir == stream.ClientToServer {
			c = append(c, p.data...)
		} else {
			s = append(s, p.data...)
		}
	}
	f.Add(c[len(http2.ClientPreface):], s, true, uint8(9))
	f.Add(c, s, false, uint8(200))
	f.Fuzz(func(t *testing.T, client, server []byte, preface bool, step uint8) {
		run := func(reuse bool) string {
			var out bytes.Buffer
			w := whttp.NewJSONLWriter(&out)
			p := whttp.NewParser(&whttp.Config{KeepBodies: step%2 == 0, ReuseTransactions: reuse}, func(tx *whttp.Transaction) { w.Write(tx) })
			conn := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
			h := p.Open(conn)
			if preface {
				h.Data(conn, stream.Chunk{Dir: stream.ClientToServer, Data: []byte(http2.ClientPreface), PeerAcked: -1})
			}
			n := int(step%29) + 1
			cl, sv := client, server
			for i := 0; len(cl) > 0 || len(sv) > 0; i++ {
				lost := 0
				if step > 200 && i%7 == 3 {
					lost = 10
				}
				k := min(n, len(cl))
				h.Data(conn, stream.Chunk{Dir: stream.ClientToServer, Data: cl[:k], Lost: lost, PeerAcked: -1})
				cl = cl[k:]
				k = min(n, len(sv))
				h.Data(conn, stream.Chunk{Dir: stream.ServerToClient, Data: sv[:k], PeerAcked: -1})
				sv = sv[k:]
			}
			h.Close(conn)
			w.Flush()
			return out.String()
		}
		if a, b := run(false), run(true); a != b {
			t.Errorf("with ReuseTransactions:\n%s\nwithout:\n%s", b, a)
		}
	})
}
