package decode

// igmp prints an IGMP message (IP protocol 2) as tcpdump does without -v:
// queries and reports of versions 1 to 3, leaves, DVMRP, PIMv1 and mtrace.
//
//	| type 8 | max resp code 8 | checksum 16 | group address 32 | (v3 query: | flags 8 | QQIC 8 | sources 16 | ...)
func (p *Printer) igmp(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "igmp")
	}
	group := func(b []byte) ([]byte, bool) {
		return appendIPv4(append(b, ' '), d[4:8]), true
	}
	var ok bool
	switch d[0] {
	case 0x12, 0x16, 0x17:
		if len(d) < 8 {
			// tcpdump reads the group before printing.
			return appendTrunc(b, "igmp")
		}
	}
	switch d[0] {
	case 0x11:
		b = append(b, "igmp query"...)
		if length >= 12 {
			return p.igmpV3Query(b, d, length)
		}
		if len(d) < 8 {
			return appendTrunc(b, "igmp")
		}
		if d[1] != 0 {
			b = append(b, " v2"...)
			if d[1] != 100 {
				b = append(b, " [max resp time "...)
				b = appendUint(b, uint64(d[1]))
				b = append(b, ']')
			}
		} else {
			b = append(b, " v1"...)
		}
		if be32(d[4:]) != 0 {
			b = append(b, " [gaddr "...)
			b = appendIPv4(b, d[4:8])
			b = append(b, ']')
		}
		if length != 8 {
			b = append(b, " [len "...)
			b = appendInt(b, length)
			b = append(b, ']')
		}
	case 0x12:
		if b, ok = group(append(b, "igmp v1 report"...)); ok && length != 8 {
			b = append(b, " [len "...)
			b = appendInt(b, length)
			b = append(b, ']')
		}
	case 0x13:
		b = append(b, "igmp dvmrp"...)
		if length < 8 {
			b = append(b, " [len "...)
			b = appendInt(b, length)
			return append(b, ']')
		}
		return p.dvmrp(b, d, length)
	case 0x14:
		return p.pimV1(append(b, "igmp pimv1"...), d, length)
	case 0x16:
		b, _ = group(append(b, "igmp v2 report"...))
	case 0x17:
		b, _ = group(append(b, "igmp leave"...))
	case 0x1e:
		return mtrace(b, d, length, "mresp")
	case 0x1f:
		return mtrace(b, d, length, "mtrace")
	case 0x22:
		b = append(b, "igmp v3 report"...)
		if length < 8 {
			b = append(b, " [invalid len "...)
			b = appendInt(b, length)
			return append(b, ']')
		}
		if len(d) < 8 {
			return appendTrunc(b, "igmp")
		}
		b = append(b, ", "...)
		b = appendUint(b, uint64(be16(d[6:])))
		b = append(b, " group record(s)"...)
		if p.opts.Verbose > 0 {
			b = groupRecords(b, d[8:], length-8, int(be16(d[6:])), 4, p.opts.Verbose)
		}
	default:
		b = append(b, "igmp-"...)
		b = appendUint(b, uint64(d[0]))
	}
	return b
}

// igmpV3Query prints the rest of an IGMPv3 query (RFC 3376).
func (p *Printer) igmpV3Query(b, d []byte, length int) []byte {
	b = append(b, " v3"...)
	if len(d) < 2 {
		return appendTrunc(b, "igmp")
	}
	mrc := uint(d[1])
	mrt := mrc
	if mrc >= 128 {
		mrt = (mrc&0x0f | 0x10) << ((mrc&0x70)>>4 + 3)
	}
	if mrc != 100 {
		b = append(b, " [max resp time "...)
		if mrt < 600 {
			b = appendUint(b, uint64(mrt/10))
			b = append(b, '.')
			b = appendUint(b, uint64(mrt%10))
			b = append(b, 's')
		} else {
			b = appendRelTS(b, uint32(mrt/10))
		}
		b = append(b, ']')
	}
	if len(d) < 8 {
		return appendTrunc(b, "igmp")
	}
	if be32(d[4:]) == 0 {
		return b
	}
	b = append(b, " [gaddr "...)
	b = appendIPv4(b, d[4:8])
	if len(d) < 12 {
		return appendTrunc(b, "igmp")
	}
	if n := int(be16(d[10:])); n > 0 {
		if length < 12+4*n {
			b = append(b, " [invalid number of sources]"...)
		} else if p.opts.Verbose > 1 {
			b = appendSources(b, d[12:], n, 4)
		} else {
			b = append(b, ", "...)
			b = appendInt(b, n)
			b = append(b, " source(s)"...)
		}
	}
	return append(b, ']')
}

