package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// keysUnder lists the objects under a folder URL, as names relative to it.
func keysUnder(t *testing.T, s *blobio.Store, dir string) []string {
	t.Helper()
	objs, err := s.List(context.Background(), dir)
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	prefix := strings.TrimSuffix(urlKey(dir), "/") + "/"
	var out []string
	for _, o := range objs {
		out = append(out, strings.TrimPrefix(urlKey(o.URL), prefix))
	}
	slices.Sort(out)
	return out
}

// putSet copies the local files into storage under folder and returns the
// folder's URL.
func putSet(t *testing.T, s *blobio.Store, b storeBackend, folder string, files []string) string {
	t.Helper()
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		putObject(t, s, b.url(folder+"/"+filepath.Base(p)), data)
	}
	return b.url(folder + "/")
}

// allFiles lists the files under dir, slash-separated, partitions kept.
func allFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// sameFiles compares the local folder's files with the objects under dir,
// byte for byte.
func sameFiles(t *testing.T, s *blobio.Store, local, dir string) {
	t.Helper()
	want := allFiles(t, local)
	got := keysUnder(t, s, dir)
	if !slices.Equal(got, want) {
		t.Fatalf("objects under %s: %v, want the local run's %v", dir, got, want)
	}
	for _, name := range want {
		data, _ := os.ReadFile(filepath.Join(local, filepath.FromSlash(name)))
		if obj := getObject(t, s, blobio.Join(dir, name)); !bytes.Equal(obj, data) {
			t.Errorf("%s: %d bytes, differ from the local run's %d", name, len(obj), len(data))
		}
	}
}

// filter --yaml reads a set listed under a URL prefix and writes each
// output as an object under --output, the same bytes as a local run, and
// under shard=I/ with --shard.
func TestFilterBatchURL(t *testing.T) {
	set := genSet(t, 4)
	local, _ := filepath.Glob(filepath.Join(set, "*.pcap"))
	dir := t.TempDir()
	yml := filepath.Join(dir, "f.yml")
	os.WriteFile(yml, []byte("web:\n  conditions:\n    - kind: port\n      match: [\"80/tcp\"]\nnotweb:\n  conditions:\n    - kind: port\n      negate: true\n      match: [\"80/tcp\"]\n"), 0o644)
	want := filepath.Join(dir, "want")
	mustRun(t, "filter", "--yaml", yml, "--input", set, "--output", want, "--compress=zst")
	wantSharded := filepath.Join(dir, "wantsharded")
	for i := range 2 {
		mustRun(t, "filter", "--yaml", yml, "--input", set, "--output", wantSharded, "--compress=zst", "--shard", fmt.Sprintf("%d/2", i))
	}
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			in := putSet(t, s, b, "set", local)
			for _, tc := range []struct {
				name   string
				input  string
				output string
			}{
				{"URL input and output differ from the local run", in, b.url("out")},
				{"local input with a URL output differs", set, b.url("out2")},
				{"URL input with a local output differs", in, filepath.Join(t.TempDir(), "out3")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					mustRun(t, "filter", "--yaml", yml, "--input", tc.input, "--output", tc.output, "--compress=zst")
					if blobio.IsURL(tc.output) {
						sameFiles(t, s, want, tc.output)
					} else if got, w := allFiles(t, tc.output), allFiles(t, want); !slices.Equal(got, w) {
						t.Fatalf("local output %v, want %v", got, w)
					}
				})
			}
			t.Run("shards did not write shard=I/ under the prefix", func(t *testing.T) {
				out := b.url("sharded")
				for i := range 2 {
					mustRun(t, "filter", "--yaml", yml, "--input", in, "--output", out, "--compress=zst", "--shard", fmt.Sprintf("%d/2", i))
				}
				sameFiles(t, s, wantSharded, out)
			})
			t.Run("a map by URL did not give the inputs", func(t *testing.T) {
				m := b.url("maps/set.json")
				mustRun(t, "map", "--dir-src", in, "--dump-json", m)
				out := b.url("frommap")
				mustRun(t, "filter", "--yaml", yml, "--dump-json", m, "--output", out, "--compress=zst")
				sameFiles(t, s, want, out)
			})
		})
	}
}

