package decode

// vrrpAuth names VRRPv2's authentication types.
var vrrpAuth = [...]string{"none", "simple", "ah"}

// vrrp prints a VRRP packet (IP protocol 112) as tcpdump does (with -v,
// a bad checksum, the addresses and a simple password); the IP TTL or hop
// limit is shown when it is not the required 255.
//
//	v2: | ver 4 | type 4 | vrid 8 | prio 8 | count 8 | authtype 8 | adver int 8 | checksum 16 |
//	v3: | ver 4 | type 4 | vrid 8 | prio 8 | count 8 | rsvd 4 | max adver int 12 | checksum 16 |
func (p *Printer) vrrp(b, d []byte, length int, h *ipHdr) []byte {
	ttl := h.ttl
	if len(d) < 1 {
		return appendTrunc(b, "vrrp")
	}
	v, t := d[0]>>4, d[0]&0xf
	b = append(b, "VRRPv"...)
	b = appendUint(b, uint64(v))
	if t == 1 {
		b = append(b, ", Advertisement"...)
	} else {
		b = append(b, ", unknown type ("...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
	}
	if ttl != 255 {
		b = append(b, ", (ttl "...)
		b = appendUint(b, uint64(ttl))
		b = append(b, ')')
	}
	if v < 2 || v > 3 || t != 1 {
		return b
	}
	if len(d) < 3 {
		return appendTrunc(b, "vrrp")
	}
	b = append(b, ", vrid "...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, ", prio "...)
	b = appendUint(b, uint64(d[2]))
	if len(d) < 6 {
		return appendTrunc(b, "vrrp")
	}
	if v == 2 {
		b = append(b, ", authtype "...)
		if a := d[4]; int(a) < len(vrrpAuth) {
			b = append(b, vrrpAuth[a]...)
		} else {
			b = append(b, '#')
			b = appendUint(b, uint64(a))
		}
		b = append(b, ", intvl "...)
		b = appendUint(b, uint64(d[5]))
		b = append(b, 's')
	} else {
		b = append(b, ", intvl "...)
		b = appendUint(b, uint64(d[4]&0xf)<<8|uint64(d[5]))
		b = append(b, "cs"...)
	}
	b = append(b, ", length "...)
	b = appendInt(b, length)
	if p.opts.Verbose == 0 {
		return b
	}
	if len(d) >= length && length >= 8 {
		var c uint16
		if v == 2 {
			c = checksum(0, d[:length])
		} else {
			c = transportSum(h, protoVRRP, d[:length])
		}
		if c != 0 {
			b = append(b, ", (bad vrrp cksum "...)
			b = appendHex(b, uint64(be16(d[6:])), 1)
			b = append(b, ')')
		}
	}
	n := int(d[3])
	b = append(b, ", addrs"...)
	if n > 1 {
		b = append(b, '(')
		b = appendInt(b, n)
		b = append(b, ')')
	}
	b = append(b, ':')
	alen := 4
	if h.v6 {
		alen = 16
	}
	a := d[min(8, len(d)):]
	for i := 0; i < n; i++ {
		if len(a) < alen {
			return appendTrunc(b, "vrrp")
		}
		if i == 0 {
			b = append(b, ' ')
		} else {
			b = append(b, ',')
		}
		b = appendAddr(b, a[:alen])
		a = a[alen:]
	}
	if v == 2 && d[4] == 1 {
		if len(a) < 8 {
			return appendTrunc(b, "vrrp")
		}
		b = append(b, " auth \""...)
		for _, c := range a[:8] {
			if c == 0 {
				break
			}
			b = appendSafeChar(b, c)
		}
		b = append(b, '"')
	}
	return b
}
