package cli

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTPPipelinedSameOutput runs 'http' on one core and on two (where
// reading a file, the parsing, decryption and output run beside the
// reading: stream.Async) and wants the same stdout and stderr, byte for
// byte, on captures with many connections at once: TLS 1.2 and 1.3 with a
// key log (one connection with a lost segment), Go's h2c, and wirekit
// gen's HTTP/1 traffic.
func TestHTTPPipelinedSameOutput(t *testing.T) {
	dir := t.TempDir()
	var keylog bytes.Buffer
	var tlsFrames []testutil.Frame
	for i := range 24 {
		var x [][2][]byte
		for j := range 4 {
			body := strings.Repeat(fmt.Sprint(j), 100+(i*j*997)%20000)
			x = append(x, [2][]byte{[]byte(fmt.Sprintf("GET /c%d/item/%d HTTP/1.1\r\nHost: api%d.example\r\nAuthorization: Bearer tok%d\r\n\r\n", i, j, i%3, i)),
				[]byte(fmt.Sprintf("HTTP/1.1 %d OK\r\nContent-Length: %d\r\n\r\n%s", 200+j, len(body), body))})
		}
		v := uint16(tls.VersionTLS12)
		if i%2 == 1 {
			v = tls.VersionTLS13
		}
		conv := testutil.TLSConvWith(t, fmt.Sprintf("10.0.0.1:%d", 40000+i), "10.0.0.2:443", testutil.TLSOptions{Version: v, SNI: fmt.Sprintf("api%d.example", i%3),
			ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: x})
		frames := conv.Frames
		if i == 5 {
			frames = dropSegment(t, frames, false, 5)
		}
		tlsFrames = append(tlsFrames, shifted(frames, time.Duration(i)*3*time.Millisecond)...)
	}
	keys := filepath.Join(dir, "keys")
	if err := os.WriteFile(keys, keylog.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	tlsCap := filepath.Join(dir, "tls.pcap")
	writeFrames(t, tlsCap, byTime(tlsFrames))

	var h2Frames []testutil.Frame
	for i := range 3 {
		h2Frames = append(h2Frames, shifted(h2cGoConv(t, 40).Frames, time.Duration(i)*time.Millisecond)...)
	}
	h2Cap := filepath.Join(dir, "h2c.pcap")
	writeFrames(t, h2Cap, byTime(h2Frames))

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"tls text", []string{"http", "-r", tlsCap, "--tls-keylog", keys}},
		{"tls jsonl redacted", []string{"http", "-r", tlsCap, "--tls-keylog", keys, "--jsonl", "--redact"}},
		{"tls har", []string{"http", "-r", tlsCap, "--tls-keylog", keys, "--har", "-"}},
		{"tls not decrypted", []string{"http", "-r", tlsCap, "--jsonl"}},
		{"h2c jsonl", []string{"http", "-r", h2Cap, "--jsonl"}},
		{"gen jsonl", []string{"http", "-r", genCapture(t, 20000), "--jsonl"}},
		{"gen text filtered", []string{"http", "-r", genCapture(t, 20000), "tcp port 80"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outs, errs [2]string
			for i, procs := range []int{1, 2} {
				prev := runtime.GOMAXPROCS(procs)
				code, out, stderr := run(t, nil, tc.args...)
				runtime.GOMAXPROCS(prev)
				if code != 0 {
					t.Fatalf("GOMAXPROCS=%d: exit %d: %s", procs, code, stderr)
				}
				outs[i], errs[i] = out, stderr
			}
			if strings.Count(outs[0], "\n") < 20 {
				t.Fatalf("only %d lines of output: the case tests nothing:\n%s%s", strings.Count(outs[0], "\n"), outs[0], errs[0])
			}
			if outs[0] != outs[1] {
				t.Errorf("stdout differs between one core (%d bytes) and two (%d bytes) at byte %d", len(outs[0]), len(outs[1]), firstDiff(outs[0], outs[1]))
			}
			if errs[0] != errs[1] {
				t.Errorf("stderr differs:\none core:\n%s\ntwo:\n%s", errs[0], errs[1])
			}
		})
	}
}

// shifted returns frames with their times moved by d.
func shifted(frames []testutil.Frame, d time.Duration) []testutil.Frame {
	out := slices.Clone(frames)
	for i := range out {
		out[i].CI.Timestamp = out[i].CI.Timestamp.Add(d)
	}
	return out
}

// byTime sorts frames by time, keeping the order of equal times.
func byTime(frames []testutil.Frame) []testutil.Frame {
	slices.SortStableFunc(frames, func(a, b testutil.Frame) int { return a.CI.Timestamp.Compare(b.CI.Timestamp) })
	return frames
}

// firstDiff is the index of the first byte where a and b differ.
func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestSameOutputEveryRun runs 'http --jsonl' and 'streams --json' three
// times on a capture cut short (hundreds of connections still open at its
// end): the outputs must be the same each time. They were not: the
// connections the end of input closed came in an order that changed from
// run to run.
func TestSameOutputEveryRun(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cut.pcap")
	if code, _, stderr := run(t, nil, "gen", "-w", p, "--packets", "7000", "--seed", "1"); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	for _, args := range [][]string{{"http", "-r", p, "--jsonl"}, {"streams", "-r", p, "--json"}} {
		var first string
		for i := range 3 {
			code, out, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			if i == 0 {
				first = out
				continue
			}
			if out != first {
				t.Errorf("%v: run %d's output differs from run 0's at byte %d", args, i, firstDiff(first, out))
			}
		}
	}
}
