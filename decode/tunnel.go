package decode

// Tunnel printers: GRE (and the ERSPAN it carries), VXLAN, Geneve and IP in
// IP print their own header the way tcpdump -n does, then the inner packet
// through the same printers as any packet. p.nest bounds the recursion.

// Protocol numbers and ports of the tunnels the printer dissects.
const (
	protoIPIP     = 4
	protoIPv6     = 41
	protoGRE      = 47
	portVXLAN     = 4789
	portGeneve    = 6081
	etherTEB      = 0x6558
	maxTunnelNest = 64
)

// gre prints a GRE packet; length is the IP payload length. Only version 0
// is dissected further, as tcpdump's "GREv0" printer does:
//
//	|C|R|K|S|s|recur|flags|ver| protocol type 16 |
//	[checksum 16, offset 16] [key 32] [sequence 32]
func (p *Printer) gre(b, d []byte, length int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "gre")
	}
	flags := be16(d)
	ver := flags & 7
	b = append(b, "GREv"...)
	b = appendUint(b, uint64(ver))
	if ver > 1 {
		return append(b, " ERROR: unknown-version"...)
	}
	if p.opts.Verbose > 0 {
		b = append(b, ", Flags ["...)
		b = appendGREFlags(b, flags)
		b = append(b, ']')
	}
	if ver == 1 {
		return p.gre1(b, d, length, flags)
	}
	if len(d) < 4 {
		return appendTrunc(b, "gre")
	}
	prot := be16(d[2:])
	off := 4
	length -= 4
	if flags&0xc000 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		if p.opts.Verbose > 0 {
			b = append(b, ", sum 0x"...)
			b = appendHex(b, uint64(be16(d[off:])), 1)
		}
		b = append(b, ", off 0x"...)
		b = appendHex(b, uint64(be16(d[off+2:])), 1)
		off += 4
		length -= 4
	}
	if flags&0x2000 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		b = append(b, ", key=0x"...)
		b = appendHex(b, uint64(be32(d[off:])), 1)
		off += 4
		length -= 4
	}
	if flags&0x1000 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		b = append(b, ", seq "...)
		b = appendUint(b, uint64(be32(d[off:])))
		off += 4
		length -= 4
	}
	if flags&0x4000 != 0 {
		// Source route entries: address family 16, offset 8, length 8,
		// then length bytes; an empty entry of family 0 ends the list.
		// The printer only follows an empty list.
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		if be16(d[off:]) != 0 || d[off+3] != 0 {
			return appendTrunc(b, "gre")
		}
		off += 4
		length -= 4
	}
	if p.opts.Link {
		b = append(b, ", proto "...)
		b = appendProtoName(b, prot)
	}
	b = append(b, ", length "...)
	b = appendInt(b, length+off)
	b = p.tunnelSep(b)
	return p.tunnelPayload(b, d[off:], length, prot, "gre-proto-0x")
}

// greFlagNames are the GRE header flags as tcpdump names them under -v.
var greFlagNames = [...]struct {
	bit  uint16
	name string
}{{0x8000, "checksum present"}, {0x4000, "routing present"}, {0x2000, "key present"},
	{0x1000, "sequence# present"}, {0x0800, "source routing present"},
	{0x0080, "ack present"}}

