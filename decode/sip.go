package decode

// SIP (RFC 3261) over UDP 5060, printed as tcpdump prints it: "SIP: " and
// the request or status line, when the first token is a SIP method or the
// second a 3-digit status code; -v prints every text line.

var sipMethods = [...]string{"ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY",
	"OPTIONS", "PRACK", "QAUTH", "REFER", "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH"}

// sipToken finds the token starting at i of the first n bytes of d as
// tcpdump's fetch_token: printable ASCII up to white space, at most 128
// bytes. It returns the token and the index after the white space that
// follows it, or ok false.
func sipToken(d []byte, i, n int) (tok []byte, next int, ok bool) {
	start := i
	for ; i < n; i++ {
		if i >= len(d) || d[i] >= 0x80 {
			return nil, 0, false
		}
		c := d[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		if c < 0x20 || c == 0x7f || i-start+2 > 129 {
			return nil, 0, false
		}
	}
	if i == start {
		return nil, 0, false
	}
	tok = d[start:i]
	for ; i < n && i < len(d); i++ {
		c := d[i]
		if c == '\r' || c == '\n' || c < 0x20 || c >= 0x7f || (c != ' ' && c != '\t') {
			break
		}
	}
	return tok, i, true
}

// equalFoldASCII compares a and s ignoring ASCII case.
func equalFoldASCII(a []byte, s string) bool {
	if len(a) != len(s) {
		return false
	}
	for i := range a {
		x, y := a[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// sipLine appends the text line starting at i after prefix, as tcpdump's
// print_txt_line, and returns the index after its end of line, or 0 when
// the line is not text or does not end in the packet (then, if it was all
// text, it is printed with " [|sip]").
func sipLine(b []byte, prefix string, d []byte, i, n int) ([]byte, int) {
	start := i
	for i < n {
		if i >= len(d) {
			return appendTrunc(b, "sip"), 0
		}
		switch c := d[i]; {
		case c == '\n':
			b = append(b, prefix...)
			return append(b, d[start:i]...), i + 1
		case c == '\r':
			if i+1 >= n {
				return b, 0
			}
			if i+1 >= len(d) {
				return appendTrunc(b, "sip"), 0
			}
			if d[i+1] != '\n' {
				return b, 0
			}
			b = append(b, prefix...)
			return append(b, d[start:i]...), i + 2
		case (c < 0x20 || c >= 0x7f) && c != '\t':
			return b, 0
		}
		i++
	}
	b = append(b, prefix...)
	b = append(b, d[start:i]...)
	return appendTrunc(b, "sip"), 0
}

// sip prints a SIP message d (length bytes on the wire).
func (p *Printer) sip(b, d []byte, length int) []byte {
	show := false
	if tok, i, ok := sipToken(d, 0, length); ok {
		for _, m := range sipMethods {
			if equalFoldASCII(tok, m) {
				show = true
				break
			}
		}
		tok, _, ok = sipToken(d, i, length)
		if ok && len(tok) == 3 && isDigit(tok[0]) && isDigit(tok[1]) && isDigit(tok[2]) {
			show = true
		}
	}
	b = append(b, "SIP"...)
	if !show {
		return b
	}
	if p.opts.Verbose == 0 {
		b, _ = sipLine(b, ": ", d, 0, length)
		return b
	}
	b = append(b, ", length: "...)
	b = appendInt(b, length)
	for i := 0; i < length; {
		var next int
		if b, next = sipLine(b, "\n\t", d, i, length); next == 0 {
			break
		}
		i = next
	}
	return b
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
