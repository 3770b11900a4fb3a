package pcapio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// pcapng block types.
const (
	blockSHB = 0x0a0d0d0a
	blockIDB = 0x00000001
	blockOPB = 0x00000002 // obsolete packet block
	blockSPB = 0x00000003
	blockEPB = 0x00000006
	bomMagic = 0x1a2b3c4d
)

// Limits on block sizes, as libpcap's sf-pcapng.c has them: the first
// Section Header Block may not exceed 1 MiB, and no block may exceed 16 MiB,
// or an Enhanced Packet Block holding the largest packet of a link type seen
// in an Interface Description Block plus 128 KiB of options when that is
// more (only D-Bus, with 128 MiB packets, raises it).
const (
	maxFirstSHB   = 1 << 20
	initMaxBlock  = 16 << 20
	blockOverhead = 8 + 20 + 131072 + 4
)

// ngIface is what the reader needs of one interface to decode timestamps.
type ngIface struct {
	global int    // index in Reader.ifaces
	pow10  bool   // resolution is 10^-exp, else 2^-exp
	exp    uint8  // if_tsresol exponent
	offset int64  // if_tsoffset, seconds
	snap   uint32 // snaplen from the IDB, adjusted as libpcap does (0 means the maximum)
	// maxSnap is libpcap's maximum packet size for the link type. A
	// packet longer than snap but not than maxSnap is read whole, as
	// Wireshark reads it; libpcap 1.10 stops with an error there.
	maxSnap uint32
}

type ngState struct {
	order    binary.ByteOrder
	section  int
	ifs      []ngIface // interfaces of the current section
	maxBlock uint32
	sections []Section
}

// Section describes one section of a pcapng file: the options of its
// Section Header Block, and where its interfaces are in Interfaces().
type Section struct {
	// Hardware, OS and Application are the shb_hardware, shb_os and
	// shb_userappl options, empty when absent.
	Hardware    string
	OS          string
	Application string
	// Comments are the section's opt_comment options.
	Comments []string
	// FirstInterface is the index in Interfaces() of the section's first
	// interface (the section's interface 0), and Interfaces how many it
	// has declared so far.
	FirstInterface int
	Interfaces     int
}

// Sections returns the pcapng sections read so far (the first is read by
// Open and NewReader); nil for a pcap file. The slice is owned by the
// Reader and must not be modified.
func (r *Reader) Sections() []Section { return r.ng.sections }

// ngStart reads the first Section Header Block, then the blocks up to the
// first Interface Description Block, so that LinkType is known after Open.
func (r *Reader) ngStart() error {
	r.ng.section = -1
	r.ng.maxBlock = initMaxBlock
	if _, _, _, err := r.ngStep(); err != nil {
		if err == io.EOF {
			return r.formatErr(0, ErrTruncated)
		}
		return err
	}
	for len(r.ifaces) == 0 {
		h, _, clean, err := r.peekHeader(4)
		if clean || err != nil {
			return nil // the end, or damage that the first read will report
		}
		switch r.ng.order.Uint32(h) {
		case blockEPB, blockSPB, blockOPB:
			return nil
		}
		if _, _, _, err := r.ngStep(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
	return nil
}

// ngNext reads blocks until a packet block.
func (r *Reader) ngNext() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, ok, err := r.ngStep()
		if err != nil || ok {
			return data, ci, err
		}
	}
}

