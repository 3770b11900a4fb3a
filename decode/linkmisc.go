package decode

// ipoib prints an IP-over-InfiniBand frame (LINKTYPE_IPOIB): a 40-byte
// pseudo-header of addresses, the ethertype and 2 reserved bytes.
func (p *Printer) ipoib(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 44 {
		return appendTrunc(b, "ipoib"), len(d)
	}
	et := be16(d[40:])
	if p.opts.Link {
		b = appendEtherType(append(b, "IPOIB, ethertype "...), et)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	return p.etherPayload(b, d[44:], wire-44, et), 44
}

// ipnet prints a Solaris ipnet frame (LINKTYPE_IPNET):
//
//	| version | family | htype 2 | length 4 | ifindex 4 | grifindex 4 |
//	| zone src 4 | zone dst 4 |
func (p *Printer) ipnet(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 24 {
		return appendTrunc(b, "ipnet"), len(d)
	}
	fam := d[1]
	if p.opts.Link {
		b = appendUint(b, uint64(be32(d[16:])))
		b = append(b, " > "...)
		b = appendUint(b, uint64(be32(d[20:])))
		b = append(b, ", family "...)
		switch fam {
		case 2:
			b = append(b, "IPv4"...)
		case 26:
			b = append(b, "IPv6"...)
		default:
			b = append(b, "unknown"...)
		}
		b = append(b, " ("...)
		b = appendUint(b, uint64(fam))
		b = append(b, "), length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	switch fam {
	case 2:
		return p.ip4(b, d[24:], wire-24), 24
	case 26:
		return p.ip6(b, d[24:], wire-24), 24
	}
	if !p.opts.Link {
		b = append(b, "ipnet_if_print: unknown family "...)
		b = appendUint(b, uint64(fam))
	}
	return b, 24
}

// arcnetLinux prints a Linux ARCnet frame (LINKTYPE_ARCNET_LINUX): source,
// destination, 2 bytes of offset, the protocol, and for RFC 1201 protocols
// a split flag and 2 bytes of sequence (4 more bytes of exception header
// when the flag is 0xff).
func (p *Printer) arcnetLinux(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 5 {
		return appendTrunc(b, "arcnet"), len(d)
	}
	proto := d[4]
	off := 5
	switch proto {
	case 0xf0, 0xf1: // RFC 1051
	default:
		if len(d) < 8 {
			return appendTrunc(b, "arcnet"), len(d)
		}
		if d[5] == 0xff {
			off = 12
		} else {
			off = 8
		}
		if len(d) < off {
			return appendTrunc(b, "arcnet"), len(d)
		}
	}
	rest, length := d[off:], wire-off
	switch proto {
	case 0xd4, 0xf0:
		return p.ip4(b, rest, length), off
	case 0xc4:
		return p.ip6(b, rest, length), off
	case 0xd5, 0xf1:
		return p.arp(b, rest, length, false), off
	case 0xd6:
		return p.arp(b, rest, length, true), off
	case 0xdd:
		b = append(b, "AT "...)
		if length < 13 {
			// too short for a DDP header
			b = append(b, " [|ddp "...)
			b = appendInt(b, length)
			return append(b, ']'), off
		}
		if len(rest) < 13 {
			return appendTrunc(b, "ddp"), off
		}
	}
	return b, off
}

// vsock prints a Linux vsock monitor frame (LINKTYPE_VSOCK), whose
// little-endian header is
//
//	| src CID 8 | dst CID 8 | src port 4 | dst port 4 | op 2 | transport 2 |
//	| payload length 2 | reserved 2 |
func (p *Printer) vsock(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 32 {
		return appendTrunc(b, "vsock"), len(d)
	}
	switch le16(d[26:]) {
	case 0:
		b = append(b, "UNKNOWN"...)
	case 1:
		b = append(b, "NO_INFO"...)
	case 2:
		b = append(b, "VIRTIO"...)
	default:
		b = append(b, "UNKNOWN"...)
	}
	b = append(b, ' ')
	b = appendUint(b, le64(d[0:]))
	b = append(b, '.')
	b = appendUint(b, uint64(le32(d[16:])))
	b = append(b, " > "...)
	b = appendUint(b, le64(d[8:]))
	b = append(b, '.')
	b = appendUint(b, uint64(le32(d[20:])))
	b = append(b, ' ')
	switch le16(d[24:]) {
	case 1:
		b = append(b, "CONNECT"...)
	case 2:
		b = append(b, "DISCONNECT"...)
	case 3:
		b = append(b, "CONTROL"...)
	case 4:
		b = append(b, "PAYLOAD"...)
	default:
		b = append(b, "UNKNOWN"...)
	}
	b = append(b, ", length "...)
	return appendInt(b, wire), 32
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

// slip prints a SLIP frame as libpcap stores it: a 16-byte pseudo-header
// (direction, compressed header), then the IP packet.
func (p *Printer) slip(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 16 {
		return appendTrunc(b, "slip"), len(d)
	}
	ip := d[16:]
	if len(ip) < 1 {
		return appendTrunc(b, "slip"), 16
	}
	switch ip[0] >> 4 {
	case 4:
		return p.ip4(b, ip, wire-16), 16
	case 6:
		return p.ip6(b, ip, wire-16), 16
	}
	b = append(b, "ip v"...)
	return appendUint(b, uint64(ip[0]>>4)), 16
}

// nflog prints a Linux netfilter log frame (LINKTYPE_NFLOG): family,
// version, resource ID 2, then little-endian TLVs (length 2, type 2,
// value padded to 4 bytes); the payload TLV (type 9) holds the packet.
func (p *Printer) nflog(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 4 {
		return appendTrunc(b, "nflog"), len(d)
	}
	fam := d[0]
	for off := 4; ; {
		if len(d)-off < 4 {
			return appendTrunc(b, "nflog"), len(d)
		}
		n, typ := int(le16(d[off:])), le16(d[off+2:])&0x7fff
		if n < 4 {
			return appendTrunc(b, "nflog"), len(d)
		}
		if typ == 9 {
			start := off + 4
			end := min(len(d), off+n)
			switch fam {
			case 2:
				return p.ip4(b, d[start:end], n-4), start
			case 10:
				return p.ip6(b, d[start:end], n-4), start
			}
			return b, start
		}
		off += (n + 3) &^ 3
	}
}

// pktap prints an Apple PKTAP frame: a little-endian header whose first
// field is its length and whose third is the link type of the packet
// that follows.
func (p *Printer) pktap(b, d []byte, wire int) ([]byte, int) {
	if wire < 108 {
		b = append(b, " (packet too short, "...)
		b = appendInt(b, wire)
		return append(b, " < 108) (invalid)"...), len(d)
	}
	if len(d) < 12 {
		return appendTrunc(b, "pktap"), len(d)
	}
	n := int(le32(d))
	if n < 108 {
		b = append(b, " (pkt_len too small, "...)
		b = appendInt(b, n)
		return append(b, " < 108) (invalid)"...), len(d)
	}
	if p.nest >= maxTunnelNest {
		return appendTrunc(b, "pktap"), len(d)
	}
	if n > len(d) {
		n = len(d)
	}
	p.nest++
	defer func() { p.nest-- }()
	t, net := p.appendLink(b, d[n:], wire-n, linkTypeOf(le32(d[8:])))
	return t, n + net
}

// sunATM prints a SunATM frame: flags (traffic type), VPI, VCI 2, then
// LLC-encapsulated traffic; VCIs 3 and 4 carry OAM cells, 5 signalling.
func (p *Printer) sunATM(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 4 {
		return appendTrunc(b, "atm"), len(d)
	}
	vci := be16(d[2:])
	rest := d[4:]
	switch {
	case vci == 3 || vci == 4:
		if len(rest) < 4 {
			return appendTrunc(b, "oam"), len(d)
		}
	case vci == 5:
		if len(rest) < 1 {
			return appendTrunc(b, "atm"), len(d)
		}
	}
	if d[0]&0x0f == 2 { // LLC multiplexed
		return p.llc(b, rest, wire-4), 4
	}
	return b, 4
}
