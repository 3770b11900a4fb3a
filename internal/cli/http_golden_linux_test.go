package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"

	"github.com/wirekit/wirekit/internal/testutil"
)

// h2CaptureDir is scripts/gen-h2-golden.sh's -cli.h2capture DIR: where
// TestWriteH2GoldenCapture writes the capture and key log of
// testdata/h2golden.
var h2CaptureDir = flag.String("cli.h2capture", "", "TestWriteH2GoldenCapture writes h2golden.pcap and h2golden.keys here")

// TestWriteH2GoldenCapture makes the committed capture that
// TestHTTPTsharkGolden reads: curl (SSLKEYLOGFILE) against nginx with a
// self-signed certificate over TLS 1.3 and 1.2, HTTP/1.1 and h2, and
// against nginx's h2c (prior knowledge), and against Go's h2c server (a
// gRPC-style POST with prior knowledge; Upgrade: h2c), across a veth pair. It runs
// only when scripts/gen-h2-golden.sh asks (-cli.h2capture DIR).
func TestWriteH2GoldenCapture(t *testing.T) {
	if *h2CaptureDir == "" {
		t.Skip("run by scripts/gen-h2-golden.sh (-cli.h2capture DIR)")
	}
	for _, tool := range []string{"nginx", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed", tool)
		}
	}
	n := testutil.NewVethNS(t)
	dir := t.TempDir()
	keyf, certf := writePEM(t, dir, testutil.SelfSigned(t, "api.test"))
	tlsPort, h2cPort := freePort(t, n.HostIP), freePort(t, n.HostIP)
	for _, d := range []string{"logs", "tmp"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log;
events {}
http {
	access_log off;
	client_body_temp_path %[1]s/tmp/body;
	proxy_temp_path %[1]s/tmp/proxy;
	fastcgi_temp_path %[1]s/tmp/fastcgi;
	uwsgi_temp_path %[1]s/tmp/uwsgi;
	scgi_temp_path %[1]s/tmp/scgi;
	default_type text/plain;
	server {
		listen %[2]s:%[3]d ssl http2;
		ssl_certificate %[4]s;
		ssl_certificate_key %[5]s;
		ssl_protocols TLSv1.2 TLSv1.3;
		location / { return 200 "nginx body of $uri\n"; }
	}
	server {
		listen %[2]s:%[6]d http2;
		location / { return 200 "nginx h2c body of $uri\n"; }
	}
}
`, dir, n.HostIP, tlsPort, certf, keyf, h2cPort)
	confPath := filepath.Join(dir, "nginx.conf")
	os.WriteFile(confPath, []byte(conf), 0o644)
	ng := exec.Command("nginx", "-p", dir, "-c", confPath)
	var ngErr syncBuffer
	ng.Stdout, ng.Stderr = &ngErr, &ngErr
	if err := ng.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { ng.Process.Kill(); ng.Wait() }()
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
			t.Logf("nginx: %s%s", ngErr.String(), b)
		}
	}()
	upLn, err := net.Listen("tcp", n.HostIP+":80")
	if err != nil {
		t.Fatal(err)
	}
	goLn, err := net.Listen("tcp", n.HostIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	goPort := goLn.Addr().(*net.TCPAddr).Port
	for _, ln := range []net.Listener{upLn, goLn} {
		srv := &http.Server{Handler: h2c.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // all of it before answering: see TestHTTPAgreesWithTshark
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
				w.Header().Set("Content-Type", "application/grpc")
				w.Header().Set("Trailer", "Grpc-Status")
				w.Write(grpcMsg("reply to " + r.URL.Path))
				w.Header().Set("Grpc-Status", "0")
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "go h2c body of %s\n", r.URL.Path)
		}), &http2.Server{})}
		go srv.Serve(ln)
		defer srv.Close()
	}
	time.Sleep(300 * time.Millisecond)

	capf, keylog := filepath.Join(*h2CaptureDir, "h2golden.pcap"), filepath.Join(*h2CaptureDir, "h2golden.keys")
	os.Remove(keylog)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"capture", "-i", n.Host, "-w", capf, "tcp"}, nil, &out, &errb)
	}()
	waitFor(t, func() bool { return strings.Contains(errb.String(), "listening on") }, "listening")
	resolve := fmt.Sprintf("api.test:%d:%s", tlsPort, n.HostIP)
	tlsURL := fmt.Sprintf("https://api.test:%d", tlsPort)
	h2cURL := fmt.Sprintf("http://%s:%d", n.HostIP, h2cPort)
	grpcReq := writeGRPCReq(t, dir)
	for _, c := range [][]string{
		{"--http1.1", "--tlsv1.3", tlsURL + "/tls13-h1"},
		{"--http2", "--tlsv1.3", tlsURL + "/tls13-h2"},
		{"--http1.1", "--tls-max", "1.2", tlsURL + "/tls12-h1"},
		{"--http2", "--tls-max", "1.2", tlsURL + "/tls12-h2"},
		{"--http2-prior-knowledge", h2cURL + "/h2c-prior"},
		{"--http2-prior-knowledge", "-H", "content-type: application/grpc", "-H", "te: trailers", "--data-binary", "@" + grpcReq,
			fmt.Sprintf("http://%s:%d/pkg.Service/Method", n.HostIP, goPort)},
		{"--http2", fmt.Sprintf("http://%s/h2c-upgrade", n.HostIP)},
	} {
		a := append([]string{"netns", "exec", n.NS, "env", "SSLKEYLOGFILE=" + keylog, "curl", "-sk", "-o", "/dev/null", "--resolve", resolve}, c...)
		if b, err := exec.Command("ip", a...).CombinedOutput(); err != nil {
			t.Fatalf("curl %v: %v: %s", c, err, b)
		}
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("capture exit %d: %s", code, errb.String())
	}
	// The h2c ports, for tshark's decode-as.
	os.WriteFile(filepath.Join(*h2CaptureDir, "h2golden.h2c-ports"), []byte(fmt.Sprintf("%d %d\n", h2cPort, goPort)), 0o644)
}