// ngStep reads one block; ok reports whether it was a packet. The checks
// are libpcap's read_block: a total length of at least 12, a multiple of 4,
// within the size limit, and repeated in the trailer.
func (r *Reader) ngStep() (data []byte, ci gopacket.CaptureInfo, ok bool, err error) {
	start := r.off
	h, have, clean, err := r.peekHeader(12)
	if clean {
		return nil, ci, false, io.EOF
	}
	if err != nil {
		return nil, ci, false, r.formatErr(start, fmt.Errorf("block header (%d of 12 bytes): %w", have, err))
	}
	first := r.ng.order == nil
	order := r.ng.order
	typ := binary.LittleEndian.Uint32(h)
	if typ == blockSHB {
		switch {
		case binary.LittleEndian.Uint32(h[8:]) == bomMagic:
			order = binary.LittleEndian
		case binary.BigEndian.Uint32(h[8:]) == bomMagic:
			order = binary.BigEndian
		case first:
			return nil, ci, false, r.formatErr(start, fmt.Errorf("pcapng byte-order magic %x: %w", h[8:12], ErrBadMagic))
		default:
			return nil, ci, false, r.formatErr(start+8, fmt.Errorf("section header byte-order magic %x: %w", h[8:12], ErrBadRecord))
		}
	} else if first {
		return nil, ci, false, r.formatErr(start, fmt.Errorf("block type %#x before any section header: %w", typ, ErrBadRecord))
	} else {
		typ = order.Uint32(h)
	}
	total := order.Uint32(h[4:])
	limit := r.ng.maxBlock
	if first {
		limit = maxFirstSHB
	}
	if total < 12 || total%4 != 0 || total > limit {
		return nil, ci, false, r.formatErr(start+4, fmt.Errorf("block type %#x: total length %d (must be a multiple of 4 between 12 and %d): %w", typ, total, limit, ErrBadRecord))
	}
	b, have, err := r.readRecord(int(total), 0)
	if err != nil {
		return nil, ci, false, r.formatErr(start, fmt.Errorf("block type %#x (%d of %d bytes): %w", typ, have, total, err))
	}
	if trail := order.Uint32(b[total-4:]); trail != total {
		r.off = start
		return nil, ci, false, r.formatErr(start+int64(total)-4, fmt.Errorf("block type %#x: trailing length %d differs from leading length %d: %w", typ, trail, total, ErrBadRecord))
	}
	body := b[8 : total-4]
	switch typ {
	case blockSHB:
		err = r.ngSection(order, body, first)
	case blockIDB:
		err = r.ngInterface(body)
	case blockEPB:
		data, ci, err = r.ngEPB(body)
		ok = err == nil
	case blockSPB:
		data, ci, err = r.ngSPB(body)
		ok = err == nil
	case blockOPB:
		data, ci, err = r.ngOPB(body)
		ok = err == nil
	}
	if err != nil {
		r.off = start
		return nil, ci, false, r.formatErr(start, fmt.Errorf("block type %#x: %w", typ, err))
	}
	if ok {
		r.recOff = start
	}
	return data, ci, ok, nil
}

// ngSection starts a new section: its own byte order, no interfaces yet.
// As libpcap, the first section must be version 1.0 or 1.2 and later ones
// of major version 1. (libpcap also refuses sections whose byte order
// differs from the first; the format allows it and so does this reader.)
func (r *Reader) ngSection(order binary.ByteOrder, body []byte, first bool) error {
	if len(body) < 16 {
		return fmt.Errorf("section header of %d bytes: %w", len(body), ErrBadRecord)
	}
	major, minor := order.Uint16(body[4:]), order.Uint16(body[6:])
	if major != 1 || first && minor != 0 && minor != 2 {
		return fmt.Errorf("pcapng version %d.%d: %w", major, minor, ErrUnsupported)
	}
	sec := Section{FirstInterface: len(r.ifaces)}
	// libpcap does not look at these options, so a malformed one only
	// ends the list here.
	walkOptions(order, body[16:], func(code uint16, v []byte) error {
		switch code {
		case 1:
			sec.Comments = append(sec.Comments, string(v))
		case 2:
			sec.Hardware = string(v)
		case 3:
			sec.OS = string(v)
		case 4:
			sec.Application = string(v)
		}
		return nil
	})
	r.ng.order = order
	r.ng.section++
	r.ng.ifs = r.ng.ifs[:0]
	r.ng.sections = append(r.ng.sections, sec)
	return nil
}

