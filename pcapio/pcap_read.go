package pcapio

import (
	"encoding/binary"
	"fmt"
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

// defaultMaxSnap is libpcap's largest snapshot length for most link types;
// records longer than this are refused as libpcap refuses them.
const defaultMaxSnap = 262144

type pcapState struct {
	order   binary.ByteOrder
	nano    bool
	hdrLen  int    // record header length: 16, or 24 for the modified format
	snap    uint32 // snapshot length used to truncate records, as libpcap does
	maxSnap uint32 // records with a longer captured length are errors
}

// pcapStart reads the 24-byte file header.
func (r *Reader) pcapStart() error {
	h, have, err := r.peekRecord(24)
	if err != nil {
		if m, _ := r.br.Peek(4); len(m) == 4 && !r.knownPcapMagic(m, len(m)) {
			return r.formatErr(0, ErrBadMagic)
		}
		return r.formatErr(0, fmt.Errorf("file header (%d of 24 bytes): %w", have, err))
	}
	st := &r.pcap
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
		st.order = binary.LittleEndian
		st.hdrLen = 24
	case binary.BigEndian.Uint32(h) == magicModified:
		st.order = binary.BigEndian
		st.hdrLen = 24
	default:
		return r.formatErr(0, ErrBadMagic)
	}
	if st.hdrLen == 0 {
		st.hdrLen = 16
	}
	if major := st.order.Uint16(h[4:]); major != 2 {
		return r.formatErr(4, fmt.Errorf("pcap version %d.%d: %w", major, st.order.Uint16(h[6:]), ErrUnsupported))
	}
	snap := st.order.Uint32(h[16:])
	// The upper bits of the link type field carry the FCS length; the
	// link type is the low 28 bits.
	lt := layers.LinkType(st.order.Uint32(h[20:]) & 0x0fffffff)
	st.maxSnap = maxSnapFor(lt)
	st.snap = snap
	if snap == 0 || snap > st.maxSnap {
		st.snap = st.maxSnap
	}
	res := time.Microsecond
	if st.nano {
		res = time.Nanosecond
	}
	r.ifaces = append(r.ifaces, Interface{LinkType: lt, SnapLen: snap, Resolution: res})
	r.consume(24)
	return nil
}

func (r *Reader) knownPcapMagic(h []byte, have int) bool {
	if have < 4 {
		return false
	}
	for _, m := range []uint32{magicMicro, magicNano, magicModified} {
		if binary.LittleEndian.Uint32(h) == m || binary.BigEndian.Uint32(h) == m {
			return true
		}
	}
	return false
}

// maxSnapFor returns libpcap's maximum snapshot length for a link type.
func maxSnapFor(lt layers.LinkType) uint32 {
	switch lt {
	case 231: // DBUS
		return 128 * 1024 * 1024
	case 279, 249: // EBHSCR, USBPCAP
		return 8 * 1024 * 1024
	}
	return defaultMaxSnap
}

// pcapNext reads one record.
func (r *Reader) pcapNext() ([]byte, gopacket.CaptureInfo, error) {
	st := &r.pcap
	start := r.off
	h, have, err := r.peekRecord(st.hdrLen)
	if err != nil {
		if have == 0 && err == ErrTruncated {
			return nil, gopacket.CaptureInfo{}, errEOF
		}
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("record header (%d of %d bytes): %w", have, st.hdrLen, err))
	}
	sec := st.order.Uint32(h)
	frac := st.order.Uint32(h[4:])
	capLen := st.order.Uint32(h[8:])
	wireLen := st.order.Uint32(h[12:])
	if capLen > st.maxSnap {
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("captured length %d is bigger than the maximum of %d: %w", capLen, st.maxSnap, ErrBadRecord))
	}
	keep := capLen
	if keep > st.snap {
		keep = st.snap // libpcap keeps the snapshot length and skips the rest
	}
	rec, have, err := r.peekRecord(st.hdrLen + int(capLen))
	if err != nil {
		return nil, gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("packet data (%d of %d bytes): %w", max(have-st.hdrLen, 0), capLen, err))
	}
	data := rec[st.hdrLen:]
	r.consume(st.hdrLen + int(capLen))
	nsec := int64(frac)
	if !st.nano {
		nsec *= 1000
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     time.Unix(int64(sec), nsec),
		CaptureLength: int(keep),
		Length:        int(wireLen),
	}
	return data[:keep], ci, nil
}
