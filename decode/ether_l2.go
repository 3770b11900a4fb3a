package decode

import "time"

// etherType prints a payload of ethertype et (above 1500) when a printer
// knows it; ok is false otherwise, and nothing is appended.
func (p *Printer) etherType(b, d []byte, length int, et uint16) ([]byte, bool) {
	switch et {
	case 0x0800:
		return p.ip4(b, d, length), true
	case 0x86dd:
		return p.ip6(b, d, length), true
	case 0x0806, 0x8035:
		return p.arp(b, d, length, et == 0x8035), true
	}
	if et <= 1500 {
		return b, false
	}
	if t, ok := p.etherL2(b, d, length, et); ok {
		return t, true
	}
	return p.etherMisc(b, d, length, et)
}

// lldp prints an LLDP frame as tcpdump does at default verbosity: its
// length, and the system name when a TLV gives one.
//
//	TLV: | type 7 bits | length 9 bits | value |
func lldp(b, d []byte, length int) []byte {
	b = append(b, "LLDP, length "...)
	b = appendInt(b, length)
	d = d[:min(len(d), max(length, 0))]
	for off := 0; ; {
		if len(d)-off < 2 {
			if off < length {
				return appendTrunc(b, "lldp")
			}
			return b
		}
		h := be16(d[off:])
		typ, n := h>>9, int(h&0x1ff)
		if typ == 0 {
			return b
		}
		if len(d)-off-2 < n {
			return appendTrunc(b, "lldp")
		}
		if typ == 5 {
			b = append(b, ": "...)
			b = appendPrintable(b, d[off+2:off+2+n])
		}
		off += 2 + n
	}
}

// appendPrintable appends s as tcpdump's nd_printjn does: printable ASCII
// as is, other bytes as "M-" (high bit) and "^" (control) escapes.
func appendPrintable(b, s []byte) []byte {
	for _, c := range s {
		if c >= 0x80 {
			b = append(b, 'M', '-')
			c &= 0x7f
		}
		if c < 0x20 || c == 0x7f {
			b = append(b, '^')
			c ^= 0x40
		}
		b = append(b, c)
	}
	return b
}

