package decode

// IP protocol numbers of the routing and signalling protocols ipRouting
// prints.
const (
	protoEGP      = 8
	protoMobileIP = 55
	protoND       = 77
	protoIPComp   = 108
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
		return p.pim(b, d, length, h), true
	case protoOSPF:
		return ospf(b, d, length), true
	case protoEIGRP:
		return p.eigrp(b, d, length), true
	case protoVRRP:
		return p.vrrp(b, d, length, h), true
	case protoSCTP:
		return p.sctp(b, d, length, h), true
	case protoDCCP:
		return p.dccp(b, d, length, h), true
	case protoMobility, protoMobilityOld:
		return mobility(b, d), true
	case protoPGM:
		return pgm(b, d, h), true
	case protoRSVP:
		return rsvp(b, d, length), true
	case protoEGP:
		return egp(b, d, length), true
	case protoMobileIP:
		return p.mobileIP(b, d, length), true
	case protoIPComp:
		if len(d) < 4 {
			return appendTrunc(b, "ipcomp"), true
		}
		b = append(b, "IPComp(cpi=0x"...)
		b = appendHex(b, uint64(be16(d[2:])), 4)
		return append(b, ')'), true
	case protoND:
		b = append(b, " nd "...)
		return appendInt(b, length), true
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
	if len(d) < 2 {
		return appendTrunc(b, "ah")
	}
	n := (int(d[1]) + 2) * 4
	b = append(b, "AH("...)
	if p.opts.Verbose > 0 {
		b = append(b, "length="...)
		b = appendUint(b, uint64(d[1]))
		b = append(b, '(')
		b = appendInt(b, n)
		b = append(b, "-bytes),"...)
	}
	if len(d) < 4 {
		return appendTrunc(b, "ah")
	}
	if r := be16(d[2:]); r != 0 {
		b = append(b, "reserved=0x"...)
		b = appendHex(b, uint64(r), 1)
		b = append(b, "[MustBeZero],"...)
	}
	if len(d) < 8 {
		return appendTrunc(b, "ah")
	}
	b = append(b, "spi=0x"...)
	b = appendHex(b, uint64(be32(d[4:])), 8)
	b = append(b, ',')
	if len(d) < 12 {
		return appendTrunc(b, "ah")
	}
	b = append(b, "seq=0x"...)
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
	if p.nest >= maxTunnelNest {
		// Each AH may carry another: bound the recursion.
		return appendTrunc(b, "ah")
	}
	p.nest++
	defer func() { p.nest-- }()
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

var rsvpTypes = [...]string{1: "Path", 2: "Resv", 3: "PathErr", 4: "ResvErr", 5: "PathTear",
	6: "ResvTear", 7: "ResvConf", 12: "Bundle", 13: "Acknowledgement", 15: "Refresh", 20: "Hello"}

// rsvp prints an RSVP message (IP protocol 46, RFC 2205) as tcpdump does
// without -v: version, message type and the IP payload length.
//
//	| version 4 | flags 4 | type 8 | checksum 16 | send TTL 8 | reserved 8 | length 16 |
func rsvp(b, d []byte, length int) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "rsvp")
	}
	if v := d[0] >> 4; v != 1 {
		b = append(b, "ERROR: RSVP version "...)
		b = appendUint(b, uint64(v))
		return append(b, " packet not supported"...)
	}
	b = append(b, "RSVPv1 "...)
	if t := d[1]; int(t) < len(rsvpTypes) && rsvpTypes[t] != "" {
		b = append(b, rsvpTypes[t]...)
	} else {
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
	}
	b = append(b, " Message, length: "...)
	return appendInt(b, length)
}

// egp prints an EGP message (IP protocol 8, RFC 904) as tcpdump does
// without -v.
//
//	| version 8 | type 8 | code 8 | status 8 | checksum 16 | AS 16 | sequence 16 |
func egp(b, d []byte, length int) []byte {
	if len(d) < 10 {
		return appendTrunc(b, "egp")
	}
	b = append(b, "EGPv"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", AS "...)
	b = appendUint(b, uint64(be16(d[6:])))
	b = append(b, ", seq "...)
	b = appendUint(b, uint64(be16(d[8:])))
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// mobileIP prints a minimal-encapsulation header (IP protocol 55, RFC
// 2004) as tcpdump does without -v: whether the original source is
// present and a bad header checksum.
//
//	| protocol 8 | S 1 | reserved 7 | checksum 16 | original destination 32 | (original source 32) |
func (p *Printer) mobileIP(b, d []byte, length int) []byte {
	if length < 8 || len(d) < 8 {
		return appendTrunc(b, "mobile")
	}
	b = append(b, "mobile: "...)
	n := 8
	if d[1]&0x80 != 0 {
		n = 12
	}
	if len(d) < n {
		return appendTrunc(b, "mobile")
	}
	if n == 12 {
		b = append(b, "[S] "...)
		if p.opts.Verbose > 0 {
			b = appendIPv4(b, d[8:])
			b = append(b, ' ')
		}
	} else {
		b = append(b, "[] "...)
	}
	if p.opts.Verbose > 0 {
		b = append(b, "> "...)
		b = appendIPv4(b, d[4:])
		b = append(b, " (oproto="...)
		b = appendUint(b, uint64(d[0]))
		b = append(b, ')')
	}
	if checksum(0, d[:n]) != 0 {
		b = append(b, " (bad checksum "...)
		b = appendUint(b, uint64(be16(d[2:])))
		b = append(b, ')')
	}
	return b
}
