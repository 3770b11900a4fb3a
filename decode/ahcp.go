package decode

// AHCP (ad-hoc configuration protocol) over UDP 5359, printed as tcpdump
// prints it at default verbosity: "AHCP Version 1", with the checks of
// the fixed header and the body length.
//
//	+----------+---------+-----+------+-------+-----------+----------------+
//	| magic 43 | version | hop | orig | nonce | source id | destination id |
//	+----------+---------+-----+------+-------+-----------+----------------+
//	| type | mbz | body length 2 | options                                  |
//	+------+-----+---------------+------------------------------------------+

// ahcp prints an AHCP message d (length bytes on the wire).
func ahcp(b, d []byte, length int) []byte {
	b = append(b, "AHCP"...)
	invalid := func(b []byte) []byte {
		b = append(b, " (invalid)"...)
		if len(d) < length {
			b = appendTrunc(b, "ahcp")
		}
		return b
	}
	if length < 2 {
		return invalid(b)
	}
	if len(d) < 1 {
		return appendTrunc(b, "ahcp")
	}
	if d[0] != 43 {
		return invalid(b)
	}
	if len(d) < 2 {
		return appendTrunc(b, "ahcp")
	}
	if d[1] != 1 {
		b = append(b, " Version "...)
		b = appendUint(b, uint64(d[1]))
		b = append(b, " (unknown)"...)
		if len(d) < length {
			b = appendTrunc(b, "ahcp")
		}
		return b
	}
	b = append(b, " Version 1"...)
	if length-2 < 22 {
		return invalid(b)
	}
	if len(d) < 24 {
		return appendTrunc(b, "ahcp")
	}
	if length-24 < 4 {
		return invalid(b)
	}
	if len(d) < 28 {
		return appendTrunc(b, "ahcp")
	}
	if int(be16(d[26:])) > length-28 {
		return invalid(b)
	}
	if len(d) < 28+int(be16(d[26:])) {
		return appendTrunc(b, "ahcp")
	}
	return b
}
