package decode

// OSI network-layer protocol identifiers (ISO/IEC TR 9577).
const (
	nlpidNull = 0x00
	nlpidQ933 = 0x08
	nlpidSNAP = 0x80
	nlpidCLNP = 0x81
	nlpidESIS = 0x82
	nlpidISIS = 0x83
	nlpidIPv6 = 0x8e
	nlpidMFR  = 0xb1 // FRF.15
	nlpidIPv4 = 0xcc
	nlpidPPP  = 0xcf
)

// nlpidName names an NLPID as tcpdump does in OSI and Frame Relay headers.
func nlpidName(n byte) string {
	switch n {
	case nlpidNull:
		return "NULL"
	case nlpidQ933:
		return "Q.933"
	case nlpidSNAP:
		return "SNAP"
	case nlpidCLNP:
		return "CLNP"
	case nlpidESIS:
		return "ES-IS"
	case nlpidISIS:
		return "IS-IS"
	case nlpidIPv6:
		return "IPv6"
	case nlpidMFR:
		return "FRF.15"
	case nlpidIPv4:
		return "IPv4"
	case nlpidPPP:
		return "PPP"
	}
	return ""
}

// osi prints an OSI network-layer PDU that starts with its NLPID (IS-IS,
// ES-IS, CLNP); length is what the link layer says is left.
func (p *Printer) osi(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "osi")
	}
	n := d[0]
	if p.opts.Link {
		b = append(b, "OSI NLPID "...)
		if s := nlpidName(n); s != "" {
			b = append(b, s...)
		} else {
			b = append(b, "Unknown"...)
		}
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(n), 2)
		b = append(b, "): "...)
	}
	switch n {
	case nlpidISIS:
		if !p.opts.Link {
			b = append(b, "IS-IS, "...)
		}
		return isis(b, d, length)
	case nlpidESIS:
		if !p.opts.Link {
			b = append(b, "ES-IS, "...)
		}
		return esis(b, d, length)
	case nlpidCLNP:
		return clnp(b, d, length)
	}
	if !p.opts.Link {
		b = append(b, "OSI NLPID 0x"...)
		b = appendHex(b, uint64(n), 2)
		b = append(b, " unknown"...)
	}
	b = append(b, ", length: "...)
	b = appendInt(b, length)
	return appendDumpLines(b, d[:min(len(d), max(length, 0))])
}

