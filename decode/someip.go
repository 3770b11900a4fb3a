package decode

// SOME/IP (AUTOSAR scalable service-oriented middleware over IP) over UDP
// 30490, printed as tcpdump prints it: the 16-byte header's fields, then
// an empty line (tcpdump ends its line with a new line of its own).
//
//	+--------------+-----------+-----------+------------+------+------+------+------+
//	| service 2 | method 2 | length 4 | client 2 | session 2 | pver | iver | type | code |
//	+--------------+-----------+-----------+------------+------+------+------+------+

// someIPType names a SOME/IP message type.
func someIPType(t byte) string {
	switch t {
	case 0x00:
		return "REQUEST"
	case 0x01:
		return "REQUEST_NO_RETURN"
	case 0x02:
		return "NOTIFICATION"
	case 0x80:
		return "RESPONSE"
	case 0x81:
		return "ERROR"
	case 0x20:
		return "TP_REQUEST"
	case 0x21:
		return "TP_REQUEST_NO_RETURN"
	case 0x22:
		return "TP_NOTIFICATION"
	case 0xa0:
		return "TP_RESPONSE"
	case 0xa1:
		return "TP_ERROR"
	}
	return "Unknown"
}

var someIPCodes = [16]string{"E_OK", "E_NOT_OK", "E_UNKNOWN_SERVICE", "E_UNKNOWN_METHOD",
	"E_NOT_READY", "E_NOT_REACHABLE", "E_TIMEOUT", "E_WRONG_PROTOCOL_VERSION",
	"E_WRONG_INTERFACE_VERSION", "E_MALFORMED_MESSAGE", "E_WRONG_MESSAGE_TYPE",
	"E_E2E_REPEATED", "E_E2E_WRONG_SEQUENCE", "E_E2E", "E_E2E_NOT_AVAILABLE", "E_E2E_NO_NEW_DATA"}

// someIP prints a SOME/IP message d (length bytes on the wire).
func someIP(b, d []byte, length int) []byte {
	b = append(b, "SOMEIP"...)
	if length < 16 {
		return append(b, " (invalid)"...)
	}
	if len(d) < 4 {
		return appendTrunc(b, "someip")
	}
	id := be32(d)
	b = append(b, ", service "...)
	b = appendUint(b, uint64(id>>16))
	if id&0x8000 != 0 {
		b = append(b, ", event "...)
	} else {
		b = append(b, ", method "...)
	}
	b = appendUint(b, uint64(id&0x7fff))
	if len(d) < 8 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", len "...)
	b = appendUint(b, uint64(be32(d[4:])))
	if len(d) < 12 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", client "...)
	b = appendUint(b, uint64(be16(d[8:])))
	b = append(b, ", session "...)
	b = appendUint(b, uint64(be16(d[10:])))
	if len(d) < 13 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", pver "...)
	b = appendUint(b, uint64(d[12]))
	if len(d) < 14 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", iver "...)
	b = appendUint(b, uint64(d[13]))
	if len(d) < 15 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", msgtype "...)
	b = append(b, someIPType(d[14])...)
	if len(d) < 16 {
		return appendTrunc(b, "someip")
	}
	b = append(b, ", retcode "...)
	if int(d[15]) < len(someIPCodes) {
		b = append(b, someIPCodes[d[15]]...)
	} else {
		b = append(b, "Unknown"...)
	}
	return append(b, '\n')
}
