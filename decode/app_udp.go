package decode

// udpMisc prints the other UDP protocols: TFTP, RIP, ISAKMP/IKE and
// NAT-T, SNMP, RIPng, AHCP, Babel, HNCP, RADIUS, HSRP, LDP, OLSR, LSP ping,
// the Broadcom LI shim, BFD, LMP, VQP, sFlow, LWAPP, SIP, Syslog, LISP,
// PTP and SOME/IP. The order of the tests is tcpdump's, so that a datagram
// between two known ports goes to the dissector tcpdump would choose.
// (QUIC is not here: tcpdump 4.99 has no QUIC printer and prints
// "UDP, length N", as the caller does.)
func (p *Printer) udpMisc(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	port := func(n int) bool { return sp == n || dp == n }
	switch {
	case port(69):
		return tftp(b, d, ulen), true
	case port(520):
		return p.rip(b, d, ulen), true
	case port(500):
		return p.isakmp(b, d, ulen, h), true
	case port(4500):
		return p.isakmpNATT(b, d, ulen, h), true
	case port(7500) || port(8500):
		return p.isakmp(b, d, ulen, h), true
	case port(161) || port(162):
		return p.snmp(b, d, ulen), true
	case port(521):
		return ripng(b, d, ulen), true
	case port(5359):
		return ahcp(b, d, ulen, p.opts.Verbose > 0), true
	case port(6696) || port(6697):
		return p.babel(b, d, ulen), true
	case port(8231):
		return hncp(b, d, ulen), true
	case port(1645) || port(1812) || port(1646) || port(1813) || port(1700) || port(3799):
		return radius(b, d, ulen), true
	case dp == 1985:
		return p.hsrp(b, d, ulen), true
	case port(646):
		return ldp(b, d, ulen), true
	case port(698):
		return olsr(b, d, ulen, h.v6), true
	case port(3503):
		return lspPing(b, d, ulen), true
	case sp == 49152:
		return p.bcmLI(b, d, ulen), true
	case dp == 3784 || dp == 4784 || dp == 6784 || dp == 3785:
		return p.bfd(b, d, ulen, dp), true
	case port(701):
		return lmp(b, d, ulen), true
	case port(1589):
		return vqp(b, d, ulen, p.opts.Verbose), true
	case port(6343):
		return sflow(b, d, ulen), true
	case dp == 12223:
		return lwapp(b, d, ulen, true, true, p.opts.Verbose > 0), true
	case sp == 12223:
		return lwapp(b, d, ulen, true, false, p.opts.Verbose > 0), true
	case port(12222):
		return lwapp(b, d, ulen, false, false, p.opts.Verbose > 0), true
	case port(5060):
		return p.sip(b, d, ulen), true
	case port(514):
		return p.syslog(b, d, ulen), true
	case port(4342):
		return lisp(b, d, ulen, p.opts.Verbose > 0), true
	case port(319) || port(320):
		return p.ptp(b, d, ulen), true
	case port(30490):
		return someIP(b, d, ulen), true
	}
	return b, false
}

// tcpMisc prints the other protocols over TCP that udpMisc's file knows
// (LDP...).
func (p *Printer) tcpMisc(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	if sp == 646 || dp == 646 {
		return ldp(b, d, plen), true
	}
	return b, false
}

// etherMisc prints the Ethernet payloads of udpMisc's protocols (PTP).
func (p *Printer) etherMisc(b, d []byte, length int, et uint16) ([]byte, bool) {
	switch et {
	case 0x88f7:
		return p.ptp(b, d, length), true
	}
	return b, false
}

// load48 reads a big-endian 48-bit number; d must hold 6 bytes.
func load48(d []byte) uint64 {
	return uint64(be16(d))<<32 | uint64(be32(d[2:]))
}

// load64 reads a big-endian 64-bit number; d must hold 8 bytes.
func load64(d []byte) uint64 {
	return uint64(be32(d))<<32 | uint64(be32(d[4:]))
}

// appendLenInvalid appends what tcpdump prints when a length is below the
// minimum its format allows: " [length N < MIN] (invalid)".
func appendLenInvalid(b []byte, n, min int) []byte {
	b = append(b, " [length "...)
	b = appendInt(b, n)
	b = append(b, " < "...)
	b = appendInt(b, min)
	return append(b, "] (invalid)"...)
}

// appendCharJNP appends a byte as tcpdump prints a character of a string
// field: "M-" before a byte above 127 (then its low 7 bits), "^" and the
// byte xor 0x40 for a control character.
func appendCharJNP(b []byte, c byte) []byte {
	if c >= 0x80 {
		c &= 0x7f
		b = append(b, "M-"...)
	}
	if c < 0x20 || c == 0x7f {
		c ^= 0x40
		b = append(b, '^')
	}
	return append(b, c)
}

// appendUnknownData appends the first n bytes of d (no more than were
// captured) as tcpdump's print_unknown_data: lines of 16 bytes, each
// starting with indent and the offset ("\n\t0x0000: ").
func appendUnknownData(b, d []byte, indent string, n int) []byte {
	n = max(0, min(n, len(d)))
	for off := 0; off < n; off += 16 {
		b = append(b, indent...)
		b = append(b, "0x"...)
		b = appendHex(b, uint64(off), 4)
		b = append(b, ": "...)
		for i, c := range d[off:min(off+16, n)] {
			if i%2 == 0 {
				b = append(b, ' ')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return b
}
