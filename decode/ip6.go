package decode

// ip6 prints an IPv6 packet and its extension headers; length is what the
// link layer says is left.
//
//	| ver 4 | class 8 | flow 20 | payload length 16 | next 8 | hop limit 8 |
//	| source address 128 | destination address 128 |
func (p *Printer) ip6(b, d []byte, length int) []byte {
	if len(d) < 40 {
		if !p.opts.Link {
			b = append(b, "IP6 "...)
		}
		return appendTrunc(b, "ip6")
	}
	if length < 40 {
		b = append(b, "truncated-ip6 "...)
		return appendInt(b, length)
	}
	if !p.opts.Link {
		b = append(b, "IP6 "...)
	}
	if d[0]>>4 != 6 {
		b = append(b, "version error: "...)
		b = appendUint(b, uint64(d[0]>>4))
		return append(b, " != 6"...)
	}
	plen := int(be16(d[4:]))
	tot := length + 40
	if plen != 0 {
		tot = plen + 40
		if length < tot {
			b = append(b, "truncated-ip6 - "...)
			b = appendInt(b, tot-length)
			b = append(b, " bytes missing!"...)
		}
	}
	nh := d[6]
	if p.opts.Verbose > 0 {
		flow := be32(d)
		b = append(b, '(')
		if flow&0x0ff00000 != 0 {
			b = append(b, "class 0x"...)
			b = appendHex(b, uint64(flow&0x0ff00000>>20), 2)
			b = append(b, ", "...)
		}
		if flow&0xfffff != 0 {
			b = append(b, "flowlabel 0x"...)
			b = appendHex(b, uint64(flow&0xfffff), 5)
			b = append(b, ", "...)
		}
		b = append(b, "hlim "...)
		b = appendUint(b, uint64(d[7]))
		b = append(b, ", next-header "...)
		if n := ipProtoNames[nh]; n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "unknown"...)
		}
		b = append(b, " ("...)
		b = appendUint(b, uint64(nh))
		b = append(b, ") payload length: "...)
		b = appendInt(b, plen)
		b = append(b, ") "...)
	}
	if len(d) > tot {
		d = d[:tot]
	}
	h := ipHdr{src: d[8:24], dst: d[24:40], v6: true, proto: nh, ttl: d[7]}
	if nh != protoTCP && nh != protoUDP && nh != protoDCCP && nh != protoSCTP {
		b = appendAddrs(b, &h)
	}
	cp := 40
	rem := tot - 40
	extSeen := false
	for cp < len(d) {
		switch nh {
		case protoHopOpts, protoDstOpts:
			if nh == protoHopOpts {
				b = append(b, "HBH "...)
			} else {
				b = append(b, "DSTOPT "...)
			}
			if len(d) < cp+2 {
				return appendTrunc(b, "hbhopt")
			}
			n := (int(d[cp+1]) + 1) * 8
			if len(d) < cp+n {
				return appendTrunc(b, "hbhopt")
			}
			if p.opts.Verbose > 0 {
				b = appendIP6Opts(b, d[cp+2:cp+n])
			}
			nh = d[cp]
			cp += n
			rem -= n
		case protoFragment:
			if len(d) < cp+8 {
				return appendTrunc(b, "frag6")
			}
			off := be16(d[cp+2:]) & 0xfff8
			if p.opts.Verbose > 0 {
				b = append(b, "frag (0x"...)
				b = appendHex(b, uint64(be32(d[cp+4:])), 8)
				b = append(b, ':')
			} else {
				b = append(b, "frag ("...)
			}
			b = appendUint(b, uint64(off))
			b = append(b, '|')
			b = appendInt(b, plen+40-cp-8)
			b = append(b, ')')
			if off != 0 || len(d) <= cp+8 {
				return b
			}
			b = append(b, ' ')
			h.fragmented = true
			nh = d[cp]
			cp += 8
			rem -= 8
		case protoRouting:
			n, ok := 0, false
			if b, n, ok = p.rt6(b, d[cp:], &h); !ok {
				return b
			}
			nh = d[cp]
			cp += n
			rem -= n
		case protoNoNext:
			return append(b, "no next header"...)
		default:
			if rem < 0 || (plen == 0 && extSeen) {
				return appendTrunc(b, "ip6")
			}
			if plen == 0 {
				// No jumbo payload option: tcpdump takes the payload
				// length, 0, as the end of the captured data too.
				rem = 0
				d = d[:cp]
			}
			return p.ipDemux(b, d[cp:], rem, &h, nh)
		}
		extSeen = true
		if rem < 0 {
			return appendTrunc(b, "ip6")
		}
	}
	return b
}

