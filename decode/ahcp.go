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

var ahcpTypes = [6]string{"Discover", "Offer", "Request", "Ack", "Nack", "Release"}

// ahcp prints an AHCP message d (length bytes on the wire); with verbose
// the header's fields and the body's type and length (not yet -vv's
// options).
func ahcp(b, d []byte, length int, verbose bool) []byte {
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
	if !verbose && len(d) < 24 {
		return appendTrunc(b, "ahcp")
	}
	if verbose {
		fields := [...]struct {
			name string
			off  int
			size int
		}{{"\n\tHopcount ", 2, 1}, {", Original Hopcount ", 3, 1}, {", Nonce 0x", 4, 4},
			{", Source Id ", 8, 8}, {", Destination Id ", 16, 8}}
		for _, f := range fields {
			if len(d) < f.off+f.size {
				return appendTrunc(b, "ahcp")
			}
			b = append(b, f.name...)
			switch f.size {
			case 1:
				b = appendUint(b, uint64(d[f.off]))
			case 4:
				b = appendHex(b, uint64(be32(d[f.off:])), 8)
			default:
				b = appendMAC(b, d[f.off:f.off+8])
			}
		}
	}
	if length-24 < 4 {
		return invalid(b)
	}
	if len(d) < 28 {
		return appendTrunc(b, "ahcp")
	}
	if verbose {
		b = append(b, "\n\t"...)
		if t := d[24]; int(t) < len(ahcpTypes) {
			b = append(b, ahcpTypes[t]...)
		} else {
			b = append(b, "Unknown-"...)
			b = appendUint(b, uint64(t))
		}
		if d[25] != 0 {
			b = append(b, ", MBZ "...)
			b = appendUint(b, uint64(d[25]))
		}
		b = append(b, ", Length "...)
		b = appendUint(b, uint64(be16(d[26:])))
	}
	if int(be16(d[26:])) > length-28 {
		return invalid(b)
	}
	if len(d) < 28+int(be16(d[26:])) {
		return appendTrunc(b, "ahcp")
	}
	return b
}
