package pcapio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/wirekit/wirekit/internal/compress"
)

// Reader reads one capture file: classic pcap or pcapng, plain or
// compressed. It implements Source. A Reader is not safe for concurrent use.
type Reader struct {
	name   string
	closer []io.Closer
	format Format
	comp   Compression

	// The read buffer: buf[head:tail] is read from src and not consumed.
	src        io.Reader
	buf        []byte
	head, tail int
	srcErr     error // what src returned last, once it returned an error

	off     int64 // bytes consumed from the uncompressed stream
	packets int64 // packets delivered
	recOff  int64 // where the last packet's record starts, -1 before one
	err     error // returned by every later read: io.EOF once the stream ended
	damage  error // the error that ended the stream, for Err; nil at a clean end

	ifaces  []Interface
	scratch []byte // holds records that do not fit the buffer

	in       *countingReader // the file's own bytes, under any decompressor
	file     File            // the file, when uncompressed and seekable
	fileSize int64           // its size, for seeks past the end
	seekMin  int64           // NextHeader seeks over skips this long

	pcap pcapState
	ng   ngState
}

// Compile-time checks that Reader is a wirekit and gopacket source.
var (
	_ Source                            = (*Reader)(nil)
	_ gopacket.PacketDataSource         = (*Reader)(nil)
	_ gopacket.ZeroCopyPacketDataSource = (*Reader)(nil)
)

// bufSize is the read buffer: records that fit are returned from it
// without a copy. It holds a record of libpcap's usual maximum size
// (262144 bytes) with room to spare.
const bufSize = 512 << 10

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

// File is what OpenFile reads: *os.File, or an object in a bucket
// (blobio.Reader). Stat's size and Seek let NextHeader seek over long
// records of an uncompressed capture instead of reading them.
type File interface {
	io.Reader
	io.Seeker
	io.Closer
	Stat() (fs.FileInfo, error)
}

// OpenFile reads the capture in f, as Open does a path; name is used in
// errors. Close closes f, also when OpenFile fails.
func OpenFile(f File, name string) (*Reader, error) {
	r, err := newReader(f, name, f)
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
	rd := &Reader{name: name, in: &countingReader{r: r}, seekMin: DefaultSeekThreshold, recOff: -1}
	if c != nil {
		rd.closer = append(rd.closer, c)
	}
	var magic [compress.MagicLen]byte
	n, err := io.ReadFull(rd.in, magic[:])
	if n == 0 {
		if err == io.EOF {
			err = fmt.Errorf("empty file: %w", ErrTruncated)
		}
		return nil, rd.formatErr(0, err)
	}
	src := io.MultiReader(bytes.NewReader(magic[:n]), rd.in)
	var dec io.Reader
	rd.comp = compress.Detect(magic[:n])
	switch rd.comp {
	case CompressGzip:
		z, err := gzip.NewReader(src)
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("gzip: %w", streamErr(err)))
		}
		rd.closer = append(rd.closer, z)
		dec = z
	case CompressZstd:
		// One goroutine and a bounded window: a capture is read as a
		// stream, and a merge may hold many readers open at once.
		z, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("zstd: %w", err))
		}
		rd.closer = append(rd.closer, closerFunc(func() error { z.Close(); return nil }))
		dec = z
	case CompressLZ4:
		dec = lz4.NewReader(src)
	case CompressXZ:
		z, err := xz.NewReader(src)
		if err != nil {
			return nil, rd.formatErr(0, fmt.Errorf("xz: %w", streamErr(err)))
		}
		dec = z
	default:
		dec = src
		if f, ok := c.(File); ok {
			rd.file, rd.fileSize = plainFile(f)
		}
	}
	rd.src = dec
	rd.buf = make([]byte, bufSize)
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
	m, have, _, err := r.peekHeader(4)
	if err != nil {
		if err == ErrTruncated && !r.magicPrefix(have) {
			err = ErrBadMagic
		}
		return r.formatErr(0, fmt.Errorf("file header (%d of 4 bytes): %w", have, err))
	}
	if binary.LittleEndian.Uint32(m) == blockSHB {
		r.format = FormatPcapNG
		return r.ngStart()
	}
	r.format = FormatPcap
	return r.pcapStart()
}

// magicPrefix reports whether the first n buffered bytes could be the start
// of a pcap or pcapng magic number.
func (r *Reader) magicPrefix(n int) bool {
	b := r.buf[r.head:min(r.tail, r.head+n)]
	for _, m := range []uint32{blockSHB, magicMicro, magicNano, magicModified} {
		var le, be [4]byte
		binary.LittleEndian.PutUint32(le[:], m)
		binary.BigEndian.PutUint32(be[:], m)
		if bytes.HasPrefix(le[:], b) || bytes.HasPrefix(be[:], b) {
			return true
		}
	}
	return false
}

// Format reports whether the file is pcap or pcapng.
func (r *Reader) Format() Format { return r.format }

// Compression reports the compression found around the capture.
func (r *Reader) Compression() Compression { return r.comp }

// Offset returns how many bytes of the uncompressed capture have been
// consumed: after an error, where the damaged header or record starts.
func (r *Reader) Offset() int64 { return r.off }

// RecordOffset returns where the record of the packet last returned (by
// ZeroCopyReadPacketData, ReadPacketData or NextHeader) starts in the
// uncompressed capture: the pcap record header, or the pcapng block
// (Enhanced, Simple or obsolete Packet Block). It is -1 before the first
// packet. With the file's name it identifies the packet for good: a
// packet index stores it, and reading the file again finds the packet
// whose RecordOffset is the same.
func (r *Reader) RecordOffset() int64 { return r.recOff }

