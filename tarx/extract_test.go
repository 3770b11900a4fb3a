package tarx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func sample(t testing.TB, c Compression) []byte {
	return buildTar(t, c,
		entry{name: "./set/", typ: '5'},
		entry{name: "./set/a.pcap", body: "aaaa"},
		entry{name: "./set/sub/b.pcap", body: strings.Repeat("b", 100000)},
		entry{name: "notes.txt", body: "hello"},
	)
}

func TestExtractInputCompressions(t *testing.T) {
	for _, c := range []Compression{None, Gzip, Zstd, XZ, LZ4} {
		t.Run(c.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			sum, err := Extract(context.Background(), bytes.NewReader(sample(t, c)), out, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := Summary{Members: 4, Selected: 3, Extracted: 3, Bytes: 100009, Written: 100009}
			if sum != want {
				t.Errorf("summary %+v, want %+v", sum, want)
			}
			if got, want := tree(t, out), []string{"notes.txt", "set/", "set/a.pcap", "set/sub/", "set/sub/b.pcap"}; !slices.Equal(got, want) {
				t.Errorf("tree %q, want %q", got, want)
			}
			if got := readFile(t, filepath.Join(out, "set/sub/b.pcap")); got != strings.Repeat("b", 100000) {
				t.Errorf("b.pcap has %d bytes, want 100000 b", len(got))
			}
			fi, err := os.Stat(filepath.Join(out, "set/a.pcap"))
			if err != nil {
				t.Fatal(err)
			}
			if !fi.ModTime().Equal(testTime) {
				t.Errorf("mtime %v, want %v", fi.ModTime(), testTime)
			}
		})
	}
}

func TestExtractOptions(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		files map[string]string // path -> contents after decompression
		sum   Summary
	}{
		{"regexp", Options{Match: regexp.MustCompile(`\.pcap$`)},
			map[string]string{"set/a.pcap": "aaaa", "set/sub/b.pcap": strings.Repeat("b", 100000)},
			Summary{Members: 4, Selected: 2, Extracted: 2, Bytes: 100004, Written: 100004}},
		{"flatten", Options{Match: regexp.MustCompile(`a\.pcap|notes`), Flatten: true},
			map[string]string{"set-a.pcap": "aaaa", "notes.txt": "hello"},
			Summary{Members: 4, Selected: 2, Extracted: 2, Bytes: 9, Written: 9}},
		{"gzip", Options{Compress: Gzip, Match: regexp.MustCompile(`b\.pcap`)},
			map[string]string{"set/sub/b.pcap.gz": strings.Repeat("b", 100000)},
			Summary{Members: 4, Selected: 1, Extracted: 1, Bytes: 100000, Written: -1}},
		{"zstd", Options{Compress: Zstd, Concurrency: 2},
			map[string]string{"set/a.pcap.zst": "aaaa", "set/sub/b.pcap.zst": strings.Repeat("b", 100000), "notes.txt.zst": "hello"},
			Summary{Members: 4, Selected: 3, Extracted: 3, Bytes: 100009, Written: -1}},
		{"dry run", Options{DryRun: true, Compress: Gzip},
			map[string]string{},
			Summary{Members: 4, Selected: 3, Extracted: 3, Bytes: 100009}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var listed []string
			opts := tc.opts
			opts.OnMember = func(m *Member) { listed = append(listed, m.Action.String()+" "+m.Path) }
			sum, err := Extract(context.Background(), bytes.NewReader(sample(t, None)), out, &opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.sum.Written < 0 {
				if sum.Written <= 0 || sum.Written >= sum.Bytes {
					t.Errorf("written %d for %d bytes: not compressed", sum.Written, sum.Bytes)
				}
				tc.sum.Written = sum.Written
			}
			if sum != tc.sum {
				t.Errorf("summary %+v, want %+v", sum, tc.sum)
			}
			if len(listed) != tc.sum.Selected {
				t.Errorf("OnMember calls %q, want %d", listed, tc.sum.Selected)
			}
			if opts.DryRun {
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("dry run made the output folder: %v", err)
				}
				if !slices.Contains(listed, "listed set/sub/b.pcap.gz") {
					t.Errorf("dry run listed %q", listed)
				}
				return
			}
			var files []string
			for _, p := range tree(t, out) {
				if !strings.HasSuffix(p, "/") {
					files = append(files, p)
				}
			}
			if len(files) != len(tc.files) {
				t.Errorf("files %q, want %v", files, tc.files)
			}
			for p, want := range tc.files {
				if got := decompressFile(t, filepath.Join(out, p)); got != want {
					t.Errorf("%s: %d bytes, want %d", p, len(got), len(want))
				}
			}
		})
	}
}

