package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
)

// urlOutCmd is one command writing many files to a URL folder OUT.
type urlOutCmd struct {
	name string
	args func(out string) []string
	// existCode is the exit code when the first output exists already:
	// tar-extract skips the member, as it does a local file.
	existCode int
}

func urlOutCmds(t *testing.T) []urlOutCmd {
	set := genSet(t, 2)
	yml := filepath.Join(t.TempDir(), "f.yml")
	os.WriteFile(yml, []byte("web:\n  conditions:\n    - kind: port\n      match: [\"80/tcp\"]\n"), 0o644)
	tarball, _ := tarFixture(t, false)
	capf := genCapture(t, 5000)
	return []urlOutCmd{
		{"filter --yaml --output", func(out string) []string { return []string{"filter", "--yaml", yml, "--output", out, set} }, 1},
		{"tar-extract --out-dir", func(out string) []string { return []string{"tar-extract", "--in-tarball", tarball, "--out-dir", out} }, 0},
		{"http --bodies", func(out string) []string { return []string{"http", "-r", capf, "--bodies", out} }, 1},
		{"read -w -C -W", func(out string) []string {
			return []string{"read", "-r", capf, "-w", blobio.Join(out, "r.pcap"), "-C", "1", "-W", "2"}
		}, 1},
	}
}

// Each command's URL folder output fails cleanly: an endpoint that cannot
// be reached, a bucket that does not exist, an object already there
// (kept as it was, its URL named); nothing is written by a failed run.
func TestHostileURLOutputs(t *testing.T) {
	cmds := urlOutCmds(t)
	srv := s3test.Start(t, "caps")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	s := blobio.NewStore()
	defer s.Close()
	for i, c := range cmds {
		t.Run(c.name, func(t *testing.T) {
			// The local run says which file comes first.
			local := filepath.Join(t.TempDir(), "out")
			os.MkdirAll(local, 0o755) // read -w does not make folders
			run(t, nil, c.args(local)...)
			files := allFiles(t, local)
			if len(files) == 0 {
				t.Fatal("the local run wrote nothing")
			}
			for _, tc := range []struct {
				name string
				out  string
				code int
				says []string
			}{
				{"unreachable endpoint was not named", "s3://caps/out?endpoint=http://" + dead + "&region=us-east-1&use_path_style=true", 1, []string{"s3://caps/out", "cannot be reached"}},
				{"missing bucket was not named", srv.URL("nobucket", "out"), 1, []string{"s3://nobucket/out", "no such bucket"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					before := srv.Keys(t, "caps")
					code, _, stderr := run(t, nil, c.args(tc.out)...)
					if code != tc.code {
						t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
					}
					for _, w := range tc.says {
						if !strings.Contains(stderr, w) {
							t.Fatalf("stderr %q does not say %q", stderr, w)
						}
					}
					if after := srv.Keys(t, "caps"); !slices.Equal(after, before) {
						t.Fatalf("objects before %v, after %v", before, after)
					}
				})
			}
			t.Run("an existing object was overwritten or not named", func(t *testing.T) {
				out := srv.URL("caps", fmt.Sprintf("exists%d", i))
				first := blobio.Join(out, files[0])
				putObject(t, s, first, []byte("mine"))
				code, stdout, stderr := run(t, nil, c.args(out)...)
				if code != c.existCode || !strings.Contains(stderr, urlKey(first)) || !strings.Contains(stderr, "already exists") {
					t.Fatalf("exit %d, want %d; stderr %q does not name %s\n%s", code, c.existCode, stderr, urlKey(first), stdout)
				}
				if got := string(getObject(t, s, first)); got != "mine" {
					t.Fatalf("the existing object now holds %q", got)
				}
			})
		})
	}
}

// stdinUntilSignal serves head, then blocks until ctx ends and fails as a
// read deadline does; done is closed when head has been served.
func stdinUntilSignal(ctx context.Context, head []byte) (*blockingStdin, <-chan struct{}) {
	b := &blockingStdin{head: head, ctx: ctx, served: make(chan struct{})}
	return b, b.served
}

