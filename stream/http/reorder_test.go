package http_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// keepAlive builds one keep-alive connection of n transactions whose
// requests and responses each span several segments, in the order a clean
// capture holds them.
func keepAlive(n int) []testutil.Frame {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", time.Unix(1700000000, 0))
	for i := range n {
		body := strings.Repeat(string(rune('a'+i%26)), 300+i*37)
		req := fmt.Sprintf("POST /item/%d HTTP/1.1\r\nHost: api.example\r\nContent-Length: %d\r\n\r\n%s", i, len(body), body)
		for _, part := range split(req, 3) {
			c.Segment(true, []byte(part))
		}
		rb := strings.Repeat(string(rune('A'+i%26)), 500+i*53)
		resp := fmt.Sprintf("HTTP/1.1 %d OK\r\nContent-Length: %d\r\n\r\n%s", 200+i%4, len(rb), rb)
		for _, part := range split(resp, 3) {
			c.Segment(false, []byte(part))
		}
	}
	c.Close()
	return c.Frames
}

func split(s string, k int) []string {
	var out []string
	step := (len(s) + k - 1) / k
	for len(s) > step {
		out = append(out, s[:step])
		s = s[step:]
	}
	return append(out, s)
}

// pairs reads the frames as a capture and returns one line per
// transaction: request method and URL, response status and a hash of the
// response body, in the order the transactions were reported.
func pairs(t *testing.T, frames []testutil.Frame) []string {
	t.Helper()
	var buf bytes.Buffer
	w, err := pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WritePacket(f.CI, f.Data); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	src, err := pcapio.NewReader(bytes.NewReader(buf.Bytes()), "mem")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out []string
	for tx, err := range whttp.Transactions(src, &whttp.Config{KeepBodies: true}) {
		if err != nil {
			t.Fatal(err)
		}
		line := "-"
		if q := tx.Request; q != nil {
			line = q.Method + " " + q.URL
		}
		line += " => "
		if s := tx.Response; s != nil {
			line += fmt.Sprintf("%d %x", s.Status, sha256.Sum256(s.Body))
		} else {
			line += "-"
		}
		out = append(out, line)
	}
	return out
}

// TestPairingReorderedDirections: a keep-alive connection's segments
// reordered within and across directions (as SPAN ports and multi-queue
// capture deliver them) give the same transactions as the clean capture,
// since each direction's bytes are complete. The frames keep their own
// timestamps; only their order in the file changes.
func TestPairingReorderedDirections(t *testing.T) {
	clean := keepAlive(8)
	want := pairs(t, clean)
	if len(want) != 8 {
		t.Fatalf("clean capture: %d transactions, want 8: %q", len(want), want)
	}
	for _, w := range want {
		if strings.HasPrefix(w, "-") || strings.HasSuffix(w, "-") {
			t.Fatalf("clean capture pairs badly: %q", want)
		}
	}
	// Reorderings: each moves frames by a bounded distance, keeping the
	// handshake first and the closing frames last.
	type reorder struct {
		name string
		fn   func([]testutil.Frame) []testutil.Frame
	}
	cases := []reorder{
		{"request segment behind next request and response", func(f []testutil.Frame) []testutil.Frame {
			// The last segment of request 1 (frames 3..5 are request 0,
			// 6..8 response 0, 9..11 request 1) moves behind response 1
			// and the first segment of request 2.
			return move(f, 11, 18)
		}},
		{"response before the end of its request", func(f []testutil.Frame) []testutil.Frame {
			return move(f, 5, 8) // request 0's last segment after response 0
		}},
		{"whole request after its response", func(f []testutil.Frame) []testutil.Frame {
			f = move(f, 3, 8)
			f = move(f, 3, 8)
			return move(f, 3, 8)
		}},
	}
	for _, k := range []int{4, 6, 12, 24} {
		for seed := range 25 {
			cases = append(cases, reorder{fmt.Sprintf("random window %d seed %d", k, seed), func(f []testutil.Frame) []testutil.Frame {
				return shuffleWindow(f, k, uint64(seed))
			}}, reorder{fmt.Sprintf("random window %d seed %d restamped", k, seed), func(f []testutil.Frame) []testutil.Frame {
				return restamp(shuffleWindow(f, k, uint64(seed)))
			}})
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pairs(t, tc.fn(slices.Clone(clean)))
			if !slices.Equal(got, want) {
				t.Errorf("transactions differ from the clean capture's\n got %q\nwant %q", got, want)
			}
		})
	}
}

