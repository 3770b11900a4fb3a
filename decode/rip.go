package decode

// RIP (RFC 1058, RFC 2453) over UDP 520 and RIPng (RFC 2080) over UDP 521,
// printed as tcpdump prints them (RIP with -v: routes and authentication).
//
//	RIP:   | command | version | zero 2 | entries of 20 bytes |
//	RIPng: | command | version | zero 2 | entries: prefix 16, tag 2, plen, metric |

var ripCommands = [7]string{1: "Request", 2: "Response", 3: "Trace on", 4: "Trace off",
	5: "Poll", 6: "Poll Entry"}

// rip prints a RIP message d (length bytes on the wire); -v adds the
// routes, -vv a hex dump.
func (p *Printer) rip(b, d []byte, length int) []byte {
	left := min(len(d), length)
	if left < 4 {
		return appendTrunc(b, "rip")
	}
	left -= 4
	v := p.opts.Verbose
	if v > 0 {
		b = append(b, "\n\t"...)
	}
	b = append(b, "RIPv"...)
	b = appendUint(b, uint64(d[1]))
	if d[1] == 0 {
		return appendUnknownData(b, d, "\n\t", length)
	}
	b = append(b, ", "...)
	cmd := d[0]
	if int(cmd) < len(ripCommands) && ripCommands[cmd] != "" {
		b = append(b, ripCommands[cmd]...)
	} else {
		b = append(b, "unknown command ("...)
		b = appendUint(b, uint64(cmd))
		b = append(b, ')')
	}
	b = append(b, ", length: "...)
	b = appendInt(b, length)
	if v < 1 {
		return b
	}
	switch cmd {
	case 1, 2:
		if d[1] > 2 {
			b = append(b, ", unknown version"...)
			break
		}
		b = append(b, ", routes: "...)
		b = appendInt(b, length/20)
		if d[1] == 2 {
			b = append(b, " or less"...)
		}
		for e := d[4:]; left != 0; {
			var n int
			if d[1] == 1 {
				b, n = ripEntryV1(b, e, left)
			} else {
				b, n = ripEntryV2(b, e, left)
			}
			if n < 0 {
				return b
			}
			if n == 0 {
				b = appendTrunc(b, "rip")
				break
			}
			if left < n {
				b = append(b, " [remaining entries length "...)
				b = appendInt(b, left)
				b = append(b, " < "...)
				b = appendInt(b, n)
				b = append(b, "] (invalid)"...)
				break
			}
			e, left = e[n:], left-n
		}
	case 4, 5, 6:
	default:
		if v <= 1 {
			b = appendUnknownData(b, d, "\n\t", length)
		}
	}
	if v > 1 {
		b = appendUnknownData(b, d, "\n\t", length)
	}
	return b
}

// ripAFName names a BSD address family as tcpdump does; ok false when it
// has no name.
func ripAFName(af uint16) (string, bool) {
	switch af {
	case 2:
		return "IPv4", true
	case 6:
		return "NS", true
	case 7:
		return "ISO", true
	case 16:
		return "Appletalk", true
	case 23:
		return "IPX", true
	case 24, 28, 30:
		return "IPv6", true
	}
	return "", false
}

// ripEntryV1 prints (-v) a RIPv1 route from e, of which rest bytes are
// left in the message. It returns the bytes used, 0 when the entry is cut.
func ripEntryV1(b, e []byte, rest int) ([]byte, int) {
	if rest < 20 || len(e) < 20 {
		return b, 0
	}
	af := be16(e)
	if af != 2 && af != 0 {
		b = append(b, "\n\t AFI "...)
		if n, ok := ripAFName(af); ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown ("...)
			b = appendUint(b, uint64(af))
			b = append(b, ')')
		}
		b = append(b, ", "...)
		return appendUnknownData(b, e[4:], "\n\t  ", 16), 20
	}
	if be16(e[2:]) != 0 || be32(e[8:]) != 0 || be32(e[12:]) != 0 {
		return appendUnknownData(b, e, "\n\t  ", 20), 20
	}
	b = append(b, "\n\t  "...)
	if af == 0 {
		b = append(b, "AFI 0, "...)
	}
	b = appendIPv4(b, e[4:8])
	b = append(b, ", metric: "...)
	return appendUint(b, uint64(be32(e[16:]))), 20
}