var relTSUnits = [...]struct {
	secs uint32
	name byte
}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}

// appendRelTS appends a duration in seconds as tcpdump's
// unsigned_relts_print does: "1y2w3d4h5m6s" without the zero units.
func appendRelTS(b []byte, secs uint32) []byte {
	if secs == 0 {
		return append(b, "0s"...)
	}
	for _, u := range relTSUnits {
		if secs >= u.secs {
			b = appendUint(b, uint64(secs/u.secs))
			b = append(b, u.name)
			secs %= u.secs
		}
	}
	return b
}

var dvmrpTypes = [...]string{1: " Probe", 2: " Report", 3: " Ask-neighbors(old)", 4: " Neighbors(old)",
	5: " Ask-neighbors2", 6: " Neighbors2", 7: " Prune", 8: " Graft", 9: " Graft-ACK"}

// dvmrp prints a DVMRP message carried in IGMP (type 0x13) as tcpdump does
// without -v.
func (p *Printer) dvmrp(b, d []byte, length int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "dvmrp")
	}
	t := d[1]
	if int(t) >= len(dvmrpTypes) || dvmrpTypes[t] == "" {
		b = append(b, " [type "...)
		b = appendUint(b, uint64(t))
		return append(b, ']')
	}
	b = append(b, dvmrpTypes[t]...)
	body := d[min(8, len(d)):]
	rem := length - 8
	switch t {
	case 1:
		if p.opts.Verbose > 0 {
			if len(body) < 4 {
				return appendTrunc(b, "dvmrp")
			}
			b = append(b, " genid "...)
			b = appendUint(b, uint64(be32(body)))
		}
	case 4:
		for rem > 0 {
			if rem < 7 {
				b = append(b, " [length "...)
				b = appendInt(b, rem)
				return append(b, " < 7] (invalid)"...)
			}
			if len(body) < 7 {
				return appendTrunc(b, "dvmrp")
			}
			laddr, metric, thresh, n := body[:4], body[4], body[5], int(body[6])
			body, rem = body[7:], rem-7
			for ; n > 0; n-- {
				if rem < 4 {
					b = append(b, " [length "...)
					b = appendInt(b, rem)
					return append(b, " < 4] (invalid)"...)
				}
				if len(body) < 4 {
					return appendTrunc(b, "dvmrp")
				}
				b = append(b, " ["...)
				b = appendIPv4(b, laddr)
				b = append(b, " -> "...)
				b = appendIPv4(b, body)
				b = append(b, ", ("...)
				b = appendUint(b, uint64(metric))
				b = append(b, '/')
				b = appendUint(b, uint64(thresh))
				b = append(b, ")]"...)
				body, rem = body[4:], rem-4
			}
		}
	case 6:
		if len(d) < 8 {
			return appendTrunc(b, "dvmrp")
		}
		b = append(b, " (v "...)
		b = appendUint(b, uint64(d[7]))
		b = append(b, '.')
		b = appendUint(b, uint64(d[6]))
		b = append(b, "):"...)
		for rem > 0 {
			if len(body) < 8 {
				return appendTrunc(b, "dvmrp")
			}
			laddr, metric, thresh, flags, n := body[:4], body[4], body[5], body[6], int(body[7])
			body, rem = body[8:], rem-8
			for ; n > 0 && rem >= 4; n-- {
				if len(body) < 4 {
					return appendTrunc(b, "dvmrp")
				}
				b = append(b, " ["...)
				b = appendIPv4(b, laddr)
				b = append(b, " -> "...)
				b = appendIPv4(b, body)
				b = append(b, " ("...)
				b = appendUint(b, uint64(metric))
				b = append(b, '/')
				b = appendUint(b, uint64(thresh))
				for _, f := range [...]struct {
					bit  byte
					name string
				}{{0x01, "/tunnel"}, {0x02, "/srcrt"}, {0x40, "/querier"}, {0x20, "/disabled"}, {0x10, "/down"}} {
					if flags&f.bit != 0 {
						b = append(b, f.name...)
					}
				}
				b = append(b, ")]"...)
				body, rem = body[4:], rem-4
			}
			if n != 0 {
				return append(b, " [invalid ncount] (invalid)"...)
			}
		}
	case 7, 8, 9:
		if len(body) < 8 {
			return appendTrunc(b, "dvmrp")
		}
		b = append(b, " src "...)
		b = appendIPv4(b, body)
		b = append(b, " grp "...)
		b = appendIPv4(b, body[4:])
		if t == 7 {
			if len(body) < 12 {
				return appendTrunc(b, "dvmrp")
			}
			b = append(b, " timer "...)
			b = appendRelTS(b, be32(body[8:]))
		}
	}
	return b
}

