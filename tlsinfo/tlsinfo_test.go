package tlsinfo

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// TestJA4SpecExample checks JA4 against the worked example of FoxIO's
// specification.
func TestJA4SpecExample(t *testing.T) {
	c := &ClientHello{
		Version:             0x0303,
		CipherSuites:        []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x0a0a},
		Extensions:          []uint16{0x1a1a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015},
		ServerName:          "example.com",
		ALPN:                []string{"h2", "http/1.1"},
		SupportedVersions:   []uint16{0x2a2a, 0x0304, 0x0303},
		SignatureAlgorithms: []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601},
	}
	if got, want := c.JA4(), "t13d1516h2_8daaf6152771_e5627efa2ab1"; got != want {
		t.Errorf("JA4 %s, want %s", got, want)
	}
	c.SignatureAlgorithms = nil
	if got, want := c.JA4(), "t13d1516h2_8daaf6152771_6d807ffa2a79"; got != want {
		t.Errorf("JA4 without signature algorithms %s, want %s", got, want)
	}
	for _, tc := range []struct {
		alpn []string
		want string
	}{{nil, "00"}, {[]string{""}, "00"}, {[]string{"http/1.1"}, "h1"}, {[]string{"x"}, "xx"},
		{[]string{"\xab"}, "ab"}, {[]string{"\xab\xcd"}, "ad"}, {[]string{"0\xab"}, "3b"}, {[]string{"0\xab\xcd1"}, "01"}} {
		if got := alpnChars(tc.alpn); got != tc.want {
			t.Errorf("ALPN %q: %q, want %q", tc.alpn, got, tc.want)
		}
	}
}

func TestGREASE(t *testing.T) {
	for v := range 1 << 16 {
		want := v&0x0f0f == 0x0a0a && v>>8 == v&0xff
		if IsGREASE(uint16(v)) != want {
			t.Fatalf("IsGREASE(%#04x) = %v", v, !want)
		}
	}
	if !IsGREASE(0xfafa) || IsGREASE(0x0a1a) {
		t.Error("GREASE values wrong")
	}
}

// recorder keeps what crosses one side of a pipe, in order, with the
// direction of each piece.
type recorder struct {
	mu     sync.Mutex
	pieces []piece
}

type piece struct {
	fromClient bool
	data       []byte
}

type tap struct {
	net.Conn
	r          *recorder
	fromClient bool
}

func (c tap) Write(b []byte) (int, error) {
	c.r.mu.Lock()
	c.r.pieces = append(c.r.pieces, piece{c.fromClient, slices.Clone(b)})
	c.r.mu.Unlock()
	return c.Conn.Write(b)
}

// selfSigned makes a certificate for the names given.
func selfSigned(t *testing.T, names ...string) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: names[0], Organization: []string{"wirekit test"}},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		DNSNames: names, IPAddresses: []net.IP{net.ParseIP("192.0.2.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// handshake runs a Go client and server over a pipe and returns the bytes
// each sent, in order.
func handshake(t *testing.T, version uint16, sni string, alpn []string) *recorder {
	t.Helper()
	cert := selfSigned(t, "api.example", "www.api.example")
	a, b := net.Pipe()
	rec := &recorder{}
	srv := tls.Server(tap{b, rec, false}, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: version, MaxVersion: version, NextProtos: []string{"h2", "http/1.1"}})
	cli := tls.Client(tap{a, rec, true}, &tls.Config{ServerName: sni, InsecureSkipVerify: true, MinVersion: version, MaxVersion: version, NextProtos: alpn})
	errc := make(chan error, 1)
	go func() {
		err := srv.Handshake()
		if err == nil {
			_, err = io.Copy(io.Discard, srv)
		}
		errc <- err
	}()
	if err := cli.Handshake(); err != nil {
		t.Fatal(err)
	}
	cli.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	cli.Close()
	<-errc
	return rec
}

func TestConnGoHandshakes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version uint16
		alpn    []string
		chosen  string
		certs   int
	}{
		{"TLS 1.2 h2", tls.VersionTLS12, []string{"h2", "http/1.1"}, "h2", 1},
		// TLS 1.3 sends the chosen ALPN and the certificates encrypted.
		{"TLS 1.3 http/1.1", tls.VersionTLS13, []string{"http/1.1"}, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := handshake(t, tc.version, "api.example", tc.alpn)
			for _, split := range []int{0, 1, 3, 7, 100} {
				var c Conn
				for _, p := range rec.pieces {
					feedSplit(&c, p.fromClient, p.data, split)
				}
				if c.Err != nil {
					t.Fatalf("split %d: %v", split, c.Err)
				}
				if c.Client == nil || c.Server == nil {
					t.Fatalf("split %d: hellos %v %v", split, c.Client, c.Server)
				}
				if c.Client.ServerName != "api.example" || !slices.Equal(c.Client.ALPN, tc.alpn) {
					t.Errorf("split %d: SNI %q ALPN %q", split, c.Client.ServerName, c.Client.ALPN)
				}
				if c.Server.NegotiatedVersion() != tc.version || c.Server.ALPN != tc.chosen {
					t.Errorf("split %d: version %s ALPN %q", split, VersionName(c.Server.NegotiatedVersion()), c.Server.ALPN)
				}
				if len(c.Certificates) != tc.certs {
					t.Fatalf("split %d: %d certificates, want %d", split, len(c.Certificates), tc.certs)
				}
				if tc.certs > 0 {
					cert := c.Certificates[0]
					if !strings.Contains(cert.Subject, "CN=api.example") || !slices.Equal(cert.SANs, []string{"api.example", "www.api.example", "192.0.2.1"}) ||
						cert.NotAfter.Year() != 2027 {
						t.Errorf("certificate %+v", cert)
					}
				}
				if !c.Done() {
					t.Errorf("split %d: not done after application data", split)
				}
				prefix := map[uint16]string{tls.VersionTLS12: "t12d", tls.VersionTLS13: "t13d"}[tc.version]
				if ja4 := c.Client.JA4(); !strings.HasPrefix(ja4, prefix) {
					t.Errorf("JA4 %s, want the prefix %s", ja4, prefix)
				}
			}
		})
	}
}

