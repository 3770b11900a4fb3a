package tarx

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// integrityMembers returns n members of size bytes each. Random contents
// do not compress: deflate stores them, zstd and lz4 keep raw blocks, so a
// flipped byte decodes silently into a wrong byte and only the integrity
// check can tell.
func integrityMembers(n, size int, random bool) map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	m := make(map[string][]byte)
	for i := range n {
		b := make([]byte, size)
		for j := range b {
			if random {
				b[j] = byte(rng.Uint32())
			} else {
				b[j] = "abcdefgh\n"[rng.IntN(9)]
			}
		}
		m["set/m"+string(rune('0'+i))+".pcap"] = b
	}
	return m
}

// rawTar writes the members in name order as a plain tar.
func rawTar(t testing.TB, members map[string][]byte) []byte {
	t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for i := range len(members) {
		name := "set/m" + string(rune('0'+i)) + ".pcap"
		body := members[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)), ModTime: testTime}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes()
}

// compressWith compresses data the way the external tools do by default,
// with their integrity checks on (lz4 block checksums too, when blockSum).
func compressWith(t testing.TB, c Compression, data []byte, blockSum bool) []byte {
	t.Helper()
	var out bytes.Buffer
	var w io.WriteCloser
	var err error
	switch c {
	case Gzip:
		w = gzip.NewWriter(&out)
	case Zstd:
		w, err = zstd.NewWriter(&out, zstd.WithEncoderCRC(true))
	case XZ:
		w, err = xz.NewWriter(&out)
	case LZ4:
		lw := lz4.NewWriter(&out)
		if err := lw.Apply(lz4.ChecksumOption(true), lz4.BlockChecksumOption(blockSum)); err != nil {
			t.Fatal(err)
		}
		w = lw
	default:
		return data
	}
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func flip(b []byte, at, n int) []byte {
	b = bytes.Clone(b)
	for i := range n {
		b[at+i] ^= 0x5a
	}
	return b
}

// toolRefuses reports whether the format's own command-line tool (gzip -t,
// zstd -t, xz -t, lz4 -t) refuses data; ok is false when it is not installed.
func toolRefuses(t *testing.T, c Compression, data []byte) (refuses, ok bool) {
	tool := map[Compression]string{Gzip: "gzip", Zstd: "zstd", XZ: "xz", LZ4: "lz4"}[c]
	if _, err := exec.LookPath(tool); err != nil {
		return false, false
	}
	p := filepath.Join(t.TempDir(), "in"+c.Ext())
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, "-t", "-q", p)
	return cmd.Run() != nil, true
}

// checkOutput fails when a file under out is not byte for byte the member
// of that name, or a temporary file is left; it returns the files found.
func checkOutput(t *testing.T, out string, members map[string][]byte) []string {
	t.Helper()
	var files []string
	for _, p := range tree(t, out) {
		if strings.HasSuffix(p, "/") {
			continue
		}
		if strings.Contains(p, ".tmp-") {
			t.Errorf("temporary file %s left behind", p)
			continue
		}
		files = append(files, p)
		want, ok := members[p]
		if !ok {
			t.Errorf("unexpected file %s", p)
			continue
		}
		if got := readFile(t, filepath.Join(out, p)); got != string(want) {
			t.Errorf("%s published with wrong bytes (%d bytes, want %d)", p, len(got), len(want))
		}
	}
	return files
}

