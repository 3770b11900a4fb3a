package tarx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
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

// StreamError is a failure of the decompressor under a compressed tarball:
// its data failed an integrity check (gzip CRC-32 or length, zstd content
// checksum, lz4 block or frame checksum, xz check), could not be decoded,
// or ended early (Err wraps io.ErrUnexpectedEOF then).
type StreamError struct {
	Compression Compression // the tarball's compression
	InputOffset int64       // bytes of the compressed input consumed when the decompressor failed
	Err         error       // what the decompressor returned
}

// Error says which stream failed, how far into the compressed input, and
// why.
func (e *StreamError) Error() string {
	if errors.Is(e.Err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("%v stream cut short after %d bytes of compressed input: %v", e.Compression, e.InputOffset, e.Err)
	}
	return fmt.Sprintf("%v stream damaged (failed near compressed offset %d): %v", e.Compression, e.InputOffset, e.Err)
}

// Unwrap returns the decompressor's error.
func (e *StreamError) Unwrap() error { return e.Err }

// Truncated reports whether the stream only ended early (nothing shows
// that the data before the cut is wrong), as opposed to damaged data.
func (e *StreamError) Truncated() bool { return errors.Is(e.Err, io.ErrUnexpectedEOF) }

// NewReader peeks at the first bytes of r, detects its compression and
// returns a reader of the decompressed stream with the compression found.
// A compressed stream is decompressed ahead in another goroutine, so that
// decompression overlaps with whatever the caller does with the data.
//
// Read returns the data in order and then the decompressor's verdict: io.EOF
// only once every integrity check of the stream has passed (gzip CRC-32 and
// length of every member, zstd content checksums, lz4 block and frame
// checksums when the frame has them, xz checks), otherwise a *StreamError.
// Data returned before that is tentative: a caller that stops reading
// before io.EOF has verified nothing. Bytes after the last gzip member must
// be zeros (padding); anything else is a *StreamError.
//
// Close stops the decompressor and releases its goroutines and memory; it
// does not close r. Errors from NewReader itself name the header that could
// not be read.
func NewReader(r io.Reader) (io.ReadCloser, Compression, error) {
	s, err := newStream(r)
	if err != nil {
		return nil, s.kind, err
	}
	return s, s.kind, nil
}

// inputCounter counts the compressed bytes read from the input.
type inputCounter struct {
	r io.Reader
	n int64
}

