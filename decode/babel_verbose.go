package decode

// Babel TLVs as tcpdump -v prints them: one line per TLV with its fields,
// the prefixes of updates rebuilt from the omitted bytes of earlier ones.

// babelV4Prefix is the IPv4-mapped prefix ::ffff:0:0/96, where Babel puts
// IPv4 addresses.
var babelV4Prefix = [16]byte{10: 0xff, 11: 0xff}

// babelPrefixes holds the last IPv4 and IPv6 prefixes an update with the
// prefix flag set, which later updates may omit the start of.
type babelPrefixes struct {
	v4, v6 [16]byte
}

// babelPrefix decodes a prefix of address encoding ae and plen bits (plen
// -1: a whole address) from p (n bytes left in the TLV), omitted bytes
// taken from dp. It returns the 16-byte prefix and the bytes read, or -1.
func babelPrefix(ae byte, plen int, omitted int, p []byte, dp *[16]byte, n int) ([16]byte, int) {
	var out [16]byte
	pb := 16
	switch {
	case plen >= 0:
		pb = (plen + 7) / 8
	case ae == 1:
		pb = 4
	}
	if pb > 16 {
		return out, -1
	}
	used := 0
	take := func(dst []byte, k int) bool {
		if k > len(p) {
			return false
		}
		copy(dst, p[:k])
		used = k
		return true
	}
	switch ae {
	case 0:
	case 1:
		if omitted > 4 || pb > 4 || (pb > omitted && n < pb-omitted) {
			return out, -1
		}
		out = babelV4Prefix
		if omitted > 0 {
			if dp == nil {
				return out, -1
			}
			copy(out[:12+omitted], dp[:12+omitted])
		}
		if pb > omitted && !take(out[12+omitted:], pb-omitted) {
			return out, -1
		}
	case 2:
		if omitted > 16 || (pb > omitted && n < pb-omitted) {
			return out, -1
		}
		if omitted > 0 {
			if dp == nil {
				return out, -1
			}
			copy(out[:omitted], dp[:omitted])
		}
		if pb > omitted && !take(out[omitted:], pb-omitted) {
			return out, -1
		}
	case 3:
		if pb > 8 && n < pb-8 {
			return out, -1
		}
		out[0], out[1] = 0xfe, 0x80
		if pb > 8 && !take(out[8:], pb-8) {
			return out, -1
		}
	default:
		return out, -1
	}
	return out, used
}

// appendBabelAddr appends an address as IPv4 when IPv4-mapped.
func appendBabelAddr(b []byte, a *[16]byte) []byte {
	if [12]byte(a[:12]) == [12]byte(babelV4Prefix[:12]) {
		return appendIPv4(b, a[12:])
	}
	return appendIPv6(b, a[:])
}

// appendBabelPrefix appends a prefix and its length (plen counts the 96
// bits of the IPv4-mapped form, modulo 256 as tcpdump's byte).
func appendBabelPrefix(b []byte, a *[16]byte, plen byte) []byte {
	if plen >= 96 && [12]byte(a[:12]) == [12]byte(babelV4Prefix[:12]) {
		b = appendIPv4(b, a[12:])
		b = append(b, '/')
		return appendUint(b, uint64(plen-96))
	}
	b = appendIPv6(b, a[:])
	b = append(b, '/')
	return appendUint(b, uint64(plen))
}

// appendBabelInterval appends an interval in centiseconds ("4.00s").
func appendBabelInterval(b []byte, i uint16) []byte {
	if i == 0 {
		return append(b, "0.0s (bogus)"...)
	}
	b = appendUint(b, uint64(i/100))
	b = append(b, '.')
	b = appendPadded0(b, uint64(i%100), 2)
	return append(b, 's')
}

// appendBabelTimestamp appends a timestamp in microseconds.
func appendBabelTimestamp(b []byte, t uint32) []byte {
	b = appendUint(b, uint64(t/1000000))
	b = append(b, '.')
	b = appendPadded0(b, uint64(t%1000000), 6)
	return append(b, 's')
}

// appendPadded0 appends v zero-padded to width digits, as printf's %0Nu.
func appendPadded0(b []byte, v uint64, width int) []byte {
	n := 1
	for x := v / 10; x != 0; x /= 10 {
		n++
	}
	for ; n < width; n++ {
		b = append(b, '0')
	}
	return appendUint(b, v)
}

