package pcapio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
)

// PcapNGWriter writes pcapng: one section (little-endian), one Interface
// Description Block per interface, and Enhanced Packet Blocks.
type PcapNGWriter struct {
	bw     *bufio.Writer
	nano   bool
	ifaces []Interface
	hdr    [28]byte
	tail   [8]byte // padding zeros (4) and the trailing block length
}

// NewPcapNGWriter writes a section header and the given interfaces to w.
// Timestamps are written in microseconds, or nanoseconds with
// opts.Nanosecond or for interfaces whose resolution is finer than 1µs.
// Close flushes but does not close w. The writer buffers, so an error of w
// may only show at a later call; it is then returned by every call. The
// error of NewPcapNGWriter is w's or one AddInterface gives for ifaces.
func NewPcapNGWriter(w io.Writer, ifaces []Interface, opts *WriteOptions) (*PcapNGWriter, error) {
	n := &PcapNGWriter{bw: bufio.NewWriterSize(w, 256<<10), nano: opts != nil && opts.Nanosecond}
	// Section Header Block with shb_userappl "wirekit".
	app := "wirekit"
	opt := optionLen(len(app)) + 4
	total := 28 + opt
	var b [28]byte
	binary.LittleEndian.PutUint32(b[0:], blockSHB)
	binary.LittleEndian.PutUint32(b[4:], uint32(total))
	binary.LittleEndian.PutUint32(b[8:], bomMagic)
	binary.LittleEndian.PutUint16(b[12:], 1)
	binary.LittleEndian.PutUint64(b[16:], ^uint64(0)) // section length unknown
	n.bw.Write(b[:24])
	n.writeOption(4, []byte(app))
	n.writeOption(0, nil)
	if err := n.u32(uint32(total)); err != nil {
		return nil, err
	}
	for _, ifc := range ifaces {
		if _, err := n.AddInterface(ifc); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func optionLen(n int) int { return 4 + (n+3)&^3 }

func (n *PcapNGWriter) writeOption(code uint16, v []byte) {
	var h [4]byte
	binary.LittleEndian.PutUint16(h[0:], code)
	binary.LittleEndian.PutUint16(h[2:], uint16(len(v)))
	n.bw.Write(h[:])
	n.bw.Write(v)
	var pad [3]byte
	n.bw.Write(pad[:(4-len(v)%4)%4])
}

func (n *PcapNGWriter) u32(v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	_, err := n.bw.Write(b[:])
	return err
}

// AddInterface writes an Interface Description Block and returns the index
// packets must use in CaptureInfo.InterfaceIndex.
//
// It fails, writing nothing, when the name or description is longer than a
// pcapng option can hold (65535 bytes); other errors are the underlying
// writer's.
func (n *PcapNGWriter) AddInterface(ifc Interface) (int, error) {
	if len(ifc.Name) > 0xffff || len(ifc.Description) > 0xffff {
		return 0, fmt.Errorf("interface %d: name or description longer than 65535 bytes", len(n.ifaces))
	}
	opts := 0
	if ifc.Name != "" {
		opts += optionLen(len(ifc.Name))
	}
	if ifc.Description != "" {
		opts += optionLen(len(ifc.Description))
	}
	if n.nanoFor(ifc) {
		opts += optionLen(1)
	}
	if opts > 0 {
		opts += 4
	}
	total := 20 + opts
	var b [16]byte
	binary.LittleEndian.PutUint32(b[0:], blockIDB)
	binary.LittleEndian.PutUint32(b[4:], uint32(total))
	binary.LittleEndian.PutUint16(b[8:], uint16(ifc.LinkType))
	binary.LittleEndian.PutUint32(b[12:], ifc.SnapLen)
	n.bw.Write(b[:])
	if ifc.Name != "" {
		n.writeOption(2, []byte(ifc.Name))
	}
	if ifc.Description != "" {
		n.writeOption(3, []byte(ifc.Description))
	}
	if n.nanoFor(ifc) {
		n.writeOption(9, []byte{9})
	}
	if opts > 0 {
		n.writeOption(0, nil)
	}
	if err := n.u32(uint32(total)); err != nil {
		return 0, err
	}
	n.ifaces = append(n.ifaces, ifc)
	return len(n.ifaces) - 1, nil
}

func (n *PcapNGWriter) nanoFor(ifc Interface) bool {
	return n.nano || (ifc.Resolution > 0 && ifc.Resolution < 1000)
}

// WritePacket writes an Enhanced Packet Block for the interface
// ci.InterfaceIndex, which must have been declared (an error otherwise).
// The captured length is len(data), the wire length ci.Length or len(data)
// when 0; as with PcapWriter, a packet longer than the interface's snaplen
// is written whole. It does not allocate.
func (n *PcapNGWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(n.ifaces) {
		return fmt.Errorf("packet names interface %d, but %d are declared", ci.InterfaceIndex, len(n.ifaces))
	}
	wire := ci.Length
	if wire == 0 {
		wire = len(data)
	}
	ts := unitsOf(ci.Timestamp, n.nanoFor(n.ifaces[ci.InterfaceIndex]))
	pad := (4 - len(data)%4) % 4
	total := 32 + len(data) + pad
	h := n.hdr[:]
	binary.LittleEndian.PutUint32(h[0:], blockEPB)
	binary.LittleEndian.PutUint32(h[4:], uint32(total))
	binary.LittleEndian.PutUint32(h[8:], uint32(ci.InterfaceIndex))
	binary.LittleEndian.PutUint32(h[12:], uint32(ts>>32))
	binary.LittleEndian.PutUint32(h[16:], uint32(ts))
	binary.LittleEndian.PutUint32(h[20:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[24:], uint32(wire))
	n.bw.Write(h)
	n.bw.Write(data)
	// The tail is kept in the writer, not on the stack, so that it does
	// not escape through bufio.Writer.Write: no allocation per packet.
	t := n.tail[4-pad:]
	clear(t[:pad])
	binary.LittleEndian.PutUint32(t[pad:], uint32(total))
	_, err := n.bw.Write(t)
	return err
}

// Flush writes buffered blocks to the underlying writer.
func (n *PcapNGWriter) Flush() error { return n.bw.Flush() }

// Close flushes; it does not close the io.Writer given to NewPcapNGWriter.
func (n *PcapNGWriter) Close() error { return n.bw.Flush() }
