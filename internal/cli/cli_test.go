package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// run executes the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func demoPath(t *testing.T) string {
	return filepath.Join(testutil.RepoRoot(t), "testdata", "demo.pcap")
}

// TestDemoCaptureIsGenerated proves the capture the README ships is exactly
// what the repository's own generator writes.
func TestDemoCaptureIsGenerated(t *testing.T) {
	want, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "demo.pcap")
	if code, _, stderr := run(t, nil, demoGenArgs(out)...); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("testdata/demo.pcap differs from 'wirekit %s': regenerate it with that command", strings.Join(demoGenArgs("testdata/demo.pcap"), " "))
	}
}

// demoGenArgs is the command that makes testdata/demo.pcap.
func demoGenArgs(out string) []string {
	return []string{"gen", "-w", out, "--packets", "300", "--seed", "1"}
}

func TestRead(t *testing.T) {
	demo := demoPath(t)
	tests := []struct {
		name      string
		args      []string
		code      int
		lines     int    // expected stdout lines; -1: don't check
		stdoutHas string // substring expected in stdout
		stderrHas string // substring expected in stderr
	}{
		{"all packets", []string{"read", "-r", demo}, 0, 300, " > ", "reading from file"},
		{"count", []string{"read", "-r", demo, "-c", "7"}, 0, 7, "", ""},
		{"combined short flags", []string{"read", "-nr", demo, "-c", "3"}, 0, 3, "", ""},
		{"link header", []string{"read", "-e", "-r", demo, "-c", "5"}, 0, 5, "ethertype", ""},
		{"epoch time", []string{"read", "-tt", "-r", demo, "-c", "1"}, 0, 1, "17", ""},
		{"hex", []string{"read", "-x", "-r", demo, "-c", "1"}, 0, -1, "0x0000:", ""},
		{"filter syntax error", []string{"read", "-r", demo, "tcp", "port", "80", "or"}, 2, 0, "", "syntax error (column 15)"},
		{"filter unknown host", []string{"read", "-r", demo, "host", "foo"}, 2, 0, "", "unknown host 'foo'"},
		{"no input", []string{"read"}, 2, 0, "", "-r FILE"},
		{"missing file", []string{"read", "-r", "/nonexistent/x.pcap"}, 1, 0, "", "/nonexistent/x.pcap"},
		{"bad flag", []string{"read", "--bogus"}, 2, 0, "", "bogus"},
		{"negative count", []string{"read", "-r", demo, "-c", "-1"}, 2, 0, "", "-c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if tc.lines >= 0 {
				if n := strings.Count(stdout, "\n"); n != tc.lines {
					t.Errorf("%d lines, want %d", n, tc.lines)
				}
			}
			if !strings.Contains(stdout, tc.stdoutHas) {
				t.Errorf("stdout lacks %q:\n%.500s", tc.stdoutHas, stdout)
			}
			if !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("stderr lacks %q: %s", tc.stderrHas, stderr)
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	code, stdout, stderr := run(t, nil, "read", "--json", "-r", demoPath(t), "-c", "50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines, want 50", len(lines))
	}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, l)
		}
	}
}

func TestReadStdin(t *testing.T) {
	data, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, data, "read", "-r", "-", "-c", "4")
	if code != 0 || strings.Count(stdout, "\n") != 4 {
		t.Fatalf("exit %d, %d lines; stderr: %s", code, strings.Count(stdout, "\n"), stderr)
	}
}

