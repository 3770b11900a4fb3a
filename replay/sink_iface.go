package replay

import (
	"fmt"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/pcapio"
)

// InterfaceSink injects the replayed packets into a network interface
// through a batched capture.Writer (Linux only; elsewhere NewInterfaceSink
// returns capture.ErrNotSupported). Run flushes the batch before every
// wait, so paced packets leave on time and top-speed replays go out in
// full batches.
type InterfaceSink struct {
	w    *capture.Writer
	name string
}

var _ Sink = (*InterfaceSink)(nil)

// NewInterfaceSink opens the named interface for injection; cfg tunes the
// writer (nil for the defaults). Errors are those of capture.NewWriter.
func NewInterfaceSink(name string, cfg *capture.WriterConfig) (*InterfaceSink, error) {
	w, err := capture.NewWriter(name, cfg)
	if err != nil {
		return nil, err
	}
	return &InterfaceSink{w: w, name: name}, nil
}

// Start refuses inputs whose link type the interface does not carry.
func (s *InterfaceSink) Start(ifaces []pcapio.Interface) error {
	for _, ifc := range ifaces {
		if ifc.LinkType != s.w.LinkType() {
			return fmt.Errorf("interface %s carries %v frames; the input has %v packets, which cannot be sent as they are", s.name, s.w.LinkType(), ifc.LinkType)
		}
	}
	return nil
}

// WritePacket queues the frame; it is sent when the batch is full or on
// Flush.
func (s *InterfaceSink) WritePacket(_ gopacket.CaptureInfo, data []byte) error {
	return s.w.Write(data)
}

// Flush sends the queued frames.
func (s *InterfaceSink) Flush() error { return s.w.Flush() }

// MTU is the interface's MTU.
func (s *InterfaceSink) MTU() int { return s.w.MTU() }

// WriterStats returns the writer's counts (frames, system calls, retries).
func (s *InterfaceSink) WriterStats() capture.WriterStats { return s.w.Stats() }

// Close sends what is queued and closes the socket.
func (s *InterfaceSink) Close() error { return s.w.Close() }
