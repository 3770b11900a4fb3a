package decode

// portBCMLI is the UDP port of Broadcom's lawful-intercept shim.
const portBCMLI = 49152

// udpL2 prints the UDP payloads of the layer-2 family: the Broadcom
// lawful-intercept shim.
func (p *Printer) udpL2(b, d []byte, ulen, sp, dp int) ([]byte, bool) {
	if sp == portBCMLI || dp == portBCMLI {
		return bcmLI(b, d, ulen), true
	}
	return b, false
}

// bcmLI prints a BCM-LI-SHIM header:
//
//	| direction 3 | packet type 4 | packet subtype 3 | LI ID 22 |
func bcmLI(b, d []byte, length int) []byte {
	b = append(b, "BCM-LI-SHIM: "...)
	if len(d) < 4 || length < 4 {
		return appendTrunc(b, "bcm_li")
	}
	s := be32(d)
	b = append(b, "direction "...)
	switch s >> 29 {
	case 1:
		b = append(b, "unused"...)
	case 2:
		b = append(b, "egress"...)
	case 3:
		b = append(b, "ingress"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, ", pkt-type "...)
	switch s >> 25 & 0xf {
	case 4:
		b = append(b, "undecided"...)
	case 5:
		b = append(b, "ipv4"...)
	case 6:
		b = append(b, "ipv6"...)
	case 7:
		b = append(b, "ethernet"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, ", pkt-subtype "...)
	switch s >> 22 & 7 {
	case 0:
		b = append(b, "untagged"...)
	case 1:
		b = append(b, "single VLAN tag"...)
	case 2:
		b = append(b, "double VLAN tag"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, ", li-id "...)
	return appendUint(b, uint64(s&0x3fffff))
}
