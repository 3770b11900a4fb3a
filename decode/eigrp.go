package decode

// eigrpOpcodes names EIGRP's opcodes.
var eigrpOpcodes = [...]string{1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP"}

// eigrp prints an EIGRP packet (IP protocol 88) as tcpdump does without
// -v: the opcode and the length.
//
//	| version 8 | opcode 8 | checksum 16 | flags 32 | sequence 32 | ack 32 |
//	| virtual router ID 16 | autonomous system 16 |
func eigrp(b, d []byte, length int) []byte {
	if len(d) < 20 {
		return appendTrunc(b, "eigrp")
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
