package replay

import (
	"fmt"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
)

// Sink receives the replayed packets. Run calls Start with the inputs'
// interfaces before the first packet and again, with the longer list,
// whenever the inputs declare more; WritePacket with each packet (data is
// valid only during the call; ci.InterfaceIndex indexes the interfaces
// given to Start); Flush before waiting for a deadline, so that a batching
// sink sends what it holds on time; and Close once at the end, even after
// an error, keeping what was written before it.
type Sink interface {
	Start(ifaces []pcapio.Interface) error
	WritePacket(ci gopacket.CaptureInfo, data []byte) error
	Flush() error
	// MTU is the largest network-layer payload the sink takes (frames
	// may add their link header to it); 0 means no limit.
	MTU() int
	Close() error
}

// NullSink discards packets, counting them: it measures the scheduler
// alone.
type NullSink struct {
	Packets, Bytes int64
}

var _ Sink = (*NullSink)(nil)

// Start does nothing.
func (s *NullSink) Start([]pcapio.Interface) error { return nil }

// WritePacket counts the packet.
func (s *NullSink) WritePacket(_ gopacket.CaptureInfo, data []byte) error {
	s.Packets++
	s.Bytes += int64(len(data))
	return nil
}

// Flush does nothing.
func (s *NullSink) Flush() error { return nil }

// MTU is 0: no limit.
func (s *NullSink) MTU() int { return 0 }

// Close does nothing.
func (s *NullSink) Close() error { return nil }

// FileSink writes the replayed packets to a capture file through
// pcapio.Create (pcap or pcapng from the name, optionally compressed,
// written to a temporary file renamed into place by Close). The timestamps
// written are those Run passes: the send times, or the original ones with
// Config.KeepTimestamps.
type FileSink struct {
	path string
	out  pcapio.Output // NewOutputSink's; nil: pcapio.Create(path)
	opts *pcapio.WriteOptions
	w    *pcapio.FileWriter
	n    int // interfaces given to the writer
}

var _ Sink = (*FileSink)(nil)

// NewFileSink returns a sink writing to path once Start names the
// interfaces; opts may be nil.
func NewFileSink(path string, opts *pcapio.WriteOptions) *FileSink {
	return &FileSink{path: path, opts: opts}
}

// NewOutputSink is NewFileSink writing to out, an output the caller
// opened (an object in a bucket, with blobio), which Close commits; name
// chooses the format and compression as NewFileSink's path does. A sink
// closed before Start aborts out.
func NewOutputSink(out pcapio.Output, name string, opts *pcapio.WriteOptions) *FileSink {
	return &FileSink{path: name, out: out, opts: opts}
}

// Start creates the file on the first call and adds interfaces later.
// Creating fails for the reasons pcapio.Create gives.
func (s *FileSink) Start(ifaces []pcapio.Interface) error {
	if s.w == nil {
		var w *pcapio.FileWriter
		var err error
		if s.out != nil {
			w, err = pcapio.CreateOutput(s.out, s.path, ifaces, s.opts)
			s.out = nil // CreateOutput aborts it on error
		} else {
			w, err = pcapio.Create(s.path, ifaces, s.opts)
		}
		if err != nil {
			return err
		}
		s.w, s.n = w, len(ifaces)
		return nil
	}
	for ; s.n < len(ifaces); s.n++ {
		if _, err := s.w.AddInterface(ifaces[s.n]); err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
	}
	return nil
}

// WritePacket writes one packet.
func (s *FileSink) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if s.w == nil {
		return fmt.Errorf("%s: packet written before Start", s.path)
	}
	return s.w.WritePacket(ci, data)
}

// Flush does nothing: the file is flushed by Close.
func (s *FileSink) Flush() error { return nil }

// MTU is 0: files take any size.
func (s *FileSink) MTU() int { return 0 }

// Close flushes the file and renames it into place; the packets written
// before an error are kept.
func (s *FileSink) Close() error {
	if s.w == nil {
		if s.out != nil {
			return s.out.Abort()
		}
		return nil
	}
	return s.w.Close()
}