func appendGREFlags(b []byte, flags uint16) []byte {
	n := len(b)
	for _, f := range greFlagNames {
		if flags&f.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return b
}

// tunnelPayload prints the packet a tunnel carries, of ethertype prot;
// unknown types get "<unknown>0x<type>" as tcpdump writes them.
func (p *Printer) tunnelPayload(b, d []byte, length int, prot uint16, unknown string) []byte {
	if p.nest >= maxTunnelNest {
		return appendTrunc(b, "tunnel")
	}
	p.nest++
	defer func() { p.nest-- }()
	if length > len(d) && len(d) == 0 {
		length = 0
	}
	switch prot {
	case 0x0800:
		return p.ip4(b, d, length)
	case 0x86dd:
		return p.ip6(b, d, length)
	case etherTEB:
		b, _ = p.ether(b, d, length)
		return b
	}
	b = append(b, unknown...)
	return appendHex(b, uint64(prot), 1)
}

// ipInIP prints the IPv4 or IPv6 packet carried by IP protocol 4 or 41.
func (p *Printer) ipInIP(b, d []byte, length int, proto uint8) []byte {
	if p.nest >= maxTunnelNest {
		return appendTrunc(b, "tunnel")
	}
	p.nest++
	defer func() { p.nest-- }()
	if proto == protoIPIP {
		return p.ip4(b, d, length)
	}
	return p.ip6(b, d, length)
}

// udpTunnel prints the payload of a UDP datagram to or from a tunnel port
// (d starts after the UDP header; length is the UDP payload length); ok is
// false when the ports name no tunnel.
func (p *Printer) udpTunnel(b, d []byte, length, sp, dp int) (_ []byte, ok bool) {
	switch {
	case sp == portGeneve || dp == portGeneve:
		return p.geneve(b, d, length), true
	case sp == portVXLAN || dp == portVXLAN:
		return p.vxlan(b, d, length), true
	}
	return b, false
}

// vxlan prints a VXLAN header (flags 8, reserved 24, VNI 24, reserved 8)
// and, on the next line as tcpdump does, the Ethernet frame it carries.
func (p *Printer) vxlan(b, d []byte, length int) []byte {
	b = append(b, "VXLAN"...)
	if length < 8 {
		return append(b, " (invalid)"...)
	}
	if len(d) < 1 {
		return appendTrunc(b, "vxlan")
	}
	flags := d[0]
	b = append(b, ", flags ["...)
	if flags&0x08 != 0 {
		b = append(b, 'I')
	} else {
		b = append(b, '.')
	}
	b = append(b, "] (0x"...)
	b = appendHex(b, uint64(flags), 2)
	b = append(b, "), "...)
	if len(d) < 7 {
		return appendTrunc(b, "vxlan")
	}
	b = append(b, "vni "...)
	b = appendUint(b, uint64(d[4])<<16|uint64(d[5])<<8|uint64(d[6]))
	b = append(b, '\n')
	return p.tunnelPayload(b, d[min(8, len(d)):], length-8, etherTEB, "")
}

// geneve prints a Geneve header and the packet it carries:
//
//	|ver 2|opt len 6|O|C|rsvd 6| protocol type 16 |
//	| VNI 24 | reserved 8 | options (opt len * 4 bytes) |
func (p *Printer) geneve(b, d []byte, length int) []byte {
	b = append(b, "Geneve"...)
	if length < 8 {
		return append(b, " (invalid)"...)
	}
	if len(d) < 8 {
		return appendTrunc(b, "geneve")
	}
	if v := d[0] >> 6; v != 0 {
		b = append(b, " ERROR: unknown-version "...)
		return appendUint(b, uint64(v))
	}
	flags := d[1]
	prot := be16(d[2:])
	b = append(b, ", Flags ["...)
	n := len(b)
	if flags&0x80 != 0 {
		b = append(b, 'O')
	}
	if flags&0x40 != 0 {
		b = append(b, 'C')
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	b = append(b, "], vni 0x"...)
	b = appendHex(b, uint64(be32(d[4:])>>8), 1)
	if p.opts.Link {
		b = append(b, ", proto "...)
		b = appendProtoName(b, prot)
	}
	optLen := int(d[0]&0x3f) * 4
	d, length = d[8:], length-8
	if length < optLen {
		b = append(b, " truncated-geneve - "...)
		b = appendInt(b, optLen-length)
		return append(b, " bytes missing"...)
	}
	if len(d) < optLen {
		return appendTrunc(b, "geneve")
	}
	if optLen > 0 {
		b = append(b, ", options ["...)
		if p.opts.Verbose > 0 {
			b = p.geneveOpts(b, d[:optLen])
		} else {
			b = appendInt(b, optLen)
			b = append(b, " bytes"...)
		}
		b = append(b, ']')
	}
	b = p.tunnelSep(b)
	return p.tunnelPayload(b, d[optLen:], length-optLen, prot, "geneve-proto-0x")
}

// tunnelSep separates a GRE or Geneve header from the packet it carries:
// ": " on the same line, or a new line and a tab under -v, as tcpdump does.
func (p *Printer) tunnelSep(b []byte) []byte {
	if p.opts.Verbose > 0 {
		return append(b, "\n\t"...)
	}
	return append(b, ": "...)
}

// geneveOpts prints the Geneve options o under -v (with their data under
// -vv): class 16, type 8 (0x80: critical), reserved 3, length 5 (words
// after this 4-byte header). An option overrunning the list ends it with
// " [bad length]"; the packet after the options is printed all the same.
func (p *Printer) geneveOpts(b, o []byte) []byte {
	for i := 0; len(o) >= 4; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		class, typ := be16(o), o[2]
		n := 4 + int(o[3]&0x1f)*4
		b = append(b, "class "...)
		b = append(b, geneveClassName(class)...)
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(class), 1)
		b = append(b, ") type 0x"...)
		b = appendHex(b, uint64(typ), 1)
		if typ&0x80 != 0 {
			b = append(b, "(C)"...)
		}
		b = append(b, " len "...)
		b = appendInt(b, n)
		if n > len(o) {
			return append(b, " [bad length]"...)
		}
		if p.opts.Verbose > 1 && n > 4 {
			b = append(b, " data"...)
			for j := 4; j+4 <= n; j += 4 {
				b = append(b, ' ')
				b = appendHex(b, uint64(be32(o[j:])), 8)
			}
		}
		o = o[n:]
	}
	return b
}

