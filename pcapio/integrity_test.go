package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/wirekit/wirekit/pcapio"
)

// randomCapture is a pcap of n packets of random (incompressible) bytes:
// compressors store them, so flipped bytes decode silently into wrong
// packets and only the integrity check can tell.
func randomCapture(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	var pkts []pkt
	for i := range n {
		b := make([]byte, 1000)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		pkts = append(pkts, pkt{t0.Add(time.Duration(i) * time.Millisecond), string(b), len(b), 0})
	}
	return pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, pkts)
}

func compressAs(t *testing.T, kind string, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var w io.WriteCloser
	var err error
	switch kind {
	case "gzip":
		w = gzip.NewWriter(&out)
	case "zstd":
		w, err = zstd.NewWriter(&out, zstd.WithEncoderCRC(true))
	case "xz":
		w, err = xz.NewWriter(&out)
	case "lz4", "lz4 block checksums":
		lw := lz4.NewWriter(&out)
		err = lw.Apply(lz4.ChecksumOption(true), lz4.BlockChecksumOption(kind != "lz4"))
		w = lw
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

func flipAt(b []byte, at, n int) []byte {
	b = bytes.Clone(b)
	for i := range n {
		b[at+i] ^= 0x5a
	}
	return b
}

// TestCompressedIntegrity damages compressed captures (flipped bytes in
// the body, a wrong trailer checksum or length) and reads them to the end
// with Open, NewReader, NextHeader and Merge: every way must end with a
// *FormatError naming the file, never io.EOF as if the capture were whole.
func TestCompressedIntegrity(t *testing.T) {
	raw := randomCapture(300)
	type damage struct {
		name string
		kind string
		data []byte
	}
	var tests []damage
	for _, kind := range []string{"gzip", "zstd", "xz", "lz4", "lz4 block checksums"} {
		c := compressAs(t, kind, raw)
		tests = append(tests,
			damage{kind + " 30 bytes flipped in the middle", kind, flipAt(c, len(c)/2, 30)},
			damage{kind + " last byte flipped", kind, flipAt(c, len(c)-1, 1)},
		)
	}
	gz := compressAs(t, "gzip", raw)
	tests = append(tests,
		damage{"gzip crc32 flipped", "gzip", flipAt(gz, len(gz)-8, 1)},
		damage{"gzip isize flipped", "gzip", flipAt(gz, len(gz)-4, 1)},
		damage{"gzip second member bytes flipped", "gzip", append(compressAs(t, "gzip", raw[:100_000]), flipAt(compressAs(t, "gzip", raw[100_000:]), len(raw[100_000:])/3, 1)...)},
	)
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "damaged"+string(rune('a'+i))+".pcap.x")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			check := func(how string, err error) {
				t.Helper()
				var fe *pcapio.FormatError
				if !errors.As(err, &fe) {
					t.Errorf("%s: read to the end gave %v, want a *FormatError", how, err)
					return
				}
				if fe.File != path && fe.File != "stream" {
					t.Errorf("%s: error names %q, not the file", how, fe.File)
				}
			}
			walk := func(how string, next func(r *pcapio.Reader) error, open func() (*pcapio.Reader, error)) {
				r, err := open()
				if err != nil {
					check(how, err)
					return
				}
				defer r.Close()
				for {
					if err = next(r); err != nil {
						break
					}
				}
				check(how, err)
			}
			read := func(r *pcapio.Reader) error { _, _, err := r.ZeroCopyReadPacketData(); return err }
			header := func(r *pcapio.Reader) error { _, err := r.NextHeader(); return err }
			open := func() (*pcapio.Reader, error) { return pcapio.Open(path) }
			stream := func() (*pcapio.Reader, error) { return pcapio.NewReader(bytes.NewReader(tc.data), "stream") }
			walk("Open, packets", read, open)
			walk("Open, NextHeader", header, open)
			walk("NewReader, packets", read, stream)
			m, err := pcapio.Merge(path)
			if err != nil {
				check("Merge", err)
				return
			}
			defer m.Close()
			for err == nil {
				_, _, err = m.ZeroCopyReadPacketData()
			}
			check("Merge", err)
		})
	}
}
