package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/pcapio"
)

// Hostile inputs for 'wirekit replay' (issue 13): each case is a way a
// user, a script or a damaged set once made replay misbehave. Keep them
// here so that they cannot come back.

// TestHostileReplayNumbers: every numeric flag of replay refuses, with a
// usage error (exit 2) naming the flag and what it accepts, the values it
// cannot honour; before the fix the rates below overflowed their schedule
// and played at top speed, and NaN rates or --batch 0 were silently
// accepted.
func TestHostileReplayNumbers(t *testing.T) {
	_, paths, _ := replayFixture(t)
	in := paths[0]
	tests := []struct {
		name string
		args []string
		want string // in stderr, after "wirekit: replay: "
	}{
		{"time modifier whose schedule overflows", []string{"--time-modifier", "1e-300"}, "--time-modifier 1e-300: the replay"},
		{"packet rate whose schedule overflows", []string{"--pps", "1e-300"}, "--pps 1e-300: the replay"},
		{"bit rate whose schedule overflows", []string{"--mbps", "1e-300"}, "--mbps 1e-300: the replay"},
		{"loops that overflow the schedule", []string{"--time-modifier", "1e-9", "--loop-count", "10000000000"}, "--time-modifier 1e-09: the replay (10000000000 loop(s)"},
		{"NaN time modifier", []string{"--time-modifier", "NaN"}, "--time-modifier NaN: want a finite positive"},
		{"infinite time modifier", []string{"--time-modifier", "+Inf"}, "--time-modifier +Inf: want a finite positive"},
		{"negative time modifier", []string{"--time-modifier", "-2"}, "--time-modifier -2: want a finite positive"},
		{"NaN packet rate", []string{"--pps", "NaN"}, "--pps NaN: want a finite positive"},
		{"infinite packet rate", []string{"--pps", "Inf"}, "--pps +Inf: want a finite positive"},
		{"negative packet rate", []string{"--pps", "-1"}, "--pps -1: want a finite positive"},
		{"NaN bit rate", []string{"--mbps", "NaN"}, "--mbps NaN: want a finite positive"},
		{"infinite bit rate", []string{"--mbps", "-Inf"}, "--mbps -Inf: want a finite positive"},
		{"NaN stats period", []string{"--stats", "NaN"}, "--stats NaN: want 0"},
		{"stats period below a millisecond", []string{"--stats", "1e-300"}, "--stats 1e-300: want 0"},
		{"stats period beyond a duration", []string{"--stats", "1e19"}, "--stats 1e+19: want 0"},
		{"negative stats period", []string{"--stats", "-1"}, "--stats -1: want 0"},
		{"batch of zero", []string{"--batch", "0"}, "--batch 0: want 1 to 1024"},
		{"batch beyond sendmmsg", []string{"--batch", "100000"}, "--batch 100000: want 1 to 1024"},
		{"negative batch", []string{"--batch", "-1"}, "--batch -1: want 1 to 1024"},
		{"MTU too small for IP", []string{"--mtu", "5"}, "--mtu 5: want 0"},
		{"MTU beyond any frame", []string{"--mtu", "1000000"}, "--mtu 1000000: want 0"},
		{"negative MTU", []string{"--mtu", "-1"}, "--mtu -1: want 0"},
		{"negative scale duration", []string{"--time-scale-enabled", "--time-scale-duration", "-1s"}, "--time-scale-duration -1s: --time-scale-enabled needs a positive duration"},
		{"scale duration of zero", []string{"--time-scale-enabled"}, "--time-scale-duration 0s: --time-scale-enabled needs a positive duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"replay", "--null", in}, tc.args...)
			code, stdout, stderr := run(t, nil, args...)
			if code != ExitUsage || !strings.Contains(stderr, "wirekit: replay: "+tc.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stderr with %q", code, ExitUsage, stdout, stderr, tc.want)
			}
			if strings.Contains(stdout, "sent ") {
				t.Errorf("packets were sent: %s", stdout)
			}
		})
	}
	// The edges of each range are accepted.
	for _, args := range [][]string{
		{"--stats", "0.001"}, {"--batch", "1"}, {"--batch", "1024"}, {"--mtu", "68", "--skip-oversize"}, {"--mtu", "262144"},
		{"--pps", "1e300"}, {"--time-modifier", "1e300"}, {"--mbps", "1e300"},
	} {
		code, stdout, stderr := run(t, nil, append([]string{"replay", "--null", in}, args...)...)
		if code != 0 {
			t.Errorf("%v refused: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
		}
	}
}

