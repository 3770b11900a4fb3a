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

// lisp prints a LISP control message d (length bytes on the wire).
func lisp(b, d []byte, length int) []byte {
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
	if typ != 3 && typ != 4 {
		return b
	}
	xtr := (typ == 3 && d[0]&0x02 != 0) || (typ == 4 && d[0]&0x08 != 0)
	records := d[3]
	b = append(b, ' ')
	b = appendUint(b, uint64(records))
	b = append(b, " record(s),"...)
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
			lafi := be16(d[off+6:])
			off += 8
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
