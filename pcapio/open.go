package pcapio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// Reader reads one capture file: classic pcap or pcapng, plain or
// compressed. It implements Source. A Reader is not safe for concurrent use.
type Reader struct {
	name   string
	closer []io.Closer
	br     *bufio.Reader
	format Format
	comp   Compression

	off     int64 // bytes consumed from the uncompressed stream
	packets int64 // packets delivered
	err     error // sticky error, io.EOF at the clean end

	ifaces  []Interface
	scratch []byte // holds records that do not fit the buffer
	big     bool   // the current record is in scratch, already consumed from br

	pcap pcapState
	ng   ngState
}

// Compile-time checks that Reader is a wirekit and gopacket source.
var (
	_ Source                            = (*Reader)(nil)
	_ gopacket.PacketDataSource         = (*Reader)(nil)
	_ gopacket.ZeroCopyPacketDataSource = (*Reader)(nil)
)

// bufSize is the read buffer: records that fit are returned without a copy.
const bufSize = 1 << 20

// maxRecord bounds the memory one record or block may make the reader
// allocate, whatever a damaged length field says.
const maxRecord = 64 << 20

// Open opens the capture file at path ("-" reads standard input) and reads
// its header. The compression (gzip, zstd, lz4, xz or none) and the format
// (pcap or pcapng) are found from the first bytes, not from the name.
// Errors name the file; a file that is not a capture wraps ErrBadMagic.
func Open(path string) (*Reader, error) {
	if path == "-" {
		return NewReader(os.Stdin, "stdin")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := newReader(f, path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a capture from any stream; name is used in errors. Close
// releases the decompressor but does not close r.
func NewReader(r io.Reader, name string) (*Reader, error) {
	return newReader(r, name, nil)
}

func newReader(r io.Reader, name string, c io.Closer) (*Reader, error) {
	rd := &Reader{name: name}
	if c != nil {
		rd.closer = append(rd.closer, c)
	}
	raw := bufio.NewReaderSize(r, 64<<10)
	magic, err := raw.Peek(6)
	if err != nil && len(magic) == 0 {
		return nil, rd.formatErr(0, fmt.Errorf("empty file: %w", ErrTruncated))
	}
	var dec io.Reader = raw
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		rd.comp = CompressGzip
		z, err := gzip.NewReader(raw)
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("gzip: %w", err))
		}
		rd.closer = append(rd.closer, z)
		dec = z
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		rd.comp = CompressZstd
		z, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("zstd: %w", err))
		}
		rd.closer = append(rd.closer, closerFunc(func() error { z.Close(); return nil }))
		dec = z
	case bytes.HasPrefix(magic, []byte{0x04, 0x22, 0x4d, 0x18}):
		rd.comp = CompressLZ4
		dec = lz4.NewReader(raw)
	case bytes.Equal(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		rd.comp = CompressXZ
		z, err := xz.NewReader(raw)
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("xz: %w", err))
		}
		dec = z
	}
	if rd.comp == CompressNone {
		rd.br = bufio.NewReaderSize(raw, bufSize)
	} else {
		rd.br = bufio.NewReaderSize(dec, bufSize)
	}
	if err := rd.readFileHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// readFileHeader recognises the format and reads its first header.
func (r *Reader) readFileHeader() error {
	m, err := r.br.Peek(4)
	if len(m) < 4 {
		if err == nil || err == io.EOF {
			err = ErrTruncated
		}
		return r.formatErr(0, fmt.Errorf("file header: %w", r.decompErr(err)))
	}
	switch {
	case bytes.Equal(m, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		r.format = FormatPcapNG
		return r.ngStart()
	default:
		r.format = FormatPcap
		return r.pcapStart()
	}
}

// Format reports whether the file is pcap or pcapng.
func (r *Reader) Format() Format { return r.format }

// Compression reports the compression found around the capture.
func (r *Reader) Compression() Compression { return r.comp }

// Offset returns how many bytes of the uncompressed capture have been
// consumed: after an error, where the damaged header or record starts.
func (r *Reader) Offset() int64 { return r.off }

// Name returns the file name given to Open or NewReader.
func (r *Reader) Name() string { return r.name }

// LinkType returns the link type of the first interface.
func (r *Reader) LinkType() layers.LinkType {
	if len(r.ifaces) == 0 {
		return layers.LinkTypeNull
	}
	return r.ifaces[0].LinkType
}

// Interfaces returns the interfaces read so far.
func (r *Reader) Interfaces() []Interface { return r.ifaces }

// ReadPacketData returns the next packet in a new slice the caller owns.
func (r *Reader) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := r.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// ZeroCopyReadPacketData returns the next packet. The bytes are valid only
// until the next call on r. At the clean end it returns io.EOF; on damage a
// *FormatError, and the same error on every later call.
func (r *Reader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if r.err != nil {
		return nil, gopacket.CaptureInfo{}, r.err
	}
	var (
		data []byte
		ci   gopacket.CaptureInfo
		err  error
	)
	if r.format == FormatPcapNG {
		data, ci, err = r.ngNext()
	} else {
		data, ci, err = r.pcapNext()
	}
	if err != nil {
		r.err = err
		return nil, ci, err
	}
	r.packets++
	return data, ci, nil
}

// Close releases the decompressor and the file opened by Open.
func (r *Reader) Close() error {
	var first error
	for i := len(r.closer) - 1; i >= 0; i-- {
		if err := r.closer[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	r.closer = nil
	if r.err == nil {
		r.err = errors.New("pcapio: reader closed")
	}
	return first
}

// formatErr wraps err with the file name, offset and packet count.
func (r *Reader) formatErr(off int64, err error) error {
	return &FormatError{File: r.name, Offset: off, Packet: r.packets, Err: err}
}

// decompErr keeps a decompressor's error visible: a short read caused by a
// corrupt compressed stream is reported as that, not as truncation.
func (r *Reader) decompErr(err error) error {
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return ErrTruncated
	}
	return err
}

// peekRecord returns the next n bytes, zero-copy when they fit the buffer.
// It returns ErrTruncated when the stream ends first; have says how many
// bytes were available.
func (r *Reader) peekRecord(n int) ([]byte, int, error) {
	if n <= r.br.Size() {
		b, err := r.br.Peek(n)
		if len(b) < n {
			if err == nil || err == io.EOF || err == bufio.ErrBufferFull {
				err = ErrTruncated
			}
			return nil, len(b), r.decompErr(err)
		}
		return b, n, nil
	}
	if cap(r.scratch) < n {
		r.scratch = make([]byte, n)
	}
	b := r.scratch[:n]
	got, err := io.ReadFull(r.br, b)
	if err != nil {
		return nil, got, r.decompErr(err)
	}
	r.big = true
	return b, n, nil
}

// consume advances past a record returned by peekRecord.
func (r *Reader) consume(n int) {
	if r.big {
		r.big = false
	} else {
		r.br.Discard(n)
	}
	r.off += int64(n)
}

// errEOF is the clean end of a capture.
var errEOF = io.EOF
