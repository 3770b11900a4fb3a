package decode

// L2TP over UDP port 1701, as tcpdump prints it: "l2tp:[TLSOP](tunnel/
// session)", sequence numbers, then the AVPs of a control message or the
// PPP frame of a data message in braces.
//
//	| flags+version 2 | [length 2] | tunnel 2 | session 2 | [Ns 2 | Nr 2] | [offset 2 | pad] |
//	AVP: | M H rsvd length(10 bits) 2 | vendor 2 | type 2 | value |

var l2tpMsgTypes = [17]string{1: "SCCRQ", 2: "SCCRP", 3: "SCCCN", 4: "StopCCN", 6: "HELLO",
	7: "OCRQ", 8: "OCRP", 9: "OCCN", 10: "ICRQ", 11: "ICRP", 12: "ICCN", 14: "CDN", 15: "WEN",
	16: "SLI"}

var l2tpAVPNames = [47]string{"MSGTYPE", "RESULT_CODE", "PROTO_VER", "FRAMING_CAP",
	"BEARER_CAP", "TIE_BREAKER", "FIRM_VER", "HOST_NAME", "VENDOR_NAME", "ASSND_TUN_ID",
	"RECV_WIN_SIZE", "CHALLENGE", "Q931_CC", "CHALLENGE_RESP", "ASSND_SESS_ID",
	"CALL_SER_NUM", "MINIMUM_BPS", "MAXIMUM_BPS", "BEARER_TYPE", "FRAMING_TYPE",
	"PACKET_PROC_DELAY", "CALLED_NUMBER", "CALLING_NUMBER", "SUB_ADDRESS", "TX_CONN_SPEED",
	"PHY_CHANNEL_ID", "INI_RECV_LCP", "LAST_SENT_LCP", "LAST_RECV_LCP", "PROXY_AUTH_TYPE",
	"PROXY_AUTH_NAME", "PROXY_AUTH_CHAL", "PROXY_AUTH_ID", "PROXY_AUTH_RESP", "CALL_ERRORS",
	"ACCM", "RANDOM_VECTOR", "PRIVATE_GRP_ID", "RX_CONN_SPEED", "SEQ_REQUIRED",
	46: "PPP_DISCON_CC"}

var l2tpAuthTypes = [6]string{"Reserved", "Textual", "CHAP", "PAP", "No Auth", "MS-CHAPv1"}

var l2tpDirections = [3]string{"global error", "at peer", "at local"}

// l2tp prints an L2TP message: d is the captured UDP payload, length its
// length.
func (p *Printer) l2tp(b, d []byte, length int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "l2tp")
	}
	fl := be16(d)
	switch fl & 0xf {
	case 2:
		b = append(b, " l2tp:["...)
	case 1:
		return append(b, " l2f:"...)
	default:
		return append(b, " Unknown Version, neither L2F(1) nor L2TP(2)"...)
	}
	for _, f := range [...]struct {
		bit uint16
		c   byte
	}{{0x8000, 'T'}, {0x4000, 'L'}, {0x0800, 'S'}, {0x0200, 'O'}, {0x0100, 'P'}} {
		if fl&f.bit != 0 {
			b = append(b, f.c)
		}
	}
	b = append(b, ']')
	i := 2
	get := func() (uint16, bool) {
		if i+2 > len(d) {
			return 0, false
		}
		v := be16(d[i:])
		i += 2
		return v, true
	}
	var l2len uint16
	var ok bool
	if fl&0x4000 != 0 {
		if l2len, ok = get(); !ok {
			return appendTrunc(b, "l2tp")
		}
	}
	for k, sep := range [2]string{"(", "/"} {
		v, ok := get()
		if !ok {
			return appendTrunc(b, "l2tp")
		}
		b = append(b, sep...)
		b = appendUint(b, uint64(v))
		if k == 1 {
			b = append(b, ')')
		}
	}
	if fl&0x0800 != 0 {
		for _, lbl := range [2]string{"Ns=", ",Nr="} {
			v, ok := get()
			if !ok {
				return appendTrunc(b, "l2tp")
			}
			b = append(b, lbl...)
			b = appendUint(b, uint64(v))
		}
	}
	if fl&0x0200 != 0 {
		pad, ok := get()
		if !ok || i+int(pad) > len(d) {
			return appendTrunc(b, "l2tp")
		}
		i += int(pad)
	}
	if fl&0x4000 != 0 {
		if length < int(l2len) {
			b = append(b, " Length "...)
			b = appendUint(b, uint64(l2len))
			return append(b, " larger than packet"...)
		}
		length = int(l2len)
	}
	if length < i {
		b = append(b, " Length "...)
		b = appendInt(b, length)
		return append(b, " smaller than header length"...)
	}
	if fl&0x8000 == 0 {
		b = append(b, " {"...)
		b = p.pppInGRE(b, d[min(i, len(d)):min(length, len(d))], length-i)
		return append(b, '}')
	}
	if fl&0x4000 == 0 {
		return append(b, " No length"...)
	}
	if length == i {
		return append(b, " ZLB"...)
	}
	for i < length {
		n := l2tpAVP(b, d, i, length-i)
		b = n.b
		if n.len == 0 {
			break
		}
		i += n.len
	}
	return b
}

