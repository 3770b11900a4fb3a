package decode

var dccpTypes = [...]string{"DCCP-Request", "DCCP-Response", "DCCP-Data", "DCCP-Ack", "DCCP-DataAck",
	"DCCP-CloseReq", "DCCP-Close", "DCCP-Reset", "DCCP-Sync", "DCCP-SyncAck"}

// dccpExtra is what each packet type adds to the generic header.
var dccpExtra = [...]int{4, 12, 0, 8, 8, 8, 8, 12, 8, 8}

var dccpResetCodes = [...]string{"unspecified", "closed", "aborted", "no_connection", "packet_error",
	"option_error", "mandatory_error", "connection_refused", "bad_service_code", "too_busy",
	"bad_init_cookie", "aggression_penalty"}

var dccpOptions = [...]string{0: "nop", 1: "mandatory", 2: "slowreceiver", 32: "change_l",
	33: "confirm_l", 34: "change_r", 35: "confirm_r", 36: "initcookie", 37: "ndp_count",
	38: "ack_vector0", 39: "ack_vector1", 40: "data_dropped", 41: "timestamp",
	42: "timestamp_echo", 43: "elapsed_time", 44: "data_checksum"}

var dccpFeatures = [...]string{"reserved", "ccid", "allow_short_seqno", "sequence_window",
	"ecn_incapable", "ack_ratio", "send_ack_vector", "send_ndp_count",
	"minimum checksum coverage", "check data checksum"}

// dccp prints a DCCP packet (IP protocol 33, RFC 4340) as tcpdump does
// without -v: ports, packet type, its service code, reset code or
// acknowledgement number (with -v the checksum, with -vv the sequence
// number and the options); length is the IP payload length.
//
//	| source port 16 | destination port 16 | data offset 8 | CCVal 4 | CsCov 4 | checksum 16 |
//	| res 3 | type 4 | X 1 | reserved 8 (X=1) | sequence number 24 or 48 |
//	acknowledgement subheader (most types): | reserved 16 or 8 | ack number 48 or 24 |
func (p *Printer) dccp(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 12 {
		return appendTrunc(b, "dccp")
	}
	if length < 12 {
		b = append(b, "truncated-dccp - "...)
		b = appendInt(b, 12-length)
		return append(b, " bytes missing!"...)
	}
	x := d[8]&1 != 0
	base := 12
	if x {
		base = 16
	}
	if length < base {
		b = append(b, "truncated-dccp - "...)
		b = appendInt(b, base-length)
		return append(b, " bytes missing!"...)
	}
	if len(d) < base {
		return appendTrunc(b, "dccp")
	}
	b = appendPorts(b, h, int(be16(d)), int(be16(d[2:])))
	b = append(b, "DCCP"...)
	if p.opts.Verbose > 0 {
		b = append(b, " (CCVal "...)
		b = appendUint(b, uint64(d[5]>>4))
		b = append(b, ", CsCov "...)
		b = appendUint(b, uint64(d[5]&0xf))
		if len(d) >= length {
			cov := length
			if cs := int(d[5] & 0xf); cs != 0 {
				cov = min(length, (int(d[4])+cs-1)*4)
			}
			s := sum16(0, h.src)
			s = sum16(s, h.dst)
			s += uint32(protoDCCP) + uint32(length)&0xffff + uint32(length)>>16
			sum := be16(d[6:])
			b = append(b, ", cksum 0x"...)
			b = appendHex(b, uint64(sum), 4)
			if c := checksum(s, d[:cov]); c != 0 {
				b = append(b, " (incorrect -> 0x"...)
				b = appendHex(b, uint64(shouldBe(sum, c)), 4)
				b = append(b, ')')
			} else {
				b = append(b, " (correct)"...)
			}
		}
		b = append(b, ')')
	}
	b = append(b, ' ')
	hlen := int(d[4]) * 4
	typ := int(d[8]>>1) & 0xf
	fixed := base
	if typ < len(dccpTypes) {
		fixed += dccpExtra[typ]
		if length < fixed {
			b = append(b, "truncated-"...)
			b = append(b, dccpTypes[typ]...)
			b = append(b, " - "...)
			b = appendInt(b, fixed-length)
			return append(b, " bytes missing!"...)
		}
		if (typ == 0 || typ == 1 || typ == 7) && len(d) < fixed {
			return appendTrunc(b, "dccp")
		}
		b = append(b, dccpTypes[typ]...)
		b = append(b, ' ')
	}
	switch {
	case typ == 0, typ == 1:
		b = append(b, "(service="...)
		b = appendUint(b, uint64(be32(d[base+8*typ:])))
		b = append(b, ") "...)
	case typ == 7:
		b = append(b, "(code="...)
		if c := d[base+8]; int(c) < len(dccpResetCodes) {
			b = append(b, dccpResetCodes[c]...)
		} else {
			b = append(b, "invalid"...)
		}
		b = append(b, ") "...)
	case typ >= len(dccpTypes):
		b = append(b, "unknown-type-"...)
		b = appendInt(b, typ)
		b = append(b, ' ')
	}
	if typ != 0 && typ != 2 {
		ack := d[base:]
		var n uint64
		if x {
			if len(ack) < 8 {
				return appendTrunc(b, "dccp")
			}
			n = uint64(be16(ack[2:]))<<32 | uint64(be32(ack[4:]))
		} else {
			if len(ack) < 4 {
				return appendTrunc(b, "dccp")
			}
			n = uint64(ack[1])<<16 | uint64(be16(ack[2:]))
		}
		b = append(b, "(ack="...)
		b = appendUint(b, n)
		b = append(b, ") "...)
	}
	if p.opts.Verbose < 2 {
		// tcpdump prints the sequence number and the options with -vv.
		return b
	}
	b = append(b, "seq "...)
	if x {
		b = appendUint(b, uint64(be16(d[10:]))<<32|uint64(be32(d[12:])))
	} else {
		b = appendUint(b, uint64(d[9])<<16|uint64(be16(d[10:])))
	}
	if hlen <= fixed {
		return b
	}
	b = append(b, " <"...)
	o := d[min(fixed, len(d)):]
	rem := hlen - fixed
	for {
		var n int
		var ok bool
		if b, n, ok = dccpOption(b, o, rem); !ok || rem <= n {
			break
		}
		rem -= n
		o = o[n:]
		b = append(b, ", "...)
	}
	return append(b, '>')
}