// feedSplit feeds data in pieces of n bytes (0: whole).
func feedSplit(c *Conn, fromClient bool, data []byte, n int) {
	if n == 0 {
		c.Feed(fromClient, data)
		return
	}
	for len(data) > 0 {
		k := min(n, len(data))
		c.Feed(fromClient, data[:k])
		data = data[k:]
	}
}

func TestConnBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"not TLS", []byte("GET / HTTP/1.1\r\n"), "not a TLS record"},
		{"record too long", []byte{22, 3, 1, 0xff, 0xff}, "not a TLS record"},
		{"hello cut inside", append([]byte{22, 3, 1, 0, 8, 1, 0, 0, 4}, 3, 3, 0, 0), "cut short"},
		{"huge handshake message", []byte{22, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff}, "more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Conn
			c.Feed(true, tc.data)
			if c.Err == nil || !strings.Contains(c.Err.Error(), tc.want) {
				t.Errorf("error %v, want %q", c.Err, tc.want)
			}
		})
	}
}

func FuzzConn(f *testing.F) {
	f.Add([]byte{22, 3, 1, 0, 4, 1, 0, 0, 0}, uint8(3))
	f.Add([]byte{22, 3, 3, 0, 10, 11, 0, 0, 6, 0, 0, 3, 0, 0, 1, 0x30}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		var c Conn
		feedSplit(&c, split%2 == 0, data, int(split%9))
		if c.Client != nil {
			c.Client.JA3()
			c.Client.JA4()
		}
		if c.Server != nil {
			c.Server.JA3S()
		}
	})
}

// TestAgainstTshark writes Go's handshakes as a TCP capture and checks SNI,
// ALPN, JA3 and JA3S against tshark's fields. It skips without tshark.
func TestAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed (apt-get install tshark)")
	}
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		rec := handshake(t, version, "api.example", []string{"h2", "http/1.1"})
		conv := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:443", time.Unix(1700000000, 0))
		var c Conn
		for _, p := range rec.pieces {
			conv.Segment(p.fromClient, p.data)
			c.Feed(p.fromClient, p.data)
		}
		conv.Close()
		path := filepath.Join(t.TempDir(), "tls.pcap")
		var buf bytes.Buffer
		w, _ := pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 262144, nil)
		for _, fr := range conv.Frames {
			w.WritePacket(fr.CI, fr.Data)
		}
		w.Close()
		os.WriteFile(path, buf.Bytes(), 0o644)
		out, err := exec.Command("tshark", "-r", path, "-Y", "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields", "-E", "separator=|",
			"-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str", "-e", "tls.handshake.ja3", "-e", "tls.handshake.ja3s").Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		_, ja3 := c.Client.JA3()
		_, ja3s := c.Server.JA3S()
		want := []string{"api.example|h2,http/1.1|" + ja3 + "|", "||" + "|" + ja3s}
		got := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(got) != 2 || got[0] != want[0] || !strings.HasSuffix(got[1], ja3s) {
			t.Errorf("%s: tshark says %q, wirekit %q", VersionName(version), got, want)
		}
	}
}
