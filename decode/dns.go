package decode

// DNS, mDNS and DNS over TCP, printed as tcpdump 4.99 does.
//
//	0               16              32
//	+---------------+---------------+
//	|      id       |     flags     |   flags: QR opcode(4) AA TC RD RA
//	|   qdcount     |   ancount     |          Z AD CD rcode(4)
//	|   nscount     |   arcount     |
//	+---------------+---------------+
//	| questions, answers, authority and additional records ...
//
// Offsets are indexes into m, the captured message from its header on;
// len(m) plays the part of tcpdump's end of captured data. A function that
// returns an offset returns -1 where tcpdump's returns NULL, and the
// message then ends with " [|domain]".

// dnsMsg is one DNS message being printed.
type dnsMsg struct {
	m    []byte
	mdns bool // mDNS: the top bit of a class is the QU or cache-flush bit
	v    int  // verbosity
}

// Record types and classes tcpdump names, and the ones it decodes.
const (
	dnsTypeA      = 1
	dnsTypeNS     = 2
	dnsTypeCNAME  = 5
	dnsTypeSOA    = 6
	dnsTypePTR    = 12
	dnsTypeMX     = 15
	dnsTypeTXT    = 16
	dnsTypeAAAA   = 28
	dnsTypeSRV    = 33
	dnsTypeA6     = 38
	dnsTypeDNAME  = 39
	dnsTypeOPT    = 41
	dnsTypeUNSPCA = 104
	dnsTypeTSIG   = 250
	dnsTypeURI    = 256
	dnsClassIN    = 1
	dnsMaxName    = 255 // MAXCDNAME: tcpdump prints at most this many name characters
)