// slow prints an IEEE 802.3 slow protocol frame (LACP, marker, OAM): its
// subtype and version.
func slow(b, d []byte, length int) []byte {
	if len(d) < 1 || length < 1 {
		return appendTrunc(b, "slow")
	}
	switch d[0] {
	case 1:
		b = append(b, "LACP"...)
	case 2:
		b = append(b, "MARKER"...)
	case 3:
		b = append(b, "OAM"...)
	default:
		b = append(b, "Slow Protocols, unknown subtype 0x"...)
		b = appendHex(b, uint64(d[0]), 2)
		b = append(b, ", length "...)
		return appendInt(b, length)
	}
	if len(d) < 2 || length < 2 {
		return appendTrunc(b, "slow")
	}
	b = append(b, 'v')
	b = appendUint(b, uint64(d[1]))
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// eapol prints an 802.1X frame: | version | type | body length 2 |.
func eapol(b, d []byte, length int) []byte {
	if len(d) < 4 || length < 4 {
		return appendTrunc(b, "eap")
	}
	switch t := d[1]; t {
	case 0:
		b = append(b, "EAP packet"...)
	case 1:
		b = append(b, "EAPOL start"...)
	case 2:
		b = append(b, "EAPOL logoff"...)
	case 3:
		b = append(b, "EAPOL key"...)
	case 4:
		b = append(b, "EAPOL encapsulated ASF alert"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, ") v"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", len "...)
	return appendUint(b, uint64(be16(d[2:])))
}

// aoe prints the header of an ATA over Ethernet frame:
//
//	| version 4 | flags 4 | error | major 2 | minor | command | tag 4 |
func aoe(b, d []byte, length int) []byte {
	b = append(b, "AoE length "...)
	b = appendInt(b, length)
	if len(d) < 1 {
		return appendTrunc(b, "aoe")
	}
	b = append(b, ", Ver "...)
	b = appendUint(b, uint64(d[0]>>4))
	if d[0]>>4 != 1 {
		return b
	}
	b = append(b, ", Flags: ["...)
	n := len(b)
	for _, f := range aoeFlags {
		if d[0]&f.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return append(b, ']')
}

var aoeFlags = [...]struct {
	bit  byte
	name string
}{{0x08, "Response"}, {0x04, "Error"}, {0x02, "MBZ-1"}, {0x01, "MBZ-0"}}

// loopback prints an Ethernet configuration testing protocol frame
// (ethertype 0x9000), whose fields are little-endian:
//
//	| skip count 2 | skipped | function 2 | receipt number 2 or address 6 |
func loopback(b, d []byte, length int) []byte {
	b = append(b, "Loopback"...)
	if len(d) < 2 || length < 2 {
		return appendTrunc(b, "loopback")
	}
	skip := int(le16(d))
	b = append(b, ", skipCount "...)
	b = appendInt(b, skip)
	if skip&1 != 0 {
		return append(b, " (bogus)"...)
	}
	off := 2 + skip
	if len(d) < off+2 || length < off+2 {
		return appendTrunc(b, "loopback")
	}
	fn := le16(d[off:])
	off += 2
	switch fn {
	case 1:
		b = append(b, ", Reply"...)
		if len(d) < off+2 || length < off+2 {
			return appendTrunc(b, "loopback")
		}
		b = append(b, ", receipt number "...)
		b = appendUint(b, uint64(le16(d[off:])))
		off += 2
	case 2:
		b = append(b, ", Forward Data"...)
		if len(d) < off+6 || length < off+6 {
			return appendTrunc(b, "loopback")
		}
		b = append(b, ", forwarding address "...)
		b = appendMAC(b, d[off:off+6])
		off += 6
	default:
		b = append(b, ", unknown function "...)
		b = appendUint(b, uint64(fn))
		return b
	}
	b = append(b, ", data ("...)
	b = appendInt(b, length-off)
	return append(b, " octets)"...)
}

// cfm prints the common header of an 802.1ag CFM PDU:
//
//	| MD level 3 | version 5 | opcode | flags | first TLV offset |
func cfm(b, d []byte, length int) []byte {
	if len(d) < 4 || length < 4 {
		return appendTrunc(b, "cfm")
	}
	b = append(b, "CFMv"...)
	b = appendUint(b, uint64(d[0]&0x1f))
	b = append(b, ' ')
	switch op := d[1]; op {
	case 1:
		b = append(b, "Continuity Check Message"...)
	case 2:
		b = append(b, "Loopback Reply"...)
	case 3:
		b = append(b, "Loopback Message"...)
	case 4:
		b = append(b, "Linktrace Reply"...)
	case 5:
		b = append(b, "Linktrace Message"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, "), MD Level "...)
	b = appendUint(b, uint64(d[0]>>5))
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// calmFast prints the header of an ISO CALM FAST frame (with the
// Ethernet source address when there is one).
func (p *Printer) calmFast(b, d []byte, length int) []byte {
	b = append(b, "CALM FAST"...)
	if p.l2.mac != nil {
		b = append(b, " src:"...)
		b = appendMAC(b, p.l2.mac[6:12])
	}
	if len(d) < 2 || length < 2 {
		return appendTrunc(b, "calm_fast")
	}
	b = append(b, "; SrcNwref:"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, "; DstNwref:"...)
	b = appendUint(b, uint64(d[1]))
	return append(b, "; "...)
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }

// arista prints an Arista vendor-specific header (ethertype 0xd28b) with
// its hardware timestamp, then the frame's real ethertype and payload;
// frame is the whole frame's length, which tcpdump prints.
//
//	| subtype 2 | version 2: timescale 8, format 4, hardware 4 |
//	| seconds 4, nanoseconds 4 (64-bit) or seconds 2, ns 4 (48-bit) |
func (p *Printer) arista(b, d []byte, length, frame int) []byte {
	if !p.opts.Link {
		b = append(b, "ethertype Arista Vendor Specific Protocol (0xd28b), length "...)
		b = appendInt(b, frame)
		b = append(b, ": "...)
	}
	if len(d) < 4 {
		return appendTrunc(b, "arista")
	}
	sub, ver := be16(d), be16(d[2:])
	if sub != 1 {
		b = append(b, "SubType Unknown (0x"...)
		b = appendHex(b, uint64(sub), 4)
		return append(b, ')')
	}
	b = append(b, "SubType Timestamp (0x0001), Timescale "...)
	switch ts := ver >> 8; ts {
	case 0:
		b = append(b, "TAI"...)
	case 1:
		b = append(b, "UTC"...)
	default:
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(ver>>8))
	b = append(b, "), Format "...)
	format := ver >> 4 & 0xf
	switch format {
	case 1:
		b = append(b, "64-bit"...)
	case 2:
		b = append(b, "48-bit"...)
	default:
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(format))
	b = append(b, "), HwInfo "...)
	switch ver & 0xf {
	case 0:
		b = append(b, "R/R2"...)
	case 1:
		b = append(b, "R3"...)
	default:
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(ver&0xf))
	b = append(b, "), Timestamp "...)
	off := 4
	switch format {
	case 1:
		if len(d) < 12 {
			return appendTrunc(b, "arista")
		}
		t := time.Unix(int64(be32(d[4:])), int64(be32(d[8:]))).UTC()
		y, mo, dd := t.Date()
		b = appendPad(b, y, 4)
		b = append(b, '-')
		b = appendPad(b, int(mo), 2)
		b = append(b, '-')
		b = appendPad(b, dd, 2)
		b = append(b, ' ')
		h, m, s := t.Clock()
		b = appendClock(b, h, m, s)
		b = append(b, '.')
		b = appendPad(b, int(be32(d[8:])), 9)
		off = 12
	case 2:
		if len(d) < 10 {
			return appendTrunc(b, "arista")
		}
		b = appendUint(b, uint64(be16(d[4:])))
		b = append(b, '.')
		b = appendPad(b, int(be32(d[6:])), 9)
		off = 10
	default:
		return b
	}
	b = append(b, ": "...)
	length -= off
	d = d[off:]
	for {
		if len(d) < 2 {
			return appendTrunc(b, "arista")
		}
		et := be16(d)
		if et != 0x8100 && et != 0x88a8 {
			return p.etherPayload(b, d[2:], length-2, et)
		}
		if len(d) < 4 {
			return appendTrunc(b, "vlan")
		}
		d, length = d[4:], length-4
	}
}

// aarp prints an AppleTalk ARP packet (ethertype 0x80f3):
//
//	| hardware 2 | protocol 2 | hw length | proto length | op 2 |
//	| sender hw 6 | sender AT 4 | target hw 6 | target AT 4 |
func aarp(b, d []byte, length int) []byte {
	b = append(b, "aarp "...)
	if len(d) < 28 {
		return appendTrunc(b, "aarp")
	}
	if be16(d) == 1 && be16(d[2:]) == 0x809b && d[4] == 6 && d[5] == 4 {
		switch be16(d[6:]) {
		case 1:
			b = append(b, "who-has "...)
			b = appendATAddr(b, d[24:])
			b = append(b, " tell "...)
			return appendATAddr(b, d[14:])
		case 2:
			b = append(b, "reply "...)
			b = appendATAddr(b, d[14:])
			b = append(b, " is-at "...)
			return appendMAC(b, d[8:14])
		case 3:
			b = append(b, "probe "...)
			b = appendATAddr(b, d[24:])
			b = append(b, " tell "...)
			return appendMAC(b, d[8:14])
		}
	}
	b = append(b, "len "...)
	b = appendInt(b, length)
	b = append(b, " op "...)
	b = appendUint(b, uint64(be16(d[6:])))
	b = append(b, " htype "...)
	b = appendUint(b, uint64(be16(d)))
	b = append(b, " ptype 0x"...)
	b = appendHex(b, uint64(be16(d[2:])), 1)
	b = append(b, " halen "...)
	b = appendUint(b, uint64(d[4]))
	b = append(b, " palen "...)
	return appendUint(b, uint64(d[5]))
}

// appendATAddr appends an AppleTalk address (a reserved byte, network 2,
// node) as "net.node".
func appendATAddr(b, a []byte) []byte {
	b = appendUint(b, uint64(be16(a[1:])))
	b = append(b, '.')
	return appendUint(b, uint64(a[3]))
}

// nsh prints a Network Service Header (ethertype 0x894f) and the packet
// it carries:
//
//	| version 2 | O | U | TTL 6 | length 6 (words) | MD type 4 (low) |
//	| next protocol | service path ID 24 | service index 8 | metadata |
func (p *Printer) nsh(b, d []byte, length int) []byte {
	b = append(b, "NSH, "...)
	if len(d) < 8 || length < 8 {
		return appendTrunc(b, "nsh")
	}
	b = append(b, "flags ["...)
	if d[0]&0x20 != 0 {
		b = append(b, 'O')
	} else {
		b = append(b, "none"...)
	}
	b = append(b, "], service-path-id 0x"...)
	b = appendHex(b, uint64(be32(d[4:])>>8), 6)
	b = append(b, ", service-index 0x"...)
	b = appendHex(b, uint64(d[7]), 1)
	hlen := int(be16(d)&0x3f) * 4
	if hlen < 8 || len(d) < hlen || length < hlen {
		return appendTrunc(b, "nsh")
	}
	b = append(b, ": "...)
	next := d[3]
	d, length = d[hlen:], length-hlen
	switch next {
	case 1:
		return p.ip4(b, d, length)
	case 2:
		return p.ip6(b, d, length)
	case 3:
		if len(d) < 14 {
			return appendTrunc(b, "ether")
		}
		t, _ := p.ether(b, d, length)
		return t
	}
	b = append(b, "next-protocol 0x"...)
	return appendHex(b, uint64(next), 2)
}