// ByteOrder returns the byte order the file was written in: the pcap
// header's, or the current pcapng section's. Link types whose headers are
// in host order (NULL's address family) need it to be read right.
func (r *Reader) ByteOrder() binary.ByteOrder {
	if r.format == FormatPcapNG {
		return r.ng.order
	}
	return r.pcap.order
}

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
// until the next call on r. At the clean end it returns io.EOF. On damage
// it returns a *FormatError once (wrapping ErrTruncated, and so
// io.ErrUnexpectedEOF, when the file is cut short; ErrBadRecord, a
// decompressor's error or an I/O error otherwise), and io.EOF on every
// later call, so that a loop that retries errors, as gopacket's
// PacketSource does, still ends; Err keeps the error. After Close it
// returns io.EOF.
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
		r.end(err)
		return nil, ci, err
	}
	r.packets++
	return data, ci, nil
}

// end records the error that ended the stream: later reads return io.EOF.
func (r *Reader) end(err error) {
	r.err = io.EOF
	if err != io.EOF {
		r.damage = err
	}
}

// Err returns the error that ended the stream: nil while reading, after
// the clean end and after a Close with no error before it; otherwise the
// *FormatError (or I/O error) that a read returned once. It is how a
// caller of gopacket's PacketSource.Packets, which drops errors, learns
// whether the file ended cleanly.
func (r *Reader) Err() error { return r.damage }

// Close releases the decompressor and the file opened by Open.
func (r *Reader) Close() error {
	var first error
	for i := len(r.closer) - 1; i >= 0; i-- {
		if err := r.closer[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	r.closer = nil
	r.err = io.EOF
	return first
}

// formatErr wraps err with the file name, offset and packet count.
func (r *Reader) formatErr(off int64, err error) error {
	return &FormatError{File: r.name, Offset: off, Packet: r.packets, Err: err}
}

// streamErr turns what a read of the decompressed stream returned when it
// ended early into the cause a FormatError carries: a plain end of input is
// ErrTruncated, and so is a compressed stream cut short (io.ErrUnexpectedEOF
// from the decompressor); a corrupt compressed stream keeps its own error.
func streamErr(err error) error {
	switch err {
	case nil, io.EOF, io.ErrUnexpectedEOF:
		return ErrTruncated
	}
	return err
}

// fill reads from src until n bytes (n <= len(buf)) are buffered or src
// fails; it moves the unread bytes to the front of the buffer first when
// there is no room for n after them.
func (r *Reader) fill(n int) error {
	if len(r.buf)-r.head < n {
		r.tail = copy(r.buf, r.buf[r.head:r.tail])
		r.head = 0
	}
	for empty := 0; r.tail-r.head < n; {
		if r.srcErr != nil {
			return r.srcErr
		}
		m, err := r.src.Read(r.buf[r.tail:])
		r.tail += m
		if err != nil {
			r.srcErr = err
		} else if m == 0 {
			if empty++; empty == 100 {
				r.srcErr = io.ErrNoProgress
			}
		}
	}
	return nil
}

// peekHeader returns the next n bytes (n <= len(buf)) without consuming
// them. have says how many were there when the stream ended first; clean
// reports an end of input exactly here (nothing left at all, and no
// decompressor complaining).
func (r *Reader) peekHeader(n int) (b []byte, have int, clean bool, err error) {
	if r.tail-r.head < n {
		if err := r.fill(n); err != nil {
			have = r.tail - r.head
			if have == 0 && err == io.EOF {
				return nil, 0, true, nil
			}
			return nil, have, false, streamErr(err)
		}
	}
	return r.buf[r.head : r.head+n], n, false, nil
}

// readRecord returns the next n bytes and consumes n+discard. When they fit
// the buffer the bytes come from it without a copy; otherwise they are read
// into a scratch buffer that grows no faster than data arrives, so a damaged
// length field in a short file cannot make the reader allocate much more
// than the file holds. have counts the bytes that were there if the stream
// ended first.
func (r *Reader) readRecord(n, discard int) (b []byte, have int, err error) {
	total := n + discard
	if r.tail-r.head >= total {
		b = r.buf[r.head : r.head+n]
		r.head += total
		r.off += int64(total)
		return b, total, nil
	}
	if total <= len(r.buf) {
		if err := r.fill(total); err != nil {
			return nil, r.tail - r.head, streamErr(err)
		}
		b = r.buf[r.head : r.head+n]
		r.head += total
		r.off += int64(total)
		return b, total, nil
	}
	b = r.scratch[:0]
	for len(b) < n {
		if len(b) == cap(b) {
			b = slices.Grow(b, min(n-len(b), max(len(b), 64<<10)))
		}
		m, err := r.readSome(b[len(b):min(n, cap(b))])
		b = b[:len(b)+m]
		if err != nil {
			r.scratch = b[:0]
			return nil, len(b), streamErr(err)
		}
	}
	r.scratch = b[:0]
	for left := discard; left > 0; {
		m, err := r.readSome(r.buf[:min(left, len(r.buf))])
		left -= m
		if err != nil {
			return nil, total - left, streamErr(err)
		}
	}
	r.off += int64(total)
	return b, total, nil
}

// readSome fills p from the buffer and then from src, returning an error
// only when p could not be filled.
func (r *Reader) readSome(p []byte) (int, error) {
	n := copy(p, r.buf[r.head:r.tail])
	r.head += n
	if n == len(p) {
		return n, nil
	}
	r.head, r.tail = 0, 0
	if r.srcErr != nil {
		return n, r.srcErr
	}
	m, err := io.ReadFull(r.src, p[n:])
	if err != nil {
		r.srcErr = err
	}
	return n + m, err
}
