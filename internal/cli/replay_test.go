package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// replayFixture generates three captures of different seeds and returns
// their paths and the map 'wirekit map' writes for them.
func replayFixture(t *testing.T) (dir string, paths []string, mapPath string) {
	t.Helper()
	dir = t.TempDir()
	for i := range 3 {
		p := filepath.Join(dir, "w"+strconv.Itoa(i)+".pcap")
		if code, _, stderr := run(t, nil, "gen", "-w", p, "--packets", "200", "--seed", strconv.Itoa(i+1)); code != 0 {
			t.Fatalf("gen: %s", stderr)
		}
		paths = append(paths, p)
	}
	mapPath = filepath.Join(dir, "map.json")
	if code, _, stderr := run(t, nil, append([]string{"map", "--dump-json", mapPath}, paths...)...); code != 0 {
		t.Fatalf("map: %s", stderr)
	}
	return dir, paths, mapPath
}

type stampedPacket struct {
	ts   time.Time
	data string
}

func readAll(t *testing.T, open func() (pcapio.Source, error)) []stampedPacket {
	t.Helper()
	src, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out []stampedPacket
	for {
		data, ci, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, stampedPacket{ci.Timestamp, string(data)})
	}
}

// TestReplayToFileKeepsMergeOrder: replaying the set into a file with the
// original timestamps gives exactly what the timestamp merge gives, from a
// map or from the files directly.
func TestReplayToFileKeepsMergeOrder(t *testing.T) {
	dir, paths, mapPath := replayFixture(t)
	want := readAll(t, func() (pcapio.Source, error) { return pcapio.Merge(paths...) })
	for _, tc := range []struct {
		name string
		in   []string
	}{
		{"map", []string{"--dump-json", mapPath}},
		{"files", paths},
		{"directory", []string{dir}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.pcapng")
			args := append([]string{"replay", "-w", out, "--keep-timestamps", "--nano", "--topspeed"}, tc.in...)
			if tc.name == "directory" {
				args = append(args, "--file-regexp", `\.pcap$`)
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != 0 || !strings.Contains(stdout, "sent 600 packets") {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			got := readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) })
			if len(got) != len(want) {
				t.Fatalf("%d packets, want %d", len(got), len(want))
			}
			for i := range got {
				if !got[i].ts.Equal(want[i].ts) || got[i].data != want[i].data {
					t.Fatalf("packet %d differs from the merge (%v vs %v)", i, got[i].ts, want[i].ts)
				}
			}
		})
	}
}

func TestReplayOutBPFAndWindow(t *testing.T) {
	_, paths, mapPath := replayFixture(t)
	all := readAll(t, func() (pcapio.Source, error) { return pcapio.Merge(paths...) })
	prog := filter.MustCompile("tcp", 1, 262144)
	tcp := 0
	for _, p := range all {
		if prog.Run([]byte(p.data), len(p.data)) != 0 {
			tcp++
		}
	}
	out := filepath.Join(t.TempDir(), "out.pcap")
	code, stdout, stderr := run(t, nil, "replay", "--dump-json", mapPath, "-w", out, "--topspeed", "--out-bpf", "tcp")
	if code != 0 || !strings.Contains(stdout, "sent "+strconv.Itoa(len(all)-tcp)+" packets") || !strings.Contains(stdout, "filtered "+strconv.Itoa(tcp)+" by --out-bpf") {
		t.Fatalf("exit %d; want %d filtered\nstdout: %s\nstderr: %s", code, tcp, stdout, stderr)
	}
	for _, p := range readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) }) {
		if prog.Run([]byte(p.data), len(p.data)) != 0 {
			t.Fatal("a packet matching --out-bpf was sent")
		}
	}
	// A window from the 101st to the 300th packet's time.
	from, to := all[100].ts, all[299].ts
	inside := 0
	for _, p := range all {
		if !p.ts.Before(from) && !p.ts.After(to) {
			inside++
		}
	}
	code, stdout, stderr = run(t, nil, "replay", "--dump-json", mapPath, "--null", "--topspeed",
		"--time-from", from.Format(time.RFC3339Nano), "--time-to", to.Format(time.RFC3339Nano))
	if code != 0 || !strings.Contains(stdout, "sent "+strconv.Itoa(inside)+" packets") || !strings.Contains(stdout, "skipped "+strconv.Itoa(len(all)-inside)+" outside") {
		t.Fatalf("window: exit %d, want %d inside\nstdout: %s\nstderr: %s", code, inside, stdout, stderr)
	}
}

