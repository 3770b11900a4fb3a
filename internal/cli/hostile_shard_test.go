package cli

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
)

// Bad --shard specs are usage errors naming the flag, on every command
// that takes it, before any work.
func TestHostileShardSpecs(t *testing.T) {
	set := genSet(t, 2)
	out := filepath.Join(t.TempDir(), "out")
	specs := []struct{ spec, says string }{
		{"5/4", "outside 0..3"},
		{"4/4", "outside 0..3"},
		{"0/0", "count must be 1 or more"},
		{"-1/3", "outside 0..2"},
		{"a/b", "not a number"},
		{"3", "give I/N"},
		{"auto/4", "none of JOB_COMPLETION_INDEX"},
	}
	cmds := map[string][]string{
		"map":   {"map", "--dir-src", set, "--dump-json", out},
		"read":  {"read", "-r", set, "-w", out},
		"flows": {"flows", "-r", set, "-o", out},
		"http":  {"http", "-r", set, "-o", out},
	}
	for _, k := range []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "AWS_BATCH_JOB_ARRAY_INDEX"} {
		t.Setenv(k, "")
	}
	for name, args := range cmds {
		for _, sp := range specs {
			t.Run(name+" --shard "+sp.spec, func(t *testing.T) {
				code, _, stderr := run(t, nil, append(append([]string(nil), args...), "--shard", sp.spec)...)
				if code != 2 || !strings.Contains(stderr, "--shard") || !strings.Contains(stderr, sp.says) {
					t.Fatalf("exit %d, stderr %q; want 2 naming --shard and saying %q", code, stderr, sp.says)
				}
				if _, err := os.Stat(out); err == nil {
					t.Fatalf("a refused spec wrote %s", out)
				}
			})
		}
	}
}

