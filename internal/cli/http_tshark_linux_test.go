package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTPAgreesWithTshark makes real traffic across a veth pair (curl
// over TLS 1.2 and 1.3 with SSLKEYLOGFILE, HTTP/1.1 and h2; curl h2c with
// prior knowledge and with Upgrade; a gRPC-style POST; nghttp against
// nghttpd when installed), captures it with 'wirekit capture', and checks
// that 'wirekit http --tls-keylog' and tshark (-o tls.keylog_file) agree
// on every request's method, path, authority or Host, status and response
// body hash, and on each TLS connection's SNI, offered ALPN and JA3. It
// skips without tshark or curl.
func TestHTTPAgreesWithTshark(t *testing.T) {
	for _, tool := range []string{"tshark", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	n := testutil.NewVethNS(t)
	body := func(path string) []byte { return []byte(strings.Repeat("body of "+path+"\n", 50+len(path)*37)) }
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the whole request first: a handler that returns before
		// the body is in makes Go's HTTP/2 server reset the stream, and
		// curl then fails now and then (exit 92) depending on timing.
		io.Copy(io.Discard, r.Body)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
			w.Header().Set("Content-Type", "application/grpc")
			w.Header().Set("Trailer", "Grpc-Status")
			w.Write(grpcMsg("reply to " + r.URL.Path))
			w.Header().Set("Grpc-Status", "0")
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body(r.URL.Path))
	})
	listen := func(port int) net.Listener {
		ln, err := net.Listen("tcp", fmt.Sprintf("%s:%d", n.HostIP, port))
		if err != nil {
			t.Fatal(err)
		}
		return ln
	}
	cert := testutil.SelfSigned(t, "api.test")
	tlsLn := listen(0)
	tlsSrv := &http.Server{Handler: handler, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	http2.ConfigureServer(tlsSrv, nil)
	go tlsSrv.ServeTLS(tlsLn, "", "")
	defer tlsSrv.Close()
	h2cLn, upLn := listen(0), listen(80) // Upgrade on port 80, where tshark looks for HTTP
	for _, ln := range []net.Listener{h2cLn, upLn} {
		srv := &http.Server{Handler: h2c.NewHandler(handler, &http2.Server{})}
		go srv.Serve(ln)
		defer srv.Close()
	}
	tp, hp := tlsLn.Addr().(*net.TCPAddr).Port, h2cLn.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	capf, keylog := filepath.Join(dir, "real.pcap"), filepath.Join(dir, "keys.log")

	// nghttpd serves files from a directory, in clear and over TLS.
	var ngPort, ngTLSPort int
	var ngFiles []string
	if _, err := exec.LookPath("nghttpd"); err == nil {
		if _, err := exec.LookPath("nghttp"); err == nil {
			ngPort, ngTLSPort = freePort(t, n.HostIP), freePort(t, n.HostIP)
			docs := filepath.Join(dir, "docs")
			os.Mkdir(docs, 0o755)
			for _, f := range []string{"ng-one", "ng-two", "ng-three"} {
				os.WriteFile(filepath.Join(docs, f), body("/"+f), 0o644)
				ngFiles = append(ngFiles, f)
			}
			keyf, certf := writePEM(t, dir, cert)
			for _, args := range [][]string{{"--no-tls", "-d", docs, strconv.Itoa(ngPort)}, {"-d", docs, strconv.Itoa(ngTLSPort), keyf, certf}} {
				cmd := exec.Command("nghttpd", append([]string{"-a", n.HostIP}, args...)...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				defer func() { cmd.Process.Kill(); cmd.Wait() }()
			}
			time.Sleep(300 * time.Millisecond)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"capture", "-i", n.Host, "-w", capf, "tcp"}, nil, &out, &errb)
	}()
	waitFor(t, func() bool { return strings.Contains(errb.String(), "listening on") }, "listening")
	nsRun := func(tool string, args ...string) {
		t.Helper()
		a := append([]string{"netns", "exec", n.NS, "env", "SSLKEYLOGFILE=" + keylog, tool}, args...)
		if b, err := exec.Command("ip", a...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v: %s", tool, args, err, b)
		}
	}
	resolve := fmt.Sprintf("api.test:%d:%s", tp, n.HostIP)
	tlsURL := fmt.Sprintf("https://api.test:%d", tp)
	for _, c := range []struct {
		args []string
		url  string
	}{
		{[]string{"--http1.1", "--tlsv1.3"}, tlsURL + "/tls13-h1"},
		{[]string{"--http2", "--tlsv1.3"}, tlsURL + "/tls13-h2"},
		{[]string{"--http1.1", "--tls-max", "1.2"}, tlsURL + "/tls12-h1"},
		{[]string{"--http2", "--tls-max", "1.2"}, tlsURL + "/tls12-h2"},
		{[]string{"--http2-prior-knowledge"}, fmt.Sprintf("http://%s:%d/h2c-prior", n.HostIP, hp)},
		{[]string{"--http2"}, fmt.Sprintf("http://%s/h2c-upgrade", n.HostIP)},
		{[]string{"--http2-prior-knowledge", "-H", "content-type: application/grpc", "-H", "te: trailers", "--data-binary", "@" + writeGRPCReq(t, dir)},
			fmt.Sprintf("http://%s:%d/pkg.Service/Method", n.HostIP, hp)},
	} {
		nsRun("curl", append(append([]string{"-sk", "-o", "/dev/null", "--resolve", resolve}, c.args...), c.url)...)
	}
	if ngPort != 0 {
		var urls, tlsURLs []string
		for _, f := range ngFiles {
			urls = append(urls, fmt.Sprintf("http://%s:%d/%s", n.HostIP, ngPort, f))
			tlsURLs = append(tlsURLs, fmt.Sprintf("https://%s:%d/%s?tls", n.HostIP, ngTLSPort, f))
		}
		nsRun("nghttp", append([]string{"-n"}, urls...)...)
		nsRun("nghttp", append([]string{"-n"}, tlsURLs...)...)
	} else {
		t.Log("nghttpd/nghttp not installed (apt-get install nghttp2-server nghttp2-client): their traffic is left out")
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("capture exit %d: %s", code, errb.String())
	}

	har := filepath.Join(dir, "out.har")
	code, js, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", keylog, "--jsonl", "--har", har, "--max-body", "10000000")
	if code != 0 {
		t.Fatalf("http exit %d: %s", code, stderr)
	}
	wk, wkTLS := wirekitFacts(t, js, har)
	h2Ports := []int{hp}
	if ngPort != 0 {
		h2Ports = append(h2Ports, ngPort)
	}
	ts, tsTLS := tsharkFacts(t, capf, keylog, h2Ports)
	// nghttp does not write SSLKEYLOGFILE: its TLS requests are read by
	// neither tool, only its handshake is compared.
	wantN := 7 + len(ngFiles)
	if len(wk) != wantN || len(ts) != wantN {
		t.Errorf("wirekit %d requests, tshark %d, want %d\nwirekit %v\ntshark %v", len(wk), len(ts), wantN, wk, ts)
	}
	for path, w := range wk {
		if x, ok := ts[path]; !ok || x != w {
			t.Errorf("%s: wirekit %+v, tshark %+v", path, w, x)
		}
	}
	if len(wkTLS) != len(tsTLS) || len(wkTLS) < 4 {
		t.Errorf("TLS connections: wirekit %d, tshark %d", len(wkTLS), len(tsTLS))
	}
	for port, w := range wkTLS {
		if x := tsTLS[port]; x != w {
			t.Errorf("TLS client port %s: wirekit %q, tshark %q", port, w, x)
		}
	}
	t.Logf("%d requests and %d TLS handshakes agree", len(wk), len(wkTLS))
}

func freePort(t *testing.T, ip string) int {
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// writePEM writes cert's key and certificate as PEM files for nghttpd.
func writePEM(t *testing.T, dir string, cert tls.Certificate) (keyf, certf string) {
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	keyf, certf = filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	os.WriteFile(keyf, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	os.WriteFile(certf, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o644)
	return keyf, certf
}