// A signal in the middle of a run leaves no partial object under a final
// name: the files complete before it are objects (the same as a local
// run's), the one in progress is not.
func TestHostileURLOutputsInterrupted(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.pcap")
	mustRun(t, "gen", "-w", big, "--packets", "30000", "--seed", "2")
	bigData, _ := os.ReadFile(big)
	capf := genCapture(t, 5000)
	capData, _ := os.ReadFile(capf)

	// A plain tarball: a small member, then one of 3 MB cut in the middle
	// by the signal.
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, m := range []struct {
		name string
		size int
	}{{"set/a.pcap", 1000}, {"set/big.pcap", 3 << 20}} {
		tw.WriteHeader(&tar.Header{Name: m.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(m.size), ModTime: time.Unix(1700000000, 0)})
		tw.Write(bytes.Repeat([]byte{'x'}, m.size))
	}
	tw.Close()
	tarData := tb.Bytes()

	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			for i, tc := range []struct {
				name string
				args func(out string) []string // reading standard input
				head []byte
				want []string // the objects left, when known
				note string   // what the interruption note says
			}{
				{"read -w -C -W published a partial capture", func(out string) []string {
					return []string{"read", "-r", "-", "-w", blobio.Join(out, "r.pcap"), "-C", "1", "-W", "50"}
				}, bigData[:len(bigData)*2/3], nil, "the last one closed as a valid capture"}, // a ring that does not wrap: the names sort as written
				{"read -w published a partial capture", func(out string) []string {
					return []string{"read", "-r", "-", "-w", blobio.Join(out, "r.pcap")}
				}, bigData[:len(bigData)/3], []string{"r.pcap"}, "a valid capture of what was read before the signal"},
				{"http --bodies lost or cut bodies", func(out string) []string {
					return []string{"http", "-r", "-", "--bodies", out}
				}, capData[:len(capData)/2], nil, "bodies are in"},
				{"tar-extract published the member in progress", func(out string) []string {
					return []string{"tar-extract", "--in-tarball", "-", "--out-dir", out}
				}, tarData[:len(tarData)/2], []string{"set/a.pcap"}, "interrupted by SIGINT"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					interrupt := func(args []string) (int, string) {
						ctx, cancel := context.WithCancelCause(context.Background())
						in, served := stdinUntilSignal(ctx, tc.head)
						go func() {
							<-served
							time.Sleep(50 * time.Millisecond) // let the command work through what it read
							cancel(&Interrupted{Signal: syscall.SIGINT})
						}()
						var stdout, stderr bytes.Buffer
						code := Run(ctx, args, in, &stdout, &stderr)
						return code, stderr.String()
					}
					local := filepath.Join(t.TempDir(), "out")
					os.MkdirAll(local, 0o755) // read -w does not make folders
					if code, stderr := interrupt(tc.args(local)); code != 130 {
						t.Fatalf("local: exit %d, want 130: %s", code, stderr)
					}
					want := allFiles(t, local)
					if tc.want != nil && !slices.Equal(want, tc.want) && !(len(want) == 0 && len(tc.want) == 0) {
						t.Fatalf("the local run kept %v, want %v", want, tc.want)
					}
					if len(want) == 0 && tc.want == nil {
						t.Fatal("nothing was complete before the signal: the case tests nothing")
					}
					out := b.url(fmt.Sprintf("int%d", i))
					code, stderr := interrupt(tc.args(out))
					if code != 130 || !strings.Contains(stderr, "interrupted by SIGINT") || !strings.Contains(stderr, tc.note) {
						t.Fatalf("exit %d, want 130 and a note saying %q: %s", code, tc.note, stderr)
					}
					got := keysUnder(t, s, out)
					if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
						t.Fatalf("objects %v, want %v (the local run's complete files)\n%s", got, want, stderr)
					}
					for _, name := range got {
						data, _ := os.ReadFile(filepath.Join(local, filepath.FromSlash(name)))
						if obj := getObject(t, s, blobio.Join(out, name)); !bytes.Equal(obj, data) {
							t.Errorf("%s: %d bytes, the local run's %d", name, len(obj), len(data))
						}
					}
				})
			}
		})
	}
}

// filter --yaml interrupted while filtering its second file (a FIFO that
// stops in the middle): the first file's outputs are objects, and so are
// the second's, valid captures of what was read before the signal, as
// local files are.
func TestHostileFilterURLInterrupted(t *testing.T) {
	set := genSet(t, 2)
	files, _ := filepath.Glob(filepath.Join(set, "*.pcap"))
	second, _ := os.ReadFile(files[1])
	dir := t.TempDir()
	fifo := filepath.Join(dir, "b.pcap")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	yml := filepath.Join(dir, "f.yml")
	os.WriteFile(yml, []byte("all:\n  conditions:\n    - kind: port\n      negate: true\n      match: [\"1/tcp\"]\n"), 0o644)
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			ctx, cancel := context.WithCancelCause(context.Background())
			fed := make(chan error, 1)
			go func() {
				// Opening blocks until filter opens the FIFO, after the
				// first file (one worker).
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					fed <- err
					return
				}
				_, err = w.Write(second[:len(second)/2])
				time.Sleep(50 * time.Millisecond)
				cancel(&Interrupted{Signal: syscall.SIGINT})
				w.Close()
				fed <- err
			}()
			out := b.url("filtered")
			var stdout, stderr bytes.Buffer
			code := Run(ctx, []string{"filter", "--yaml", yml, "--workers", "1", "--output", out, files[0], fifo}, nil, &stdout, &stderr)
			if err := <-fed; err != nil {
				t.Fatal(err)
			}
			if code != 130 || !strings.Contains(stderr.String(), "hold the packets read so far") {
				t.Fatalf("exit %d, want 130 and a note that the outputs in progress hold what was read: %s", code, stderr.String())
			}
			want := []string{"all/" + filepath.Base(files[0]), "all/" + filepath.Base(fifo)}
			slices.Sort(want)
			if got := keysUnder(t, s, out); !slices.Equal(got, want) {
				t.Fatalf("objects %v, want %v", got, want)
			}
			if n := countIn(t, s, blobio.Join(out, "all/"+filepath.Base(files[0]))); n == 0 {
				t.Fatal("the first file's output is empty")
			}
			if n := countIn(t, s, blobio.Join(out, "all/"+filepath.Base(fifo))); n == 0 {
				t.Fatalf("the second file's output has %d packets: those read before the signal were lost", n)
			}
		})
	}
}
