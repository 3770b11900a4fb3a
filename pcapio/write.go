package pcapio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
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

// FileWriter is the Writer that Create returns: a pcap or pcapng writer,
// over an optional compressor, over a temporary file renamed into place by
// Close.
type FileWriter struct {
	path  string
	tmp   *os.File // nil for "-" and once closed or aborted
	comp  io.WriteCloser
	inner interface {
		Writer
		AddInterface(Interface) (int, error)
	}
	err    error
	closed bool
}

var _ Writer = (*FileWriter)(nil)

// Create writes a capture file at path, choosing the format from the name:
// ".pcapng" (optionally followed by ".gz" or ".zst") is pcapng, anything
// else classic pcap; a trailing ".gz" compresses with gzip, ".zst" with
// zstd. "-" writes uncompressed pcap to standard output, which Close
// flushes but does not close.
//
// ifaces describes the interfaces packets will name through
// CaptureInfo.InterfaceIndex (more can be added with AddInterface); classic
// pcap uses the first one's link type and the largest snaplen among the
// interfaces of that link type (0 for any means 262144). It is an error to
// give none.
//
// The data goes to a temporary file ".NAME.tmp-*" in the same directory,
// which Close renames to path, so an interrupted or failed write never
// leaves a partial file under the final name. If a write failed, Close
// removes the temporary file and returns the error; Abort discards the
// output on purpose.
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
	fw := &FileWriter{path: path, tmp: tmp}
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
		var p *PcapWriter
		p, err = NewPcapWriter(out, ifaces[0].LinkType, pcapSnapLen(ifaces), opts)
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
		w.err = fmt.Errorf("%s: %w", w.path, err)
		return w.err
	}
	return nil
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

// Close flushes the writer and the compressor, closes the temporary file
// and renames it to the final name. If any write failed, or fails now, the
// temporary file is removed, nothing appears under the final name, and the
// first error is returned. Calling Close again returns the same result.
func (w *FileWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if cerr := w.inner.Close(); w.err == nil && cerr != nil {
		w.err = fmt.Errorf("%s: %w", w.path, cerr)
	}
	if w.tmp == nil { // stdout, or aborted
		return w.err
	}
	if w.comp != nil {
		if cerr := w.comp.Close(); w.err == nil && cerr != nil {
			w.err = fmt.Errorf("%s: %w", w.path, cerr)
		}
	}
	// CreateTemp makes the file private; a capture gets the usual mode.
	if w.err == nil {
		if cerr := w.tmp.Chmod(0o644); cerr != nil {
			w.err = fmt.Errorf("%s: %w", w.path, cerr)
		}
	}
	if w.err == nil {
		if cerr := w.tmp.Close(); cerr != nil {
			w.err = fmt.Errorf("%s: %w", w.path, cerr)
		}
	}
	if w.err == nil {
		if rerr := os.Rename(w.tmp.Name(), w.path); rerr != nil {
			w.err = fmt.Errorf("%s: %w", w.path, rerr)
		}
	}
	if w.err != nil {
		w.remove()
		return w.err
	}
	w.tmp = nil
	return nil
}

// Abort discards the output: the temporary file is removed and nothing
// appears under the final name (for "-", what was flushed stays written).
// Later calls to WritePacket and Close return an error. Abort returns the
// error of removing the temporary file, if any.
func (w *FileWriter) Abort() error {
	if w.err == nil {
		w.err = fmt.Errorf("%s: write aborted", w.path)
	}
	w.closed = true
	if w.tmp == nil {
		return nil
	}
	if w.comp != nil {
		w.comp.Close()
	}
	return w.remove()
}

func (w *FileWriter) remove() error {
	w.tmp.Close()
	err := os.Remove(w.tmp.Name())
	w.tmp = nil
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
