package decode

// udp prints a UDP datagram; length is the IP payload length.
func (p *Printer) udp(b, d []byte, length int, h *ipHdr) []byte {
	ports := func(b []byte, sp, dp int) []byte {
		if h.v6 && h.proto != protoUDP {
			// Behind IPv6 extension headers tcpdump has already
			// printed the addresses.
			if sp < 0 {
				return b
			}
			b = appendInt(b, sp)
			b = append(b, " > "...)
			b = appendInt(b, dp)
			return append(b, ": "...)
		}
		b = appendAddr(b, h.src)
		if sp >= 0 {
			b = append(b, '.')
			b = appendInt(b, sp)
		}
		b = append(b, " > "...)
		b = appendAddr(b, h.dst)
		if dp >= 0 {
			b = append(b, '.')
			b = appendInt(b, dp)
		}
		return append(b, ": "...)
	}
	if len(d) < 4 {
		return appendTrunc(ports(b, -1, -1), "udp")
	}
	sp, dp := int(be16(d)), int(be16(d[2:]))
	if length < 8 {
		b = append(ports(b, sp, dp), "truncated-udp "...)
		return appendInt(b, length)
	}
	if len(d) < 6 {
		return appendTrunc(ports(b, sp, dp), "udp")
	}
	ulen := int(be16(d[4:]))
	if ulen == 0 && length > 65535 {
		ulen = length
	}
	if ulen < 8 {
		b = append(ports(b, sp, dp), "truncated-udplength "...)
		return appendInt(b, ulen)
	}
	ulen -= 8
	length -= 8
	if ulen < length {
		length = ulen
	}
	if len(d) < 8 {
		return appendTrunc(ports(b, sp, dp), "udp")
	}
	b = ports(b, sp, dp)
	// tcpdump looks for NFS calls and replies before anything else,
	// checksum included.
	if t, ok := p.udpNFS(b, d[8:], length, sp, dp, h); ok {
		return t
	}
	if (p.opts.Verbose > 1 || (h.v6 && p.opts.Verbose > 0)) && !h.fragmented && len(d) >= length+8 {
		sum := be16(d[6:])
		if sum == 0 && !h.v6 {
			b = append(b, "[no cksum] "...)
		} else if c := transportSum(h, protoUDP, d[:length+8]); c != 0 {
			b = append(b, "[bad udp cksum 0x"...)
			b = appendHex(b, uint64(sum), 4)
			b = append(b, " -> 0x"...)
			b = appendHex(b, uint64(shouldBe(sum, c)), 4)
			b = append(b, "!] "...)
		} else {
			b = append(b, "[udp sum ok] "...)
		}
	}
	// As tcpdump, dissectors get the payload length bounded by the IP
	// length, and only an unclaimed datagram is called bad.
	if t, ok := p.udpTunnel(b, d[8:], length, sp, dp); ok {
		return t
	}
	if t, ok := p.udpApp(b, d[8:], length, sp, dp, h); ok {
		return t
	}
	if ulen > length && !h.fragmented {
		b = append(b, "UDP, bad length "...)
		b = appendInt(b, ulen)
		b = append(b, " > "...)
		return appendInt(b, length)
	}
	b = append(b, "UDP, length "...)
	return appendInt(b, ulen)
}

var icmpNames = [256]string{0: "echo reply", 4: "source quench", 8: "echo request",
	10: "router solicitation", 13: "time stamp request", 14: "time stamp reply",
	15: "information request", 16: "information reply", 17: "address mask request",
	18: "address mask reply"}

var icmpUnreach = [16]string{0: "net # unreachable", 1: "host # unreachable",
	5: "# unreachable - source route failed", 6: "net # unreachable - unknown",
	7: "host # unreachable - unknown", 8: "# unreachable - source host isolated",
	9: "net # unreachable - admin prohibited", 10: "host # unreachable - admin prohibited",
	11: "net # unreachable - tos prohibited", 12: "host # unreachable - tos prohibited",
	13: "host # unreachable - admin prohibited filter",
	14: "host # unreachable - host precedence violation",
	15: "host # unreachable - precedence cutoff"}