// esis prints the type of an ES-IS PDU:
//
//	| NLPID | LI | version | reserved | type | holding time 2 | checksum 2 |
func esis(b, d []byte, length int) []byte {
	if len(d) < 5 {
		return appendTrunc(b, "esis")
	}
	switch t := d[4] & 0x1f; t {
	case 2:
		b = append(b, "ESH"...)
	case 4:
		b = append(b, "ISH"...)
	case 6:
		b = append(b, "redirect"...)
	default:
		b = append(b, "unknown type ("...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// IS-IS PDU types.
const (
	isisL1LanIIH = 15
	isisL2LanIIH = 16
	isisP2PIIH   = 17
	isisL1LSP    = 18
	isisL2LSP    = 20
	isisL1CSNP   = 24
	isisL2CSNP   = 25
	isisL1PSNP   = 26
	isisL2PSNP   = 27
)

// isis prints the summary tcpdump prints for an IS-IS PDU at default
// verbosity. The common header:
//
//	| NLPID 0x83 | LI | version 1 | ID length | PDU type 5 bits | version |
//	| reserved | max area addresses |
func isis(b, d []byte, length int) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "isis")
	}
	idLen := int(d[3])
	switch idLen {
	case 0:
		idLen = 6
	case 255:
		idLen = 0
	}
	t := d[4] & 0x1f
	var name string
	switch t {
	case isisL1LanIIH:
		name = "L1 Lan IIH"
	case isisL2LanIIH:
		name = "L2 Lan IIH"
	case isisP2PIIH:
		name = "p2p IIH"
	case isisL1LSP:
		name = "L1 LSP"
	case isisL2LSP:
		name = "L2 LSP"
	case isisL1CSNP:
		name = "L1 CSNP"
	case isisL2CSNP:
		name = "L2 CSNP"
	case isisL1PSNP:
		name = "L1 PSNP"
	case isisL2PSNP:
		name = "L2 PSNP"
	default:
		b = append(b, "unknown PDU type "...)
		b = appendUint(b, uint64(t))
		b = append(b, ", length "...)
		return appendInt(b, length)
	}
	b = append(b, name...)
	h := d[8:]
	switch t {
	case isisL1LanIIH, isisL2LanIIH:
		// circuit type, source ID, holding time 2, PDU length 2,
		// priority, LAN ID (source ID + 1)
		if len(h) < 1+idLen+5+idLen+1 {
			return appendTrunc(b, "isis")
		}
		b = append(b, ", src-id "...)
		b = appendSysID(b, h[1:1+idLen])
		b = append(b, ", lan-id "...)
		lan := h[1+idLen+5:]
		b = appendSysID(b, lan[:idLen])
		b = append(b, '.')
		b = appendHex(b, uint64(lan[idLen]), 2)
		b = append(b, ", prio "...)
		b = appendUint(b, uint64(h[1+idLen+4]))
	case isisP2PIIH:
		if len(h) < 1+idLen {
			return appendTrunc(b, "isis")
		}
		b = append(b, ", src-id "...)
		b = appendSysID(b, h[1:1+idLen])
	case isisL1LSP, isisL2LSP:
		// PDU length 2, remaining lifetime 2, LSP ID (+2), sequence 4
		if len(h) < 4+idLen+2+4 {
			return appendTrunc(b, "isis")
		}
		b = append(b, ", lsp-id "...)
		b = appendSysID(b, h[4:4+idLen])
		b = append(b, '.')
		b = appendHex(b, uint64(h[4+idLen]), 2)
		b = append(b, '-')
		b = appendHex(b, uint64(h[4+idLen+1]), 2)
		b = append(b, ", seq 0x"...)
		b = appendHex(b, uint64(be32(h[4+idLen+2:])), 8)
		b = append(b, ", lifetime "...)
		b = appendPadLeft(b, uint64(be16(h[2:])), 5)
		b = append(b, 's')
	default:
		// CSNP, PSNP: PDU length 2, source ID + 1
		if len(h) < 2+idLen+1 {
			return appendTrunc(b, "isis")
		}
		b = append(b, ", src-id "...)
		b = appendSysID(b, h[2:2+idLen])
		b = append(b, '.')
		b = appendHex(b, uint64(h[2+idLen]), 2)
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// appendSysID appends an IS-IS system ID as tcpdump does: groups of two
// bytes separated by dots (1921.6800.1001).
func appendSysID(b, id []byte) []byte {
	for i, c := range id {
		if i > 0 && i%2 == 0 {
			b = append(b, '.')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// appendPadLeft appends v right-aligned in width columns (printf "%5u").
func appendPadLeft(b []byte, v uint64, width int) []byte {
	n := 1
	for x := v / 10; x != 0; x /= 10 {
		n++
	}
	for ; width > n; width-- {
		b = append(b, ' ')
	}
	return appendUint(b, v)
}

// clnp prints the summary of a CLNP PDU: "CLNP, SRC > DST, TYPE, length N".
//
//	| NLPID | LI | version | lifetime | flags 3, type 5 | segment length 2 |
//	| checksum 2 | dst length | dst | src length | src | ...
func clnp(b, d []byte, length int) []byte {
	b = append(b, "CLNP"...)
	if len(d) < 10 {
		return appendTrunc(b, "clnp")
	}
	dl := int(d[9])
	if len(d) < 11+dl {
		return appendTrunc(b, "clnp")
	}
	sl := int(d[10+dl])
	if len(d) < 11+dl+sl {
		return appendTrunc(b, "clnp")
	}
	b = append(b, ", "...)
	b = appendNSAP(b, d[11+dl:11+dl+sl])
	b = append(b, " > "...)
	b = appendNSAP(b, d[10:10+dl])
	b = append(b, ", "...)
	switch t := d[4] & 0x1f; t {
	case 1:
		b = append(b, "Error Report"...)
	case 28:
		b = append(b, "Data"...)
	case 30:
		b = append(b, "Echo Request"...)
	case 31:
		b = append(b, "Echo Response"...)
	default:
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(t))
		b = append(b, ')')
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

// appendNSAP appends an OSI NSAP address as tcpdump does: the first byte,
// then groups of two bytes, dot-separated (49.0001.1921.6800.1001.00).
func appendNSAP(b, a []byte) []byte {
	for i, c := range a {
		if i > 0 && i%2 == 1 {
			b = append(b, '.')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}
