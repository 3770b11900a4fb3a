package decode

// Text protocols over TCP (HTTP, RTSP, FTP, SMTP, whois), printed as
// tcpdump 4.99's txtproto_print does: the protocol's name in capitals
// always, then ": " and the first line when the payload starts with a
// request method or has a three-digit second token (a status line) -- or
// always, for protocols without a method list; with -v, every text line on
// its own indented line.

// httpMethods are the request names tcpdump knows (WebDAV included),
// compared without regard to case.
var httpMethods = [...]string{"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST",
	"BCOPY", "BMOVE", "MKCOL", "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK",
	"REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND",
	"CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT",
	"MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL",
	"BASELINE-CONTROL"}

// rtspMethods are RTSP's request names.
var rtspMethods = [...]string{"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE",
	"PLAY", "RECORD", "REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN"}

// txtTokenBuf is the size of tcpdump's token buffer: a token holds at
// most txtTokenBuf-1 characters before the terminating NUL.
const txtTokenBuf = 129

func isPrintASCII(c byte) bool { return c >= 0x20 && c < 0x7f }

// txtToken finds the token at idx in d (captured) of a payload of length
// bytes, as tcpdump's fetch_token: start and end delimit it, next is the
// index after the spaces that follow; next is 0 when there is no token.
func txtToken(d []byte, idx, length int) (start, end, next int) {
	start = idx
	for ; idx < length; idx++ {
		if idx >= len(d) {
			return 0, 0, 0
		}
		c := d[idx]
		if c >= 0x80 {
			return 0, 0, 0
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		if !isPrintASCII(c) || idx-start+2 > txtTokenBuf {
			return 0, 0, 0
		}
	}
	end = idx
	if end == start {
		return 0, 0, 0
	}
	for ; idx < length && idx < len(d); idx++ {
		if c := d[idx]; c != ' ' {
			break
		}
	}
	return start, end, idx
}

// txtLine appends prefix and the text line at idx (print_txt_line) and
// returns the index after its line end, or 0 when the line is not text or
// not whole (a line cut by the end of the payload is printed with the
// truncation mark). trunc reports that the captured bytes ran out, where
// tcpdump abandons the packet with " [|proto]".
func txtLine(b, d []byte, prefix string, idx, length int, proto string) (_ []byte, next int, trunc bool) {
	start := idx
	for idx < length {
		if idx >= len(d) {
			return b, 0, true
		}
		switch c := d[idx]; {
		case c == '\n':
			b = append(b, prefix...)
			return append(b, d[start:idx]...), idx + 1, false
		case c == '\r':
			if idx+1 >= length {
				return b, 0, false
			}
			if idx+1 >= len(d) {
				return b, 0, true
			}
			if d[idx+1] != '\n' {
				return b, 0, false
			}
			b = append(b, prefix...)
			return append(b, d[start:idx]...), idx + 2, false
		case !isPrintASCII(c) && c != '\t':
			return b, 0, false
		}
		idx++
	}
	b = append(b, prefix...)
	b = append(b, d[start:idx]...)
	return appendTrunc(b, proto), 0, false
}

// appendTxtProto prints the summary of a text protocol's TCP payload: d
// is what was captured of it, length its length on the wire, name the
// protocol's name (lower case, as in its truncation mark). With methods
// nil every payload is taken as text; otherwise only one that starts with
// a method or whose second token is a three-digit status code.
func (p *Printer) appendTxtProto(b, d []byte, length int, name string, methods []string) []byte {
	show := methods == nil
	if s, e, next := txtToken(d, 0, length); !show && next != 0 {
		for _, m := range methods {
			if equalFoldASCII(d[s:e], m) {
				show = true
				break
			}
		}
		s, e, next = txtToken(d, next, length)
		if next != 0 && e-s == 3 && isDigit(d[s]) && isDigit(d[s+1]) && isDigit(d[s+2]) {
			show = true
		}
	}
	for i := 0; i < len(name); i++ {
		b = append(b, name[i]-('a'-'A'))
	}
	if !show {
		return b
	}
	var trunc bool
	if p.opts.Verbose == 0 {
		if b, _, trunc = txtLine(b, d, ": ", 0, length, name); trunc {
			return appendTrunc(b, name)
		}
		return b
	}
	b = append(b, ", length: "...)
	b = appendInt(b, length)
	for idx := 0; idx < length; {
		var next int
		if b, next, trunc = txtLine(b, d, "\n\t", idx, length, name); trunc {
			return appendTrunc(b, name)
		}
		if next == 0 {
			break
		}
		idx = next
	}
	return b
}
