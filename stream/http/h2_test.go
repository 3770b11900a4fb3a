package http_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// grpcFrame is one gRPC length-prefixed message.
func grpcFrame(msg string) []byte {
	b := make([]byte, 5+len(msg))
	binary.BigEndian.PutUint32(b[1:], uint32(len(msg)))
	copy(b[5:], msg)
	return b
}

// h2Handler is the server side of the h2c tests.
func h2Handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.URL.Path == "/gzip":
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(strings.Repeat("compressed ", 500)))
		zw.Close()
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc"):
		w.Header().Set("Content-Type", "application/grpc")
		w.Header().Set("Trailer", "Grpc-Status, Grpc-Message")
		w.Write(grpcFrame("reply-1"))
		w.Write(grpcFrame("reply-two"))
		w.Header().Set("Grpc-Status", "5")
		w.Header().Set("Grpc-Message", "not found")
	case r.URL.Path == "/echo":
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	default:
		w.WriteHeader(404)
		fmt.Fprintf(w, "no %s", r.URL.Path)
	}
}

// h2cConv runs Go's HTTP/2 client (prior knowledge) against Go's HTTP/2
// server over a pipe, sending the requests one after the other.
func h2cConv(t *testing.T, reqs []*http.Request) *testutil.TCPConv {
	return testutil.PipeConv(t, "10.0.0.1:40000", "10.0.0.2:8080",
		func(c net.Conn) {
			(&http2.Server{}).ServeConn(c, &http2.ServeConnOpts{Handler: http.HandlerFunc(h2Handler)})
		},
		func(c net.Conn) {
			tr := &http2.Transport{AllowHTTP: true, DisableCompression: true}
			cc, err := tr.NewClientConn(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reqs {
				resp, err := cc.RoundTrip(r)
				if err != nil {
					t.Fatal(err)
				}
				io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			cc.Shutdown(context.Background())
		})
}

func frames2pcap(t *testing.T, frames []testutil.Frame) []byte {
	var buf bytes.Buffer
	w, _ := pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 262144, nil)
	for _, f := range frames {
		w.WritePacket(f.CI, f.Data)
	}
	w.Close()
	return buf.Bytes()
}

func transactions(t *testing.T, capture []byte) []*whttp.Transaction {
	src, err := pcapio.NewReader(bytes.NewReader(capture), "mem")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out []*whttp.Transaction
	for tx, err := range whttp.Transactions(src, &whttp.Config{KeepBodies: true}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tx)
	}
	return out
}

