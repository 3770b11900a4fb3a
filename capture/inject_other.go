//go:build !linux

package capture

import "github.com/gopacket/gopacket/layers"

// Writer injects frames into an interface; on this system it cannot be
// made.
type Writer struct{}

// NewWriter returns ErrNotSupported.
func NewWriter(name string, cfg *WriterConfig) (*Writer, error) { return nil, ErrNotSupported }

// Write returns ErrNotSupported.
func (w *Writer) Write(frame []byte) error { return ErrNotSupported }

// MaxFrame returns 0.
func (w *Writer) MaxFrame(frame []byte) int { return 0 }

// Flush returns ErrNotSupported.
func (w *Writer) Flush() error { return ErrNotSupported }

// MTU returns 0.
func (w *Writer) MTU() int { return 0 }

// LinkType returns Ethernet.
func (w *Writer) LinkType() layers.LinkType { return layers.LinkTypeEthernet }

// Stats returns zero counts.
func (w *Writer) Stats() WriterStats { return WriterStats{} }

// Close does nothing.
func (w *Writer) Close() error { return nil }
