package tarx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// Compression is a compression format of a tarball or of extracted files.
type Compression int

// The compression formats tarx reads (all) and writes (None, Gzip, Zstd).
const (
	None Compression = iota // no compression
	Gzip                    // gzip (RFC 1952), possibly multi-member
	Zstd                    // Zstandard frames
	XZ                      // xz container
	LZ4                     // LZ4 frame format
)

// String returns the format's usual name: "none", "gzip", "zstd", "xz", "lz4".
func (c Compression) String() string {
	switch c {
	case None:
		return "none"
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	case XZ:
		return "xz"
	case LZ4:
		return "lz4"
	}
	return fmt.Sprintf("Compression(%d)", int(c))
}

// Ext returns the file name suffix for the format (".gz", ".zst", ".xz",
// ".lz4"), or "" for None.
func (c Compression) Ext() string {
	switch c {
	case Gzip:
		return ".gz"
	case Zstd:
		return ".zst"
	case XZ:
		return ".xz"
	case LZ4:
		return ".lz4"
	}
	return ""
}

var magics = []struct {
	c     Compression
	magic []byte
}{
	{Gzip, []byte{0x1f, 0x8b}},
	{Zstd, []byte{0x28, 0xb5, 0x2f, 0xfd}},
	{XZ, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
	{LZ4, []byte{0x04, 0x22, 0x4d, 0x18}},
}

// Detect returns the compression whose magic bytes begin head, or None.
// Six bytes are enough to tell every format apart.
func Detect(head []byte) Compression {
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.c
		}
	}
	return None
}

// NewReader peeks at the first bytes of r, detects its compression and
// returns a reader of the decompressed stream with the compression found.
// Close releases the decompressor's goroutines and memory; it does not
// close r. Gzip is decompressed with read-ahead in another goroutine, zstd
// with two goroutines, so decompression overlaps with writing.
func NewReader(r io.Reader) (io.ReadCloser, Compression, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(6)
	if err != nil && err != io.EOF {
		return nil, None, fmt.Errorf("reading the first bytes: %w", err)
	}
	c := Detect(head)
	switch c {
	case Gzip:
		z, err := pgzip.NewReaderN(br, 1<<20, 4)
		if err != nil {
			return nil, c, fmt.Errorf("gzip header: %w", err)
		}
		return z, c, nil
	case Zstd:
		z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(min(2, runtime.GOMAXPROCS(0))), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, c, fmt.Errorf("zstd header: %w", err)
		}
		return zstdCloser{z}, c, nil
	case XZ:
		z, err := xz.NewReader(br)
		if err != nil {
			return nil, c, fmt.Errorf("xz header: %w", err)
		}
		return io.NopCloser(z), c, nil
	case LZ4:
		return io.NopCloser(lz4.NewReader(br)), c, nil
	}
	return io.NopCloser(br), c, nil
}

// zstdCloser adapts zstd.Decoder's Close, which returns nothing.
type zstdCloser struct{ *zstd.Decoder }

func (z zstdCloser) Close() error { z.Decoder.Close(); return nil }
