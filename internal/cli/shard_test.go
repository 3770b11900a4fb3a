package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/parquet-go/parquet-go"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// genSet writes a set of n captures of different sizes (seeds 1..n) in a
// new folder and returns it.
func genSet(t *testing.T, n int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "set")
	for i := 1; i <= n; i++ {
		name := filepath.Join(dir, fmt.Sprintf("cap-%02d.pcap", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := run(t, nil, "gen", "-w", name, "--packets", fmt.Sprint(100+97*i%500), "--seed", fmt.Sprint(i)); code != 0 {
			t.Fatalf("gen: %s", stderr)
		}
	}
	return dir
}

// mustRun runs the CLI and fails the test on a non-zero exit.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := run(t, nil, args...)
	if code != 0 {
		t.Fatalf("wirekit %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return out
}

// mapEntries returns a map's file entries keyed by path, without the
// fields that are relative to the set as a whole (delay).
func mapEntries(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var m struct {
		Files []map[string]any `json:"files"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("map JSON: %v", err)
	}
	out := map[string]string{}
	for _, f := range m.Files {
		delete(f, "delay")
		delete(f, "delay_human")
		b, _ := json.Marshal(f)
		p := f["path"].(string)
		if _, dup := out[p]; dup {
			t.Fatalf("file %s is in the map twice", p)
		}
		out[p] = string(b)
	}
	return out
}

// sortedLines returns the non-empty lines, each with drop's JSON fields
// removed, sorted.
func sortedLines(t *testing.T, text string, drop ...string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l == "" {
			continue
		}
		if len(drop) > 0 {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			for _, k := range drop {
				delete(m, k)
			}
			b, _ := json.Marshal(m)
			l = string(b)
		}
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// readParts concatenates DIR/shard=I/part for I in [0, n).
func readParts(t *testing.T, dir, part string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("shard=%d", i), part))
		if err != nil {
			t.Fatalf("shard %d of %d: %v", i, n, err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestShardUnionEqualsSingleRun runs N shards of map, flows and http at
// once (goroutines, as N machines would) and checks that their outputs
// together are the single run's, row for row: no file is missed or done
// twice.
func TestShardUnionEqualsSingleRun(t *testing.T) {
	set := genSet(t, 9)
	work := t.TempDir()
	all := filepath.Join(work, "all.json")
	mustRun(t, "map", "--dir-src", set, "--dump-json", all)
	allData, _ := os.ReadFile(all)
	wantMap := mapEntries(t, allData)
	// Conversations that span files (ARP, neighbour discovery between the
	// same hosts in every capture of the set) are one in the single run
	// and one per shard: TCP and UDP conversations of gen never do. The
	// uid hashes the conversation's number in its run, and http's conn
	// is that number: both are left out of the comparison.
	wantFlows := sortedLines(t, mustRun(t, "flows", "--input-map", all, "--json", "tcp or udp"), "uid")
	wantHTTP := sortedLines(t, mustRun(t, "http", "--input-map", all, "--jsonl"), "conn")
	if len(wantMap) != 9 || len(wantFlows) < 100 || len(wantHTTP) < 20 {
		t.Fatalf("the set is too small to test: %d files, %d flows, %d transactions", len(wantMap), len(wantFlows), len(wantHTTP))
	}

	for _, n := range []int{4, 3} {
		t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
			out := t.TempDir()
			var wg sync.WaitGroup
			errs := make(chan string, 3*n)
			for i := range n {
				spec := fmt.Sprintf("%d/%d", i, n)
				for _, args := range [][]string{
					{"map", "--input-map", all, "--shard", spec, "--dump-json", filepath.Join(out, "map")},
					{"flows", "--input-map", all, "--shard", spec, "--json", "-o", filepath.Join(out, "flows"), "tcp or udp"},
					// Without the map: the folder is listed by each shard.
					{"http", "-r", set, "--shard", spec, "--jsonl", "-o", filepath.Join(out, "http")},
				} {
					wg.Go(func() {
						var so, se strings.Builder
						if code := Run(context.Background(), args, nil, &so, &se); code != 0 {
							errs <- fmt.Sprintf("wirekit %s: exit %d: %s", strings.Join(args, " "), code, se.String())
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Fatal(e)
			}
			gotMap := map[string]string{}
			for i := range n {
				data, err := os.ReadFile(filepath.Join(out, "map", fmt.Sprintf("shard=%d", i), "map.json"))
				if err != nil {
					t.Fatal(err)
				}
				for p, e := range mapEntries(t, data) {
					if _, dup := gotMap[p]; dup {
						t.Fatalf("file %s mapped by two shards", p)
					}
					gotMap[p] = e
				}
			}
			for p, e := range wantMap {
				if gotMap[p] != e {
					t.Errorf("map entry of %s:\n shards %s\n single %s", p, gotMap[p], e)
				}
			}
			if len(gotMap) != len(wantMap) {
				t.Errorf("shards mapped %d files, the single run %d", len(gotMap), len(wantMap))
			}
			if got := sortedLines(t, readParts(t, filepath.Join(out, "flows"), "part.jsonl", n), "uid"); !slices.Equal(got, wantFlows) {
				t.Errorf("flows: the shards' %d records differ from the single run's %d", len(got), len(wantFlows))
			}
			if got := sortedLines(t, readParts(t, filepath.Join(out, "http"), "part.jsonl", n), "conn"); !slices.Equal(got, wantHTTP) {
				t.Errorf("http: the shards' %d transactions differ from the single run's %d", len(got), len(wantHTTP))
			}
		})
	}
}

// A shard with no file (more shards than files) succeeds and says so.
func TestShardWithoutFiles(t *testing.T) {
	set := genSet(t, 2)
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"flows", "-r", set, "--shard", "5/8", "--json", "-o", out},
		{"read", "-r", set, "--shard", "5/8", "-w", out},
	} {
		code, _, stderr := run(t, nil, args...)
		if code != 0 || !strings.Contains(stderr, "shard 5/8 has none of the 2 input files") {
			t.Errorf("wirekit %s: exit %d, stderr %q; want 0 and a note", strings.Join(args, " "), code, stderr)
		}
	}
}

// --shard auto/N takes the index from the scheduler's variable.
func TestShardFromEnvironment(t *testing.T) {
	set := genSet(t, 4)
	out := filepath.Join(t.TempDir(), "out")
	for _, tc := range []struct{ name, env, val, spec, part string }{
		{"kubernetes indexed job", "JOB_COMPLETION_INDEX", "2", "auto/4", "shard=2"},
		{"aws batch array", "AWS_BATCH_JOB_ARRAY_INDEX", "1", "auto/4", "shard=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.env, tc.val)
			mustRun(t, "map", "--dir-src", set, "--shard", tc.spec, "--dump-json", out)
			if _, err := os.Stat(filepath.Join(out, tc.part, "map.json")); err != nil {
				t.Fatalf("%s=%s --shard %s: %v", tc.env, tc.val, tc.spec, err)
			}
		})
	}
	t.Run("slurm array", func(t *testing.T) {
		t.Setenv("SLURM_ARRAY_TASK_ID", "4")
		t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
		t.Setenv("SLURM_ARRAY_TASK_COUNT", "4")
		mustRun(t, "map", "--dir-src", set, "--shard", "auto", "--dump-json", out)
		if _, err := os.Stat(filepath.Join(out, "shard=3", "map.json")); err != nil {
			t.Fatal(err)
		}
	})
}

// relFiles lists the files under dir, relative to it, with the partition
// folder (shard=I/) taken off.
func relFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "shard=") {
			rel = rel[strings.IndexByte(rel, os.PathSeparator)+1:]
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(out)
	return out
}

// filter --yaml and tar-extract split their inputs too: the shards'
// partitions together hold the single run's files, each once.
func TestShardFilterAndTarExtract(t *testing.T) {
	set := genSet(t, 6)
	dir := t.TempDir()
	yml := filepath.Join(dir, "f.yml")
	os.WriteFile(yml, []byte("web:\n  conditions:\n    - kind: port\n      match: [\"80/tcp\"]\n"), 0o644)
	single := filepath.Join(dir, "single")
	mustRun(t, "filter", "--yaml", yml, "--input", set, "--output", single)
	want := relFiles(t, single)
	if len(want) != 6 {
		t.Fatalf("the single filter run wrote %v, want 6 files", want)
	}
	sharded := filepath.Join(dir, "sharded")
	for i := range 4 {
		mustRun(t, "filter", "--yaml", yml, "--input", set, "--output", sharded, "--shard", fmt.Sprintf("%d/4", i))
	}
	if got := relFiles(t, sharded); !slices.Equal(got, want) {
		t.Errorf("filter shards wrote %v, want %v", got, want)
	}
	for i := range 4 {
		if _, err := os.Stat(filepath.Join(sharded, fmt.Sprintf("shard=%d", i), "web")); err != nil {
			t.Errorf("filter shard %d: %v", i, err)
		}
	}

	tarball, _ := tarFixture(t, false)
	mustRun(t, "tar-extract", "--in-tarball", tarball, "--out-dir", filepath.Join(dir, "tsingle"))
	want = relFiles(t, filepath.Join(dir, "tsingle"))
	tsharded := filepath.Join(dir, "tsharded")
	for i := range 3 {
		mustRun(t, "tar-extract", "--in-tarball", tarball, "--out-dir", tsharded, "--shard", fmt.Sprintf("%d/3", i))
	}
	if got := relFiles(t, tsharded); !slices.Equal(got, want) {
		t.Errorf("tar-extract shards wrote %v, want %v (each member once)", got, want)
	}
	code, _, stderr := run(t, nil, "tar-extract", "--in-tarball", tarball, "--out-dir", tsharded, "--shard", "0/3")
	if code != 2 || !strings.Contains(stderr, "--out-dir") || !strings.Contains(stderr, "already exists") {
		t.Errorf("tar-extract into an existing partition: exit %d, %q", code, stderr)
	}
}

// TestShardParquetPartitions: with --shard, the Parquet outputs of map,
// flows, http and read --index go to OUT/shard=I/part.parquet, and the
// rows of all shards' map tables are the set's files, each once.
func TestShardParquetPartitions(t *testing.T) {
	set := genSet(t, 5)
	dir := t.TempDir()
	mapRows := 0
	for i := range 2 {
		spec := fmt.Sprintf("%d/2", i)
		mustRun(t, "map", "--dir-src", set, "--shard", spec, "--dump-json", filepath.Join(dir, "map"), "--parquet", filepath.Join(dir, "mapq"))
		files := shardFiles(t, set, spec)
		mustRun(t, append([]string{"flows", "--shard", spec, "--parquet", filepath.Join(dir, "flows")}, files...)...)
		mustRun(t, append([]string{"http", "--shard", spec, "--parquet", filepath.Join(dir, "http")}, files...)...)
		mustRun(t, append([]string{"read", "--shard", spec, "--index", filepath.Join(dir, "index")}, files...)...)
		for _, table := range []string{"mapq", "flows", "http", "index"} {
			p := filepath.Join(dir, table, "shard="+fmt.Sprint(i), "part.parquet")
			if _, err := os.Stat(p); err != nil {
				t.Fatalf("--shard %s: %s: %v", spec, table, err)
			}
		}
		f, err := os.Open(filepath.Join(dir, "mapq", "shard="+fmt.Sprint(i), "part.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		mapRows += int(pf.NumRows())
		f.Close()
	}
	if mapRows != 5 {
		t.Errorf("the shards' map tables hold %d rows, want the set's 5 files", mapRows)
	}
}

// shardFiles lists the set's files as "-r FILE" arguments (the shard
// picks its own share of them).
func shardFiles(t *testing.T, set, spec string) []string {
	t.Helper()
	ents, err := os.ReadDir(set)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, e := range ents {
		args = append(args, "-r", filepath.Join(set, e.Name()))
	}
	return args
}
