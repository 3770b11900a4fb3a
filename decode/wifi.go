package decode

import (
	"bytes"
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// 802.11 link types beyond gopacket's named constants.
const (
	linkTypePrism = 119 // LINKTYPE_IEEE802_11_PRISM
	linkTypeAVS   = 163 // LINKTYPE_IEEE802_11_AVS
	linkTypePPI   = 192 // LINKTYPE_PPI
)

// linkWifi prints IEEE 802.11 frames, bare or behind radiotap, PPI, Prism
// or AVS headers; it returns the network-layer offset.
func (p *Printer) linkWifi(b, d []byte, wire int, lt layers.LinkType) ([]byte, int, bool) {
	switch lt {
	case layers.LinkTypeIEEE802_11:
		b, n := p.dot11(b, d, wire, false, 0)
		return b, n, true
	case layers.LinkTypeIEEE80211Radio:
		b, n := p.radiotap(b, d, wire)
		return b, n, true
	case linkTypePrism:
		b, n := p.prism(b, d, wire)
		return b, n, true
	case linkTypeAVS:
		b, n := p.avs(b, d, wire)
		return b, n, true
	case linkTypePPI:
		b, n := p.ppi(b, d, wire)
		return b, n, true
	}
	return b, 0, false
}

// prism prints a Prism monitor header (144 bytes, ignored) and the frame
// after it; a header that starts with an AVS cookie is an AVS header.
func (p *Printer) prism(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 4 {
		return appendTrunc(b, "prism"), len(d)
	}
	if c := be32(d); c == 0x80211001 || c == 0x80211002 {
		return p.avs(b, d, wire)
	}
	if len(d) < 144 {
		return appendTrunc(b, "prism"), len(d)
	}
	b, n := p.dot11(b, d[144:], wire-144, false, 0)
	return b, 144 + n
}

// avs prints an AVS capture header (its length is the big-endian word at
// offset 4; the fields are ignored) and the frame after it.
func (p *Printer) avs(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 8 {
		return appendTrunc(b, "802.11_radio_avs"), len(d)
	}
	n := be32(d[4:])
	if n < 8 || uint64(len(d)) < uint64(n) {
		return appendTrunc(b, "802.11_radio_avs"), len(d)
	}
	b, off := p.dot11(b, d[n:], wire-int(n), false, 0)
	return b, int(n) + off
}

// ppi prints a Per-Packet Information header: version 1, flags 1, length
// LE 2, link type LE 4, then TLVs (ignored) up to length. The packet after
// it is printed by its link type's printer; when wirekit has none, the
// header is printed and the packet dumped, as tcpdump does.
func (p *Printer) ppi(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 8 {
		return appendTrunc(b, "ppi"), len(d)
	}
	n := int(binary.LittleEndian.Uint16(d[2:]))
	if n < 8 || n > 65532 {
		b = append(b, " [length "...)
		b = appendInt(b, n)
		b = append(b, " < 8 or > 65532] (invalid)"...)
		return b, len(d)
	}
	if len(d) < n {
		return appendTrunc(b, "ppi"), len(d)
	}
	dlt := binary.LittleEndian.Uint32(d[4:])
	if p.opts.Link {
		b = appendPPIHeader(b, d, n, dlt, wire)
	}
	if dlt != linkTypePPI && dlt < 1<<16 {
		start := len(b)
		t, off := p.appendLink(b, d[n:], wire-n, layers.LinkType(dlt))
		if !p.dumpAlways || !bytes.HasSuffix(t, []byte("UNSUPPORTED")) {
			// tcpdump adds the inner header length twice (-x
			// dumps start there).
			return t, n + 2*off
		}
		b, p.dump, p.dumpAlways = t[:start], nil, false
	}
	if !p.opts.Link {
		b = appendPPIHeader(b, d, n, dlt, wire)
	}
	p.dump = d[n:]
	return b, n
}

// appendPPIHeader appends "V.0 DLT NAME (N) len L, length W: ".
func appendPPIHeader(b, d []byte, n int, dlt uint32, wire int) []byte {
	b = append(b, "V."...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, " DLT "...)
	b = append(b, ppiDLTName(dlt)...)
	b = append(b, " ("...)
	b = appendUint(b, uint64(dlt))
	b = append(b, ") len "...)
	b = appendInt(b, n)
	b = append(b, ", length "...)
	b = appendInt(b, wire)
	return append(b, ": "...)
}

// ppiDLTName is libpcap's pcap_datalink_val_to_name for the link types a
// PPI header carries in practice.
func ppiDLTName(dlt uint32) string {
	switch dlt {
	case 1:
		return "EN10MB"
	case 105:
		return "IEEE802_11"
	case 119:
		return "PRISM_HEADER"
	case 127:
		return "IEEE802_11_RADIO"
	case 163:
		return "IEEE802_11_RADIO_AVS"
	case 192:
		return "PPI"
	}
	return "UNKNOWN"
}

// 802.11 frame types (frame control bits 2-3).
const (
	wifiMgmt = 0
	wifiCtrl = 1
	wifiData = 2
)

// dot11HdrLen is the length of the MAC header of a frame whose frame
// control field is fc, or 0 for a reserved type or control subtype.
func dot11HdrLen(fc uint16) int {
	sub := fc >> 4 & 0xf
	switch fc >> 2 & 3 {
	case wifiMgmt:
		return 24
	case wifiCtrl:
		switch sub {
		case 7: // control wrapper
			return 16
		case 8: // BAR
			return 20
		case 9, 12, 13: // BA, CTS, ACK
			return 10
		case 10, 11, 14, 15: // PS-Poll, RTS, CF-End, CF-End+CF-Ack
			return 16
		}
		return 0
	case wifiData:
		n := 24
		if fc&0x0300 == 0x0300 {
			n = 30
		}
		if sub&8 != 0 {
			n += 2
		}
		return n
	}
	return 0
}

// dot11 prints an 802.11 frame as tcpdump's ieee802_11_print does at
// default verbosity: the management body (SSID, rates, channel,
// reasons...), the control frame's name and address, or the data frame's
// LLC payload. d is the captured frame, length its length on the wire; pad
// says the header is padded to 32 bits and fcs is the FCS length at the
// end. It returns the offset of the payload (for -x dumps).
//
//	+----+-----+-------+-------+-------+-----+-------+-----+------+
//	| fc | dur | addr1 | addr2 | addr3 | seq | addr4 | QoS | body |
//	+----+-----+-------+-------+-------+-----+-------+-----+------+
//	   2    2      6       6       6      2     6(DS)  2(QoS)
func (p *Printer) dot11(b, d []byte, length int, pad bool, fcs int) ([]byte, int) {
	if length < fcs {
		return appendTrunc(b, "802.11"), len(d)
	}
	length -= fcs
	if len(d) > length {
		d = d[:length]
	}
	if len(d) < 2 {
		return appendTrunc(b, "802.11"), len(d)
	}
	fc := binary.LittleEndian.Uint16(d)
	typ, sub := int(fc>>2&3), int(fc>>4&0xf)
	hdr := dot11HdrLen(fc)
	if hdr == 0 {
		if typ == wifiCtrl {
			b = append(b, "unknown 802.11 ctrl frame subtype ("...)
			b = appendInt(b, sub)
		} else {
			b = append(b, "unknown 802.11 frame type ("...)
			b = appendInt(b, typ)
		}
		return append(b, ')'), 0
	}
	if pad {
		hdr = (hdr + 3) &^ 3
	}
	if len(d) < hdr {
		return appendTrunc(b, "802.11"), hdr
	}
	if p.opts.Link {
		b = p.dot11Header(b, fc, d)
	}
	body, blen := d[hdr:], length-hdr
	ok := true
	switch typ {
	case wifiMgmt:
		b, ok = p.dot11Mgmt(b, fc, d[10:16], body, blen)
	case wifiCtrl:
		b, ok = p.dot11Ctrl(b, sub, d)
	case wifiData:
		if sub&4 != 0 { // no data
			return b, hdr
		}
		if fc&0x4000 != 0 {
			b = append(b, "Data"...)
			b, ok = appendWEP(b, body)
			break
		}
		src, dst := dot11DataAddrs(fc, d)
		var n int
		b, n = p.wifiLLC(b, body, blen, src, dst)
		hdr += n
	}
	if !ok {
		b = appendTrunc(b, "802.11")
	}
	return b, hdr
}

// dot11DataAddrs returns a data frame's source and destination addresses
// as the To DS and From DS bits place them.
func dot11DataAddrs(fc uint16, d []byte) (src, dst []byte) {
	switch fc & 0x0300 {
	case 0x0000:
		return d[10:16], d[4:10]
	case 0x0200: // from DS
		return d[16:22], d[4:10]
	case 0x0100: // to DS
		return d[10:16], d[16:22]
	}
	return d[24:30], d[16:22]
}

// appendWEP appends a protected body's " IV:%3x Pad %x KeyID %x".
func appendWEP(b, d []byte) ([]byte, bool) {
	if len(d) < 4 {
		return b, false
	}
	iv := binary.LittleEndian.Uint32(d)
	b = append(b, " IV:"...)
	v := iv & 0xffffff
	for w := 0x100; w > 1 && v < uint32(w); w >>= 4 {
		b = append(b, ' ')
	}
	b = appendHex(b, uint64(v), 0)
	b = append(b, " Pad "...)
	b = appendHex(b, uint64(iv>>24&0x3f), 0)
	b = append(b, " KeyID "...)
	return appendHex(b, uint64(iv>>30), 0), true
}

// dot11Header prints the MAC header as tcpdump -e does (-v adds the frame
// control flags and the duration).
func (p *Printer) dot11Header(b []byte, fc uint16, d []byte) []byte {
	if p.opts.Verbose > 0 {
		for _, f := range [...]struct {
			bit  uint16
			name string
		}{{0x2000, "More Data "}, {0x0400, "More Fragments "}, {0x1000, "Pwr Mgmt "},
			{0x0800, "Retry "}, {0x8000, "Strictly Ordered "}, {0x4000, "Protected "}} {
			if fc&f.bit != 0 {
				b = append(b, f.name...)
			}
		}
		if fc>>2&3 != wifiCtrl || fc>>4&0xf != 10 {
			b = appendUint(b, uint64(binary.LittleEndian.Uint16(d[2:])))
			b = append(b, "us "...)
		}
	}
	addr := func(b []byte, name string, a []byte) []byte {
		b = append(b, name...)
		b = appendMAC(b, a)
		return append(b, ' ')
	}
	switch fc >> 2 & 3 {
	case wifiMgmt:
		b = addr(b, "BSSID:", d[16:22])
		b = addr(b, "DA:", d[4:10])
		b = addr(b, "SA:", d[10:16])
	case wifiCtrl:
		switch fc >> 4 & 0xf {
		case 8:
			b = p.appendBAR(b, d)
		case 9, 12, 13:
			b = addr(b, "RA:", d[4:10])
		case 10:
			b = addr(b, "BSSID:", d[4:10])
			b = addr(b, "TA:", d[10:16])
		case 11:
			b = addr(b, "RA:", d[4:10])
			b = addr(b, "TA:", d[10:16])
		case 14, 15:
			b = addr(b, "RA:", d[4:10])
			b = addr(b, "BSSID:", d[10:16])
		}
	case wifiData:
		sub := fc >> 4 & 0xf
		if sub&0xb != 0 {
			b = append(b, "CF "...)
			switch sub & 3 {
			case 3:
				b = append(b, "Ack/Poll"...)
			case 1:
				b = append(b, "Ack"...)
			case 2:
				b = append(b, "Poll"...)
			}
			if sub&8 != 0 {
				b = append(b, "+QoS"...)
			}
			b = append(b, ' ')
		}
		switch fc & 0x0300 {
		case 0x0000:
			b = addr(b, "DA:", d[4:10])
			b = addr(b, "SA:", d[10:16])
			b = addr(b, "BSSID:", d[16:22])
		case 0x0200:
			b = addr(b, "DA:", d[4:10])
			b = addr(b, "BSSID:", d[10:16])
			b = addr(b, "SA:", d[16:22])
		case 0x0100:
			b = addr(b, "BSSID:", d[4:10])
			b = addr(b, "SA:", d[10:16])
			b = addr(b, "DA:", d[16:22])
		default:
			b = addr(b, "RA:", d[4:10])
			b = addr(b, "TA:", d[10:16])
			b = addr(b, "DA:", d[16:22])
			b = addr(b, "SA:", d[24:30])
		}
	}
	return b
}

// appendBAR appends a Block Ack Request's " RA:.. TA:.. CTL(x) SEQ(n) ".
func (p *Printer) appendBAR(b, d []byte) []byte {
	b = append(b, " RA:"...)
	b = appendMAC(b, d[4:10])
	b = append(b, " TA:"...)
	b = appendMAC(b, d[10:16])
	b = append(b, " CTL("...)
	b = appendHex(b, uint64(binary.LittleEndian.Uint16(d[16:])), 0)
	b = append(b, ") SEQ("...)
	b = appendUint(b, uint64(binary.LittleEndian.Uint16(d[18:])))
	return append(b, ") "...)
}

var ctrlNames = [16]string{
	7: "Control Wrapper", 8: "BAR", 9: "BA", 10: "Power Save-Poll", 11: "Request-To-Send",
	12: "Clear-To-Send", 13: "Acknowledgment", 14: "CF-End", 15: "CF-End+CF-Ack",
}

// dot11Ctrl prints a control frame: its name and, without -e, the
// address tcpdump shows. d is the whole frame, whose header is there.
func (p *Printer) dot11Ctrl(b []byte, sub int, d []byte) ([]byte, bool) {
	b = append(b, ctrlNames[sub]...)
	switch sub {
	case 8:
		if !p.opts.Link {
			b = p.appendBAR(b, d)
		}
	case 10:
		b = append(b, " AID("...)
		b = appendHex(b, uint64(binary.LittleEndian.Uint16(d[2:])), 0)
		b = append(b, ')')
	case 11:
		if !p.opts.Link {
			b = append(b, " TA:"...)
			b = appendMAC(b, d[10:16])
			b = append(b, ' ')
		}
	case 9, 12, 13, 14, 15:
		if !p.opts.Link {
			b = append(b, " RA:"...)
			b = appendMAC(b, d[4:10])
			b = append(b, ' ')
		}
	}
	return b, true
}
