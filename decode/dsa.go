package decode

// dsaTag appends a Marvell DSA tag as tcpdump prints it at default
// verbosity ("Forward port 0.1, VLAN 0u, "):
//
//	| mode 2 | tagged 1 | dev 5 | port 5 | ... 3 | prio 3 | cfi | vid 12 |
func dsaTag(b, t []byte) []byte {
	dev, port := t[0]&0x1f, t[1]>>3
	switch t[0] >> 6 {
	case 0:
		b = append(b, "To CPU "...)
	case 1:
		b = append(b, "CPU > "...)
	case 2:
		b = append(b, "To Sniffer "...)
	case 3:
		b = append(b, "Forward "...)
	}
	b = append(b, "port "...)
	b = appendUint(b, uint64(dev))
	b = append(b, '.')
	b = appendUint(b, uint64(port))
	b = append(b, ", VLAN "...)
	b = appendUint(b, uint64(be16(t[2:])&0xfff))
	if t[0]&0x20 != 0 {
		b = append(b, 't')
	} else {
		b = append(b, 'u')
	}
	return append(b, ", "...)
}

// dsa prints an Ethernet frame with a Marvell DSA tag (4 bytes after the
// source address) or EDSA tag (ethertype, 2 reserved bytes, DSA tag).
func (p *Printer) dsa(b, d []byte, wire int, extended bool) ([]byte, int) {
	n := 16
	if extended {
		n = 20
	}
	if len(d) < n+2 {
		return appendTrunc(b, "dsa"), len(d)
	}
	if p.opts.Link {
		b = appendMAC(b, d[6:12])
		b = append(b, " > "...)
		b = appendMAC(b, d[0:6])
		b = append(b, ", "...)
	}
	if extended {
		b = append(b, "EDSA 0x"...)
		b = appendHex(b, uint64(be16(d[12:])), 4)
		b = append(b, ", "...)
	} else {
		b = append(b, "DSA "...)
	}
	b = dsaTag(b, d[n-4:n])
	et := be16(d[n:])
	if p.opts.Link {
		b = appendEtherType(append(b, "ethertype "...), et)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	return p.etherPayload(b, d[n+2:], wire-n-2, et), n + 2
}

// brcmTag appends a Broadcom switch tag as tcpdump 4.99 prints it; its
// fields after the opcode are read one byte further on than the tag's
// layout says, and this keeps that reading.
func brcmTag(b, t []byte) []byte {
	b = append(b, "BRCM tag OP: "...)
	if t[0]>>5 == 1 {
		b = append(b, "IG, TC: "...)
		b = appendUint(b, uint64(t[1]>>2&7))
		b = append(b, ", TE: "...)
		b = append(b, [...]string{"None", "Untag", "Header", "Reserved"}[t[1]&3]...)
		b = append(b, ", TS: "...)
		b = appendUint(b, uint64(t[2]>>7))
		b = append(b, ", DST map: 0x"...)
		b = appendHex(b, uint64(t[2]&1)<<8|uint64(t[3]), 4)
	} else {
		b = append(b, "EG, CID: "...)
		b = appendUint(b, uint64(t[1]))
		b = append(b, ", RC: "...)
		switch t[2] {
		case 0x01:
			b = append(b, "mirroring"...)
		case 0x02:
			b = append(b, "SA learning"...)
		case 0x04:
			b = append(b, "switching"...)
		case 0x08:
			b = append(b, "protocol termination"...)
		case 0x10:
			b = append(b, "protocol snooping"...)
		case 0x20:
			b = append(b, "exception"...)
		default:
			b = append(b, "unknown"...)
		}
		b = append(b, ", TC: "...)
		b = appendUint(b, uint64(t[3]>>5))
		b = append(b, ", port: "...)
		b = appendUint(b, uint64(t[3]&0x1f))
	}
	return append(b, ", "...)
}

// brcm prints an Ethernet frame with a Broadcom tag after the source
// address (LINKTYPE_DSA_TAG_BRCM) or before the frame
// (LINKTYPE_DSA_TAG_BRCM_PREPEND, whose tag tcpdump shows only with -e).
func (p *Printer) brcm(b, d []byte, wire int, prepend bool) ([]byte, int) {
	if len(d) < 18 {
		return appendTrunc(b, "brcm"), len(d)
	}
	tag, eth := d[12:16], d
	if prepend {
		tag, eth = d[0:4], d[4:]
	}
	if prepend && p.opts.Link {
		b = brcmTag(b, tag)
	}
	if p.opts.Link {
		b = appendMAC(b, eth[6:12])
		b = append(b, " > "...)
		b = appendMAC(b, eth[0:6])
		b = append(b, ", "...)
	}
	if !prepend {
		b = brcmTag(b, tag)
	}
	et := be16(d[16:])
	if p.opts.Link {
		b = appendEtherType(append(b, "ethertype "...), et)
		b = append(b, ", length "...)
		b = appendInt(b, wire)
		b = append(b, ": "...)
	}
	return p.etherPayload(b, d[18:], wire-18, et), 18
}
