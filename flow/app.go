package flow

import (
	"bytes"
	"encoding/binary"
)

// maxAppPackets is how many payload packets per direction service
// detection looks at.
const maxAppPackets = 4

// Services found by content, with Zeek's names.
const (
	svcDNS = 1 << iota
	svcHTTP
	svcSSL
	svcSSH
	svcSMTP
	svcFTP
	svcDHCP
	svcNTP
	svcQUIC
	numServices = iota
)

var serviceNames = [numServices]string{"dns", "http", "ssl", "ssh", "smtp", "ftp", "dhcp", "ntp", "quic"}

// appState is what service detection found in a conversation.
type appState struct {
	svc   uint16 // services confirmed
	order [numServices]uint8
	n     uint8
	// hints seen in one direction that a reply would confirm
	smtpBanner bool
	dnsQuery   string
	sni        string
	alpn       string
	httpHost   string
}

// confirm records a service once, in the order found.
func (a *appState) confirm(s uint16) {
	if a.svc&s != 0 {
		return
	}
	a.svc |= s
	for i := range numServices {
		if s == 1<<i {
			a.order[a.n] = uint8(i)
			a.n++
		}
	}
}

// fill writes the services and facts into r.
func (a *appState) fill(r *Record) {
	switch a.n {
	case 0:
	case 1:
		r.Service = serviceNames[a.order[0]]
	default:
		var b []byte
		for i := range a.n {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, serviceNames[a.order[i]]...)
		}
		r.Service = string(b)
	}
	r.DNSQuery, r.ServerName, r.ALPN, r.HTTPHost = a.dnsQuery, a.sni, a.alpn, a.httpHost
}

// inspect looks at the start of a payload from direction d (0 originator).
func (a *appState) inspect(c *conn, p *pkt, d int) {
	b := p.app
	tcp := p.proto == protoTCP
	switch {
	case tcp && len(b) >= 6 && b[0] == 22 && b[1] == 3 && b[2] <= 4:
		a.tls(b, d)
		return
	case len(b) >= 4 && string(b[:4]) == "SSH-":
		a.confirm(svcSSH)
		return
	}
	if tcp {
		if a.http(b, d) {
			return
		}
		if a.mail(b, d) {
			return
		}
	}
	if p.proto == protoUDP {
		if a.udp(b, p) {
			return
		}
	}
	dns := b
	if tcp {
		if len(b) < 2 || int(binary.BigEndian.Uint16(b)) < 12 {
			return
		}
		dns = b[2:]
	}
	if name, ok := dnsQuestion(dns); ok {
		a.confirm(svcDNS)
		if a.dnsQuery == "" {
			a.dnsQuery = string(name)
		}
	}
}

// udp detects DHCP, NTP and QUIC.
func (a *appState) udp(b []byte, p *pkt) bool {
	switch {
	case len(b) >= 240 && (b[0] == 1 || b[0] == 2) && b[1] == 1 && binary.BigEndian.Uint32(b[236:]) == 0x63825363:
		a.confirm(svcDHCP)
		return true
	case len(b) >= 1200 && b[0]&0xc0 == 0xc0 && len(b) >= 6 && binary.BigEndian.Uint32(b[1:]) == 1:
		a.confirm(svcQUIC)
		return true
	case p.payload == 48 && len(b) >= 1:
		v, mode := b[0]>>3&7, b[0]&7
		if (v == 3 || v == 4) && (mode == 3 || mode == 4) && (p.src.port == 123 || p.dst.port == 123) {
			a.confirm(svcNTP)
			return true
		}
	}
	return false
}

var httpMethods = [...]string{"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "PATCH ", "TRACE "}

// http detects an HTTP/1.x request (originator) or status line
// (responder) and takes the request's Host.
func (a *appState) http(b []byte, d int) bool {
	if d == 1 {
		if len(b) >= 12 && string(b[:7]) == "HTTP/1." && b[8] == ' ' {
			a.confirm(svcHTTP)
			return true
		}
		return false
	}
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	for _, m := range httpMethods {
		if len(line) > len(m) && string(line[:len(m)]) == m {
			if !bytes.Contains(line, []byte(" HTTP/1.")) {
				return false
			}
			a.confirm(svcHTTP)
			if a.httpHost == "" {
				if h := headerValue(b, "host"); h != nil {
					a.httpHost = string(h)
				}
			}
			return true
		}
	}
	return false
}

// headerValue finds an HTTP header (name in lower case) in the captured
// head of a message.
func headerValue(b []byte, name string) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil
		}
		b = b[i+1:]
		if len(b) < len(name)+1 || b[0] == '\r' || b[0] == '\n' {
			return nil
		}
		if b[len(name)] == ':' && asciiEqualFold(b[:len(name)], name) {
			v := b[len(name)+1:]
			if j := bytes.IndexByte(v, '\n'); j >= 0 {
				v = v[:j]
			}
			return bytes.TrimSpace(v)
		}
	}
	return nil
}

