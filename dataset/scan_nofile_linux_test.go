package dataset

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/osenv"
	"github.com/wirekit/wirekit/pcapio"
)

// nofileFiles is how many small captures the low-limit tests map.
const nofileFiles = 300

// TestScanUnderLowFileLimit maps 300 small files with every file read at
// once (Workers 0) in a child process whose limit on open files leaves
// only a few descriptors free. Before the fix, opens beyond the limit
// failed with EMFILE and were recorded as damage of the files. Now:
//   - bounded: the workers are bounded by the headroom; every file mapped;
//   - retry: the headroom is unknown (as outside Linux), 300 workers share
//     12 descriptors by waiting for each other; every file mapped;
//   - exhausted: no descriptor at all: Scan fails with an
//     *EnvironmentError and no file is called damaged.
func TestScanUnderLowFileLimit(t *testing.T) {
	if dir := os.Getenv("WIREKIT_NOFILE_DIR"); dir != "" {
		scanUnderLimit(t, dir, os.Getenv("WIREKIT_NOFILE_MODE"))
		return
	}
	dir := t.TempDir()
	writeSmallCaptures(t, dir, nofileFiles)
	for _, mode := range []string{"bounded", "retry", "exhausted"} {
		t.Run(mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestScanUnderLowFileLimit$", "-test.v")
			cmd.Env = append(os.Environ(), "WIREKIT_NOFILE_DIR="+dir, "WIREKIT_NOFILE_MODE="+mode)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "child ok") {
				t.Fatalf("child: %v\n%s", err, out)
			}
		})
	}
}

// writeSmallCaptures writes n pcap files of 3 packets each to dir.
func writeSmallCaptures(t testing.TB, dir string, n int) []string {
	t.Helper()
	var paths []string
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("f%03d.pcap", i))
		w, err := pcapio.Create(p, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k := range 3 {
			data := make([]byte, 60)
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), int64(k)*1000), CaptureLength: 60, Length: 60}
			if err := w.WritePacket(ci, data); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// scanUnderLimit runs in the child: it lowers its own limit on open files
// to what it has open plus a few, then maps dir.
func scanUnderLimit(t *testing.T, dir, mode string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range ents {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	free, limit, ok := osenv.Headroom()
	if !ok {
		t.Fatal("cannot count open files")
	}
	open := limit - free
	extra := map[string]int{"bounded": 24, "retry": 12, "exhausted": 4}[mode]
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	rl.Cur = uint64(open + extra)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	if mode == "exhausted" {
		// Take every descriptor left, whatever the count missed.
		for {
			f, err := os.Open(os.DevNull)
			if err != nil {
				break
			}
			defer f.Close()
		}
	}
	if mode == "retry" {
		headroom = func() (int, int, bool) { return 0, 0, false }
	}
	set, err := Scan(context.Background(), paths, &Config{Workers: 0})
	if mode == "exhausted" {
		var ee *EnvironmentError
		if !errors.As(err, &ee) || !osenv.IsTooManyOpen(err) || set != nil {
			n := -1
			if set != nil {
				n = set.Errors
			}
			t.Fatalf("Scan with no descriptor free (limit %d): %v (%d damaged), want an *EnvironmentError (EMFILE)", rl.Cur, err, n)
		}
		if !strings.Contains(err.Error(), "not a property of the file") {
			t.Errorf("message %q does not say the file is not at fault", err)
		}
		fmt.Println("child ok")
		return
	}
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if set.Errors != 0 || set.Packets != 3*int64(len(paths)) || len(set.Files) != len(paths) {
		for _, f := range set.Files {
			if f.Error != "" {
				t.Errorf("%s: %s", f.Path, f.Error)
				break
			}
		}
		t.Fatalf("%d of %d files damaged, %d packets; want none damaged and %d packets", set.Errors, len(set.Files), set.Packets, 3*len(paths))
	}
	fmt.Println("child ok")
}
