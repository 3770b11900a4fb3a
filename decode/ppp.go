package decode

// PPP protocol numbers printed here.
const (
	pppIP     = 0x0021
	pppIPv6   = 0x0057
	pppMPLS   = 0x0281
	pppMPLSMc = 0x0283
	pppISO    = 0x0023 // OSI network layer
	pppMLPPP  = 0x003d // multilink
	pppLCP    = 0xc021
	pppIPCP   = 0x8021
	pppIP6CP  = 0x8057
	pppMPLSCP = 0x8281
	pppCCP    = 0x80fd
	pppBACP   = 0xc02b
)

// ppp prints a PPP frame (LINKTYPE_PPP): an optional ff 03 address and
// control, a protocol of one byte (odd) or two, and its payload.
func (p *Printer) ppp(b, d []byte, wire int) ([]byte, int) {
	off := 0
	if len(d) >= 2 && d[0] == 0xff && d[1] == 0x03 {
		off = 2
	}
	if len(d) < off+1 {
		return appendTrunc(b, "ppp"), len(d)
	}
	proto := uint16(d[off])
	if d[off]&1 == 0 {
		if len(d) < off+2 {
			return appendTrunc(b, "ppp"), len(d)
		}
		proto = be16(d[off:])
		off += 2
	} else {
		off++
	}
	return p.pppPayload(b, d[off:], wire-off, proto, wire), off
}

// pppSerial prints PPP in HDLC-like framing (LINKTYPE_PPP_HDLC): address,
// control, 2 bytes of protocol; Cisco HDLC frames may appear too.
func (p *Printer) pppSerial(b, d []byte, wire int) ([]byte, int) {
	if len(d) >= 1 && (d[0] == 0x0f || d[0] == 0x8f) {
		return p.chdlc(b, d, wire)
	}
	if len(d) < 4 {
		return appendTrunc(b, "ppp_hdlc"), len(d)
	}
	return p.pppPayload(b, d[4:], wire-4, be16(d[2:]), wire), 4
}

// pppPayload prints what a PPP protocol number carries; length counts
// the bytes after the protocol field. With -e tcpdump first names the
// protocol and the frame's length, frame.
func (p *Printer) pppPayload(b, d []byte, length int, proto uint16, frame int) []byte {
	if p.opts.Link {
		if n := pppProtoName(proto); n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "unknown"...)
		}
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(proto), 4)
		b = append(b, "), length "...)
		b = appendInt(b, frame)
		b = append(b, ": "...)
	}
	switch proto {
	case pppIP:
		return p.ip4(b, d, length)
	case pppIPv6:
		return p.ip6(b, d, length)
	case pppMPLS, pppMPLSMc:
		return p.mpls(b, d, length)
	case pppISO:
		return p.osi(b, d, length)
	case pppMLPPP:
		return p.mlppp(b, d, length)
	}
	if name := pppCtrlName(proto); name != "" {
		// tcpdump counts the protocol field in this length.
		return pppCtrl(b, d, length+2, name)
	}
	b = append(b, "unknown PPP protocol (0x"...)
	b = appendHex(b, uint64(proto), 4)
	b = append(b, ") "...)
	return appendDumpLines(b, d[:min(len(d), max(length, 0))])
}

func pppProtoName(proto uint16) string {
	switch proto {
	case pppIP:
		return "IP"
	case pppIPv6:
		return "IP6"
	case pppMPLS:
		return "MPLS"
	case pppMPLSMc:
		return "MPLS mcast"
	case pppISO:
		return "OSI"
	case pppMLPPP:
		return "MLPPP"
	case 0xc023:
		return "PAP"
	case 0xc223:
		return "CHAP"
	}
	return pppCtrlName(proto)
}

func pppCtrlName(proto uint16) string {
	switch proto {
	case pppLCP:
		return "LCP"
	case pppIPCP:
		return "IPCP"
	case pppIP6CP:
		return "IP6CP"
	case pppMPLSCP:
		return "MPLSCP"
	case pppCCP:
		return "CCP"
	case pppBACP:
		return "BACP"
	}
	return ""
}

var pppCodes = [...]string{1: "Conf-Request", 2: "Conf-Ack", 3: "Conf-Nack", 4: "Conf-Reject",
	5: "Term-Request", 6: "Term-Ack", 7: "Code-Reject", 8: "Prot-Reject", 9: "Echo-Request",
	10: "Echo-Reply", 11: "Discard-Request", 12: "Ident", 13: "Time-Remain", 14: "Reset-Req",
	15: "Reset-Ack"}

// pppCtrl prints the header of a PPP control protocol packet (LCP, IPCP...)
// as tcpdump does at default verbosity:
//
//	| code | identifier | length 2 | options... |
func pppCtrl(b, d []byte, length int, name string) []byte {
	b = append(b, name...)
	b = append(b, ", "...)
	if len(d) < 4 {
		return appendTrunc(b, "ppp")
	}
	if c := int(d[0]); c < len(pppCodes) && pppCodes[c] != "" {
		b = append(b, pppCodes[c]...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(d[0]), 2)
	b = append(b, "), id "...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// mlppp prints a multilink PPP fragment header:
//
//	| begin | end | 2 reserved | sequence 12 |
func (p *Printer) mlppp(b, d []byte, length int) []byte {
	if !p.opts.Link {
		b = append(b, "MLPPP, "...)
	}
	if len(d) < 2 {
		// tcpdump puts no space before this mark
		return append(b, "[|mlppp]"...)
	}
	b = append(b, "seq 0x"...)
	b = appendHex(b, uint64(be16(d)&0x0fff), 3)
	b = append(b, ", Flags ["...)
	switch d[0] & 0xc0 {
	case 0xc0:
		b = append(b, "begin, end"...)
	case 0x80:
		b = append(b, "begin"...)
	case 0x40:
		b = append(b, "end"...)
	default:
		b = append(b, "none"...)
	}
	b = append(b, "], length "...)
	return appendInt(b, length)
}