func decompressFile(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	switch filepath.Ext(p) {
	case ".gz":
		z, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = z
	case ".zst":
		z, err := zstd.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		defer z.Close()
		r = z
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(b)
}

func TestExtractDamaged(t *testing.T) {
	full := sample(t, None)
	for _, cut := range []int{600, 1100, 3000, 50000} {
		out := filepath.Join(t.TempDir(), "out")
		_, err := Extract(context.Background(), bytes.NewReader(full[:cut]), out, nil)
		if err == nil || !strings.Contains(err.Error(), "tar offset") {
			t.Errorf("cut at %d: error %v, want one naming the tar offset", cut, err)
		}
		for _, p := range tree(t, out) {
			if strings.Contains(p, ".tmp-") {
				t.Errorf("cut at %d: temporary file %s left behind", cut, p)
			}
			if p == "set/sub/b.pcap" {
				t.Errorf("cut at %d: truncated b.pcap published", cut)
			}
		}
	}
}

func TestExtractCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := filepath.Join(t.TempDir(), "out")
	opts := &Options{OnMember: func(*Member) { cancel() }}
	sum, err := Extract(ctx, bytes.NewReader(sample(t, Gzip)), out, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if sum.Extracted != 1 {
		t.Errorf("extracted %d before stopping, want 1", sum.Extracted)
	}
}

func TestExtractOverwrite(t *testing.T) {
	tarball := buildTar(t, None, entry{name: "x.pcap", body: "new"})
	for _, overwrite := range []bool{false, true} {
		out := t.TempDir()
		if err := os.WriteFile(filepath.Join(out, "x.pcap"), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		var reason error
		sum, err := Extract(context.Background(), bytes.NewReader(tarball), out, &Options{Overwrite: overwrite, OnMember: func(m *Member) { reason = m.Reason }})
		if err != nil {
			t.Fatal(err)
		}
		want := "old"
		if overwrite {
			want = "new"
		} else if !errors.Is(reason, ErrExists) || sum.Skipped != 1 {
			t.Errorf("overwrite=false: reason %v, skipped %d; want ErrExists, 1", reason, sum.Skipped)
		}
		if got := readFile(t, filepath.Join(out, "x.pcap")); got != want {
			t.Errorf("overwrite=%v: file holds %q, want %q", overwrite, got, want)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []Compression{None, Gzip, Zstd, XZ, LZ4} {
		if got := Detect(compressBytes(t, c, []byte("some tar bytes"))); got != c {
			t.Errorf("Detect(%v data) = %v", c, got)
		}
	}
	if got := Detect([]byte{0x1f}); got != None {
		t.Errorf("Detect(1 byte) = %v, want none", got)
	}
}

// TestCopyAllocs checks the per-chunk copy loop allocates nothing.
func TestCopyAllocs(t *testing.T) {
	x := &extractor{ctx: context.Background(), buf: make([]byte, 4096)}
	data := make([]byte, 64<<10)
	r := bytes.NewReader(data)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(data)
		if err := x.copy(io.Discard, r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("copy allocates %.1f times per member, want 0", allocs)
	}
}

// BenchmarkExtract extracts a tarball of 64 members of 64 KiB; allocations
// are per member (headers, names, files), none per chunk of contents.
func BenchmarkExtract(b *testing.B) {
	entries := make([]entry, 64)
	body := strings.Repeat("0123456789abcdef", 4096)
	for i := range entries {
		entries[i] = entry{name: "set/f" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".pcap", body: body}
	}
	for _, c := range []Compression{None, Gzip} {
		tarball := buildTar(b, c, entries...)
		b.Run("in="+c.String(), func(b *testing.B) {
			out := b.TempDir()
			b.SetBytes(int64(len(entries) * len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(context.Background(), bytes.NewReader(tarball), out, &Options{Overwrite: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
