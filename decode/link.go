package decode

import (
	"strings"

	"github.com/gopacket/gopacket/layers"
)

// Link types printed here beyond gopacket's named constants.
const (
	linkTypeRawOpenBSD = 12  // DLT_RAW on OpenBSD
	linkTypeRawBSD     = 14  // DLT_RAW on BSD/OS
	linkTypeIPv4       = 228 // LINKTYPE_IPV4
	linkTypeIPv6       = 229 // LINKTYPE_IPV6
	linkTypeSLL2       = 276 // LINKTYPE_LINUX_SLL2
)

// appendLink prints the packet from its link layer on; it returns the line
// and the offset in data where the network layer starts (for -x dumps).
func (p *Printer) appendLink(b, d []byte, wire int, lt layers.LinkType) ([]byte, int) {
	switch lt {
	case layers.LinkTypeEthernet:
		return p.ether(b, d, wire)
	case layers.LinkTypeLinuxSLL:
		return p.sll(b, d, wire)
	case linkTypeSLL2:
		return p.sll2(b, d, wire)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return p.null(b, d, wire, lt == layers.LinkTypeLoop)
	case layers.LinkTypeRaw, linkTypeRawOpenBSD, linkTypeRawBSD:
		if p.opts.Link {
			b = append(b, "ip: "...)
		}
		if len(d) == 0 {
			return appendTrunc(b, "ip"), 0
		}
		return p.ipN(b, d, wire), 0
	case linkTypeIPv4:
		if p.opts.Link {
			b = append(b, "ip: "...)
		}
		return p.ip4(b, d, wire), 0
	case linkTypeIPv6:
		if p.opts.Link {
			b = append(b, "ip: "...)
		}
		if len(d) == 0 {
			return p.ip6(b, d, wire), 0
		}
		return p.ipN(b, d, wire), 0
	}
	if t, net, ok := p.linkWifi(b, d, wire, lt); ok {
		return t, net
	}
	if t, net, ok := p.linkL2(b, d, wire, lt); ok {
		return t, net
	}
	// tcpdump's printer for link types it cannot dissect.
	p.dump, p.dumpAlways = d, true
	return append(b, "UNSUPPORTED"...), 0
}

// ether prints an Ethernet II or 802.3 frame.
//
//	+--------+--------+------+
//	| dst 6  | src 6  | type |  (802.1Q tags: type 0x8100, TCI 2, type 2)
//	+--------+--------+------+
func (p *Printer) ether(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 14 {
		if p.opts.Link && len(d) >= 12 {
			b = appendMAC(b, d[6:12])
			b = append(b, " > "...)
			b = appendMAC(b, d[0:6])
		}
		return appendTrunc(b, "ether"), len(d)
	}
	et := be16(d[12:])
	p.l2.mac = d[:12]
	if p.opts.Link || !(knownEtherType(et) || l2EtherType(et)) {
		b = appendMAC(b, d[6:12])
		b = append(b, " > "...)
		b = appendMAC(b, d[0:6])
		b = append(b, ", "...)
		if et <= 1500 {
			b = append(b, "802.3, length "...)
			b = appendInt(b, int(et))
		} else {
			b = appendEtherType(append(b, "ethertype "...), et)
			b = append(b, ", length "...)
			b = appendInt(b, wire)
		}
		b = append(b, ": "...)
	}
	off := 14
	for et == 0x8100 || et == 0x88a8 || et == 0x9100 {
		if len(d) < off+4 {
			return appendTrunc(b, "vlan"), len(d)
		}
		tci := be16(d[off:])
		et = be16(d[off+2:])
		if p.opts.Link {
			b = append(b, "vlan "...)
			b = appendUint(b, uint64(tci&0xfff))
			b = append(b, ", p "...)
			b = appendUint(b, uint64(tci>>13))
			if tci&0x1000 != 0 {
				b = append(b, ", DEI"...)
			}
			b = append(b, ", "...)
			if et <= 1500 {
				// tcpdump puts no separator after this one
				b = append(b, "802.3"...)
			} else {
				b = appendEtherType(append(b, "ethertype "...), et)
				b = append(b, ", "...)
			}
		}
		off += 4
	}
	return p.etherPayload(b, d[off:], wire-off, et), off
}

// etherPayload prints the payload of a frame whose type is et.
func (p *Printer) etherPayload(b, d []byte, length int, et uint16) []byte {
	switch et {
	case 0x0800:
		return p.ip4(b, d, length)
	case 0x86dd:
		return p.ip6(b, d, length)
	case 0x0806, 0x8035:
		return p.arp(b, d, length, et == 0x8035)
	}
	if t, ok := p.etherL2(b, d, length, et); ok {
		return t
	}
	if t, ok := p.etherMisc(b, d, length, et); ok {
		return t
	}
	if et <= 1500 {
		b = append(b, "LLC, length "...)
		return appendInt(b, length)
	}
	// An ethertype without a dissector: tcpdump dumps the payload.
	p.dump = d
	return b
}

