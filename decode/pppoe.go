package decode

// pppoe prints a PPPoE discovery or session frame:
//
//	| version 4 | type 4 | code | session id 2 | length 2 | tags or PPP |
func (p *Printer) pppoe(b, d []byte, length int) []byte {
	b = append(b, "PPPoE "...)
	if len(d) < 6 || length < 6 {
		return appendTrunc(b, "pppoe")
	}
	if d[0] != 0x11 {
		b = append(b, "[ver "...)
		b = appendUint(b, uint64(d[0]>>4))
		b = append(b, "] [type "...)
		b = appendUint(b, uint64(d[0]&0xf))
		b = append(b, "] "...)
	}
	code := d[1]
	switch code {
	case 0x00:
	case 0x09:
		b = append(b, "PADI"...)
	case 0x07:
		b = append(b, "PADO"...)
	case 0x19:
		b = append(b, "PADR"...)
	case 0x65:
		b = append(b, "PADS"...)
	case 0xa7:
		b = append(b, "PADT"...)
	default:
		b = append(b, "Unknown(0x"...)
		b = appendHex(b, uint64(code), 2)
		b = append(b, ')')
	}
	if s := be16(d[2:]); s != 0 {
		b = append(b, " [ses 0x"...)
		b = appendHex(b, uint64(s), 1)
		b = append(b, ']')
	}
	n := int(be16(d[4:]))
	d = d[6:]
	if code == 0 {
		b = append(b, ' ')
		if len(d) < 2 {
			return appendTrunc(b, "pppoe")
		}
		proto := uint16(d[0])
		off := 1
		if d[0]&1 == 0 {
			proto, off = be16(d), 2
		}
		return p.pppPayload(b, d[off:], n-off, proto, n)
	}
	d = d[:min(len(d), n)]
	for len(d) >= 4 {
		tag, tl := be16(d), int(be16(d[2:]))
		if tag == 0 {
			return b
		}
		if len(d) < 4+tl {
			return appendTrunc(b, "pppoe")
		}
		v := d[4 : 4+tl]
		b = append(b, " ["...)
		b = append(b, pppoeTagName(tag)...)
		if tl > 0 {
			b = append(b, ' ')
			if printable(v) {
				b = append(b, v...)
			} else {
				b = append(b, "0x"...)
				for _, c := range v {
					b = append(b, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
				}
			}
		}
		b = append(b, ']')
		d = d[4+tl:]
	}
	return b
}

func printable(v []byte) bool {
	for _, c := range v {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func pppoeTagName(t uint16) string {
	switch t {
	case 0x0101:
		return "Service-Name"
	case 0x0102:
		return "AC-Name"
	case 0x0103:
		return "Host-Uniq"
	case 0x0104:
		return "AC-Cookie"
	case 0x0105:
		return "Vendor-Specific"
	case 0x0110:
		return "Relay-Session-ID"
	case 0x0120:
		return "PPP-Max-Payload"
	case 0x0201:
		return "Service-Name-Error"
	case 0x0202:
		return "AC-System-Error"
	case 0x0203:
		return "Generic-Error"
	}
	return "TAG-0x????"
}