func asciiEqualFold(b []byte, lower string) bool {
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// mail detects SMTP (a 220 banner from the responder and EHLO/HELO from
// the originator) and FTP (a 220 banner and USER).
func (a *appState) mail(b []byte, d int) bool {
	if d == 1 {
		if len(b) >= 4 && string(b[:4]) == "220 " || len(b) >= 4 && string(b[:4]) == "220-" {
			a.smtpBanner = true
			return true
		}
		return false
	}
	if len(b) < 5 {
		return false
	}
	switch {
	case asciiEqualFold(b[:5], "ehlo ") || asciiEqualFold(b[:5], "helo "):
		a.confirm(svcSMTP)
		return true
	case asciiEqualFold(b[:5], "user ") && a.smtpBanner:
		a.confirm(svcFTP)
		return true
	}
	return false
}

// dnsQuestion checks that b starts like a DNS message (sane counts, one or
// more questions, a well-formed first name followed by type and class) and
// returns that name in dotted form (in a buffer it allocates only when
// valid).
func dnsQuestion(b []byte) ([]byte, bool) {
	if len(b) < 17 {
		return nil, false
	}
	flags := binary.BigEndian.Uint16(b[2:])
	if op := flags >> 11 & 0xf; op > 6 || flags&0x0040 != 0 { // opcode, the Z bit
		return nil, false
	}
	qd := binary.BigEndian.Uint16(b[4:])
	an, ns, ar := binary.BigEndian.Uint16(b[6:]), binary.BigEndian.Uint16(b[8:]), binary.BigEndian.Uint16(b[10:])
	if qd == 0 || qd > 8 || an > 256 || ns > 256 || ar > 256 {
		return nil, false
	}
	off, total := 12, 0
	for {
		if off >= len(b) {
			return nil, false
		}
		l := int(b[off])
		if l == 0 {
			off++
			break
		}
		if l > 63 || off+1+l > len(b) {
			return nil, false
		}
		total += l + 1
		if total > 255 {
			return nil, false
		}
		off += 1 + l
	}
	if off+4 > len(b) {
		return nil, false
	}
	if class := binary.BigEndian.Uint16(b[off+2:]) & 0x7fff; class != 1 && class != 3 && class != 4 && class != 255 && class != 254 {
		return nil, false
	}
	if total == 0 {
		return []byte("."), true
	}
	name := make([]byte, 0, total)
	for off := 12; b[off] != 0; off += 1 + int(b[off]) {
		if len(name) > 0 {
			name = append(name, '.')
		}
		for _, ch := range b[off+1 : off+1+int(b[off])] {
			if ch <= 0x20 || ch >= 0x7f {
				ch = '?'
			}
			name = append(name, ch)
		}
	}
	return name, true
}

// tls reads a TLS handshake record's ClientHello (SNI, ALPN offers) or
// ServerHello (ALPN choice), as far as captured.
func (a *appState) tls(b []byte, d int) {
	rec := b[5:min(len(b), 5+int(binary.BigEndian.Uint16(b[3:])))]
	if len(rec) < 4 {
		return
	}
	typ := rec[0]
	if typ != 1 && typ != 2 {
		return
	}
	h := rec[4:min(len(rec), 4+(int(rec[1])<<16|int(rec[2])<<8|int(rec[3])))]
	// version, random
	if len(h) < 35 {
		return
	}
	a.confirm(svcSSL)
	off := 34
	off += 1 + int(h[off]) // session id
	if typ == 1 {
		if off+2 > len(h) {
			return
		}
		off += 2 + int(binary.BigEndian.Uint16(h[off:])) // cipher suites
		if off+1 > len(h) {
			return
		}
		off += 1 + int(h[off]) // compression methods
	} else {
		off += 3 // cipher suite, compression method
	}
	if off+2 > len(h) {
		return
	}
	ext := h[off+2 : min(len(h), off+2+int(binary.BigEndian.Uint16(h[off:])))]
	for len(ext) >= 4 {
		et, el := binary.BigEndian.Uint16(ext), int(binary.BigEndian.Uint16(ext[2:]))
		if 4+el > len(ext) {
			return
		}
		v := ext[4 : 4+el]
		ext = ext[4+el:]
		switch et {
		case 0: // server_name
			if typ != 1 || len(v) < 5 || v[2] != 0 {
				continue
			}
			n := int(binary.BigEndian.Uint16(v[3:]))
			if 5+n <= len(v) && a.sni == "" {
				a.sni = string(v[5 : 5+n])
			}
		case 16: // ALPN
			if len(v) < 2 {
				continue
			}
			list := v[2:min(len(v), 2+int(binary.BigEndian.Uint16(v)))]
			var out []byte
			for len(list) > 0 {
				n := int(list[0])
				if 1+n > len(list) {
					break
				}
				if len(out) > 0 {
					out = append(out, ',')
				}
				out = append(out, list[1:1+n]...)
				list = list[1+n:]
			}
			if len(out) > 0 && (typ == 2 || a.alpn == "") {
				a.alpn = string(out)
			}
		}
	}
}
