package decode

import "time"

// NTP (UDP port 123), printed as tcpdump 4.99: version, mode and length;
// with -v the header fields of a time message (RFC 5905) or of a mode 6
// control message.
//
//	| LI 2 | VN 3 | mode 3 | stratum 8 | poll 8 | precision 8 |
//	| root delay 32 | root dispersion 32 | reference id 32 |
//	| reference, originate, receive, transmit timestamps 64 each |
//	| [key id 32 | digest 128 or 160]

var ntpModes = [8]string{"unspecified", "symmetric active", "symmetric passive", "Client",
	"Server", "Broadcast", "Control Message", "Reserved"}

var ntpLeap = [4]string{"", "+1s", "-1s", "clock unsynchronized"}

// ntpEpochOffset is 1970 - 1900 in seconds.
const ntpEpochOffset = 2208988800

func (p *Printer) appendNTP(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "ntp")
	}
	version, mode := d[0]>>3&7, d[0]&7
	b = append(b, "NTPv"...)
	b = appendUint(b, uint64(version))
	b = append(b, ", "...)
	b = append(b, ntpModes[mode]...)
	b = append(b, ", length "...)
	b = appendInt(b, length)
	if p.opts.Verbose == 0 {
		return b
	}
	b = append(b, "\n\tLeap indicator: "...)
	b = append(b, ntpLeap[d[0]>>6]...)
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[0]&0xc0))
	b = append(b, ')')
	switch mode {
	case 6:
		return appendNTPControl(b, d, length)
	case 7:
		return b
	}
	return appendNTPTime(b, d, length)
}

// appendNTPTime prints a time message's fields (-v).
func appendNTPTime(b, d []byte, length int) []byte {
	if length < 48 {
		b = append(b, " (invalid)"...)
		if len(d) < length {
			return appendTrunc(b, "ntp")
		}
		return b
	}
	if len(d) < 2 {
		return appendTrunc(b, "ntp")
	}
	stratum := d[1]
	b = append(b, ", Stratum "...)
	b = appendUint(b, uint64(stratum))
	switch {
	case stratum == 0:
		b = append(b, " (unspecified)"...)
	case stratum == 1:
		b = append(b, " (primary reference)"...)
	case stratum <= 15:
		b = append(b, " (secondary reference)"...)
	default:
		b = append(b, " (reserved)"...)
	}
	if len(d) < 3 {
		return appendTrunc(b, "ntp")
	}
	poll := int(int8(d[2]))
	b = append(b, ", poll "...)
	b = appendInt(b, poll)
	if poll > -32 && poll < 32 {
		if poll >= 0 {
			b = append(b, " ("...)
			b = appendUint(b, 1<<uint(poll))
			b = append(b, "s)"...)
		} else {
			b = append(b, " (1/"...)
			b = appendUint(b, 1<<uint(-poll))
			b = append(b, "s)"...)
		}
	}
	if len(d) < 4 {
		return appendTrunc(b, "ntp")
	}
	b = append(b, ", precision "...)
	b = appendInt(b, int(int8(d[3])))
	if len(d) < 8 {
		return appendTrunc(b, "ntp")
	}
	b = append(b, "\n\tRoot Delay: "...)
	b = appendNTPShort(b, d[4:])
	if len(d) < 12 {
		return appendTrunc(b, "ntp")
	}
	b = append(b, ", Root dispersion: "...)
	b = appendNTPShort(b, d[8:])
	if len(d) < 16 {
		return appendTrunc(b, "ntp")
	}
	b = append(b, ", Reference-ID: "...)
	switch stratum {
	case 0:
		b = append(b, "(unspec)"...)
	case 1:
		for _, c := range d[12:16] {
			b = appendSafeChar(b, c)
		}
	case 62, 63:
		b = appendIPv4(b, d[12:16])
		if stratum == 62 {
			return append(b, " INFO_QUERY"...)
		}
		return append(b, " INFO_REPLY"...)
	default:
		b = append(b, "0x"...)
		b = appendHex(b, uint64(be32(d[12:])), 8)
	}
	for i, label := range [...]string{"\n\t  Reference Timestamp:  ", "\n\t  Originator Timestamp: ",
		"\n\t  Receive Timestamp:    ", "\n\t  Transmit Timestamp:   "} {
		off := 16 + 8*i
		if len(d) < off+8 {
			return appendTrunc(b, "ntp")
		}
		b = append(b, label...)
		b = appendNTPTimestamp(b, d[off:])
	}
	b = append(b, "\n\t    Originator - Receive Timestamp:  "...)
	b = appendNTPDelta(b, d[24:], d[32:])
	b = append(b, "\n\t    Originator - Transmit Timestamp: "...)
	b = appendNTPDelta(b, d[24:], d[40:])
	switch length {
	case 52, 68, 72:
		if len(d) < 52 {
			return appendTrunc(b, "ntp")
		}
		b = append(b, "\n\tKey id: "...)
		b = appendUint(b, uint64(be32(d[48:])))
		if length == 52 {
			break
		}
		end := length
		if len(d) < end {
			return appendTrunc(b, "ntp")
		}
		b = append(b, "\n\tAuthentication: "...)
		for off := 52; off < end; off += 4 {
			b = appendHex(b, uint64(be32(d[off:])), 8)
		}
	default:
		if length > 48 {
			b = append(b, "\n\t("...)
			b = appendInt(b, length-48)
			b = append(b, " more bytes after the header)"...)
		}
	}
	return b
}