// TestExtractIntegrity damages compressed tarballs the ways a disk, a
// network or a careless tool does, and checks that Extract fails naming the
// compressed stream, publishes no file with wrong bytes and leaves no
// temporary file, where the format's own tool (gzip -t ...) refuses too.
func TestExtractIntegrity(t *testing.T) {
	random := integrityMembers(6, 200_000, true)
	text := integrityMembers(6, 200_000, false)
	rawR, rawT := rawTar(t, random), rawTar(t, text)
	gz := compressWith(t, Gzip, rawR, false)
	zs := compressWith(t, Zstd, rawR, false)
	xzR := compressWith(t, XZ, rawR, false)
	lz := compressWith(t, LZ4, rawR, false)
	lzb := compressWith(t, LZ4, rawR, true)
	gzT := compressWith(t, Gzip, rawT, false)
	// Two gzip members: the first three files, then the rest and the end.
	split := 3*(512+200_000+(512-200_000%512)) + 512*0
	twoGz := append(compressWith(t, Gzip, rawR[:split], false), flip(compressWith(t, Gzip, rawR[split:], false), 20_000, 30)...)

	tests := []struct {
		name      string
		c         Compression
		data      []byte
		members   map[string][]byte
		truncated bool     // a cut stream, not damage
		keep      []string // files that must be published
	}{
		{"gzip 30 bytes flipped in stored deflate data", Gzip, flip(gz, len(gz)/2, 30), random, false, nil},
		{"gzip 30 bytes flipped in huffman-coded data", Gzip, flip(gzT, len(gzT)/2, 30), text, false, nil},
		{"gzip trailer crc32 wrong", Gzip, flip(gz, len(gz)-8, 1), random, false, nil},
		{"gzip trailer isize wrong", Gzip, flip(gz, len(gz)-4, 1), random, false, nil},
		{"gzip trailer missing", Gzip, gz[:len(gz)-8], random, true, nil},
		{"gzip cut in the middle", Gzip, gz[:len(gz)*6/10], random, true, []string{"set/m0.pcap", "set/m1.pcap", "set/m2.pcap"}},
		{"gzip garbage after the last member", Gzip, append(bytes.Clone(gz), "garbage"...), random, false, allNames(random)},
		{"gzip second member damaged", Gzip, twoGz, random, false, []string{"set/m0.pcap", "set/m1.pcap", "set/m2.pcap"}},
		{"zstd content checksum wrong", Zstd, flip(zs, len(zs)-2, 1), random, false, nil},
		{"zstd raw block bytes flipped", Zstd, flip(zs, len(zs)/2, 30), random, false, nil},
		{"xz bytes flipped", XZ, flip(xzR, len(xzR)/2, 30), random, false, nil},
		{"lz4 content checksum wrong", LZ4, flip(lz, len(lz)-2, 1), random, false, nil},
		{"lz4 block bytes flipped, no block checksums", LZ4, flip(lz, len(lz)/2, 30), random, false, nil},
		{"lz4 block bytes flipped, block checksums", LZ4, flip(lzb, len(lzb)/2, 30), random, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if refuses, ok := toolRefuses(t, tc.c, tc.data); ok && !refuses {
				t.Fatalf("%v -t accepts the fixture: it is not damaged", tc.c)
			}
			for _, dry := range []bool{false, true} {
				out := filepath.Join(t.TempDir(), "out")
				var discarded []string
				opts := &Options{DryRun: dry, OnMember: func(m *Member) {
					if m.Action == Discarded {
						discarded = append(discarded, m.Name)
						if _, ok := errors.AsType[*StreamError](m.Reason); !ok {
							t.Errorf("discarded %s with reason %v, want a *StreamError", m.Name, m.Reason)
						}
					}
				}}
				sum, err := Extract(context.Background(), bytes.NewReader(tc.data), out, opts)
				se, ok := errors.AsType[*StreamError](err)
				if !ok {
					t.Fatalf("dry run %v: error %v, want a *StreamError", dry, err)
				}
				if se.Compression != tc.c || se.Truncated() != tc.truncated {
					t.Errorf("dry run %v: %v stream error, truncated %v; want %v, %v", dry, se.Compression, se.Truncated(), tc.c, tc.truncated)
				}
				if !strings.Contains(err.Error(), tc.c.String()) {
					t.Errorf("error %q does not name %v", err, tc.c)
				}
				if dry {
					if files := tree(t, out); len(files) > 0 {
						t.Errorf("dry run wrote %q", files)
					}
					continue
				}
				files := checkOutput(t, out, tc.members)
				if _, err := os.Stat(out); len(files) == 0 && err == nil {
					t.Errorf("nothing kept, but the output folder is left: %q", tree(t, out))
				}
				for _, k := range tc.keep {
					if !strings.Contains(strings.Join(files, " "), k) {
						t.Errorf("%s, complete before the damage, not published (have %q)", k, files)
					}
				}
				if sum.Discarded != len(discarded) {
					t.Errorf("summary says %d discarded, OnMember saw %d", sum.Discarded, len(discarded))
				}
				if tc.truncated && sum.Discarded != 0 {
					t.Errorf("a cut stream discarded %q; complete members must stay", discarded)
				}
				if tc.truncated && sum.Unverified != sum.Extracted {
					t.Errorf("cut stream: %d unverified of %d extracted, want all", sum.Unverified, sum.Extracted)
				}
			}
		})
	}
}

