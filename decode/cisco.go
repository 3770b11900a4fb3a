package decode

// cdp prints a Cisco Discovery Protocol frame as tcpdump does at default
// verbosity: version, TTL and device ID, and every other TLV's value as
// hex lines.
//
//	| version | ttl | checksum 2 | TLVs: type 2, length 2 (with header), value |
func (p *Printer) cdp(b, d []byte, length int) []byte {
	if len(d) < 4 || length < 4 {
		return appendTrunc(b, "cdp")
	}
	b = append(b, "CDPv"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", ttl: "...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, 's')
	d = d[:min(len(d), max(length, 0))]
	for off := 4; off < length; {
		if len(d)-off < 4 {
			return appendTrunc(b, "cdp")
		}
		typ, n := be16(d[off:]), int(be16(d[off+2:]))
		if n < 4 {
			b = append(b, " (invalid TLV length "...)
			b = appendInt(b, n)
			return append(b, ')')
		}
		if len(d)-off < n {
			return appendTrunc(b, "cdp")
		}
		v := d[off+4 : off+n]
		if typ == 1 {
			b = append(b, ", Device-ID '"...)
			b = appendPrintable(b, v)
			b = append(b, '\'')
		} else {
			b = appendHexLinesIndent(b, v)
		}
		off += n
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// appendHexLinesIndent appends hex lines as tcpdump's print_unknown_data
// with the "\n\t  " prefix.
func appendHexLinesIndent(b, d []byte) []byte {
	for off := 0; off < len(d); off += 16 {
		b = append(b, "\n\t  0x"...)
		b = appendHex(b, uint64(off), 4)
		b = append(b, ": "...)
		for i, c := range d[off:min(off+16, len(d))] {
			if i%2 == 0 {
				b = append(b, ' ')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return b
}

// dtp prints a Cisco Dynamic Trunking Protocol frame: its version.
func dtp(b, d []byte, length int) []byte {
	if len(d) < 1 || length < 1 {
		return appendTrunc(b, "dtp")
	}
	b = append(b, "DTPv"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// udld prints a UniDirectional Link Detection header:
//
//	| version 3 | opcode 5 | flags | checksum 2 | TLVs |
func udld(b, d []byte, length int) []byte {
	if len(d) < 2 || length < 2 {
		return appendTrunc(b, "udld")
	}
	b = append(b, "UDLDv"...)
	b = appendUint(b, uint64(d[0]>>5))
	b = append(b, ", Code "...)
	op := d[0] & 0x1f
	switch op {
	case 0:
		b = append(b, "Reserved"...)
	case 1:
		b = append(b, "Probe message"...)
	case 2:
		b = append(b, "Echo message"...)
	case 3:
		b = append(b, "Flush message"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(op))
	b = append(b, "), Flags ["...)
	n := len(b)
	if d[1]&1 != 0 {
		b = append(b, "RT"...)
	}
	if d[1]&2 != 0 {
		if len(b) > n {
			b = append(b, ", "...)
		}
		b = append(b, "RSY"...)
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	b = append(b, "] (0x"...)
	b = appendHex(b, uint64(d[1]), 2)
	b = append(b, "), length "...)
	return appendInt(b, length)
}

// vtp prints a VLAN Trunking Protocol header: | version | code | ... |.
func vtp(b, d []byte, length int) []byte {
	if len(d) < 2 || length < 2 {
		return appendTrunc(b, "vtp")
	}
	b = append(b, "VTPv"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", Message "...)
	switch d[1] {
	case 1:
		b = append(b, "Summary advertisement"...)
	case 2:
		b = append(b, "Subset advertisement"...)
	case 3:
		b = append(b, "Advertisement request"...)
	case 4:
		b = append(b, "Join message"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(d[1]), 2)
	b = append(b, "), length "...)
	b = appendInt(b, length)
	if len(d) < length {
		// tcpdump reads the whole message even when it prints none of it
		return appendTrunc(b, "vtp")
	}
	return b
}