// appendBabelID appends an 8-byte router id as colon-separated hex.
func appendBabelID(b, id []byte) []byte {
	return appendMAC(b, id[:8])
}

// tlv prints (-v) the TLV m of body length l (m holds l+2 bytes at least,
// maybe more). It returns -1 when the capture ends inside it, -2 when it
// is malformed.
func (st *babelPrefixes) tlv(b, m []byte, l int) ([]byte, int) {
	typ := m[0]
	end := 2 + l
	switch typ {
	case 1:
		b = append(b, "\n\tPad "...)
		b = appendInt(b, l+2)
	case 2:
		b = append(b, "\n\tAcknowledgment Request "...)
		if l < 6 {
			return b, -2
		}
		b = appendHex(b, uint64(be16(m[4:])), 4)
		b = append(b, ' ')
		b = appendBabelInterval(b, be16(m[6:]))
	case 3:
		b = append(b, "\n\tAcknowledgment "...)
		if l < 2 {
			return b, -2
		}
		b = appendHex(b, uint64(be16(m[2:])), 4)
	case 4:
		b = append(b, "\n\tHello "...)
		if l < 6 {
			return b, -2
		}
		if be16(m[2:])&0x8000 != 0 {
			b = append(b, "(Unicast) "...)
		}
		b = append(b, "seqno "...)
		b = appendUint(b, uint64(be16(m[4:])))
		b = append(b, ' ')
		if iv := be16(m[6:]); iv != 0 {
			b = append(b, "interval "...)
			b = appendBabelInterval(b, iv)
		} else {
			b = append(b, "unscheduled"...)
		}
		if l > 6 {
			b = babelSubTLVs(b, m[8:end], typ)
		}
	case 5:
		b = append(b, "\n\tIHU "...)
		if l < 6 {
			return b, -2
		}
		ae := m[2]
		addr, rc := babelPrefix(ae, -1, 0, m[8:end], nil, l-6)
		if rc < 0 {
			b = appendTrunc(b, "babel")
			break
		}
		if ae == 0 {
			b = append(b, "any"...)
		} else {
			b = appendBabelAddr(b, &addr)
		}
		b = append(b, " rxcost "...)
		b = appendUint(b, uint64(be16(m[4:])))
		b = append(b, " interval "...)
		b = appendBabelInterval(b, be16(m[6:]))
		if rc < l-6 {
			b = babelSubTLVs(b, m[8+rc:end], typ)
		}
	case 6:
		b = append(b, "\n\tRouter Id"...)
		if l < 10 {
			return b, -2
		}
		b = append(b, ' ')
		b = appendBabelID(b, m[4:])
	case 7:
		b = append(b, "\n\tNext Hop"...)
		if l < 2 {
			return b, -2
		}
		ae := m[2]
		addr, rc := babelPrefix(ae, -1, 0, m[4:end], nil, l-2)
		if rc < 0 {
			return b, -2
		}
		b = append(b, ' ')
		if ae == 0 {
			b = append(b, "invalid AE 0"...)
		} else {
			b = appendBabelAddr(b, &addr)
		}
	case 8:
		b = append(b, "\n\tUpdate"...)
		if l < 10 {
			return b, -2
		}
		ae, flags := m[2], m[3]
		plen := m[4]
		dp := &st.v6
		if ae == 1 {
			plen += 96
			dp = &st.v4
		}
		pfx, rc := babelPrefix(ae, int(m[4]), int(m[5]), m[12:end], dp, l-10)
		if rc < 0 {
			return b, -2
		}
		if flags&0x80 != 0 {
			b = append(b, "/prefix"...)
		}
		if flags&0x40 != 0 {
			b = append(b, "/id"...)
		}
		if flags&0x3f != 0 {
			b = append(b, "/unknown"...)
		}
		b = append(b, ' ')
		if ae == 0 {
			b = append(b, "any"...)
		} else {
			b = appendBabelPrefix(b, &pfx, plen)
		}
		b = append(b, " metric "...)
		b = appendUint(b, uint64(be16(m[10:])))
		b = append(b, " seqno "...)
		b = appendUint(b, uint64(be16(m[8:])))
		b = append(b, " interval "...)
		if iv := be16(m[6:]); iv == 0xffff {
			b = append(b, "infinity"...)
		} else {
			b = appendBabelInterval(b, iv)
		}
		if flags&0x80 != 0 {
			*dp = pfx
		}
		if rc < l-10 {
			b = babelSubTLVs(b, m[12+rc:end], typ)
		}
	case 9:
		b = append(b, "\n\tRoute Request "...)
		if l < 2 {
			return b, -2
		}
		ae, plen := m[2], m[3]
		if ae == 1 {
			plen += 96
		}
		pfx, rc := babelPrefix(ae, int(m[3]), 0, m[4:end], nil, l-2)
		if rc < 0 {
			return b, -2
		}
		b = append(b, "for "...)
		if ae == 0 {
			b = append(b, "any"...)
		} else {
			b = appendBabelPrefix(b, &pfx, plen)
		}
	case 10:
		b = append(b, "\n\tSeqno Request "...)
		if l < 14 {
			return b, -2
		}
		ae, plen := m[2], m[3]
		pfx, rc := babelPrefix(ae, int(m[3]), 0, m[16:end], nil, l-14)
		if rc < 0 {
			return b, -2
		}
		if ae == 1 {
			plen += 96
		}
		b = append(b, '(')
		b = appendUint(b, uint64(m[6]))
		b = append(b, " hops) for "...)
		if ae == 0 {
			b = append(b, "invalid AE 0"...)
		} else {
			b = appendBabelPrefix(b, &pfx, plen)
		}
		b = append(b, " seqno "...)
		b = appendUint(b, uint64(be16(m[4:])))
		b = append(b, " id "...)
		b = appendBabelID(b, m[8:])
	case 11:
		b = append(b, "\n\tTS/PC "...)
		if l < 6 {
			return b, -2
		}
		b = append(b, "timestamp "...)
		b = appendUint(b, uint64(be32(m[4:])))
		b = append(b, " packetcounter "...)
		b = appendUint(b, uint64(be16(m[2:])))
	case 12:
		b = append(b, "\n\tHMAC "...)
		if l < 18 {
			return b, -2
		}
		b = append(b, "key-id "...)
		b = appendUint(b, uint64(be16(m[2:])))
		b = append(b, " digest-"...)
		b = appendInt(b, l-2)
		b = append(b, ' ')
		// tcpdump reads the digest from offset 4, two bytes past the TLV.
		for j := 0; j < l-2; j++ {
			if 4+j >= len(m) {
				return b, -1
			}
			c := m[4+j]
			b = append(b, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
		}
	case 13:
		b = append(b, "\n\tSS-Update"...)
		if l < 10 {
			return b, -2
		}
		ae, srcLen, plen, omitted := m[2], m[3], m[4], m[5]
		dp := &st.v6
		if ae == 1 {
			dp = &st.v4
		}
		parsed := 10
		pfx, rc := babelPrefix(ae, int(plen), int(omitted), m[2+parsed:end], dp, l-parsed)
		if rc < 0 {
			return b, -2
		}
		if ae == 1 {
			plen += 96
		}
		parsed += rc
		src, rc := babelPrefix(ae, int(srcLen), 0, m[2+parsed:end], nil, l-parsed)
		if rc < 0 {
			return b, -2
		}
		if ae == 1 {
			srcLen += 96
		}
		parsed += rc
		b = append(b, ' ')
		b = appendBabelPrefix(b, &pfx, plen)
		b = append(b, " from "...)
		b = appendBabelPrefix(b, &src, srcLen)
		b = append(b, " metric "...)
		b = appendUint(b, uint64(be16(m[10:])))
		b = append(b, " seqno "...)
		b = appendUint(b, uint64(be16(m[8:])))
		b = append(b, " interval "...)
		if iv := be16(m[6:]); iv == 0xffff {
			b = append(b, "infinity"...)
		} else {
			b = appendBabelInterval(b, iv)
		}
		if parsed < l {
			b = babelSubTLVs(b, m[2+parsed:end], typ)
		}
	case 14, 15:
		hops := typ == 15
		parsed := 3
		if hops {
			parsed = 14
			b = append(b, "\n\tSS-MH-Request "...)
		} else {
			b = append(b, "\n\tSS-Request "...)
		}
		if l < parsed {
			return b, -2
		}
		ae, plen, srcLen := m[2], m[3], m[4]
		if hops {
			srcLen = m[7]
		}
		pfx, rc := babelPrefix(ae, int(plen), 0, m[2+parsed:end], nil, l-parsed)
		if rc < 0 {
			return b, -2
		}
		if ae == 1 {
			plen += 96
		}
		parsed += rc
		src, rc := babelPrefix(ae, int(srcLen), 0, m[2+parsed:end], nil, l-parsed)
		if rc < 0 {
			return b, -2
		}
		if ae == 1 {
			srcLen += 96
		}
		if hops {
			b = append(b, '(')
			b = appendUint(b, uint64(m[6]))
			b = append(b, " hops) for ("...)
		} else if ae == 0 {
			b = append(b, "for any"...)
			break
		} else {
			b = append(b, "for ("...)
		}
		b = appendBabelPrefix(b, &pfx, plen)
		b = append(b, ", "...)
		b = appendBabelPrefix(b, &src, srcLen)
		b = append(b, ')')
		if hops {
			b = append(b, " seqno "...)
			b = appendUint(b, uint64(be16(m[4:])))
			b = append(b, " id "...)
			b = appendBabelID(b, m[8:])
		}
	case 16:
		b = append(b, "\n\tMAC len "...)
		b = appendInt(b, l)
	case 17:
		b = append(b, "\n\tPC"...)
		if l < 4 {
			return b, -2
		}
		b = append(b, " value "...)
		b = appendUint(b, uint64(be32(m[2:])))
		b = append(b, " index len "...)
		b = appendInt(b, l-4)
	case 18, 19:
		if typ == 18 {
			b = append(b, "\n\tChallenge Request"...)
		} else {
			b = append(b, "\n\tChallenge Reply"...)
		}
		if l > 192 {
			return b, -2
		}
		b = append(b, " len "...)
		b = appendInt(b, l)
	default:
		b = append(b, "\n\tUnknown message type "...)
		b = appendUint(b, uint64(typ))
	}
	return b, 0
}

// babelSubTLVs prints (-v) the sub-TLVs in s, which follow a TLV of type
// typ.
func babelSubTLVs(b, s []byte, typ byte) []byte {
	for i := 0; i < len(s); {
		st := s[i]
		i++
		if st == 0 {
			b = append(b, " sub-pad1"...)
			continue
		}
		if st&0x80 != 0 {
			b = append(b, " (M)"...)
		}
		if i == len(s) {
			return append(b, " (invalid)"...)
		}
		n := int(s[i])
		i++
		if i+n > len(s) {
			return append(b, " (invalid)"...)
		}
		v := s[i : i+n]
		switch st {
		case 1:
			b = append(b, " sub-padn"...)
		case 2:
			b = append(b, " sub-diversity"...)
			if n == 0 {
				b = append(b, " empty"...)
				break
			}
			for j, c := range v {
				if j == 0 {
					b = append(b, ' ')
				} else {
					b = append(b, '-')
				}
				switch c {
				case 0:
					b = append(b, "reserved"...)
				case 255:
					b = append(b, "all"...)
				default:
					b = appendUint(b, uint64(c))
				}
			}
			if typ != 8 && typ != 13 {
				b = append(b, " (bogus)"...)
			}
		case 3:
			b = append(b, " sub-timestamp"...)
			switch typ {
			case 4:
				if n < 4 {
					return append(b, " (invalid)"...)
				}
				b = append(b, ' ')
				b = appendBabelTimestamp(b, be32(v))
			case 5:
				if n < 8 {
					return append(b, " (invalid)"...)
				}
				b = append(b, ' ')
				b = appendBabelTimestamp(b, be32(v))
				b = append(b, '|')
				b = appendBabelTimestamp(b, be32(v[4:]))
			default:
				b = append(b, " (bogus)"...)
			}
		default:
			b = append(b, " sub-unknown-0x"...)
			b = appendHex(b, uint64(st), 2)
		}
		i += n
	}
	return b
}
