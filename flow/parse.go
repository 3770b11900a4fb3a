package flow

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// IP protocol numbers the table tells apart.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
	protoSCTP   = 132
)

// TCP flag bits.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
)

// endpointAddr is one end of a conversation as the packet names it: an IP
// address (IPv4 in the first 4 bytes) or a MAC (first 6 bytes), and a port
// (for ICMP the type or its counterpart, as Zeek).
type endpointAddr struct {
	addr [16]byte
	port uint16
}

// pkt is what parse finds in one packet; it lives in the Table and is
// overwritten for each packet (no allocation).
type pkt struct {
	ok      bool   // a conversation key was found
	family  uint8  // 4, 6, or 0 for non-IP
	proto   uint8  // IP protocol (0 for non-IP)
	etype   uint16 // EtherType (non-IP key)
	vlan    [2]uint16
	nvlan   uint8
	src     endpointAddr
	dst     endpointAddr
	echoID  uint16 // ICMP echo (and other paired types) identifier
	oneWay  bool   // ICMP: a type with no counterpart
	srcMAC  [6]byte
	dstMAC  [6]byte
	hasMAC  bool
	ipBytes int // the IP packet's length by its header (0 for non-IP)
	payload int // transport payload bytes (Zeek's sizes)
	frag    bool
	l4      bool // the TCP/UDP/SCTP/ICMP header was read

	// TCP
	flags  uint8
	seq    uint32
	ack    uint32
	window uint16

	// app is the start of the transport payload as captured (may be cut
	// or empty), for service detection.
	app []byte
}

// parse fills p from one packet of link type lt. It never panics on short
// or malformed input: what cannot be read leaves p.ok false, or gives a
// key with less detail (addresses without ports).
func parse(p *pkt, lt layers.LinkType, data []byte) {
	*p = pkt{}
	var off int
	var et uint16
	if lt == layers.LinkTypeEthernet {
		if len(data) < 14 {
			return
		}
		copy(p.dstMAC[:], data[0:6])
		copy(p.srcMAC[:], data[6:12])
		p.hasMAC = true
		off = 12
		for {
			et = binary.BigEndian.Uint16(data[off:])
			if et != 0x8100 && et != 0x88a8 && et != 0x9100 {
				break
			}
			if len(data) < off+6 || p.nvlan == linklayer.MaxVLANTags {
				return
			}
			if p.nvlan < 2 {
				p.vlan[p.nvlan] = binary.BigEndian.Uint16(data[off+2:]) & 0x0fff
			}
			p.nvlan++
			off += 4
		}
		off += 2
		if et < 0x0600 { // 802.3 length: LLC frames, keyed as EtherType 0
			et = 0
		}
	} else {
		var ok bool
		off, et, ok = otherLink(lt, data)
		if !ok {
			return
		}
	}
	off, et = inner(data, off, et)
	switch et {
	case linklayer.EtherTypeIPv4:
		if parseIPv4(p, data[off:]) {
			return
		}
	case linklayer.EtherTypeIPv6:
		if parseIPv6(p, data[off:]) {
			return
		}
	}
	// Not IP (or IP too damaged to key): MAC pair and EtherType.
	if !p.hasMAC {
		return
	}
	*p = pkt{hasMAC: true, srcMAC: p.srcMAC, dstMAC: p.dstMAC, vlan: p.vlan, nvlan: p.nvlan}
	p.etype = et
	copy(p.src.addr[:], p.srcMAC[:])
	copy(p.dst.addr[:], p.dstMAC[:])
	p.payload = max(len(data)-off, 0)
	p.ok = true
}

// Link types read beyond those of linklayer.Network.
const (
	linkPPP       layers.LinkType = 9
	linkPPPSerial layers.LinkType = 50
	linkPPPoE     layers.LinkType = 51
	linkCHDLC     layers.LinkType = 104
	link80211     layers.LinkType = 105
	linkPrism     layers.LinkType = 119
	linkRadiotap  layers.LinkType = 127
	linkAVS       layers.LinkType = 163
	linkPPI       layers.LinkType = 192
)

// otherLink finds the network header for link types other than Ethernet.
func otherLink(lt layers.LinkType, data []byte) (int, uint16, bool) {
	switch lt {
	case linkCHDLC:
		if len(data) < 4 {
			return 0, 0, false
		}
		return 4, binary.BigEndian.Uint16(data[2:]), true
	case linkPPP, linkPPPSerial:
		off := 0
		if len(data) >= 2 && data[0] == 0xff && data[1] == 0x03 {
			off = 2
		}
		return ppp(data, off)
	case linkPPPoE:
		return ppp(data, 6)
	case link80211:
		return wifi(data, 0)
	case linkRadiotap, linkPPI:
		if len(data) < 4 {
			return 0, 0, false
		}
		return wifi(data, int(binary.LittleEndian.Uint16(data[2:])))
	case linkPrism:
		if len(data) < 8 {
			return 0, 0, false
		}
		return wifi(data, int(binary.LittleEndian.Uint32(data[4:])))
	case linkAVS:
		if len(data) < 8 {
			return 0, 0, false
		}
		return wifi(data, int(binary.BigEndian.Uint32(data[4:])))
	}
	return linklayer.Network(lt, data)
}