// appendIP6Opts prints the hop-by-hop or destination options tcpdump shows
// without -v.
func appendIP6Opts(b, o []byte) []byte {
	for len(o) > 0 {
		t := o[0]
		if t == 0 {
			o = o[1:]
			continue
		}
		if len(o) < 2 || len(o) < 2+int(o[1]) {
			return b
		}
		n := int(o[1])
		switch t {
		case 1:
		case 5:
			if n == 2 {
				b = append(b, "(rtalert: 0x"...)
				b = appendHex(b, uint64(be16(o[2:])), 4)
				b = append(b, ") "...)
			}
		case 0xc2:
			if n == 4 {
				b = append(b, "(jumbo: "...)
				b = appendUint(b, uint64(be32(o[2:])))
				b = append(b, ") "...)
			}
		default:
			b = append(b, "(opt_type 0x"...)
			b = appendHex(b, uint64(t), 2)
			b = append(b, ": len="...)
			b = appendInt(b, n)
			b = append(b, ')')
		}
		o = o[2+n:]
	}
	return b
}

// rt6 prints a routing header as tcpdump does; n is its length, ok false
// when the line ends here (truncated, invalid or of unknown type). For
// checksums it points h.dst at the final destination, as tcpdump does.
func (p *Printer) rt6(b, d []byte, h *ipHdr) (_ []byte, n int, ok bool) {
	b = append(b, "RT6"...)
	if len(d) < 4 {
		return appendTrunc(b, "rt6"), 0, false
	}
	l, typ := int(d[1]), d[2]
	b = append(b, " (len="...)
	b = appendInt(b, l)
	b = append(b, ", type="...)
	b = appendUint(b, uint64(typ))
	if typ == 0 {
		b = append(b, " [Deprecated]"...)
	}
	b = append(b, ", segleft="...)
	b = appendUint(b, uint64(d[3]))
	if len(d) < 8 {
		return appendTrunc(b, "rt6"), 0, false
	}
	switch typ {
	case 0, 2:
		if rsv := be32(d[4:]); rsv != 0 || p.opts.Verbose > 0 {
			b = append(b, ", rsv=0x"...)
			b = appendHex(b, uint64(rsv), 1)
		}
	case 4:
		b = append(b, ", last-entry="...)
		b = appendUint(b, uint64(d[4]))
		if d[5] != 0 || p.opts.Verbose > 0 {
			b = append(b, ", flags=0x"...)
			b = appendHex(b, uint64(d[5]), 1)
		}
		b = append(b, ", tag="...)
		b = appendHex(b, uint64(be16(d[6:])), 1)
	default:
		return append(b, " (unknown type) (invalid)"...), 0, false
	}
	if l%2 == 1 {
		b = append(b, " (invalid length "...)
		b = appendInt(b, l)
		return append(b, ") (invalid)"...), 0, false
	}
	for i := 0; i < l/2; i++ {
		a := 8 + 16*i
		if len(d) < a+16 {
			return appendTrunc(b, "rt6"), 0, false
		}
		b = append(b, ", ["...)
		b = appendInt(b, i)
		b = append(b, ']')
		b = appendIPv6(b, d[a:a+16])
		if typ == 4 && i == 0 || typ != 4 && i == l/2-1 {
			h.dst = d[a : a+16]
		}
	}
	return append(b, ") "...), (l + 1) * 8, true
}
