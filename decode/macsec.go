package decode

// macsec prints an IEEE 802.1AE frame (ethertype 0x88e5). Integrity-only
// frames show the frame they protect; encrypted or modified ones show the
// SecTAG and a hex dump, as tcpdump does.
//
//	SecTAG: | V | ES | SC | SCB | E | C | AN 2 | short length | PN 4 |
//	        [SCI 8] ... user data ... | ICV 16 |
func (p *Printer) macsec(b, d []byte, length int) []byte {
	if len(d) < 6 || length < 6 {
		return appendTrunc(b, "macsec")
	}
	tci, sl := d[0], int(d[1]&0x3f)
	hlen := 6
	if tci&0x20 != 0 {
		hlen = 14
	}
	if len(d) < hlen || length < hlen {
		return appendTrunc(b, "macsec")
	}
	if tci&0x0c != 0 {
		b = p.appendL2Addrs(b)
		b = append(b, "802.1AE MACsec, an "...)
		b = appendUint(b, uint64(tci&3))
		b = append(b, ", pn "...)
		b = appendUint(b, uint64(be32(d[2:])))
		b = append(b, ", flags "...)
		for _, f := range macsecFlags {
			if tci&f.bit != 0 {
				b = append(b, f.name)
			}
		}
		if sl != 0 {
			b = append(b, ", sl "...)
			b = appendInt(b, sl)
		}
		if tci&0x20 != 0 {
			b = append(b, ", sci "...)
			b = appendHex(b, uint64(be32(d[6:]))<<32|uint64(be32(d[10:])), 16)
		}
		b = append(b, ", "...)
		p.dump = d[hlen:]
		return b
	}
	n := length - hlen - 16
	if sl != 0 {
		if n < sl {
			return appendTrunc(b, "macsec")
		}
		n = sl
	}
	rest := d[hlen:]
	if len(rest) < 2 || n < 2 {
		return appendTrunc(b, "macsec")
	}
	return p.etherPayload(b, rest[2:min(len(rest), n)], n-2, be16(rest))
}

var macsecFlags = [...]struct {
	bit  byte
	name byte
}{{0x08, 'E'}, {0x04, 'C'}, {0x40, 'S'}, {0x10, 'B'}, {0x20, 'I'}}

// msnlb prints a Microsoft Network Load Balancing heartbeat (ethertype
// 0x886f): | signature 4 | version 4 | host priority 4 (LE) |
// cluster IP 4 | host IP 4 |.
func msnlb(b, d []byte) []byte {
	b = append(b, "MS NLB heartbeat"...)
	if len(d) < 20 {
		return appendTrunc(b, "msnlb")
	}
	b = append(b, ", host priority: "...)
	b = appendUint(b, uint64(le32(d[8:])))
	b = append(b, ", cluster IP: "...)
	b = appendIPv4(b, d[12:])
	b = append(b, ", host IP: "...)
	return appendIPv4(b, d[16:])
}