var dnsTypeNames = [257]string{1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA",
	7: "MB", 8: "MG", 9: "MR", 10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO",
	15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP",
	23: "NSAP_PTR", 24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC",
	30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX",
	37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS",
	44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 99: "SPF",
	100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 104: "UNSPECA", 249: "TKEY",
	250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI"}

// dnsOps are the opcode suffixes; dnsRcodes the response code ones (tcpdump
// has no space before Resp17 and Resp21).
var dnsOps = [16]string{"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"}

var dnsRcodes = [24]string{"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
	" YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12",
	" Resp13", " Resp14", " NoChange", " BadVers", "Resp17", " Resp18", " Resp19", " Resp20",
	"Resp21", " Resp22", " BadCookie"}

func appendDNSType(b []byte, t int) []byte {
	if t < len(dnsTypeNames) && dnsTypeNames[t] != "" {
		return append(b, dnsTypeNames[t]...)
	}
	b = append(b, "Type"...)
	return appendInt(b, t)
}

func appendDNSClass(b []byte, c int) []byte {
	switch c {
	case 1:
		return append(b, "IN"...)
	case 3:
		return append(b, "CHAOS"...)
	case 4:
		return append(b, "HS"...)
	case 255:
		return append(b, "ANY"...)
	}
	b = append(b, "(Class "...)
	b = appendInt(b, c)
	return append(b, ')')
}

// appendSafeChar appends c as tcpdump's fn_print_char: M- before a byte
// with the top bit set, ^ before a control character.
func appendSafeChar(b []byte, c byte) []byte {
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

// appendSafeN appends up to n bytes of m from off as nd_printn does; ok is
// false when the captured bytes ran out first.
func appendSafeN(b, m []byte, off, n int) ([]byte, bool) {
	for n > 0 && off < len(m) {
		b = appendSafeChar(b, m[off])
		off++
		n--
	}
	return b, n == 0
}

// skipName returns the offset after the name at off (ns_nskip).
func (x *dnsMsg) skipName(off int) int {
	m := x.m
	if off < 0 || off >= len(m) {
		return -1
	}
	i := int(m[off])
	off++
	for i != 0 {
		switch i & 0xc0 {
		case 0xc0:
			return off + 1
		case 0x40:
			if i&0x3f != 1 || off >= len(m) {
				return -1
			}
			bits := int(m[off])
			if bits == 0 {
				bits = 256
			}
			off += 1 + (bits+7)/8
		case 0x80:
			return -1
		default:
			off += i
		}
		if off >= len(m) {
			return -1
		}
		i = int(m[off])
		off++
	}
	return off
}

// labelLen returns the length of the label at off, or -1 after printing
// what is wrong with it.
func (x *dnsMsg) labelLen(b []byte, off int) ([]byte, int) {
	m := x.m
	if off < 0 || off >= len(m) {
		return b, -1
	}
	i := int(m[off])
	switch i & 0xc0 {
	case 0x40:
		if i&0x3f != 1 {
			b = append(b, "<ELT "...)
			b = appendInt(b, i&0x3f)
			return append(b, '>'), -1
		}
		if off+1 >= len(m) {
			return b, -1
		}
		bits := int(m[off+1])
		if bits == 0 {
			bits = 256
		}
		return b, (bits+7)/8 + 1
	case 0x80:
		return append(b, "<BAD LABEL TYPE>"...), -1
	}
	return b, i
}

// bitLabel prints an EDNS0 bit-string label whose bit count is at off
// (blabel_print); ok is false when it runs out of bytes.
func (x *dnsMsg) bitLabel(b []byte, off int) ([]byte, bool) {
	m := x.m
	if off >= len(m) {
		return b, false
	}
	bits := int(m[off])
	if bits == 0 {
		bits = 256
	}
	lim := off + 1 + (bits+3)/4
	b = append(b, "\\[x"...)
	p, n := off+1, bits
	for ; p < lim && n > 7; n, p = n-8, p+1 {
		if p >= len(m) {
			return b, false
		}
		b = appendHex(b, uint64(m[p]), 2)
	}
	if n > 4 {
		if p >= len(m) {
			return b, false
		}
		b = appendHex(b, uint64(m[p]&(0xff<<(8-n))), 2)
	} else if n > 0 {
		if p >= len(m) {
			return b, false
		}
		b = appendHex(b, uint64((m[p]>>4)&(0x0f<<(4-n))), 1)
	}
	b = append(b, '/')
	b = appendInt(b, bits)
	return append(b, ']'), true
}

// name prints the domain name at off, whose compression pointers count
// from base (fqdn_print), and returns the offset after it in the record.
// Pointers must go backwards, so loops end.
func (x *dnsMsg) name(b []byte, off, base int) ([]byte, int) {
	m := x.m
	b, l := x.labelLen(b, off)
	if l < 0 {
		return b, -1
	}
	maxOff := uint32(off - base)
	i := int(m[off])
	off++
	rp, compress := 0, false
	if i&0xc0 != 0xc0 {
		rp = off + l
	}
	if i == 0 {
		return append(b, '.'), rp
	}
	chars := 0
	for i != 0 && off < len(m) {
		switch i & 0xc0 {
		case 0xc0:
			if !compress {
				rp, compress = off+1, true
			}
			to := uint32(i<<8|int(m[off])) & 0x3fff
			if to >= maxOff {
				return append(b, "<BAD PTR>"...), -1
			}
			maxOff = to
			off = base + int(to)
			if off >= len(m) {
				return b, -1
			}
			i = int(m[off])
			if b, l = x.labelLen(b, off); l < 0 {
				return b, -1
			}
			off++
			continue
		case 0x40:
			var ok bool
			if b, ok = x.bitLabel(b, off); !ok {
				return b, -1
			}
		default:
			var ok bool
			if chars+l <= dnsMaxName {
				b, ok = appendSafeN(b, m, off, l)
			} else if chars < dnsMaxName {
				b, ok = appendSafeN(b, m, off, dnsMaxName-chars)
			} else {
				ok = true
			}
			if !ok {
				return b, -1
			}
			chars += l
		}
		off += l
		if chars <= dnsMaxName {
			b = append(b, '.')
		}
		chars++
		if off >= len(m) {
			return b, -1
		}
		i = int(m[off])
		if b, l = x.labelLen(b, off); l < 0 {
			return b, -1
		}
		off++
		if !compress {
			rp += l + 1
		}
	}
	if chars > dnsMaxName {
		b = append(b, "<DOMAIN NAME TOO LONG>"...)
	}
	return b, rp
}

// question prints " TYPE? name." (ns_qprint).
func (x *dnsMsg) question(b []byte, off int) ([]byte, int) {
	m := x.m
	cp := x.skipName(off)
	if cp < 0 || cp+4 > len(m) {
		return b, -1
	}
	b = append(b, ' ')
	b = appendDNSType(b, int(be16(m[cp:])))
	raw := int(be16(m[cp+2:]))
	class := raw
	if x.mdns {
		class &^= 0x8000
	}
	if class != dnsClassIN {
		b = append(b, ' ')
		b = appendDNSClass(b, class)
	}
	if x.mdns {
		if raw&0x8000 != 0 {
			b = append(b, " (QU)"...)
		} else {
			b = append(b, " (QM)"...)
		}
	}
	b = append(b, "? "...)
	b, rp := x.name(b, off, 0)
	if rp < 0 {
		return b, -1
	}
	return b, rp + 4
}

// appendDNS prints a DNS message as tcpdump's domain_print: m holds the
// captured bytes, length the message's length on the wire; overTCP means
// m starts with the two-byte length prefix of RFC 1035 4.2.2.
func (p *Printer) appendDNS(b, m []byte, length int, overTCP, mdns bool) []byte {
	if overTCP {
		if length < 2 {
			b = append(b, " [DNS over TCP: length "...)
			b = appendInt(b, length)
			return append(b, " < 2] (invalid)"...)
		}
		length -= 2
		if len(m) < 2 {
			return appendTrunc(b, "domain")
		}
		if pre := int(be16(m)); pre != length {
			b = append(b, " [prefix length("...)
			b = appendInt(b, pre)
			b = append(b, ") != length("...)
			b = appendInt(b, length)
			return append(b, ")] (invalid)"...)
		}
		m = m[2:]
		b = append(b, ' ')
	}
	if length < 12 {
		b = append(b, "domain [length "...)
		b = appendInt(b, length)
		return append(b, " < 12] (invalid)"...)
	}
	if len(m) < 12 {
		return appendTrunc(b, "domain")
	}
	x := dnsMsg{m: m, mdns: mdns, v: p.opts.Verbose}
	b, ok := x.appendBody(b)
	if !ok {
		return appendTrunc(b, "domain")
	}
	b = append(b, " ("...)
	b = appendInt(b, length)
	return append(b, ')')
}

// rcode returns the response code, extended by an OPT record's high bits
// when one is found among the additional records.
func (x *dnsMsg) rcode(qd, an, ns, ar int) int {
	m := x.m
	rcode := int(m[3] & 0xf)
	cp := 12
	for i := 0; i < qd; i++ {
		if cp = x.skipName(cp); cp < 0 {
			return rcode
		}
		if cp += 4; cp >= len(m) {
			return rcode
		}
	}
	for i := 0; i < an+ns; i++ {
		if cp = x.skipName(cp); cp < 0 {
			return rcode
		}
		if cp += 8; cp+2 > len(m) {
			return rcode
		}
		if cp += 2 + int(be16(m[cp:])); cp >= len(m) {
			return rcode
		}
	}
	for i := 0; i < ar; i++ {
		if cp = x.skipName(cp); cp < 0 || cp+2 > len(m) {
			return rcode
		}
		typ := be16(m[cp:])
		if cp += 4; cp+1 > len(m) {
			return rcode
		}
		if typ == dnsTypeOPT {
			return rcode | int(m[cp])<<4
		}
		if cp += 4; cp+2 > len(m) {
			return rcode
		}
		if cp += 2 + int(be16(m[cp:])); cp >= len(m) {
			return rcode
		}
	}
	return rcode
}

// records prints count records from cp, each after sep (the first after
// first), while captured bytes remain; ok is false when a record is cut
// or records remain uncounted.
func (x *dnsMsg) records(b []byte, cp, count int, first string) ([]byte, int, bool) {
	if count == 0 {
		return b, cp, true
	}
	b = append(b, first...)
	if b, cp = x.record(b, cp); cp < 0 {
		return b, cp, false
	}
	count--
	for cp < len(x.m) && count > 0 {
		b = append(b, ',')
		if b, cp = x.record(b, cp); cp < 0 {
			return b, cp, false
		}
		count--
	}
	return b, cp, count == 0
}

// appendBody prints the header summary and the records; ok is false where
// tcpdump prints " [|domain]".
func (x *dnsMsg) appendBody(b []byte) ([]byte, bool) {
	m := x.m
	id := uint64(be16(m))
	flags := be16(m[2:])
	qd, an, ns, ar := int(be16(m[4:])), int(be16(m[6:])), int(be16(m[8:])), int(be16(m[10:]))
	op := flags >> 11 & 0xf
	cp := 12
	var ok bool
	if flags&0x8000 != 0 {
		rcode := x.rcode(qd, an, ns, ar)
		b = appendUint(b, id)
		b = append(b, dnsOps[op]...)
		if rcode < len(dnsRcodes) {
			b = append(b, dnsRcodes[rcode]...)
		} else {
			b = append(b, " Resp"...)
			b = appendInt(b, rcode&0xfff)
		}
		if flags&0x0400 != 0 {
			b = append(b, '*')
		}
		if flags&0x0080 == 0 {
			b = append(b, '-')
		}
		if flags&0x0200 != 0 {
			b = append(b, '|')
		}
		if flags&0x0020 != 0 {
			b = append(b, '$')
		}
		if qd != 1 {
			b = appendCount(b, qd, "q]")
		}
		for i := 0; i < qd; i++ {
			if i != 0 {
				b = append(b, ',')
			}
			if x.v > 1 {
				b = append(b, " q:"...)
				if b, cp = x.question(b, cp); cp < 0 {
					return b, false
				}
			} else {
				if cp = x.skipName(cp); cp < 0 {
					return b, false
				}
				cp += 4
			}
		}
		b = append(b, ' ')
		b = appendInt(b, an)
		b = append(b, '/')
		b = appendInt(b, ns)
		b = append(b, '/')
		b = appendInt(b, ar)
		if b, cp, ok = x.records(b, cp, an, ""); !ok {
			return b, false
		}
	} else {
		b = appendUint(b, id)
		b = append(b, dnsOps[op]...)
		if flags&0x0100 != 0 {
			b = append(b, '+')
		}
		if flags&0x0010 != 0 {
			b = append(b, '%')
		}
		if flags&0x6cf != 0 {
			b = append(b, " [b2&3=0x"...)
			b = appendHex(b, uint64(flags), 1)
			b = append(b, ']')
		}
		if op == 1 {
			if qd != 0 {
				b = appendCount(b, qd, "q]")
			}
			if an != 1 {
				b = appendCount(b, an, "a]")
			}
		} else {
			if an != 0 {
				b = appendCount(b, an, "a]")
			}
			if qd != 1 {
				b = appendCount(b, qd, "q]")
			}
		}
		if ns != 0 {
			b = appendCount(b, ns, "n]")
		}
		if ar != 0 {
			b = appendCount(b, ar, "au]")
		}
		if qd > 0 {
			if b, cp = x.question(b, cp); cp < 0 {
				return b, false
			}
			qd--
			for cp < len(m) && qd > 0 {
				if b, cp = x.question(b, cp); cp < 0 {
					return b, false
				}
				qd--
			}
		}
		if qd > 0 {
			return b, false
		}
		if x.v > 1 {
			if b, cp, ok = x.records(b, cp, an, ""); !ok {
				return b, false
			}
		}
	}
	if x.v > 1 {
		if cp < len(m) {
			if b, cp, ok = x.records(b, cp, ns, " ns:"); !ok {
				return b, false
			}
		} else if ns > 0 {
			return b, false
		}
		if cp < len(m) {
			if b, _, ok = x.records(b, cp, ar, " ar:"); !ok {
				return b, false
			}
		} else if ar > 0 {
			return b, false
		}
	}
	return b, true
}

// appendCount appends " [N" and the suffix.
func appendCount(b []byte, n int, suffix string) []byte {
	b = append(b, " ["...)
	b = appendInt(b, n)
	return append(b, suffix...)
}