// TestWriteAndMerge writes the demo to every output format, reads each back,
// then merges two halves and checks the merge equals the original.
func TestWriteAndMerge(t *testing.T) {
	demo := demoPath(t)
	_, want, _ := run(t, nil, "read", "-r", demo)
	dir := t.TempDir()
	for _, name := range []string{"out.pcap", "out.pcapng", "out.pcap.gz", "out.pcapng.zst"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name)
			if code, _, stderr := run(t, nil, "read", "-r", demo, "-w", out); code != 0 {
				t.Fatalf("write: exit %d: %s", code, stderr)
			}
			_, got, stderr := run(t, nil, "read", "-r", out)
			if got != want {
				t.Fatalf("reading %s back differs from the original; stderr: %s", name, stderr)
			}
		})
	}

	// Split into odd and even packets, then merge: the result must be the original.
	src, err := pcapio.Open(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ifs := src.Interfaces()
	odd, err := pcapio.Create(filepath.Join(dir, "odd.pcap"), ifs, nil)
	if err != nil {
		t.Fatal(err)
	}
	even, err := pcapio.Create(filepath.Join(dir, "even.pcapng"), ifs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		w := even
		if i%2 == 1 {
			w = odd
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := odd.Close(); err != nil {
		t.Fatal(err)
	}
	if err := even.Close(); err != nil {
		t.Fatal(err)
	}
	code, got, stderr := run(t, nil, "read", "-S", "-tt", "-r", filepath.Join(dir, "odd.pcap"), "-r", filepath.Join(dir, "even.pcapng"))
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	// Expected: the original in timestamp order, ties to the file given
	// first (odd), then file order.
	_, orig, _ := run(t, nil, "read", "-S", "-tt", "-r", demo)
	lines := strings.SplitAfter(orig, "\n")
	lines = lines[:len(lines)-1]
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	ts := func(i int) string { return strings.Fields(lines[i])[0] }
	sort.SliceStable(idx, func(a, b int) bool {
		ia, ib := idx[a], idx[b]
		if ts(ia) != ts(ib) {
			return ts(ia) < ts(ib)
		}
		return ia%2 == 1 && ib%2 == 0
	})
	var exp strings.Builder
	for _, i := range idx {
		exp.WriteString(lines[i])
	}
	if got != exp.String() {
		t.Fatalf("merged output differs from the original in timestamp order")
	}
}

// TestReadTruncated: the packets before the damage are printed, then the
// error names the file and offset, with exit code 1.
func TestReadTruncated(t *testing.T) {
	data, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "read", "-r", cut)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n == 0 || n >= 300 {
		t.Errorf("%d lines printed before the damage, want some but not all", n)
	}
	if !strings.Contains(stderr, cut) || !strings.Contains(stderr, "offset") {
		t.Errorf("error does not name the file and offset: %s", stderr)
	}
}

func TestDevices(t *testing.T) {
	code, stdout, stderr := run(t, nil, "devices")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Loopback") {
		t.Errorf("no loopback interface listed:\n%s", stdout)
	}
	if runtime.GOOS == "linux" && !strings.Contains(stdout, ".any (Pseudo-device that captures on all interfaces) [Up, Running]") {
		t.Errorf("no any pseudo-device listed:\n%s", stdout)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"", 0, true}, {"123", 123, true}, {"1KB", 1000, true}, {"1.5MB", 1500000, true},
		{"1GB", 1e9, true}, {"2KiB", 2048, true}, {"1gb", 1e9, true}, {"x", 0, false}, {"-1MB", 0, false},
	}
	for _, tc := range tests {
		got, err := parseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, sub := range []string{"read", "devices", "gen", "filter compile"} {
		code, stdout, _ := run(t, nil, append(strings.Fields(sub), "--help")...)
		if code != 0 || !strings.Contains(stdout, "Examples:") || !strings.Contains(stdout, "wirekit "+sub) {
			t.Errorf("%s --help: exit %d, no examples:\n%s", sub, code, stdout)
		}
	}
}

// TestReadFilter: each filtered line shows the protocol asked for, the
// filtered count is below the total, and -w with a filter writes exactly
// the printed packets.
func TestReadFilter(t *testing.T) {
	demo := demoPath(t)
	tests := []struct {
		expr string
		each string // substring every printed line must have
	}{
		{"icmp", "ICMP"},
		{"arp", "ARP"},
		{"ip6 and tcp", "IP6 "},
		{"tcp[tcpflags] & tcp-syn != 0", "Flags [S"},
		{"vlan", ""},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, "read", "-r", demo, tc.expr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) == 0 || len(lines) >= 300 || lines[0] == "" {
				t.Fatalf("%d lines: the filter selected none or all", len(lines))
			}
			for _, l := range lines {
				if !strings.Contains(l, tc.each) {
					t.Errorf("line without %q: %s", tc.each, l)
				}
			}
			out := filepath.Join(t.TempDir(), "f.pcap")
			if code, _, stderr := run(t, nil, "read", "-r", demo, "-w", out, tc.expr); code != 0 {
				t.Fatalf("-w: exit %d: %s", code, stderr)
			}
			_, back, _ := run(t, nil, "read", "-r", out)
			if back != stdout {
				t.Errorf("-w with the filter wrote other packets than it printed")
			}
		})
	}
}

// TestWriteKeepsNanoseconds: a nanosecond capture converted with -w keeps
// its nanoseconds.
func TestWriteKeepsNanoseconds(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ns.pcap")
	if code, _, stderr := run(t, nil, "read", "-r", demoPath(t), "-c", "20", "-w", in); code != 0 {
		t.Fatal(stderr)
	}
	// Rewrite with nanosecond stamps, shifted by 1ns each.
	src, err := pcapio.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	nsIn := filepath.Join(dir, "ns-in.pcap")
	w, err := pcapio.Create(nsIn, src.Interfaces(), &pcapio.WriteOptions{Nanosecond: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		ci.Timestamp = ci.Timestamp.Add(time.Duration(i + 1))
		w.WritePacket(ci, data)
	}
	src.Close()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"out.pcap", "out.pcapng"} {
		out := filepath.Join(dir, name)
		if code, _, stderr := run(t, nil, "read", "-r", nsIn, "-w", out); code != 0 {
			t.Fatal(stderr)
		}
		_, want, _ := run(t, nil, "read", "--nano", "-r", nsIn)
		_, got, _ := run(t, nil, "read", "--nano", "-r", out)
		if got != want || !strings.Contains(got, "001 IP") {
			t.Errorf("%s: nanoseconds lost:\n%.300s\nwant\n%.300s", name, got, want)
		}
	}
}

// TestReadFilterNullByteOrder: NULL captures carry the address family in
// the writer's byte order; "ip" must select the same packets in a
// little-endian and a big-endian file (tcpdump: 26 of 33 in both).
func TestReadFilterNullByteOrder(t *testing.T) {
	root := testutil.RepoRoot(t)
	for _, name := range []string{"synth-null.pcap", "synth-null-be.pcap"} {
		code, stdout, stderr := run(t, nil, "read", "-r", filepath.Join(root, "filter", "testdata", name), "ip")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		if n := strings.Count(stdout, "\n"); n != 26 {
			t.Errorf("%s: 'ip' selected %d packets, tcpdump selects 26", name, n)
		}
	}
}
