package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// records counts the TLS records in the pieces of one conversation (both
// directions).
func records(pieces []piece) int {
	var dir [2]bytes.Buffer
	for _, p := range pieces {
		dir[dirIndex(p.fromClient)].Write(p.data)
	}
	n := 0
	for _, d := range dir {
		b := d.Bytes()
		for len(b) >= 5 {
			b = b[min(len(b), 5+int(binary.BigEndian.Uint16(b[3:5]))):]
			n++
		}
	}
	return n
}

// BenchmarkSession decrypts whole TLS connections (the handshake and 20
// HTTP/1.1 exchanges of 100 bytes to 20 KB, in the segments Go's TLS
// wrote), a new Session each, and reports the allocations per record next
// to allocs/op (one connection).
func BenchmarkSession(b *testing.B) {
	var x [][2][]byte
	for i := range 20 {
		req := fmt.Sprintf("GET /v1/items/%d HTTP/1.1\r\nHost: api.example\r\n\r\n", i)
		body := strings.Repeat("x", 100+i*1000)
		x = append(x, [2][]byte{[]byte(req), []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(body), body))})
	}
	for _, tc := range []struct {
		name    string
		version uint16
		suites  []uint16
	}{
		{"TLS1.3", tls.VersionTLS13, nil},
		{"TLS1.2-AES-GCM", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var keylog bytes.Buffer
			conv := testutil.TLSConvWith(b, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tc.version, SNI: "api.example",
				ALPN: []string{"http/1.1"}, CipherSuites: tc.suites, KeyLog: &keylog, Exchanges: x})
			kl, err := ParseKeyLog(&keylog, "keylog")
			if err != nil {
				b.Fatal(err)
			}
			pieces := payloads(nil, conv)
			size := 0
			for _, p := range pieces {
				size += len(p.data)
			}
			nrec := records(pieces)
			var plain int64
			out := func(_ bool, p []byte) { plain += int64(len(p)) }
			b.SetBytes(int64(size))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				s := kl.NewSession(out)
				for _, p := range pieces {
					s.Feed(p.fromClient, p.data)
				}
				if s.Err != nil {
					b.Fatal(s.Err)
				}
			}
			runtime.ReadMemStats(&ms1)
			if plain == 0 {
				b.Fatal("nothing decrypted")
			}
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(b.N)/float64(nrec), "allocs/record")
		})
	}
}
