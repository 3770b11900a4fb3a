package cli

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTPTLSReorderedDirections: a keep-alive HTTP/1.1 connection in TLS
// (1.2 and 1.3, read with the key log) whose segments a capture holds out
// of order, within and across directions, gives the same transactions as
// the clean capture; and a client segment lost gives the right response
// to every request after it. The bytes in clear carry what the packets
// that carried their records acknowledged (mapped from the encrypted
// stream): without it, 18 of these 20 reorderings gave requests the
// responses of others.
func TestHTTPTLSReorderedDirections(t *testing.T) {
	statuses := []int{200, 201, 202, 203, 206, 207, 208, 226}
	var x [][2][]byte
	for i, st := range statuses {
		body := strings.Repeat(fmt.Sprint(i), 300+i*500)
		x = append(x, [2][]byte{[]byte(fmt.Sprintf("POST /item/%d HTTP/1.1\r\nHost: api.example\r\nContent-Length: %d\r\n\r\n%s", i, len(body), body)),
			[]byte(fmt.Sprintf("HTTP/1.1 %d OK\r\nContent-Length: %d\r\n\r\n%s", st, 2*len(body), body+body))})
	}
	var want []string
	for i, st := range statuses {
		want = append(want, fmt.Sprintf("POST api.example /item/%d -> %d", i, st))
	}
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		var keylog bytes.Buffer
		conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: version, SNI: "api.example",
			ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: x})
		dir := t.TempDir()
		keys := filepath.Join(dir, "keys")
		if err := os.WriteFile(keys, keylog.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		pairs := func(t *testing.T, frames []testutil.Frame) []string {
			t.Helper()
			p := filepath.Join(dir, "c.pcap")
			writeFrames(t, p, frames)
			code, out, stderr := run(t, nil, "http", "-r", p, "--tls-keylog", keys)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got []string
			for _, l := range strings.Split(out, "\n") {
				if f := strings.Fields(l); len(f) >= 9 && f[4] == "POST" {
					got = append(got, strings.Join(f[4:9], " "))
				}
			}
			return got
		}
		// The first data segments (the handshake) stay first, the last
		// three frames (the close) last.
		hs := 0
		for i, f := range conv.Frames {
			if len(f.Data) > 200 {
				hs = i
				if hs >= 6 {
					break
				}
			}
		}
		t.Run(fmt.Sprintf("%x/clean", version), func(t *testing.T) {
			if got := pairs(t, conv.Frames); !slices.Equal(got, want) {
				t.Fatalf("clean capture:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
		for seed := range uint64(20) {
			t.Run(fmt.Sprintf("%x/reordered %d", version, seed), func(t *testing.T) {
				f := slices.Clone(conv.Frames)
				r := rand.New(rand.NewPCG(seed, 9))
				body := f[hs+1 : len(f)-3]
				for i := 0; i < len(body); i += 6 {
					w := body[i:min(i+6, len(body))]
					r.Shuffle(len(w), func(a, b int) { w[a], w[b] = w[b], w[a] })
				}
				if got := pairs(t, f); !slices.Equal(got, want) {
					t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
		t.Run(fmt.Sprintf("%x/client segment lost", version), func(t *testing.T) {
			// One request lost (the fifth data segment the client sent):
			// every other request has its own response.
			got := pairs(t, dropSegment(t, conv.Frames, true, 4))
			if len(got) != len(want)-1 {
				t.Fatalf("%d requests, want %d:\n%s", len(got), len(want)-1, strings.Join(got, "\n"))
			}
			j := 0
			for _, g := range got {
				for j < len(want) && want[j] != g {
					j++
				}
				if j == len(want) {
					t.Fatalf("%q is not a request with its response, in:\n%s", g, strings.Join(got, "\n"))
				}
			}
		})
	}
}

// TestClearMap maps encrypted offsets to clear ones through a ring of
// records of 100 encrypted and 80 clear bytes each: exact at and between
// the records it holds, unknown before the oldest once the ring dropped
// some, and past the last record read as far past the clear bytes.
func TestClearMap(t *testing.T) {
	var m clearMap
	for k := 1; k <= 100; k++ {
		m.out += 80
		m.add(recMark{enc: int64(k) * 100, clear: m.out})
	}
	end := int64(100 * 100)
	for _, tc := range []struct {
		enc   int64
		clear int64
		known bool
	}{
		{end, 8000, true},         // the end of the last record
		{end + 37, 8037, true},    // past it
		{end - 1, 7920, true},     // inside the last record: the one before
		{90 * 100, 90 * 80, true}, // a record's end
		{90*100 + 99, 90 * 80, true},
		{85*100 + 1, 85 * 80, true}, // the oldest held: record 85
		{84*100 + 50, 0, false},     // older than the ring holds
	} {
		got, known := m.at(tc.enc, end)
		if got != tc.clear || known != tc.known {
			t.Errorf("at(%d) = %d, %v; want %d, %v", tc.enc, got, known, tc.clear, tc.known)
		}
	}
	var fresh clearMap
	if got, known := fresh.at(500, 600); got != 0 || !known {
		t.Errorf("before any record: at(500) = %d, %v; want 0, true", got, known)
	}
}
