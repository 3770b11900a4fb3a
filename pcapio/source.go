package pcapio

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/compress"
)

// Source is a stream of captured packets: a capture file, a merge of many
// files, or (in package capture) a live interface.
//
// ReadPacketData returns a copy of the packet bytes that the caller owns.
// ZeroCopyReadPacketData returns bytes that stay valid only until the next
// call on the Source; it does not allocate per packet. Both return io.EOF at
// the clean end of the stream, and any other error wraps a *FormatError that
// names the file and byte offset where the damage is. Packets read before an
// error are valid.
//
// The files of this package return an error once: every call after it
// returns io.EOF, and so does every call after Close. A truncated file's
// error wraps io.ErrUnexpectedEOF (through ErrTruncated). Both make
// gopacket's PacketSource.Packets loop end instead of retrying for ever;
// since that loop drops the error, call the Reader's or Merged's Err after
// it, or read through Packets, which keeps it.
//
// CaptureInfo.InterfaceIndex indexes Interfaces(). A Source implements
// gopacket.PacketDataSource and gopacket.ZeroCopyPacketDataSource.
type Source interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	// LinkType is the link type of the first interface, the one a classic
	// pcap file has. Use Interfaces for pcapng files with several.
	LinkType() layers.LinkType
	// Interfaces returns the interfaces seen so far (a pcapng file may
	// declare more as it goes; a pcap file has exactly one). The slice is
	// owned by the Source and must not be modified.
	Interfaces() []Interface
	// Close releases the file and any decompressor.
	Close() error
}

// Interface describes one capture interface of a source: for a classic pcap
// file, the file header; for pcapng, one Interface Description Block.
type Interface struct {
	LinkType layers.LinkType
	SnapLen  uint32
	// Name and Description are the if_name and if_description options of
	// a pcapng IDB, empty when absent.
	Name        string
	Description string
	// Resolution is the timestamp unit of the interface (1µs for a
	// classic pcap file, 1ns for a nanosecond one, if_tsresol in pcapng).
	Resolution time.Duration
	// Section counts pcapng sections from 0; always 0 for pcap.
	Section int
}

// Format names a capture file format.
type Format int

// Capture file formats.
const (
	FormatPcap   Format = iota // classic libpcap format, any magic
	FormatPcapNG               // pcapng
)

func (f Format) String() string {
	switch f {
	case FormatPcap:
		return "pcap"
	case FormatPcapNG:
		return "pcapng"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Compression names a stream compression wrapped around a capture file;
// its String is "none", "gzip", "zstd", "lz4" or "xz".
type Compression = compress.Kind

// Compressions recognised from their magic bytes.
const (
	CompressNone = compress.None
	CompressGzip = compress.Gzip
	CompressZstd = compress.Zstd
	CompressLZ4  = compress.LZ4
	CompressXZ   = compress.XZ
)

// Errors a reader wraps in a *FormatError, for errors.Is.
var (
	// ErrTruncated: the file ends inside a header or a packet record. It
	// wraps io.ErrUnexpectedEOF, so errors.Is(err, io.ErrUnexpectedEOF)
	// holds for a truncated file too (gopacket's PacketSource takes that as
	// the end of the stream).
	ErrTruncated error = truncatedError{}
	// ErrBadMagic: the file is not a capture file wirekit knows.
	ErrBadMagic = errors.New("not a pcap or pcapng file")
	// ErrBadRecord: a record header or block is inconsistent (a length
	// beyond the maximum, a pcapng block whose trailing length differs).
	ErrBadRecord = errors.New("malformed record")
	// ErrUnsupported: a valid file using something wirekit does not
	// implement (an unknown pcap variant, for example).
	ErrUnsupported = errors.New("unsupported capture feature")
)

// truncatedError is ErrTruncated's type: its own message, and
// io.ErrUnexpectedEOF as its cause.
type truncatedError struct{}

func (truncatedError) Error() string { return "truncated capture file" }

func (truncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// FormatError reports damage in a capture file: which file, the byte offset
// in the uncompressed stream where the bad header or record starts, the index
// of the packet that could not be read (0-based: Packet packets were read
// before it), and the cause.
type FormatError struct {
	File   string
	Offset int64
	Packet int64
	Err    error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: offset %d (packet %d): %v", e.File, e.Offset, e.Packet+1, e.Err)
}

// Unwrap returns the cause, one of the Err sentinels or an I/O error.
func (e *FormatError) Unwrap() error { return e.Err }
