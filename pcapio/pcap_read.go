package pcapio

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Classic pcap magic numbers, as read in the file's byte order.
const (
	magicMicro    = 0xa1b2c3d4
	magicNano     = 0xa1b23c4d
	magicModified = 0xa1b2cd34 // Kuznetzov's patched libpcap: 24-byte records
)

// defaultMaxSnap is libpcap's MAXIMUM_SNAPLEN, the largest snapshot length
// for most link types; records longer than the maximum for the file's link
// type are refused as libpcap refuses them.
const defaultMaxSnap = 262144

// lengthOrder says whether a pcap file's record headers have the captured
// and wire lengths in the order of the current format (2.4), swapped (the
// format before 2.3, and DG/UX tcpdump's 543.0), or either (2.3 files were
// written both ways).
type lengthOrder uint8

const (
	lengthsNormal lengthOrder = iota
	lengthsSwapped
	lengthsMaybeSwapped
)

type pcapState struct {
	order   binary.ByteOrder
	nano    bool
	hdrLen  int    // record header length: 16, or 24 for the modified format
	snap    uint32 // snapshot length records are cut to, as libpcap adjusts it
	maxSnap uint32 // records with a longer captured length are errors
	lengths lengthOrder
	fcsLen  int // FCS length from the link type field, -1 when not given
}

// pcapStart reads the 24-byte file header, checking it as libpcap's
// pcap_check_header does.
func (r *Reader) pcapStart() error {
	h, have, _, err := r.peekHeader(24)
	if err != nil {
		if err == ErrTruncated && !r.magicPrefix(min(have, 4)) {
			err = ErrBadMagic
		}
		return r.formatErr(0, fmt.Errorf("file header (%d of 24 bytes): %w", have, err))
	}
	st := &r.pcap
	st.hdrLen = 16
	switch {
	case binary.LittleEndian.Uint32(h) == magicMicro:
		st.order = binary.LittleEndian
	case binary.BigEndian.Uint32(h) == magicMicro:
		st.order = binary.BigEndian
	case binary.LittleEndian.Uint32(h) == magicNano:
		st.order, st.nano = binary.LittleEndian, true
	case binary.BigEndian.Uint32(h) == magicNano:
		st.order, st.nano = binary.BigEndian, true
	case binary.LittleEndian.Uint32(h) == magicModified:
		st.order, st.hdrLen = binary.LittleEndian, 24
	case binary.BigEndian.Uint32(h) == magicModified:
		st.order, st.hdrLen = binary.BigEndian, 24
	default:
		return r.formatErr(0, ErrBadMagic)
	}
	major, minor := st.order.Uint16(h[4:]), st.order.Uint16(h[6:])
	switch {
	case major == 2 && minor < 3, major == 543 && minor == 0:
		st.lengths = lengthsSwapped
	case major == 2 && minor == 3:
		st.lengths = lengthsMaybeSwapped
	case major == 2 && minor == 4:
		st.lengths = lengthsNormal
	default:
		// libpcap reads 2.0 to 2.4 and DG/UX's 543.0 only.
		return r.formatErr(4, fmt.Errorf("pcap version %d.%d: %w", major, minor, ErrUnsupported))
	}
	snap := st.order.Uint32(h[16:])
	// The link type is the low 16 bits (libpcap's LT_LINKTYPE); bit 26
	// says the top 4 bits hold the length of the FCS the frames end with.
	field := st.order.Uint32(h[20:])
	lt := layers.LinkType(field & 0xffff)
	st.fcsLen = -1
	if field&0x04000000 != 0 {
		st.fcsLen = int(field>>28) * 2 // in 16-bit units
	}
	st.maxSnap = maxSnapFor(lt)
	st.snap = adjustSnap(lt, snap)
	if st.hdrLen == 24 && lt == layers.LinkTypeEthernet {
		// As libpcap: a capture in Kuznetzov's cooked mode read up to the
		// snaplen and then prefixed a made-up Ethernet header.
		st.snap += 14
	}
	res := time.Microsecond
	if st.nano {
		res = time.Nanosecond
	}
	r.ifaces = append(r.ifaces, Interface{LinkType: lt, SnapLen: snap, Resolution: res})
	r.head += 24
	r.off = 24
	return nil
}

// maxSnapFor returns libpcap's maximum snapshot length for a link type
// (max_snaplen_for_dlt; these three LINKTYPE values equal their DLT values).
func maxSnapFor(lt layers.LinkType) uint32 {
	switch lt {
	case 231: // DBUS
		return 128 << 20
	case 279: // EBHSCR
		return 8 << 20
	case 249: // USBPCAP
		return 1 << 20
	}
	return defaultMaxSnap
}

// adjustSnap is libpcap's pcap_adjust_snapshot: a snaplen of 0 or above the
// link type's maximum means the maximum.
func adjustSnap(lt layers.LinkType, snap uint32) uint32 {
	if m := maxSnapFor(lt); snap == 0 || snap > m {
		return m
	}
	return snap
}

// FCSLength reports the length in bytes of the frame check sequence at the
// end of every packet, when a pcap file's link type field says (libpcap's
// LT_FCS_LENGTH), or -1 when it does not say. Always -1 for pcapng.
func (r *Reader) FCSLength() int {
	if r.format != FormatPcap {
		return -1
	}
	return r.pcap.fcsLen
}

// pcapNext reads one record as libpcap's pcap_next_packet does: a captured
// length above the link type's maximum is an error; one above the file's
// snapshot length is cut to it, the rest of the record skipped.
func (r *Reader) pcapNext() ([]byte, gopacket.CaptureInfo, error) {
	st := &r.pcap
	start := r.off
	h, have, clean, err := r.peekHeader(st.hdrLen)
	if clean {
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	if err != nil {
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("record header (%d of %d bytes): %w", have, st.hdrLen, err))
	}
	sec := st.order.Uint32(h)
	frac := st.order.Uint32(h[4:])
	capLen := st.order.Uint32(h[8:])
	wireLen := st.order.Uint32(h[12:])
	if st.lengths != lengthsNormal && (st.lengths == lengthsSwapped || capLen > wireLen) {
		capLen, wireLen = wireLen, capLen
	}
	if capLen > st.maxSnap {
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("captured length %d is bigger than the maximum of %d: %w", capLen, st.maxSnap, ErrBadRecord))
	}
	keep := min(capLen, st.snap)
	rec, have, err := r.readRecord(st.hdrLen+int(keep), int(capLen-keep))
	if err != nil {
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("packet data (%d of %d bytes): %w", max(have-st.hdrLen, 0), capLen, err))
	}
	nsec := int64(frac)
	if !st.nano {
		nsec *= 1000
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     time.Unix(int64(sec), nsec),
		CaptureLength: int(keep),
		Length:        int(wireLen),
	}
	r.recOff = start
	return rec[st.hdrLen:], ci, nil
}
