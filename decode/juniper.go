package decode

import "github.com/gopacket/gopacket/layers"

// Juniper link types printed here.
const (
	linkTypeJuniperES    = 132
	linkTypeJuniperATM1  = 137
	linkTypeJuniperEther = 178
)

// juniper prints the frames of Juniper's capture link types: a header of
// magic "MGC", flags and, when flag 0x80 is set, a 2-byte length of
// extension TLVs, then the frame of the link type. ok is false for frames
// printed no better than a hex dump.
func (p *Printer) juniper(b, d []byte, wire int, lt layers.LinkType) (_ []byte, net int, ok bool) {
	var proto string
	switch lt {
	case linkTypeJuniperES:
		proto = "juniper_es"
	case linkTypeJuniperATM1:
		proto = "juniper_atm1"
	default:
		proto = "juniper_ether"
	}
	if len(d) < 4 {
		return appendTrunc(b, proto), len(d), true
	}
	if d[0] != 'M' || d[1] != 'G' || d[2] != 'C' {
		return append(b, "no magic-number found!"...), len(d), true
	}
	hlen := 4
	if d[3]&0x80 != 0 {
		if len(d) < 6 {
			return appendTrunc(b, proto), len(d), true
		}
		ext := int(be16(d[4:]))
		hlen = 6 + ext
		// The extensions are TLVs: type, length, value.
		for tlv := d[6:min(len(d), hlen)]; ext >= 2 && len(tlv) >= 2; {
			n := int(tlv[1]) + 2
			if ext < n {
				b = append(b, " [extension_length "...)
				b = appendInt(b, ext)
				b = append(b, " < "...)
				b = appendInt(b, n)
				return append(b, "] (invalid)"...), len(d), true
			}
			ext -= n
			tlv = tlv[min(n, len(tlv)):]
		}
	}
	if lt != linkTypeJuniperEther {
		// ES and ATM1 headers carry more than the frames seen
		// truncated here; longer ones are left to the hex dump.
		if len(d) < 16 {
			return appendTrunc(b, proto), len(d), true
		}
		return b, 0, false
	}
	if len(d) < hlen+14 {
		return b, 0, false
	}
	t, n := p.ether(b, d[hlen:], wire-hlen)
	return t, hlen + n, true
}
