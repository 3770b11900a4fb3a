package decode

// ipx prints a Novell IPX datagram:
//
//	| checksum 2 | length 2 | transport control | type |
//	| dst network 4 | dst node 6 | dst socket 2 |
//	| src network 4 | src node 6 | src socket 2 |
func (p *Printer) ipx(b, d []byte, length int) []byte {
	if !p.opts.Link {
		b = append(b, "IPX "...)
	}
	if len(d) < 30 || length < 30 {
		return appendTrunc(b, "ipx")
	}
	b = appendIPXAddr(b, d[18:], true)
	b = append(b, " > "...)
	b = appendIPXAddr(b, d[6:], true)
	b = append(b, ": "...)
	n := int(be16(d[2:]))
	if n < 30 {
		b = append(b, "[length "...)
		b = appendInt(b, n)
		return append(b, " < 30] (invalid)"...)
	}
	n -= 30
	body := d[30:]
	switch be16(d[16:]) {
	case 0x0452:
		return ipxSAP(b, body, n)
	case 0x0453:
		return ipxRIP(b, body, n)
	case 0x0455:
		b = append(b, "ipx-netbios "...)
		return appendInt(b, n)
	case 0x0456:
		b = append(b, "ipx-diags "...)
		return appendInt(b, n)
	case 0x0553:
		b = append(b, "ipx-nwlink-dgm "...)
		return appendInt(b, n)
	case 0x8063:
		b = append(b, "ipx-sniffer "...)
		return appendInt(b, n)
	}
	b = append(b, "ipx-#"...)
	b = appendHex(b, uint64(be16(d[16:])), 1)
	b = append(b, ' ')
	return appendInt(b, n)
}

// appendIPXAddr appends "network.node[.socket]" (network %08x).
func appendIPXAddr(b, a []byte, socket bool) []byte {
	b = appendHex(b, uint64(be32(a)), 8)
	b = append(b, '.')
	b = appendMAC(b, a[4:10])
	if socket {
		b = append(b, '.')
		b = appendHex(b, uint64(be16(a[10:])), 4)
	}
	return b
}

// ipxSAP prints a Service Advertising Protocol packet.
func ipxSAP(b, d []byte, n int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "ipx")
	}
	op := be16(d)
	d = d[2:]
	switch op {
	case 1, 3:
		if op == 1 {
			b = append(b, "ipx-sap-req"...)
		} else {
			b = append(b, "ipx-sap-nearest-req"...)
		}
		if len(d) >= 2 {
			b = append(b, ' ')
			b = appendHex(b, uint64(be16(d)), 4)
		}
		return b
	case 2, 4:
		if op == 2 {
			b = append(b, "ipx-sap-resp"...)
		} else {
			b = append(b, "ipx-sap-nearest-resp"...)
		}
		for n -= 2; n >= 64; n -= 64 {
			if len(d) < 64 {
				return appendTrunc(b, "ipx")
			}
			b = append(b, ' ')
			b = appendHex(b, uint64(be16(d)), 4)
			b = append(b, " '"...)
			name := d[2:50]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			b = appendPrintable(b, name)
			b = append(b, "' addr "...)
			b = appendIPXAddr(b, d[50:], false)
			d = d[64:]
		}
		return b
	}
	b = append(b, "ipx-sap-?"...)
	b = appendHex(b, uint64(op), 1)
	return b
}

// ipxRIP prints a Routing Information Protocol packet.
func ipxRIP(b, d []byte, n int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "ipx")
	}
	op := be16(d)
	d = d[2:]
	switch op {
	case 1:
		b = append(b, "ipx-rip-req"...)
	case 2:
		b = append(b, "ipx-rip-resp"...)
	default:
		b = append(b, "ipx-rip-?"...)
		return appendHex(b, uint64(op), 1)
	}
	for n -= 2; n >= 8; n -= 8 {
		if len(d) < 8 {
			return appendTrunc(b, "ipx")
		}
		b = append(b, ' ')
		b = appendHex(b, uint64(be32(d)), 8)
		b = append(b, '/')
		b = appendUint(b, uint64(be16(d[4:])))
		b = append(b, '.')
		b = appendUint(b, uint64(be16(d[6:])))
		d = d[8:]
	}
	return b
}
