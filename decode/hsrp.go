package decode

// HSRP (RFC 2281, Cisco hot standby router protocol) version 0 over UDP
// 1985, printed as tcpdump prints it.
//
//	+---------+--------+-------+-----------+----------+----------+-------+------+
//	| version | opcode | state | hellotime | holdtime | priority | group | rsvd |
//	+---------+--------+-------+-----------+----------+----------+-------+------+
//	| authentication data 8                | virtual IPv4 address 4              |
//	+--------------------------------------+-------------------------------------+

var hsrpOps = [3]string{"hello", "coup", "resign"}

// hsrp prints an HSRP message d (length bytes on the wire).
func (p *Printer) hsrp(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "hsrp")
	}
	b = append(b, "HSRPv"...)
	b = appendUint(b, uint64(d[0]))
	if d[0] != 0 {
		return b
	}
	b = append(b, '-')
	if len(d) < 2 {
		return appendTrunc(b, "hsrp")
	}
	if int(d[1]) < len(hsrpOps) {
		b = append(b, hsrpOps[d[1]]...)
	} else {
		b = append(b, "unknown ("...)
		b = appendUint(b, uint64(d[1]))
		b = append(b, ')')
	}
	b = append(b, ' ')
	b = appendInt(b, length)
	b = append(b, ": "...)
	if len(d) < 3 {
		return appendTrunc(b, "hsrp")
	}
	b = append(b, "state="...)
	switch s := d[2]; s {
	case 0:
		b = append(b, "initial"...)
	case 1:
		b = append(b, "learn"...)
	case 2:
		b = append(b, "listen"...)
	case 4:
		b = append(b, "speak"...)
	case 8:
		b = append(b, "standby"...)
	case 16:
		b = append(b, "active"...)
	default:
		b = append(b, "Unknown ("...)
		b = appendUint(b, uint64(s))
		b = append(b, ')')
	}
	b = append(b, ' ')
	if len(d) < 7 {
		return appendTrunc(b, "hsrp")
	}
	b = append(b, "group="...)
	b = appendUint(b, uint64(d[6]))
	b = append(b, ' ')
	if len(d) < 8 {
		return appendTrunc(b, "hsrp")
	}
	if d[7] != 0 {
		b = append(b, "[reserved="...)
		b = appendUint(b, uint64(d[7]))
		b = append(b, "!] "...)
	}
	if len(d) < 20 {
		return appendTrunc(b, "hsrp")
	}
	b = append(b, "addr="...)
	b = appendIPv4(b, d[16:20])
	if p.opts.Verbose > 0 {
		b = append(b, " hellotime="...)
		b = appendRelTime(b, uint32(d[3]))
		b = append(b, " holdtime="...)
		b = appendRelTime(b, uint32(d[4]))
		b = append(b, " priority="...)
		b = appendUint(b, uint64(d[5]))
		b = append(b, " auth=\""...)
		for _, c := range d[8:16] {
			if c == 0 {
				break
			}
			b = appendCharJNP(b, c)
		}
		b = append(b, '"')
	}
	return b
}
