package decode

var mobilityTypes = [...]string{"BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE"}

// mobilityMinLen is the smallest header length of each mobility type.
var mobilityMinLen = [...]int{8, 16, 16, 24, 24, 12, 12, 24}

// mobility prints an IPv6 mobility header (next header 135, RFC 6275) as
// tcpdump does without -v.
//
//	| payload proto 8 | header len 8 | MH type 8 | reserved 8 | checksum 16 | data...
func mobility(b, d []byte) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "mobility")
	}
	mhlen := (int(d[1]) + 1) * 8
	if len(d) < 3 {
		return appendTrunc(b, "mobility")
	}
	t := d[2]
	if int(t) < len(mobilityMinLen) && mhlen < mobilityMinLen[t] {
		b = append(b, "(header length "...)
		b = appendInt(b, mhlen)
		b = append(b, " is too small for type "...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
		return appendTrunc(b, "mobility")
	}
	b = append(b, "mobility: "...)
	if int(t) < len(mobilityTypes) {
		b = append(b, mobilityTypes[t]...)
	} else {
		b = append(b, "type-#"...)
		b = appendUint(b, uint64(t))
	}
	trunc := func(n int) bool { return len(d) < n }
	switch t {
	case 3, 4:
		if trunc(8) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " nonce id=0x"...)
		b = appendHex(b, uint64(be16(d[6:])), 1)
	case 5:
		if trunc(12) {
			if len(d) >= 8 {
				b = append(b, " seq#="...)
				b = appendUint(b, uint64(be16(d[6:])))
			}
			return appendTrunc(b, "mobility")
		}
		b = append(b, " seq#="...)
		b = appendUint(b, uint64(be16(d[6:])))
		if bits := d[8] >> 4; bits != 0 {
			b = append(b, ' ')
			for _, x := range [...]struct {
				bit byte
				c   byte
			}{{8, 'A'}, {4, 'H'}, {2, 'L'}, {1, 'K'}} {
				if bits&x.bit != 0 {
					b = append(b, x.c)
				}
			}
		}
		b = append(b, " lifetime="...)
		b = appendUint(b, uint64(be16(d[10:]))<<2)
	case 6:
		if trunc(4) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " status="...)
		b = appendUint(b, uint64(d[6]))
		if trunc(8) {
			return appendTrunc(b, "mobility")
		}
		if d[7]&0x80 != 0 {
			b = append(b, " K"...)
		}
		if trunc(10) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " seq#="...)
		b = appendUint(b, uint64(be16(d[8:])))
		if trunc(12) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " lifetime="...)
		b = appendUint(b, uint64(be16(d[10:]))<<2)
	case 7:
		if trunc(7) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " status="...)
		b = appendUint(b, uint64(d[6]))
		if trunc(24) {
			return appendTrunc(b, "mobility")
		}
		b = append(b, " homeaddr "...)
		b = appendIPv6(b, d[8:24])
	case 0, 1, 2:
	default:
		b = append(b, " len="...)
		b = appendUint(b, uint64(d[1]))
	}
	return b
}