func TestHTTP2PriorKnowledge(t *testing.T) {
	mk := func(method, url, ctype, body string) *http.Request {
		r, _ := http.NewRequest(method, url, strings.NewReader(body))
		if body == "" {
			r.Body = nil
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		return r
	}
	grpcBody := string(grpcFrame("hello")) + string(grpcFrame("world!"))
	conv := h2cConv(t, []*http.Request{
		mk("GET", "http://api.example/missing?x=1", "", ""),
		mk("POST", "http://api.example/echo", "text/plain", strings.Repeat("e", 40000)),
		mk("GET", "http://api.example/gzip", "", ""),
		mk("POST", "http://api.example/pkg.Users/Get", "application/grpc", grpcBody),
	})
	txs := transactions(t, frames2pcap(t, conv.Frames))
	var got []string
	for _, tx := range txs {
		q, s := tx.Request, tx.Response
		if q == nil || s == nil {
			t.Fatalf("transaction %d: request %v response %v note %q", tx.Index, q, s, tx.Note)
		}
		line := fmt.Sprintf("%s %s %s %s -> %d %s %d/%d complete=%v/%v", q.Proto, q.Method, q.Get("Host"), q.URL, s.Status, s.Proto, q.ContentBytes, len(s.Body), q.Complete, s.Complete)
		if len(s.GRPCMessages) > 0 {
			line += fmt.Sprintf(" grpc %v/%v status %s %q", q.GRPCMessages, s.GRPCMessages, s.Get("grpc-status"), s.Get("grpc-message"))
		}
		got = append(got, line)
	}
	want := []string{
		"HTTP/2.0 GET api.example /missing?x=1 -> 404 HTTP/2.0 0/11 complete=true/true",
		"HTTP/2.0 POST api.example /echo -> 200 HTTP/2.0 40000/40000 complete=true/true",
		"HTTP/2.0 GET api.example /gzip -> 200 HTTP/2.0 0/5500 complete=true/true",
		"HTTP/2.0 POST api.example /pkg.Users/Get -> 200 HTTP/2.0 21/26 complete=true/true grpc [{false 5} {false 6}]/[{false 7} {false 9}] status 5 \"not found\"",
	}
	if !slices.Equal(got, want) {
		t.Errorf("transactions:\n got %q\nwant %q", got, want)
	}
}

// TestHTTP2Upgrade: an HTTP/1.1 request with Upgrade: h2c, a 101, then
// the response on stream 1 in HTTP/2 (frames built with x/net's framer).
func TestHTTP2Upgrade(t *testing.T) {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", time.Unix(1700000000, 0))
	c.Send(true, []byte("GET /up HTTP/1.1\r\nHost: api.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"))
	var srv bytes.Buffer
	srv.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
	fr := http2.NewFramer(&srv, nil)
	fr.WriteSettings()
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "text/plain"})
	fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hb.Bytes(), EndHeaders: true})
	fr.WriteData(1, true, []byte("upgraded!"))
	c.Send(false, srv.Bytes())
	var cli bytes.Buffer
	cli.WriteString("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	cf := http2.NewFramer(&cli, nil)
	cf.WriteSettings()
	hb.Reset()
	enc = hpack.NewEncoder(&hb)
	for _, f := range [][2]string{{":method", "GET"}, {":path", "/second"}, {":scheme", "http"}, {":authority", "api.example"}} {
		enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
	}
	cf.WriteHeaders(http2.HeadersFrameParam{StreamID: 3, BlockFragment: hb.Bytes(), EndHeaders: true, EndStream: true})
	c.Send(true, cli.Bytes())
	var srv2 bytes.Buffer
	sf := http2.NewFramer(&srv2, nil)
	sf.WriteRSTStream(3, http2.ErrCodeRefusedStream)
	c.Send(false, srv2.Bytes())
	c.Close()
	var got []string
	for _, tx := range transactions(t, frames2pcap(t, c.Frames)) {
		line := fmt.Sprintf("%s %s", tx.Request.Proto, tx.Request.URL)
		if s := tx.Response; s != nil {
			line += fmt.Sprintf(" -> %d %s %q", s.Status, s.Proto, s.Body)
		}
		if tx.Note != "" {
			line += " (" + tx.Note + ")"
		}
		got = append(got, line)
	}
	want := []string{
		`HTTP/1.1 /up -> 101 HTTP/1.1 ""`,
		`HTTP/1.1 /up -> 200 HTTP/2.0 "upgraded!"`,
		`HTTP/2.0 /second (stream reset by the server: REFUSED_STREAM)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("transactions:\n got %q\nwant %q", got, want)
	}
}

// TestHTTP2DataAllocs: DATA frames (the bulk of HTTP/2 traffic), whole in
// a segment or split across segments, are counted without allocating when
// bodies are not kept.
func TestHTTP2DataAllocs(t *testing.T) {
	p := whttp.NewParser(nil, nil)
	c := &stream.Conn{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80")}
	h := p.Open(c)
	var cb, sb, hb bytes.Buffer
	cb.WriteString(http2.ClientPreface)
	cf, sf := http2.NewFramer(&cb, nil), http2.NewFramer(&sb, nil)
	cf.WriteSettings()
	enc := hpack.NewEncoder(&hb)
	enc.WriteField(hpack.HeaderField{Name: ":method", Value: "GET"})
	enc.WriteField(hpack.HeaderField{Name: ":path", Value: "/big"})
	cf.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: bytes.Clone(hb.Bytes()), EndHeaders: true, EndStream: true})
	hb.Reset()
	enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	sf.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: hb.Bytes(), EndHeaders: true})
	h.Data(c, stream.Chunk{Dir: stream.ClientToServer, Data: cb.Bytes()})
	h.Data(c, stream.Chunk{Dir: stream.ServerToClient, Data: sb.Bytes()})
	sb.Reset()
	sf.WriteData(1, false, make([]byte, 16384))
	frame := bytes.Clone(sb.Bytes())
	for _, tc := range []struct {
		name string
		seg  int
	}{{"whole frames", len(frame)}, {"frames across 1448-byte segments", 1448}} {
		allocs := testing.AllocsPerRun(200, func() {
			for off := 0; off < len(frame); off += tc.seg {
				h.Data(c, stream.Chunk{Dir: stream.ServerToClient, Data: frame[off:min(off+tc.seg, len(frame))]})
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per DATA frame", tc.name, allocs)
		}
	}
}
