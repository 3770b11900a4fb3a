package decode

// RPKI-RTR (RFC 6810, TCP port 323) as tcpdump prints it: ", RPKI-RTR" at
// default verbosity; with -v each PDU on its own lines (version, type,
// length, then its fields), an Error Report's encapsulated PDU once more
// inside it, and with -vv (or -v for unknown types) a hex dump of the PDU.
//
//	| version 1 | type 1 | session or error code 2 | length 4 | body |

var rpkiPDUTypes = [11]string{0: "Serial Notify", 1: "Serial Query", 2: "Reset Query",
	3: "Cache Response", 4: "IPV4 Prefix", 6: "IPV6 Prefix", 7: "End of Data",
	8: "Cache Reset", 10: "Error Report"}

var rpkiErrors = [8]string{"Corrupt Data", "Internal Error", "No Data Available",
	"Invalid Request", "Unsupported Protocol Version", "Unsupported PDU Type",
	"Withdrawal of Unknown Record", "Duplicate Announcement Received"}

// rpkiIndent appends a new line, a tab per 8 of indent and a space per
// remaining unit, as tcpdump's indent_string.
func rpkiIndent(b []byte, indent int) []byte {
	b = append(b, '\n')
	for ; indent >= 8; indent -= 8 {
		b = append(b, '\t')
	}
	for ; indent > 0; indent-- {
		b = append(b, ' ')
	}
	return b
}

// rpkiRTR prints the PDUs of an RPKI-RTR segment: d is the captured
// payload, plen its length.
func rpkiRTR(b, d []byte, plen, verbose int) []byte {
	if verbose == 0 {
		return append(b, ", RPKI-RTR"...)
	}
	for off := 0; plen > 0; {
		n, ok := 0, true
		if b, n, ok = rpkiPDU(b, d[min(off, len(d)):], plen, true, 8, verbose); !ok {
			return appendTrunc(b, "rpki_rtr")
		}
		off += n
		plen -= n
	}
	return b
}

// rpkiPDU prints the PDU at d (n bytes of the segment left) and returns
// the bytes it took; ok is false when the capture ran out (tcpdump's
// [|rpki_rtr]).
func rpkiPDU(b, d []byte, n int, recurse bool, indent, verbose int) ([]byte, int, bool) {
	if len(d) < 1 {
		return b, 0, false
	}
	if d[0] != 0 {
		b = rpkiIndent(b, 8)
		b = append(b, "RPKI-RTRv"...)
		b = appendUint(b, uint64(d[0]))
		return append(b, " (unknown)"...), n, true
	}
	invalid := func(b []byte) ([]byte, int, bool) {
		b = append(b, " (invalid)"...)
		return b, n, len(d) >= n
	}
	if n < 8 {
		b = append(b, '(')
		b = appendInt(b, n)
		b = append(b, " bytes is too few to decode)"...)
		return invalid(b)
	}
	if len(d) < 8 {
		return b, 0, false
	}
	typ, plen := int(d[1]), be32(d[4:])
	b = rpkiIndent(b, 8)
	b = append(b, "RPKI-RTRv0, "...)
	if typ < len(rpkiPDUTypes) && rpkiPDUTypes[typ] != "" {
		b = append(b, rpkiPDUTypes[typ]...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " PDU ("...)
	b = appendInt(b, typ)
	b = append(b, "), length: "...)
	b = appendUint(b, uint64(plen))
	if plen < 8 || uint64(plen) > uint64(n) {
		return invalid(b)
	}
	pl := int(plen)
	hexdump := false
	switch typ {
	case 0, 1, 7:
		if pl != 12 {
			return invalid(b)
		}
		if len(d) < 12 {
			return b, 0, false
		}
		b = rpkiIndent(b, indent+2)
		b = append(b, "Session ID: 0x"...)
		b = appendHex(b, uint64(be16(d[2:])), 4)
		b = append(b, ", Serial: "...)
		b = appendUint(b, uint64(be32(d[8:])))
	case 2, 8:
		if pl != 8 {
			return invalid(b)
		}
	case 3:
		if pl != 8 {
			return invalid(b)
		}
		b = rpkiIndent(b, indent+2)
		b = append(b, "Session ID: 0x"...)
		b = appendHex(b, uint64(be16(d[2:])), 4)
	case 4, 6:
		alen := 4
		if typ == 6 {
			alen = 16
		}
		if pl != 16+alen {
			return invalid(b)
		}
		if len(d) < pl {
			return b, 0, false
		}
		b = rpkiIndent(b, indent+2)
		if typ == 4 {
			b = append(b, "IPv4 Prefix "...)
			b = appendIPv4(b, d[12:16])
		} else {
			b = append(b, "IPv6 Prefix "...)
			b = appendIPv6(b, d[12:28])
		}
		b = append(b, '/')
		b = appendUint(b, uint64(d[9]))
		b = append(b, '-')
		b = appendUint(b, uint64(d[10]))
		b = append(b, ", origin-as "...)
		b = appendUint(b, uint64(be32(d[12+alen:])))
		b = append(b, ", flags 0x"...)
		b = appendHex(b, uint64(d[8]), 2)
	case 10:
		tlen := 8
		if pl < tlen+4 {
			return invalid(b)
		}
		if len(d) < tlen+4 {
			return b, 0, false
		}
		encLen := be32(d[8:])
		tlen += 4
		code := int(be16(d[2:]))
		b = rpkiIndent(b, indent+2)
		b = append(b, "Error code: "...)
		if code < len(rpkiErrors) {
			b = append(b, rpkiErrors[code]...)
		} else {
			b = append(b, "Unknown"...)
		}
		b = append(b, " ("...)
		b = appendInt(b, code)
		b = append(b, "), Encapsulated PDU length: "...)
		b = appendUint(b, uint64(encLen))
		if encLen != 0 {
			if uint64(pl) < uint64(tlen)+uint64(encLen) {
				return invalid(b)
			}
			if !recurse {
				if uint64(len(d)) < uint64(tlen)+uint64(encLen) {
					return b, 0, false
				}
			} else {
				b = rpkiIndent(b, indent+4)
				b = append(b, "-----encapsulated PDU-----"...)
				var ok bool
				if b, _, ok = rpkiPDU(b, d[min(tlen, len(d)):], int(encLen), false, indent+2, verbose); !ok {
					return b, 0, false
				}
			}
			tlen += int(encLen)
		}
		if pl < tlen+4 {
			return invalid(b)
		}
		if len(d) < tlen+4 {
			return b, 0, false
		}
		textLen := be32(d[tlen:])
		tlen += 4
		if textLen != 0 {
			if uint64(pl) < uint64(tlen)+uint64(textLen) {
				return invalid(b)
			}
			b = rpkiIndent(b, indent+2)
			b = append(b, "Error text: "...)
			end := tlen + int(textLen)
			if end > len(d) {
				return appendEscaped(b, d[tlen:]), 0, false
			}
			b = appendEscaped(b, d[tlen:end])
		}
	default:
		if len(d) < pl {
			return b, 0, false
		}
		hexdump = true
	}
	if verbose > 1 || hexdump {
		b = appendUnknownData(b, d, "\n\t  ", min(pl, len(d)))
	}
	return b, pl, true
}