// http --bodies URL writes each body as an object under the prefix, the
// same bytes under the same names as in a local folder; with --shard
// under shard=I/.
func TestHTTPBodiesURL(t *testing.T) {
	capf := genCapture(t, 5000)
	want := filepath.Join(t.TempDir(), "bodies")
	mustRun(t, "http", "-r", capf, "--bodies", want)
	if len(allFiles(t, want)) == 0 {
		t.Fatal("the capture has no bodies to save")
	}
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			in := putSet(t, s, b, "in", []string{capf})
			for _, tc := range []struct {
				name, input, out string
				shard            bool
			}{
				{"local input, URL bodies differ from a local folder's", capf, b.url("bodies"), false},
				{"URL input, URL bodies differ", blobio.Join(in, filepath.Base(capf)), b.url("bodies2"), false},
				{"sharded bodies are not under shard=0/", capf, b.url("sharded"), true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					args := []string{"http", "-r", tc.input, "--bodies", tc.out}
					if tc.shard {
						args = append(args, "--shard", "0/1")
					}
					mustRun(t, args...)
					dir := tc.out
					if tc.shard {
						dir = blobio.Join(tc.out, "shard=0")
					}
					sameFiles(t, s, want, dir)
				})
			}
		})
	}
}

// rotateInto runs the rotator over src's packets with a fake clock (the
// packet k comes at[k] seconds after t0) and returns how many packets each
// file of base's folder holds, read back from the folder (local or URL).
func rotateInto(t *testing.T, s *blobio.Store, src, base string, limit bool, files int, at []int64) map[string]int {
	t.Helper()
	const t0 = 1700000000
	in, err := pcapio.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var clock int64
	var errb strings.Builder
	e := &env{stderr: &errb}
	defer e.closeStore()
	r, err := newRotator(context.Background(), e, base, 0, files, 10)
	if err != nil {
		t.Fatal(err)
	}
	r.now = func() time.Time { return time.Unix(t0+clock, 0) }
	r.loc = time.UTC
	r.period = time.Unix(t0, 0)
	if limit {
		r.limit = 1 // every packet passes it
	}
	for _, c := range at {
		clock = c
		data, ci, err := in.ReadPacketData()
		if err != nil {
			t.Fatal(err)
		}
		if err := r.packet(in, ci, data); err != nil {
			if errors.Is(err, errRotationDone) {
				break
			}
			t.Fatalf("rotating into %s: %v", base, err)
		}
	}
	if err := r.close(); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	if !blobio.IsURL(base) {
		dir := filepath.Dir(base)
		for _, name := range allFiles(t, dir) {
			got[name] = countIn(t, s, filepath.Join(dir, name))
		}
		return got
	}
	dir, _, _ := splitOutputURL(base)
	for _, name := range keysUnder(t, s, dir) {
		got[name] = countIn(t, s, blobio.Join(dir, name))
	}
	return got
}

