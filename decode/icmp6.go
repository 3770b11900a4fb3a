package decode

// appendHexLines appends a hex dump of d (no ASCII column), each line of
// 16 bytes after prefix, as tcpdump's hex_print does.
func appendHexLines(b []byte, prefix string, d []byte) []byte {
	for off := 0; off < len(d); off += 16 {
		b = append(b, prefix...)
		b = append(b, "0x"...)
		b = appendHex(b, uint64(off), 4)
		b = append(b, ": "...)
		for i, c := range d[off:min(off+16, len(d))] {
			if i%2 == 0 {
				b = append(b, ' ')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return b
}

// icmp6MLD prints a multicast listener query, report or done message
// (RFC 2710, RFC 3810 queries) as tcpdump does without -v.
//
//	| type | code | checksum | max response 16 | reserved 16 | address 128 |
//	v2 query: | flags 8 | QQIC 8 | number of sources 16 | sources...
func (p *Printer) icmp6MLD(b, d []byte, length int, typ byte) []byte {
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
		if p.opts.Verbose > 0 {
			mrc := uint64(be16(d[4:]))
			if mrc >= 32768 {
				mrc = (mrc&0x0fff | 0x1000) << ((mrc&0x7000)>>12 + 3)
			}
			b = append(b, " [max resp delay="...)
			b = appendUint(b, mrc)
			b = append(b, ']')
		}
		b = append(b, " [gaddr "...)
		b = appendIPv6(b, d[8:24])
		if len(d) < 28 {
			return appendTrunc(b, "icmp6")
		}
		if p.opts.Verbose > 0 {
			if d[24]&0x08 != 0 {
				b = append(b, " sflag"...)
			}
			if qrv := d[24] & 7; qrv != 0 {
				b = append(b, " robustness="...)
				b = appendUint(b, uint64(qrv))
			}
			qqi := uint64(d[25])
			if qqi >= 128 {
				qqi = (qqi&0x0f | 0x10) << ((qqi&0x70)>>4 + 3)
			}
			b = append(b, " qqi="...)
			b = appendUint(b, qqi)
		}
		if n := int(be16(d[26:])); n > 0 {
			if length < 28+16*n {
				b = append(b, " [invalid number of sources]"...)
			} else if p.opts.Verbose > 1 {
				b = appendSources(b, d[28:], n, 16)
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
func (p *Printer) icmp6Renum(b, d []byte) []byte {
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
	v := p.opts.Verbose > 0
	if v {
		if len(d) < 12 {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, '[')
		if f := d[9]; f != 0 {
			for _, x := range [...]struct {
				bit  byte
				name string
			}{{0x80, "T"}, {0x40, "R"}, {0x20, "A"}, {0x10, "S"}, {0x08, "P"}} {
				if f&x.bit != 0 {
					b = append(b, x.name...)
				}
			}
			b = append(b, ',')
		}
		b = append(b, "seg="...)
		b = appendUint(b, uint64(d[8]))
		b = append(b, ",maxdelay="...)
		b = appendUint(b, uint64(be16(d[10:])))
		b = append(b, ']')
	}
	if code != 0 {
		return b
	}
	m := d[min(16, len(d)):]
	if len(m) < 24 {
		return appendTrunc(b, "icmp6")
	}
	sep := " "
	if p.opts.Verbose > 1 {
		sep = "\n\t"
	}
	b = append(b, sep...)
	b = append(b, "match("...)
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
	if v {
		b = append(b, ",ord="...)
		b = appendUint(b, uint64(m[2]))
	}
	b = append(b, ',')
	if v {
		b = append(b, "min="...)
		b = appendUint(b, uint64(m[4]))
		b = append(b, ",max="...)
		b = appendUint(b, uint64(m[5]))
		b = append(b, ',')
	}
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
		b = append(b, sep...)
		b = append(b, "use("...)
		if f := u[12]; f != 0 {
			if f&0x80 != 0 {
				b = append(b, 'V')
			}
			if f&0x40 != 0 {
				b = append(b, 'P')
			}
			b = append(b, ',')
		}
		if v {
			b = append(b, "mask=0x"...)
			b = appendHex(b, uint64(u[2]), 1)
			b = append(b, ",raflags=0x"...)
			b = appendHex(b, uint64(u[3]), 1)
			b = append(b, ",vltime="...)
			b = appendInfty(b, be32(u[4:]))
			b = append(b, ",pltime="...)
			b = appendInfty(b, be32(u[8:]))
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
func icmp6NIReply(b, d []byte, length int, verbose bool) []byte {
	if len(d) < length {
		return appendTrunc(b, "icmp6")
	}
	if len(d) < 16 {
		return appendTrunc(b, "icmp6")
	}
	b = append(b, " node information reply ("...)
	comma := false
	switch d[1] {
	case 0:
		if verbose {
			b = append(b, "success"...)
			comma = true
		}
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

// appendInfty appends v, or "infty" for all ones.
func appendInfty(b []byte, v uint32) []byte {
	if v == 0xffffffff {
		return append(b, "infty"...)
	}
	return appendUint(b, uint64(v))
}

// appendLifetime6 appends an ND lifetime in seconds, or "infinity".
func appendLifetime6(b []byte, v uint32) []byte {
	if v == 0xffffffff {
		return append(b, "infinity"...)
	}
	b = appendUint(b, uint64(v))
	return append(b, 's')
}

// flagName is one bit of a flags field and its name.
type flagName struct {
	bit  byte
	name string
}

var (
	naFlags = [...]flagName{{0x80, "router"}, {0x40, "solicited"}, {0x20, "override"}}
	raFlags = [...]flagName{{0x80, "managed"}, {0x40, "other stateful"}, {0x20, "Home Agent"}, {0x04, "proxy"}}
	piFlags = [...]flagName{{0x80, "onlink"}, {0x40, "auto"}, {0x20, "router"}}
)

// appendFlags appends prefix, the names of the bits of f set (", "
// between them, "none" without any) and "]".
func appendFlags(b []byte, prefix string, f byte, names []flagName) []byte {
	b = append(b, prefix...)
	n := len(b)
	for _, x := range names {
		if f&x.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, x.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return append(b, ']')
}

var rtPrefs = [...]string{"medium", "high", "rsv", "low"}

// icmp6RouterVerbose appends what tcpdump -v prints for router
// solicitations (133) and advertisements (134): the advertisement's
// fields and the options.
func icmp6RouterVerbose(b, d []byte, length int, typ byte, verbose int) []byte {
	if typ == 133 {
		return icmp6Opts(b, d[min(8, len(d)):], length-8, verbose)
	}
	if len(d) < 16 {
		return appendTrunc(b, "icmp6")
	}
	b = append(b, "\n\thop limit "...)
	b = appendUint(b, uint64(d[4]))
	b = appendFlags(b, ", Flags [", d[5], raFlags[:])
	b = append(b, ", pref "...)
	b = append(b, rtPrefs[(d[5]>>3)&3]...)
	b = append(b, ", router lifetime "...)
	b = appendUint(b, uint64(be16(d[6:])))
	b = append(b, "s, reachable time "...)
	b = appendUint(b, uint64(be32(d[8:])))
	b = append(b, "ms, retrans timer "...)
	b = appendUint(b, uint64(be32(d[12:])))
	b = append(b, "ms"...)
	return icmp6Opts(b, d[16:], length-16, verbose)
}

var ndOptNames = [...]string{1: "source link-address", 2: "destination link-address", 3: "prefix info",
	4: "redirected header", 5: "mtu", 7: "advertisement interval", 8: "homeagent information",
	24: "route info", 25: "rdnss", 31: "dnssl"}

// icmp6Opts appends the neighbour discovery options in o (resid bytes
// claimed) as tcpdump -v does, one per line (with -vv each followed by a
// dump of its value).
func icmp6Opts(b, o []byte, resid, verbose int) []byte {
	for len(o) > 0 && resid > 0 {
		if len(o) < 2 {
			return appendTrunc(b, "icmp6")
		}
		t, l := o[0], int(o[1])
		if l == 0 || l*8 > len(o) {
			return append(b, " (invalid)"...)
		}
		b = append(b, "\n\t  "...)
		if int(t) < len(ndOptNames) && ndOptNames[t] != "" {
			b = append(b, ndOptNames[t]...)
		} else {
			b = append(b, "unknown"...)
		}
		b = append(b, " option ("...)
		b = appendUint(b, uint64(t))
		b = append(b, "), length "...)
		b = appendInt(b, l*8)
		b = append(b, " ("...)
		b = appendInt(b, l)
		b = append(b, "): "...)
		v := o[2 : l*8]
		switch t {
		case 1, 2:
			b = appendMAC(b, v)
		case 3:
			if len(v) < 30 {
				return append(b, " (invalid)"...)
			}
			b = appendIPv6(b, v[14:30])
			b = append(b, '/')
			b = appendUint(b, uint64(v[0]))
			b = appendFlags(b, ", Flags [", v[1], piFlags[:])
			b = append(b, ", valid time "...)
			b = appendLifetime6(b, be32(v[2:]))
			b = append(b, ", pref. time "...)
			b = appendLifetime6(b, be32(v[6:]))
		case 5:
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v[2:])))
		case 7:
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(v[2:])))
			b = append(b, "ms"...)
		case 8:
			b = append(b, " preference "...)
			b = appendUint(b, uint64(be16(v[2:])))
			b = append(b, ", lifetime "...)
			b = appendUint(b, uint64(be16(v[4:])))
		case 25:
			b = append(b, " lifetime "...)
			b = appendUint(b, uint64(be32(v[2:])))
			b = append(b, "s,"...)
			for a := v[6:]; len(a) >= 16; a = a[16:] {
				b = append(b, " addr: "...)
				b = appendIPv6(b, a[:16])
			}
		default:
			// The dump tcpdump prints for options it does not decode.
			if verbose < 2 {
				b = appendHexLines(b, "\n\t  ", v)
				return b
			}
		}
		if verbose > 1 {
			b = appendHexLines(b, "\n\t    ", v)
		}
		o = o[l*8:]
		resid -= l * 8
	}
	return b
}

var mldV2RecordTypes = [...]string{1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}

// mldV2Report appends the group records of an MLDv2 report as tcpdump -v
// does; d is the message cut to length.
func mldV2Report(b, d []byte, length, n, verbose int) []byte {
	return groupRecords(b, d[min(8, len(d)):], length-8, n, 16, verbose)
}

// groupRecords appends n MLDv2 or IGMPv3 group records (addresses of
// alen bytes) from r, rem bytes claimed; -vv lists the sources.
func groupRecords(b, r []byte, rem, n, alen, verbose int) []byte {
	for ; n > 0; n-- {
		if rem < 4+alen {
			return append(b, " [invalid number of groups]"...)
		}
		if len(r) < 4+alen {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, " [gaddr "...)
		b = appendAddr(b, r[4:4+alen])
		b = append(b, ' ')
		if t := r[0]; int(t) < len(mldV2RecordTypes) && mldV2RecordTypes[t] != "" {
			b = append(b, mldV2RecordTypes[t]...)
		} else {
			b = append(b, " [v2-report-#"...)
			b = appendUint(b, uint64(t))
			b = append(b, ']')
		}
		ns := int(be16(r[2:]))
		size := 4 + alen + ns*alen + int(r[1])*4
		if rem < 4+alen+ns*alen {
			b = append(b, " [invalid number of sources "...)
			b = appendInt(b, ns)
			return append(b, ']')
		}
		if verbose > 1 {
			b = appendSources(b, r[4+alen:], ns, alen)
			b = append(b, ']')
		} else {
			b = append(b, ", "...)
			b = appendInt(b, ns)
			b = append(b, " source(s)]"...)
		}
		rem -= size
		r = r[min(size, len(r)):]
	}
	return b
}

// appendSources appends " { a b ... }" for the n source addresses (alen
// bytes each) at the start of r.
func appendSources(b, r []byte, n, alen int) []byte {
	b = append(b, " {"...)
	for ; n > 0; n-- {
		if len(r) < alen {
			return appendTrunc(b, "icmp6")
		}
		b = append(b, ' ')
		b = appendAddr(b, r[:alen])
		r = r[alen:]
	}
	return append(b, " }"...)
}
