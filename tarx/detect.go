package tarx

import (
	"bufio"
	"fmt"
	"io"
	"runtime"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/wirekit/wirekit/internal/compress"
)

// Compression is a compression format of a tarball or of extracted files;
// its String is "none", "gzip", "zstd", "lz4" or "xz", its Ext the file
// name suffix (".gz"...).
type Compression = compress.Kind

// The compression formats tarx reads (all) and writes (None, Gzip, Zstd).
const (
	None = compress.None // no compression
	Gzip = compress.Gzip // gzip (RFC 1952), possibly multi-member
	Zstd = compress.Zstd // Zstandard frames
	XZ   = compress.XZ   // xz container
	LZ4  = compress.LZ4  // LZ4 frame format
)

// Detect returns the compression whose magic bytes begin head, or None.
// Six bytes are enough to tell every format apart.
func Detect(head []byte) Compression { return compress.Detect(head) }

// NewReader peeks at the first bytes of r, detects its compression and
// returns a reader of the decompressed stream with the compression found.
// Close releases the decompressor's goroutines and memory; it does not
// close r. Gzip is decompressed with read-ahead in another goroutine, zstd
// with two goroutines, so decompression overlaps with writing.
func NewReader(r io.Reader) (io.ReadCloser, Compression, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(compress.MagicLen)
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