var pimV1Types = [...]string{"Query", "Register", "Register-Stop", "Join/Prune", "RP-reachable",
	"Assert", "Graft", "Graft-ACK"}

// pimV1 prints a PIMv1 message carried in IGMP (type 0x14) as tcpdump does
// without -v.
func (p *Printer) pimV1(b, d []byte, length int) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "pimv1")
	}
	t := d[1]
	b = append(b, ' ')
	if int(t) < len(pimV1Types) {
		b = append(b, pimV1Types[t]...)
	} else {
		b = append(b, "[type "...)
		b = appendUint(b, uint64(t))
		b = append(b, ']')
	}
	need := func(n int) bool { return len(d) >= n }
	forAddrs := func(b []byte, a, c int) []byte {
		b = append(b, " for "...)
		b = appendIPv4(b, d[a:])
		b = append(b, " > "...)
		return appendIPv4(b, d[c:])
	}
	switch t {
	case 0:
		if need(9) {
			switch m := d[8] >> 4; m {
			case 0:
				b = append(b, " Dense-mode"...)
			case 1:
				b = append(b, " Sparse-mode"...)
			case 2:
				b = append(b, " Sparse-Dense-mode"...)
			default:
				b = append(b, " mode-"...)
				b = appendUint(b, uint64(m))
			}
		}
		if p.opts.Verbose > 0 {
			if !need(12) {
				return appendTrunc(b, "pimv1")
			}
			b = append(b, " (Hold-time "...)
			b = appendRelTS(b, uint32(be16(d[10:])))
			b = append(b, ')')
		}
	case 3, 6, 7:
		if p.opts.Verbose > 0 {
			if length < 8 || !need(16) {
				return appendTrunc(b, "pimv1")
			}
			b = append(b, " Upstream Nbr: "...)
			b = appendIPv4(b, d[8:])
			b = append(b, " Hold time: "...)
			b = appendRelTS(b, uint32(be16(d[14:])))
		}
	case 4:
		if p.opts.Verbose > 0 {
			if !need(24) {
				return appendTrunc(b, "pimv1")
			}
			b = append(b, " group "...)
			b = appendIPv4(b, d[8:])
			if be32(d[12:]) != 0xffffffff {
				b = append(b, '/')
				b = appendIPv4(b, d[12:])
			}
			b = append(b, " RP "...)
			b = appendIPv4(b, d[16:])
			b = append(b, " hold "...)
			b = appendRelTS(b, uint32(be16(d[22:])))
		}
	case 1:
		if !need(28) {
			return appendTrunc(b, "pimv1")
		}
		b = forAddrs(b, 20, 24)
	case 2:
		if !need(16) {
			return appendTrunc(b, "pimv1")
		}
		b = forAddrs(b, 8, 12)
	case 5:
		if !need(28) {
			return appendTrunc(b, "pimv1")
		}
		b = forAddrs(b, 16, 8)
		if be32(d[12:]) != 0xffffffff {
			b = append(b, '/')
			b = appendIPv4(b, d[12:])
		}
		if d[20]&0x80 != 0 {
			b = append(b, " RP-tree pref "...)
		} else {
			b = append(b, " SPT pref "...)
		}
		b = appendUint(b, uint64(be32(d[20:])&0x7fffffff))
		b = append(b, " metric "...)
		b = appendUint(b, uint64(be32(d[24:])))
	}
	if !need(5) {
		return appendTrunc(b, "pimv1")
	}
	if v := d[4] >> 4; v != 1 {
		b = append(b, " [v"...)
		b = appendUint(b, uint64(v))
		b = append(b, ']')
	}
	return b
}

// mtrace prints a multicast traceroute query or response carried in IGMP
// (types 0x1f and 0x1e); name is "mtrace" or "mresp".
//
//	| type | hops | checksum | group 32 | source 32 | destination 32 | response address 32 | response TTL 8 | query ID 24 |
func mtrace(b, d []byte, length int, name string) []byte {
	if length < 24 {
		b = append(b, " [invalid len "...)
		b = appendInt(b, length)
		return append(b, ']')
	}
	if len(d) < 24 {
		return appendTrunc(b, "igmp")
	}
	b = append(b, name...)
	b = append(b, ' ')
	b = appendUint(b, uint64(be32(d[20:])&0xffffff))
	b = append(b, ": "...)
	b = appendIPv4(b, d[8:])
	b = append(b, " to "...)
	b = appendIPv4(b, d[12:])
	b = append(b, " reply-to "...)
	b = appendIPv4(b, d[16:])
	if d[16]&0xf0 == 0xe0 {
		b = append(b, " with-ttl "...)
		b = appendUint(b, uint64(d[20]))
	}
	return b
}
