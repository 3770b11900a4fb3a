package cli

import (
	"archive/tar"
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// hostileTar returns a plain tar of the named members, in order, with
// random (incompressible) contents of size bytes, and the contents.
func hostileTar(t *testing.T, size int, names ...string) ([]byte, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	bodies := map[string][]byte{}
	for _, name := range names {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		bodies[name] = b
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(size), Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes(), bodies
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func zstdBytes(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw, err := zstd.NewWriter(&out, zstd.WithEncoderCRC(true))
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func flipBytes(b []byte, at, n int) []byte {
	b = bytes.Clone(b)
	for i := range n {
		b[at+i] ^= 0x5a
	}
	return b
}

// TestHostileTarExtract runs tar-extract on damaged and hostile tarballs
// (issue 13 items 2, 6 and 12): a damaged compressed stream must fail with
// the file and the stream named and publish no file with wrong bytes; a
// name component over 255 bytes is refused and the members after it are
// extracted; --out-dir is not created for an input that is not a tarball.
func TestHostileTarExtract(t *testing.T) {
	long := strings.Repeat("x", 300) + ".pcap"
	raw, bodies := hostileTar(t, 150_000, "set/a.pcap", "set/b.pcap", "set/c.pcap", "set/d.pcap")
	rawLong, bodiesLong := hostileTar(t, 10, "set/a.pcap", "set/"+long, "set/b.pcap")
	gz, zs := gzipBytes(t, raw), zstdBytes(t, raw)
	tests := []struct {
		name      string
		data      []byte
		args      []string // after --in-tarball FILE --out-dir OUT
		code      int
		stderrHas []string
		files     []string // exactly these under OUT (nil: OUT absent or empty)
		noOutDir  bool     // OUT must not exist
	}{
		{"gzip with 30 bytes flipped in the middle", flipBytes(gz, len(gz)/2, 30), nil, 1,
			[]string{"in.tar", "gzip stream damaged", "invalid checksum", `"set/a.pcap" not kept`}, nil, false},
		{"gzip with its CRC-32 flipped", flipBytes(gz, len(gz)-8, 1), nil, 1,
			[]string{"gzip stream damaged", "invalid checksum"}, nil, false},
		{"gzip with its length flipped", flipBytes(gz, len(gz)-3, 1), nil, 1,
			[]string{"gzip stream damaged"}, nil, false},
		{"gzip with 30 bytes flipped, dry run", flipBytes(gz, len(gz)/2, 30), []string{"--dryrun"}, 1,
			[]string{"gzip stream damaged"}, nil, true},
		{"gzip with 30 bytes flipped, --out-gzip", flipBytes(gz, len(gz)/2, 30), []string{"--out-gzip"}, 1,
			[]string{"gzip stream damaged"}, nil, false},
		{"gzip cut short keeps complete files", gz[:len(gz)*7/10], nil, 1,
			[]string{"cut short", "kept without their integrity check"}, []string{"set/a.pcap", "set/b.pcap"}, false},
		{"zstd with its checksum flipped", flipBytes(zs, len(zs)-1, 1), nil, 1,
			[]string{"zstd stream damaged", "CRC"}, nil, false},
		{"zstd with 30 bytes flipped", flipBytes(zs, len(zs)/2, 30), nil, 1,
			[]string{"zstd stream damaged"}, nil, false},
		{"name component over 255 bytes", gzipBytes(t, rawLong), nil, 1,
			[]string{"refused: name too long", "1 members refused"}, []string{"set/a.pcap", "set/b.pcap"}, false},
		{"not a tarball does not create the output folder", []byte(strings.Repeat("junk\n", 1000)), nil, 1,
			[]string{"not a tarball"}, nil, true},
		{"gzip of junk does not create the output folder", gzipBytes(t, []byte(strings.Repeat("junk\n", 1000))), nil, 1,
			[]string{"not a tarball"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.tar"), filepath.Join(dir, "out")
			if err := os.WriteFile(in, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"tar-extract", "--in-tarball", in, "--out-dir", out}, tc.args...)
			code, stdout, stderr := run(t, nil, args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if _, err := os.Stat(out); tc.noOutDir && err == nil {
				t.Errorf("output folder created for an input that is not a valid tarball")
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
			for _, f := range files {
				want, ok := bodies[f]
				if strings.Contains(tc.name, "255") {
					want, ok = bodiesLong[f]
				}
				if got, _ := os.ReadFile(filepath.Join(out, f)); ok && !bytes.Equal(got, want) {
					t.Errorf("%s has wrong bytes", f)
				}
			}
		})
	}
}
