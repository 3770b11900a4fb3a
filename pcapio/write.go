package pcapio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Writer writes packets to a capture file. WritePacket takes the arguments
// in gopacket pcapgo's order. Close flushes and closes what the Writer
// opened; after Close the Writer must not be used.
type Writer interface {
	WritePacket(ci gopacket.CaptureInfo, data []byte) error
	Close() error
}

// WriteOptions tunes a writer; a nil *WriteOptions means the defaults.
type WriteOptions struct {
	// Nanosecond writes nanosecond timestamps (the a1b23c4d magic for
	// pcap, if_tsresol 9 for pcapng) instead of microseconds.
	Nanosecond bool
}

// ErrLinkTypeMix is returned when a classic pcap writer, which holds one
// link type, is given a packet from an interface of another link type.
var ErrLinkTypeMix = errors.New("a pcap file holds one link type: write .pcapng to keep several")

// Create writes a capture file at path, choosing the format from the name:
// ".pcapng" (optionally followed by ".gz" or ".zst") is pcapng, anything
// else classic pcap; a trailing ".gz" compresses with gzip, ".zst" with
// zstd. "-" writes uncompressed pcap to standard output.
//
// ifaces describes the interfaces packets will name through
// CaptureInfo.InterfaceIndex; pcap uses the first one's link type and
// snaplen. The data goes to a temporary file in the same directory that
// Close renames to path, so an interrupted or failed write never leaves a
// partial file under the final name; Abort removes the temporary file.
func Create(path string, ifaces []Interface, opts *WriteOptions) (Writer, error) {
	if len(ifaces) == 0 {
		return nil, fmt.Errorf("create %s: no interface to describe the link type", path)
	}
	if path == "-" {
		return NewPcapWriter(nopCloser{os.Stdout}, ifaces[0].LinkType, ifaces[0].SnapLen, opts)
	}
	base := strings.ToLower(filepath.Base(path))
	comp := CompressNone
	switch {
	case strings.HasSuffix(base, ".gz"):
		comp, base = CompressGzip, strings.TrimSuffix(base, ".gz")
	case strings.HasSuffix(base, ".zst"):
		comp, base = CompressZstd, strings.TrimSuffix(base, ".zst")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	fw := &fileWriter{path: path, tmp: tmp}
	var out io.Writer = tmp
	switch comp {
	case CompressGzip:
		z, err := gzip.NewWriterLevel(tmp, gzip.DefaultCompression)
		if err != nil {
			fw.remove()
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		fw.comp, out = z, z
	case CompressZstd:
		z, err := zstd.NewWriter(tmp)
		if err != nil {
			fw.remove()
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		fw.comp, out = z, z
	}
	if strings.HasSuffix(base, ".pcapng") {
		fw.inner, err = NewPcapNGWriter(out, ifaces, opts)
	} else {
		fw.inner, err = NewPcapWriter(out, ifaces[0].LinkType, ifaces[0].SnapLen, opts)
	}
	if err != nil {
		fw.remove()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if ng, ok := fw.inner.(*PcapNGWriter); ok {
		fw.ng = ng
	}
	if p, ok := fw.inner.(*PcapWriter); ok {
		p.ifaces = append([]Interface(nil), ifaces...)
	}
	return fw, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// fileWriter is what Create returns: a format writer over an optional
// compressor over a temporary file.
type fileWriter struct {
	path  string
	tmp   *os.File
	comp  io.WriteCloser
	inner Writer
	ng    *PcapNGWriter
	err   error
}

// WritePacket writes one packet; the first error is kept and returned by
// Close, which then removes the temporary file.
func (w *fileWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if err := w.inner.WritePacket(ci, data); err != nil {
		w.err = fmt.Errorf("%s: %w", w.path, err)
		return w.err
	}
	return nil
}

// AddInterface declares a further interface (pcapng only; classic pcap
// accepts interfaces of the same link type and refuses others when a
// packet uses them).
func (w *fileWriter) AddInterface(ifc Interface) (int, error) {
	if w.ng != nil {
		return w.ng.AddInterface(ifc)
	}
	p := w.inner.(*PcapWriter)
	p.ifaces = append(p.ifaces, ifc)
	return len(p.ifaces) - 1, nil
}

// Close flushes everything, closes the file and renames it into place.
func (w *fileWriter) Close() error {
	if w.tmp == nil {
		return w.err
	}
	err := w.err
	if cerr := w.inner.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("%s: %w", w.path, cerr)
	}
	if w.comp != nil {
		if cerr := w.comp.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", w.path, cerr)
		}
	}
	if err != nil {
		w.remove()
		return err
	}
	// CreateTemp makes the file private; a capture gets the usual mode.
	if cerr := w.tmp.Chmod(0o644); cerr != nil && err == nil {
		err = fmt.Errorf("%s: %w", w.path, cerr)
	}
	if err != nil {
		w.remove()
		return err
	}
	if cerr := w.tmp.Close(); cerr != nil {
		w.remove()
		return fmt.Errorf("%s: %w", w.path, cerr)
	}
	if rerr := os.Rename(w.tmp.Name(), w.path); rerr != nil {
		w.remove()
		return fmt.Errorf("%s: %w", w.path, rerr)
	}
	w.tmp = nil
	return nil
}

// Abort discards the output: the temporary file is removed and nothing
// appears under the final name.
func (w *fileWriter) Abort() error {
	if w.tmp != nil {
		w.remove()
	}
	return nil
}

func (w *fileWriter) remove() {
	w.tmp.Close()
	os.Remove(w.tmp.Name())
	w.tmp = nil
}

// PcapWriter writes classic pcap (little-endian).
type PcapWriter struct {
	bw     *bufio.Writer
	c      io.Writer
	lt     layers.LinkType
	nano   bool
	hdr    [16]byte
	ifaces []Interface
}

// NewPcapWriter writes a pcap file header for linkType and snaplen (0 means
// 262144) to w and returns a writer of records. Close flushes and, when w
// is an io.Closer other than os.Stdout, does not close it: the caller owns w.
func NewPcapWriter(w io.Writer, linkType layers.LinkType, snaplen uint32, opts *WriteOptions) (*PcapWriter, error) {
	if snaplen == 0 {
		snaplen = defaultMaxSnap
	}
	p := &PcapWriter{bw: bufio.NewWriterSize(w, 256<<10), c: w, lt: linkType}
	magic := uint32(magicMicro)
	if opts != nil && opts.Nanosecond {
		magic, p.nano = magicNano, true
	}
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], snaplen)
	binary.LittleEndian.PutUint32(h[20:], uint32(linkType))
	if _, err := p.bw.Write(h[:]); err != nil {
		return nil, err
	}
	return p, nil
}

// WritePacket appends one record: ci.CaptureLength is taken from len(data)
// and ci.Length (the wire length) as given, or len(data) when 0. A packet
// from an interface of another link type is refused with ErrLinkTypeMix.
func (p *PcapWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if ci.InterfaceIndex > 0 && ci.InterfaceIndex < len(p.ifaces) && p.ifaces[ci.InterfaceIndex].LinkType != p.lt {
		return fmt.Errorf("packet of interface %d (link type %s): %w", ci.InterfaceIndex, p.ifaces[ci.InterfaceIndex].LinkType, ErrLinkTypeMix)
	}
	wire := ci.Length
	if wire == 0 {
		wire = len(data)
	}
	ts := ci.Timestamp
	frac := ts.Nanosecond()
	if !p.nano {
		frac /= 1000
	}
	binary.LittleEndian.PutUint32(p.hdr[0:], uint32(ts.Unix()))
	binary.LittleEndian.PutUint32(p.hdr[4:], uint32(frac))
	binary.LittleEndian.PutUint32(p.hdr[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(p.hdr[12:], uint32(wire))
	if _, err := p.bw.Write(p.hdr[:]); err != nil {
		return err
	}
	_, err := p.bw.Write(data)
	return err
}

// Flush writes buffered records to the underlying writer.
func (p *PcapWriter) Flush() error { return p.bw.Flush() }

// Close flushes the buffered records. It does not close the io.Writer given
// to NewPcapWriter.
func (p *PcapWriter) Close() error { return p.bw.Flush() }

// usecOf returns the timestamp in units of res since the epoch.
func unitsOf(ts time.Time, nano bool) uint64 {
	if nano {
		return uint64(ts.UnixNano())
	}
	return uint64(ts.UnixMicro())
}