// ngInterface reads an Interface Description Block, with the option checks
// of libpcap's process_idb_options.
func (r *Reader) ngInterface(body []byte) error {
	order := r.ng.order
	if len(body) < 8 {
		return fmt.Errorf("interface description of %d bytes: %w", len(body), ErrBadRecord)
	}
	ifc := Interface{
		LinkType:   layers.LinkType(order.Uint16(body)),
		SnapLen:    order.Uint32(body[4:]),
		Resolution: time.Microsecond,
		Section:    r.ng.section,
	}
	ni := ngIface{
		pow10:   true,
		exp:     6,
		snap:    adjustSnap(ifc.LinkType, ifc.SnapLen),
		maxSnap: maxSnapFor(ifc.LinkType),
		global:  len(r.ifaces),
	}
	var sawRes, sawOff bool
	err := walkOptions(order, body[8:], func(code uint16, v []byte) error {
		switch code {
		case 2:
			ifc.Name = string(v)
		case 3:
			ifc.Description = string(v)
		case 9:
			if len(v) != 1 || sawRes {
				return fmt.Errorf("if_tsresol option of %d bytes, or repeated: %w", len(v), ErrBadRecord)
			}
			sawRes = true
			ni.pow10 = v[0]&0x80 == 0
			ni.exp = v[0] & 0x7f
			if (ni.pow10 && ni.exp > 19) || (!ni.pow10 && ni.exp > 63) {
				return fmt.Errorf("if_tsresol %#x out of range: %w", v[0], ErrBadRecord)
			}
		case 14:
			if len(v) != 8 || sawOff {
				return fmt.Errorf("if_tsoffset option of %d bytes, or repeated: %w", len(v), ErrBadRecord)
			}
			sawOff = true
			ni.offset = int64(order.Uint64(v))
		}
		return nil
	})
	if err != nil {
		return err
	}
	ifc.Resolution = resolution(ni)
	if m := maxSnapFor(ifc.LinkType) + blockOverhead; m > r.ng.maxBlock {
		r.ng.maxBlock = m
	}
	r.ifaces = append(r.ifaces, ifc)
	r.ng.ifs = append(r.ng.ifs, ni)
	r.ng.sections[len(r.ng.sections)-1].Interfaces++
	return nil
}

// resolution turns if_tsresol into a Duration (at least 1ns).
func resolution(ni ngIface) time.Duration {
	d := time.Duration(1)
	if ni.pow10 {
		if ni.exp >= 9 {
			return 1
		}
		for i := ni.exp; i < 9; i++ {
			d *= 10
		}
		return d
	}
	d = time.Second >> ni.exp
	if d < 1 {
		d = 1
	}
	return d
}

// walkOptions calls fn for each option until opt_endofopt or the end. As
// libpcap's option cursor, an option header or (padded) value running past
// the block, or an opt_endofopt with a length, is an error.
func walkOptions(order binary.ByteOrder, b []byte, fn func(code uint16, v []byte) error) error {
	for len(b) > 0 {
		if len(b) < 4 {
			return fmt.Errorf("%d bytes after the last option: %w", len(b), ErrBadRecord)
		}
		code := order.Uint16(b)
		n := int(order.Uint16(b[2:]))
		if code == 0 {
			if n != 0 {
				return fmt.Errorf("opt_endofopt with length %d: %w", n, ErrBadRecord)
			}
			return nil
		}
		padded := 4 + (n+3)&^3
		if padded > len(b) {
			return fmt.Errorf("option %d of %d bytes overruns its block: %w", code, n, ErrBadRecord)
		}
		if err := fn(code, b[4:4+n]); err != nil {
			return err
		}
		b = b[padded:]
	}
	return nil
}

// ngIfaceOf checks a section-local interface id.
func (r *Reader) ngIfaceOf(id uint32) (*ngIface, error) {
	if int64(id) >= int64(len(r.ng.ifs)) {
		return nil, fmt.Errorf("interface %d not described in section %d (%d interfaces): %w", id, r.ng.section, len(r.ng.ifs), ErrBadRecord)
	}
	return &r.ng.ifs[id], nil
}

