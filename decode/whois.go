package decode

// WHOIS (TCP port 43, RFC 3912) as tcpdump prints it: ": WHOIS: " and the
// first line of the segment when it is printable text; -v prints
// ", length: N" and every line, each on its own tab-indented line.

const portWHOIS = 43

// whois prints a WHOIS segment: d is the captured payload, plen its length.
func whois(b, d []byte, plen, verbose int) []byte {
	b = append(b, ": WHOIS"...)
	if verbose == 0 {
		b, _ = textLine(b, ": ", d, 0, plen)
		return b
	}
	b = append(b, ", length: "...)
	b = appendInt(b, plen)
	for i := 0; i < plen; {
		var next int
		if b, next = textLine(b, "\n\t", d, i, plen); next == 0 {
			break
		}
		i = next
	}
	return b
}

// textLine prints prefix and the text line at d[i:] (plen bytes of the
// segment) as tcpdump's print_txt_line: a line ends at LF or CR LF; other
// control characters than tab make the rest binary (nothing printed); a
// line without its end prints as truncated. next is the index after the
// line's end, 0 when no further line follows.
func textLine(b []byte, prefix string, d []byte, i, plen int) ([]byte, int) {
	start := i
	for i < plen {
		if i >= len(d) {
			return appendTrunc(b, "whois"), 0
		}
		c := d[i]
		switch {
		case c == '\n':
			b = append(b, prefix...)
			b = append(b, d[start:i]...)
			return b, i + 1
		case c == '\r':
			if i+1 >= plen {
				return b, 0
			}
			if i+1 >= len(d) {
				return appendTrunc(b, "whois"), 0
			}
			if d[i+1] != '\n' {
				return b, 0
			}
			b = append(b, prefix...)
			b = append(b, d[start:i]...)
			return b, i + 2
		case (c < 0x20 || c > 0x7e) && c != '\t':
			return b, 0
		}
		i++
	}
	b = append(b, prefix...)
	b = append(b, d[start:i]...)
	return appendTrunc(b, "whois"), 0
}