// icmp prints an ICMP message; length is the IP payload length.
func (p *Printer) icmp(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "icmp")
	}
	typ, code := d[0], d[1]
	start := len(b)
	b = append(b, "ICMP "...)
	trunc := func() []byte { return appendTrunc(b[:start], "icmp") }
	inner := d[min(8, len(d)):]
	switch typ {
	case 0, 8:
		if len(d) < 8 {
			return trunc()
		}
		b = append(b, "echo "...)
		if typ == 0 {
			b = append(b, "reply"...)
		} else {
			b = append(b, "request"...)
		}
		b = append(b, ", id "...)
		b = appendUint(b, uint64(be16(d[4:])))
		b = append(b, ", seq "...)
		b = appendUint(b, uint64(be16(d[6:])))
	case 3:
		if len(inner) < 20 {
			return trunc()
		}
		dst := inner[16:20]
		switch code {
		case 2:
			b = appendIPv4(b, dst)
			b = append(b, " protocol "...)
			b = appendUint(b, uint64(inner[9]))
			b = append(b, " unreachable"...)
		case 3:
			hl := int(inner[0]&0xf) * 4
			if len(inner) < hl+4 {
				return trunc()
			}
			port := be16(inner[hl+2:])
			b = appendIPv4(b, dst)
			switch inner[9] {
			case protoTCP:
				b = append(b, " tcp port "...)
			case protoUDP:
				b = append(b, " udp port "...)
			default:
				b = append(b, " protocol "...)
				b = appendUint(b, uint64(inner[9]))
				b = append(b, " port "...)
			}
			b = appendUint(b, uint64(port))
			b = append(b, " unreachable"...)
		case 4:
			mtu := be16(d[6:])
			b = appendIPv4(b, dst)
			b = append(b, " unreachable - need to frag"...)
			if mtu != 0 {
				b = append(b, " (mtu "...)
				b = appendUint(b, uint64(mtu))
				b = append(b, ')')
			}
		default:
			f := ""
			if code < 16 {
				f = icmpUnreach[code]
			}
			if f == "" {
				b = appendIPv4(b, dst)
				b = append(b, " unreachable - #"...)
				b = appendUint(b, uint64(code))
				break
			}
			for i := 0; i < len(f); i++ {
				if f[i] == '#' {
					b = appendIPv4(b, dst)
				} else {
					b = append(b, f[i])
				}
			}
		}
	case 5:
		if len(inner) < 20 {
			return trunc()
		}
		b = append(b, "redirect"...)
		if code >= 2 {
			b = append(b, "-tos"...)
		}
		b = append(b, ' ')
		b = appendIPv4(b, inner[16:20])
		if code&1 == 0 {
			b = append(b, " to net "...)
		} else {
			b = append(b, " to host "...)
		}
		b = appendIPv4(b, d[4:8])
	case 9:
		if len(d) < 8 {
			return trunc()
		}
		b = append(b, "router advertisement lifetime "...)
		b = appendLifetime(b, int(be16(d[6:])))
		num := int(d[4])
		b = append(b, ' ')
		b = appendInt(b, num)
		b = append(b, ':')
		if d[5] != 2 {
			b = append(b, " [size "...)
			b = appendUint(b, uint64(d[5]))
			b = append(b, ']')
			break
		}
		for e := inner; num > 0; num-- {
			if len(e) < 8 {
				return trunc()
			}
			b = append(b, " {"...)
			b = appendIPv4(b, e)
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(e[4:])))
			b = append(b, '}')
			e = e[8:]
		}
	case 12:
		if len(d) < 5 {
			return trunc()
		}
		if code == 0 {
			b = append(b, "parameter problem - octet "...)
			b = appendUint(b, uint64(d[4]))
		} else {
			b = append(b, "parameter problem - code "...)
			b = appendUint(b, uint64(code))
		}
	case 13, 14:
		if len(d) < 8 {
			return trunc()
		}
		if typ == 13 {
			b = append(b, "time stamp query id "...)
		} else {
			b = append(b, "time stamp reply id "...)
		}
		b = appendUint(b, uint64(be16(d[4:])))
		b = append(b, " seq "...)
		b = appendUint(b, uint64(be16(d[6:])))
		if typ == 14 {
			if len(d) < 20 {
				return trunc()
			}
			b = append(b, ": org "...)
			b = appendTstamp(b, be32(d[8:]))
			b = append(b, ", recv "...)
			b = appendTstamp(b, be32(d[12:]))
			b = append(b, ", xmit "...)
			b = appendTstamp(b, be32(d[16:]))
		}
	case 18:
		if len(d) < 12 {
			return trunc()
		}
		b = append(b, "address mask is 0x"...)
		b = appendHex(b, uint64(be32(d[8:])), 8)
	case 11:
		switch code {
		case 0:
			b = append(b, "time exceeded in-transit"...)
		case 1:
			b = append(b, "ip reassembly time exceeded"...)
		default:
			b = append(b, "time exceeded-#"...)
			b = appendUint(b, uint64(code))
		}
	default:
		if n := icmpNames[typ]; n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "type-#"...)
			b = appendUint(b, uint64(typ))
		}
	}
	b = append(b, ", length "...)
	b = appendInt(b, length)
	if p.opts.Verbose == 0 {
		return b
	}
	if !h.fragmented && len(d) >= length {
		if c := checksum(0, d[:length]); c != 0 {
			if len(d) < 4 {
				// No checksum field to show (found by FuzzPrintTunnels).
				return appendTrunc(b, "icmp")
			}
			got := be16(d[2:])
			b = append(b, " (wrong icmp cksum "...)
			b = appendHex(b, uint64(got), 1)
			b = append(b, " (->"...)
			b = appendHex(b, uint64(shouldBe(got, c)), 1)
			b = append(b, ")!)"...)
		}
	}
	switch typ {
	case 3, 4, 5, 11, 12:
		// The quoted datagram, printed as tcpdump -v does.
		b = append(b, "\n\t"...)
		if len(inner) < 4 {
			return appendTrunc(b, "icmp")
		}
		ipLen := int(be16(inner[2:]))
		return p.ip4(b, inner[:min(ipLen, len(inner))], ipLen)
	}
	return b
}

