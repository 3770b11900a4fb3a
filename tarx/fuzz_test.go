package tarx

import (
	"archive/tar"
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzExtract feeds arbitrary bytes to Extract: it must not panic, must
// write nothing outside the output folder, and must leave no temporary file.
func FuzzExtract(f *testing.F) {
	small := []entry{
		{name: "./set/", typ: tar.TypeDir},
		{name: "./set/a.pcap", body: "aaaa"},
		{name: "./set/sub/b.pcap", body: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
	}
	for _, c := range []Compression{None, Gzip, Zstd, XZ, LZ4} {
		f.Add(buildTar(f, c, small...))
	}
	f.Add(buildTar(f, None,
		entry{name: "../evil", body: "x"},
		entry{name: "/abs", body: "x"},
		entry{name: "l", typ: tar.TypeSymlink, linkname: ".."},
		entry{name: "l/x", body: "x"},
		entry{name: "d/f", body: "x"},
		entry{name: "d/f", body: "y"},
	))
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		out := filepath.Join(base, "out")
		sum, err := Extract(context.Background(), bytes.NewReader(data), out, &Options{Overwrite: len(data)%2 == 0})
		if err == nil && sum.Extracted+sum.Skipped+sum.Refused != sum.Selected {
			t.Errorf("summary %+v does not add up", sum)
		}
		for _, p := range tree(t, base) {
			if p != "out/" && !strings.HasPrefix(p, "out/") {
				t.Errorf("%s written outside the output folder", p)
			}
			if strings.Contains(p, ".tmp-") {
				t.Errorf("temporary file %s left behind (error %v)", p, err)
			}
		}
	})
}
