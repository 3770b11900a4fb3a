package decode

// DNS resource records: the data of each type tcpdump decodes, and the
// options of an EDNS OPT record.

// record prints one resource record (ns_rprint) and returns the offset
// after it; a record whose fixed part is not captured prints nothing and
// returns len(m).
func (x *dnsMsg) record(b []byte, off int) ([]byte, int) {
	m := x.m
	cp := off
	if x.v > 0 {
		b = append(b, ' ')
		if b, cp = x.name(b, cp, 0); cp < 0 {
			return b, -1
		}
	} else {
		cp = x.skipName(cp)
	}
	if cp < 0 || cp+10 > len(m) {
		return b, len(m)
	}
	typ := int(be16(m[cp:]))
	raw := int(be16(m[cp+2:]))
	class := raw
	if x.mdns {
		class &^= 0x8000
	}
	if class != dnsClassIN && typ != dnsTypeOPT {
		b = append(b, ' ')
		b = appendDNSClass(b, class)
	}
	if x.mdns && raw&0x8000 != 0 {
		b = append(b, " (Cache flush)"...)
	}
	optFlags := 0
	if typ == dnsTypeOPT {
		optFlags = int(be16(m[cp+6:]))
	} else if x.v > 2 {
		b = append(b, " ["...)
		b = appendRelTime(b, be32(m[cp+4:]))
		b = append(b, ']')
	}
	n := int(be16(m[cp+8:]))
	cp += 10
	rp := cp + n
	b = append(b, ' ')
	b = appendDNSType(b, typ)
	if rp > len(m) {
		return b, -1
	}
	switch typ {
	case dnsTypeA:
		if cp+4 > len(m) {
			return b, -1
		}
		b = append(b, ' ')
		b = appendIPv4(b, m[cp:cp+4])
	case dnsTypeNS, dnsTypeCNAME, dnsTypePTR, dnsTypeDNAME:
		b = append(b, ' ')
		var e int
		if b, e = x.name(b, cp, 0); e < 0 {
			return b, -1
		}
	case dnsTypeSOA:
		if x.v == 0 {
			break
		}
		for k := 0; k < 2; k++ {
			b = append(b, ' ')
			if b, cp = x.name(b, cp, 0); cp < 0 {
				return b, -1
			}
		}
		if cp+20 > len(m) {
			return b, -1
		}
		for k := 0; k < 5; k++ {
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(m[cp+4*k:])))
		}
	case dnsTypeMX:
		b = append(b, ' ')
		if cp+2 > len(m) {
			return b, -1
		}
		var e int
		if b, e = x.name(b, cp+2, 0); e < 0 {
			return b, -1
		}
		b = append(b, ' ')
		b = appendUint(b, uint64(be16(m[cp:])))
	case dnsTypeTXT:
		for cp < rp {
			b = append(b, " \""...)
			if cp >= len(m) {
				return b, -1
			}
			l := int(m[cp])
			var ok bool
			if b, ok = appendSafeN(b, m, cp+1, l); !ok {
				return b, -1
			}
			cp += 1 + l
			b = append(b, '"')
		}
	case dnsTypeSRV:
		b = append(b, ' ')
		if cp+6 > len(m) {
			return b, -1
		}
		var e int
		if b, e = x.name(b, cp+6, 0); e < 0 {
			return b, -1
		}
		b = append(b, ':')
		b = appendUint(b, uint64(be16(m[cp+4:])))
		b = append(b, ' ')
		b = appendUint(b, uint64(be16(m[cp:])))
		b = append(b, ' ')
		b = appendUint(b, uint64(be16(m[cp+2:])))
	case dnsTypeAAAA:
		if cp+16 > len(m) {
			return b, -1
		}
		b = append(b, ' ')
		b = appendIPv6(b, m[cp:cp+16])
	case dnsTypeA6:
		return x.a6(b, cp, rp)
	case dnsTypeURI:
		if cp+4 > len(m) {
			// tcpdump checks n bytes, then reads four.
			return b, -1
		}
		b = append(b, ' ')
		b = appendUint(b, uint64(be16(m[cp:])))
		b = append(b, ' ')
		b = appendUint(b, uint64(be16(m[cp+2:])))
		b = append(b, ' ')
		l := n - 4
		if l < 0 {
			// An unsigned underflow in tcpdump: it prints to the end.
			l = len(m)
		}
		var ok bool
		if b, ok = appendSafeN(b, m, cp+4, l); !ok {
			return b, -1
		}
	case dnsTypeOPT:
		b = append(b, " UDPsize="...)
		b = appendInt(b, class)
		if optFlags&0x8000 != 0 {
			b = append(b, " DO"...)
		}
		if cp < rp {
			b = append(b, " ["...)
			for cp < rp {
				if b, cp = x.ednsOption(b, cp); cp < 0 {
					return b, -1
				}
				if cp < rp {
					b = append(b, ',')
				}
			}
			b = append(b, ']')
		}
	case dnsTypeUNSPCA:
		var ok bool
		if b, ok = appendSafeN(b, m, cp, n); !ok {
			return b, -1
		}
	case dnsTypeTSIG:
		if x.v == 0 {
			break
		}
		return x.tsig(b, cp, rp)
	}
	return b, rp
}

