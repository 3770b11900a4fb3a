package decode

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestCorpusNoPanic prints every packet of every capture in the shared
// corpus with each verbosity and the link-level header, and writes it as
// JSON: no dissector may panic on real (often deliberately malformed)
// captures. It names the file, packet and options of a panic.
func TestCorpusNoPanic(t *testing.T) {
	root := testutil.CorpusDir(t)
	var files []string
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".cap")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no captures in the corpus")
	}
	for _, o := range []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"-v -e", Options{Verbose: 1, Link: true}},
		{"-vv -X", Options{Verbose: 2, Hex: HexASCII}},
		{"-vvv", Options{Verbose: 3}},
	} {
		for _, path := range files {
			noPanicFile(t, path, o.name, o.opts)
		}
	}
}

func noPanicFile(t *testing.T, path, name string, opts Options) {
	r, ltOf, err := openCapture(path)
	if err != nil {
		return
	}
	defer r.Close()
	opts.Location = time.UTC
	pr := NewPrinter(io.Discard, &opts)
	jw := NewJSONWriter(io.Discard, nil)
	n := 0
	defer func() {
		if v := recover(); v != nil {
			t.Errorf("%s: packet %d (%s): panic: %v", path, n, name, v)
		}
	}()
	for n = 1; ; n++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			return
		}
		lt := ltOf(ci)
		pr.Print(ci, data, lt)
		if name == "default" {
			jw.Write(ci, data, lt)
		}
	}
}
