package cli

// Hostile and unlucky output paths and interruptions (issue 13 items 1, 4
// and 12): devices, FIFOs and symbolic links given as outputs, outputs
// that are inputs, "-", compression suffixes, --packets 0, and SIGINT or
// SIGTERM in the middle of the work. Each case names what went wrong
// before it was fixed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/tables"
)

// countPackets reads a capture to its end and returns its packets and
// compression; a damaged file fails the test.
func countPackets(t *testing.T, path string) (int, pcapio.Compression) {
	t.Helper()
	r, err := pcapio.Open(path)
	if err != nil {
		t.Fatalf("%s is not a valid capture: %v", path, err)
	}
	defer r.Close()
	n := 0
	for {
		_, _, err := r.ReadPacketData()
		if err == io.EOF {
			return n, r.Compression()
		}
		if err != nil {
			t.Fatalf("%s is damaged after %d packets: %v", path, n, err)
		}
		n++
	}
}

// copyDemo copies the demo capture (300 packets) into dir.
func copyDemo(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "in.pcap")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHostileOutputDevicesAndLinksKept(t *testing.T) {
	dir := t.TempDir()
	in := copyDemo(t, dir)
	if err := unix.Mknod(filepath.Join(dir, "null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skip("mknod needs root:", err)
	}
	for _, tc := range []struct {
		name string
		args []string // OUT is replaced by the output path
	}{
		{"read -w replaced the device and the symlink", []string{"read", "-r", in, "-w", "OUT"}},
		{"read -w -C rotation replaced the device and the symlink", []string{"read", "-r", in, "-w", "OUT", "-C", "1"}},
		{"gen -w replaced the device and the symlink", []string{"gen", "-w", "OUT", "--packets", "10"}},
		{"map --dump-json replaced the device and the symlink", []string{"map", "--dump-json", "OUT", in}},
		{"http --har replaced the device and the symlink", []string{"http", "-r", in, "--har", "OUT"}},
		{"replay -w replaced the device and the symlink", []string{"replay", in, "-w", "OUT", "--topspeed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A device of its own: a case that replaced one cannot make
			// the next fail.
			dev := filepath.Join(t.TempDir(), "null")
			if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{"device", "link"} {
				path := dev
				target := filepath.Join(t.TempDir(), "target")
				if out == "link" {
					path = filepath.Join(t.TempDir(), "link")
					if err := os.Symlink(target, path); err != nil {
						t.Fatal(err)
					}
				}
				args := append([]string(nil), tc.args...)
				for i, a := range args {
					if a == "OUT" {
						args[i] = path
					}
				}
				if code, _, stderr := run(t, nil, args...); code != 0 {
					t.Fatalf("%s: exit %d: %s", out, code, stderr)
				}
				fi, err := os.Lstat(path)
				if err != nil {
					t.Fatal(err)
				}
				switch out {
				case "device":
					if fi.Mode()&fs.ModeCharDevice == 0 {
						t.Errorf("the character device became %v", fi.Mode())
					}
				case "link":
					if fi.Mode()&fs.ModeSymlink == 0 {
						t.Errorf("the symbolic link became %v", fi.Mode())
					}
					if st, err := os.Stat(target); err != nil || st.Size() == 0 {
						t.Errorf("the link's target was not written: %v", err)
					}
				}
			}
		})
	}
}

// cancelled returns a context already cancelled by sig, as main's is
// after the signal.
func cancelled(sig syscall.Signal) context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(&Interrupted{Signal: sig})
	return ctx
}