// sll prints a Linux cooked (v1) header: packet type 2, ARPHRD 2, address
// length 2, address 8, protocol 2.
func (p *Printer) sll(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 16 {
		return appendTrunc(b, "sll"), len(d)
	}
	et := be16(d[14:])
	if p.opts.Link {
		b = appendSLLType(b, be16(d[0:]))
		b = appendHWAddr(b, d[6:14], int(be16(d[4:])))
		b = appendEtherType(append(b, "ethertype "...), et)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	return p.etherPayload(b, d[16:], wire-16, et), 16
}

// sll2 prints a Linux cooked v2 header: protocol 2, reserved 2, interface
// index 4, ARPHRD 2, packet type 1, address length 1, address 8.
func (p *Printer) sll2(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 20 {
		return appendTrunc(b, "sll2"), len(d)
	}
	et := be16(d[0:])
	// The interface's name, padded to 5 as tcpdump does; "?" for an
	// index not known (always in a file: its indexes belong to the
	// machine that captured it).
	name := "?"
	if p.opts.InterfaceName != nil {
		if n := p.opts.InterfaceName(int(be32(d[4:]))); n != "" {
			name = n
		}
	}
	b = append(b, name...)
	b = append(b, "     "[min(len(name), 5):]...)
	b = append(b, ' ')
	if t := d[10]; int(t) < len(sllTypes) {
		n := strings.TrimSpace(sllTypes[t])
		b = append(b, n...)
		b = append(b, "    "[len(n):]...)
	} else {
		b = append(b, "?   "...)
	}
	if p.opts.Link {
		b = append(b, "ifindex "...)
		b = appendUint(b, uint64(be32(d[4:])))
		b = append(b, ' ')
		if d[11] == 6 {
			b = append(appendMAC(b, d[12:18]), ' ')
		}
		b = appendEtherType(append(b, "ethertype "...), et)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	return p.etherPayload(b, d[20:], wire-20, et), 20
}

var sllTypes = [...]string{0: " In", 1: "  B", 2: "  M", 3: "  P", 4: "Out"}

func appendSLLType(b []byte, t uint16) []byte {
	if int(t) < len(sllTypes) {
		b = append(b, sllTypes[t]...)
	} else {
		b = append(b, "  ?"...)
	}
	return append(b, ' ')
}

func appendHWAddr(b, a []byte, n int) []byte {
	if n <= 0 {
		return b
	}
	if n > len(a) {
		n = len(a)
	}
	return append(appendMAC(b, a[:n]), ' ')
}

// null prints a BSD loopback header: a 4-byte address family in the
// capturing host's byte order (NULL) or in network order (LOOP).
func (p *Printer) null(b, d []byte, wire int, loop bool) ([]byte, int) {
	if len(d) < 4 {
		return appendTrunc(b, "null"), len(d)
	}
	var fam uint32
	if loop {
		fam = be32(d)
	} else {
		fam = uint32(d[0]) | uint32(d[1])<<8 | uint32(d[2])<<16 | uint32(d[3])<<24
		if fam&0xffff0000 != 0 {
			fam = fam>>24 | fam>>8&0xff00 | fam<<8&0xff0000 | fam<<24
		}
	}
	if p.opts.Link {
		b = append(b, "AF "...)
		switch fam {
		case 2:
			b = append(b, "IPv4"...)
		case 24, 28, 30:
			b = append(b, "IPv6"...)
		default:
			b = append(b, "Unknown"...)
		}
		b = append(b, " ("...)
		b = appendUint(b, uint64(fam))
		b = append(b, "), length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	switch fam {
	case 2:
		return p.ip4(b, d[4:], wire-4), 4
	case 24, 28, 30:
		return p.ip6(b, d[4:], wire-4), 4
	}
	if !p.opts.Link {
		b = append(b, "AF Unknown ("...)
		b = appendUint(b, uint64(fam))
		b = append(b, "), length "...)
		b = appendInt(b, wire)
	}
	return b, 4
}

var etherTypeNames = map[uint16]string{
	0x0800: "IPv4", 0x86dd: "IPv6", 0x0806: "ARP", 0x8035: "Reverse ARP",
	0x8100: "802.1Q", 0x88a8: "802.1Q-QinQ", 0x9100: "802.1Q-9100", 0x9200: "802.1Q-9200",
	0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x8863: "PPPoE D", 0x8864: "PPPoE S",
	0x88cc: "LLDP", 0x888e: "EAPOL", 0x8809: "Slow Protocols", 0x88f7: "PTP",
	0x9000: "Loopback", 0x6003: "DN", 0x809b: "Appletalk", 0x80f3: "AARP", 0x8137: "IPX",
	0x88e5: "MACsec", 0x8902: "CFM", 0x22f0: "AVB", 0x8906: "FCoE", 0x8914: "FIP",
	0x88e7: "PBB", 0x893a: "IEEE1905.1", 0x6558: "TEB", 0x880b: "PPP",
}

func knownEtherType(et uint16) bool {
	switch et {
	case 0x0800, 0x86dd, 0x0806, 0x8035, 0x8100, 0x88a8, 0x9100, 0x88f7:
		return true
	}
	return false
}

// appendEtherType appends "NAME (0x%04x)" as tcpdump names ethertypes.
func appendEtherType(b []byte, et uint16) []byte {
	if n, ok := etherTypeNames[et]; ok {
		b = append(b, n...)
	} else if n := l2EtherTypeName(et); n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(et), 4)
	return append(b, ')')
}
