package cli

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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

// tsTx is one request and its response as either tool saw it.
type tsTx struct {
	method, path, authority string
	status                  int
	bodyHash                string
}

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

// grpcMsg is one uncompressed gRPC length-prefixed message.
func grpcMsg(s string) []byte {
	b := []byte{0, 0, 0, 0, byte(len(s))}
	return append(b, s...)
}

func writeGRPCReq(t *testing.T, dir string) string {
	p := filepath.Join(dir, "grpc.bin")
	os.WriteFile(p, grpcMsg("hello"), 0o644)
	return p
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

func hashHex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:8]) }

// wirekitFacts reads http --jsonl output and its HAR: transactions by
// path (with query), and per TLS client port "SNI|ALPN offered|JA3".
func wirekitFacts(t *testing.T, js, harPath string) (map[string]tsTx, map[string]string) {
	t.Helper()
	txs, tlsF := map[string]tsTx{}, map[string]string{}
	for _, l := range nonEmptyLines(js) {
		var r struct {
			Type, Method, URL, Host, Client string
			Status                          int
			TLS                             *struct {
				SNI         string   `json:"sni"`
				ALPNOffered []string `json:"alpn_offered"`
				JA3         string   `json:"ja3"`
			}
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Type == "tls" {
			_, port, _ := net.SplitHostPort(r.Client)
			tlsF[port] = r.TLS.SNI + "|" + strings.Join(r.TLS.ALPNOffered, ",") + "|" + r.TLS.JA3
			continue
		}
		txs[r.URL] = tsTx{method: r.Method, path: r.URL, authority: r.Host, status: r.Status}
	}
	b, err := os.ReadFile(harPath)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Log struct {
			Entries []struct {
				Request  struct{ URL string }
				Response struct {
					Content struct{ Text, Encoding string }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	for _, e := range h.Log.Entries {
		u, err := url.Parse(e.Request.URL)
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(e.Response.Content.Text)
		if e.Response.Content.Encoding == "base64" {
			body, _ = base64.StdEncoding.DecodeString(e.Response.Content.Text)
		}
		if x, ok := txs[u.RequestURI()]; ok {
			x.bodyHash = hashHex(body)
			txs[u.RequestURI()] = x
		}
	}
	return txs, tlsF
}

// tsharkFacts reads the same facts with tshark: HTTP/2 header and DATA
// frames by (TCP stream, stream ID), HTTP/1.1 messages by TCP stream.
func tsharkFacts(t *testing.T, capf, keylog string, h2Ports []int) (map[string]tsTx, map[string]string) {
	t.Helper()
	args := []string{"-r", capf, "-o", "tls.keylog_file:" + keylog, "-o", "tcp.reassemble_out_of_order:TRUE"}
	for _, p := range h2Ports {
		args = append(args, "-d", fmt.Sprintf("tcp.port==%d,http2", p))
	}
	fields := []string{"tcp.stream", "tcp.srcport", "http2.type", "http2.streamid", "http2.length", "http2.headers.method", "http2.headers.path",
		"http2.headers.authority", "http2.headers.status", "http2.data.data", "http.request.method", "http.request.uri", "http.host",
		"http.response.code", "http.file_data"}
	fa := append(append([]string{}, args...), "-Y", "http2 or http", "-T", "fields")
	for _, f := range fields {
		fa = append(fa, "-e", f)
	}
	b, err := exec.Command("tshark", fa...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	type key struct{ conn, id string }
	txs := map[key]*tsTx{}
	get := func(k key) *tsTx {
		if txs[k] == nil {
			txs[k] = &tsTx{}
		}
		return txs[k]
	}
	bodies := map[key][]byte{}
	list := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < len(fields) {
			continue
		}
		conn := f[0]
		types, ids, lens := list(f[2]), list(f[3]), list(f[4])
		methods, paths, auths, statuses, data := list(f[5]), list(f[6]), list(f[7]), list(f[8]), list(f[9])
		extra := len(data)
		for i, ty := range types {
			if ty == "0" && i < len(lens) && lens[i] != "0" {
				extra--
			}
		}
		for i, ty := range types {
			if i >= len(ids) {
				break
			}
			k := key{conn, ids[i]}
			switch ty {
			case "1":
				if len(methods) > 0 {
					x := get(k)
					x.method, x.path, methods, paths = methods[0], paths[0], methods[1:], paths[1:]
					if len(auths) > 0 {
						x.authority, auths = auths[0], auths[1:]
					}
				} else if len(statuses) > 0 {
					get(k).status, _ = strconv.Atoi(statuses[0])
					statuses = statuses[1:]
				}
			case "0":
				if len(data) == 0 {
					continue
				}
				if i < len(lens) && lens[i] == "0" {
					if extra > 0 {
						data, extra = data[1:], extra-1 // a reassembled body shown on the last frame
					}
					continue
				}
				if d, _ := hex.DecodeString(data[0]); get(k).status != 0 { // response DATA
					bodies[k] = append(bodies[k], d...)
				}
				data = data[1:]
			}
		}
		if f[10] != "" {
			x := get(key{conn, "h1"})
			x.method, x.path, x.authority = f[10], f[11], f[12]
		}
		if f[13] != "" {
			x := get(key{conn, "h1"})
			x.status, _ = strconv.Atoi(f[13])
			bodies[key{conn, "h1"}] = unescapeTshark(f[14])
		}
	}
	// After Upgrade: h2c, tshark gives the request the 101; the real
	// response is HTTP/2 stream 1 of the same connection.
	for k, x := range txs {
		if up := txs[key{k.conn, "1"}]; k.id == "h1" && x.status == 101 && up != nil && up.method == "" {
			x.status, bodies[k] = up.status, bodies[key{k.conn, "1"}]
		}
	}
	out := map[string]tsTx{}
	for k, x := range txs {
		if x.method == "" {
			continue
		}
		x.bodyHash = hashHex(bodies[k])
		out[x.path] = *x
	}

	// TLS: the ClientHello's facts by client port.
	ha := append(append([]string{}, args...), "-Y", "tls.handshake.type==1", "-T", "fields", "-E", "aggregator=,",
		"-e", "tcp.srcport", "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str", "-e", "tls.handshake.ja3")
	b, err = exec.Command("tshark", ha...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	tlsF := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 4 {
			tlsF[f[0]] = f[1] + "|" + f[2] + "|" + f[3]
		}
	}
	return out, tlsF
}

// unescapeTshark undoes the escaping of -T fields text (\n, \r, \t, \\,
// \" and \xNN).
func unescapeTshark(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b = append(b, s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'x':
			if i+2 < len(s) {
				v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
				b = append(b, byte(v))
				i += 2
			}
		default:
			b = append(b, s[i])
		}
	}
	return b
}
