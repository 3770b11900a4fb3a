package decode

// HNCP (RFC 7788, home networking control protocol) over UDP 8231, printed
// as tcpdump prints it at default verbosity: the payload length and the
// TLV types in order, a run of one type as "Name (xN)".
//
//	+--------+----------+------------------------+
//	| type 2 | length 2 | value, padded to 4     |
//	+--------+----------+------------------------+

// hncpTypeName names an HNCP TLV type, or its range, as tcpdump does.
func hncpTypeName(t int) string {
	switch t {
	case 1:
		return "Request network state"
	case 2:
		return "Request node state"
	case 3:
		return "Node endpoint"
	case 4:
		return "Network state"
	case 5:
		return "Node state"
	case 8:
		return "Peer"
	case 9:
		return "Keep-alive interval"
	case 10:
		return "Trust-Verdict"
	case 32:
		return "HNCP-Version"
	case 33:
		return "External-Connection"
	case 34:
		return "Delegated-Prefix"
	case 35:
		return "Assigned-Prefix"
	case 36:
		return "Node-Address"
	case 37:
		return "DHCPv4-Data"
	case 38:
		return "DHCPv6-Data"
	case 39:
		return "DNS-Delegated-Zone"
	case 40:
		return "Domain-Name"
	case 41:
		return "Node-Name"
	case 42:
		return "Managed-PSK"
	case 43:
		return "Prefix-Policy"
	case 0:
		return "Reserved"
	}
	switch {
	case 44 <= t && t <= 511:
		return "Unassigned"
	case 768 <= t && t <= 1023:
		return "Private use"
	}
	return "Future use"
}

// hncp prints an HNCP message d (length bytes on the wire).
func hncp(b, d []byte, length int) []byte {
	b = append(b, "hncp ("...)
	b = appendInt(b, length)
	b = append(b, ')')
	last, count, first := "", 0, true
	flush := func(b []byte) []byte {
		if count == 0 {
			return b
		}
		if first {
			b = append(b, ' ')
			first = false
		} else {
			b = append(b, ", "...)
		}
		b = append(b, last...)
		if count > 1 {
			b = append(b, " (x"...)
			b = appendInt(b, count)
			b = append(b, ')')
		}
		return b
	}
	for i := 0; i < length; {
		if len(d) < i+4 {
			return appendTrunc(b, "hncp")
		}
		if i+4 > length {
			return append(b, " (invalid)"...)
		}
		n := int(be16(d[i+2:]))
		if len(d) < i+4+n {
			return appendTrunc(b, "hncp")
		}
		if i+n+4 > length {
			return append(b, " (invalid)"...)
		}
		name := hncpTypeName(int(be16(d[i:])))
		if name == last && count > 0 {
			count++
		} else {
			b = flush(b)
			last, count = name, 1
		}
		i += 4 + (n+3)&^3
	}
	return flush(b)
}
