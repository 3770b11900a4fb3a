package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/tables"
)

// TestTableOutputErrors runs each table flag into the ways it can be
// misused: an output that exists is refused (exit 2) and left as it was,
// a directory that does not exist fails (exit 1) with nothing written,
// and --offsets refuses what it cannot use; every message names the flag
// and what is wrong.
func TestTableOutputErrors(t *testing.T) {
	dir := t.TempDir()
	demo := demoPath(t)
	exists := filepath.Join(dir, "exists.parquet")
	if err := os.WriteFile(exists, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	missingDir := filepath.Join(dir, "no-such-dir", "t.parquet")
	offs := filepath.Join(dir, "offsets.txt")
	os.WriteFile(offs, []byte("offset\n24\n# a comment\nx1\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		want []string // in stderr
	}{
		{"map --parquet onto an existing file", []string{"map", "--parquet", exists, demo}, 2, []string{"--parquet", exists, "already exists"}},
		{"flows --parquet onto an existing file", []string{"flows", "-r", demo, "--parquet", exists}, 2, []string{"--parquet", exists, "already exists"}},
		{"http --parquet onto an existing file", []string{"http", "-r", demo, "--parquet", exists}, 2, []string{"--parquet", exists, "already exists"}},
		{"read --index onto an existing file", []string{"read", "-r", demo, "--index", exists}, 2, []string{"--index", exists, "already exists"}},
		{"map --parquet in a missing directory", []string{"map", "--parquet", missingDir, demo}, 1, []string{"--parquet", missingDir}},
		{"flows --parquet in a missing directory", []string{"flows", "-r", demo, "--parquet", missingDir}, 1, []string{"--parquet", missingDir}},
		{"http --parquet in a missing directory", []string{"http", "-r", demo, "--parquet", missingDir}, 1, []string{"--parquet", missingDir}},
		{"read --index in a missing directory", []string{"read", "-r", demo, "--index", missingDir}, 1, []string{"--index", missingDir}},
		{"read --index the same as -w", []string{"read", "-r", demo, "-w", filepath.Join(dir, "same"), "--index", filepath.Join(dir, "same")}, 2, []string{"--index", "own"}},
		{"http --parquet to stdout", []string{"http", "-r", demo, "--parquet", "-"}, 2, []string{"--parquet"}},
		{"flows --parquet to stdout", []string{"flows", "-r", demo, "--parquet", "-"}, 2, []string{"--parquet -", "file name"}},
		{"map --parquet to stdout", []string{"map", "--parquet", "-", demo}, 2, []string{"--parquet -", "file name"}},
		{"read --index to stdout", []string{"read", "-r", demo, "--index", "-"}, 2, []string{"--index", "own"}},
		{"map --parquet the same as --dump-json", []string{"map", "--dump-json", filepath.Join(dir, "m"), "--parquet", filepath.Join(dir, "m"), demo}, 2, []string{"--parquet", "two names"}},
		{"read --offsets with two files", []string{"read", "-r", demo, "-r", demo, "--offsets", "24"}, 2, []string{"--offsets", "one -r file"}},
		{"read --offsets not a number", []string{"read", "-r", demo, "--offsets", "24,abc"}, 2, []string{"--offsets", `"abc"`}},
		{"read --offsets negative", []string{"read", "-r", demo, "--offsets", "-5"}, 2, []string{"--offsets", `"-5"`}},
		{"read --offsets @file with a bad line", []string{"read", "-r", demo, "--offsets", "@" + offs}, 2, []string{"--offsets @" + offs, "line 4", `"x1"`}},
		{"read --offsets @missing", []string{"read", "-r", demo, "--offsets", "@" + filepath.Join(dir, "nope")}, 1, []string{"--offsets", "nope"}},
		{"read --offsets not at a record", []string{"read", "-r", demo, "--offsets", "24,25"}, 1, []string{"--offsets", "1 of 2", demo, "first: 25"}},
		{"read --offsets past the end", []string{"read", "-r", demo, "--offsets", "999999999"}, 1, []string{"--offsets", "1 of 1", "first: 999999999"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q: %s", w, stderr)
				}
			}
			if b, _ := os.ReadFile(exists); string(b) != "keep me" {
				t.Fatalf("the existing file was changed: %q", b)
			}
			if _, err := os.Stat(filepath.Dir(missingDir)); err == nil {
				t.Fatalf("the missing directory was created")
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestReadIndexAndOffsets indexes a capture and a damaged copy of it, and
// reads packets back by offset: the index has one row per packet with its
// record's offset (read back with parquet-go, no engine needed), the
// packets read back at those offsets are byte for byte the ones indexed,
// and a damaged input keeps the rows of the packets before the damage.
func TestReadIndexAndOffsets(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"g.pcap", "g.pcapng", "g.pcapng.zst"} {
		t.Run(name, func(t *testing.T) {
			src := filepath.Join(dir, name)
			mustRun(t, "gen", "-w", src, "--packets", "500", "--seed", "5")
			idx := filepath.Join(dir, name+".parquet")
			_, _, stderr := run(t, nil, "read", "-r", src, "--index", idx)
			if !strings.Contains(stderr, "500 packets indexed to "+idx) {
				t.Errorf("summary: %s", stderr)
			}
			rows := readIndex(t, idx)
			if len(rows) != 500 {
				t.Fatalf("%d rows, want 500", len(rows))
			}
			// Every third packet, fetched back by offset.
			var offs []string
			var want [][]byte
			all := readPackets(t, src)
			for i := 0; i < len(rows); i += 3 {
				if string(rows[i].File) != src {
					t.Fatalf("row %d: file %q, want %q", i, rows[i].File, src)
				}
				offs = append(offs, strconv.FormatInt(rows[i].Offset, 10))
				want = append(want, all[i])
			}
			list := filepath.Join(dir, name+".offsets")
			os.WriteFile(list, []byte("offset\n"+strings.Join(offs, "\n")+"\n"), 0o644)
			out := filepath.Join(dir, name+"-back.pcap")
			mustRun(t, "read", "-r", src, "--offsets", "@"+list, "-w", out)
			got := readPackets(t, out)
			if len(got) != len(want) {
				t.Fatalf("read back %d packets, want %d", len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("packet %d read back at offset %s differs from the one indexed", i, offs[i])
				}
			}
		})
	}
	t.Run("damaged input keeps the rows before the damage", func(t *testing.T) {
		data, err := os.ReadFile(demoPath(t))
		if err != nil {
			t.Fatal(err)
		}
		cut := filepath.Join(dir, "cut.pcap")
		os.WriteFile(cut, data[:len(data)/2], 0o644)
		idx := filepath.Join(dir, "cut.parquet")
		code, _, stderr := run(t, nil, "read", "-r", cut, "--index", idx)
		if code != 1 || !strings.Contains(stderr, cut) {
			t.Fatalf("exit %d, want 1 naming the file: %s", code, stderr)
		}
		n := len(readPackets(t, cut))
		if rows := readIndex(t, idx); n == 0 || len(rows) != n {
			t.Errorf("index of a damaged file: %d rows, want the %d packets before the damage", len(rows), n)
		}
	})
}

func readIndex(t *testing.T, path string) []tables.PacketRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	rows, err := parquet.Read[tables.PacketRow](f, fi.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// readPackets returns the packets of a capture that pcapio reads before the
// end or the first damage.
func readPackets(t *testing.T, path string) [][]byte {
	t.Helper()
	r, err := pcapio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			return out
		}
		out = append(out, data)
	}
}

// TestHTTPParquetRedactsAndSelects checks that --parquet gets what
// --jsonl gets after --redact and the selection flags: the same
// transactions, and no secret in any column.
func TestHTTPParquetRedactsAndSelects(t *testing.T) {
	capf, secrets := secretCapture(t)
	for _, tc := range []struct {
		name  string
		extra []string
		rows  int
	}{
		{"all", nil, 4},
		{"redacted", []string{"--redact"}, 4},
		{"redacted, /form excluded", []string{"--redact", "--exclude-path", "^/form$"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pq := filepath.Join(t.TempDir(), "http.parquet")
			stdout := mustRun(t, append([]string{"http", "-r", capf, "--jsonl", "--parquet", pq}, tc.extra...)...)
			var urls []string
			for _, m := range jsonLines(t, stdout) {
				urls = append(urls, str(m["url"]))
			}
			f, err := os.Open(pq)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, _ := f.Stat()
			rows, err := parquet.Read[tables.HTTPRow](f, fi.Size())
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows || len(urls) != tc.rows {
				t.Fatalf("%d rows and %d JSONL records, want %d", len(rows), len(urls), tc.rows)
			}
			var all strings.Builder
			for i, r := range rows {
				if string(r.URL) != urls[i] {
					t.Errorf("row %d: url %q, JSONL %q", i, r.URL, urls[i])
				}
				all.WriteString(string(r.URL) + string(r.Host) + string(r.Path))
			}
			leaked := 0
			for _, s := range secrets {
				if strings.Contains(all.String(), s) {
					leaked++
				}
			}
			if redacted := len(tc.extra) > 0; redacted && leaked > 0 || !redacted && leaked == 0 {
				t.Errorf("%d secrets in the table's URLs (redact %v)", leaked, redacted)
			}
		})
	}
}

// TestTableOutputDevices: a table written to a full device (/dev/full)
// fails with exit 1 naming the flag and the cause; a table written to a
// FIFO arrives whole at its reader (the writer never seeks).
func TestTableOutputDevices(t *testing.T) {
	demo := demoPath(t)
	if _, err := os.Stat("/dev/full"); err == nil {
		for _, args := range [][]string{
			{"http", "-r", demo, "--parquet", "/dev/full"},
			{"flows", "-r", demo, "--parquet", "/dev/full"},
			{"map", "--parquet", "/dev/full", demo},
			{"read", "-r", demo, "--index", "/dev/full"},
		} {
			t.Run(args[0]+" to /dev/full", func(t *testing.T) {
				code, _, stderr := run(t, nil, args...)
				flag := "--parquet /dev/full"
				if args[0] == "read" {
					flag = "--index /dev/full"
				}
				if code != 1 || !strings.Contains(stderr, flag) || !strings.Contains(stderr, "no space left") {
					t.Errorf("exit %d, stderr %q; want exit 1 naming %s and the full device", code, stderr, flag)
				}
			})
		}
	}
	t.Run("http to a FIFO", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := unix.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
		got := make(chan []byte, 1)
		go func() {
			b, _ := os.ReadFile(fifo)
			got <- b
		}()
		if code, _, stderr := run(t, nil, "http", "-r", demo, "--parquet", fifo); code != 0 {
			// Let the reader go: it waits for a writer to come and go.
			if f, err := os.OpenFile(fifo, os.O_WRONLY|unix.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b := <-got
		rows, err := parquet.Read[tables.HTTPRow](bytes.NewReader(b), int64(len(b)))
		if err != nil || len(rows) != 6 {
			t.Fatalf("the FIFO's reader got %d bytes: %d rows (%v), want demo.pcap's 6 transactions", len(b), len(rows), err)
		}
	})
}