// move takes the frame at index from and puts it at index to.
func move(f []testutil.Frame, from, to int) []testutil.Frame {
	x := f[from]
	f = slices.Delete(f, from, from+1)
	return slices.Insert(f, to, x)
}

// shuffleWindow swaps frames at random within windows of k frames, leaving
// the handshake (3 frames) and the close (3 frames) in place.
func shuffleWindow(f []testutil.Frame, k int, seed uint64) []testutil.Frame {
	r := rand.New(rand.NewPCG(seed, 7))
	body := f[3 : len(f)-3]
	for i := 0; i < len(body); i += k {
		w := body[i:min(i+k, len(body))]
		r.Shuffle(len(w), func(a, b int) { w[a], w[b] = w[b], w[a] })
	}
	return f
}

// restamp gives the frames increasing timestamps in their new order, as a
// capture point that received them in that order would.
func restamp(f []testutil.Frame) []testutil.Frame {
	t0 := f[0].CI.Timestamp
	for i := range f {
		ci := f[i].CI
		ci.Timestamp = t0.Add(time.Duration(i) * time.Millisecond)
		f[i] = testutil.Frame{CI: ci, Data: f[i].Data}
	}
	return f
}

// synFirst moves each client SYN in front of the packets of its connection
// that the shuffle put before it.
func synFirst(f []testutil.Frame) []testutil.Frame {
	first := map[[2]gopacket.Flow]int{}
	for i := 0; i < len(f); i++ {
		pk := gopacket.NewPacket(f[i].Data, layers.LayerTypeEthernet, gopacket.NoCopy)
		tcp, ok := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok || pk.NetworkLayer() == nil {
			continue
		}
		nf, tf := pk.NetworkLayer().NetworkFlow(), tcp.TransportFlow()
		k := [2]gopacket.Flow{nf, tf}
		if nf.Src().LessThan(nf.Dst()) {
			k = [2]gopacket.Flow{nf.Reverse(), tf.Reverse()}
		}
		j, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if tcp.SYN && !tcp.ACK && j < i {
			f = move(f, i, j)
			first[k] = j
		}
	}
	return f
}

// TestPairingReorderedGenerated: the generated mix (many keep-alive
// connections interleaved) shuffled within windows of k packets gives the
// same transactions as in order. Each connection's first SYN stays its first
// packet: a segment captured before the SYN that opens its connection is
// not handled (the connection is then taken from its first packet seen).
func TestPairingReorderedGenerated(t *testing.T) {
	src, err := pcapio.NewReader(bytes.NewReader(capture(t, 6000)), "mem")
	if err != nil {
		t.Fatal(err)
	}
	var clean []testutil.Frame
	for {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		clean = append(clean, testutil.Frame{CI: ci, Data: slices.Clone(data)})
	}
	src.Close()
	want := pairs(t, clean)
	slices.Sort(want)
	if len(want) < 50 {
		t.Fatalf("only %d transactions in the generated capture", len(want))
	}
	for _, k := range []int{3, 8, 16} {
		for seed := range 3 {
			t.Run(fmt.Sprintf("window %d seed %d", k, seed), func(t *testing.T) {
				got := pairs(t, synFirst(shuffleWindow(slices.Clone(clean), k, uint64(seed))))
				slices.Sort(got)
				if !slices.Equal(got, want) {
					missing, extra := diffLines(want, got)
					t.Errorf("%d transactions differ from the in-order capture's: missing %q, extra %q", len(missing)+len(extra), missing, extra)
				}
			})
		}
	}
}

// diffLines returns the lines of a not in b and of b not in a (both sorted).
func diffLines(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return
}
