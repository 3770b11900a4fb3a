package decode

// RADIUS (RFC 2865, 2866, 5176) over UDP 1812/1813, 1645/1646, 1700 and
// 3799, printed as tcpdump prints it at default verbosity: code, id and
// length.
//
//	+------+----+----------+------------------+------------+
//	| code | id | length 2 | authenticator 16 | attributes |
//	+------+----+----------+------------------+------------+

// radiusCode names a RADIUS code as tcpdump does.
func radiusCode(c byte) string {
	switch c {
	case 1:
		return "Access-Request"
	case 2:
		return "Access-Accept"
	case 3:
		return "Access-Reject"
	case 4:
		return "Accounting-Request"
	case 5:
		return "Accounting-Response"
	case 11:
		return "Access-Challenge"
	case 12:
		return "Status-Server"
	case 13:
		return "Status-Client"
	case 40:
		return "Disconnect-Request"
	case 41:
		return "Disconnect-ACK"
	case 42:
		return "Disconnect-NAK"
	case 43:
		return "CoA-Request"
	case 44:
		return "CoA-ACK"
	case 45:
		return "CoA-NAK"
	case 255:
		return "Reserved"
	}
	return "Unknown Command"
}

// radius prints a RADIUS message d (length bytes on the wire).
func radius(b, d []byte, length int) []byte {
	if len(d) < 20 {
		return appendTrunc(b, "radius")
	}
	n := int(be16(d[2:]))
	if n < 20 {
		return appendTrunc(b, "radius")
	}
	n = min(n, length)
	b = append(b, "RADIUS, "...)
	b = append(b, radiusCode(d[0])...)
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, "), id: 0x"...)
	b = appendHex(b, uint64(d[1]), 2)
	b = append(b, " length: "...)
	return appendInt(b, n)
}