func TestHostileOutputInterrupted(t *testing.T) {
	dir := t.TempDir()
	in := copyDemo(t, dir)
	for _, tc := range []struct {
		name   string
		args   []string
		sig    syscall.Signal
		code   int
		note   string
		output string // a file that must be a valid capture afterwards
	}{
		{"read -w exited 0 silently", []string{"read", "-r", in, "-w", filepath.Join(dir, "r.pcap")}, syscall.SIGINT, 130, "read: interrupted by SIGINT: 0 packets written to " + filepath.Join(dir, "r.pcap") + ", a valid capture", filepath.Join(dir, "r.pcap")},
		{"read -w SIGTERM exited 0", []string{"read", "-r", in, "-w", filepath.Join(dir, "t.pcap")}, syscall.SIGTERM, 143, "interrupted by SIGTERM", filepath.Join(dir, "t.pcap")},
		{"read printing exited 0", []string{"read", "-r", in}, syscall.SIGINT, 130, "read: interrupted by SIGINT: 0 packets printed", ""},
		{"http -r exited 0 silently", []string{"http", "-r", in, "--har", filepath.Join(dir, "x.har")}, syscall.SIGTERM, 143, "http: interrupted by SIGTERM: 0 packets read", ""},
		{"streams -r exited 0 silently", []string{"streams", "-r", in}, syscall.SIGINT, 130, "streams: interrupted by SIGINT", ""},
		{"gen aborted its file and exited 1", []string{"gen", "-w", filepath.Join(dir, "g.pcap")}, syscall.SIGINT, 130, "gen: interrupted by SIGINT: 0 packets written", filepath.Join(dir, "g.pcap")},
		{"map said context canceled", []string{"map", "--dump-json", filepath.Join(dir, "m.json"), in}, syscall.SIGINT, 130, "map: interrupted by SIGINT: no map written", ""},
		{"replay -w exited 0", []string{"replay", in, "-w", filepath.Join(dir, "p.pcap")}, syscall.SIGINT, 130, "replay: interrupted by SIGINT", ""},
		{"filter compile ignores the signal but says so", []string{"filter", "compile", "tcp"}, syscall.SIGINT, 130, "interrupted by SIGINT", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(cancelled(tc.sig), tc.args, nil, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.note) {
				t.Fatalf("exit %d, want %d; stderr %q lacks %q", code, tc.code, stderr.String(), tc.note)
			}
			if tc.output != "" {
				countPackets(t, tc.output)
			}
		})
	}
	t.Run("map wrote nothing", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join(dir, "m.json")); err == nil {
			t.Fatal("an interrupted map wrote a partial map")
		}
	})
	t.Run("http wrote a valid HAR", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, "x.har"))
		if err != nil || !json.Valid(b) {
			t.Fatalf("HAR: %v, valid JSON %v", err, json.Valid(b))
		}
	})
}

// blockingStdin serves head, then blocks until ctx ends and fails as a
// read deadline does: the signal in the middle of a slow input.
type blockingStdin struct {
	head   []byte
	ctx    context.Context
	served chan struct{}
}

func (b *blockingStdin) Read(p []byte) (int, error) {
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	select {
	case <-b.served:
	default:
		close(b.served)
	}
	<-b.ctx.Done()
	return 0, os.ErrDeadlineExceeded
}

// TestHostileOutputInterruptedMidway: a signal while reading keeps the
// packets read before it in a valid file under the final name, and the
// read error the signal causes is not reported as damage.
func TestHostileOutputInterruptedMidway(t *testing.T) {
	demo, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "half.pcap")
	ctx, cancel := context.WithCancelCause(context.Background())
	in := &blockingStdin{head: demo[:len(demo)/2], ctx: ctx, served: make(chan struct{})}
	go func() {
		<-in.served
		cancel(&Interrupted{Signal: syscall.SIGINT})
	}()
	var stdout, stderr bytes.Buffer
	code := Run(ctx, []string{"read", "-r", "-", "-w", out}, in, &stdout, &stderr)
	if code != 130 || !strings.Contains(stderr.String(), "a valid capture of what was read before the signal") || strings.Contains(stderr.String(), "offset") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if n, _ := countPackets(t, out); n == 0 || n >= 300 {
		t.Fatalf("%d packets kept, want those of the first half", n)
	}
}

