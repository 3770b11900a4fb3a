package decode

// mpls prints an MPLS label stack and the packet under it, as tcpdump:
// "MPLS (label L, tc T, [S], ttl N) ..." for each 4-byte entry
//
//	| label 20 | tc 3 | S 1 | ttl 8 |
func (p *Printer) mpls(b, d []byte, length int) []byte {
	b = append(b, "MPLS"...)
	var label uint32
	for {
		if len(d) < 4 || length < 4 {
			return appendTrunc(b, "mpls")
		}
		e := be32(d)
		label = e >> 12
		b = append(b, " (label "...)
		b = appendUint(b, uint64(label))
		if label < 16 {
			b = append(b, " ("...)
			b = append(b, mplsReserved[label]...)
			b = append(b, ')')
		}
		b = append(b, ", tc "...)
		b = appendUint(b, uint64(e>>9&7))
		if e&0x100 != 0 {
			b = append(b, ", [S]"...)
		}
		b = append(b, ", ttl "...)
		b = appendUint(b, uint64(e&0xff))
		b = append(b, ')')
		d, length = d[4:], length-4
		if e&0x100 != 0 {
			break
		}
	}
	b = append(b, ' ')
	switch label {
	case 0:
		return p.ip4(b, d, length)
	case 2:
		return p.ip6(b, d, length)
	}
	if len(d) < 1 {
		return appendTrunc(b, "mpls")
	}
	switch d[0] >> 4 {
	case 4:
		return p.ip4(b, d, length)
	case 6:
		return p.ip6(b, d, length)
	}
	return b
}

var mplsReserved = [16]string{"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL",
	"implicit NULL", "reserved", "reserved", "reserved", "entropy label indicator",
	"reserved", "reserved", "reserved", "reserved", "reserved", "GAL", "OAM alert", "extension"}