// ngEPB reads an Enhanced Packet Block.
func (r *Reader) ngEPB(body []byte) ([]byte, gopacket.CaptureInfo, error) {
	if len(body) < 20 {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("enhanced packet block of %d bytes: %w", len(body), ErrBadRecord)
	}
	return r.ngPacket(body, r.ng.order.Uint32(body))
}

// ngOPB reads the obsolete Packet Block (16-bit interface id and drops).
func (r *Reader) ngOPB(body []byte) ([]byte, gopacket.CaptureInfo, error) {
	if len(body) < 20 {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("packet block of %d bytes: %w", len(body), ErrBadRecord)
	}
	return r.ngPacket(body, uint32(r.ng.order.Uint16(body)))
}

// ngPacket decodes the layout EPB and the obsolete PB share after the
// interface field: timestamp high and low, captured and wire lengths, data.
func (r *Reader) ngPacket(body []byte, iface uint32) ([]byte, gopacket.CaptureInfo, error) {
	order := r.ng.order
	var ci gopacket.CaptureInfo
	ni, err := r.ngIfaceOf(iface)
	if err != nil {
		return nil, ci, err
	}
	ts := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
	capLen := order.Uint32(body[12:])
	if uint64(capLen) > uint64(len(body)-20) {
		return nil, ci, fmt.Errorf("captured length %d exceeds the block (%d bytes of data): %w", capLen, len(body)-20, ErrBadRecord)
	}
	if capLen > ni.maxSnap {
		return nil, ci, fmt.Errorf("captured length %d is bigger than the maximum of %d: %w", capLen, ni.maxSnap, ErrBadRecord)
	}
	ci = gopacket.CaptureInfo{
		Timestamp:      ngTime(ni, ts),
		CaptureLength:  int(capLen),
		Length:         int(order.Uint32(body[16:])),
		InterfaceIndex: ni.global,
	}
	return body[20 : 20+capLen], ci, nil
}

// ngSPB reads a Simple Packet Block: interface 0, no timestamp, captured
// length the smaller of the wire length, the snaplen and the block room.
func (r *Reader) ngSPB(body []byte) ([]byte, gopacket.CaptureInfo, error) {
	order := r.ng.order
	var ci gopacket.CaptureInfo
	if len(body) < 4 {
		return nil, ci, fmt.Errorf("simple packet block of %d bytes: %w", len(body), ErrBadRecord)
	}
	ni, err := r.ngIfaceOf(0)
	if err != nil {
		return nil, ci, err
	}
	wire := order.Uint32(body)
	capLen := min(uint64(wire), uint64(ni.snap))
	if room := uint64(len(body) - 4); room < capLen {
		capLen = room
	}
	ci = gopacket.CaptureInfo{CaptureLength: int(capLen), Length: int(wire), InterfaceIndex: ni.global}
	return body[4 : 4+capLen], ci, nil
}

// ngTime converts a timestamp in the interface's units to a time.Time,
// exactly (integer arithmetic only).
func ngTime(ni *ngIface, ts uint64) time.Time {
	var sec, nsec uint64
	if ni.pow10 {
		unit := pow10[ni.exp]
		sec, nsec = ts/unit, ts%unit
		if ni.exp <= 9 {
			nsec *= pow10[9-ni.exp]
		} else {
			nsec /= pow10[ni.exp-9]
		}
	} else {
		sec = ts >> ni.exp
		frac := ts & (1<<ni.exp - 1)
		hi, lo := bits.Mul64(frac, 1e9)
		if ni.exp == 0 {
			nsec = 0
		} else {
			nsec = hi<<(64-ni.exp) | lo>>ni.exp
		}
	}
	return time.Unix(int64(sec)+ni.offset, int64(nsec))
}

var pow10 = [20]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