// countIn counts the packets of a capture file or object.
func countIn(t *testing.T, s *blobio.Store, name string) int {
	t.Helper()
	var f pcapio.File
	var err error
	if blobio.IsURL(name) {
		f, err = s.Open(context.Background(), name)
	} else {
		f, err = os.Open(name)
	}
	if err != nil {
		t.Fatal(err)
	}
	r, err := pcapio.OpenFile(f, name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer r.Close()
	n := 0
	for {
		if _, err := r.NextHeader(); err != nil {
			break
		}
		n++
	}
	return n
}

// read -w URL with -C, -G and -W writes each file of the rotation as an
// object under the URL's folder, the same files holding the same packets
// as a local -w; the ring deletes its oldest object to write it anew.
func TestRotateURL(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.pcap")
	mustRun(t, "gen", "-w", src, "--packets", "20", "--seed", "3")
	tests := []struct {
		name  string
		base  string
		limit bool
		files int
		at    []int64
	}{
		{"-G 10 names from strftime", "g-%H%M%S.pcap", false, 0, []int64{0, 5, 9, 10, 25, 26}},
		{"-G 10 -W 2 stops after 2 files", "g-%M%S", false, 2, []int64{0, 1, 12, 13, 30, 31}},
		{"-C tiny numbers its files", "c.pcap.gz", true, 0, []int64{0, 0, 0, 0}},
		{"-C tiny -W 3 ring reuses its oldest names", "ring.pcapng", true, 3, []int64{0, 0, 0, 0, 0, 0, 0, 0}},
		{"-G 10 -C tiny -W 2: ring in each period", "w-%S", true, 2, []int64{0, 0, 0, 10, 10}},
	}
	backends := storeBackends(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			want := rotateInto(t, s, src, filepath.Join(t.TempDir(), tc.base), tc.limit, tc.files, tc.at)
			if len(want) < 2 {
				t.Fatalf("the local run wrote %v: the case does not rotate", want)
			}
			for _, b := range backends {
				dir := "rot/" + strings.NewReplacer(" ", "_", "%", "", "/", "").Replace(tc.name)
				base := strings.Replace(b.url(dir+"/NAME"), "NAME", tc.base, 1)
				got := rotateInto(t, s, src, base, tc.limit, tc.files, tc.at)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: objects %v, want the local files %v", b.name, got, want)
				}
			}
		})
	}
}

// The command line: read -w URL -C 1 -W 2 over a capture of a few
// megabytes gives the objects a local run gives files, byte for byte.
func TestReadRotateURLCommand(t *testing.T) {
	src := filepath.Join(t.TempDir(), "big.pcap")
	mustRun(t, "gen", "-w", src, "--packets", "30000", "--seed", "2")
	if st, _ := os.Stat(src); st.Size() < 2500000 {
		t.Fatalf("the capture is %d bytes: too small to rotate at 1 MB more than twice", st.Size())
	}
	local := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(local, 0o755)
	mustRun(t, "read", "-r", src, "-w", filepath.Join(local, "r.pcap"), "-C", "1", "-W", "2")
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			mustRun(t, "read", "-r", src, "-w", b.url("out/r.pcap"), "-C", "1", "-W", "2")
			sameFiles(t, s, local, b.url("out"))
		})
	}
}

