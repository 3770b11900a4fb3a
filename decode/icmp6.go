package decode

// appendUnknownData appends tcpdump's dump of bytes no printer decodes:
// hex only, each line on a new line after a tab (print_unknown_data).
func appendUnknownData(b, d []byte) []byte {
	if len(d) == 0 {
		return b
	}
	b = append(b, '\n')
	b = appendHexDump(b, d, false)
	return b[:len(b)-1]
}

// icmp6MLD prints a multicast listener query, report or done message
// (RFC 2710, RFC 3810 queries) as tcpdump does without -v.
//
//	| type | code | checksum | max response 16 | reserved 16 | address 128 |
//	v2 query: | flags 8 | QQIC 8 | number of sources 16 | sources...
func icmp6MLD(b, d []byte, length int, typ byte) []byte {
	if typ == 130 && length != 24 {
		if length < 28 {
			b = append(b, " unknown-version (len "...)
			b = appendInt(b, length)
			return append(b, ") "...)
		}
		b = append(b, " v2"...)
		if len(d) < 24 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, " [gaddr "...)
		b = appendIPv6(b, d[8:24])
		if len(d) < 28 {
			return appendTrunc(b, "icmp6")
		}
		if n := int(be16(d[26:])); n > 0 {
			if length < 28+16*n {
				b = append(b, " [invalid number of sources]"...)
			} else {
				b = append(b, ", "...)
				b = appendInt(b, n)
				b = append(b, " source(s)"...)
			}
		}
		return append(b, ']')
	}
	if len(d) < 24 {
		return appendTrunc(b, "icmp6")
	}
	// tcpdump prints no separator before these fields.
	b = append(b, "max resp delay: "...)
	b = appendUint(b, uint64(be16(d[4:])))
	b = append(b, " addr: "...)
	return appendIPv6(b, d[8:24])
}

// icmp6Renum prints a router renumbering message (RFC 2894): the code,
// the sequence number and, for a command, its first match-prefix part
// and the use-prefix parts that follow it.
//
//	| type | code | checksum | sequence 32 | segment 8 | flags 8 | max delay 16 | reserved 32 |
//	match: | op 8 | len 8 | ordinal 8 | matchlen 8 | minlen 8 | maxlen 8 | rsvd 16 | prefix 128 |
//	use:   | uselen 8 | keeplen 8 | ramask 8 | raflags 8 | vltime 32 | pltime 32 | flags 32 | prefix 128 |
func icmp6Renum(b, d []byte) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "icmp6")
	}
	code := d[1]
	switch code {
	case 0:
		b = append(b, ", command"...)
	case 1:
		b = append(b, ", result"...)
	case 255:
		b = append(b, ", sequence number reset"...)
	default:
		b = append(b, ", code-#"...)
		b = appendUint(b, uint64(code))
	}
	b = append(b, ", seq="...)
	b = appendUint(b, uint64(be32(d[4:])))
	if code != 0 {
		return b
	}
	m := d[min(16, len(d)):]
	if len(m) < 24 {
		return appendTrunc(b, "icmp6")
	}
	b = append(b, " match("...)
	switch m[0] {
	case 1:
		b = append(b, "add"...)
	case 2:
		b = append(b, "change"...)
	case 3:
		b = append(b, "setglobal"...)
	default:
		b = append(b, '#')
		b = appendUint(b, uint64(m[0]))
	}
	b = append(b, ',')
	b = appendIPv6(b, m[8:24])
	b = append(b, '/')
	b = appendUint(b, uint64(m[3]))
	b = append(b, ')')
	n := int(m[1]) - 3
	if n%4 != 0 {
		return appendTrunc(b, "icmp6")
	}
	u := m[24:]
	for n /= 4; n > 0; n-- {
		if len(u) < 32 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, " use("...)
		if f := u[12]; f != 0 {
			if f&0x80 != 0 {
				b = append(b, 'V')
			}
			if f&0x40 != 0 {
				b = append(b, 'P')
			}
			b = append(b, ',')
		}
		b = appendIPv6(b, u[16:32])
		b = append(b, '/')
		b = appendUint(b, uint64(u[0]))
		b = append(b, '/')
		b = appendUint(b, uint64(u[1]))
		b = append(b, ')')
		u = u[32:]
	}
	return b
}

