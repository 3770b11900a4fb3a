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
	}
	return b, off
}
