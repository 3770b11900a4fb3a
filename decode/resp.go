package decode

// RESP (the Redis protocol, TCP port 6379) as tcpdump -n prints it:
// ": RESP" then each item of the segment's commands and replies: simple
// strings, errors and integers as "text", bulk strings as "text" (or
// empty, null), arrays as their items, inline commands as their line.
// tcpdump does not reassemble TCP: an item cut by the segment or the
// capture ends the line with [|resp].

// respParser holds the captured payload; every method returns the bytes
// its item took, or -1 when the item ran past the segment or the capture.
type respParser struct {
	b []byte
	d []byte
}

// resp prints the RESP items of a TCP segment: d is the captured payload,
// plen its length.
func resp(b, d []byte, plen int) []byte {
	r := respParser{b: append(b, ": RESP"...), d: d}
	for i := 0; plen > 0; {
		n := r.item(i, plen, 0)
		if n < 0 {
			return appendTrunc(r.b, "resp")
		}
		i += n
		plen -= n
	}
	return r.b
}

// maxRESPDepth bounds nested arrays (each level takes at least 4 bytes, so
// a 64 KiB segment nests at most 16384 deep).
const maxRESPDepth = 1 << 15

// item prints the item at d[i:], length bytes of the segment being left.
func (r *respParser) item(i, length, depth int) int {
	if length < 1 || i >= len(r.d) || depth > maxRESPDepth {
		return -1
	}
	switch r.d[i] {
	case '+', '-', ':':
		return r.line(i, length)
	case '$':
		return r.bulk(i, length)
	case '*':
		return r.array(i, length, depth)
	}
	return r.inline(i, length)
}

// findCRLF returns the index of the next CR LF from j, with lc bytes of
// the segment left, and the bytes left there; ok is false if there is none.
func (r *respParser) findCRLF(j, lc int) (int, int, bool) {
	for {
		if lc < 2 || j+2 > len(r.d) {
			return j, lc, false
		}
		if r.d[j] == '\r' && r.d[j+1] == '\n' {
			return j, lc, true
		}
		j++
		lc--
	}
}

// segment prints ` "text"`.
func (r *respParser) segment(s []byte) {
	r.b = append(r.b, " \""...)
	r.b = appendEscaped(r.b, s)
	r.b = append(r.b, '"')
}

// line prints a simple string, error or integer: the text up to CR LF.
func (r *respParser) line(i, length int) int {
	j, _, ok := r.findCRLF(i+1, length-1)
	if !ok {
		return -1
	}
	r.segment(r.d[i+1 : j])
	return j - i + 2
}

// RESP lengths that are not lengths.
const (
	respTrunc    = -2
	respTooLarge = -3
	respNegative = -4
	respInvalid  = -5
)

// length reads "<digits>\r\n" at d[p:] (lc bytes of the segment left) as
// tcpdump's resp_get_length: the value or a negative code, and the index
// after what it read.
func (r *respParser) length(p, lc int) (int, int, bool) {
	if lc == 0 {
		return respTrunc, p, true
	}
	if p >= len(r.d) {
		return 0, p, false
	}
	neg := false
	if r.d[p] == '-' {
		neg = true
		p++
		lc--
	}
	const intMax = 1<<31 - 1
	result, saw, tooLarge := 0, false, false
	for {
		if lc == 0 {
			return respTrunc, p, true
		}
		if p >= len(r.d) {
			return 0, p, false
		}
		c := r.d[p]
		if c < '0' || c > '9' {
			if !saw {
				return respInvalid, p + 1, true
			}
			break
		}
		c -= '0'
		if result > intMax/10 {
			tooLarge = true
		} else {
			result *= 10
			if result == intMax/10*10 && c > intMax%10 {
				tooLarge = true
			} else {
				result += int(c)
			}
		}
		p++
		lc--
		saw = true
	}
	if r.d[p] != '\r' {
		return respInvalid, p + 1, true
	}
	p++
	lc--
	if lc == 0 {
		return respTrunc, p, true
	}
	if p >= len(r.d) {
		return 0, p, false
	}
	if r.d[p] != '\n' {
		return respInvalid, p + 1, true
	}
	p++
	if neg {
		if tooLarge || result != 1 {
			return respNegative, p, true
		}
		return -1, p, true
	}
	if tooLarge {
		return respTooLarge, p, true
	}
	return result, p, true
}

// special prints what a negative length means; false when it means the
// item was cut.
func (r *respParser) special(n int) bool {
	switch n {
	case -1:
		r.b = append(r.b, " null"...)
	case respTrunc:
		return false
	case respTooLarge:
		r.b = append(r.b, " length too large"...)
	case respNegative:
		r.b = append(r.b, " length negative and not -1"...)
	default:
		r.b = append(r.b, " invalid"...)
	}
	return true
}

// bulk prints a bulk string "$<n>\r\n<n bytes>\r\n".
func (r *respParser) bulk(i, length int) int {
	lc := length - 1
	n, p, ok := r.length(i+1, lc)
	if !ok {
		return -1
	}
	lc -= p - (i + 1)
	if n < 0 {
		if !r.special(n) {
			return -1
		}
		return length - lc
	}
	if n == 0 {
		r.b = append(r.b, " empty"...)
	} else {
		if lc < n || p+n > len(r.d) {
			return -1
		}
		r.segment(r.d[p : p+n])
		p += n
		lc -= n
	}
	if p, lc, ok = r.findCRLF(p, lc); !ok {
		return -1
	}
	return length - (lc - 2)
}

// array prints an array "*<n>\r\n" and its n items.
func (r *respParser) array(i, length, depth int) int {
	lc := length - 1
	n, p, ok := r.length(i+1, lc)
	if !ok {
		return -1
	}
	lc -= p - (i + 1)
	if n > 0 {
		for k := 0; k < n; k++ {
			m := r.item(p, lc, depth+1)
			if m < 0 {
				return -1
			}
			p += m
			lc -= m
		}
		return length - lc
	}
	if n == 0 {
		r.b = append(r.b, " empty"...)
	} else if !r.special(n) {
		return -1
	}
	return length - lc
}

// inline prints an inline command: a line ended by CR or LF (leading CRs
// and LFs skipped).
func (r *respParser) inline(i, length int) int {
	p, lc, ok := r.skipCRLF(i, length)
	if !ok {
		return -1
	}
	j := p
	for {
		if lc < 1 || j >= len(r.d) {
			return -1
		}
		if c := r.d[j]; c == '\r' || c == '\n' {
			break
		}
		j++
		lc--
	}
	r.segment(r.d[p:j])
	if _, lc, ok = r.skipCRLF(j, lc); !ok {
		return -1
	}
	return length - lc
}

// skipCRLF skips a run of CR and LF at d[p:]; ok is false when the data
// ended before any.
func (r *respParser) skipCRLF(p, lc int) (int, int, bool) {
	found := false
	for {
		if lc == 0 || p >= len(r.d) {
			return p, lc, found
		}
		if c := r.d[p]; c != '\r' && c != '\n' {
			return p, lc, true
		}
		found = true
		p++
		lc--
	}
}
