package blobio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/s3test"
)

// backend is one place objects can live: the fake S3 endpoint or a
// file:// directory.
type backend struct {
	name string
	url  func(key string) string // the URL of key
	keys func() []string         // every key stored, for leftovers
}

// backends starts both for a test.
func backends(t *testing.T) []backend {
	srv := s3test.Start(t, "caps")
	dir := t.TempDir()
	return []backend{
		{"s3", func(k string) string { return srv.URL("caps", k) }, func() []string { return srv.Keys(t, "caps") }},
		{"file", func(k string) string { return "file://" + filepath.ToSlash(filepath.Join(dir, k)) }, func() []string {
			var out []string
			m, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
			top, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, p := range append(top, m...) {
				rel, _ := filepath.Rel(dir, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return out
		}},
	}
}

func write(t *testing.T, s *blobio.Store, url string, data []byte) {
	t.Helper()
	w, err := s.Create(context.Background(), url, nil)
	if err != nil {
		t.Fatalf("Create(%s): %v", url, err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatalf("Write(%s): %v", url, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close(%s): %v", url, err)
	}
}

func TestRoundTripAndSeek(t *testing.T) {
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			ctx := context.Background()
			url := b.url("dir/a.bin")
			write(t, s, url, data)
			r, err := s.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Size() != int64(len(data)) {
				t.Fatalf("Size = %d, want %d", r.Size(), len(data))
			}
			st, _ := r.Stat()
			if !st.Mode().IsRegular() || st.Size() != int64(len(data)) || st.Name() != "a.bin" {
				t.Fatalf("Stat = %v %d %q, want a regular file a.bin of %d bytes", st.Mode(), st.Size(), st.Name(), len(data))
			}
			head := make([]byte, 100)
			if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head, data[:100]) {
				t.Fatalf("first 100 bytes: %v, differ: %v", err, !bytes.Equal(head, data[:100]))
			}
			for _, off := range []int64{2 << 20, 5, int64(len(data)) - 10} {
				if pos, err := r.Seek(off, io.SeekStart); err != nil || pos != off {
					t.Fatalf("Seek(%d) = %d, %v", off, pos, err)
				}
				got := make([]byte, 10)
				if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, data[off:off+10]) {
					t.Fatalf("10 bytes at %d: %v, got %x want %x", off, err, got, data[off:off+10])
				}
			}
			if pos, err := r.Seek(100, io.SeekEnd); err != nil || pos != int64(len(data)) {
				t.Fatalf("Seek past the end = %d, %v; want the end", pos, err)
			}
			if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Fatalf("Read at the end = %d, %v; want io.EOF", n, err)
			}
			if _, err := r.Seek(-1, io.SeekStart); err == nil {
				t.Fatal("Seek before the start: no error")
			}
		})
	}
}

// A seek asks the endpoint for the rest of the object from the new offset
// instead of reading what lies between.
func TestSeekIsARangeRead(t *testing.T) {
	srv := s3test.Start(t, "caps")
	s := blobio.NewStore()
	defer s.Close()
	url := srv.URL("caps", "big.bin")
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	write(t, s, url, data)
	r, err := s.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	srv.Requests()
	if _, err := r.Seek(3<<20, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 16)
	if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, data[3<<20:3<<20+16]) {
		t.Fatalf("read after seek: %v %q", err, got)
	}
	var ranged []string
	for _, q := range srv.Requests() {
		if q.Method == "GET" {
			ranged = append(ranged, q.Range)
		}
	}
	if len(ranged) != 1 || !strings.HasPrefix(ranged[0], "bytes=3145728-") {
		t.Fatalf("GET requests after the seek had Range %q, want one from bytes=3145728-", ranged)
	}
}

