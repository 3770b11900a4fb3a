// Command h2gen writes captures of HTTP/2 and TLS traffic for
// bench/http2.sh: Go's HTTP/2 client and server (x/net/http2) and Go's TLS
// talking over loopback sockets, each write of either side one TCP
// segment, connection after connection until the capture reaches its size.
//
//	h2gen -mode h2c -w h2c.pcap [-size 100MB]
//	h2gen -mode tls -w tls.pcap -keylog keys.log [-size 100MB]
//
// Mode h2c: cleartext HTTP/2 with prior knowledge, 20 requests a
// connection, GETs and POSTs with bodies of 100 bytes to 20 KB. Mode tls:
// connections in turn TLS 1.3 HTTP/1.1, TLS 1.3 h2, TLS 1.2 HTTP/1.1 and
// TLS 1.2 h2 (ECDHE AES-GCM), the same requests, the session secrets
// written to -keylog in the NSS key log format.
package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/http2"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

const perConn = 20 // requests a connection

func main() {
	mode := flag.String("mode", "h2c", "h2c or tls")
	out := flag.String("w", "", "output pcap file")
	keylog := flag.String("keylog", "", "key log file to write (mode tls)")
	size := flag.String("size", "100MB", "capture size to reach (KB, MB, GB suffixes)")
	flag.Parse()
	if err := run(*mode, *out, *keylog, *size); err != nil {
		fmt.Fprintln(os.Stderr, "h2gen:", err)
		os.Exit(1)
	}
}

func run(mode, out, keylog, size string) error {
	limit, err := parseSize(size)
	if err != nil {
		return fmt.Errorf("-size: %w", err)
	}
	if out == "" {
		return errors.New("give -w OUT.pcap")
	}
	if mode != "h2c" && mode != "tls" {
		return fmt.Errorf("-mode %q: want h2c or tls", mode)
	}
	if mode == "tls" && keylog == "" {
		return errors.New("-mode tls needs -keylog FILE")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := pcapio.NewPcapWriter(bw, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		return err
	}
	var kl io.Writer = io.Discard
	if keylog != "" {
		kf, err := os.Create(keylog)
		if err != nil {
			return fmt.Errorf("-keylog: %w", err)
		}
		defer kf.Close()
		kl = kf
	}
	cert, err := selfSigned("api.bench")
	if err != nil {
		return err
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var written int64
	for i := 0; written < limit; i++ {
		client := fmt.Sprintf("10.1.%d.%d:%d", i/250%250, i%250+1, 20000+i%40000)
		server := "10.2.0.1:8080"
		var conv *testutil.TCPConv
		if mode == "h2c" {
			conv, err = pipeConv(client, server, start, func(c net.Conn) net.Conn { return c }, func(c net.Conn) net.Conn { return c }, i, true)
		} else {
			v, h2 := []uint16{tls.VersionTLS13, tls.VersionTLS12}[i/2%2], i%2 == 1
			alpn := []string{"http/1.1"}
			if h2 {
				alpn = []string{"h2"}
			}
			server = "10.2.0.1:443"
			conv, err = pipeConv(client, server, start,
				func(c net.Conn) net.Conn {
					return tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: v, MaxVersion: v, NextProtos: alpn})
				},
				func(c net.Conn) net.Conn {
					return tls.Client(c, &tls.Config{ServerName: "api.bench", InsecureSkipVerify: true, MinVersion: v, MaxVersion: v,
						NextProtos: alpn, KeyLogWriter: kl})
				}, i, h2)
		}
		if err != nil {
			return fmt.Errorf("connection %d: %w", i, err)
		}
		for _, fr := range conv.Frames {
			if err := w.WritePacket(fr.CI, fr.Data); err != nil {
				return err
			}
			written += int64(16 + len(fr.Data))
		}
		start = conv.T.Add(time.Millisecond)
	}
	if err := w.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// body is the response body of request j of connection i.
func body(i, j int) []byte {
	n := 100 + (i*7919+j*104729)%20000
	return []byte(strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789\n", n/37+1)[:n])
}

// pipeConv runs one connection: perConn requests over HTTP/2 (h2) or
// HTTP/1.1, the server and client ends wrapped (TLS or not).
func pipeConv(client, server string, start time.Time, wrapS, wrapC func(net.Conn) net.Conn, i int, h2 bool) (*testutil.TCPConv, error) {
	conv := testutil.NewTCPConv(client, server, start)
	conv.Step = 100 * time.Microsecond
	var mu sync.Mutex
	a, b, err := sockPair()
	if err != nil {
		return nil, err
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		j, _ := strconv.Atoi(r.URL.Query().Get("j"))
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body(i, j))
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := wrapS(tap{b, conv, &mu, false})
		if tc, ok := sc.(*tls.Conn); ok {
			// http2's ServeConn checks the negotiated version.
			if tc.Handshake() != nil {
				return
			}
		}
		if h2 {
			(&http2.Server{}).ServeConn(sc, &http2.ServeConnOpts{Handler: handler})
			return
		}
		br := bufio.NewReader(sc)
		for {
			r, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, r.Body)
			j, _ := strconv.Atoi(r.URL.Query().Get("j"))
			bd := body(i, j)
			fmt.Fprintf(sc, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(bd), bd)
		}
	}()
	err = dial(wrapC(tap{a, conv, &mu, true}), i, h2)
	a.Close()
	b.Close()
	<-done
	mu.Lock()
	conv.Close()
	mu.Unlock()
	return conv, err
}

var (
	lnOnce sync.Once
	ln     net.Listener
	lnErr  error
)

// sockPair is a connected pair of loopback TCP sockets: unlike net.Pipe
// they buffer, so both ends may write at once (TLS 1.3 session tickets).
func sockPair() (client, server net.Conn, err error) {
	lnOnce.Do(func() { ln, lnErr = net.Listen("tcp", "127.0.0.1:0") })
	if lnErr != nil {
		return nil, nil, lnErr
	}
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	server, err = ln.Accept()
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return client, server, nil
}

// dial sends the connection's requests and reads the answers.
func dial(c net.Conn, i int, h2 bool) error {
	req := func(j int) *http.Request {
		u := fmt.Sprintf("http://api.bench/v1/items/%d/%d?j=%d", i, j, j)
		if j%4 == 3 {
			r, _ := http.NewRequest("POST", u, strings.NewReader(strings.Repeat("p", 100+j*50)))
			r.ContentLength = int64(100 + j*50)
			return r
		}
		r, _ := http.NewRequest("GET", u, nil)
		return r
	}
	if h2 {
		tr := &http2.Transport{AllowHTTP: true, DisableCompression: true}
		cc, err := tr.NewClientConn(c)
		if err != nil {
			return err
		}
		for j := range perConn {
			resp, err := cc.RoundTrip(req(j))
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return cc.Shutdown(context.Background())
	}
	br := bufio.NewReader(c)
	for j := range perConn {
		if err := req(j).Write(c); err != nil {
			return err
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	return nil
}

// tap adds each write to the conversation, in segments of at most 32000
// bytes.
type tap struct {
	net.Conn
	conv       *testutil.TCPConv
	mu         *sync.Mutex
	fromClient bool
}

func (c tap) Write(p []byte) (int, error) {
	c.mu.Lock()
	for b := p; len(b) > 0; {
		n := min(len(b), 32000)
		c.conv.Segment(c.fromClient, slices.Clone(b[:n]))
		b = b[n:]
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func selfSigned(name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if strings.HasSuffix(s, u.suf) {
			s, mult = strings.TrimSuffix(s, u.suf), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number with KB, MB or GB", s)
	}
	return n * mult, nil
}
