package pcapio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/wirekit/wirekit/internal/safefile"
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

// ErrCompressionSuffix is returned by Create for a name ending in a
// compression wirekit reads neither writes (.bz2, .lzma, .zip, ...), so
// that the file is not written uncompressed under a misleading name.
var ErrCompressionSuffix = errors.New("wirekit cannot write this compression: use .gz, .zst, .xz or .lz4, or no suffix")

// FileWriter is the Writer that Create returns: a pcap or pcapng writer,
// over an optional compressor, over an output opened by internal/safefile
// (a temporary file renamed into place by Close, or a device, FIFO or
// descriptor written in place).
type FileWriter struct {
	path  string
	out   Output // nil for "-" and once closed or aborted
	comp  io.WriteCloser
	inner interface {
		Writer
		AddInterface(Interface) (int, error)
	}
	err    error
	closed bool
}

var _ Writer = (*FileWriter)(nil)

// unwritable are compression suffixes Create refuses.
var unwritable = []string{".bz2", ".bzip2", ".lzma", ".lz", ".lzo", ".zip", ".7z", ".br", ".z", ".sz", ".lzfse"}

// SplitCompression splits a file name into what comes before its
// compression suffix and the compression that suffix asks for (".gz"
// gzip, ".zst" zstd, ".xz" xz, ".lz4" lz4, case-insensitive; none
// otherwise). A suffix naming a compression wirekit cannot write (.bz2,
// .lzma, .zip, ...) gives ErrCompressionSuffix.
func SplitCompression(name string) (string, Compression, error) {
	lower := strings.ToLower(name)
	for _, k := range []Compression{CompressGzip, CompressZstd, CompressXZ, CompressLZ4} {
		if strings.HasSuffix(lower, k.Ext()) {
			return name[:len(name)-len(k.Ext())], k, nil
		}
	}
	for _, suf := range unwritable {
		if strings.HasSuffix(lower, suf) {
			return name, CompressNone, fmt.Errorf("%q: %w", name[len(name)-len(suf):], ErrCompressionSuffix)
		}
	}
	return name, CompressNone, nil
}

// NameFormat returns the format Create writes for name: FormatPcapNG for a
// name ending in ".pcapng" (any case), optionally followed by a compression suffix,
// FormatPcap for any other.
func NameFormat(name string) Format {
	base, _, err := SplitCompression(name)
	if err != nil {
		base = name
	}
	if strings.HasSuffix(strings.ToLower(base), ".pcapng") {
		return FormatPcapNG
	}
	return FormatPcap
}

// Create writes a capture file at path, choosing the format from the name:
// ".pcapng" (optionally followed by a compression suffix) is pcapng,
// anything else classic pcap; a trailing ".gz" compresses with gzip,
// ".zst" with zstd, ".xz" with xz, ".lz4" with lz4 (the frame format).
// A suffix of a compression wirekit cannot write (.bz2, .lzma, .zip, ...)
// is refused with ErrCompressionSuffix. "-" writes uncompressed pcap to
// standard output, which Close flushes but does not close.
//
// ifaces describes the interfaces packets will name through
// CaptureInfo.InterfaceIndex (more can be added with AddInterface); classic
// pcap uses the first one's link type and the largest snaplen among the
// interfaces of that link type (0 for any means 262144). It is an error to
// give none.
//
// A new path or a regular file is written to a temporary file
// ".NAME.tmp-*" in the same directory, which Close renames to path, so an
// interrupted or failed write never leaves a partial file under the final
// name. A device, FIFO, /dev/stdout or /dev/fd/N is written in place, and
// a symbolic link is kept, its target written by the same rules (see
// internal/safefile); a directory or socket is refused. If a write
// failed, Close removes the temporary file and returns the error; Abort
// discards the output on purpose.
func Create(path string, ifaces []Interface, opts *WriteOptions) (*FileWriter, error) {
	if len(ifaces) == 0 {
		return nil, fmt.Errorf("create %s: no interface to describe the link type", path)
	}
	if path == "-" {
		p, err := NewPcapWriter(os.Stdout, ifaces[0].LinkType, pcapSnapLen(ifaces), opts)
		if err != nil {
			return nil, fmt.Errorf("create stdout: %w", err)
		}
		for _, ifc := range ifaces[1:] {
			p.AddInterface(ifc)
		}
		return &FileWriter{path: "stdout", inner: p}, nil
	}
	if _, _, err := SplitCompression(filepath.Base(path)); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	out, err := safefile.Create(path)
	if err != nil {
		return nil, err
	}
	return CreateOutput(out, path, ifaces, opts)
}

// Output is where CreateOutput writes a capture: Close publishes what was
// written, Abort discards it. *safefile.File and blobio's Writer (an
// object in a bucket) are Outputs.
type Output interface {
	io.Writer
	Close() error
	Abort() error
}

