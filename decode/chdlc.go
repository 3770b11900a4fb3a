package decode

// chdlc prints a Cisco HDLC frame:
//
//	| address 1 | control 1 | protocol 2 (an ethertype) |
//
// With -e tcpdump names the address ("unicast" 0x0f, "bcast" 0x8f).
func (p *Printer) chdlc(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 4 {
		return appendTrunc(b, "chdlc"), len(d)
	}
	proto := be16(d[2:])
	if p.opts.Link {
		switch d[0] {
		case 0x0f:
			b = append(b, "unicast"...)
		case 0x8f:
			b = append(b, "bcast"...)
		default:
			b = append(b, "0x"...)
			b = appendHex(b, uint64(d[0]), 2)
		}
		b = appendEtherType(append(b, ", ethertype "...), proto)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	d, length := d[4:], wire-4
	switch proto {
	case 0x0800:
		return p.ip4(b, d, length), 4
	case 0x86dd:
		return p.ip6(b, d, length), 4
	case 0x8035:
		return slarp(b, d, length), 4
	case 0x8847, 0x8848:
		return p.mpls(b, d, length), 4
	case 0xfefe:
		// A "fudge" byte may precede the NLPID.
		if len(d) < 2 {
			return appendTrunc(b, "chdlc"), 4
		}
		if len(d) >= 2 && (d[1] == nlpidCLNP || d[1] == nlpidESIS || d[1] == nlpidISIS) {
			d, length = d[1:], length-1
		}
		return p.osi(b, d, length), 4
	}
	if !p.opts.Link {
		b = append(b, "unknown CHDLC protocol (0x"...)
		b = appendHex(b, uint64(proto), 4)
		b = append(b, ')')
	}
	return b, 4
}

// slarp prints Cisco's Serial Line ARP:
//
//	| code 4 | address 4, mask 4 (request, reply) or my sequence 4,
//	  your sequence 4, reliability 2 (keepalive) | [uptime 4, ms] |
func slarp(b, d []byte, length int) []byte {
	b = append(b, "SLARP (length: "...)
	b = appendInt(b, length)
	b = append(b, "), "...)
	if len(d) < 4 {
		return appendTrunc(b, "slarp")
	}
	switch code := be32(d); code {
	case 0:
		b = append(b, "request"...)
	case 1:
		if len(d) < 12 {
			return appendTrunc(b, "slarp")
		}
		b = append(b, "reply "...)
		b = appendIPv4(b, d[4:])
		b = append(b, '/')
		b = appendIPv4(b, d[8:])
	case 2:
		if len(d) < 14 {
			return appendTrunc(b, "slarp")
		}
		b = append(b, "keepalive: mineseen=0x"...)
		b = appendHex(b, uint64(be32(d[4:])), 8)
		b = append(b, ", yourseen=0x"...)
		b = appendHex(b, uint64(be32(d[8:])), 8)
		b = append(b, ", reliability=0x"...)
		b = appendHex(b, uint64(be16(d[12:])), 4)
		if length >= 18 && len(d) >= 18 {
			sec := be32(d[14:]) / 1000
			b = append(b, ", link uptime="...)
			b = appendUint(b, uint64(sec/86400))
			b = append(b, 'd')
			b = appendUint(b, uint64(sec/3600%24))
			b = append(b, 'h')
			b = appendUint(b, uint64(sec/60%60))
			b = append(b, 'm')
			b = appendUint(b, uint64(sec%60))
			b = append(b, 's')
		}
	default:
		b = append(b, "0x"...)
		b = appendHex(b, uint64(code), 2)
		b = append(b, "unknown code"...)
	}
	return b
}