func TestReplayPacedAndLooped(t *testing.T) {
	_, _, mapPath := replayFixture(t)
	// A loaded machine (CI runs test binaries side by side) can make the
	// sender lag by tens of milliseconds, which a run cannot tell from
	// unscaled timing: the timing is judged on the best of three runs,
	// and an unscaled replay fails all three.
	var problems []string
	for range 3 {
		problems = replayPacedAndLooped(t, mapPath)
		if len(problems) == 0 {
			return
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// replayPacedAndLooped replays the set twice scaled to 20 ms a loop; it
// fails t on a wrong result and returns what is wrong with the timing.
func replayPacedAndLooped(t *testing.T, mapPath string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.pcap")
	// The set spans about 40 ms; scaled to 20 ms per loop, twice.
	start := time.Now()
	code, stdout, stderr := run(t, nil, "replay", "--dump-json", mapPath, "-w", out, "--loop-count", "2", "--time-scale-enabled", "--time-scale-duration", "20ms", "--stats", "0.005")
	el := time.Since(start)
	if code != 0 || !strings.Contains(stdout, "sent 1200 packets") || !strings.Contains(stdout, "2 loops") || !strings.Contains(stdout, "lag behind schedule: p50") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "wirekit: replay: ") {
		t.Errorf("no --stats line on stderr: %s", stderr)
	}
	if el < 40*time.Millisecond {
		t.Errorf("two loops scaled to 20 ms took only %v", el)
	}
	got := readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) })
	for i := 1; i < len(got); i++ {
		if got[i].ts.Before(got[i-1].ts) {
			t.Fatalf("send time of packet %d goes backwards", i)
		}
	}
	// Paced: at least the scaled 40 ms. Scaled: on a quiet machine (the
	// run took under 150 ms) well under the unscaled 80 ms; on a loaded
	// one the sender lags, but never past the run's own duration.
	span := got[len(got)-1].ts.Sub(got[0].ts)
	switch {
	case span < 40*time.Millisecond:
		t.Errorf("written send times span %v, want at least the scaled 40 ms", span)
	case span > el:
		t.Errorf("written send times span %v, more than the run took (%v)", span, el)
	case el < 150*time.Millisecond && span > 70*time.Millisecond:
		return []string{fmt.Sprintf("written send times span %v in a %v run, want about 40 ms (not scaled?)", span, el)}
	}
	return nil
}

func TestReplayOversize(t *testing.T) {
	_, paths, _ := replayFixture(t)
	out := filepath.Join(t.TempDir(), "out.pcap")
	code, stdout, stderr := run(t, nil, "replay", "-w", out, "--topspeed", "--mtu", "100", paths[0])
	if code != 1 || !strings.Contains(stderr, "MTU 100") || !strings.Contains(stderr, "packet ") || !strings.Contains(stderr, "--mtu-trunc") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the packets before the error were not kept: %v", err)
	}
	for _, tc := range []struct{ flag, word string }{{"--mtu-trunc", "truncated"}, {"--skip-oversize", "skipped"}} {
		code, stdout, stderr = run(t, nil, "replay", "--null", "--topspeed", "--mtu", "100", tc.flag, paths[0])
		if code != 0 || !strings.Contains(stdout, "("+tc.word+")") || strings.Contains(stdout, "oversize 0 ") {
			t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", tc.flag, code, stdout, stderr)
		}
	}
}

func TestReplayUsage(t *testing.T) {
	_, paths, mapPath := replayFixture(t)
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
	}{
		{"no output", []string{"replay", paths[0]}, 2, "choose one output"},
		{"two outputs", []string{"replay", "--null", "-w", "x.pcap", paths[0]}, 2, "choose one output"},
		{"no input", []string{"replay", "--null"}, 2, "--dump-json MAP"},
		{"map and files", []string{"replay", "--null", "--dump-json", mapPath, paths[0]}, 2, "not both"},
		{"bad modifier", []string{"replay", "--null", "--time-modifier", "0", paths[0]}, 2, "--time-modifier"},
		{"bad time", []string{"replay", "--null", "--time-from", "yesterday", paths[0]}, 2, "--time-from"},
		{"window backwards", []string{"replay", "--null", "--time-from", "2024-01-02T00:00:00Z", "--time-to", "2024-01-01T00:00:00Z", paths[0]}, 2, "before"},
		{"modes", []string{"replay", "--null", "--topspeed", "--pps", "10", paths[0]}, 2, "exclude each other"},
		{"oversize policies", []string{"replay", "--null", "--mtu-trunc", "--skip-oversize", paths[0]}, 2, "exclude each other"},
		{"scale without duration", []string{"replay", "--null", "--time-scale-enabled", paths[0]}, 2, "--time-scale-duration"},
		{"bad filter", []string{"replay", "--null", "--out-bpf", "tcp port", paths[0]}, 1, "tcp port"},
		{"regexp matches nothing", []string{"replay", "--null", "--dump-json", mapPath, "--file-regexp", "nomatch"}, 1, "--file-regexp"},
		{"missing map", []string{"replay", "--null", "--dump-json", "/nonexistent/map.json"}, 1, "map"},
		{"unknown interface", []string{"replay", "--out-interface", "nonexistent0", paths[0]}, 1, "nonexistent0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderrHas) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stderr with %q", code, tc.code, stdout, stderr, tc.stderrHas)
			}
		})
	}
}

// TestReplayInterrupt: cancelling (as SIGINT does) stops a slow replay
// cleanly, with the summary printed and the output file kept.
func TestReplayInterrupt(t *testing.T) {
	_, _, mapPath := replayFixture(t)
	out := filepath.Join(t.TempDir(), "out.pcap")
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := Run(ctx, []string{"replay", "--dump-json", mapPath, "-w", out, "--time-modifier", "0.01"}, nil, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "replay interrupted: sent ") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("stopping took %v", el)
	}
	if got := readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) }); len(got) == 0 || len(got) >= 600 {
		t.Errorf("%d packets written before the interrupt", len(got))
	}
}