// ripEntryV2 prints (-v) a RIPv2 route or authentication entry; as
// ripEntryV1, and -1 when the capture ends inside a password.
func ripEntryV2(b, e []byte, rest int) ([]byte, int) {
	if rest < 4 || len(e) < 4 {
		return b, 0
	}
	af := be16(e)
	switch {
	case af == 0xffff:
		auth := be16(e[2:])
		a, rest := e[4:], rest-4
		switch auth {
		case 2:
			b = append(b, "\n\t  Simple Text Authentication data: "...)
			for i := 0; i < 16; i++ {
				if i >= len(a) {
					return appendTrunc(b, "rip"), -1
				}
				if a[i] == 0 {
					break
				}
				b = appendCharJNP(b, a[i])
			}
		case 3:
			if len(a) < 16 || rest < 16 {
				return b, 0
			}
			b = append(b, "\n\t  Auth header: Packet Len "...)
			b = appendUint(b, uint64(be16(a)))
			b = append(b, ", Key-ID "...)
			b = appendUint(b, uint64(a[2]))
			b = append(b, ", Auth Data Len "...)
			b = appendUint(b, uint64(a[3]))
			b = append(b, ", SeqNo "...)
			b = appendUint(b, uint64(be32(a[4:])))
			b = append(b, ", MBZ "...)
			b = appendUint(b, uint64(be32(a[8:])))
			b = append(b, ", MBZ "...)
			b = appendUint(b, uint64(be32(a[12:])))
		case 1:
			b = append(b, "\n\t  Auth trailer:"...)
			return appendUnknownData(b, a, "\n\t  ", rest), 4 + rest
		default:
			b = append(b, "\n\t  Unknown ("...)
			b = appendUint(b, uint64(auth))
			b = append(b, ") Authentication data:"...)
			return appendUnknownData(b, a, "\n\t  ", rest), 4 + rest
		}
	case af != 2 && af != 0:
		b = append(b, "\n\t  AFI "...)
		if n, ok := ripAFName(af); ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown ("...)
			b = appendUint(b, uint64(af))
			b = append(b, ')')
		}
		b = appendUnknownData(b, e[4:], "\n\t  ", 16)
	default:
		if len(e) < 20 || rest < 20 {
			return b, 0
		}
		b = append(b, "\n\t  AFI "...)
		if af == 2 {
			b = append(b, "IPv4"...)
		} else {
			b = append(b, '0')
		}
		b = append(b, ", "...)
		n := len(b)
		b = appendIPv4(b, e[4:8])
		if w := len(b) - n; w < 15 {
			b = append(b[:n], "               "[:15-w]...)
			b = appendIPv4(b, e[4:8])
		}
		b = append(b, '/')
		plen := maskPrefixLen(be32(e[8:]))
		b = appendInt(b, plen)
		if plen >= 0 && plen < 10 {
			b = append(b, ' ')
		}
		b = append(b, ", tag 0x"...)
		b = appendHex(b, uint64(be16(e[2:])), 4)
		b = append(b, ", metric: "...)
		b = appendUint(b, uint64(be32(e[16:])))
		b = append(b, ", next-hop: "...)
		if be32(e[12:]) != 0 {
			b = appendIPv4(b, e[12:16])
		} else {
			b = append(b, "self"...)
		}
	}
	return b, 20
}

// maskPrefixLen returns the prefix length of a contiguous netmask, or -1.
func maskPrefixLen(m uint32) int {
	for n := 32; n >= 0; n-- {
		if uint32(0xffffffff)<<(32-n) == m || (n == 0 && m == 0) {
			return n
		}
	}
	return -1
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