func (c *inputCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// checked is a decompressor that says how many of the bytes it returned
// have passed an integrity check.
type checked interface {
	io.Reader
	verified() int64
}

// endChecked is a decompressor whose check covers the whole stream (zstd,
// xz, lz4): its data is verified when it returns io.EOF.
type endChecked struct {
	r   io.Reader
	n   int64
	eof bool
}

func (c *endChecked) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

func (c *endChecked) verified() int64 {
	if c.eof {
		return c.n
	}
	return 0
}

// gzipMembers reads a gzip stream member by member, so that the data of
// each member counts as verified as soon as its trailer (CRC-32 and length)
// has been checked. Zero bytes after the last member are padding.
type gzipMembers struct {
	z    *gzip.Reader
	br   *bufio.Reader
	n    int64 // bytes returned
	ok   int64 // bytes returned whose member's trailer was checked
	done bool
}

func (g *gzipMembers) verified() int64 { return g.ok }

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		if g.done {
			return 0, io.EOF
		}
		n, err := g.z.Read(p)
		g.n += int64(n)
		if err != io.EOF {
			return n, err
		}
		g.ok = g.n
		if err := g.next(); err != nil {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

// next starts the following member, or marks the end when nothing but
// zeros is left.
func (g *gzipMembers) next() error {
	for {
		b, err := g.br.Peek(1)
		if err == io.EOF {
			g.done = true
			return nil
		}
		if err != nil {
			return err
		}
		if b[0] == 0 {
			// Padding: zeros up to the end.
			buf, _ := g.br.Peek(g.br.Buffered())
			if i := bytes.IndexFunc(buf, func(r rune) bool { return r != 0 }); i >= 0 {
				g.br.Discard(i)
				return errors.New("gzip: non-zero bytes in the padding after the last member")
			}
			g.br.Discard(len(buf))
			continue
		}
		if m, _ := g.br.Peek(2); !bytes.HasPrefix([]byte{0x1f, 0x8b}, m) {
			return fmt.Errorf("bytes after a complete member are not a gzip member: %w", gzip.ErrHeader)
		}
		if err := g.z.Reset(g.br); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		g.z.Multistream(false)
		return nil
	}
}

// chunk is a block of decompressed data handed from the decompressing
// goroutine to the reader: b, then err (nil, io.EOF or a *StreamError);
// verified is the stream offset up to which the checks have passed.
type chunk struct {
	b        []byte
	verified int64
	err      error
}

// stream is the decompressed tarball: a goroutine decompresses ahead into a
// few buffers, and Read hands out their bytes, then the verdict.
type stream struct {
	kind   Compression
	ch     chan chunk
	free   chan []byte
	quit   chan struct{}
	wg     sync.WaitGroup
	closer func()

	direct io.Reader // a plain tar: read in the caller's goroutine, nothing to check

	cur []byte // the part of the current chunk not yet read
	buf []byte // the current chunk's buffer, returned to free when read
	n   int64  // bytes returned by Read
	ok  int64  // bytes known to have passed their check
	err error  // the verdict, once reached
}

const (
	chunkSize   = 256 << 10
	chunksAhead = 4
)

func newStream(r io.Reader) (*stream, error) {
	in := &inputCounter{r: r}
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(compress.MagicLen)
	if err != nil && err != io.EOF {
		return &stream{}, fmt.Errorf("reading the first bytes: %w", err)
	}
	s := &stream{kind: Detect(head), closer: func() {}}
	var dec checked
	switch s.kind {
	case Gzip:
		z, err := gzip.NewReader(br)
		if err != nil {
			return s, fmt.Errorf("gzip header: %w", err)
		}
		z.Multistream(false)
		dec = &gzipMembers{z: z, br: br}
	case Zstd:
		z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(min(2, runtime.GOMAXPROCS(0))), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return s, fmt.Errorf("zstd header: %w", err)
		}
		s.closer = z.Close
		dec = &endChecked{r: z}
	case XZ:
		z, err := xz.NewReader(br)
		if err != nil {
			return s, fmt.Errorf("xz header: %w", err)
		}
		dec = &endChecked{r: z}
	case LZ4:
		dec = &endChecked{r: lz4.NewReader(br)}
	default:
		s.direct = br
		return s, nil
	}
	s.ch = make(chan chunk, chunksAhead)
	s.free = make(chan []byte, chunksAhead+1)
	s.quit = make(chan struct{})
	for range chunksAhead + 1 {
		s.free <- make([]byte, chunkSize)
	}
	s.wg.Add(1)
	go s.produce(dec, func() int64 { return in.n - int64(br.Buffered()) })
	return s, nil
}

// produce decompresses into free buffers until the end or an error.
func (s *stream) produce(dec checked, consumed func() int64) {
	defer s.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-s.free:
		case <-s.quit:
			return
		}
		n, err := io.ReadFull(dec, buf)
		if err == io.ErrUnexpectedEOF && n > 0 {
			err = nil // a short last chunk; the next read says how it ended
		}
		if err != nil && err != io.EOF {
			err = &StreamError{Compression: s.kind, InputOffset: consumed(), Err: err}
		}
		select {
		case s.ch <- chunk{b: buf[:n], verified: dec.verified(), err: err}:
		case <-s.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read returns decompressed bytes; see NewReader.
func (s *stream) Read(p []byte) (int, error) {
	if s.direct != nil {
		n, err := s.direct.Read(p)
		s.n += int64(n)
		s.ok = s.n
		return n, err
	}
	for len(s.cur) == 0 {
		if s.buf != nil {
			s.free <- s.buf[:cap(s.buf)]
			s.buf = nil
		}
		if s.err != nil {
			return 0, s.err
		}
		c, ok := <-s.ch
		if !ok {
			return 0, errors.New("tarx: read after Close")
		}
		s.buf, s.cur, s.err = c.b, c.b, c.err
		s.ok = max(s.ok, c.verified)
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	s.n += int64(n)
	return n, nil
}

// verified returns the stream offset up to which the data has passed its
// integrity check (everything, without compression).
func (s *stream) verified() int64 { return s.ok }

// Close stops the decompressing goroutine and releases the decompressor.
func (s *stream) Close() error {
	if s.quit != nil {
		close(s.quit)
		s.wg.Wait()
		s.quit = nil
		s.closer()
	}
	return nil
}
