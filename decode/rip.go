package decode

// RIP (RFC 1058, RFC 2453) over UDP 520 and RIPng (RFC 2080) over UDP 521,
// printed as tcpdump prints them at default verbosity.
//
//	RIP:   | command | version | zero 2 | entries of 20 bytes |
//	RIPng: | command | version | zero 2 | entries: prefix 16, tag 2, plen, metric |

var ripCommands = [7]string{1: "Request", 2: "Response", 3: "Trace on", 4: "Trace off",
	5: "Poll", 6: "Poll Entry"}

// rip prints a RIP message d (length bytes on the wire).
func rip(b, d []byte, length int) []byte {
	if min(len(d), length) < 4 {
		return appendTrunc(b, "rip")
	}
	b = append(b, "RIPv"...)
	b = appendUint(b, uint64(d[1]))
	if d[1] == 0 {
		return appendUnknownData(b, d, "\n\t", length)
	}
	b = append(b, ", "...)
	if c := d[0]; int(c) < len(ripCommands) && ripCommands[c] != "" {
		b = append(b, ripCommands[c]...)
	} else {
		b = append(b, "unknown command ("...)
		b = appendUint(b, uint64(c))
		b = append(b, ')')
	}
	b = append(b, ", length: "...)
	return appendInt(b, length)
}

// ripng prints a RIPng message d (length bytes on the wire).
func ripng(b, d []byte, length int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "ripng")
	}
	if d[1] != 1 {
		b = append(b, " [vers "...)
		b = appendUint(b, uint64(d[1]))
		return append(b, "] (invalid)"...)
	}
	cmd := d[0]
	if cmd != 1 && cmd != 2 {
		b = append(b, " ripng-"...)
		b = appendUint(b, uint64(cmd))
		b = append(b, " ?? "...)
		b = appendInt(b, length)
		return append(b, " (invalid)"...)
	}
	if length < 4 {
		return append(b, " (invalid)"...)
	}
	left := length - 4
	j := left / 20
	if cmd == 1 && j == 1 {
		if len(d) < 24 {
			return appendTrunc(b, "ripng")
		}
		if d[23] == 16 && isZero(d[4:20]) {
			return append(b, " ripng-req dump"...)
		}
	}
	if cmd == 1 {
		b = append(b, " ripng-req "...)
	} else {
		b = append(b, " ripng-resp "...)
	}
	b = appendInt(b, j)
	if j*20 != left {
		b = append(b, '[')
		b = appendInt(b, length)
		b = append(b, ']')
	}
	b = append(b, ':')
	for off := 4; left >= 20; off, left = off+20, left-20 {
		b = append(b, ' ')
		if len(d) < off+19 {
			return appendTrunc(b, "ripng")
		}
		b = appendIPv6(b, d[off:off+16])
		b = append(b, '/')
		b = appendUint(b, uint64(d[off+18]))
		if tag := be16(d[off+16:]); tag != 0 {
			b = append(b, " ["...)
			b = appendUint(b, uint64(tag))
			b = append(b, ']')
		}
		if len(d) < off+20 {
			return appendTrunc(b, "ripng")
		}
		if m := d[off+19]; m != 0 && cmd == 2 {
			b = append(b, " ("...)
			b = appendUint(b, uint64(m))
			b = append(b, ')')
		}
	}
	if left != 0 {
		return append(b, " (invalid)"...)
	}
	return b
}
