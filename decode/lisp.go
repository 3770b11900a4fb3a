package decode

// LISP (RFC 6830, locator/ID separation protocol) control messages over UDP
// 4342, printed as tcpdump prints them at default verbosity: the message
// type, and for Map-Register and Map-Notify each EID record with its
// locators, then the xTR-ID and site ID or the bytes left.
//
//	header: | type/flags | rsvd | rsvd/flags | records | nonce 8 | key id 2 | auth len 2 | auth |
//	record: | ttl 4 | locators | mask len | act | rsvd | version 2 | EID AFI 2 | EID |
//	locator: | prio | weight | m prio | m weight | flags 2 | AFI 2 | address |

var lispTypes = [9]string{0: "LISP-Reserved", 1: "LISP-Map-Request", 2: "LISP-Map-Reply",
	3: "LISP-Map-Register", 4: "LISP-Map-Notify", 8: "LISP-Encapsulated-Contol-Message"}

// lispFlag is a named bit (or bits) of a LISP header, record or locator.
type lispFlag struct {
	mask uint32
	name string
}

var (
	lispRegisterFlags = [...]lispFlag{{0x08000000, "P-Proxy-Map-Reply"}, {0x04000000, "S-LISP-SEC-Capable"},
		{0x02000000, "I-xTR-ID-Present"}, {0x01000000, "R-Build-For-RTR"}, {0x00000100, "M-Want-Map-Notify"}}
	lispNotifyFlags  = [...]lispFlag{{0x08000000, "I-xTR-ID-Present"}, {0x04000000, "R-Build-For-RTR"}}
	lispLocatorFlags = [...]lispFlag{{0x0004, "Local-Locator"}, {0x0002, "RLoc-Probed"}, {0x0001, "Reachable"}}
	lispActions      = [4]string{"No-Action", "Natively-Forward", "Send-Map-Request", "Drop"}
	lispAuthTypes    = [3]string{"None", "SHA1", "SHA256"}
)

// appendLISPFlags appends " flags [names],", or "none" in the brackets.
func appendLISPFlags(b []byte, v uint32, flags []lispFlag) []byte {
	b = append(b, " flags ["...)
	n := 0
	for _, f := range flags {
		if v&f.mask == f.mask {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
			n++
		}
	}
	if n == 0 {
		b = append(b, "none"...)
	}
	return append(b, "],"...)
}

// lisp prints a LISP control message d (length bytes on the wire); with
// verbose the flags, authentication, record and locator details.
func lisp(b, d []byte, length int, verbose bool) []byte {
	if len(d) < 16 {
		return appendTrunc(b, "lisp")
	}
	typ := d[0] >> 4
	if int(typ) < len(lispTypes) && lispTypes[typ] != "" {
		b = append(b, lispTypes[typ]...)
	} else {
		b = append(b, "unknown-type-"...)
		b = appendUint(b, uint64(typ))
	}
	b = append(b, ',')
	if verbose {
		switch typ {
		case 3:
			b = appendLISPFlags(b, be32(d), lispRegisterFlags[:])
		case 4:
			b = appendLISPFlags(b, be32(d), lispNotifyFlags[:])
		}
	}
	if typ != 3 && typ != 4 {
		return b
	}
	xtr := (typ == 3 && d[0]&0x02 != 0) || (typ == 4 && d[0]&0x08 != 0)
	records := d[3]
	if verbose {
		b = append(b, "\n    "...)
		b = appendUint(b, uint64(records))
		b = append(b, " record(s), Authentication "...)
		if k := be16(d[12:]); int(k) < len(lispAuthTypes) {
			b = append(b, lispAuthTypes[k]...)
		} else {
			b = append(b, "unknown-type"...)
		}
		b = append(b, ',')
		auth := int(be16(d[14:]))
		b = appendUnknownData(b, d[16:], "\n    Authentication-Data: ", auth)
		if len(d) < 16+auth {
			return appendTrunc(b, "lisp")
		}
	} else {
		b = append(b, ' ')
		b = appendUint(b, uint64(records))
		b = append(b, " record(s),"...)
	}
	off := uint16(16) + be16(d[14:])
	if records == 0 {
		return append(b, " (invalid)"...)
	}
	for ; length > int(off) && records != 0; records-- {
		if len(d) < int(off)+12 {
			return appendTrunc(b, "lisp")
		}
		e := d[off:]
		b = append(b, '\n')
		off += 12
		mask, afi, locs := e[5], be16(e[10:]), e[4]
		if verbose {
			b = append(b, "      Record TTL "...)
			b = appendUint(b, uint64(be32(e)))
			if e[6]&0x10 != 0 {
				b = append(b, ", Authoritative, "...)
			} else {
				b = append(b, ", Non-Authoritative, "...)
			}
			if a := e[6] >> 5; int(a) < len(lispActions) {
				b = append(b, lispActions[a]...)
			} else {
				b = append(b, "unknown"...)
			}
			b = append(b, ", Map Version: "...)
			b = appendUint(b, uint64(be16(e[8:])&0x0fff))
			b = append(b, ',')
		}
		switch afi {
		case 1:
			if len(d) < int(off)+4 {
				return appendTrunc(b, "lisp")
			}
			b = append(b, " EID "...)
			b = appendIPv4(b, d[off:off+4])
			off += 4
		case 2:
			if len(d) < int(off)+16 {
				return appendTrunc(b, "lisp")
			}
			b = append(b, " EID "...)
			b = appendIPv6(b, d[off:off+16])
			off += 16
		default:
			return b
		}
		b = append(b, '/')
		b = appendUint(b, uint64(mask))
		b = append(b, ", "...)
		b = appendUint(b, uint64(locs))
		b = append(b, " locator(s)"...)
		for ; locs != 0; locs-- {
			if len(d) < int(off)+8 {
				return appendTrunc(b, "lisp")
			}
			loc := d[off:]
			lafi := be16(loc[6:])
			off += 8
			if verbose {
				b = append(b, "\n       "...)
			}
			switch lafi {
			case 1:
				if len(d) < int(off)+4 {
					return appendTrunc(b, "lisp")
				}
				b = append(b, " LOC "...)
				b = appendIPv4(b, d[off:off+4])
				off += 4
			case 2:
				if len(d) < int(off)+16 {
					return appendTrunc(b, "lisp")
				}
				b = append(b, " LOC "...)
				b = appendIPv6(b, d[off:off+16])
				off += 16
			}
			if verbose {
				b = append(b, "\n          Priority/Weight "...)
				b = appendUint(b, uint64(loc[0]))
				b = append(b, '/')
				b = appendUint(b, uint64(loc[1]))
				b = append(b, ", Multicast Priority/Weight "...)
				b = appendUint(b, uint64(loc[2]))
				b = append(b, '/')
				b = appendUint(b, uint64(loc[3]))
				b = append(b, ',')
				b = appendLISPFlags(b, uint32(be16(loc[4:])), lispLocatorFlags[:])
			}
		}
	}
	if xtr {
		if len(d) < int(off)+24 {
			return append(b, " (invalid)"...)
		}
		b = appendUnknownData(b, d[off:], "\n    xTR-ID: ", 16)
		b = append(b, "\n    SITE-ID: "...)
		return appendUint(b, load64(d[off+16:]))
	}
	if int(off) < len(d) {
		b = appendUnknownData(b, d[off:], "\n    Data: ", len(d)-int(off))
	}
	return b
}