// Node information query types (RFC 4620).
const (
	niNoop     = 0
	niSupTypes = 1
	niFQDN     = 2
	niNodeAddr = 3
)

// appendNIFlags appends the node-address flags of a node information
// message, as "[aGSLCA]" (with "T" in replies).
func appendNIFlags(b []byte, f uint16, reply bool) []byte {
	b = append(b, " ["...)
	for _, x := range [...]struct {
		bit uint16
		c   byte
	}{{0x40, 'a'}, {0x20, 'G'}, {0x10, 'S'}, {0x08, 'L'}, {0x04, 'C'}, {0x02, 'A'}} {
		if f&x.bit != 0 {
			b = append(b, x.c)
		}
	}
	if reply && f&0x01 != 0 {
		b = append(b, 'T')
	}
	return append(b, ']')
}

// icmp6NIQuery prints a node information query (type 139); d holds the
// captured message, cut to its length.
//
//	| type | code | checksum | qtype 16 | flags 16 | nonce 64 | subject...
func icmp6NIQuery(b, d []byte) []byte {
	if len(d) == 12 {
		// KAME's who-are-you request.
		return append(b, " who-are-you request"...)
	}
	b = append(b, " node information query"...)
	if len(d) < 16 {
		return appendTrunc(b, "icmp6")
	}
	b = append(b, " ("...)
	qtype, flags := be16(d[4:]), be16(d[6:])
	switch qtype {
	case niNoop:
		b = append(b, "noop"...)
	case niSupTypes:
		b = append(b, "supported qtypes"...)
		if flags != 0 {
			if flags&1 != 0 {
				b = append(b, " [C]"...)
			} else {
				b = append(b, " []"...)
			}
		}
	case niFQDN:
		b = append(b, "DNS name"...)
	case niNodeAddr:
		b = append(b, "node addresses"...)
		if flags != 0 {
			b = appendNIFlags(b, flags, false)
		}
	default:
		b = append(b, "unknown"...)
	}
	if qtype == niNoop || qtype == niSupTypes {
		return append(b, ')')
	}
	if len(d) == 16 {
		return append(b, ", 03 draft)"...)
	}
	subj := d[16:]
	switch d[1] {
	case 0:
		if len(subj) == 16 {
			b = append(b, ", subject="...)
			b = appendIPv6(b, subj)
		}
	case 1:
		b = append(b, ", subject=DNS name"...)
		b = appendNIName(b, subj)
	case 2:
		if len(subj) == 4 {
			b = append(b, ", subject="...)
			b = appendIPv4(b, subj)
		}
	default:
		b = append(b, ", unknown subject"...)
	}
	return append(b, ')')
}

// icmp6NIReply prints a node information reply (type 140); d holds the
// captured message, cut to length.
func icmp6NIReply(b, d []byte, length int) []byte {
	if len(d) < length {
		return appendTrunc(b, "icmp6")
	}
	if len(d) < 16 {
		return appendTrunc(b, "icmp6")
	}
	b = append(b, " node information reply ("...)
	comma := false
	switch d[1] {
	case 1:
		b = append(b, "refused"...)
		comma = true
	case 2:
		b = append(b, "unknown"...)
		comma = true
	}
	if d[1] != 0 {
		return append(b, ')')
	}
	if comma {
		b = append(b, ", "...)
	}
	qtype, flags := be16(d[4:]), be16(d[6:])
	switch qtype {
	case niNoop:
		b = append(b, "noop"...)
	case niSupTypes:
		b = append(b, "supported qtypes"...)
		if flags != 0 {
			if flags&1 != 0 {
				b = append(b, " [C]"...)
			} else {
				b = append(b, " []"...)
			}
		}
	case niFQDN:
		b = append(b, "DNS name"...)
		if len(d) < 21 {
			return appendTrunc(b, "icmp6")
		}
		b = appendNIName(b, d[20:])
		if flags&1 != 0 {
			b = append(b, " [TTL="...)
			b = appendUint(b, uint64(be32(d[16:])))
			b = append(b, ']')
		}
	case niNodeAddr:
		b = append(b, "node addresses"...)
		for i := 16; i+20 <= len(d); i += 20 {
			b = append(b, ' ')
			b = appendIPv6(b, d[i+4:i+20])
			b = append(b, '(')
			b = appendUint(b, uint64(be32(d[i:])))
			b = append(b, ')')
		}
		if flags != 0 {
			b = appendNIFlags(b, flags, true)
		}
	default:
		b = append(b, "unknown"...)
	}
	return append(b, ')')
}

