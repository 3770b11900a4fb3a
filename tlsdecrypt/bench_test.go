package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"runtime"
	"runtime/debug"
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

// TestRecordAllocs: once a session's keys are in use, decrypting its
// application data records (whole in a segment or split across several)
// allocates nothing (sync.Pool aside).
func TestRecordAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	var x [][2][]byte
	for i := range 10 {
		x = append(x, [2][]byte{[]byte(fmt.Sprintf("GET /%d HTTP/1.1\r\n\r\n", i)), []byte(strings.Repeat("r", 5000+i*3000))})
	}
	for _, tc := range []struct {
		name    string
		version uint16
		suites  []uint16
		seg     int
	}{
		{"TLS 1.3 whole records", tls.VersionTLS13, nil, 1 << 20},
		{"TLS 1.3 records across 1448-byte segments", tls.VersionTLS13, nil, 1448},
		{"TLS 1.2 AES-GCM records across 1448-byte segments", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, 1448},
		{"TLS 1.2 ChaCha20 records across 1448-byte segments", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}, 1448},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var keylog bytes.Buffer
			conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tc.version, SNI: "a",
				CipherSuites: tc.suites, KeyLog: &keylog, Exchanges: x})
			kl, err := ParseKeyLog(&keylog, "k")
			if err != nil {
				t.Fatal(err)
			}
			var segs []piece
			for _, p := range payloads(t, conv) {
				for off := 0; off < len(p.data); off += tc.seg {
					segs = append(segs, piece{p.fromClient, p.data[off:min(off+tc.seg, len(p.data))]})
				}
			}
			// The least of three runs: goroutines of the conversation
			// still ending count in the process's allocations.
			least := uint64(1 << 62)
			var i int
			for range 3 {
				var plain int64
				s := kl.NewSession(func(_ bool, p []byte) { plain += int64(len(p)) })
				// The handshake, and the first exchange (pools filled).
				for i = 0; i < len(segs) && plain < 6000; i++ {
					s.Feed(segs[i].fromClient, segs[i].data)
				}
				before := plain
				// No collection while measuring: it would empty the pools.
				gc := debug.SetGCPercent(-1)
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				for _, p := range segs[i:] {
					s.Feed(p.fromClient, p.data)
				}
				runtime.ReadMemStats(&m1)
				debug.SetGCPercent(gc)
				if s.Err != nil || plain-before < 50000 {
					t.Fatalf("Err %v, %d bytes decrypted after the first exchange", s.Err, plain-before)
				}
				least = min(least, m1.Mallocs-m0.Mallocs)
			}
			// (A goroutine moved to another P may find the sync.Pool's
			// buffer out of its reach and make one: a few, not one a
			// record.)
			if least > 4 {
				t.Errorf("%d allocations for %d records of application data", least, records(segs[i:]))
			}
		})
	}
}

// TestSessionMemory: a session holds no record-sized buffer of its own
// (they come from a pool while a record is read): a whole TLS 1.2
// connection, records split across segments, allocates less than the two
// 18 KB buffers a direction would take.
func TestSessionMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	var x [][2][]byte
	for i := range 4 {
		x = append(x, [2][]byte{[]byte(fmt.Sprintf("GET /%d HTTP/1.1\r\n\r\n", i)), []byte(strings.Repeat("r", 20000))})
	}
	var keylog bytes.Buffer
	conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tls.VersionTLS12, SNI: "a",
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, KeyLog: &keylog, Exchanges: x})
	kl, err := ParseKeyLog(&keylog, "k")
	if err != nil {
		t.Fatal(err)
	}
	var segs []piece
	for _, p := range payloads(t, conv) {
		for off := 0; off < len(p.data); off += 1448 {
			segs = append(segs, piece{p.fromClient, p.data[off:min(off+1448, len(p.data))]})
		}
	}
	feed := func() {
		s := kl.NewSession(func(bool, []byte) {})
		for _, p := range segs {
			s.Feed(p.fromClient, p.data)
		}
		if s.Err != nil {
			t.Fatal(s.Err)
		}
	}
	feed() // pools filled
	least := uint64(1 << 62)
	for range 3 {
		gc := debug.SetGCPercent(-1)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		feed()
		runtime.ReadMemStats(&m1)
		debug.SetGCPercent(gc)
		least = min(least, m1.TotalAlloc-m0.TotalAlloc)
	}
	if least > 2*maxRecord {
		t.Errorf("%d bytes allocated by a session, want < %d", least, 2*maxRecord)
	}
}
