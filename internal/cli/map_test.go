package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
)

// mapFixture makes a folder with two generated captures in subfolders and a
// garbage file, and returns it.
func mapFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i, name := range []string{"w0/a.pcap", "w1/b.pcapng.zst"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := run(t, nil, "gen", "-w", p, "--packets", "50", "--seed", strconv.Itoa(i+1)); code != 0 {
			t.Fatalf("gen %s: %s", name, stderr)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "w1", "junk.pcap"), []byte("not a capture"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMap(t *testing.T) {
	dir := mapFixture(t)
	empty := t.TempDir()
	out := filepath.Join(t.TempDir(), "map.json")
	tests := []struct {
		name      string
		args      []string
		code      int
		files     int // files in the JSON; -1: no JSON expected
		stdoutHas string
		stderrHas string
	}{
		{"dir with a damaged file", []string{"map", "--dir-src", dir, "--dump-json", out}, 1, 3, "mapped 3 files (1 damaged), 100 packets", "junk.pcap"},
		{"suffix", []string{"map", "--dir-src", dir, "--file-suffix", ".zst", "--dump-json", out}, 0, 1, "mapped 1 files (0 damaged), 50 packets", ""},
		{"regexp and all workers", []string{"map", "--dir-src", dir, "--file-regexp", `w0/`, "--file-workers", "0", "--dump-json", out}, 0, 1, "mapped 1 files", ""},
		{"files as arguments", []string{"map", "--dump-json", out, filepath.Join(dir, "w0", "a.pcap")}, 0, 1, "50 packets", ""},
		{"regexp matches nothing", []string{"map", "--dir-src", dir, "--file-regexp", "nomatch", "--dump-json", out}, 1, -1, "", `none of the 3 files found match regexp "nomatch"`},
		{"empty dir", []string{"map", "--dir-src", empty, "--dump-json", out}, 1, -1, "", "no files found"},
		{"no input", []string{"map", "--dump-json", out}, 2, -1, "", "--dir-src"},
		{"bad regexp", []string{"map", "--dir-src", dir, "--file-regexp", "(", "--dump-json", out}, 2, -1, "", "--file-regexp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(out)
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdoutHas) || !strings.Contains(stderr, tc.stderrHas) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, stdout, stderr, tc.stdoutHas, tc.stderrHas)
			}
			if tc.files < 0 {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s written on failure", out)
				}
				return
			}
			set, err := dataset.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Files) != tc.files {
				t.Errorf("%d files in the map, want %d", len(set.Files), tc.files)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	dir := mapFixture(t)
	good := filepath.Join(dir, "w1", "b.pcapng.zst")
	junk := filepath.Join(dir, "w1", "junk.pcap")
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas []string
		stderrHas string
	}{
		{"info", []string{"info", good}, 0, []string{"File format:          pcapng (compression: zstd)", "Number of packets:    50", "First packet time:    2024-01-01 00:00:00.000000000 UTC"}, ""},
		{"map info", []string{"map", "info", good}, 0, []string{"Number of packets:    50"}, ""},
		{"damaged among good", []string{"info", good, junk}, 1, []string{"Number of packets:    50", "Error:", "not a pcap"}, "1 of 2 files"},
		{"no file", []string{"info"}, 2, nil, "requires at least 1 arg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderrHas) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, stderr, tc.stderrHas)
			}
			for _, s := range tc.stdoutHas {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
		})
	}
}

// TestMapProgressLine: the line shows files, bytes, rate and ETA; updates
// closer than drawEvery are skipped except the last one; nothing is drawn
// when stderr is not a terminal.
func TestMapProgressLine(t *testing.T) {
	if newProgress(&strings.Builder{}) != nil {
		t.Error("progress drawn on a non-terminal writer")
	}
	var b strings.Builder
	p := &progress{w: &b, start: time.Now().Add(-2 * time.Second)}
	p.update(dataset.Progress{Files: 4, FilesDone: 1, Bytes: 400e6, BytesDone: 100e6})
	p.update(dataset.Progress{Files: 4, FilesDone: 1, Bytes: 400e6, BytesDone: 150e6}) // too soon: skipped
	p.update(dataset.Progress{Files: 4, FilesDone: 4, Bytes: 400e6, BytesDone: 400e6}) // the end: drawn
	p.finish()
	lines := strings.Split(strings.TrimPrefix(b.String(), "\r"), "\r")
	if len(lines) != 2 {
		t.Fatalf("%d lines drawn, want 2: %q", len(lines), b.String())
	}
	for _, want := range []string{"1/4 files", "100.0 of 400.0 MB", "MB/s", "ETA "} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("first line %q lacks %q", lines[0], want)
		}
	}
	if !strings.Contains(lines[1], "4/4 files, 400.0 of 400.0 MB") || !strings.HasSuffix(lines[1], "\n") {
		t.Errorf("last line %q", lines[1])
	}
}
