package decode

// eigrpOpcodes names EIGRP's opcodes.
var eigrpOpcodes = [...]string{1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP"}

// eigrp prints an EIGRP packet (IP protocol 88) as tcpdump does: without
// -v the opcode and the length, with -v the header and the TLVs.
//
//	| version 8 | opcode 8 | checksum 16 | flags 32 | sequence 32 | ack 32 |
//	| virtual router ID 16 | autonomous system 16 |
func (p *Printer) eigrp(b, d []byte, length int) []byte {
	if len(d) < 20 {
		return appendTrunc(b, "eigrp")
	}
	if p.opts.Verbose > 0 && d[0] == 2 {
		return eigrpVerbose(b, d[:min(len(d), length)], length)
	}
	b = append(b, "EIGRP "...)
	if op := d[1]; int(op) < len(eigrpOpcodes) && eigrpOpcodes[op] != "" {
		b = append(b, eigrpOpcodes[op]...)
	} else {
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(op))
		b = append(b, ')')
	}
	b = append(b, ", length: "...)
	return appendInt(b, length)
}

var eigrpTLVs = map[uint16]string{0x0001: "General Parameters", 0x0002: "Authentication",
	0x0003: "Sequence", 0x0004: "Software Version", 0x0005: "Next Multicast Sequence",
	0x0102: "IP Internal routes", 0x0103: "IP External routes"}

// eigrpTLVName returns the name of TLV type t ("Unknown" when unnamed).
func eigrpTLVName(t uint16) string {
	switch t {
	case 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0102, 0x0103:
		return eigrpTLVs[t]
	}
	return "Unknown"
}

// eigrpVerbose prints the EIGRP header and TLVs as tcpdump -v does (the
// general parameters, software version and internal routes decoded).
func eigrpVerbose(b, d []byte, length int) []byte {
	b = append(b, "\n\tEIGRP v2, opcode: "...)
	op := d[1]
	if int(op) < len(eigrpOpcodes) && eigrpOpcodes[op] != "" {
		b = append(b, eigrpOpcodes[op]...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(op))
	b = append(b, "), chksum: 0x"...)
	b = appendHex(b, uint64(be16(d[2:])), 4)
	b = append(b, ", Flags: ["...)
	f := be32(d[4:])
	n := len(b)
	for _, x := range [...]struct {
		bit  uint32
		name string
	}{{1, "Init"}, {2, "Conditionally Received"}, {4, "Restart"}, {8, "End-of-Table"}} {
		if f&x.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, x.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	b = append(b, "]\n\tseq: 0x"...)
	b = appendHex(b, uint64(be32(d[8:])), 8)
	b = append(b, ", ack: 0x"...)
	b = appendHex(b, uint64(be32(d[12:])), 8)
	b = append(b, ", VRID: "...)
	b = appendUint(b, uint64(be16(d[16:])))
	b = append(b, ", AS: "...)
	b = appendUint(b, uint64(be16(d[18:])))
	b = append(b, ", length: "...)
	b = appendInt(b, length-20)
	for t := d[20:]; len(t) > 0; {
		if len(t) < 4 {
			return appendTrunc(b, "eigrp")
		}
		typ, tl := be16(t), int(be16(t[2:]))
		b = append(b, "\n\t  "...)
		b = append(b, eigrpTLVName(typ)...)
		b = append(b, " TLV (0x"...)
		b = appendHex(b, uint64(typ), 4)
		b = append(b, "), length: "...)
		b = appendInt(b, tl)
		if tl < 4 {
			return append(b, " (invalid)"...)
		}
		if len(t) < tl {
			return appendTrunc(b, "eigrp")
		}
		v := t[4:tl]
		short := func(b []byte, min int) ([]byte, bool) {
			if tl < min {
				b = append(b, " (too short, < "...)
				b = appendInt(b, min)
				return append(b, ')'), false
			}
			return b, true
		}
		var ok bool
		switch typ {
		case 0x0001:
			if b, ok = short(b, 12); !ok {
				return b
			}
			b = append(b, "\n\t    holdtime: "...)
			b = appendUint(b, uint64(be16(v[6:])))
			b = append(b, "s, k1 "...)
			for i := 0; i < 5; i++ {
				if i > 0 {
					b = append(b, ", k"...)
					b = appendInt(b, i+1)
					b = append(b, ' ')
				}
				b = appendUint(b, uint64(v[i]))
			}
		case 0x0004:
			if b, ok = short(b, 8); !ok {
				return b
			}
			b = append(b, "\n\t    IOS version: "...)
			b = appendUint(b, uint64(v[0]))
			b = append(b, '.')
			b = appendUint(b, uint64(v[1]))
			b = append(b, ", EIGRP version "...)
			b = appendUint(b, uint64(v[2]))
			b = append(b, '.')
			b = appendUint(b, uint64(v[3]))
		case 0x0102:
			if b, ok = short(b, 25); !ok {
				return b
			}
			plen := int(v[20])
			if plen > 32 {
				b = append(b, "\n\t    illegal prefix length "...)
				return appendInt(b, plen)
			}
			var pfx [4]byte
			copy(pfx[:], v[21:min(len(v), 21+(plen+7)/8)])
			b = append(b, "\n\t    IPv4 prefix: "...)
			var tmp [24]byte
			a := appendIPv4(tmp[:0], pfx[:])
			for i := len(a); i < 15; i++ {
				b = append(b, ' ')
			}
			b = append(b, a...)
			b = append(b, '/')
			b = appendInt(b, plen)
			b = append(b, ", nexthop: "...)
			if be32(v) == 0 {
				b = append(b, "self"...)
			} else {
				b = appendIPv4(b, v)
			}
			b = append(b, "\n\t      delay "...)
			b = appendUint(b, uint64(be32(v[4:]))/100)
			b = append(b, " ms, bandwidth "...)
			b = appendUint(b, uint64(be32(v[8:])))
			b = append(b, " Kbps, mtu "...)
			b = appendUint(b, uint64(v[12])<<16|uint64(be16(v[13:])))
			b = append(b, ", hop "...)
			b = appendUint(b, uint64(v[15]))
			b = append(b, ", reliability "...)
			b = appendUint(b, uint64(v[16]))
			b = append(b, ", load "...)
			b = appendUint(b, uint64(v[17]))
		default:
			// tcpdump dumps the TLVs it does not decode.
			b = appendHexLines(b, "\n\t    ", v)
		}
		t = t[tl:]
	}
	return b
}
