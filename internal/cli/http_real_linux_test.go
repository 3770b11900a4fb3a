package cli

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTPRealCurl captures curl (HTTP/1.1 and HTTP/2 over TLS 1.2 and
// 1.3 with SSLKEYLOGFILE, h2c with prior knowledge and with Upgrade)
// talking to Go servers across a veth pair, then reads the capture with
// 'wirekit http --tls-keylog' and checks each request's method, path,
// host, status and body size against what the server sent. It skips
// without curl.
func TestHTTPRealCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed (apt-get install curl)")
	}
	n := testutil.NewVethNS(t)
	body := func(path string) []byte { return []byte(strings.Repeat("body of "+path+"\n", 200)) }
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body(r.URL.Path))
	})
	tlsLn, err := net.Listen("tcp", n.HostIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	cert := testutil.SelfSigned(t, "api.test")
	tlsSrv := &http.Server{Handler: handler, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	http2.ConfigureServer(tlsSrv, nil)
	go tlsSrv.ServeTLS(tlsLn, "", "")
	defer tlsSrv.Close()
	plainLn, err := net.Listen("tcp", n.HostIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	plainSrv := &http.Server{Handler: h2c.NewHandler(handler, &http2.Server{})}
	go plainSrv.Serve(plainLn)
	defer plainSrv.Close()
	tp, pp := tlsLn.Addr().(*net.TCPAddr).Port, plainLn.Addr().(*net.TCPAddr).Port

	dir := t.TempDir()
	capf, keylog := filepath.Join(dir, "curl.pcap"), filepath.Join(dir, "keys.log")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"capture", "-i", n.Host, "-w", capf, "tcp"}, nil, &out, &errb)
	}()
	waitFor(t, func() bool { return strings.Contains(errb.String(), "listening on") }, "listening")
	type call struct {
		args       []string
		path, host string
		proto      string
	}
	tlsURL := fmt.Sprintf("https://api.test:%d", tp)
	calls := []call{
		{[]string{"--http1.1", "--tlsv1.3"}, "/tls13-h1", "api.test", "HTTP/1.1"},
		{[]string{"--http2", "--tlsv1.3"}, "/tls13-h2", "api.test", "HTTP/2.0"},
		{[]string{"--http1.1", "--tls-max", "1.2"}, "/tls12-h1", "api.test", "HTTP/1.1"},
		{[]string{"--http2", "--tls-max", "1.2"}, "/tls12-h2", "api.test", "HTTP/2.0"},
		{[]string{"--http2-prior-knowledge"}, "/h2c-prior", "", "HTTP/2.0"},
		{[]string{"--http2"}, "/h2c-upgrade", "", "HTTP/1.1"}, // the upgraded request is HTTP/1.1; its response HTTP/2
	}
	for _, c := range calls {
		url := tlsURL + c.path
		if c.host == "" {
			url = fmt.Sprintf("http://%s:%d%s", n.HostIP, pp, c.path)
		}
		args := append([]string{"netns", "exec", n.NS, "env", "SSLKEYLOGFILE=" + keylog, "curl", "-sk", "-o", "/dev/null",
			"--resolve", fmt.Sprintf("api.test:%d:%s", tp, n.HostIP)}, c.args...)
		if b, err := exec.Command("ip", append(args, url)...).CombinedOutput(); err != nil {
			t.Fatalf("curl %v: %v: %s", c.args, err, b)
		}
	}
	time.Sleep(300 * time.Millisecond) // the last packets reach the capture
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("capture exit %d: %s", code, errb.String())
	}
	code, js, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", keylog, "--jsonl", "--har", filepath.Join(dir, "out.har"))
	if code != 0 {
		t.Fatalf("http exit %d: %s", code, stderr)
	}
	code, js, stderr = run(t, nil, "http", "-r", capf, "--tls-keylog", keylog, "--jsonl")
	if code != 0 {
		t.Fatalf("http exit %d: %s", code, stderr)
	}
	type rec struct {
		Type, Method, URL, Host string
		Status                  int
		Request                 struct{ Proto string }
		Response                struct {
			ContentBytes int64 `json:"content_bytes"`
		}
		TLS *struct {
			SNI, ALPN, Version, Decryption string
		}
	}
	byPath := map[string]rec{}
	var tlsRecs []rec
	for _, l := range nonEmptyLines(js) {
		var r rec
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Type == "tls" {
			tlsRecs = append(tlsRecs, r)
			continue
		}
		byPath[r.URL] = r
	}
	for _, c := range calls {
		r, ok := byPath[c.path]
		if !ok {
			t.Errorf("%v: no transaction for %s in\n%s\n%s", c.args, c.path, js, stderr)
			continue
		}
		wantHost := c.host
		if wantHost == "" {
			wantHost = fmt.Sprintf("%s:%d", n.HostIP, pp)
		} else {
			wantHost = fmt.Sprintf("%s:%d", c.host, tp)
		}
		if r.Method != "GET" || r.Status != 200 || r.Host != wantHost || r.Request.Proto != c.proto || r.Response.ContentBytes != int64(len(body(c.path))) {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
	versions := map[string]int{}
	for _, r := range tlsRecs {
		if r.TLS != nil {
			versions[r.TLS.Version+" "+r.TLS.ALPN]++
		}
	}
	if versions["TLS 1.2 h2"] != 1 || versions["TLS 1.2 http/1.1"] != 1 || versions["TLS 1.3 h2"] != 1 || versions["TLS 1.3 http/1.1"] != 1 {
		t.Errorf("TLS versions and chosen ALPN %v", versions)
	}
	if len(tlsRecs) != 4 {
		t.Errorf("%d TLS records, want 4", len(tlsRecs))
	}
	for _, r := range tlsRecs {
		if r.TLS == nil || r.TLS.SNI != "api.test" || !strings.HasPrefix(r.TLS.Decryption, "decrypted") {
			t.Errorf("TLS record %+v", r)
		}
	}
}
