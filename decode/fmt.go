package decode

import "strconv"

const hexDigits = "0123456789abcdef"

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }

func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// appendHex appends v in lowercase hexadecimal, zero-padded to width digits.
func appendHex(b []byte, v uint64, width int) []byte {
	n := 1
	for x := v >> 4; x != 0; x >>= 4 {
		n++
	}
	for ; width > n; width-- {
		b = append(b, '0')
	}
	for i := n - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// appendIPv4 appends a dotted quad; a must hold 4 bytes.
func appendIPv4(b, a []byte) []byte {
	for i := 0; i < 4; i++ {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a[i]), 10)
	}
	return b
}

// appendIPv6 appends a 16-byte address as inet_ntop does: RFC 5952 zero
// compression of the longest run of two or more zero groups (the first on a
// tie) and the dotted form for IPv4-mapped and IPv4-compatible addresses.
func appendIPv6(b, a []byte) []byte {
	var w [8]uint16
	for i := range w {
		w[i] = be16(a[2*i:])
	}
	best, bestLen, cur, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if w[i] == 0 {
			if cur < 0 {
				cur, curLen = i, 1
			} else {
				curLen++
			}
			if curLen > bestLen {
				best, bestLen = cur, curLen
			}
		} else {
			cur = -1
		}
	}
	if bestLen < 2 {
		best = -1
	}
	for i := 0; i < 8; i++ {
		if best >= 0 && i >= best && i < best+bestLen {
			if i == best {
				b = append(b, ':')
			}
			continue
		}
		if i > 0 {
			b = append(b, ':')
		}
		if i == 6 && best == 0 && (bestLen == 6 || (bestLen == 7 && w[7] != 1) || (bestLen == 5 && w[5] == 0xffff)) {
			return appendIPv4(b, a[12:])
		}
		b = strconv.AppendUint(b, uint64(w[i]), 16)
	}
	if best >= 0 && best+bestLen == 8 {
		b = append(b, ':')
	}
	return b
}

// appendMAC appends a colon-separated lowercase hardware address.
func appendMAC(b, m []byte) []byte {
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// appendTrunc appends tcpdump's truncation marker " [|proto]".
func appendTrunc(b []byte, proto string) []byte {
	b = append(b, " [|"...)
	b = append(b, proto...)
	return append(b, ']')
}
