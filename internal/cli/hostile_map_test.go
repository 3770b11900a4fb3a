package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/dataset"
)

// Hostile inputs for 'wirekit map' (issue 13): each case is a way a user,
// a script or a damaged set once made map misbehave. Keep them here so
// that they cannot come back.

// manySmallCaptures writes n copies of a generated 3-packet capture into
// a new directory and returns it.
func manySmallCaptures(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	one := filepath.Join(t.TempDir(), "one.pcap")
	if code, _, stderr := run(t, nil, "gen", "-w", one, "--packets", "3", "--seed", "1"); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	data, err := os.ReadFile(one)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d.pcap", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHostileMapFileLimit: running out of file descriptors is not damage
// of the files. Before the fix, 'map --file-workers 0' under 'ulimit -n
// 64' called most files of a large set damaged ("too many open files")
// and exited 0. Now the files read at once are bounded by the limit, and
// when no descriptor is left at all map fails with a message saying so,
// writing no map.
func TestHostileMapFileLimit(t *testing.T) {
	const n = 400
	dir := manySmallCaptures(t, n)
	out := filepath.Join(t.TempDir(), "map.json")
	t.Run("all workers under a low limit", func(t *testing.T) {
		code, stdout, stderr := runLimited(t, 16, "map", "--dir-src", dir, "--file-workers", "0", "--dump-json", out)
		if code != 0 || !strings.Contains(stdout, fmt.Sprintf("mapped %d files (0 damaged), %d packets", n, 3*n)) {
			t.Fatalf("exit %d\nstdout: %s\nstderr (first 500 bytes): %.500s", code, stdout, stderr)
		}
		set, err := dataset.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		if set.Errors != 0 || len(set.Files) != n {
			t.Errorf("map has %d files, %d damaged; want %d and none", len(set.Files), set.Errors, n)
		}
	})
	t.Run("no descriptor left", func(t *testing.T) {
		os.Remove(out)
		// Files as arguments: a directory could not even be walked.
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"map", "--file-workers", "0", "--dump-json", out}
		for _, e := range ents {
			args = append(args, filepath.Join(dir, e.Name()))
		}
		code, stdout, stderr := runLimited(t, -1, args...)
		if code != ExitFailure || !strings.Contains(stderr, "too many open files (not a property of the file") || strings.Contains(stderr, "warning") {
			t.Fatalf("exit %d\nstdout: %s\nstderr (first 500 bytes): %.500s", code, stdout, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a map was written though the files could not be read")
		}
	})
}

// TestHostileMapDamagedFiles: a damaged file or a file that is not a
// capture is recorded in the map with what was read before the damage,
// the other files are mapped, and map exits 1 after writing the map
// (before the fix it exited 0, so a script could not tell).
func TestHostileMapDamagedFiles(t *testing.T) {
	dir := mapFixture(t) // two good files and w1/junk.pcap
	cut := filepath.Join(dir, "w0", "cut.pcap")
	data, err := os.ReadFile(filepath.Join(dir, "w0", "a.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "map.json")
	code, stdout, stderr := run(t, nil, "map", "--dir-src", dir, "--dump-json", out)
	if code != ExitFailure || !strings.Contains(stdout, "mapped 4 files (2 damaged)") ||
		!strings.Contains(stderr, "junk.pcap") || !strings.Contains(stderr, "cut.pcap") || !strings.Contains(stderr, "2 of 4 files are damaged") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	set, err := dataset.Load(out)
	if err != nil {
		t.Fatalf("the map was not written: %v", err)
	}
	for _, f := range set.Files {
		if strings.HasSuffix(f.Path, "cut.pcap") && (f.Error == "" || f.Packets == 0 || f.Packets >= 50) {
			t.Errorf("cut file: %d packets, error %q; want the packets before the cut and the damage", f.Packets, f.Error)
		}
	}
}