func allNames(m map[string][]byte) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}

// TestExtractIntegrityClean checks that sound tarballs still extract
// whole, with zero padding after a gzip stream accepted as gzip does.
func TestExtractIntegrityClean(t *testing.T) {
	members := integrityMembers(6, 200_000, true)
	raw := rawTar(t, members)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"gzip", compressWith(t, Gzip, raw, false)},
		{"gzip zero padding after the member", append(compressWith(t, Gzip, raw, false), make([]byte, 10000)...)},
		{"gzip three members", append(append(compressWith(t, Gzip, raw[:100_000], false), compressWith(t, Gzip, raw[100_000:700_000], false)...), compressWith(t, Gzip, raw[700_000:], false)...)},
		{"zstd", compressWith(t, Zstd, raw, false)},
		{"xz", compressWith(t, XZ, raw, false)},
		{"lz4 block checksums", compressWith(t, LZ4, raw, true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			sum, err := Extract(context.Background(), bytes.NewReader(tc.data), out, nil)
			if err != nil {
				t.Fatal(err)
			}
			if files := checkOutput(t, out, members); len(files) != 6 || sum.Extracted != 6 || sum.Unverified != 0 {
				t.Errorf("extracted %d (%d unverified), files %q; want all 6 verified", sum.Extracted, sum.Unverified, files)
			}
		})
	}
}

// TestDiscardKeepsExistingFolders checks that removing the files of a
// damaged tarball removes only the folders this run made, and only when
// empty: an output folder and subfolders that were there stay, with their
// files.
func TestDiscardKeepsExistingFolders(t *testing.T) {
	members := integrityMembers(3, 100_000, true)
	gz := compressWith(t, Gzip, rawTar(t, members), false)
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "mine.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := Extract(context.Background(), bytes.NewReader(flip(gz, len(gz)-8, 1)), out, nil)
	if _, ok := errors.AsType[*StreamError](err); !ok || sum.Discarded != 3 {
		t.Fatalf("error %v, %d discarded; want a *StreamError and 3", err, sum.Discarded)
	}
	if got := tree(t, out); len(got) != 1 || got[0] != "mine.txt" {
		t.Errorf("output folder holds %q, want only mine.txt", got)
	}
}

// TestCancelKeepsUnverified cancels a gzip extraction in the middle: the
// files complete by then were waiting for the gzip check, which was never
// reached; nothing shows them wrong, so they are published and counted as
// Unverified, not removed.
func TestCancelKeepsUnverified(t *testing.T) {
	members := integrityMembers(4, 200_000, true)
	raw := rawTar(t, members)
	// A symbolic link after the second file: skipped, reported at once,
	// and the moment to cancel.
	var withLink bytes.Buffer
	split := 2 * (512 + 200_000 + 192)
	withLink.Write(raw[:split])
	tw := tar.NewWriter(&withLink)
	tw.WriteHeader(&tar.Header{Name: "link", Typeflag: tar.TypeSymlink, Linkname: "x", ModTime: testTime})
	tw.Flush()
	withLink.Write(raw[split:])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := filepath.Join(t.TempDir(), "out")
	opts := &Options{OnMember: func(m *Member) {
		if m.Action == Skipped {
			cancel()
		}
	}}
	sum, err := Extract(ctx, bytes.NewReader(compressWith(t, Gzip, withLink.Bytes(), false)), out, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	files := checkOutput(t, out, members)
	if len(files) < 2 || sum.Unverified != sum.Extracted || sum.Extracted != len(files) {
		t.Errorf("files %q, summary %+v; want the first two at least, all counted unverified", files, sum)
	}
}