// tar-extract --out-dir URL writes each member as an object under the
// prefix, with the names and bytes a local folder gets (--out-zstd,
// --flatten, --shard too); an existing object is kept and the member
// skipped unless --overwrite.
func TestTarExtractURL(t *testing.T) {
	tarball, _ := tarFixture(t, true)
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			inURL := blobio.Join(putSet(t, s, b, "tar", []string{tarball}), filepath.Base(tarball))
			for i, tc := range []struct {
				name  string
				args  []string
				parts []string // with --shard: the partitions to compare
			}{
				{"members differ from a local extraction", nil, nil},
				{"zstd members differ", []string{"--out-zstd"}, nil},
				{"flattened names differ", []string{"--flatten"}, nil},
				{"shards are not under shard=I/", []string{"--shard", "0/2"}, []string{"shard=0"}},
				{"a tarball read from storage gives other members", []string{"IN"}, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					in := tarball
					var extra []string
					for _, a := range tc.args {
						if a == "IN" {
							in = inURL
						} else {
							extra = append(extra, a)
						}
					}
					// The tarball has a member refused (exit 1),
					// unless a shard does not hold it.
					local := filepath.Join(t.TempDir(), "out")
					wantCode, wantOut, _ := run(t, nil, append([]string{"tar-extract", "--in-tarball", tarball, "--out-dir", local}, extra...)...)
					out := b.url(fmt.Sprintf("x%d", i))
					code, stdout, stderr := run(t, nil, append([]string{"tar-extract", "--in-tarball", in, "--out-dir", out}, extra...)...)
					if code != wantCode || cut(stdout, " in ") != cut(wantOut, " in ") {
						t.Fatalf("URL: exit %d, %q; the local run: exit %d, %q\n%s", code, stdout, wantCode, wantOut, stderr)
					}
					sameFiles(t, s, local, out)
				})
			}
			t.Run("an existing object was replaced or not named", func(t *testing.T) {
				out := b.url("exists")
				putObject(t, s, blobio.Join(out, "set/a.pcap"), []byte("mine"))
				code, stdout, stderr := run(t, nil, "tar-extract", "--in-tarball", tarball, "--out-dir", out, "--file-regexp", `\.pcap$`)
				if code != 1 || !strings.Contains(stderr, urlKey(blobio.Join(out, "set/a.pcap"))) || !strings.Contains(stderr, "--overwrite") || !strings.Contains(stdout, "2 skipped") {
					t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
				}
				if got := string(getObject(t, s, blobio.Join(out, "set/a.pcap"))); got != "mine" {
					t.Fatalf("the existing object now holds %q", got)
				}
				run(t, nil, "tar-extract", "--in-tarball", tarball, "--out-dir", out, "--file-regexp", `\.pcap$`, "--overwrite")
				if got := string(getObject(t, s, blobio.Join(out, "set/a.pcap"))); got != "pcap a" {
					t.Fatalf("--overwrite: the object holds %q", got)
				}
			})
		})
	}
}

// cut is s up to sep (the summary without its timing).
func cut(s, sep string) string {
	if i := strings.Index(s, sep); i >= 0 {
		return s[:i]
	}
	return s
}

// A capture ends with a signal: its -w object, rotated or not, is
// published then with the packets captured, as a local file is kept.
func TestCaptureSignalPublishesURL(t *testing.T) {
	n := testutil.NewVethNS(t)
	for _, b := range storeBackends(t) {
		for i, tc := range []struct {
			name, file string
			args       []string
		}{
			{"-w URL published nothing", "live.pcapng", nil},
			{"-w URL -C -W published nothing", "ring.pcap", []string{"-C", "1", "-W", "2"}},
		} {
			t.Run(b.name+"/"+tc.name, func(t *testing.T) {
				s := blobio.NewStore()
				defer s.Close()
				dir := b.url(fmt.Sprintf("cap%d", i))
				ctx, cancel := context.WithCancelCause(context.Background())
				defer cancel(nil)
				var errb syncBuffer
				done := make(chan int)
				go func() {
					args := append([]string{"capture", "-i", n.Host, "-w", blobio.Join(dir, tc.file)}, tc.args...)
					done <- Run(ctx, append(args, "udp"), nil, &bytes.Buffer{}, &errb)
				}()
				for start := time.Now(); !strings.Contains(errb.String(), "listening on"); time.Sleep(50 * time.Millisecond) {
					if time.Since(start) > 10*time.Second {
						cancel(nil)
						t.Fatalf("capture did not start: %s", errb.String())
					}
				}
				n.SendUDP(t, 9999, 3)
				time.Sleep(300 * time.Millisecond)
				cancel(&Interrupted{Signal: syscall.SIGINT})
				if code := <-done; code != 130 {
					t.Fatalf("exit %d, want 130: %s", code, errb.String())
				}
				keys := keysUnder(t, s, dir)
				if len(keys) != 1 {
					t.Fatalf("objects %v, want the one capture file", keys)
				}
				if got := countIn(t, s, blobio.Join(dir, keys[0])); got < 3 {
					t.Fatalf("%s holds %d packets, want the 3 sent at least", keys[0], got)
				}
			})
		}
	}
}