// dccpOption prints the option at the start of o (rem bytes left of the
// header); n is its length, ok false when printing stops.
func dccpOption(b, o []byte, rem int) (_ []byte, n int, ok bool) {
	if len(o) < 1 {
		return appendTrunc(b, "dccp"), 0, false
	}
	t := o[0]
	name := func(b []byte) []byte {
		if t >= 128 {
			b = append(b, "CCID option "...)
			return appendUint(b, uint64(t))
		}
		if int(t) < len(dccpOptions) && dccpOptions[t] != "" {
			return append(b, dccpOptions[t]...)
		}
		b = append(b, "Option "...)
		return appendUint(b, uint64(t))
	}
	n = 1
	if t >= 32 {
		if len(o) < 2 {
			return appendTrunc(b, "dccp"), 0, false
		}
		if n = int(o[1]); n < 2 {
			return append(name(b), " optlen too short"...), 0, false
		}
	}
	if rem < n {
		return append(name(b), " optlen goes past header length"...), 0, false
	}
	if len(o) < n {
		return appendTrunc(b, "dccp"), 0, false
	}
	b = name(b)
	v := o[min(2, n):n]
	hex := func(b []byte, prefix string) []byte {
		if len(v) > 0 {
			b = append(b, prefix...)
			b = appendHexBytes(b, v)
		}
		return b
	}
	switch {
	case t >= 128:
		switch n {
		case 4:
			b = append(b, ' ')
			b = appendUint(b, uint64(be16(v)))
		case 6:
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v)))
		}
	case t >= 32 && t <= 35:
		if n < 3 {
			return append(b, " optlen too short"...), n, true
		}
		if f := v[0]; int(f) < len(dccpFeatures) {
			b = append(b, ' ')
			b = append(b, dccpFeatures[f]...)
			for _, c := range v[1:] {
				b = append(b, ' ')
				b = appendUint(b, uint64(c))
			}
		}
	case t == 36, t == 38, t == 39, t == 40:
		b = hex(b, " 0x")
	case t == 37:
		for _, c := range v {
			b = append(b, ' ')
			b = appendUint(b, uint64(c))
		}
	case t == 41:
		if n == 6 {
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v)))
		} else {
			b = append(b, " [optlen != 6]"...)
		}
	case t == 42:
		switch n {
		case 6, 8, 10:
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v)))
			if n == 8 {
				b = append(b, " (elapsed time "...)
				b = appendUint(b, uint64(be16(v[4:])))
				b = append(b, ')')
			} else if n == 10 {
				b = append(b, " (elapsed time "...)
				b = appendUint(b, uint64(be32(v[4:])))
				b = append(b, ')')
			}
		default:
			b = append(b, " [optlen != 6 or 8 or 10]"...)
		}
	case t == 43:
		switch n {
		case 6:
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v)))
		case 4:
			b = append(b, ' ')
			b = appendUint(b, uint64(be16(v)))
		default:
			b = append(b, " [optlen != 4 or 6]"...)
		}
	case t == 44:
		b = hex(b, " ")
	}
	return b, n, true
}
