package cli

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// tarFixture writes a gzip-compressed tarball with two captures, a note,
// a member escaping with ".." and a symbolic link, and returns its path.
func tarFixture(t *testing.T, hostile bool) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name string, typ byte, body string) {
		h := &tar.Header{Name: name, Typeflag: typ, Mode: 0o644, Size: int64(len(body))}
		if typ == tar.TypeSymlink {
			h.Linkname, h.Size = "/etc/passwd", 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	add("set/a.pcap", tar.TypeReg, "pcap a")
	add("set/sub/b.pcap", tar.TypeReg, "pcap bb")
	add("set/notes.txt", tar.TypeReg, "notes")
	if hostile {
		add("../evil.pcap", tar.TypeReg, "evil")
		add("set/link.pcap", tar.TypeSymlink, "")
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "set.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, buf.Bytes()
}

func TestTarExtract(t *testing.T) {
	tarball, data := tarFixture(t, false)
	hostile, _ := tarFixture(t, true)
	tests := []struct {
		name      string
		args      []string // OUT is replaced by a fresh output folder
		stdin     bool
		code      int
		stdoutHas string
		stderrHas string
		files     []string // expected under OUT
	}{
		{"all", []string{"tar-extract", "--in-tarball", tarball, "--out-dir", "OUT"}, false, 0, "3 files extracted", "",
			[]string{"set/a.pcap", "set/notes.txt", "set/sub/b.pcap"}},
		{"alias and regexp", []string{"tarExtract", "--in-tarball", tarball, "--out-dir", "OUT", "--file-regexp", `\.pcap$`}, false, 0, "2 files extracted", "",
			[]string{"set/a.pcap", "set/sub/b.pcap"}},
		{"stdin", []string{"tar-extract", "--in-tarball", "-", "--out-dir", "OUT", "--file-regexp", "b.pcap"}, true, 0, "1 files extracted", "",
			[]string{"set/sub/b.pcap"}},
		{"gzip flatten", []string{"tar-extract", "--in-tarball", tarball, "--out-dir", "OUT", "--out-gzip", "--flatten", "-v"}, false, 0, "set-sub-b.pcap.gz", "",
			[]string{"set-a.pcap.gz", "set-notes.txt.gz", "set-sub-b.pcap.gz"}},
		{"zstd", []string{"tar-extract", "--in-tarball", tarball, "--out-dir", "OUT", "--out-zstd", "--file-regexp", "a.pcap"}, false, 0, "written", "",
			[]string{"set/a.pcap.zst"}},
		{"dry run", []string{"tar-extract", "--in-tarball", tarball, "--dryrun"}, false, 0, "set/sub/b.pcap\t7\n", "", nil},
		{"hostile", []string{"tar-extract", "--in-tarball", hostile, "--out-dir", "OUT"}, false, 1, "1 refused", `"../evil.pcap" refused`,
			[]string{"set/a.pcap", "set/notes.txt", "set/sub/b.pcap"}},
		{"link skipped", []string{"tar-extract", "--in-tarball", hostile, "--out-dir", "OUT", "--file-regexp", "link"}, false, 0, "1 skipped", "link not extracted", nil},
		{"no input", []string{"tar-extract", "--out-dir", "OUT"}, false, 2, "", "--in-tarball", nil},
		{"no output", []string{"tar-extract", "--in-tarball", tarball}, false, 2, "", "--out-dir", nil},
		{"two compressions", []string{"tar-extract", "--in-tarball", tarball, "--out-dir", "OUT", "--out-gzip", "--out-zstd"}, false, 2, "", "together", nil},
		{"bad regexp", []string{"tar-extract", "--in-tarball", tarball, "--out-dir", "OUT", "--file-regexp", "("}, false, 2, "", "--file-regexp", nil},
		{"missing tarball", []string{"tar-extract", "--in-tarball", "/nonexistent/x.tar", "--out-dir", "OUT"}, false, 1, "", "/nonexistent/x.tar", nil},
		{"not a tarball", []string{"tar-extract", "--in-tarball", demoPath(t), "--out-dir", "OUT"}, false, 1, "", "demo.pcap", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "OUT", out)
			}
			var stdin []byte
			if tc.stdin {
				stdin = data
			}
			code, stdout, stderr := run(t, stdin, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q; stderr %q", code, tc.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tc.stdoutHas) {
				t.Errorf("stdout %q lacks %q", stdout, tc.stdoutHas)
			}
			if !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderrHas)
			}
			var files []string
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(out, p)
					files = append(files, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(files, " ") != strings.Join(tc.files, " ") {
				t.Errorf("files %q, want %q", files, tc.files)
			}
		})
	}
}
