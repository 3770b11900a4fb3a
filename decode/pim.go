package decode

// pimV2Types are the PIMv2 message types (RFC 7761, RFC 5015).
var pimV2Types = [...]string{0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
	4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement",
	8: "Candidate RP Advertisement", 9: "Prune Refresh", 10: "DF Election", 11: "ECMP Redirect"}

// pim prints a PIM message (IP protocol 103) as tcpdump does without -v:
// the version and, for version 2, the message type.
//
//	| ver 4 | type 4 | reserved 8 | checksum 16 |
func pim(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "pim")
	}
	v, t := d[0]>>4, d[0]&0xf
	b = append(b, "PIMv"...)
	b = appendUint(b, uint64(v))
	if v == 2 {
		b = append(b, ", "...)
		if int(t) < len(pimV2Types) && pimV2Types[t] != "" {
			b = append(b, pimV2Types[t]...)
		} else {
			b = append(b, "Unknown Type ("...)
			b = appendUint(b, uint64(t))
			b = append(b, ')')
		}
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}