// TestHostileReplayBadFiles: one bad file no longer aborts a whole replay
// (before the fix a non-capture .pcap in a directory, or a path of the map
// that no longer exists, gave 0 packets sent and exit 1): it is reported
// on stderr as it is met, the rest of the set is replayed (a file damaged
// part-way up to its damage), and replay exits 1 at the end with the list.
func TestHostileReplayBadFiles(t *testing.T) {
	tests := []struct {
		name      string
		spoil     func(t *testing.T, dir string, paths []string) // before replaying
		useMap    bool
		sent      int
		stderrHas []string
	}{
		{"non-capture file in the directory", func(t *testing.T, dir string, _ []string) {
			writeTestFile(t, filepath.Join(dir, "junk.pcap"), []byte("this is not a capture file"))
		}, false, 600, []string{"wirekit: replay: skipping ", "junk.pcap: offset 0 (packet 1): ", "not a pcap or pcapng file", "1 of 4 files left out of the replay", "junk.pcap\n"}},
		{"file of the map removed", func(t *testing.T, _ string, paths []string) {
			if err := os.Remove(paths[1]); err != nil {
				t.Fatal(err)
			}
		}, true, 400, []string{"wirekit: replay: skipping ", "w1.pcap: open: no such file or directory", "1 of 3 files left out"}},
		{"file of the map replaced by garbage", func(t *testing.T, _ string, paths []string) {
			writeTestFile(t, paths[0], []byte("garbage"))
		}, true, 400, []string{"w0.pcap: offset 0 (packet 1)", "1 of 3 files left out"}},
		{"file damaged part-way", func(t *testing.T, _ string, paths []string) {
			truncateTo(t, paths[2], 24+5*40) // inside the first packets
		}, true, -1, []string{"w2.pcap: offset ", "truncated", "packets before the damage are replayed, the rest of the file is skipped", "1 of 3 files left out"}},
		{"every file unreadable", func(t *testing.T, _ string, paths []string) {
			for _, p := range paths {
				writeTestFile(t, p, nil)
			}
		}, true, 0, []string{"empty file", "3 of 3 files left out"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, paths, mapPath := replayFixture(t)
			tc.spoil(t, dir, paths)
			out := filepath.Join(t.TempDir(), "out.pcap")
			args := []string{"replay", "-w", out, "--topspeed"}
			if tc.useMap {
				args = append(args, "--dump-json", mapPath)
			} else {
				args = append(args, dir, "--file-regexp", `\.pcap$`)
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != ExitFailure {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFailure, stdout, stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			var sent int
			i := strings.Index(stdout, "sent ")
			if i < 0 {
				t.Fatalf("no summary on stdout: %q\nstderr: %s", stdout, stderr)
			}
			if _, err := fmt.Sscanf(stdout[i:], "sent %d packets", &sent); err != nil {
				t.Fatalf("no summary: %v\nstdout: %s", err, stdout)
			}
			if tc.sent >= 0 && sent != tc.sent || tc.sent < 0 && (sent <= 400 || sent >= 600) {
				t.Errorf("sent %d packets, want %d (or between 400 and 600 for a damaged file)\nstdout: %s", sent, tc.sent, stdout)
			}
			if !strings.Contains(stdout, "replay done without ") {
				t.Errorf("the summary does not say files were left out: %s", stdout)
			}
			if sent > 0 {
				if got := readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) }); len(got) != sent {
					t.Errorf("%d packets in the output, want %d", len(got), sent)
				}
			}
		})
	}
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func truncateTo(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

// TestHostileReplayFileLimit: a set with more files than the process may
// open at once is not a set of bad files: the merge keeps every file open,
// so replay stops before sending anything with a message naming the limit,
// instead of leaving out (or, before the fix, failing on) whichever file
// the limit fell on as if it were damaged.
func TestHostileReplayFileLimit(t *testing.T) {
	dir := manySmallCaptures(t, 200)
	code, stdout, stderr := runLimited(t, 32, "replay", "--null", "--topspeed", dir)
	if code != ExitFailure || !strings.Contains(stderr, "too many open files") || !strings.Contains(stderr, "raise the limit") ||
		strings.Contains(stderr, "skipping") || strings.Contains(stdout, "done") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %.800s", code, stdout, stderr)
	}
}
