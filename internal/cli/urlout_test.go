package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/blobio"
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
