package decode

// LWAPP (RFC 5412, lightweight access point protocol) over UDP 12222
// (data) and 12223 (control), printed as tcpdump prints it at default
// verbosity: version, frame kind, flags and length.
//
//	control to 12223: | AP identity 6 | transport header 6 | ...
//	otherwise:        | transport header: version/flags, frag id, length 2, status 2 | ...

var lwappMsgTypes = [41]string{1: "Discovery req", 2: "Discovery resp", 3: "Join req",
	4: "Join resp", 5: "Join ack", 6: "Join confirm", 10: "Configure req", 11: "Configure resp",
	12: "Update req", 13: "Update resp", 14: "WTP event req", 15: "WTP event resp",
	16: "Change state event req", 17: "Change state event resp", 22: "Echo req", 23: "Echo resp",
	24: "Image data req", 25: "Image data resp", 26: "Channel status req", 27: "Channel status resp",
	30: "Key update req", 31: "Key update resp", 32: "Primary discovery req",
	33: "Primary discovery resp", 34: "Data transfer req", 35: "Data transfer resp",
	36: "Clear config ind", 37: "Wlan config req", 38: "Wlan config resp",
	39: "Mobile config req", 40: "Mobile config resp"}

// appendLWAPPFlags appends the names of the header's flag bits, or "none".
func appendLWAPPFlags(b []byte, v byte) []byte {
	n := 0
	for _, f := range [3]struct {
		bit  byte
		name string
	}{{0x01, "Last Fragment Bit"}, {0x02, "Fragment Bit"}, {0x04, "Control Bit"}} {
		if v&f.bit != 0 {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
			n++
		}
	}
	if n == 0 {
		b = append(b, "none"...)
	}
	return b
}

// lwapp prints an LWAPP datagram d (length bytes on the wire); ident says
// a 6-byte AP identity comes first. With verbose: radio and fragment ids,
// and the control messages or the data frame's bytes.
func lwapp(b, d []byte, length int, control, ident, verbose bool) []byte {
	proto := "lwapp_data"
	if control {
		proto = "lwapp_control"
	}
	if len(d) < 6 {
		return appendTrunc(b, proto)
	}
	apID := d
	if ident {
		apID, d = d, d[6:]
	}
	if len(d) < 6 {
		return appendTrunc(b, proto)
	}
	v := d[0]
	if v>>6 != 0 {
		b = append(b, "LWAPP version "...)
		b = appendUint(b, uint64(v>>6))
		return append(b, " packet not supported"...)
	}
	b = append(b, "LWAPPv0, "...)
	if v&0x04 != 0 {
		b = append(b, "Control"...)
	} else {
		b = append(b, "Data"...)
	}
	b = append(b, " frame, "...)
	if !verbose {
		b = append(b, "Flags ["...)
		b = appendLWAPPFlags(b, v)
		b = append(b, "], length "...)
		return appendInt(b, length)
	}
	// tcpdump's data printer puts two spaces after its ids.
	sp := " "
	if !control {
		sp = "  "
	}
	tlen := int(be16(d[2:]))
	b = append(b, "Radio-id"...)
	b = append(b, sp...)
	b = appendUint(b, uint64((v&0x38)>>3))
	b = append(b, ", Flags ["...)
	b = appendLWAPPFlags(b, v)
	if !control && tlen < 6 {
		b = append(b, "], length "...)
		b = appendInt(b, tlen)
		return append(b, " < transport header length"...)
	}
	b = append(b, "], Frag-id"...)
	b = append(b, sp...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, ", length "...)
	b = appendInt(b, tlen)
	if !control {
		return appendUnknownData(b, d[6:], "\n\t", tlen-6)
	}
	if ident {
		b = append(b, "\n\tAP identity: "...)
		b = appendMAC(b, apID[:6])
	}
	for m := d[6:]; tlen != 0; {
		if len(m) < 8 {
			return appendTrunc(b, proto)
		}
		n := int(be16(m[2:]))
		if tlen < 8 || tlen < 8+n {
			return append(b, "\n\t  Msg goes past end of PDU"...)
		}
		b = append(b, "\n\t  Msg type: "...)
		if t := m[0]; int(t) < len(lwappMsgTypes) && lwappMsgTypes[t] != "" {
			b = append(b, lwappMsgTypes[t]...)
		} else {
			b = append(b, "Unknown"...)
		}
		b = append(b, " ("...)
		b = appendUint(b, uint64(m[0]))
		b = append(b, "), Seqnum: "...)
		b = appendUint(b, uint64(m[1]))
		b = append(b, ", Msg len: "...)
		b = appendInt(b, n)
		b = append(b, ", Session: 0x"...)
		b = appendHex(b, uint64(be32(m[4:])), 8)
		if len(m) < n {
			return appendTrunc(b, proto)
		}
		if len(m) < 8+n {
			m = m[len(m):]
		} else {
			m = m[8+n:]
		}
		tlen -= 8 + n
	}
	return b
}
