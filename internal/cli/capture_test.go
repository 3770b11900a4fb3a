package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// syncBuffer is a bytes.Buffer safe to write from the command while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCapture runs 'wirekit capture' on a veth pair while a namespace sends
// datagrams to two ports: only the filtered port is printed, -c stops it,
// and the closing counts are printed.
func TestCapture(t *testing.T) {
	n := testutil.NewVethNS(t)
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(context.Background(), []string{"capture", "-i", n.Host, "-c", "4", "udp", "dst", "port", "9999"}, nil, &out, &errb)
	}()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 4 {
				t.Fatalf("%d lines, want 4:\n%s", len(lines), out.String())
			}
			for _, l := range lines {
				if !strings.Contains(l, n.HostIP+".9999: UDP") {
					t.Errorf("line not for port 9999: %s", l)
				}
			}
			for _, want := range []string{"listening on " + n.Host, "4 packets captured", "packets received by filter", "packets dropped by kernel"} {
				if !strings.Contains(errb.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errb.String())
				}
			}
			return
		case <-deadline:
			t.Fatalf("capture did not stop after -c 4; stdout:\n%s\nstderr:\n%s", out.String(), errb.String())
		case <-time.After(200 * time.Millisecond):
			if strings.Contains(errb.String(), "listening on") {
				n.SendUDP(t, 9998, 2)
				n.SendUDP(t, 9999, 1)
			}
		}
	}
}

// TestCaptureCancel: cancelling (SIGINT in main) flushes the -w file.
func TestCaptureCancel(t *testing.T) {
	n := testutil.NewVethNS(t)
	outFile := t.TempDir() + "/live.pcapng"
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"capture", "-i", n.Host, "-w", outFile, "udp"}, nil, &bytes.Buffer{}, &errb)
	}()
	for start := time.Now(); !strings.Contains(errb.String(), "listening on"); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			cancel()
			t.Fatalf("capture did not start: %s", errb.String())
		}
	}
	n.SendUDP(t, 9999, 3)
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	code, stdout, stderr := run(t, nil, "read", "-r", outFile)
	if code != 0 || strings.Count(stdout, "UDP") < 3 {
		t.Fatalf("reading the capture back: exit %d, %s\n%s", code, stdout, stderr)
	}
}

func TestCaptureErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"capture"}, 2, "-i IFACE"},
		{[]string{"capture", "-i", "nonexistent0"}, 1, "interfaces here"},
		{[]string{"capture", "-i", "lo", "tcp", "port"}, 2, "syntax error"},
	}
	for _, tc := range tests {
		code, _, stderr := run(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.err) {
			t.Errorf("%v: exit %d, %s; want exit %d with %q", tc.args, code, stderr, tc.code, tc.err)
		}
	}
}