// wifi finds the IP packet in an unprotected 802.11 data frame at off
// (LLC/SNAP carrying IPv4 or IPv6).
func wifi(data []byte, off int) (int, uint16, bool) {
	if off < 0 || len(data) < off+24 {
		return 0, 0, false
	}
	fc0, fc1 := data[off], data[off+1]
	if fc0>>2&3 != 2 || fc1&0x40 != 0 || fc0&0x40 != 0 { // data, not protected, not null
		return 0, 0, false
	}
	hl := 24
	if fc1&3 == 3 { // to and from DS: a fourth address
		hl += 6
	}
	if fc0&0x80 != 0 { // QoS data
		hl += 2
		if fc1&0x80 != 0 { // +HTC
			hl += 4
		}
	}
	o := off + hl
	if len(data) < o+8 || data[o] != 0xaa || data[o+1] != 0xaa || data[o+2] != 3 {
		return 0, 0, false
	}
	et := binary.BigEndian.Uint16(data[o+6:])
	if et != linklayer.EtherTypeIPv4 && et != linklayer.EtherTypeIPv6 {
		return 0, 0, false
	}
	return o + 8, et, true
}

// ppp reads a PPP protocol field at off (two bytes, or one when odd) and
// maps IPv4 and IPv6 to their EtherTypes.
func ppp(data []byte, off int) (int, uint16, bool) {
	if len(data) < off+1 {
		return 0, 0, false
	}
	proto := uint16(data[off])
	n := 1
	if proto&1 == 0 {
		if len(data) < off+2 {
			return 0, 0, false
		}
		proto = binary.BigEndian.Uint16(data[off:])
		n = 2
	}
	switch proto {
	case 0x0021:
		return off + n, linklayer.EtherTypeIPv4, true
	case 0x0057:
		return off + n, linklayer.EtherTypeIPv6, true
	}
	return off + n, 0xffff, true // keyed by MACs when Ethernet carried it
}

// inner steps over PPPoE session and MPLS headers to the IP packet they
// carry, when they do.
func inner(data []byte, off int, et uint16) (int, uint16) {
	switch et {
	case 0x8864: // PPPoE session: 6-byte header, then PPP
		if o, e, ok := ppp(data, off+6); ok && e != 0xffff {
			return o, e
		}
	case 0x8847, 0x8848: // MPLS: labels to the bottom of the stack
		for o := off; o+4 <= len(data) && o < off+4*16; o += 4 {
			if data[o+2]&1 == 0 {
				continue
			}
			o += 4
			if o < len(data) {
				switch data[o] >> 4 {
				case 4:
					return o, linklayer.EtherTypeIPv4
				case 6:
					return o, linklayer.EtherTypeIPv6
				}
			}
			break
		}
	}
	return off, et
}

// parseIPv4 reads an IPv4 header and what it carries; false when the
// header is unusable.
func parseIPv4(p *pkt, d []byte) bool {
	if len(d) < 20 || d[0]>>4 != 4 {
		return false
	}
	hl := int(d[0]&0x0f) * 4
	tot := int(binary.BigEndian.Uint16(d[2:]))
	if hl < 20 || len(d) < hl {
		return false
	}
	if tot == 0 { // TSO/GSO: as captured
		tot = len(d)
	}
	if tot < hl {
		return false
	}
	p.family = 4
	p.proto = d[9]
	copy(p.src.addr[:4], d[12:16])
	copy(p.dst.addr[:4], d[16:20])
	p.ipBytes = tot
	p.ok = true
	ff := binary.BigEndian.Uint16(d[6:])
	if ff&0x3fff != 0 {
		p.frag = true
	}
	if ff&0x1fff != 0 { // not the first fragment: no transport header
		p.payload = tot - hl
		return true
	}
	end := min(tot, len(d))
	transport(p, d[hl:end], tot-hl)
	return true
}

