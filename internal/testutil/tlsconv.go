package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// TLSConv runs a Go TLS client and server (self-signed certificate for
// sni) over an in-memory pipe at the given version, the client offering
// alpn and sending request, the server answering response, and returns the
// TCP connection that carried it, closed. Each write of either side is one
// segment.
func TLSConv(tb testing.TB, client, server string, version uint16, sni string, alpn []string, request, response []byte) *TCPConv {
	tb.Helper()
	return TLSConvWith(tb, client, server, TLSOptions{Version: version, SNI: sni, ALPN: alpn, Exchanges: [][2][]byte{{request, response}}})
}

// TLSOptions configure TLSConvWith.
type TLSOptions struct {
	Version      uint16
	SNI          string
	ALPN         []string
	CipherSuites []uint16  // TLS 1.2 suites the client offers (nil: Go's default)
	KeyLog       io.Writer // receives the NSS key log lines of the session
	// Exchanges are the request/response pairs sent in turn on the
	// connection.
	Exchanges [][2][]byte
}

// TLSConvWith is TLSConv with more choices.
func TLSConvWith(tb testing.TB, client, server string, o TLSOptions) *TCPConv {
	tb.Helper()
	version, sni, alpn := o.Version, o.SNI, o.ALPN
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: sni},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		DNSNames: []string{sni}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	conv := NewTCPConv(client, server, time.Unix(1700000000, 0))
	var mu sync.Mutex
	a, b := net.Pipe()
	srv := tls.Server(tapConn{b, conv, &mu, false}, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion: version, MaxVersion: version, NextProtos: alpn})
	cli := tls.Client(tapConn{a, conv, &mu, true}, &tls.Config{ServerName: sni, InsecureSkipVerify: true,
		MinVersion: version, MaxVersion: version, NextProtos: alpn, CipherSuites: o.CipherSuites, KeyLogWriter: o.KeyLog})
	done := make(chan error, 1)
	go func() {
		var err error
		for _, x := range o.Exchanges {
			if _, err = io.ReadFull(srv, make([]byte, len(x[0]))); err != nil {
				break
			}
			if _, err = srv.Write(x[1]); err != nil {
				break
			}
		}
		done <- err
	}()
	for _, x := range o.Exchanges {
		if _, err := cli.Write(x[0]); err != nil {
			tb.Fatal(err)
		}
		if _, err := io.ReadFull(cli, make([]byte, len(x[1]))); err != nil {
			tb.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	mu.Lock()
	conv.Close()
	conv.closed = true
	mu.Unlock()
	a.Close()
	b.Close()
	return conv
}

// tapConn adds each write to the conversation as one segment, until the
// conversation is closed (a goroutine of the endpoints may still write
// then; its bytes are not recorded).
type tapConn struct {
	net.Conn
	conv       *TCPConv
	mu         *sync.Mutex
	fromClient bool
}

func (c tapConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if !c.conv.closed {
		c.conv.Segment(c.fromClient, slices.Clone(p))
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// PipeConv runs server and client over an in-memory pipe and returns the
// TCP connection that would have carried their bytes, closed: each write
// of either side is one segment. client returns when it is done; server
// runs until the pipe closes.
func PipeConv(tb testing.TB, client, server string, serve func(net.Conn), dial func(net.Conn)) *TCPConv {
	tb.Helper()
	conv := NewTCPConv(client, server, time.Unix(1700000000, 0))
	var mu sync.Mutex
	a, b := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		serve(tapConn{b, conv, &mu, false})
	}()
	dial(tapConn{a, conv, &mu, true})
	mu.Lock()
	conv.Close()
	conv.closed = true
	mu.Unlock()
	a.Close()
	b.Close()
	<-done
	return conv
}

// SelfSigned returns a self-signed ECDSA certificate for the names given
// (the first is the subject's common name), valid in 2026.
func SelfSigned(tb testing.TB, names ...string) tls.Certificate {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		DNSNames: names}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
