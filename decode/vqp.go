package decode

// VQP (Cisco VLAN query protocol) over UDP 1589 and LMP (RFC 4204, link
// management protocol) over UDP 701, printed as tcpdump prints them at
// default verbosity: version, message type and length.
//
//	VQP: | version | type | error code | items | sequence 4 | objects |
//	LMP: | version 4 bits, reserved | flags | type | length 2 | reserved 2 | objects |

var vqpTypes = [5]string{1: "Request, Join Port", 2: "Response, VLAN", 3: "Request, Reconfirm",
	4: "Response, Reconfirm"}

// vqpObjectName names a VQP object type.
func vqpObjectName(t uint32) string {
	switch t {
	case 0x0c01:
		return "Client IP Address"
	case 0x0c02:
		return "Port Name"
	case 0x0c03:
		return "VLAN Name"
	case 0x0c04:
		return "VTP Domain"
	case 0x0c05:
		return "Ethernet Packet"
	case 0x0c06:
		return "MAC Null"
	case 0x0c08:
		return "MAC Address"
	}
	return "Unknown"
}

// vqp prints a VQP message d (length bytes on the wire); verbose adds the
// sequence number and the objects (-vv without the hex of unknown ones).
func vqp(b, d []byte, length int, verbose int) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "vqp")
	}
	if length < 8 {
		return append(b, " (invalid)"...)
	}
	if d[0] != 1 {
		b = append(b, "VQP version "...)
		b = appendUint(b, uint64(d[0]))
		return append(b, " packet not supported"...)
	}
	if verbose > 0 {
		b = append(b, "\n\tVQPv1, "...)
	} else {
		b = append(b, "VQPv1 "...)
	}
	if int(d[1]) < len(vqpTypes) && vqpTypes[d[1]] != "" {
		b = append(b, vqpTypes[d[1]]...)
	} else {
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(d[1]))
		b = append(b, ')')
	}
	b = append(b, " Message, error-code "...)
	switch d[2] {
	case 0:
		b = append(b, "No error"...)
	case 3:
		b = append(b, "Access denied"...)
	case 4:
		b = append(b, "Shutdown port"...)
	case 5:
		b = append(b, "Wrong VTP domain"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[2]))
	if verbose == 0 {
		b = append(b, "), length "...)
		return appendInt(b, length)
	}
	b = append(b, "), seq 0x"...)
	b = appendHex(b, uint64(be32(d[4:])), 8)
	b = append(b, ", items "...)
	b = appendUint(b, uint64(d[3]))
	b = append(b, ", length "...)
	b = appendInt(b, length)
	o, left := d[8:], length-8
	for items := d[3]; items != 0 && left != 0; items-- {
		if len(o) < 6 {
			return appendTrunc(b, "vqp")
		}
		if left < 6 {
			return append(b, " (invalid)"...)
		}
		typ, n := be32(o), int(be16(o[4:]))
		o, left = o[6:], left-6
		b = append(b, "\n\t  "...)
		b = append(b, vqpObjectName(typ)...)
		b = append(b, " Object (0x"...)
		b = appendHex(b, uint64(typ), 8)
		b = append(b, "), length "...)
		b = appendInt(b, n)
		b = append(b, ", value: "...)
		if typ == 0 || n == 0 {
			return b
		}
		if len(o) < n {
			return appendTrunc(b, "vqp")
		}
		if n > left {
			return append(b, " (invalid)"...)
		}
		v := o[:n]
		switch typ {
		case 0x0c01:
			if n != 4 {
				return append(b, " (invalid)"...)
			}
			b = appendIPv4(b, v)
			b = append(b, " (0x"...)
			b = appendHex(b, uint64(be32(v)), 8)
			b = append(b, ')')
		case 0x0c02, 0x0c03, 0x0c04, 0x0c05:
			for _, c := range v {
				if c == 0 {
					break
				}
				b = appendCharJNP(b, c)
			}
		case 0x0c06, 0x0c08:
			if n != 6 {
				return append(b, " (invalid)"...)
			}
			b = appendMAC(b, v)
		default:
			if verbose <= 1 {
				b = appendUnknownData(b, v, "\n\t    ", n)
			}
		}
		o, left = o[n:], left-n
	}
	return b
}

// lmpTypeName names an LMP message type.
func lmpTypeName(t byte) string {
	names := [...]string{1: "Config", 2: "Config ACK", 3: "Config NACK", 4: "Hello",
		5: "Begin Verify", 6: "Begin Verify ACK", 7: "Begin Verify NACK", 8: "End Verify",
		9: "End Verify ACK", 10: "Test", 11: "Test Status Success", 12: "Test Status Failure",
		13: "Test Status ACK", 14: "Link Summary", 15: "Link Summary ACK",
		16: "Link Summary NACK", 17: "Channel Status", 18: "Channel Status ACK",
		19: "Channel Status Request", 20: "Channel Status Response"}
	switch {
	case int(t) < len(names):
		return names[t]
	case t == 50:
		return "Service Config"
	case t == 51:
		return "Service Config ACK"
	case t == 52:
		return "Service Config NACK"
	}
	return ""
}

// lmp prints an LMP message d (length bytes on the wire).
func lmp(b, d []byte, length int) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "lmp")
	}
	if v := d[0] >> 4; v != 1 {
		b = append(b, "LMP version "...)
		b = appendUint(b, uint64(v))
		return append(b, " packet not supported"...)
	}
	b = append(b, "LMPv1 "...)
	if n := lmpTypeName(d[3]); n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(d[3]))
		b = append(b, ')')
	}
	b = append(b, " Message, length: "...)
	return appendInt(b, length)
}