// A partition that exists is never written again: the second run of a
// shard is refused, naming the flag and the partition, and the first
// run's output is left as it was; locally and in S3.
func TestHostileShardPartitionExists(t *testing.T) {
	set := genSet(t, 3)
	srv := s3test.Start(t, "caps")
	local := filepath.Join(t.TempDir(), "out")
	for _, tc := range []struct {
		name, flag string
		args       func(out string) []string
		out        string
		part       string
	}{
		{"map local", "--dump-json", func(o string) []string { return []string{"map", "--dir-src", set, "--shard", "1/2", "--dump-json", o} }, local + "/map", "map.json"},
		{"read local", "-w", func(o string) []string { return []string{"read", "-r", set, "--shard", "1/2", "-w", o} }, local + "/read", "part.pcap"},
		{"flows local", "--output", func(o string) []string { return []string{"flows", "-r", set, "--shard", "1/2", "--json", "-o", o} }, local + "/flows", "part.jsonl"},
		{"http har local", "--har", func(o string) []string { return []string{"http", "-r", set, "--shard", "1/2", "--har", o} }, local + "/har", "part.har"},
		{"map s3", "--dump-json", func(o string) []string { return []string{"map", "--dir-src", set, "--shard", "1/2", "--dump-json", o} }, srv.URL("caps", "map"), "map.json"},
		{"http s3", "--output", func(o string) []string { return []string{"http", "-r", set, "--shard", "1/2", "--jsonl", "-o", o} }, srv.URL("caps", "http"), "part.jsonl"},
		{"flows parquet s3", "--parquet", func(o string) []string { return []string{"flows", "-r", set, "--shard", "1/2", "--parquet", o} }, srv.URL("caps", "flowsq"), "part.parquet"},
		{"read index s3", "--index", func(o string) []string { return []string{"read", "-r", set, "--shard", "1/2", "--index", o} }, srv.URL("caps", "index"), "part.parquet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustRun(t, tc.args(tc.out)...)
			first := readBack(t, blobio.Join(tc.out, "shard=1", tc.part))
			code, _, stderr := run(t, nil, tc.args(tc.out)...)
			if code != 2 || !strings.Contains(stderr, tc.flag) || !strings.Contains(stderr, "shard=1") || !strings.Contains(stderr, "already") {
				t.Fatalf("second run: exit %d, stderr %q; want 2 naming %s and the partition", code, stderr, tc.flag)
			}
			if again := readBack(t, blobio.Join(tc.out, "shard=1", tc.part)); again != first {
				t.Fatal("the refused run changed the partition")
			}
		})
	}
	t.Run("output folder is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, []byte("x"), 0o644)
		code, _, stderr := run(t, nil, "map", "--dir-src", set, "--shard", "0/2", "--dump-json", f)
		if code != 2 || !strings.Contains(stderr, "--dump-json") || !strings.Contains(stderr, "names a folder") {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("map shard without dump-json", func(t *testing.T) {
		code, _, stderr := run(t, nil, "map", "--dir-src", set, "--shard", "0/2")
		if code != 2 || !strings.Contains(stderr, "--dump-json DIR") {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("read shard without -w", func(t *testing.T) {
		code, _, stderr := run(t, nil, "read", "-r", set, "--shard", "0/2")
		if code != 2 || !strings.Contains(stderr, "-w DIR") {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
	})
}

// readBack reads a local file or object.
func readBack(t *testing.T, name string) string {
	t.Helper()
	if !blobio.IsURL(name) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	s := blobio.NewStore()
	defer s.Close()
	return string(getObject(t, s, name))
}

// Storage that cannot be used gives an error naming the URL and what to
// do, exit 1, and writes nothing.
func TestHostileObjectStorage(t *testing.T) {
	set := genSet(t, 1)
	one, _ := filepath.Glob(filepath.Join(set, "*.pcap"))
	srv := s3test.Start(t, "caps")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	deadURL := func(k string) string {
		return "s3://caps/" + k + "?endpoint=http://" + dead + "&region=us-east-1&use_path_style=true"
	}
	s := blobio.NewStore()
	defer s.Close()
	putObject(t, s, srv.URL("caps", "exists.json"), []byte("{}"))
	data, _ := os.ReadFile(one[0])
	putObject(t, s, srv.URL("caps", "in.pcap"), data)

	for _, tc := range []struct {
		name   string
		noCred bool
		args   []string
		says   []string
	}{
		{"unreachable endpoint, input", false, []string{"read", "-r", deadURL("in.pcap")}, []string{"s3://caps/in.pcap", "cannot be reached", "endpoint"}},
		{"unreachable endpoint, output", false, []string{"map", "--dump-json", deadURL("m.json"), one[0]}, []string{"s3://caps/m.json", "cannot be reached"}},
		{"unreachable endpoint, listing", false, []string{"map", "--dir-src", deadURL("set/"), "--dump-json", "-"}, []string{"s3://caps/set/", "cannot be reached"}},
		{"missing bucket", false, []string{"flows", "-r", srv.URL("nobucket", "in.pcap")}, []string{"s3://nobucket/in.pcap", "no such bucket or object"}},
		{"missing key", false, []string{"http", "-r", srv.URL("caps", "nope.pcap")}, []string{"s3://caps/nope.pcap", "no such bucket or object"}},
		{"missing credentials, input", true, []string{"read", "-r", srv.URL("caps", "in.pcap")}, []string{"s3://caps/in.pcap", "no usable credentials", "AWS_ACCESS_KEY_ID"}},
		{"missing credentials, output", true, []string{"read", "-r", one[0], "-w", srv.URL("caps", "out.pcap")}, []string{"-w", "s3://caps/out.pcap", "no usable credentials"}},
		{"output exists", false, []string{"map", "--dump-json", srv.URL("caps", "exists.json"), one[0]}, []string{"--dump-json", "s3://caps/exists.json", "already exists"}},
		{"report page exists", false, []string{"report", "-r", one[0], "-o", srv.URL("caps", "exists.json")}, []string{"-o", "s3://caps/exists.json", "already exists"}},
		{"missing map, replay", false, []string{"replay", "--dump-json", srv.URL("caps", "nomap.json"), "--null"}, []string{"--dump-json", "s3://caps/nomap.json", "no such bucket or object"}},
		{"missing -F file", false, []string{"filter", "compile", "-F", srv.URL("caps", "none.txt")}, []string{"-F", "s3://caps/none.txt", "no such bucket or object"}},
		{"missing key log", false, []string{"http", "-r", one[0], "--tls-keylog", srv.URL("caps", "none.keys")}, []string{"--tls-keylog", "s3://caps/none.keys", "no such bucket or object"}},
		{"missing --offsets file", false, []string{"read", "-r", one[0], "--offsets", "@" + srv.URL("caps", "none.txt")}, []string{"--offsets", "s3://caps/none.txt", "no such bucket or object"}},
		{"missing EVE file", false, []string{"eve2filter", "--path-eve", srv.URL("caps", "none.json"), "--path-filter", "-"}, []string{"--path-eve", "s3://caps/none.json", "no such bucket or object"}},
		{"unreachable endpoint, gen", false, []string{"gen", "-w", deadURL("g.pcap"), "--packets", "5"}, []string{"-w", "s3://caps/g.pcap", "cannot be reached"}},
		{"unreachable endpoint, table", false, []string{"read", "-r", one[0], "--index", deadURL("i.parquet")}, []string{"--index", "s3://caps/i.parquet", "cannot be reached"}},
		{"missing bucket, table", false, []string{"http", "-r", one[0], "--parquet", srv.URL("nobucket", "h.parquet")}, []string{"--parquet", "s3://nobucket/h.parquet", "no such bucket"}},
		{"missing credentials, table", true, []string{"flows", "-r", one[0], "--parquet", srv.URL("caps", "f.parquet")}, []string{"--parquet", "s3://caps/f.parquet", "no usable credentials"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.noCred {
				s3test.Isolate(t)
			}
			before := srv.Keys(t, "caps")
			var so, se strings.Builder
			code := Run(context.Background(), tc.args, nil, &so, &se)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, se.String())
			}
			for _, w := range tc.says {
				if !strings.Contains(se.String(), w) {
					t.Fatalf("stderr %q does not say %q", se.String(), w)
				}
			}
			if after := srv.Keys(t, "caps"); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Fatalf("objects before %v, after %v: a failed run wrote something", before, after)
			}
		})
	}
	if got := readBack(t, srv.URL("caps", "exists.json")); got != "{}" {
		t.Fatalf("the existing output was changed: %q", got)
	}
}
