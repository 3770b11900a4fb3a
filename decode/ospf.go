package decode

// ospfTypes are the OSPF packet types, common to versions 2 and 3.
var ospfTypes = [...]string{1: "Hello", 2: "Database Description", 3: "LS-Request",
	4: "LS-Update", 5: "LS-Ack"}

// ospfAuthMD5 is OSPFv2's cryptographic authentication type, whose digest
// trails the packet and is not counted in the length tcpdump prints.
const ospfAuthMD5 = 2

// ospf prints an OSPFv2 or OSPFv3 packet (IP protocol 89) as tcpdump does
// without -v: the version, the packet type and the length.
//
//	| version 8 | type 8 | packet length 16 | router ID 32 | area ID 32 |
//	| checksum 16 | v2: autype 16, authentication 64 | v3: instance 8, 0 8 |
func ospf(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "ospf")
	}
	switch {
	case d[0] == 2 && len(d) < 16, d[0] == 2 && be16(d[14:]) == ospfAuthMD5 && len(d) < 18:
		// tcpdump reads the authentication fields before printing.
		return appendTrunc(b, "ospf2")
	case d[0] == 3 && len(d) < 2:
		return appendTrunc(b, "ospf3")
	case len(d) < 2:
		return appendTrunc(b, "ospf")
	}
	b = append(b, "OSPFv"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", "...)
	if t := d[1]; int(t) < len(ospfTypes) && ospfTypes[t] != "" {
		b = append(b, ospfTypes[t]...)
	} else {
		b = append(b, "unknown LS-type "...)
		b = appendUint(b, uint64(t))
	}
	if d[0] == 2 && be16(d[14:]) == ospfAuthMD5 {
		length -= 16
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}
