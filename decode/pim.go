package decode

// pimV2Types are the PIMv2 message types (RFC 7761, RFC 5015).
var pimV2Types = [...]string{0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
	4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement",
	8: "Candidate RP Advertisement", 9: "Prune Refresh", 10: "DF Election", 11: "ECMP Redirect"}

// pim prints a PIM message (IP protocol 103) as tcpdump does: without -v
// the version and, for version 2, the message type; with -v the type and
// checksum on a line of their own, and the options of Hello messages.
//
//	| ver 4 | type 4 | reserved 8 | checksum 16 |
func (p *Printer) pim(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "pim")
	}
	v, t := d[0]>>4, d[0]&0xf
	b = append(b, "PIMv"...)
	b = appendUint(b, uint64(v))
	if v == 2 && p.opts.Verbose > 0 {
		b = append(b, ", length "...)
		b = appendInt(b, length)
		return p.pimV2Verbose(b, d, length, h)
	}
	if v == 2 {
		b = append(b, ", "...)
		b = appendPIMType(b, t)
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

func appendPIMType(b []byte, t byte) []byte {
	if int(t) < len(pimV2Types) && pimV2Types[t] != "" {
		return append(b, pimV2Types[t]...)
	}
	b = append(b, "Unknown Type ("...)
	b = appendUint(b, uint64(t))
	return append(b, ')')
}

var pimHelloOpts = [...]string{1: "Hold Time", 2: "LAN Prune Delay", 19: "DR Priority",
	20: "Generation ID", 21: "State Refresh Capability", 22: "Bi-Directional Capability",
	24: "Address List"}

// pimV2Verbose appends the second line tcpdump -v prints for PIMv2: the
// type and checksum status, then for Hello messages one line per option
// (Address List values and the other types' details are left out).
func (p *Printer) pimV2Verbose(b, d []byte, length int, h *ipHdr) []byte {
	t := d[0] & 0xf
	b = append(b, "\n\t"...)
	b = appendPIMType(b, t)
	if len(d) < 4 {
		return appendTrunc(b, "pim")
	}
	sum := be16(d[2:])
	b = append(b, ", cksum 0x"...)
	b = appendHex(b, uint64(sum), 4)
	switch {
	case sum == 0 || len(d) < length:
		b = append(b, " (unverified)"...)
	default:
		n := length
		if t == 1 {
			n = min(8, length)
		}
		var c uint16
		if h.v6 {
			c = transportSum(h, protoPIM, d[:n])
		} else {
			c = checksum(0, d[:n])
		}
		if c == 0 {
			b = append(b, " (correct)"...)
		} else {
			b = append(b, " (incorrect)"...)
		}
	}
	if t == 1 {
		if len(d) < 8 {
			return appendTrunc(b, "pimv2")
		}
		f := d[4]
		b = append(b, ", Flags [ "...)
		switch {
		case f&0xc0 == 0xc0:
			b = append(b, "Border, Null"...)
		case f&0x80 != 0:
			b = append(b, "Border"...)
		case f&0x40 != 0:
			b = append(b, "Null"...)
		default:
			b = append(b, "none"...)
		}
		b = append(b, " ]\n\t"...)
		in := d[8:]
		if len(in) < 1 {
			return appendTrunc(b, "pimv2")
		}
		if f&0x40 != 0 && in[0]>>4 == 4 {
			if len(in) < 20 {
				return appendTrunc(b, "pimv2")
			}
			b = append(b, "IP-Null-header "...)
			b = appendIPv4(b, in[12:16])
			b = append(b, " > "...)
			return appendIPv4(b, in[16:20])
		}
		if p.nest >= maxTunnelNest {
			return appendTrunc(b, "tunnel")
		}
		p.nest++
		defer func() { p.nest-- }()
		switch in[0] >> 4 {
		case 4:
			return p.ip4(b, in, length-8)
		case 6:
			return p.ip6(b, in, length-8)
		}
		b = append(b, "IP ver "...)
		return appendUint(b, uint64(in[0]>>4))
	}
	if t != 0 {
		return b
	}
	for o := d[4:min(len(d), length)]; len(o) > 0; {
		if len(o) < 4 {
			return appendTrunc(b, "pim")
		}
		ot, ol := int(be16(o)), int(be16(o[2:]))
		b = append(b, "\n\t  "...)
		if ot < len(pimHelloOpts) && pimHelloOpts[ot] != "" {
			b = append(b, pimHelloOpts[ot]...)
			b = append(b, " Option ("...)
		} else {
			b = append(b, "Unknown Option ("...)
		}
		b = appendInt(b, ot)
		b = append(b, "), length "...)
		b = appendInt(b, ol)
		b = append(b, ", Value: "...)
		if len(o) < 4+ol {
			return appendTrunc(b, "pim")
		}
		v := o[4 : 4+ol]
		switch {
		case ot == 1 && ol == 2:
			b = appendRelTS(b, uint32(be16(v)))
		case ot == 2 && ol == 4:
			b = append(b, "\n\t    T-bit="...)
			b = appendUint(b, uint64(v[0]>>7))
			b = append(b, ", LAN delay "...)
			b = appendUint(b, uint64(be16(v)&0x7fff))
			b = append(b, "ms, Override interval "...)
			b = appendUint(b, uint64(be16(v[2:])))
			b = append(b, "ms"...)
		case ot == 19 && ol == 4:
			b = appendUint(b, uint64(be32(v)))
		case ot == 20 && ol == 4:
			b = append(b, "0x"...)
			b = appendHex(b, uint64(be32(v)), 8)
		case ot == 21 && ol == 4:
			b = append(b, 'v')
			b = appendUint(b, uint64(v[0]))
		}
		o = o[4+ol:]
	}
	return b
}
