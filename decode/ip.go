package decode

// IP protocol numbers the printer dissects.
const (
	protoHopOpts  = 0
	protoICMP     = 1
	protoIGMP     = 2
	protoTCP      = 6
	protoUDP      = 17
	protoDCCP     = 33
	protoESP      = 50
	protoRouting  = 43
	protoFragment = 44
	protoICMPv6   = 58
	protoNoNext   = 59
	protoDstOpts  = 60
	protoSCTP     = 132
)

// ipProtoNames are tcpdump's names for IP protocols in -v output.
var ipProtoNames = [256]string{0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP",
	9: "IGRP", 17: "UDP", 33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP",
	47: "GRE", 50: "ESP", 51: "AH", 55: "Mobile IP", 58: "ICMPv6", 62: "Mobile IP (old)",
	88: "EIGRP", 89: "OSPF", 103: "PIM", 108: "Compressed IP", 112: "VRRP", 113: "PGM",
	132: "SCTP", 135: "Mobility", 143: "Ethernet"}

// ipHdr is what transport printers need to know about the IP header that
// carried them: the addresses (4 or 16 bytes each) and the protocol.
type ipHdr struct {
	src, dst   []byte
	v6         bool
	proto      uint8 // the next-header value right after the fixed header
	fragmented bool
	ttl        uint8 // TTL or hop limit (VRRP and CARP print it)
}

func appendAddr(b, a []byte) []byte {
	if len(a) == 16 {
		return appendIPv6(b, a)
	}
	return appendIPv4(b, a)
}

// ip4 prints an IPv4 datagram; length is what the link layer says is left.
//
//	0      4      8              16      19             31
//	+------+------+--------------+-------+--------------+
//	|ver|hl| tos  |         total length                |
//	|   identification           |flags|  frag offset   |
//	|  ttl | proto|          header checksum            |
//	|                 source address                    |
//	|              destination address                  |
func (p *Printer) ip4(b, d []byte, length int) []byte {
	if len(d) >= 1 && d[0]>>4 != 4 {
		if d[0]>>4 == 6 {
			b = append(b, "IP6, wrong link-layer encapsulation"...)
		} else {
			b = append(b, "IP"...)
			b = appendUint(b, uint64(d[0]>>4))
		}
		return append(b, " (invalid)"...)
	}
	if len(d) == 0 && p.nest > 0 {
		// tcpdump names the protocol only once it has a byte of it.
		return appendTrunc(b, "ip")
	}
	if !p.opts.Link {
		b = append(b, "IP "...)
	}
	if len(d) < 20 {
		return appendTrunc(b, "ip")
	}
	if length < 20 {
		b = append(b, "truncated-ip "...)
		return appendInt(b, length)
	}
	hlen := int(d[0]&0xf) * 4
	if hlen < 20 {
		b = append(b, "bad-hlen "...)
		return appendInt(b, hlen)
	}
	tot := int(be16(d[2:]))
	if length < tot {
		b = append(b, "truncated-ip - "...)
		b = appendInt(b, tot-length)
		b = append(b, " bytes missing! "...)
	}
	if tot < hlen {
		b = append(b, "bad-len "...)
		return appendInt(b, tot)
	}
	if len(d) > tot {
		d = d[:tot]
	}
	plen := tot - hlen
	off := be16(d[6:])
	proto := d[9]
	h := ipHdr{src: d[12:16], dst: d[16:20], proto: proto, fragmented: off&0x2000 != 0, ttl: d[8]}
	if p.opts.Verbose > 0 {
		var bad bool
		b, bad = p.ip4Verbose(b, d, hlen, off)
		if bad {
			b = appendAddrs(b, &h)
			return appendTrunc(b, "ip")
		}
	}
	if off&0x1fff != 0 {
		b = appendIPv4(b, h.src)
		b = append(b, " > "...)
		b = appendIPv4(b, h.dst)
		b = append(b, ": ip-proto-"...)
		return appendUint(b, uint64(proto))
	}
	if proto != protoTCP && proto != protoUDP && proto != protoSCTP && proto != protoDCCP {
		b = appendAddrs(b, &h)
	}
	if len(d) < hlen {
		b = append(b, " [remaining caplen("...)
		b = appendInt(b, len(d))
		b = append(b, ") < header length("...)
		b = appendInt(b, hlen)
		b = append(b, ")]"...)
		return appendTrunc(b, "ip")
	}
	return p.ipDemux(b, d[hlen:], plen, &h, proto)
}

// appendAddrs appends "src > dst: ".
func appendAddrs(b []byte, h *ipHdr) []byte {
	b = appendAddr(b, h.src)
	b = append(b, " > "...)
	b = appendAddr(b, h.dst)
	return append(b, ": "...)
}