// l2tpAVPResult is what l2tpAVP printed and how long the AVP was (0: the
// line ended with [|l2tp]).
type l2tpAVPResult struct {
	b   []byte
	len int
}

// l2tpAVP prints the AVP at d[i:], rest bytes of the message being left.
func l2tpAVP(b, d []byte, i, rest int) l2tpAVPResult {
	b = append(b, ' ')
	if i+2 > len(d) {
		return l2tpAVPResult{appendTrunc(b, "l2tp"), 0}
	}
	h := be16(d[i:])
	n := int(h & 0x3ff)
	if n < 6 || n > rest || i+n > len(d) {
		return l2tpAVPResult{appendTrunc(b, "l2tp"), 0}
	}
	if h&0x8000 != 0 {
		b = append(b, '*')
	}
	hidden := h&0x4000 != 0
	if hidden {
		b = append(b, '?')
	}
	vendor, typ := be16(d[i+2:]), int(be16(d[i+4:]))
	v := d[i+6 : i+n]
	if vendor != 0 {
		b = append(b, "VENDOR"...)
		b = appendHex(b, uint64(vendor), 4)
		b = append(b, ":ATTR"...)
		b = appendHex(b, uint64(typ), 4)
		b = append(b, '(')
		b = appendHexBytes(b, v)
		return l2tpAVPResult{append(b, ')'), n}
	}
	if typ < len(l2tpAVPNames) && l2tpAVPNames[typ] != "" {
		b = append(b, l2tpAVPNames[typ]...)
	} else {
		b = append(b, "AVP-#"...)
		b = appendUint(b, uint64(typ))
	}
	b = append(b, '(')
	if hidden {
		b = append(b, "???"...)
	} else {
		b = l2tpAVPValue(b, typ, v)
	}
	return l2tpAVPResult{append(b, ')'), n}
}

const avpShort = "AVP too short"