// appendNTPShort prints a 16.16 fixed-point value as tcpdump's p_sfix.
func appendNTPShort(b, d []byte) []byte {
	b = appendUint(b, uint64(be16(d)))
	b = append(b, '.')
	return appendPad(b, int(float64(be16(d[2:]))/65536.0*1000000.0), 6)
}

// appendNTPFrac prints a 32-bit binary fraction in billionths.
func appendNTPFrac(b []byte, f uint32) []byte {
	return appendPad(b, int(uint32(float64(f)/4294967296.0*1000000000.0)), 9)
}

// appendNTPTimestamp prints a 32.32 timestamp and, unless zero, its UTC
// date (p_ntp_time).
func appendNTPTimestamp(b, d []byte) []byte {
	sec := be32(d)
	b = appendUint(b, uint64(sec))
	b = append(b, '.')
	b = appendNTPFrac(b, be32(d[4:]))
	if sec != 0 {
		b = append(b, " ("...)
		b = time.Unix(int64(sec)-ntpEpochOffset, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
		b = append(b, ')')
	}
	return b
}

// appendNTPDelta prints the signed difference of timestamp d from o
// (p_ntp_delta); a zero o prints d itself.
func appendNTPDelta(b, o, d []byte) []byte {
	u, uf, ou, ouf := be32(d), be32(d[4:]), be32(o), be32(o[4:])
	if ou == 0 && ouf == 0 {
		return appendNTPTimestamp(b, d)
	}
	var i, f uint32
	neg := false
	switch {
	case u > ou:
		i, f = u-ou, uf-ouf
		if ouf > uf {
			i--
		}
	case u < ou:
		neg = true
		i, f = ou-u, ouf-uf
		if uf > ouf {
			i--
		}
	default:
		if uf > ouf {
			f = uf - ouf
		} else {
			neg, f = true, ouf-uf
		}
	}
	if neg {
		b = append(b, '-')
	} else {
		b = append(b, '+')
	}
	b = appendUint(b, uint64(i))
	b = append(b, '.')
	return appendNTPFrac(b, f)
}

// appendNTPControl prints a mode 6 control message's header (-v).
func appendNTPControl(b, d []byte, length int) []byte {
	if length < 12 {
		b = append(b, " (invalid)"...)
		if len(d) < length {
			return appendTrunc(b, "ntp")
		}
		return b
	}
	if len(d) < 2 {
		return appendTrunc(b, "ntp")
	}
	c := d[1]
	pick := func(b []byte, bit byte, yes, no string) []byte {
		b = append(b, ", "...)
		if c&bit != 0 {
			return append(b, yes...)
		}
		return append(b, no...)
	}
	b = pick(b, 0x80, "Response", "Request")
	b = pick(b, 0x40, "Error", "OK")
	b = pick(b, 0x20, "More", "Last")
	b = append(b, ", OpCode="...)
	b = appendUint(b, uint64(c&0x1f))
	b = append(b, '\n')
	for i, label := range [...]string{"\tSequence=", ", Status=", ", Assoc.=", ", Offset=", ", Count="} {
		off := 2 + 2*i
		if len(d) < off+2 {
			return appendTrunc(b, "ntp")
		}
		b = append(b, label...)
		v := be16(d[off:])
		if i == 1 && v != 0 {
			b = append(b, "0x"...)
			b = appendHex(b, uint64(v), 1)
		} else {
			b = appendUint(b, uint64(v))
		}
	}
	count := int(be16(d[10:]))
	if 12+count > length {
		b = append(b, " (invalid)"...)
		if len(d) < length {
			return appendTrunc(b, "ntp")
		}
		return b
	}
	if count != 0 {
		if len(d) < 12+count {
			return appendTrunc(b, "ntp")
		}
		b = append(b, "\n\tTO-BE-DONE: data not interpreted"...)
	}
	return b
}
