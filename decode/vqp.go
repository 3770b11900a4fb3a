package decode

// VQP (Cisco VLAN query protocol) over UDP 1589 and LMP (RFC 4204, link
// management protocol) over UDP 701, printed as tcpdump prints them at
// default verbosity: version, message type and length.
//
//	VQP: | version | type | error code | items | sequence 4 | objects |
//	LMP: | version 4 bits, reserved | flags | type | length 2 | reserved 2 | objects |

var vqpTypes = [5]string{1: "Request, Join Port", 2: "Response, VLAN", 3: "Request, Reconfirm",
	4: "Response, Reconfirm"}

// vqp prints a VQP message d (length bytes on the wire).
func vqp(b, d []byte, length int) []byte {
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
	b = append(b, "VQPv1 "...)
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
	b = append(b, "), length "...)
	return appendInt(b, length)
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