// appendNIName appends the DNS name of a node information message: a
// draft-03 Pascal string when its first byte is the rest's length, else
// a sequence of DNS labels.
func appendNIName(b, d []byte) []byte {
	if len(d) > 0 && int(d[0]) == len(d)-1 {
		b = append(b, ", \""...)
		for _, c := range d[1:] {
			b = appendSafeChar(b, c)
		}
		return append(b, '"')
	}
	b = append(b, ", \""...)
	for len(d) > 0 && d[0] != 0 {
		n := int(d[0])
		if n > 63 || 1+n > len(d) {
			return append(b, "\" [|icmp6]"...)
		}
		for _, c := range d[1 : 1+n] {
			b = appendSafeChar(b, c)
		}
		b = append(b, '.')
		d = d[1+n:]
	}
	return append(b, '"')
}

// appendSafeChar appends c if printable, else tcpdump's escape of it.
func appendSafeChar(b []byte, c byte) []byte {
	if c >= 0x80 {
		b = append(b, "M-"...)
		c &= 0x7f
	}
	if c < 0x20 || c == 0x7f {
		return append(b, '^', c^0x40)
	}
	return append(b, c)
}

var rplCodes = [...]string{"DODAG Information Solicitation", "DODAG Information Object",
	"Destination Advertisement Object", "Destination Advertisement Object Ack"}

// icmp6RPL prints the kind of an RPL control message (RFC 6550) from its
// code, as tcpdump does without -v.
func icmp6RPL(b, d []byte) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "icmp6")
	}
	code := d[1]
	if code&0x80 != 0 {
		return append(b, ", (SEC) [worktodo]"...)
	}
	b = append(b, ", (CLR)"...)
	if int(code) < len(rplCodes) {
		return append(b, rplCodes[code]...)
	}
	b = append(b, "RPL message, unknown code "...)
	return appendUint(b, uint64(code))
}

// appendLifetime appends a duration in seconds as tcpdump's ICMP router
// advertisement does: "s", "m:ss" or "h:mm:ss".
func appendLifetime(b []byte, t int) []byte {
	switch {
	case t < 60:
		return appendInt(b, t)
	case t < 3600:
		b = appendInt(b, t/60)
		b = append(b, ':')
		return append2(b, t%60)
	}
	b = appendInt(b, t/3600)
	b = append(b, ':')
	b = append2(b, t%3600/60)
	b = append(b, ':')
	return append2(b, t%60)
}

// append2 appends v (0-99) with two digits.
func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// appendTstamp appends an ICMP timestamp (milliseconds since midnight UT)
// as "hh:mm:ss.mmm".
func appendTstamp(b []byte, t uint32) []byte {
	ms := t % 1000
	s := t / 1000
	m := s / 60
	s -= m * 60
	h := m / 60
	m -= h * 60
	if h < 10 {
		b = append(b, '0')
	}
	b = appendUint(b, uint64(h))
	b = append(b, ':')
	b = append2(b, int(m))
	b = append(b, ':')
	b = append2(b, int(s))
	b = append(b, '.')
	return append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
}
