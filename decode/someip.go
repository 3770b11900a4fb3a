package decode

// SOME/IP (the AUTOSAR RPC protocol, UDP port 30490) as tcpdump prints it:
// "SOMEIP, service S, method|event M, len L, client C, session N, pver P,
// iver I, msgtype T, retcode R", followed, as tcpdump does, by an empty
// line.
//
//	| service 2 | E+method 2 | length 4 | client 2 | session 2 |
//	| proto ver 1 | iface ver 1 | msg type 1 | return code 1 |

const portSOMEIP = 30490

var someipMsgTypes = [0xa2]string{0x00: "REQUEST", 0x01: "REQUEST_NO_RETURN", 0x02: "NOTIFICATION",
	0x80: "RESPONSE", 0x81: "ERROR", 0x20: "TP_REQUEST", 0x21: "TP_REQUEST_NO_RETURN",
	0x22: "TP_NOTIFICATION", 0xa0: "TP_RESPONSE", 0xa1: "TP_ERROR"}

var someipReturnCodes = [16]string{"E_OK", "E_NOT_OK", "E_UNKNOWN_SERVICE", "E_UNKNOWN_METHOD",
	"E_NOT_READY", "E_NOT_REACHABLE", "E_TIMEOUT", "E_WRONG_PROTOCOL_VERSION",
	"E_WRONG_INTERFACE_VERSION", "E_MALFORMED_MESSAGE", "E_WRONG_MESSAGE_TYPE",
	"E_E2E_REPEATED", "E_E2E_WRONG_SEQUENCE", "E_E2E", "E_E2E_NOT_AVAILABLE",
	"E_E2E_NO_NEW_DATA"}

// someip prints a SOME/IP message: d is the captured UDP payload, length
// its length.
func someip(b, d []byte, length int) []byte {
	b = append(b, "SOMEIP"...)
	if length < 16 {
		return append(b, " (invalid)"...)
	}
	trunc := func(b []byte) []byte { return appendTrunc(b, "someip") }
	if len(d) < 4 {
		return trunc(b)
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
		return trunc(b)
	}
	b = append(b, ", len "...)
	b = appendUint(b, uint64(be32(d[4:])))
	if len(d) < 12 {
		return trunc(b)
	}
	b = append(b, ", client "...)
	b = appendUint(b, uint64(be16(d[8:])))
	b = append(b, ", session "...)
	b = appendUint(b, uint64(be16(d[10:])))
	for i, lbl := range [2]string{", pver ", ", iver "} {
		if len(d) < 13+i {
			return trunc(b)
		}
		b = append(b, lbl...)
		b = appendUint(b, uint64(d[12+i]))
	}
	if len(d) < 15 {
		return trunc(b)
	}
	b = append(b, ", msgtype "...)
	if t := d[14]; int(t) < len(someipMsgTypes) && someipMsgTypes[t] != "" {
		b = append(b, someipMsgTypes[t]...)
	} else {
		b = append(b, "Unknown"...)
	}
	if len(d) < 16 {
		return trunc(b)
	}
	b = append(b, ", retcode "...)
	if r := d[15]; int(r) < len(someipReturnCodes) {
		b = append(b, someipReturnCodes[r]...)
	} else {
		b = append(b, "Unknown"...)
	}
	return append(b, '\n')
}