// Abort, and a Close after a failed write, leave no object and no
// temporary; an existing output is refused unless Overwrite says so.
func TestCreateCommitsOnlyOnClose(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			ctx := context.Background()
			w, err := s.Create(ctx, b.url("out/aborted.json"), nil)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(bytes.Repeat([]byte("x"), 1<<20))
			if err := w.Abort(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err == nil {
				t.Fatal("Close after Abort: no error")
			}
			if ok, err := s.Exists(ctx, b.url("out/aborted.json")); err != nil || ok {
				t.Fatalf("aborted output exists=%v (%v), want no object", ok, err)
			}
			if left := b.keys(); slices.ContainsFunc(left, func(k string) bool { return strings.Contains(k, "aborted") }) {
				t.Fatalf("aborted write left %q", left)
			}

			write(t, s, b.url("out/kept.json"), []byte("first"))
			_, err = s.Create(ctx, b.url("out/kept.json"), nil)
			if !errors.Is(err, blobio.ErrExists) || !strings.Contains(err.Error(), "kept.json") {
				t.Fatalf("Create over an existing object: %v, want ErrExists naming it", err)
			}
			w, err = s.Create(ctx, b.url("out/kept.json"), &blobio.CreateOptions{Overwrite: true})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("second"))
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := s.Open(ctx, b.url("out/kept.json"))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			r.Close()
			if string(got) != "second" {
				t.Fatalf("after Overwrite: %q, want second", got)
			}
		})
	}
}

// Two writers of one key, both started while it was free: the first to
// Close publishes, the second's Close fails with ErrExists and leaves the
// first's object as it was.
func TestCreateRace(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			ctx := context.Background()
			url := b.url("race/out.pcap")
			w1, err := s.Create(ctx, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			w2, err := s.Create(ctx, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			w1.Write([]byte("first"))
			w2.Write([]byte("second"))
			if err := w1.Close(); err != nil {
				t.Fatal(err)
			}
			err = w2.Close()
			if !errors.Is(err, blobio.ErrExists) || !strings.Contains(err.Error(), "race/out.pcap") {
				t.Fatalf("the second writer's Close: %v, want ErrExists naming the URL", err)
			}
			r, err := s.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			r.Close()
			if string(got) != "first" {
				t.Fatalf("the object holds %q, want the first writer's", got)
			}
		})
	}
}

func TestList(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			for _, k := range []string{"set/b.pcap", "set/a.pcap", "set/sub/c.pcap", "setx/no.pcap", "other.pcap"} {
				write(t, s, b.url(k), []byte(k))
			}
			for _, dir := range []string{"set", "set/"} {
				objs, err := s.List(context.Background(), b.url(dir))
				if err != nil {
					t.Fatal(err)
				}
				var keys []string
				for _, o := range objs {
					keys = append(keys, blobio.Base(o.URL)+":"+itoa(o.Size))
					if r, err := s.Open(context.Background(), o.URL); err != nil {
						t.Fatalf("listed URL %s does not open: %v", o.URL, err)
					} else {
						r.Close()
					}
				}
				want := []string{"a.pcap:10", "b.pcap:10", "c.pcap:14"}
				if !slices.Equal(keys, want) {
					t.Fatalf("List(%s) = %v, want %v", dir, keys, want)
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestJoinAndIsURL(t *testing.T) {
	tests := []struct{ base, want string }{
		{"s3://b/out?region=x&endpoint=http://h:1", "s3://b/out/shard=1/map.json?region=x&endpoint=http://h:1"},
		{"s3://b", "s3://b/shard=1/map.json"},
		{"file:///tmp/out/", "file:///tmp/out/shard=1/map.json"},
		{"/tmp/out", "/tmp/out/shard=1/map.json"},
		{"out", "out/shard=1/map.json"},
	}
	for _, tc := range tests {
		if got := blobio.Join(tc.base, "shard=1", "map.json"); got != tc.want {
			t.Errorf("Join(%q) = %q, want %q", tc.base, got, tc.want)
		}
	}
	for s, want := range map[string]bool{"s3://b/k": true, "GS://b/k": true, "azblob://c/k": true, "file:///x": true,
		"/tmp/x": false, "x.pcap": false, "http://h/x": false, "C:\\x": false, "://x": false} {
		if got := blobio.IsURL(s); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", s, got, want)
		}
	}
}