var icmp6Names = [256]string{1: "destination unreachable", 2: "packet too big",
	3: "time exceeded in-transit", 4: "parameter problem", 128: "echo request", 129: "echo reply",
	130: "multicast listener query", 131: "multicast listener report", 132: "multicast listener done",
	133: "router solicitation", 134: "router advertisement", 135: "neighbor solicitation",
	136: "neighbor advertisement", 137: "redirect", 138: "router renumbering",
	141: "inverse neighbor solicitation", 142: "inverse neighbor advertisement",
	143: "multicast listener report v2", 144: "ha discovery request", 145: "ha discovery reply",
	146: "mobile router solicitation", 147: "mobile router advertisement",
	139: "who-are-you request", 140: "who-are-you reply", 200: "mtrace response",
	201: "mtrace message", 155: "RPL"}

// icmp6 prints the common ICMPv6 messages in tcpdump's non-verbose form.
func (p *Printer) icmp6(b, d []byte, length int, h *ipHdr) []byte {
	if length == 0 {
		return append(b, "ICMP6, length 0 (invalid)"...)
	}
	if len(d) < 1 {
		return appendTrunc(b, "icmp6")
	}
	typ := d[0]
	if p.opts.Verbose > 0 && !h.fragmented && len(d) >= length && length >= 4 {
		sum := be16(d[2:])
		if c := transportSum(h, protoICMPv6, d[:length]); c != 0 {
			b = append(b, "[bad icmp6 cksum 0x"...)
			b = appendHex(b, uint64(sum), 4)
			b = append(b, " -> 0x"...)
			b = appendHex(b, uint64(shouldBe(sum, c)), 4)
			b = append(b, "!] "...)
		} else {
			b = append(b, "[icmp6 sum ok] "...)
		}
	}
	b = append(b, "ICMP6, "...)
	if n := icmp6Names[typ]; n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "unknown icmp6 type ("...)
		b = appendUint(b, uint64(typ))
		b = append(b, ')')
	}
	lengthFirst := false
	switch typ {
	case 133, 134, 135, 136, 137, 145, 147:
		// With -v tcpdump prints these lengths before the details.
		if lengthFirst = p.opts.Verbose > 0; lengthFirst {
			b = append(b, ", length "...)
			b = appendInt(b, length)
		}
	}
	switch typ {
	case 128, 129:
		if len(d) < 8 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", id "...)
		b = appendUint(b, uint64(be16(d[4:])))
		b = append(b, ", seq "...)
		b = appendUint(b, uint64(be16(d[6:])))
	case 2:
		if len(d) < 8 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", mtu "...)
		b = appendUint(b, uint64(be32(d[4:])))
	case 1:
		return p.icmp6Unreach(b, d, length)
	case 3:
		switch d[1] {
		case 0:
			if len(d) < 8+40 {
				return appendTrunc(b, "icmp6")
			}
			b = append(b, " for "...)
			b = appendIPv6(b, d[8+24:8+40])
		case 1:
			b = append(b, " (reassembly)"...)
		default:
			b = append(b, ", unknown code ("...)
			b = appendUint(b, uint64(d[1]))
			b = append(b, ')')
		}
	case 4:
		if len(d) < 8 {
			return appendTrunc(b, "icmp6")
		}
		if d[1] < 4 {
			b = append(b, [...]string{", erroneous - octet ", ", next header - octet ", ", option - octet ", ", incomplete header chain - octet "}[d[1]]...)
			b = appendUint(b, uint64(be32(d[4:])))
		} else {
			b = append(b, ", code-#"...)
			b = appendUint(b, uint64(d[1]))
		}
	case 135, 136:
		if len(d) < 24 {
			return appendTrunc(b, "icmp6")
		}
		if typ == 135 {
			b = append(b, ", who has "...)
		} else {
			b = append(b, ", tgt is "...)
		}
		b = appendIPv6(b, d[8:24])
		if p.opts.Verbose > 0 {
			if typ == 136 {
				b = appendFlags(b, ", Flags [", d[4], naFlags[:])
			}
			b = icmp6Opts(b, d[24:min(len(d), length)], length-24, p.opts.Verbose)
		}
	case 143:
		if length < 8 {
			b = append(b, " [invalid len "...)
			b = appendInt(b, length)
			b = append(b, ']')
			break
		}
		if len(d) < 8 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", "...)
		b = appendUint(b, uint64(be16(d[6:])))
		b = append(b, " group record(s)"...)
		if p.opts.Verbose > 0 {
			b = mldV2Report(b, d[:min(len(d), length)], length, int(be16(d[6:])), p.opts.Verbose)
		}
	case 130, 131, 132:
		b = p.icmp6MLD(b, d, length, typ)
	case 137:
		if len(d) < 40 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", "...)
		b = appendIPv6(b, d[24:40])
		b = append(b, " to "...)
		b = appendIPv6(b, d[8:24])
		if p.opts.Verbose > 0 {
			b = icmp6Opts(b, d[40:min(len(d), length)], length-40, p.opts.Verbose)
		}
	case 138:
		b = p.icmp6Renum(b, d)
	case 139:
		b = icmp6NIQuery(b, d[:min(len(d), length)])
	case 140:
		b = icmp6NIReply(b, d[:min(len(d), length)], length, p.opts.Verbose > 0)
	case 144, 146:
		if len(d) < 6 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", id 0x"...)
		b = appendHex(b, uint64(be16(d[4:])), 4)
	case 155:
		b = icmp6RPL(b, d)
	case 133, 134:
		if p.opts.Verbose > 0 {
			b = icmp6RouterVerbose(b, d[:min(len(d), length)], length, typ, p.opts.Verbose)
		}
	case 145, 147:
		if p.opts.Verbose > 0 {
			if len(d) < 8 {
				return appendTrunc(b, "icmp6")
			}
			b = append(b, ", id 0x"...)
			b = appendHex(b, uint64(be16(d[4:])), 4)
			if typ == 145 {
				for a := d[8:min(len(d), length)]; len(a) >= 16; a = a[16:] {
					b = append(b, ", "...)
					b = appendIPv6(b, a[:16])
				}
			} else {
				if d[6]&0xc0 != 0 {
					b = append(b, ' ')
				}
				if d[6]&0x80 != 0 {
					b = append(b, 'M')
				}
				if d[6]&0x40 != 0 {
					b = append(b, 'O')
				}
				b = icmp6Opts(b, d[8:min(len(d), length)], length-8, p.opts.Verbose)
			}
		}
	case 141, 142:
	default:
		// tcpdump dumps the messages it has no printer for (not with -vv).
		b = append(b, ", length "...)
		b = appendInt(b, length)
		if p.opts.Verbose > 1 {
			return b
		}
		return appendUnknownData(b, d, "\n\t", length)
	}
	if lengthFirst || p.opts.Verbose > 0 {
		// With -v tcpdump leaves the length out (or printed it first).
		return b
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

var icmp6UnreachCodes = [...]string{"unreachable route", " unreachable prohibited", "beyond scope",
	"unreachable address", "unreachable port"}

// icmp6Unreach prints the destination-unreachable detail; tcpdump shows
// unknown codes as a hex dump on following lines, which we leave out.
func (p *Printer) icmp6Unreach(b, d []byte, length int) []byte {
	code := d[1]
	b = append(b, ", "...)
	if int(code) < len(icmp6UnreachCodes) {
		b = append(b, icmp6UnreachCodes[code]...)
	} else {
		b = append(b, "unknown unreach code ("...)
		b = appendUint(b, uint64(code))
		b = append(b, ')')
	}
	in := d[min(8, len(d)):]
	switch code {
	case 0, 1, 3:
		if len(in) < 40 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ' ')
		b = appendIPv6(b, in[24:40])
	case 2:
		if len(in) < 40 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ' ')
		b = appendIPv6(b, in[24:40])
		b = append(b, ", source address "...)
		b = appendIPv6(b, in[8:24])
	case 4:
		if len(in) < 40 {
			return appendTrunc(b, "icmp6")
		}
		nh, off := in[6], 40
		for (nh == protoHopOpts || nh == protoDstOpts || nh == protoRouting) && len(in) >= off+2 {
			nh, off = in[off], off+(int(in[off+1])+1)*8
		}
		if len(in) < off+4 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ", "...)
		b = appendIPv6(b, in[24:40])
		switch nh {
		case protoTCP:
			b = append(b, " tcp port "...)
		case protoUDP:
			b = append(b, " udp port "...)
		default:
			b = append(b, " protocol "...)
			b = appendUint(b, uint64(nh))
			b = append(b, " port "...)
			b = appendUint(b, uint64(be16(in[off+2:])))
			b = append(b, " unreachable"...)
			break
		}
		if nh == protoTCP || nh == protoUDP {
			b = appendUint(b, uint64(be16(in[off+2:])))
		}
	default:
		if p.opts.Verbose > 1 {
			return b
		}
		return appendUnknownData(b, d, "\n\t", length)
	}
	if p.opts.Verbose > 0 {
		return b
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

var arpOps = [...]string{1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
	8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}

var arpHrd = map[uint16]string{1: "Ethernet", 6: "TokenRing", 7: "ArcNet", 15: "FrameRelay",
	23: "Strip", 24: "IEEE 1394", 19: "ATM", 32: "InfiniBand"}

// arp prints an ARP or RARP packet.
func (p *Printer) arp(b, d []byte, length int, _ bool) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "arp")
	}
	hrd, pro, op := be16(d), be16(d[2:]), be16(d[6:])
	hl, pl := int(d[4]), int(d[5])
	sha := 8
	spa := sha + hl
	tha := spa + pl
	tpa := tha + hl
	if len(d) < tpa+pl {
		return appendTrunc(b, "arp")
	}
	if !p.opts.Link {
		b = append(b, "ARP, "...)
	}
	if (pro != 0x0800 && pro != 0x1000) || pl != 4 || hl == 0 || p.opts.Verbose > 0 {
		if n, ok := arpHrd[hrd]; ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown Hardware ("...)
			b = appendUint(b, uint64(hrd))
			b = append(b, ')')
		}
		b = append(b, " (len "...)
		b = appendInt(b, hl)
		b = append(b, "), "...)
		if n, ok := etherTypeNames[pro]; ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown Protocol (0x"...)
			b = appendHex(b, uint64(pro), 4)
			b = append(b, ')')
		}
		b = append(b, " (len "...)
		b = appendInt(b, pl)
		b = append(b, ')')
		if p.opts.Verbose == 0 {
			b = append(b, ", length "...)
			return appendInt(b, length)
		}
		b = append(b, ", "...)
	}
	if int(op) < len(arpOps) && arpOps[op] != "" {
		b = append(b, arpOps[op]...)
	} else {
		b = append(b, "Unknown ("...)
		b = appendUint(b, uint64(op))
		b = append(b, ')')
	}
	b = append(b, ' ')
	paddr := func(b []byte, a []byte) []byte {
		if pl != 4 {
			return append(b, "<wrong len>"...)
		}
		if pro != 0x0800 && pro != 0x1000 {
			return append(b, "<wrong proto type>"...)
		}
		return appendIPv4(b, a)
	}
	switch op {
	case 1:
		b = append(b, "who-has "...)
		b = paddr(b, d[tpa:])
		if nonZero(d[tha : tha+hl]) {
			b = append(b, " ("...)
			b = appendMAC(b, d[tha:tha+hl])
			b = append(b, ')')
		}
		b = append(b, " tell "...)
		b = paddr(b, d[spa:])
	case 2:
		b = paddr(b, d[spa:])
		b = append(b, " is-at "...)
		b = appendMAC(b, d[sha:sha+hl])
	case 3, 8:
		b = append(b, "who-is "...)
		b = appendMAC(b, d[tha:tha+hl])
		b = append(b, " tell "...)
		b = appendMAC(b, d[sha:sha+hl])
	case 4:
		b = appendMAC(b, d[tha:tha+hl])
		b = append(b, " at "...)
		b = paddr(b, d[tpa:])
	case 9:
		b = appendMAC(b, d[sha:sha+hl])
		b = append(b, " at "...)
		b = paddr(b, d[spa:])
	default:
		// tcpdump dumps the packet of an operation it does not know.
		p.dump = d
		return b
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

func nonZero(a []byte) bool {
	for _, c := range a {
		if c != 0 {
			return true
		}
	}
	return false
}