// parseIPv6 reads an IPv6 header, skips extension headers, and reads what
// it carries.
func parseIPv6(p *pkt, d []byte) bool {
	if len(d) < 40 || d[0]>>4 != 6 {
		return false
	}
	plen := int(binary.BigEndian.Uint16(d[4:]))
	if plen == 0 { // jumbogram or GSO: as captured
		plen = len(d) - 40
	}
	p.family = 6
	copy(p.src.addr[:], d[8:24])
	copy(p.dst.addr[:], d[24:40])
	p.ipBytes = 40 + plen
	p.ok = true
	end := min(40+plen, len(d))
	next, off := d[6], 40
	for range 8 {
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if end < off+8 {
				p.proto = next
				return true
			}
			n := 8 + int(d[off+1])*8
			next = d[off]
			off += n
		case 51: // authentication header
			if end < off+8 {
				p.proto = next
				return true
			}
			n := (int(d[off+1]) + 2) * 4
			next = d[off]
			off += n
		case 44: // fragment
			if end < off+8 {
				p.proto = next
				return true
			}
			p.frag = true
			fo := binary.BigEndian.Uint16(d[off+2:]) &^ 7
			next = d[off]
			off += 8
			if fo != 0 {
				p.proto = next
				p.payload = max(40+plen-off, 0)
				return true
			}
		default:
			p.proto = next
			if off > end {
				return true
			}
			transport(p, d[off:end], 40+plen-off)
			return true
		}
		if off > end {
			p.proto = next
			return true
		}
	}
	p.proto = next
	return true
}

// transport reads the transport header in d (captured bytes, cut to the
// IP length); size is the transport length by the IP header.
func transport(p *pkt, d []byte, size int) {
	size = max(size, 0)
	p.payload = size // unless the header below is read
	switch p.proto {
	case protoTCP:
		if len(d) < 20 {
			return
		}
		p.l4 = true
		p.src.port = binary.BigEndian.Uint16(d[0:])
		p.dst.port = binary.BigEndian.Uint16(d[2:])
		p.seq = binary.BigEndian.Uint32(d[4:])
		p.ack = binary.BigEndian.Uint32(d[8:])
		hl := int(d[12]>>4) * 4
		p.flags = d[13]
		p.window = binary.BigEndian.Uint16(d[14:])
		if hl < 20 {
			hl = 20
		}
		p.payload = max(size-hl, 0)
		if hl < len(d) {
			p.app = d[hl:]
		}
	case protoUDP:
		if len(d) < 8 {
			return
		}
		p.l4 = true
		p.src.port = binary.BigEndian.Uint16(d[0:])
		p.dst.port = binary.BigEndian.Uint16(d[2:])
		ul := int(binary.BigEndian.Uint16(d[4:]))
		if ul < 8 || ul > size {
			ul = size
		}
		p.payload = max(ul-8, 0)
		p.app = d[8:min(len(d), max(ul, 8))]
	case protoSCTP:
		if len(d) < 12 {
			return
		}
		p.l4 = true
		p.src.port = binary.BigEndian.Uint16(d[0:])
		p.dst.port = binary.BigEndian.Uint16(d[2:])
		p.payload = max(size-12, 0)
	case protoICMP, protoICMPv6:
		if len(d) < 4 {
			return
		}
		p.l4 = true
		typ, code := d[0], d[1]
		var cp uint8
		var paired bool
		if p.proto == protoICMP {
			cp, paired = icmp4Counterpart(typ)
		} else {
			cp, paired = icmp6Counterpart(typ)
		}
		p.src.port = uint16(typ)
		if paired {
			p.dst.port = uint16(cp)
			if len(d) >= 6 && hasEchoID(p.proto, typ) {
				p.echoID = binary.BigEndian.Uint16(d[4:])
			}
		} else {
			p.dst.port = uint16(code)
			p.oneWay = true
		}
		p.payload = max(size-8, 0)
	default:
		p.payload = size
	}
}

// icmp4Counterpart returns the type that answers (or is answered by) an
// ICMPv4 type, as Zeek pairs them.
func icmp4Counterpart(t uint8) (uint8, bool) {
	switch t {
	case 8:
		return 0, true
	case 0:
		return 8, true
	case 13:
		return 14, true
	case 14:
		return 13, true
	case 15:
		return 16, true
	case 16:
		return 15, true
	case 10:
		return 9, true
	case 9:
		return 10, true
	case 17:
		return 18, true
	case 18:
		return 17, true
	}
	return 0, false
}

// icmp6Counterpart is icmp4Counterpart for ICMPv6.
func icmp6Counterpart(t uint8) (uint8, bool) {
	switch t {
	case 128:
		return 129, true
	case 129:
		return 128, true
	case 133:
		return 134, true
	case 134:
		return 133, true
	case 135:
		return 136, true
	case 136:
		return 135, true
	case 130:
		return 131, true
	case 131:
		return 130, true
	case 139:
		return 140, true
	case 140:
		return 139, true
	}
	return 0, false
}

// hasEchoID says whether an ICMP type carries an identifier at offset 4.
func hasEchoID(proto, t uint8) bool {
	if proto == protoICMP {
		return t == 0 || t == 8 || t == 13 || t == 14 || t == 15 || t == 16 || t == 17 || t == 18
	}
	return t == 128 || t == 129
}
