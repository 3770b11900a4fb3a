package http_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"github.com/andybalholm/brotli"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

const (
	c2s = stream.ClientToServer
	s2c = stream.ServerToClient
)

type chunk struct {
	dir  stream.Dir
	data string
	lost int
	end  bool
}

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// parse feeds chunks to a Parser, each chunk split into pieces of at most
// step bytes (0: whole), one millisecond apart.
func parse(cfg *whttp.Config, chunks []chunk, step int) ([]*whttp.Transaction, whttp.Stats) {
	var txs []*whttp.Transaction
	p := whttp.NewParser(cfg, func(tx *whttp.Transaction) { txs = append(txs, tx) })
	c := &stream.Conn{ID: 7, Client: netip.MustParseAddrPort("10.0.0.1:40000"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
	h := p.Open(c)
	ts := t0
	for _, ch := range chunks {
		ts = ts.Add(time.Millisecond)
		data := []byte(ch.data)
		first := true
		for first || len(data) > 0 {
			n := len(data)
			if step > 0 && n > step {
				n = step
			}
			sc := stream.Chunk{Dir: ch.dir, Data: data[:n], Time: ts}
			if first {
				sc.Lost = ch.lost
			}
			data = data[n:]
			sc.End = ch.end && len(data) == 0
			h.Data(c, sc)
			first = false
		}
	}
	c.Last = ts
	h.Close(c)
	return txs, p.Stats()
}

// summary is a short text form of a transaction for comparisons.
func summary(tx *whttp.Transaction) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d ", tx.Index)
	if q := tx.Request; q != nil {
		fmt.Fprintf(&b, "%s %s %d", q.Method, q.URL, q.ContentBytes)
		if !q.Complete {
			b.WriteString(" partial")
		}
	} else {
		b.WriteString("-")
	}
	b.WriteString(" => ")
	if s := tx.Response; s != nil {
		fmt.Fprintf(&b, "%d %d", s.Status, s.ContentBytes)
		if s.Missing > 0 {
			fmt.Fprintf(&b, " missing %d", s.Missing)
		}
		if !s.Complete {
			b.WriteString(" partial")
		}
		if s.Body != nil {
			fmt.Fprintf(&b, " body %q", s.Body)
		}
		if s.DecodeError != "" {
			b.WriteString(" decode-error")
		}
	} else {
		b.WriteString("-")
	}
	return b.String()
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func br(s string) string {
	var b bytes.Buffer
	w := brotli.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func zl(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

const get = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"

func resp(body string) string {
	return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

func TestParser(t *testing.T) {
	keep := &whttp.Config{KeepBodies: true}
	tests := []struct {
		name  string
		cfg   *whttp.Config
		in    []chunk
		want  []string
		check func(t *testing.T, txs []*whttp.Transaction, st whttp.Stats)
	}{
		{"simple", nil, []chunk{{c2s, get, 0, false}, {s2c, resp("hello"), 0, false}},
			[]string{"#0 GET /a 0 => 200 5"}, nil},
		{"keep-alive", nil, []chunk{{c2s, get, 0, false}, {s2c, resp("one"), 0, false}, {c2s, "GET /b HTTP/1.1\r\n\r\n", 0, false}, {s2c, resp("three"), 0, false}},
			[]string{"#0 GET /a 0 => 200 3", "#1 GET /b 0 => 200 5"}, nil},
		{"pipelined", nil, []chunk{{c2s, get + "GET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n", 0, false}, {s2c, resp("1") + resp("22") + resp("333"), 0, false}},
			[]string{"#0 GET /a 0 => 200 1", "#1 GET /b 0 => 200 2", "#2 GET /c 0 => 200 3"}, nil},
		{"chunked with extension and trailer", keep, []chunk{{c2s, get, 0, false},
			{s2c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n", 0, false}},
			[]string{`#0 GET /a 0 => 200 11 body "hello world"`}, nil},
		{"close-delimited", keep, []chunk{{c2s, "GET / HTTP/1.0\r\n\r\n", 0, false}, {s2c, "HTTP/1.0 200 OK\r\n\r\nuntil the end", 0, true}},
			[]string{`#0 GET / 0 => 200 13 body "until the end"`}, nil},
		{"close-delimited cut by connection close without FIN", nil, []chunk{{c2s, "GET / HTTP/1.0\r\n\r\n", 0, false}, {s2c, "HTTP/1.0 200 OK\r\n\r\nuntil", 0, false}},
			[]string{"#0 GET / 0 => 200 5"}, nil},
		{"HEAD has no body", nil, []chunk{{c2s, "HEAD /a HTTP/1.1\r\n\r\n" + get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n" + resp("ok"), 0, false}},
			[]string{"#0 HEAD /a 0 => 200 0", "#1 GET /a 0 => 200 2"}, nil},
		{"204 and 304 have no body", nil, []chunk{{c2s, get + get, 0, false}, {s2c, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 0, false}},
			[]string{"#0 GET /a 0 => 204 0", "#1 GET /a 0 => 304 0"}, nil},
		{"100 continue", nil, []chunk{{c2s, "POST /up HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n", 0, false},
			{s2c, "HTTP/1.1 100 Continue\r\n\r\n", 0, false}, {c2s, "data", 0, false}, {s2c, resp("k"), 0, false}},
			[]string{"#0 POST /up 4 => 200 1"}, func(t *testing.T, _ []*whttp.Transaction, st whttp.Stats) {
				if st.Interim != 1 {
					t.Errorf("interim %d", st.Interim)
				}
			}},
		{"gzip", keep, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + fmt.Sprint(len(gz("compressed text"))) + "\r\n\r\n" + gz("compressed text"), 0, false}},
			[]string{fmt.Sprintf("#0 GET /a 0 => 200 %d body %q", len(gz("compressed text")), "compressed text")}, nil},
		{"deflate zlib", keep, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: " + fmt.Sprint(len(zl("zz"))) + "\r\n\r\n" + zl("zz"), 0, false}},
			[]string{fmt.Sprintf("#0 GET /a 0 => 200 %d body %q", len(zl("zz")), "zz")}, nil},
		{"gzip transfer coding", keep, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(gz("tc")), gz("tc")), 0, false}},
			[]string{fmt.Sprintf("#0 GET /a 0 => 200 %d body %q", len(gz("tc")), "tc")}, nil},
		{"br", keep, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: " + fmt.Sprint(len(br("brotli text"))) + "\r\n\r\n" + br("brotli text"), 0, false}},
			[]string{fmt.Sprintf("#0 GET /a 0 => 200 %d body %q", len(br("brotli text")), "brotli text")}, nil},
		{"unknown coding is not decoded", keep, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\nContent-Length: 3\r\n\r\nabc", 0, false}},
			[]string{`#0 GET /a 0 => 200 3 body "abc" decode-error`}, nil},
		{"response without request", nil, []chunk{{s2c, resp("x"), 0, false}, {c2s, get, 0, false}, {s2c, resp("yy"), 0, false}},
			[]string{"#0 - => 200 1", "#1 GET /a 0 => 200 2"}, func(t *testing.T, _ []*whttp.Transaction, st whttp.Stats) {
				if st.Unrequested != 1 {
					t.Errorf("unrequested %d", st.Unrequested)
				}
			}},
		{"request without response", nil, []chunk{{c2s, get, 0, false}, {s2c, resp("x"), 0, false}, {c2s, "GET /lost HTTP/1.1\r\n\r\n", 0, false}},
			[]string{"#0 GET /a 0 => 200 1", "#1 GET /lost 0 => -"}, func(t *testing.T, _ []*whttp.Transaction, st whttp.Stats) {
				if st.Unanswered != 1 {
					t.Errorf("unanswered %d", st.Unanswered)
				}
			}},
		{"gap inside a body", keep, []chunk{{c2s, get + get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, false}, {s2c, "hij" + resp("next"), 4, false}},
			[]string{`#0 GET /a 0 => 200 10 missing 4 partial body "abchij"`, `#1 GET /a 0 => 200 4 body "next"`}, nil},
		{"gap past the end of a body", nil, []chunk{{c2s, get + get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, false}, {s2c, "x\r\n" + resp("next"), 20, false}},
			[]string{"#0 GET /a 0 => 200 10 missing 7 partial", "#1 GET /a 0 => 200 4"}, nil},
		{"gap in headers resyncs", nil, []chunk{{c2s, get + get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-", 0, false}, {s2c, "gth: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nX: y\r\n\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 5, false}},
			[]string{"#0 GET /a 0 => 200 0 missing 5 partial", "#1 GET /a 0 => 200 2"}, func(t *testing.T, _ []*whttp.Transaction, st whttp.Stats) {
				if st.Resyncs == 0 {
					t.Errorf("no resync counted")
				}
			}},
		{"bare LF lines", nil, []chunk{{c2s, "GET /lf HTTP/1.0\n\n", 0, false}, {s2c, "HTTP/1.0 200 OK\nContent-Length: 2\n\nok", 0, false}},
			[]string{"#0 GET /lf 0 => 200 2"}, nil},
		{"POST body", keep, []chunk{{c2s, "POST /f HTTP/1.1\r\nContent-Length: 7\r\n\r\na=1&b=2", 0, false}, {s2c, resp(""), 0, false}},
			[]string{"#0 POST /f 7 => 200 0"}, nil},
		{"upgrade stops parsing", nil, []chunk{{c2s, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", 0, false}, {s2c, "HTTP/1.1 101 Switching Protocols\r\n\r\n", 0, false}, {c2s, "GET /not-http HTTP/1.1\r\n\r\n", 0, false}},
			[]string{"#0 GET /ws 0 => 101 0"}, nil},
		{"invalid content-length", nil, []chunk{{c2s, "GET /a HTTP/1.1\r\n\r\n", 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nxyz", 0, false}},
			[]string{"#0 GET /a 0 => 200 0 partial"}, nil},
		{"header too large", &whttp.Config{MaxHeaderBytes: 64}, []chunk{{c2s, "GET /a HTTP/1.1\r\nX: " + strings.Repeat("v", 100) + "\r\n\r\n" + get, 0, false}, {s2c, resp("1"), 0, false}},
			[]string{"#0 GET /a 0 => 200 1"}, func(t *testing.T, _ []*whttp.Transaction, st whttp.Stats) {
				if st.HeaderTooBig != 1 {
					t.Errorf("header too big %d", st.HeaderTooBig)
				}
			}},
		{"server speaks first: orientation from content", nil, []chunk{{c2s, resp("x"), 0, false}, {s2c, get, 0, false}},
			[]string{"#0 - => 200 1", "#1 GET /a 0 => -"}, nil},
		{"body cap", &whttp.Config{KeepBodies: true, MaxBodyBytes: 4}, []chunk{{c2s, get, 0, false}, {s2c, resp("0123456789"), 0, false}},
			[]string{`#0 GET /a 0 => 200 10 body "0123"`}, func(t *testing.T, txs []*whttp.Transaction, _ whttp.Stats) {
				if !txs[0].Response.BodyTruncated || txs[0].Response.DecodedBytes != -1 {
					t.Errorf("truncated %v decoded %d", txs[0].Response.BodyTruncated, txs[0].Response.DecodedBytes)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, step := range []int{0, 1, 3} {
				txs, st := parse(tc.cfg, tc.in, step)
				var got []string
				for _, tx := range txs {
					got = append(got, summary(tx))
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("fed %d bytes at a time:\ngot  %q\nwant %q", step, got, tc.want)
				}
				if tc.check != nil {
					tc.check(t, txs, st)
				}
			}
		})
	}
}

func TestTimings(t *testing.T) {
	txs, _ := parse(nil, []chunk{{c2s, get, 0, false}, {s2c, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", 0, false}, {s2c, "cd", 0, false}}, 0)
	if len(txs) != 1 {
		t.Fatalf("%d transactions", len(txs))
	}
	q, s := txs[0].Request, txs[0].Response
	if !q.Start.Equal(t0.Add(time.Millisecond)) || !s.Start.Equal(t0.Add(2*time.Millisecond)) || !s.End.Equal(t0.Add(3*time.Millisecond)) {
		t.Errorf("request %v, response %v..%v", q.Start, s.Start, s.End)
	}
	if q.HeaderBytes != len(get) || s.HeaderBytes != len("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n") {
		t.Errorf("header bytes %d %d", q.HeaderBytes, s.HeaderBytes)
	}
}

// TestEarlyResponse: a response captured before its request (its packet
// acknowledges request bytes not yet seen) waits for that request instead
// of being reported without one.
func TestEarlyResponse(t *testing.T) {
	for _, tc := range []struct {
		name      string
		peerAcked int64
		want      []string
	}{
		{"acknowledges unseen request bytes", int64(len(get)), []string{"#0 GET /a 0 => 200 2"}},
		{"acknowledges nothing new", 0, []string{"#0 - => 200 2", "#1 GET /a 0 => -"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			p := whttp.NewParser(nil, func(tx *whttp.Transaction) { got = append(got, summary(tx)) })
			c := &stream.Conn{}
			h := p.Open(c)
			h.Data(c, stream.Chunk{Dir: s2c, Data: []byte(resp("ok")), Time: t0, PeerAcked: tc.peerAcked, PeerAckKnown: true})
			h.Data(c, stream.Chunk{Dir: c2s, Data: []byte(get), Time: t0})
			h.Close(c)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBodiesTotalCap: bodies held at once across connections are capped,
// and the budget is given back when a message ends.
func TestBodiesTotalCap(t *testing.T) {
	var got []string
	p := whttp.NewParser(&whttp.Config{KeepBodies: true, MaxBodiesTotal: 10}, func(tx *whttp.Transaction) { got = append(got, summary(tx)) })
	c1, c2 := &stream.Conn{ID: 1}, &stream.Conn{ID: 2}
	h1, h2 := p.Open(c1), p.Open(c2)
	h1.Data(c1, stream.Chunk{Dir: c2s, Data: []byte(get)})
	h2.Data(c2, stream.Chunk{Dir: c2s, Data: []byte(get)})
	h1.Data(c1, stream.Chunk{Dir: s2c, Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n1234567")})
	h2.Data(c2, stream.Chunk{Dir: s2c, Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nabcdefgh")})
	h1.Data(c1, stream.Chunk{Dir: s2c, Data: []byte("8" + resp("0123456789"))})
	want := []string{`#0 GET /a 0 => 200 8 body "abc"`, `#0 GET /a 0 => 200 8 body "12345678"`, `#1 - => 200 10 body "0123456789"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
