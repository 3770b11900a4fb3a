package pcapio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// PcapWriter writes a classic pcap file, little-endian, with one link type.
type PcapWriter struct {
	bw     *bufio.Writer
	lt     layers.LinkType
	snap   uint32
	nano   bool
	hdr    [16]byte
	ifaces []Interface
}

var _ Writer = (*PcapWriter)(nil)

// NewPcapWriter writes a pcap file header for linkType and snaplen (0 means
// 262144) to w and returns a writer of records. Timestamps are in
// microseconds (magic a1b2c3d4), or nanoseconds (a1b23c4d) with
// opts.Nanosecond. The writer buffers; Close flushes but does not close w,
// which the caller owns. The error is w's, from writing the header.
func NewPcapWriter(w io.Writer, linkType layers.LinkType, snaplen uint32, opts *WriteOptions) (*PcapWriter, error) {
	if snaplen == 0 {
		snaplen = defaultMaxSnap
	}
	p := &PcapWriter{bw: bufio.NewWriterSize(w, 256<<10), lt: linkType, snap: snaplen}
	p.ifaces = []Interface{{LinkType: linkType, SnapLen: snaplen, Resolution: 1000}}
	magic := uint32(magicMicro)
	if opts != nil && opts.Nanosecond {
		magic, p.nano = magicNano, true
		p.ifaces[0].Resolution = 1
	}
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], snaplen)
	binary.LittleEndian.PutUint32(h[20:], uint32(linkType))
	if _, err := p.bw.Write(h[:]); err != nil {
		return nil, fmt.Errorf("pcap header: %w", err)
	}
	return p, nil
}

// AddInterface records a further interface that packets may name through
// CaptureInfo.InterfaceIndex and returns its index. A pcap file has one link
// type, so the interface is accepted here but a packet that names it fails
// with ErrLinkTypeMix when its link type differs from the file's. Nothing is
// written; the error is always nil.
func (p *PcapWriter) AddInterface(ifc Interface) (int, error) {
	p.ifaces = append(p.ifaces, ifc)
	return len(p.ifaces) - 1, nil
}

// WritePacket appends one record. The captured length is len(data) and the
// wire length ci.Length, or len(data) when ci.Length is 0; ci.CaptureLength
// is not consulted. As libpcap's pcap_dump does, a packet longer than the
// snaplen is written whole, not cut. A packet whose interface (added with
// AddInterface, or given to Create) has another link type than the file is
// refused with an error wrapping ErrLinkTypeMix; an index outside the known
// interfaces is taken to be the file's. Other errors are the underlying
// writer's; they are sticky.
func (p *PcapWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if i := ci.InterfaceIndex; i > 0 && i < len(p.ifaces) && p.ifaces[i].LinkType != p.lt {
		return fmt.Errorf("packet of interface %d (link type %s, file has %s): %w", i, p.ifaces[i].LinkType, p.lt, ErrLinkTypeMix)
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