// CreateOutput is Create writing to out, an output the caller opened
// (an object in a bucket, say): name chooses the format and compression
// as Create's path does and is used in errors. Close closes out (which
// commits it); Abort and every failure abort it. On error out is
// aborted too.
func CreateOutput(out Output, name string, ifaces []Interface, opts *WriteOptions) (*FileWriter, error) {
	path := name
	if len(ifaces) == 0 {
		out.Abort()
		return nil, fmt.Errorf("create %s: no interface to describe the link type", path)
	}
	_, comp, err := SplitCompression(filepath.Base(path))
	if err != nil {
		out.Abort()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	fw := &FileWriter{path: path, out: out}
	var w io.Writer = out
	switch comp {
	case CompressGzip:
		var z *gzip.Writer
		z, err = gzip.NewWriterLevel(out, gzip.DefaultCompression)
		fw.comp, w = z, z
	case CompressZstd:
		var z *zstd.Encoder
		z, err = zstd.NewWriter(out)
		fw.comp, w = z, z
	case CompressXZ:
		var z *xz.Writer
		z, err = xz.NewWriter(out)
		fw.comp, w = z, z
	case CompressLZ4:
		z := lz4.NewWriter(out)
		fw.comp, w = z, z
	}
	if err != nil {
		fw.remove()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if NameFormat(path) == FormatPcapNG {
		fw.inner, err = NewPcapNGWriter(w, ifaces, opts)
	} else {
		var p *PcapWriter
		p, err = NewPcapWriter(w, ifaces[0].LinkType, pcapSnapLen(ifaces), opts)
		if err == nil {
			for _, ifc := range ifaces[1:] {
				p.AddInterface(ifc)
			}
		}
		fw.inner = p
	}
	if err != nil {
		fw.remove()
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return fw, nil
}

// pcapSnapLen is the snaplen of a pcap file for ifaces: the largest of
// those of the first one's link type, so that a reader does not cut packets
// that came from another interface; 0 (the default) if any is unlimited.
func pcapSnapLen(ifaces []Interface) uint32 {
	var snap uint32
	for _, ifc := range ifaces {
		if ifc.LinkType != ifaces[0].LinkType {
			continue
		}
		if ifc.SnapLen == 0 {
			return 0
		}
		snap = max(snap, ifc.SnapLen)
	}
	return snap
}

// WritePacket writes one packet (see PcapWriter.WritePacket and
// PcapNGWriter.WritePacket). The first error, prefixed with the file name,
// is kept: later calls return it, and Close returns it after removing the
// temporary file.
func (w *FileWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if w.err != nil {
		return w.err
	}
	if err := w.inner.WritePacket(ci, data); err != nil {
		w.err = w.named(err)
		return w.err
	}
	return nil
}

// named prefixes err with the file name unless it names the file already
// (the *fs.PathError of a failed write).
func (w *FileWriter) named(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == w.path {
		return err
	}
	return fmt.Errorf("%s: %w", w.path, err)
}

// AddInterface declares a further interface and returns the index packets
// must use in CaptureInfo.InterfaceIndex. pcapng writes an Interface
// Description Block; classic pcap accepts it, and refuses packets that name
// it with ErrLinkTypeMix if its link type differs from the file's.
func (w *FileWriter) AddInterface(ifc Interface) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	i, err := w.inner.AddInterface(ifc)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", w.path, err)
		return 0, w.err
	}
	return i, nil
}

// Close flushes the writer and the compressor and closes the output: a
// temporary file is renamed to the final name. If any write failed, or
// fails now, the temporary file is removed, nothing appears under the
// final name (written in place, what was written stays), and the first
// error is returned. Calling Close again returns the same result.
func (w *FileWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if cerr := w.inner.Close(); w.err == nil && cerr != nil {
		w.err = w.named(cerr)
	}
	if w.out == nil { // stdout, or aborted
		return w.err
	}
	if w.comp != nil {
		if cerr := w.comp.Close(); w.err == nil && cerr != nil {
			w.err = w.named(cerr)
		}
	}
	if w.err == nil {
		if cerr := w.out.Close(); cerr != nil {
			w.err = cerr
		}
	}
	if w.err != nil {
		w.remove()
		return w.err
	}
	w.out = nil
	return nil
}

// Abort discards the output: the temporary file is removed and nothing
// appears under the final name (for "-", a device or a FIFO, what was
// flushed stays written). Later calls to WritePacket and Close return an
// error. Abort returns the error of removing the temporary file, if any.
func (w *FileWriter) Abort() error {
	if w.err == nil {
		w.err = fmt.Errorf("%s: write aborted", w.path)
	}
	w.closed = true
	if w.out == nil {
		return nil
	}
	if w.comp != nil {
		w.comp.Close()
	}
	return w.remove()
}

func (w *FileWriter) remove() error {
	err := w.out.Abort()
	w.out = nil
	return err
}

// unitsOf returns the timestamp in microseconds, or nanoseconds when nano,
// since the epoch.
func unitsOf(ts time.Time, nano bool) uint64 {
	if nano {
		return uint64(ts.UnixNano())
	}
	return uint64(ts.UnixMicro())
}