// TestHostileOutputSignalChild runs the real binary on a FIFO (and on a
// pipe for stdin) that stays open with no more data, as a slow capture
// does, and signals it: before the fix the read blocked for ever, or the
// command exited 0 without a word.
func TestHostileOutputSignalChild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wirekit")
	build := exec.Command("go", "build", "-o", bin, "./cmd/wirekit")
	build.Dir = testutil.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	demo, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	head := demo[:len(demo)*2/3]
	for _, tc := range []struct {
		name   string
		args   []string // FIFO and OUT are replaced
		stdin  bool     // feed standard input instead of a FIFO
		sig    syscall.Signal
		code   int
		note   string
		output string // "pcap": OUT must hold some packets; "har": valid JSON
	}{
		{"read -w FIFO on SIGINT hung or exited 0", []string{"read", "-r", "FIFO", "-w", "OUT"}, false, syscall.SIGINT, 130, "read: interrupted by SIGINT", "pcap"},
		{"read -w stdin pipe on SIGTERM hung", []string{"read", "-r", "-", "-w", "OUT"}, true, syscall.SIGTERM, 143, "read: interrupted by SIGTERM", "pcap"},
		{"http --har FIFO on SIGTERM hung", []string{"http", "-r", "FIFO", "--har", "OUT"}, false, syscall.SIGTERM, 143, "http: interrupted by SIGTERM", "har"},
		{"streams FIFO on SIGINT hung", []string{"streams", "-r", "FIFO"}, false, syscall.SIGINT, 130, "streams: interrupted by SIGINT", ""},
		{"read FIFO with no header yet on SIGINT hung", []string{"read", "-r", "FIFO", "-w", "OUT"}, false, syscall.SIGINT, 130, "FIFO: no capture header was read before the signal: interrupted by SIGINT", "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fifo, out := filepath.Join(dir, "fifo"), filepath.Join(dir, "out")
			if err := unix.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			args := append([]string(nil), tc.args...)
			for i, a := range args {
				switch a {
				case "FIFO":
					args[i] = fifo
				case "OUT":
					args[i] = out
				}
			}
			cmd := exec.Command(bin, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			var feed io.WriteCloser
			if tc.stdin {
				if feed, err = cmd.StdinPipe(); err != nil {
					t.Fatal(err)
				}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			if !tc.stdin {
				feed = openFIFOWriter(t, fifo)
			}
			defer feed.Close() // open, with no more data, until the end
			if tc.output != "none" {
				if _, err := feed.Write(head); err != nil {
					t.Fatal(err)
				}
			}
			// Let it start (the cloud drivers' package inits take about 0.1 s
			// quiet, several times that under load) and read what there is.
			time.Sleep(1500 * time.Millisecond)
			cmd.Process.Signal(tc.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 15 s after %v: %s", tc.sig, stderr.String())
			}
			tc.note = strings.ReplaceAll(tc.note, "FIFO", fifo)
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(stderr.String(), tc.note) {
				t.Fatalf("exit %d, want %d; stderr %q lacks %q", code, tc.code, stderr.String(), tc.note)
			}
			switch tc.output {
			case "pcap":
				if n, _ := countPackets(t, out); n == 0 {
					t.Fatal("no packets kept from before the signal")
				}
			case "none":
				if _, err := os.Stat(out); err == nil {
					t.Fatal("an output was made with no capture header read")
				}
			case "har":
				if b, err := os.ReadFile(out); err != nil || !json.Valid(b) {
					t.Fatalf("HAR not written whole: %v", err)
				}
			}
		})
	}
}

// openFIFOWriter opens fifo for writing once its reader has opened it.
func openFIFOWriter(t *testing.T, fifo string) *os.File {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
		fd, err := unix.Open(fifo, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.ENXIO) {
			continue // no reader yet
		}
		if err != nil {
			t.Fatal(err)
		}
		unix.SetNonblock(fd, false)
		return os.NewFile(uintptr(fd), fifo)
	}
	t.Fatal("the command never opened the FIFO")
	return nil
}

func TestHostileOutputSameAsInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string // IN, LINK (a symbolic link to IN) and DIR are replaced
	}{
		{"map --dump-json X X overwrote its input", []string{"map", "--dump-json", "IN", "IN"}},
		{"map --dump-json through a link to its input", []string{"map", "--dump-json", "LINK", "IN"}},
		{"map --dump-json onto a file of --dir-src", []string{"map", "--dir-src", "DIR", "--dump-json", "IN"}},
		{"read -w onto its -r", []string{"read", "-r", "IN", "-w", "IN"}},
		{"read -w onto a link to its -r", []string{"read", "-r", "IN", "-w", "LINK"}},
		{"read -w onto the second of merged inputs", []string{"read", "-r", demoPath(t), "-r", "IN", "-w", "IN"}},
		{"http --har onto its -r", []string{"http", "-r", "IN", "--har", "IN"}},
		{"replay -w onto a replayed file", []string{"replay", "IN", "-w", "LINK", "--topspeed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := copyDemo(t, dir)
			link := filepath.Join(dir, "link.pcap")
			os.Symlink("in.pcap", link)
			args := append([]string(nil), tc.args...)
			for i, a := range args {
				switch a {
				case "IN":
					args[i] = in
				case "LINK":
					args[i] = link
				case "DIR":
					args[i] = dir
				}
			}
			code, _, stderr := run(t, nil, args...)
			if code != ExitUsage || !strings.Contains(stderr, "is the input") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if n, _ := countPackets(t, in); n != 300 {
				t.Fatalf("the input now holds %d packets", n)
			}
		})
	}
}

func TestHostileOutputDashAndNames(t *testing.T) {
	dir := t.TempDir()
	in := copyDemo(t, dir)
	t.Chdir(dir)
	t.Run("map --dump-json - created a file named -", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, "map", "--dump-json", "-", in)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Fatal(`a file named "-" was created`)
		}
		var m struct{ Files []json.RawMessage }
		if err := json.Unmarshal([]byte(stdout), &m); err != nil || len(m.Files) != 1 {
			t.Fatalf("stdout is not the map: %v", err)
		}
		if !strings.Contains(stderr, "mapped 1 files") || !strings.HasSuffix(stderr, "to standard output\n") {
			t.Fatalf("summary not on stderr: %q", stderr)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		code int
		has  string
		made string // must not exist afterwards
	}{
		{"streams --out-dir - made a directory named -", []string{"streams", "-r", in, "--out-dir", "-"}, 2, "--out-dir", "-"},
		{"http --bodies - made a directory named -", []string{"http", "-r", in, "--bodies", "-"}, 2, "--bodies", "-"},
		{"read -w x.pcap.bz2 wrote plain pcap", []string{"read", "-r", in, "-w", "x.pcap.bz2"}, 2, ".bz2", "x.pcap.bz2"},
		{"gen -w x.pcap.zip wrote plain pcap", []string{"gen", "-w", "x.pcap.zip"}, 2, ".zip", "x.pcap.zip"},
		{"replay -w x.pcap.lzma wrote plain pcap", []string{"replay", in, "-w", "x.pcap.lzma"}, 2, ".lzma", "x.pcap.lzma"},
		{"gen --packets -1", []string{"gen", "-w", "neg.pcap", "--packets", "-1"}, 2, "--packets", "neg.pcap"},
		{"gen --packets 0 with --size", []string{"gen", "-w", "both.pcap", "--packets", "0", "--size", "1MB"}, 2, "--packets 0", "both.pcap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(dir, tc.made))
			code, _, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.has) {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.made)); err == nil {
				t.Fatalf("%s was created", tc.made)
			}
		})
	}
	t.Run("gen --packets 0 wrote 1000 packets", func(t *testing.T) {
		if code, _, stderr := run(t, nil, "gen", "-w", "empty.pcap", "--packets", "0"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if n, _ := countPackets(t, "empty.pcap"); n != 0 {
			t.Fatalf("%d packets, want 0", n)
		}
	})
	for _, tc := range []struct {
		name string
		out  string
		comp pcapio.Compression
	}{
		{"read -w x.pcap.xz wrote uncompressed", "x.pcap.xz", pcapio.CompressXZ},
		{"read -w x.pcapng.lz4 wrote uncompressed", "x.pcapng.lz4", pcapio.CompressLZ4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := run(t, nil, "read", "-r", in, "-w", tc.out); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if n, comp := countPackets(t, tc.out); n != 300 || comp != tc.comp {
				t.Fatalf("%d packets, %v; want 300, %v", n, comp, tc.comp)
			}
		})
	}
}