// a6 prints an A6 record's prefix length, address suffix and prefix name.
func (x *dnsMsg) a6(b []byte, cp, rp int) ([]byte, int) {
	m := x.m
	if cp >= len(m) {
		return b, -1
	}
	pbit := int(m[cp])
	pbyte := (pbit &^ 7) / 8
	if pbit > 128 {
		b = append(b, ' ')
		b = appendInt(b, pbit)
		return append(b, "(bad plen)"...), rp
	}
	if pbit < 128 {
		if cp+1+16-pbyte > len(m) {
			return b, -1
		}
		var a [16]byte
		copy(a[pbyte:], m[cp+1:cp+1+16-pbyte])
		b = append(b, ' ')
		b = appendInt(b, pbit)
		b = append(b, ' ')
		b = appendIPv6(b, a[:])
	}
	if pbit > 0 {
		b = append(b, ' ')
		var e int
		if b, e = x.name(b, cp+1+16-pbyte, 0); e < 0 {
			return b, -1
		}
	}
	return b, rp
}

// tsig prints a TSIG record's fields at -v.
func (x *dnsMsg) tsig(b []byte, cp, rp int) ([]byte, int) {
	m := x.m
	b = append(b, ' ')
	if b, cp = x.name(b, cp, 0); cp < 0 {
		return b, -1
	}
	cp += 6
	field := func(b []byte, label string) ([]byte, int) {
		if cp < 0 || cp+2 > len(m) {
			return b, -1
		}
		b = append(b, label...)
		v := int(be16(m[cp:]))
		b = appendInt(b, v)
		cp += 2
		return b, v
	}
	var v int
	if b, v = field(b, " fudge="); v < 0 {
		return b, -1
	}
	if b, v = field(b, " maclen="); v < 0 {
		return b, -1
	}
	cp += v
	for _, l := range [...]string{" origid=", " error=", " otherlen="} {
		if b, v = field(b, l); v < 0 {
			return b, -1
		}
	}
	return b, rp
}

// appendRelTime appends seconds as tcpdump's unsigned_relts_print: 1h2m3s.
func appendRelTime(b []byte, secs uint32) []byte {
	if secs == 0 {
		return append(b, "0s"...)
	}
	units := [...]uint32{31536000, 604800, 86400, 3600, 60, 1}
	const names = "ywdhms"
	for i, u := range units {
		if secs >= u {
			b = appendUint(b, uint64(secs/u))
			b = append(b, names[i])
			secs %= u
		}
	}
	return b
}

var ednsOptNames = [18]string{1: "LLQ", 2: "UL", 3: "NSID", 5: "DAU", 6: "DHU", 7: "N3U",
	8: "ECS", 9: "EXPIRE", 10: "COOKIE", 11: "KEEPALIVE", 12: "PADDING", 13: "CHAIN",
	14: "KEY-TAG", 16: "CLIENT-TAG", 17: "SERVER-TAG"}

