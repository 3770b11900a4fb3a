package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
)

// payloads pulls each direction's TCP payload out of a conversation's
// frames, in order, one piece per segment.
func payloads(_ testing.TB, conv *testutil.TCPConv) []piece {
	var out []piece
	for _, f := range conv.Frames {
		pk := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		tcp := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if len(tcp.Payload) > 0 {
			out = append(out, piece{uint16(tcp.SrcPort) != 443, tcp.Payload})
		}
	}
	return out
}

type piece struct {
	fromClient bool
	data       []byte
}

func exchanges(n int) [][2][]byte {
	var x [][2][]byte
	for i := range n {
		req := fmt.Sprintf("GET /item/%d HTTP/1.1\r\nHost: api.example\r\n\r\n", i)
		body := strings.Repeat(fmt.Sprint(i%10), 100+i*4000) // up to several records
		resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		x = append(x, [2][]byte{[]byte(req), []byte(resp)})
	}
	return x
}

func TestDecryptGoSessions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version uint16
		suites  []uint16
	}{
		{"TLS 1.3", tls.VersionTLS13, nil},
		{"TLS 1.2 AES-128-GCM", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}},
		{"TLS 1.2 AES-256-GCM-SHA384", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}},
		{"TLS 1.2 ChaCha20-Poly1305", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var keylog bytes.Buffer
			x := exchanges(4)
			conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tc.version, SNI: "api.example",
				ALPN: []string{"http/1.1"}, CipherSuites: tc.suites, KeyLog: &keylog, Exchanges: x})
			kl, err := ParseKeyLog(&keylog, "keylog")
			if err != nil {
				t.Fatal(err)
			}
			var got [2]bytes.Buffer
			s := kl.NewSession(func(fromClient bool, p []byte) {
				if fromClient {
					got[0].Write(p)
				} else {
					got[1].Write(p)
				}
			})
			for _, p := range payloads(t, conv) {
				s.Feed(p.fromClient, p.data)
			}
			if s.Err != nil {
				t.Fatal(s.Err)
			}
			if tc.version == tls.VersionTLS13 && s.ALPN() != "http/1.1" {
				t.Errorf("ALPN from EncryptedExtensions %q, want http/1.1", s.ALPN())
			}
			var want [2]bytes.Buffer
			for _, e := range x {
				want[0].Write(e[0])
				want[1].Write(e[1])
			}
			for i := range got {
				if !bytes.Equal(got[i].Bytes(), want[i].Bytes()) {
					t.Errorf("direction %d: %d bytes decrypted, want %d", i, got[i].Len(), want[i].Len())
				}
			}
		})
	}
}

func TestDecryptErrors(t *testing.T) {
	var keylog bytes.Buffer
	conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tls.VersionTLS13, SNI: "a", KeyLog: &keylog, Exchanges: exchanges(1)})
	lines := strings.Split(strings.TrimSpace(keylog.String()), "\n")
	wrong := strings.Replace(keylog.String(), lines[2][len(lines[2])-8:], "00000000", 1)
	for _, tc := range []struct {
		name   string
		keylog string
		want   error
		text   string
	}{
		{"no key for the session", "", ErrNoKey, ""},
		{"wrong key", wrong, ErrAuth, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kl, err := ParseKeyLog(strings.NewReader(tc.keylog), "k")
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			s := kl.NewSession(func(bool, []byte) { n++ })
			for _, p := range payloads(t, conv) {
				s.Feed(p.fromClient, p.data)
			}
			if !errors.Is(s.Err, tc.want) {
				t.Errorf("error %v, want %v", s.Err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, text, want string }{
		{"two fields", "CLIENT_RANDOM abcd\n", "line 1: want LABEL CLIENT_RANDOM SECRET"},
		{"short random", "CLIENT_RANDOM abcd " + strings.Repeat("00", 48) + "\n", "line 1: client random"},
		{"bad master length", "# c\nCLIENT_RANDOM " + strings.Repeat("11", 32) + " 0011\n", "line 2: a TLS 1.2 master secret has 48 bytes"},
	} {
		if _, err := ParseKeyLog(strings.NewReader(tc.text), "k.log"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func FuzzSession(f *testing.F) {
	var keylog bytes.Buffer
	conv := testutil.TLSConvWith(f, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tls.VersionTLS12, SNI: "a", KeyLog: &keylog, Exchanges: exchanges(1)})
	kl, _ := ParseKeyLog(&keylog, "k")
	var client, server []byte
	for _, f := range conv.Frames {
		pk := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		tcp := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp.SrcPort == 443 {
			server = append(server, tcp.Payload...)
		} else {
			client = append(client, tcp.Payload...)
		}
	}
	f.Add(client, server, uint16(0))
	f.Add(client[:min(len(client), 60)], server, uint16(77))
	f.Fuzz(func(t *testing.T, c, s []byte, flip uint16) {
		if len(s) > 0 && flip > 0 {
			s = bytes.Clone(s)
			s[int(flip)%len(s)] ^= 0x40
		}
		sess := kl.NewSession(func(bool, []byte) {})
		sess.Feed(true, c)
		sess.Feed(false, s)
	})
}
