package decode

// Broadcom LI (lawful intercept) shim over UDP from port 49152, printed as
// tcpdump prints it at default verbosity: the 4-byte shim's fields.
//
//	+-----------+------------+---------------+--------------+
//	| dir 3 bit | type 4 bit | subtype 3 bit | li-id 22 bit |
//	+-----------+------------+---------------+--------------+

var bcmLIDirs = [8]string{1: "unused", 2: "egress", 3: "ingress"}

var bcmLITypes = [16]string{4: "undecided", 5: "ipv4", 6: "ipv6", 7: "ethernet"}

var bcmLISubtypes = [8]string{1: "single VLAN tag", 2: "double VLAN tag", 3: "untagged"}

// orUnknown returns s, or "unknown" when s is empty.
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// bcmLI prints a BCM LI shim, and with -v the packet after it.
func (p *Printer) bcmLI(b, d []byte, length int) []byte {
	if length < 4 {
		b = append(b, " (length "...)
		b = appendInt(b, length)
		return append(b, " < 4) (invalid)"...)
	}
	if len(d) < 4 {
		return appendTrunc(b, "bcm_li")
	}
	shim := be32(d)
	if p.opts.Verbose > 0 {
		b = append(b, "\n    "...)
	}
	b = append(b, "BCM-LI-SHIM: direction "...)
	b = append(b, orUnknown(bcmLIDirs[shim>>29])...)
	b = append(b, ", pkt-type "...)
	b = append(b, orUnknown(bcmLITypes[(shim>>25)&0xf])...)
	b = append(b, ", pkt-subtype "...)
	b = append(b, orUnknown(bcmLISubtypes[(shim>>22)&0x7])...)
	b = append(b, ", li-id "...)
	b = appendUint(b, uint64(shim&0x3fffff))
	if p.opts.Verbose > 0 {
		// tcpdump -v goes on with the intercepted packet.
		b = append(b, "\n    "...)
		in, n := d[4:], length-4
		switch (shim >> 25) & 0xf {
		case 7:
			b, _ = p.ether(b, in, n)
		case 5:
			b = p.ip4(b, in, n)
		case 6:
			b = p.ip6(b, in, n)
		case 4:
			switch {
			case len(in) < 1:
				return appendTrunc(b, "bcm_li")
			case in[0]>>4 == 4:
				b = p.ip4(b, in, n)
			case in[0]>>4 == 6:
				b = p.ip6(b, in, n)
			default:
				b = append(b, "unknown payload"...)
			}
		default:
			b = append(b, " (invalid)"...)
		}
		return b
	}
	if len(d) < length {
		return appendTrunc(b, "bcm_li")
	}
	return b
}
