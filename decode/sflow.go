package decode

// sFlow (version 5) over UDP 6343, printed as tcpdump prints it at default
// verbosity: the datagram header's agent and length.
//
//	+-----------+--------------+---------------+------------+--------+--------+---------+
//	| version 4 | agent type 4 | agent 4 or 16 | agent id 4 | seq 4  | uptime | samples |
//	+-----------+--------------+---------------+------------+--------+--------+---------+

// sflow prints an sFlow datagram d (length bytes on the wire).
func sflow(b, d []byte, length int) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "sflow")
	}
	ipv := be32(d[4:])
	if (length < 28 && ipv == 1) || (length < 40 && ipv == 2) {
		b = append(b, "sFlowv"...)
		b = appendUint(b, uint64(be32(d)))
		return appendLenInvalid(b, length, 28)
	}
	if len(d) < 28 {
		return appendTrunc(b, "sflow")
	}
	if v := be32(d); v != 5 {
		b = append(b, "sFlow version "...)
		b = appendUint(b, uint64(v))
		return append(b, " packet not supported"...)
	}
	b = append(b, "sFlowv5, "...)
	if ipv == 1 {
		b = append(b, "IPv4 agent "...)
		b = appendIPv4(b, d[8:12])
		b = append(b, ", agent-id "...)
		b = appendUint(b, uint64(be32(d[12:])))
	} else {
		b = append(b, "IPv6 agent "...)
		b = appendIPv6(b, d[8:24])
		b = append(b, ", agent-id "...)
		b = appendUint(b, uint64(be32(d[24:])))
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}