// TestHostileOutputNotifyContextCause: a context from
// signal.NotifyContext (its cause names the signal only in words) gives
// the same note and exit code as main's.
func TestHostileOutputNotifyContextCause(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM not delivered")
	}
	out := filepath.Join(t.TempDir(), "n.pcap")
	var stdout, stderr bytes.Buffer
	code := Run(ctx, []string{"read", "-r", demoPath(t), "-w", out}, nil, &stdout, &stderr)
	if code != 143 || !strings.Contains(stderr.String(), "read: interrupted by SIGTERM") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	countPackets(t, out)
}

// TestHostileOutputCaptureInterrupted: capture stopped by a signal used
// to exit 0 like a capture that reached -c; it now says so and exits 130,
// its file closed as a valid capture.
func TestHostileOutputCaptureInterrupted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for AF_PACKET")
	}
	out := filepath.Join(t.TempDir(), "live.pcap")
	var stdout, stderr bytes.Buffer
	code := Run(cancelled(syscall.SIGINT), []string{"capture", "-i", "lo", "-w", out}, nil, &stdout, &stderr)
	if code != 130 || !strings.Contains(stderr.String(), "capture: interrupted by SIGINT") || !strings.Contains(stderr.String(), "packets written to "+out) {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	countPackets(t, out)
}

// TestHostileOutputFullDevice: a device that refuses the bytes (1,7 is
// /dev/full: ENOSPC) gives a failure naming it; before the fix the
// temporary file was renamed over the device instead.
func TestHostileOutputFullDevice(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := unix.Mknod(full, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 7))); err != nil {
		t.Skip("mknod needs root:", err)
	}
	code, _, stderr := run(t, nil, "read", "-r", demoPath(t), "-w", full)
	if code != ExitFailure || !strings.Contains(stderr, full) || !strings.Contains(stderr, "no space left on device") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, _ := os.Lstat(full); fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("the device became %v", fi.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files left in the directory, want the device alone", len(ents))
	}
}

// TestHostileOutputInterruptedMidwayURL: as TestHostileOutputInterruptedMidway,
// with the capture and the packet index going to object storage (the
// in-process S3 endpoint and file://): the signal must not cancel the
// uploads, which publish what was read before it.
func TestHostileOutputInterruptedMidwayURL(t *testing.T) {
	demo, err := os.ReadFile(demoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			in := &blockingStdin{head: demo[:len(demo)/2], ctx: ctx, served: make(chan struct{})}
			go func() {
				<-in.served
				cancel(&Interrupted{Signal: syscall.SIGINT})
			}()
			capURL, indexURL := b.url("sig/half.pcap"), b.url("sig/half.parquet")
			var stdout, stderr bytes.Buffer
			code := Run(ctx, []string{"read", "-r", "-", "-w", capURL, "--index", indexURL}, in, &stdout, &stderr)
			if code != 130 || !strings.Contains(stderr.String(), "a valid capture of what was read before the signal") {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			s := blobio.NewStore()
			defer s.Close()
			local := filepath.Join(t.TempDir(), "half.pcap")
			os.WriteFile(local, getObject(t, s, capURL), 0o644)
			n, _ := countPackets(t, local)
			if n == 0 || n >= 300 {
				t.Fatalf("%d packets kept in %s, want those of the first half", n, capURL)
			}
			index := getObject(t, s, indexURL)
			rows, err := parquet.Read[tables.PacketRow](bytes.NewReader(index), int64(len(index)))
			if err != nil || len(rows) != n {
				t.Fatalf("index %s: %d rows (%v), want %d", indexURL, len(rows), err, n)
			}
		})
	}
}