// ip4Verbose appends the -v parenthesis; bad reports a truncated option list.
func (p *Printer) ip4Verbose(b, d []byte, hlen int, off uint16) ([]byte, bool) {
	tos := d[1]
	b = append(b, "(tos 0x"...)
	b = appendHex(b, uint64(tos), 1)
	switch tos & 3 {
	case 1:
		b = append(b, ",ECT(1)"...)
	case 2:
		b = append(b, ",ECT(0)"...)
	case 3:
		b = append(b, ",CE"...)
	}
	if d[8] >= 1 {
		b = append(b, ", ttl "...)
		b = appendUint(b, uint64(d[8]))
	}
	b = append(b, ", id "...)
	b = appendUint(b, uint64(be16(d[4:])))
	b = append(b, ", offset "...)
	b = appendUint(b, uint64(off&0x1fff)*8)
	b = append(b, ", flags ["...)
	n := len(b)
	for _, f := range [...]struct {
		bit  uint16
		name string
	}{{0x2000, "+"}, {0x4000, "DF"}, {0x8000, "rsvd"}} {
		if off&f.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	b = append(b, "], proto "...)
	if name := ipProtoNames[d[9]]; name != "" {
		b = append(b, name...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[9]))
	b = append(b, "), length "...)
	b = appendUint(b, uint64(be16(d[2:])))
	bad := false
	if hlen > 20 {
		b = append(b, ", options ("...)
		var ok bool
		if b, ok = appendIPOptions(b, d[20:min(hlen, len(d))]); !ok || len(d) < hlen {
			b = append(b, " [truncated-option]"...)
			bad = true
		}
		b = append(b, ')')
	}
	if len(d) >= hlen {
		if sum := checksum(0, d[:hlen]); sum != 0 {
			got := be16(d[10:])
			b = append(b, ", bad cksum "...)
			b = appendHex(b, uint64(got), 1)
			b = append(b, " (->"...)
			b = appendHex(b, uint64(shouldBe(got, sum)), 1)
			b = append(b, ")!"...)
		}
	}
	return append(b, ")\n    "...), bad
}

var ipOptNames = [256]string{0: "EOL", 1: "NOP", 7: "RR", 68: "timestamp", 82: "traceroute",
	130: "security", 131: "LSRR", 137: "SSRR", 148: "RA"}

// appendIPOptions prints the IPv4 options as tcpdump -v does (timestamps
// by name only). ok is false when an option runs past the captured bytes.
func appendIPOptions(b, o []byte) (_ []byte, ok bool) {
	badLen := func(b []byte, n int) []byte {
		b = append(b, " [bad length "...)
		b = appendInt(b, n)
		return append(b, ']')
	}
	for i := 0; len(o) > 0; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		t := o[0]
		if name := ipOptNames[t]; name != "" {
			b = append(b, name...)
		} else {
			b = append(b, "unknown "...)
			b = appendUint(b, uint64(t))
		}
		n := 1
		if t != 0 && t != 1 {
			if len(o) < 2 {
				return b, false
			}
			if n = int(o[1]); n < 2 || n > len(o) {
				return badLen(b, n), true
			}
		}
		opt := o[:n]
		o = o[n:]
		switch t {
		case 0:
			return b, true
		case 7, 131, 137:
			if n < 3 {
				b = badLen(b, n)
				break
			}
			if (n+1)&3 != 0 {
				b = badLen(b, n)
			}
			ptr := int(opt[2]) - 1
			if ptr < 3 || (ptr+1)&3 != 0 || ptr > n+1 {
				b = append(b, " [bad ptr "...)
				b = appendUint(b, uint64(opt[2]))
				b = append(b, ']')
			}
			for l := 3; l < n; l += 4 {
				if l+4 > n {
					return b, false
				}
				b = appendIPv4(append(b, ' '), opt[l:l+4])
				if ptr > l {
					b = append(b, ',')
				}
			}
		case 148:
			if n < 4 {
				b = badLen(b, n)
				break
			}
			if v := be16(opt[2:]); v != 0 {
				b = append(b, " value "...)
				b = appendUint(b, uint64(v))
			}
		}
	}
	return b, true
}

// checksum folds the Internet checksum of d into the partial sum s and
// returns its complement.
func checksum(s uint32, d []byte) uint16 {
	return ^fold(sum16(s, d))
}

func sum16(s uint32, d []byte) uint32 {
	for len(d) >= 2 {
		s += uint32(d[0])<<8 | uint32(d[1])
		d = d[2:]
	}
	if len(d) == 1 {
		s += uint32(d[0]) << 8
	}
	return s
}

func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// shouldBe computes the checksum field value that would have made the sum
// zero, as tcpdump's in_cksum_shouldbe (RFC 1624).
func shouldBe(field, sum uint16) uint16 {
	return fold(uint32(field) + uint32(sum))
}

// ipDemux prints the IP payload d of protocol proto; length is the payload
// length the IP header claims.
func (p *Printer) ipDemux(b, d []byte, length int, h *ipHdr, proto uint8) []byte {
	switch proto {
	case protoTCP:
		return p.tcp(b, d, length, h)
	case protoUDP:
		return p.udp(b, d, length, h)
	case protoICMP:
		return p.icmp(b, d, length, h)
	case protoICMPv6:
		return p.icmp6(b, d, length, h)
	case protoIGMP:
		return p.igmp(b, d, length)
	case protoGRE:
		return p.gre(b, d, length)
	case protoIPIP, protoIPv6:
		return p.ipInIP(b, d, length, proto)
	case protoESP:
		if len(d) < 8 {
			return appendTrunc(b, "esp")
		}
		b = append(b, "ESP(spi=0x"...)
		b = appendHex(b, uint64(be32(d)), 8)
		b = append(b, ",seq=0x"...)
		b = appendHex(b, uint64(be32(d[4:])), 1)
		b = append(b, "), length "...)
		return appendInt(b, length)
	}
	if t, ok := p.ipRouting(b, d, length, h, proto); ok {
		return t
	}
	if proto == protoSCTP || proto == protoDCCP {
		// The IP layer leaves the addresses to these transports.
		b = appendAddrs(b, h)
	}
	b = append(b, " ip-proto-"...)
	b = appendUint(b, uint64(proto))
	b = append(b, ' ')
	return appendInt(b, length)
}
