package cli

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// tlsCapture writes one TLS 1.2 and one TLS 1.3 connection (Go's client
// and server) and a plain HTTP one.
func tlsCapture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tls.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := pcapio.NewPcapWriter(f, layers.LinkTypeEthernet, 262144, nil)
	convs := []*testutil.TCPConv{
		testutil.TLSConv(t, "10.0.0.1:40001", "10.0.0.2:443", tls.VersionTLS12, "api.example", []string{"h2", "http/1.1"}, []byte("GET / HTTP/1.1\r\n\r\n"), []byte("HTTP/1.1 204 No Content\r\n\r\n")),
		testutil.TLSConv(t, "10.0.0.1:40002", "10.0.0.3:8443", tls.VersionTLS13, "cdn.example", []string{"http/1.1"}, []byte("GET / HTTP/1.1\r\n\r\n"), []byte("HTTP/1.1 204 No Content\r\n\r\n")),
	}
	plain := testutil.NewTCPConv("10.0.0.1:40003", "10.0.0.4:80", convs[1].T)
	plain.Send(true, []byte("GET /x HTTP/1.1\r\nHost: plain.example\r\n\r\n"))
	plain.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
	plain.Close()
	convs = append(convs, plain)
	for i, c := range convs {
		for _, fr := range c.Frames {
			fr.CI.Timestamp = fr.CI.Timestamp.Add(10 * time.Duration(i) * time.Second)
			w.WritePacket(fr.CI, fr.Data)
		}
	}
	w.Close()
	f.Close()
	return path
}

func TestStreamsJSONTLSFacts(t *testing.T) {
	capf := tlsCapture(t)
	code, out, stderr := run(t, nil, "streams", "-r", capf, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type rec struct {
		Server string
		TLS    *struct {
			SNI          string   `json:"sni"`
			ALPNOffered  []string `json:"alpn_offered"`
			ALPN         string
			Version      string
			CipherSuite  string `json:"cipher_suite"`
			JA3, JA3S    string
			JA4          string
			Certificates []struct{ Subject string }
		}
	}
	got := map[string]rec{}
	for _, l := range nonEmptyLines(out) {
		var r rec
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		got[r.Server] = r
	}
	for _, tc := range []struct {
		server, sni, alpn, version, ja4prefix string
		certs                                 int
	}{
		{"10.0.0.2:443", "api.example", "h2", "TLS 1.2", "t12d", 1},
		{"10.0.0.3:8443", "cdn.example", "", "TLS 1.3", "t13d", 0},
	} {
		r := got[tc.server]
		if r.TLS == nil {
			t.Errorf("%s: no tls facts in %q", tc.server, out)
			continue
		}
		x := r.TLS
		if x.SNI != tc.sni || x.ALPN != tc.alpn || x.Version != tc.version || !strings.HasPrefix(x.JA4, tc.ja4prefix) ||
			len(x.JA3) != 32 || len(x.JA3S) != 32 || x.CipherSuite == "" || len(x.Certificates) != tc.certs {
			t.Errorf("%s: tls facts %+v", tc.server, *x)
		}
	}
	if r := got["10.0.0.4:80"]; r.TLS != nil {
		t.Errorf("plain HTTP connection has tls facts %+v", *r.TLS)
	}
}

// TestHTTPTLSKeylog: with the key log Go's endpoints wrote, http reads the
// HTTP/1.1 transactions inside TLS 1.2 and TLS 1.3 connections; without it,
// or with another session's keys, it lists the connections and says why
// they were not read.
func TestHTTPTLSKeylog(t *testing.T) {
	dir := t.TempDir()
	var keylog bytes.Buffer
	capf := filepath.Join(dir, "tls.pcap")
	f, _ := os.Create(capf)
	w, _ := pcapio.NewPcapWriter(f, layers.LinkTypeEthernet, 262144, nil)
	for i, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		var x [][2][]byte
		for j := range 3 {
			body := strings.Repeat("x", 10+j*3000)
			x = append(x, [2][]byte{[]byte(fmt.Sprintf("GET /v%d/item/%d HTTP/1.1\r\nHost: api.example\r\n\r\n", i, j)),
				[]byte(fmt.Sprintf("HTTP/1.1 %d OK\r\nContent-Length: %d\r\n\r\n%s", 200+j, len(body), body))})
		}
		conv := testutil.TLSConvWith(t, fmt.Sprintf("10.0.0.1:4000%d", i), "10.0.0.2:443", testutil.TLSOptions{Version: v, SNI: "api.example",
			ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: x})
		for _, fr := range conv.Frames {
			fr.CI.Timestamp = fr.CI.Timestamp.Add(time.Duration(i) * time.Minute)
			w.WritePacket(fr.CI, fr.Data)
		}
	}
	w.Close()
	f.Close()
	kl := filepath.Join(dir, "keys.log")
	os.WriteFile(kl, keylog.Bytes(), 0o600)
	code, out, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", kl)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"GET api.example /v0/item/0 -> 200", "GET api.example /v0/item/2 -> 202", "GET api.example /v1/item/1 -> 201",
		"TLS api.example http/1.1 TLS 1.2 (decrypted", "TLS api.example http/1.1 TLS 1.3 (decrypted"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s%s", want, out, stderr)
		}
	}
	if !strings.Contains(stderr, "2 TLS connections (2 decrypted)") {
		t.Errorf("summary %q, want 2 of 2 TLS connections decrypted", stderr)
	}
	if n := strings.Count(out, " -> "); n != 6 {
		t.Errorf("%d transactions, want 6:\n%s", n, out)
	}
	// Keys of other sessions only.
	other := filepath.Join(dir, "other.log")
	os.WriteFile(other, []byte("CLIENT_RANDOM "+strings.Repeat("ab", 32)+" "+strings.Repeat("cd", 48)+"\n"), 0o600)
	code, out, _ = run(t, nil, "http", "-r", capf, "--tls-keylog", other)
	if code != 0 || strings.Contains(out, " -> ") || strings.Count(out, "not decrypted: tlsdecrypt: no key") != 2 {
		t.Errorf("exit %d, with other keys:\n%s", code, out)
	}
	code, _, stderr = run(t, nil, "http", "-r", capf, "--tls-keylog", filepath.Join(dir, "missing.log"))
	if code == 0 || !strings.Contains(stderr, "--tls-keylog") {
		t.Errorf("missing key log: exit %d, %s", code, stderr)
	}
}