// geneveClassName names a Geneve option class as tcpdump does.
func geneveClassName(c uint16) string {
	switch {
	case c == 0x0100:
		return "Linux"
	case c == 0x0101:
		return "Open vSwitch"
	case c == 0x0102:
		return "Open Virtual Networking (OVN)"
	case c == 0x0103:
		return "In-band Network Telemetry (INT)"
	case c == 0x0104:
		return "VMware"
	case c <= 0x00ff:
		return "Standard"
	case c >= 0xfff0:
		return "Experimental"
	}
	return "Unknown"
}

// appendProtoName appends the ethertype a tunnel header names, as tcpdump
// -e prints it: "NAME (0x%04x)", the name "unknown" when it has none.
func appendProtoName(b []byte, et uint16) []byte {
	if n, ok := etherTypeNames[et]; ok {
		b = append(b, n...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(et), 4)
	return append(b, ')')
}

// gre1 prints the rest of an enhanced (version 1, PPTP) GRE header after
// its flags, and the PPP frame it carries:
//
//	| flags, ver 16 | protocol 16 | payload length 16 | call id 16 |
//	[sequence 32] [acknowledgment 32]
func (p *Printer) gre1(b, d []byte, length int, flags uint16) []byte {
	if len(d) < 4 {
		return appendTrunc(b, "gre")
	}
	prot := be16(d[2:])
	off := 4
	if flags&0x2000 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		b = append(b, ", call "...)
		b = appendUint(b, uint64(be16(d[off+2:])))
		off += 4
	}
	if flags&0x1000 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		b = append(b, ", seq "...)
		b = appendUint(b, uint64(be32(d[off:])))
		off += 4
	}
	if flags&0x0080 != 0 {
		if len(d) < off+4 {
			return appendTrunc(b, "gre")
		}
		b = append(b, ", ack "...)
		b = appendUint(b, uint64(be32(d[off:])))
		off += 4
	}
	if flags&0x1000 == 0 {
		b = append(b, ", no-payload"...)
	}
	if p.opts.Link {
		b = append(b, ", proto "...)
		b = appendProtoName(b, prot)
	}
	b = append(b, ", length "...)
	b = appendInt(b, length)
	if flags&0x1000 == 0 {
		return b
	}
	b = p.tunnelSep(b)
	if prot != 0x880b {
		b = append(b, "gre-proto-0x"...)
		return appendHex(b, uint64(prot), 1)
	}
	return p.pppInGRE(b, d[off:], length-off)
}

// pppInGRE prints the PPP frame of a PPTP tunnel: an optional ff 03
// address and control, a protocol of one or two bytes, then IPv4 (0x21) or
// IPv6 (0x57); other protocols print as "ppp-proto-0x..".
func (p *Printer) pppInGRE(b, d []byte, length int) []byte {
	frame := length
	if len(d) >= 2 && d[0] == 0xff && d[1] == 0x03 {
		d, length = d[2:], length-2
	}
	if len(d) < 1 {
		return appendTrunc(b, "ppp")
	}
	proto := uint16(d[0])
	n := 1
	if d[0]&1 == 0 {
		if len(d) < 2 {
			return appendTrunc(b, "ppp")
		}
		proto, n = be16(d), 2
	}
	d, length = d[n:], length-n
	if p.opts.Link {
		// tcpdump -e names the PPP protocol and the frame's length.
		switch proto {
		case 0x21:
			b = append(b, "IP"...)
		case 0x57:
			b = append(b, "IP6"...)
		default:
			b = append(b, "unknown"...)
		}
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(proto), 4)
		b = append(b, "), length "...)
		b = appendInt(b, frame)
		b = append(b, ": "...)
	}
	switch proto {
	case 0x21:
		return p.tunnelPayload(b, d, length, 0x0800, "")
	case 0x57:
		return p.tunnelPayload(b, d, length, 0x86dd, "")
	}
	b = append(b, "ppp-proto-0x"...)
	return appendHex(b, uint64(proto), 1)
}
