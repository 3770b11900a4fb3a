package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/http2"

	"github.com/wirekit/wirekit/internal/testutil"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// h2cGoConv is Go's HTTP/2 client (prior knowledge) sending n GETs one
// after the other to Go's HTTP/2 server, over a pipe.
func h2cGoConv(t *testing.T, n int) *testutil.TCPConv {
	return testutil.PipeConv(t, "10.0.0.1:40000", "10.0.0.2:8080",
		func(c net.Conn) {
			(&http2.Server{}).ServeConn(c, &http2.ServeConnOpts{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "reply to %s", r.URL.Path)
			})})
		},
		func(c net.Conn) {
			cc, err := (&http2.Transport{AllowHTTP: true}).NewClientConn(c)
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				r, _ := http.NewRequest("GET", fmt.Sprintf("http://api.example/item/%d", i), nil)
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

// dropSegment returns frames without the k-th segment with payload sent
// by the client (fromClient) or the server.
func dropSegment(t *testing.T, frames []testutil.Frame, fromClient bool, k int) []testutil.Frame {
	t.Helper()
	for i, f := range frames {
		p := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil || len(tcp.Payload) == 0 || (tcp.DstPort == 8080 || tcp.DstPort == 443) != fromClient {
			continue
		}
		if k--; k < 0 {
			return append(append([]testutil.Frame(nil), frames[:i]...), frames[i+1:]...)
		}
	}
	t.Fatalf("fewer segments than asked for")
	return nil
}

// TestHTTPGapWarning: an HTTP/2 connection seen from its start that lost
// a segment gives a warning naming the connection and what was lost, and
// every request still comes out (those after the gap paired with their
// responses).
func TestHTTPGapWarning(t *testing.T) {
	conv := h2cGoConv(t, 8)
	for _, tc := range []struct {
		name       string
		fromClient bool
	}{{"client segment lost", true}, {"server segment lost", false}} {
		t.Run(tc.name, func(t *testing.T) {
			capf := filepath.Join(t.TempDir(), "gap.pcap")
			writeFrames(t, capf, dropSegment(t, conv.Frames, tc.fromClient, 6))
			code, out, stderr := run(t, nil, "http", "-r", capf, "--jsonl")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var warning string
			for _, l := range strings.Split(stderr, "\n") {
				if strings.Contains(l, "warning: connection 0 (10.0.0.1:40000 > 10.0.0.2:8080): ") {
					warning = l
				}
			}
			if !strings.Contains(warning, whttp.NoteGap+": ") || !strings.Contains(warning, " bytes lost, ") {
				t.Errorf("no warning naming connection 0 and the bytes lost in a gap on stderr:\n%s", stderr)
			}
			paired := 0
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if strings.Contains(l, `"request":`) && strings.Contains(l, `"response":`) && strings.Contains(l, `"status":200`) {
					paired++
				}
			}
			if paired < 7 {
				t.Errorf("%d of 8 requests paired with their response, want at least 7 (one may lose its request or response to the gap):\n%s", paired, out)
			}
		})
	}
}

// TestHTTPTLSGapWarning: a TLS connection (TLS 1.3 and 1.2, HTTP/1.1
// inside, decrypted with the key log) that lost one server segment in the
// middle: decryption resumes at the next record, wirekit http warns naming
// the connection, and the exchanges after the gap come out paired.
func TestHTTPTLSGapWarning(t *testing.T) {
	var x [][2][]byte
	for i := range 10 {
		body := strings.Repeat(fmt.Sprint(i), 3000)
		x = append(x, [2][]byte{[]byte(fmt.Sprintf("GET /item/%d HTTP/1.1\r\nHost: api.example\r\n\r\n", i)),
			[]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body))})
	}
	for _, tc := range []struct {
		name    string
		version uint16
	}{{"TLS 1.3", tls.VersionTLS13}, {"TLS 1.2", tls.VersionTLS12}} {
		t.Run(tc.name, func(t *testing.T) {
			var keylog bytes.Buffer
			conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tc.version, SNI: "api.example",
				ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: x})
			dir := t.TempDir()
			capf, keys := filepath.Join(dir, "gap.pcap"), filepath.Join(dir, "keys")
			if err := os.WriteFile(keys, keylog.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			writeFrames(t, capf, dropSegment(t, conv.Frames, false, 9))
			code, out, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", keys, "--jsonl")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, "warning: connection 0 (10.0.0.1:40000 > 10.0.0.2:443): TLS: bytes lost in capture gaps (1); decryption resumed") {
				t.Errorf("no warning that decryption resumed after the gap on stderr:\n%s", stderr)
			}
			paired := 0
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, `"status":200`) && strings.Contains(l, `"request":`) && strings.Contains(l, `"complete":true,"start"`) {
					paired++
				}
			}
			if paired < 8 {
				t.Errorf("%d of 10 exchanges paired, want at least 8 (the gap may cut one or two):\n%s\n%s", paired, out, stderr)
			}
		})
	}
}
