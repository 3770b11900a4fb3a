package decode

// IP protocol numbers of the routing and signalling protocols ipRouting
// prints.
const (
	protoRSVP     = 46
	protoAH       = 51
	protoEIGRP    = 88
	protoOSPF     = 89
	protoPIM      = 103
	protoVRRP     = 112
	protoPGM      = 113
	protoMobility = 135
	// protoMobilityOld is the number mobility headers had in drafts;
	// tcpdump decodes it as a mobility header too.
	protoMobilityOld = 62
)

// ipRouting prints IP protocols without a transport printer of their own:
// PIM, OSPF, VRRP, EIGRP, RSVP, SCTP, DCCP, mobility... The line already
// holds "src > dst: " except for SCTP and DCCP, which print ports.
func (p *Printer) ipRouting(b, d []byte, length int, h *ipHdr, proto uint8) ([]byte, bool) {
	switch proto {
	case protoPIM:
		return pim(b, d, length), true
	case protoOSPF:
		return ospf(b, d, length), true
	case protoEIGRP:
		return eigrp(b, d, length), true
	case protoVRRP:
		return vrrp(b, d, length, h.ttl), true
	case protoSCTP:
		return p.sctp(b, d, length, h), true
	case protoDCCP:
		return p.dccp(b, d, length, h), true
	case protoMobility, protoMobilityOld:
		return mobility(b, d), true
	case protoPGM:
		return pgm(b, d, h), true
	case protoAH:
		return p.ah(b, d, length, h), true
	}
	return b, false
}

// ah prints an authentication header (RFC 4302) and then what it
// protects, as tcpdump does without -v.
//
//	| next header 8 | payload len 8 | reserved 16 | SPI 32 | sequence 32 | ICV... |
func (p *Printer) ah(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 12 {
		return appendTrunc(b, "ah")
	}
	n := (int(d[1]) + 2) * 4
	b = append(b, "AH("...)
	if r := be16(d[2:]); r != 0 {
		b = append(b, "reserved=0x"...)
		b = appendHex(b, uint64(r), 1)
		b = append(b, "[MustBeZero],"...)
	}
	b = append(b, "spi=0x"...)
	b = appendHex(b, uint64(be32(d[4:])), 8)
	if p.opts.Verbose > 0 {
		b = append(b, ",sumlen="...)
		b = appendInt(b, int(d[1])*4)
	}
	b = append(b, ",seq=0x"...)
	b = appendHex(b, uint64(be32(d[8:])), 1)
	b = append(b, ",icv=0x"...)
	for i := 12; i < n; i++ {
		if i >= len(d) {
			return appendTrunc(b, "ah")
		}
		b = append(b, hexDigits[d[i]>>4], hexDigits[d[i]&0xf])
	}
	b = append(b, "): "...)
	if length < n {
		return b
	}
	if d[0] == protoNoNext {
		return append(b, "no next header"...)
	}
	return p.ipDemux(b, d[n:], length-n, h, d[0])
}

// pgm prints a PGM packet (IP protocol 113, RFC 3208) as tcpdump does
// without -v: the addresses again with the ports, and the TSDU length.
//
//	| source port 16 | destination port 16 | type 8 | options 8 | checksum 16 |
//	| global source ID 48 | TSDU length 16 |
func pgm(b, d []byte, h *ipHdr) []byte {
	if len(d) < 4 {
		b = appendAddr(b, h.src)
		b = append(b, " > "...)
		b = appendAddr(b, h.dst)
		b = append(b, ':')
		return appendTrunc(b, "pgm")
	}
	sp, dp := int(be16(d)), int(be16(d[2:]))
	if h.v6 && h.proto != protoPGM {
		b = appendInt(b, sp)
		b = append(b, " > "...)
		b = appendInt(b, dp)
		b = append(b, ": "...)
	} else {
		b = appendPorts(b, h, sp, dp)
	}
	if len(d) < 16 {
		return appendTrunc(b, "pgm")
	}
	b = append(b, "PGM, length "...)
	return appendUint(b, uint64(be16(d[14:])))
}