// l2tpAVPValue prints the value v of a standard AVP of type typ.
func l2tpAVPValue(b []byte, typ int, v []byte) []byte {
	switch typ {
	case 0: // message type
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		if t := be16(v); int(t) < len(l2tpMsgTypes) && l2tpMsgTypes[t] != "" {
			return append(b, l2tpMsgTypes[t]...)
		}
		b = append(b, "MSGTYPE-#"...)
		return appendUint(b, uint64(be16(v)))
	case 1: // result code
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		b = appendUint(b, uint64(be16(v)))
		v = v[2:]
		if len(v) == 0 {
			return b
		}
		if len(v) < 2 {
			return append(b, " "+avpShort...)
		}
		b = append(b, '/')
		b = appendUint(b, uint64(be16(v)))
		v = v[2:]
		if len(v) == 0 {
			return b
		}
		b = append(b, ' ')
		return appendEscaped(b, v)
	case 2: // protocol version
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		b = appendUint(b, uint64(v[0]))
		b = append(b, '.')
		return appendUint(b, uint64(v[1]))
	case 3, 19: // framing capabilities, framing type
		if len(v) < 4 {
			return append(b, avpShort...)
		}
		if v[3]&2 != 0 {
			b = append(b, 'A')
		}
		if v[3]&1 != 0 {
			b = append(b, 'S')
		}
		return b
	case 4, 18: // bearer capabilities, bearer type
		if len(v) < 4 {
			return append(b, avpShort...)
		}
		if v[3]&2 != 0 {
			b = append(b, 'A')
		}
		if v[3]&1 != 0 {
			b = append(b, 'D')
		}
		return b
	case 5: // tie breaker
		if len(v) < 8 {
			return append(b, avpShort...)
		}
		return appendHexBytes(b, v[:8])
	case 6, 9, 10, 14:
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		return appendUint(b, uint64(be16(v)))
	case 7, 8, 21, 22, 23, 30, 37:
		return appendEscaped(b, v)
	case 11, 26, 27, 28, 31, 33, 36:
		return appendHexBytes(b, v)
	case 12: // Q.931 cause code
		if len(v) < 3 {
			return append(b, avpShort...)
		}
		b = appendUint(b, uint64(be16(v)))
		b = append(b, ", "...)
		b = appendHex(b, uint64(v[2]), 2)
		if len(v) > 3 {
			b = append(b, ' ')
			b = appendEscaped(b, v[3:])
		}
		return b
	case 13: // challenge response
		if len(v) < 16 {
			return append(b, avpShort...)
		}
		return appendHexBytes(b, v[:16])
	case 15, 16, 17, 24, 25, 38:
		if len(v) < 4 {
			return append(b, avpShort...)
		}
		return appendUint(b, uint64(be32(v)))
	case 20:
		return append(b, "obsolete"...)
	case 29: // proxy authen type
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		if t := be16(v); int(t) < len(l2tpAuthTypes) {
			return append(b, l2tpAuthTypes[t]...)
		}
		b = append(b, "AuthType-#"...)
		return appendUint(b, uint64(be16(v)))
	case 32: // proxy authen ID
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		return appendUint(b, uint64(v[1]))
	case 34: // call errors
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		v = v[2:]
		for _, f := range [...]string{"CRCErr=", "FrameErr=", "HardOver=", "BufOver=", "Timeout=", "AlignErr="} {
			if len(v) < 4 {
				return append(b, avpShort...)
			}
			b = append(b, f...)
			b = appendUint(b, uint64(be32(v)))
			b = append(b, ' ')
			v = v[4:]
		}
		return b
	case 35: // ACCM
		if len(v) < 2 {
			return append(b, avpShort...)
		}
		v = v[2:]
		for _, f := range [...]string{"send=", "recv="} {
			if len(v) < 4 {
				return append(b, avpShort...)
			}
			b = append(b, f...)
			b = appendHex(b, uint64(be32(v)), 8)
			b = append(b, ' ')
			v = v[4:]
		}
		return b
	case 46: // PPP disconnect cause code
		if len(v) < 5 {
			return append(b, avpShort...)
		}
		b = appendHex(b, uint64(be16(v)), 4)
		b = append(b, ", "...)
		b = appendHex(b, uint64(be16(v[2:])), 4)
		b = append(b, ' ')
		if v[4] < 3 {
			b = append(b, l2tpDirections[v[4]]...)
		} else {
			b = append(b, "Direction-#"...)
			b = appendUint(b, uint64(v[4]))
		}
		if len(v) > 5 {
			b = append(b, ' ')
			b = appendEscaped(b, v[5:])
		}
		return b
	}
	return b
}