var dnssecAlgNames = [17]string{0: "DELETE", 1: "RSAMD5", 2: "DH", 3: "DS", 5: "RSASHA1",
	6: "DSA-NSEC3-SHA1", 7: "RSASHA1-NSEC3-SHA1", 8: "RSASHA256", 10: "RSASHA512",
	12: "ECC-GOST", 13: "ECDSAP256SHA256", 14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448"}

var dsHashNames = [5]string{1: "SHA-1", 2: "SHA-256", 3: "GOST_R_34.11-94", 4: "SHA-384"}

// ednsOption prints one option of an OPT record (eopt_print).
func (x *dnsMsg) ednsOption(b []byte, cp int) ([]byte, int) {
	m := x.m
	if cp+2 > len(m) {
		return b, -1
	}
	opt := int(be16(m[cp:]))
	cp += 2
	if opt < len(ednsOptNames) && ednsOptNames[opt] != "" {
		b = append(b, ednsOptNames[opt]...)
	} else {
		b = append(b, "Opt"...)
		b = appendInt(b, opt)
	}
	if cp+2 > len(m) {
		return b, -1
	}
	n := int(be16(m[cp:]))
	cp += 2
	if cp+n > len(m) {
		return b, -1
	}
	if n == 0 {
		return b, cp
	}
	d := m[cp : cp+n]
	b = append(b, ' ')
	switch opt {
	case 8:
		b = appendECS(b, d)
	case 10:
		if n < 8 || (n > 8 && n < 16) || n > 40 {
			b = append(b, " (invalid)"...)
			break
		}
		for i, c := range d {
			if i == 8 {
				b = append(b, ' ')
			}
			b = appendHex(b, uint64(c), 2)
		}
	case 11:
		if n != 2 {
			b = append(b, " (invalid)"...)
			break
		}
		v := be16(d)
		b = appendUint(b, uint64(v/10))
		b = append(b, '.')
		b = appendUint(b, uint64(v%10))
		b = append(b, " sec"...)
	case 9:
		if n != 4 {
			b = append(b, " (invalid)"...)
			break
		}
		b = appendUint(b, uint64(be32(d)))
		b = append(b, " sec"...)
	case 12:
		b = append(b, '(')
		b = appendInt(b, n)
		b = append(b, ')')
	case 14:
		if n%2 != 0 {
			b = append(b, " (invalid)"...)
			break
		}
		for i := 0; i < n; i += 2 {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendUint(b, uint64(be16(d[i:])))
		}
	case 5, 6, 7:
		for i, c := range d {
			if i > 0 {
				b = append(b, ' ')
			}
			name := ""
			switch {
			case opt == 5 && int(c) < len(dnssecAlgNames):
				name = dnssecAlgNames[c]
			case opt == 5 && c >= 252:
				name = [...]string{"INDIRECT", "PRIVATEDNS", "PRIVATEOID", ""}[c-252]
			case opt == 6 && int(c) < len(dsHashNames):
				name = dsHashNames[c]
			case opt == 7 && c == 1:
				name = "SHA-1"
			}
			if name == "" {
				b = append(b, "Alg_"...)
				b = appendUint(b, uint64(c))
			} else {
				b = append(b, name...)
			}
		}
	case 13:
		b, _ = x.name(b, cp, cp+n)
	default:
		for _, c := range d {
			b = appendHex(b, uint64(c), 2)
		}
	}
	return b, cp + n
}

// appendECS prints an EDNS client-subnet option: address/source/scope.
func appendECS(b, d []byte) []byte {
	if len(d) < 4 {
		return append(b, " (invalid)"...)
	}
	family, src, scope := be16(d), int(d[2]), int(d[3])
	bits := 0
	switch family {
	case 1:
		bits = 32
	case 2:
		bits = 128
	default:
		return append(b, " (invalid)"...)
	}
	if len(d)-4 > bits/8 || src > bits || scope > bits || (src+7)/8 != len(d)-4 {
		return append(b, " (invalid)"...)
	}
	var a [16]byte
	copy(a[:], d[4:])
	if family == 1 {
		b = appendIPv4(b, a[:4])
	} else {
		b = appendIPv6(b, a[:])
	}
	b = append(b, '/')
	b = appendInt(b, src)
	b = append(b, '/')
	return appendInt(b, scope)
}
