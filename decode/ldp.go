package decode

// LDP (RFC 5036, label distribution protocol) over UDP and TCP 646, and
// LSP ping (RFC 8029, MPLS echo) over UDP 3503, printed as tcpdump prints
// them at default verbosity.
//
//	LDP:      | version 2 | PDU length 2 | LSR id 4 | label space 2 | messages |
//	LSP ping: | version 2 | flags 2 | type | reply mode | code | subcode |
//	          | sender handle 4 | sequence 4 | sent 8 | received 8 | TLVs |

// ldp prints the first LDP PDU of d (length bytes on the wire); tcpdump
// prints nothing for a payload of 18 bytes or less.
func ldp(b, d []byte, length int) []byte {
	if length <= 18 {
		return b
	}
	if len(d) < 10 {
		return appendTrunc(b, "ldp")
	}
	if v := be16(d); v != 1 {
		b = append(b, "LDP version "...)
		b = appendUint(b, uint64(v))
		return append(b, " packet not supported"...)
	}
	n := be16(d[2:])
	if n < 6 {
		b = append(b, "LDP, pdu-length: "...)
		b = appendUint(b, uint64(n))
		return append(b, " (too short, < 6)"...)
	}
	b = append(b, "LDP, Label-Space-ID: "...)
	b = appendIPv4(b, d[4:8])
	b = append(b, ':')
	b = appendUint(b, uint64(be16(d[8:])))
	b = append(b, ", pdu-length: "...)
	return appendUint(b, uint64(n))
}

// lspPing prints an LSP ping message d (length bytes on the wire).
func lspPing(b, d []byte, length int) []byte {
	if length < 32 {
		return append(b, "\n\t\t packet is too short"...)
	}
	if len(d) < 32 {
		return appendTrunc(b, "lspping")
	}
	if v := be16(d); v != 1 {
		b = append(b, "LSP-PING version "...)
		b = appendUint(b, uint64(v))
		return append(b, " packet not supported"...)
	}
	b = append(b, "LSP-PINGv1, "...)
	switch t := d[4]; t {
	case 1:
		b = append(b, "MPLS Echo Request"...)
	case 2:
		b = append(b, "MPLS Echo Reply"...)
	default:
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
	}
	b = append(b, ", seq "...)
	b = appendUint(b, uint64(be32(d[12:])))
	b = append(b, ", length: "...)
	return appendInt(b, length)
}
