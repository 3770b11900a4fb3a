package decode

import (
	"bytes"
	"errors"
	"net/netip"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Application layers of the JSON writer (docs/json.md has the schema and
// an example of each):
//
//	{"layer":"dns","id":4660,"qr":true,"opcode":0,"rcode":"NOERROR","aa":false,...,
//	 "questions":[{"name":"example.com","type":"A","class":"IN"}],
//	 "answers":[{"name":"example.com","type":"A","class":"IN","ttl":60,"data":"192.0.2.1"}]}
//	    UDP port 53, 5353 (mDNS) or 5355 (LLMNR), and TCP port 53 (after
//	    the two-byte length)
//	{"layer":"http","type":"request","method":"GET","uri":"/","version":"HTTP/1.1","host":"example.com"}
//	{"layer":"http","type":"response","version":"HTTP/1.1","status":200,"reason":"OK"}
//	    any TCP segment that starts with a request or status line: one
//	    segment's view, no reassembly
//	{"layer":"tls",...}           see json_tls.go
//	{"layer":"dhcp","op":"request","xid":...,"msgtype":"DISCOVER","options":[...]}
//	    UDP ports 67 and 68
//	{"layer":"dhcp6","msgtype":"SOLICIT","xid":...,"options":[...]}
//	    UDP ports 546 and 547
//	{"layer":"ntp","version":4,"mode":"client","stratum":0,...}
//	    UDP port 123

var (
	errAppShort    = errors.New("message truncated")
	errDNSTCPShort = errors.New("DNS over TCP: length prefix truncated")
)

// tcpAppStep names the application layer a TCP payload starts with, or
// jsonStepPayload.
func (j *JSONWriter) tcpAppStep(d []byte) jsonStep {
	if len(d) == 0 {
		return jsonStepPayload
	}
	t := &j.tcp
	if (t.SrcPort == 53 || t.DstPort == 53) && len(d) >= 14 && int(jsonBE16(d)) >= 12 {
		return jsonStepDNSTCP
	}
	if jsonTLSRecordStart(d) {
		return jsonStepTLS
	}
	if jsonHTTPStart(d) {
		return jsonStepHTTP
	}
	return jsonStepPayload
}

// jsonUDPApp names the application layer of a UDP payload d between ports
// sp and dp, or jsonStepPayload.
func jsonUDPApp(sp, dp layers.UDPPort, d []byte) jsonStep {
	switch {
	case (sp == 67 || sp == 68) && (dp == 67 || dp == 68):
		return jsonStepDHCP
	case sp == 546 || sp == 547 || dp == 546 || dp == 547:
		return jsonStepDHCP6
	case sp == 123 || dp == 123:
		return jsonStepNTP
	}
	return jsonStepPayload
}

// appStep decodes the application step at the start of data and adds its
// layer; the payload pseudo-layer then counts what is left.
func (j *JSONWriter) appStep(step jsonStep, data []byte) (jsonStep, []byte, error) {
	switch step {
	case jsonStepDNSTCP:
		if len(data) < 2 {
			return step, data, errDNSTCPShort
		}
		n := int(jsonBE16(data))
		d := data[2:]
		if n < len(d) {
			d = d[:n]
		} else if n > len(d) {
			j.truncated = true
		}
		wrote, err := j.dnsDecode(d)
		switch {
		case !wrote:
			return step, data, err
		case err != nil:
			return step, data[2+len(d):], err // the error names the dns layer
		}
		return jsonStepPayload, data[2+len(d):], nil
	case jsonStepHTTP:
		return jsonStepPayload, j.httpLayer(data), nil
	case jsonStepTLS:
		return jsonStepPayload, j.tlsLayer(data), nil
	case jsonStepDHCP:
		return jsonStepPayload, nil, j.dhcpLayer(data)
	case jsonStepDHCP6:
		return jsonStepPayload, nil, j.dhcp6Layer(data)
	case jsonStepNTP:
		return jsonStepPayload, nil, j.ntpLayer(data)
	}
	return jsonStepPayload, data, nil
}

// ---- HTTP ----

// jsonHTTPStart reports whether d starts like an HTTP/1.x request line
// (an upper-case method token, a space) or status line ("HTTP/1.").
func jsonHTTPStart(d []byte) bool {
	if bytes.HasPrefix(d, []byte("HTTP/")) {
		return len(d) >= 12 && d[6] == '.' && d[8] == ' ' && jsonDigits(d[9:12])
	}
	for i, c := range d {
		if c == ' ' {
			return i >= 3 && jsonHTTPVersionEnd(d[i+1:])
		}
		if (c < 'A' || c > 'Z') && c != '-' || i >= 20 {
			return false
		}
	}
	return false
}

// jsonHTTPVersionEnd reports whether the request line rest d (after the
// method) ends with " HTTP/d.d" before its line end.
func jsonHTTPVersionEnd(d []byte) bool {
	line, _, ok := jsonLine(d)
	if !ok {
		return false
	}
	i := bytes.LastIndexByte(line, ' ')
	return i > 0 && jsonHTTPVersion(line[i+1:])
}

func jsonHTTPVersion(v []byte) bool {
	return len(v) == 8 && string(v[:5]) == "HTTP/" && v[5] >= '0' && v[5] <= '9' && v[6] == '.' &&
		v[7] >= '0' && v[7] <= '9'
}

func jsonDigits(d []byte) bool {
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// jsonLine returns the line at the start of d without its CRLF or LF, the
// bytes after it, and whether a line end was found.
func jsonLine(d []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(d, '\n')
	if i < 0 {
		return d, nil, false
	}
	line = d[:i]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, d[i+1:], true
}

// httpLayer adds the http layer for the message head at the start of d and
// returns the bytes after the head (the body's start), or nil when the
// head does not end in this segment.
func (j *JSONWriter) httpLayer(d []byte) []byte {
	line, rest, _ := jsonLine(d)
	b := j.open("http")
	if bytes.HasPrefix(line, []byte("HTTP/")) {
		b = jsonStr(b, "type", "response")
		b = jsonBytes(jsonKey(b, "version"), line[:8])
		code, _ := strconv.Atoi(string(line[9:12]))
		b = jsonInt(b, "status", code)
		if len(line) > 13 {
			b = jsonBytes(jsonKey(b, "reason"), line[13:])
		} else {
			b = append(jsonKey(b, "reason"), `""`...)
		}
	} else {
		sp := bytes.IndexByte(line, ' ')
		last := bytes.LastIndexByte(line, ' ')
		b = jsonStr(b, "type", "request")
		b = jsonBytes(jsonKey(b, "method"), line[:sp])
		uri := line[sp+1 : last]
		if sp >= last {
			uri = nil
		}
		b = jsonBytes(jsonKey(b, "uri"), uri)
		b = jsonBytes(jsonKey(b, "version"), line[last+1:])
	}
	complete := false
	for len(rest) > 0 {
		var ok bool
		line, rest, ok = jsonLine(rest)
		if !ok {
			break // the head goes on in the next segment
		}
		if len(line) == 0 {
			complete = true
			break
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			continue
		}
		name, val := line[:c], bytes.TrimSpace(line[c+1:])
		for _, h := range jsonHTTPHeaders {
			if len(name) == len(h[0]) && bytes.EqualFold(name, []byte(h[0])) {
				if h[1] == "content_length" {
					if n, err := strconv.ParseInt(string(val), 10, 64); err == nil && n >= 0 {
						b = strconv.AppendInt(jsonKey(b, h[1]), n, 10)
					}
				} else {
					b = jsonBytes(jsonKey(b, h[1]), val)
				}
				break
			}
		}
	}
	j.lay = append(jsonBool(b, "complete", complete), '}')
	if !complete {
		return nil
	}
	return rest
}

// jsonHTTPHeaders are the header fields the http layer gives, with their
// keys.
var jsonHTTPHeaders = [...][2]string{{"Host", "host"}, {"User-Agent", "user_agent"},
	{"Content-Type", "content_type"}, {"Content-Length", "content_length"},
	{"Transfer-Encoding", "transfer_encoding"}, {"Server", "server"}, {"Location", "location"},
	{"Upgrade", "upgrade"}}

// ---- DHCP (RFC 2131, 2132) ----

var jsonDHCPMsgTypes = [...]string{1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
	6: "NAK", 7: "RELEASE", 8: "INFORM", 9: "FORCERENEW", 10: "LEASEQUERY", 11: "LEASEUNASSIGNED",
	12: "LEASEUNKNOWN", 13: "LEASEACTIVE", 14: "BULKLEASEQUERY", 15: "LEASEQUERYDONE",
	16: "ACTIVELEASEQUERY", 17: "LEASEQUERYSTATUS", 18: "TLS"}

// jsonDHCPOpt names the DHCP options and how their values are given.
var jsonDHCPOpt = [256]struct {
	name string
	kind uint8
}{
	1: {"subnet-mask", optAddr}, 2: {"time-offset", optInt}, 3: {"router", optAddrs},
	4: {"time-server", optAddrs}, 5: {"name-server", optAddrs}, 6: {"domain-name-server", optAddrs},
	7: {"log-server", optAddrs}, 9: {"lpr-server", optAddrs}, 12: {"hostname", optString},
	13: {"boot-file-size", optInt}, 15: {"domain-name", optString}, 17: {"root-path", optString},
	19: {"ip-forwarding", optInt}, 23: {"default-ttl", optInt}, 26: {"interface-mtu", optInt},
	28: {"broadcast-address", optAddr}, 33: {"static-route", optAddrs}, 40: {"nis-domain", optString},
	41: {"nis-servers", optAddrs}, 42: {"ntp-servers", optAddrs}, 43: {"vendor-specific", optHex},
	44: {"netbios-name-server", optAddrs}, 46: {"netbios-node-type", optInt},
	47: {"netbios-scope", optString}, 50: {"requested-ip", optAddr}, 51: {"lease-time", optInt},
	52: {"overload", optInt}, 53: {"message-type", optMsgType}, 54: {"server-id", optAddr},
	55: {"parameter-request-list", optCodes}, 56: {"message", optString},
	57: {"max-message-size", optInt}, 58: {"renewal-time", optInt}, 59: {"rebinding-time", optInt},
	60: {"vendor-class-id", optString}, 61: {"client-id", optHex}, 66: {"tftp-server", optString},
	67: {"bootfile-name", optString}, 77: {"user-class", optHex}, 81: {"client-fqdn", optHex},
	82: {"relay-agent-info", optHex}, 93: {"client-arch", optInt}, 97: {"client-uuid", optHex},
	100: {"tz-posix", optString}, 101: {"tz-database", optString}, 108: {"ipv6-only-preferred", optInt},
	114: {"captive-portal", optString}, 116: {"auto-config", optInt}, 118: {"subnet-selection", optAddr},
	119: {"domain-search", optHex}, 121: {"classless-static-route", optHex},
	125: {"vi-vendor-specific", optHex}, 249: {"ms-classless-static-route", optHex},
	252: {"wpad", optString},
}

// Kinds of option values.
const (
	optHex     = iota // bytes in hex
	optAddr           // one IPv4 (or, in DHCPv6, IPv6) address
	optAddrs          // a list of addresses
	optInt            // a big-endian unsigned integer of 1, 2 or 4 bytes
	optString         // text
	optCodes          // a list of option codes (1 byte, or 2 in DHCPv6)
	optMsgType        // a message type by name
	optNames          // DHCPv6: a list of DNS names (RFC 1035 wire form)
	optNone           // no value
)

// dhcpLayer adds a DHCP (or BOOTP, without the magic cookie) layer.
func (j *JSONWriter) dhcpLayer(d []byte) error {
	if len(d) < 236 {
		j.truncated = true
		return errAppShort
	}
	b := j.open("dhcp")
	switch d[0] {
	case 1:
		b = jsonStr(b, "op", "request")
	case 2:
		b = jsonStr(b, "op", "reply")
	default:
		b = jsonStr(b, "op", "unknown")
	}
	b = jsonInt(b, "htype", int(d[1]))
	b = jsonInt(b, "hlen", int(d[2]))
	b = jsonInt(b, "hops", int(d[3]))
	b = jsonInt(b, "xid", int(jsonBE32(d[4:])))
	b = jsonInt(b, "secs", int(jsonBE16(d[8:])))
	b = jsonBool(b, "broadcast", d[10]&0x80 != 0)
	b = jsonAddr(b, "ciaddr", netip.AddrFrom4([4]byte(d[12:16])))
	b = jsonAddr(b, "yiaddr", netip.AddrFrom4([4]byte(d[16:20])))
	b = jsonAddr(b, "siaddr", netip.AddrFrom4([4]byte(d[20:24])))
	b = jsonAddr(b, "giaddr", netip.AddrFrom4([4]byte(d[24:28])))
	hl := int(d[2])
	if hl > 16 {
		hl = 16
	}
	b = jsonMAC(b, "chaddr", d[28:28+hl])
	opts := d[236:]
	cookie := len(opts) >= 4 && jsonBE32(opts) == 0x63825363
	msgType, overload := -1, 0
	if cookie {
		opts = opts[4:]
		for i := 0; i+2 < len(opts); {
			if opts[i] == 0 {
				i++
				continue
			}
			if opts[i] == 255 {
				break
			}
			switch {
			case opts[i] == 53 && opts[i+1] == 1:
				msgType = int(opts[i+2])
			case opts[i] == 52 && opts[i+1] == 1:
				overload = int(opts[i+2])
			}
			i += 2 + int(opts[i+1])
		}
	}
	// Overloaded fields (option 52) hold options, not names.
	sname, file := jsonCString(d[44:108]), jsonCString(d[108:236])
	if overload&2 != 0 {
		sname = nil
	}
	if overload&1 != 0 {
		file = nil
	}
	b = jsonBytes(jsonKey(b, "sname"), sname)
	b = jsonBytes(jsonKey(b, "file"), file)
	if !cookie {
		j.lay = append(b, '}') // BOOTP
		return nil
	}
	if msgType >= 0 {
		b = jsonMsgType(b, jsonDHCPMsgTypes[:], msgType)
	}
	b = append(b, `,"options":[`...)
	b, n, _, err := j.dhcpOptions(b, opts, 0, "")
	// Option overload (52): the file, then the sname field, carry options.
	if overload&1 != 0 && err == nil {
		b, n, _, err = j.dhcpOptions(b, d[108:236], n, "file")
	}
	if overload&2 != 0 && err == nil {
		b, _, _, err = j.dhcpOptions(b, d[44:108], n, "sname")
	}
	j.lay = append(b, "]}"...)
	return err
}

// dhcpOptions appends the DHCP options in opts as list elements (n are
// already in the list) and returns the new count and the value of an
// overload option (52). Options read from the file or sname field have
// key "field" naming it.
func (j *JSONWriter) dhcpOptions(b, opts []byte, n int, field string) ([]byte, int, int, error) {
	overload := 0
	for i := 0; i < len(opts); {
		code := opts[i]
		if code == 0 {
			i++
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		if code == 255 {
			b = append(b, `{"code":255,"name":"end"`...)
			if field != "" {
				b = jsonStr(b, "field", field)
			}
			b = append(b, '}')
			break
		}
		if i+2 > len(opts) || i+2+int(opts[i+1]) > len(opts) {
			b = jsonObjInt(b, "code", int(code))
			b = append(b, `,"truncated":true}`...)
			j.truncated = true
			return b, n, overload, errAppShort
		}
		v := opts[i+2 : i+2+int(opts[i+1])]
		i += 2 + len(v)
		o := &jsonDHCPOpt[code]
		b = jsonObjInt(b, "code", int(code))
		if o.name != "" {
			b = jsonStr(b, "name", o.name)
		}
		if code == 52 && len(v) == 1 && field == "" {
			overload = int(v[0])
		}
		b = jsonOptValue(b, o.kind, v, 4, jsonDHCPMsgTypes[:])
		if field != "" {
			b = jsonStr(b, "field", field)
		}
		b = append(b, '}')
	}
	return b, n, overload, nil
}

// jsonCString returns b up to its first NUL.
func jsonCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// jsonMsgType appends key msgtype as a name from names, or as the number
// in a string.
func jsonMsgType(b []byte, names []string, t int) []byte {
	if t < len(names) && names[t] != "" {
		return jsonStr(b, "msgtype", names[t])
	}
	b = append(jsonKey(b, "msgtype"), '"')
	return append(strconv.AppendInt(b, int64(t), 10), '"')
}

// jsonOptValue appends an option value v of kind k under key "value";
// addresses have alen bytes (4 or 16). A value whose length does not fit
// its kind is given in hex.
func jsonOptValue(b []byte, k uint8, v []byte, alen int, msgTypes []string) []byte {
	switch k {
	case optNone:
		return b
	case optAddr:
		if len(v) == alen {
			a, _ := netip.AddrFromSlice(v)
			return jsonAddr(b, "value", a)
		}
	case optAddrs:
		if len(v)%alen == 0 {
			b = append(jsonKey(b, "value"), '[')
			for i := 0; i < len(v); i += alen {
				if i > 0 {
					b = append(b, ',')
				}
				a, _ := netip.AddrFromSlice(v[i : i+alen])
				b = append(a.AppendTo(append(b, '"')), '"')
			}
			return append(b, ']')
		}
	case optInt:
		switch len(v) {
		case 1:
			return jsonInt(b, "value", int(v[0]))
		case 2:
			return jsonInt(b, "value", int(jsonBE16(v)))
		case 4:
			return jsonInt(b, "value", int(jsonBE32(v)))
		}
	case optString:
		return jsonBytes(jsonKey(b, "value"), jsonCString(v))
	case optCodes:
		w := 1 // byte per code in DHCP, 2 in DHCPv6
		if alen == 16 {
			w = 2
		}
		if len(v)%w == 0 {
			b = append(jsonKey(b, "value"), '[')
			for i := 0; i < len(v); i += w {
				if i > 0 {
					b = append(b, ',')
				}
				c := int(v[i])
				if w == 2 {
					c = int(jsonBE16(v[i:]))
				}
				b = strconv.AppendInt(b, int64(c), 10)
			}
			return append(b, ']')
		}
	case optMsgType:
		if len(v) == 1 {
			t := int(v[0])
			if t < len(msgTypes) && msgTypes[t] != "" {
				return jsonStr(b, "value", msgTypes[t])
			}
			b = append(jsonKey(b, "value"), '"')
			return append(strconv.AppendInt(b, int64(t), 10), '"')
		}
	case optNames:
		if bb, ok := jsonWireNames(b, v); ok {
			return bb
		}
	}
	return jsonHex(b, "value", v)
}

// jsonWireNames appends key value as the list of uncompressed DNS names
// in v (RFC 1035 wire form, as DHCPv6 carries them).
func jsonWireNames(b []byte, v []byte) ([]byte, bool) {
	start := len(b)
	b = append(jsonKey(b, "value"), '[')
	first := true
	for i := 0; i < len(v); {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		dot := false
		for {
			if i >= len(v) {
				return b[:start], false
			}
			l := int(v[i])
			i++
			if l == 0 {
				break
			}
			if l > 63 || i+l > len(v) {
				return b[:start], false
			}
			if dot {
				b = append(b, '.')
			}
			b = jsonEscape(b, v[i:i+l])
			dot = true
			i += l
		}
		if !dot {
			b = append(b, '.')
		}
		b = append(b, '"')
	}
	return append(b, ']'), true
}

// jsonHex appends key k with v in lower-case hex.
func jsonHex(b []byte, k string, v []byte) []byte {
	const digits = "0123456789abcdef"
	b = append(jsonKey(b, k), '"')
	for _, x := range v {
		b = append(b, digits[x>>4], digits[x&15])
	}
	return append(b, '"')
}

// ---- DHCPv6 (RFC 8415) ----

var jsonDHCP6MsgTypes = [...]string{1: "SOLICIT", 2: "ADVERTISE", 3: "REQUEST", 4: "CONFIRM",
	5: "RENEW", 6: "REBIND", 7: "REPLY", 8: "RELEASE", 9: "DECLINE", 10: "RECONFIGURE",
	11: "INFORMATION-REQUEST", 12: "RELAY-FORW", 13: "RELAY-REPL", 14: "LEASEQUERY",
	15: "LEASEQUERY-REPLY", 16: "LEASEQUERY-DONE", 17: "LEASEQUERY-DATA"}

var jsonDHCP6Opt = [...]struct {
	name string
	kind uint8
}{
	1: {"client-id", optHex}, 2: {"server-id", optHex}, 3: {"ia-na", optHex}, 4: {"ia-ta", optHex},
	5: {"ia-addr", optHex}, 6: {"option-request", optCodes}, 7: {"preference", optInt},
	8: {"elapsed-time", optInt}, 9: {"relay-msg", optHex}, 11: {"auth", optHex},
	12: {"unicast", optAddr}, 13: {"status-code", optHex}, 14: {"rapid-commit", optNone},
	15: {"user-class", optHex}, 16: {"vendor-class", optHex}, 17: {"vendor-opts", optHex},
	18: {"interface-id", optHex}, 19: {"reconf-msg", optInt}, 20: {"reconf-accept", optNone},
	21: {"sip-server-names", optNames}, 22: {"sip-server-addrs", optAddrs},
	23: {"dns-servers", optAddrs}, 24: {"domain-list", optNames}, 25: {"ia-pd", optHex},
	26: {"ia-prefix", optHex}, 27: {"nis-servers", optAddrs}, 29: {"nis-domain", optNames},
	31: {"sntp-servers", optAddrs}, 32: {"info-refresh-time", optInt}, 39: {"client-fqdn", optHex},
	56: {"ntp-server", optHex}, 82: {"sol-max-rt", optInt}, 83: {"inf-max-rt", optInt},
}

var errDHCP6Depth = errors.New("options nested too deep")

func (j *JSONWriter) dhcp6Layer(d []byte) error {
	if len(d) < 4 {
		j.truncated = true
		return errAppShort
	}
	b, err := j.dhcp6Message(j.open("dhcp6"), d, 0)
	j.lay = append(b, '}')
	return err
}

// dhcp6Message appends the keys of the DHCPv6 message d (at least 4
// bytes): msgtype, then xid, or hops, link and peer for relay messages,
// then options.
func (j *JSONWriter) dhcp6Message(b, d []byte, depth int) ([]byte, error) {
	b = jsonMsgType(b, jsonDHCP6MsgTypes[:], int(d[0]))
	var opts []byte
	if d[0] == 12 || d[0] == 13 {
		if len(d) < 34 {
			j.truncated = true
			return b, errAppShort
		}
		b = jsonInt(b, "hops", int(d[1]))
		b = jsonAddr(b, "link", netip.AddrFrom16([16]byte(d[2:18])))
		b = jsonAddr(b, "peer", netip.AddrFrom16([16]byte(d[18:34])))
		opts = d[34:]
	} else {
		b = jsonInt(b, "xid", int(d[1])<<16|int(jsonBE16(d[2:])))
		opts = d[4:]
	}
	return j.dhcp6Options(b, opts, depth)
}

// dhcp6Options appends the "options" list of the DHCPv6 options in d;
// IA_NA, IA_TA, IA_PD, IAADDR and IAPREFIX give their fields and nested
// options, status-code its code and message.
func (j *JSONWriter) dhcp6Options(b []byte, d []byte, depth int) ([]byte, error) {
	if depth > 4 {
		return b, errDHCP6Depth
	}
	b = append(b, `,"options":[`...)
	var err error
	for i, n := 0, 0; i < len(d); n++ {
		if n > 0 {
			b = append(b, ',')
		}
		if i+4 > len(d) || i+4+int(jsonBE16(d[i+2:])) > len(d) {
			b = append(b, `{"truncated":true}`...)
			j.truncated, err = true, errAppShort
			break
		}
		code := int(jsonBE16(d[i:]))
		v := d[i+4 : i+4+int(jsonBE16(d[i+2:]))]
		i += 4 + len(v)
		b = jsonObjInt(b, "code", code)
		kind := uint8(optHex)
		if code < len(jsonDHCP6Opt) && jsonDHCP6Opt[code].name != "" {
			b = jsonStr(b, "name", jsonDHCP6Opt[code].name)
			kind = jsonDHCP6Opt[code].kind
		}
		var nested []byte
		switch {
		case (code == 3 || code == 25) && len(v) >= 12: // IA_NA, IA_PD
			b = jsonInt(b, "iaid", int(jsonBE32(v)))
			b = jsonInt(b, "t1", int(jsonBE32(v[4:])))
			b = jsonInt(b, "t2", int(jsonBE32(v[8:])))
			nested = v[12:]
		case code == 4 && len(v) >= 4: // IA_TA
			b = jsonInt(b, "iaid", int(jsonBE32(v)))
			nested = v[4:]
		case code == 5 && len(v) >= 24: // IAADDR
			b = jsonAddr(b, "addr", netip.AddrFrom16([16]byte(v[:16])))
			b = jsonInt(b, "preferred", int(jsonBE32(v[16:])))
			b = jsonInt(b, "valid", int(jsonBE32(v[20:])))
			nested = v[24:]
		case code == 26 && len(v) >= 25: // IAPREFIX
			b = jsonInt(b, "preferred", int(jsonBE32(v)))
			b = jsonInt(b, "valid", int(jsonBE32(v[4:])))
			b = jsonInt(b, "plen", int(v[8]))
			b = jsonAddr(b, "prefix", netip.AddrFrom16([16]byte(v[9:25])))
			nested = v[25:]
		case code == 9 && len(v) >= 4: // relay message: the relayed message
			var e error
			b = append(jsonKey(b, "message"), '{')
			at := len(b)
			b, e = j.dhcp6Message(b, v, depth+1)
			b = append(jsonDropComma(b, at), '}')
			if e != nil && err == nil {
				err = e
			}
		case code == 13 && len(v) >= 2: // status code
			b = jsonInt(b, "status", int(jsonBE16(v)))
			b = jsonBytes(jsonKey(b, "message"), v[2:])
		default:
			b = jsonOptValue(b, kind, v, 16, nil)
			b = append(b, '}')
			continue
		}
		if len(nested) > 0 {
			var e error
			if b, e = j.dhcp6Options(b, nested, depth+1); e != nil && err == nil {
				err = e
			}
		}
		b = append(b, '}')
	}
	return append(b, ']'), err
}

// ---- NTP (RFC 5905) ----

var jsonNTPModes = [8]string{"reserved", "symmetric active", "symmetric passive", "client", "server",
	"broadcast", "control", "private"}

func (j *JSONWriter) ntpLayer(d []byte) error {
	if len(d) < 1 {
		return errAppShort
	}
	b := jsonInt(j.open("ntp"), "version", int(d[0]>>3&7))
	b = jsonStr(b, "mode", jsonNTPModes[d[0]&7])
	b = jsonInt(b, "leap", int(d[0]>>6))
	mode := d[0] & 7
	if mode == 6 || mode == 7 || len(d) < 48 {
		j.lay = append(b, '}')
		if mode < 6 && len(d) < 48 {
			j.truncated = true
			return errAppShort
		}
		return nil
	}
	b = jsonInt(b, "stratum", int(d[1]))
	b = jsonInt(b, "poll", int(int8(d[2])))
	b = jsonInt(b, "precision", int(int8(d[3])))
	b = jsonFloat(jsonKey(b, "root_delay"), float64(jsonBE32(d[4:]))/65536)
	b = jsonFloat(jsonKey(b, "root_dispersion"), float64(jsonBE32(d[8:]))/65536)
	if d[1] <= 1 {
		b = jsonBytes(jsonKey(b, "refid"), bytes.TrimRight(d[12:16], "\x00"))
	} else {
		b = jsonAddr(b, "refid", netip.AddrFrom4([4]byte(d[12:16])))
	}
	b = jsonNTPTime(b, "ref_time", d[16:])
	b = jsonNTPTime(b, "orig_time", d[24:])
	b = jsonNTPTime(b, "recv_time", d[32:])
	b = jsonNTPTime(b, "xmit_time", d[40:])
	j.lay = append(b, '}')
	return nil
}

func jsonFloat(b []byte, f float64) []byte { return strconv.AppendFloat(b, f, 'f', -1, 64) }

// jsonNTPTime appends an NTP timestamp as RFC 3339 UTC with nine fraction
// digits, or null when it is zero. Era 0 (1900-2036) is assumed for
// seconds from 1968 on, era 1 for smaller values (RFC 5905 6).
func jsonNTPTime(b []byte, k string, d []byte) []byte {
	sec, frac := jsonBE32(d), jsonBE32(d[4:])
	b = jsonKey(b, k)
	if sec == 0 && frac == 0 {
		return append(b, "null"...)
	}
	const ntpToUnix = 2208988800
	s := int64(sec) - ntpToUnix
	if sec < 0x80000000 {
		s += 1 << 32
	}
	ns := int64(frac) * 1e9 >> 32
	b = time.Unix(s, ns).UTC().AppendFormat(append(b, '"'), "2006-01-02T15:04:05.000000000Z07:00")
	return append(b, '"')
}

// jsonObjInt appends an object's opening brace and its first key k with
// value v.
func jsonObjInt(b []byte, k string, v int) []byte {
	b = append(b, '{', '"')
	b = append(b, k...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, int64(v), 10)
}

// jsonDropComma removes the comma a key helper put at b[at], after an
// object's opening brace.
func jsonDropComma(b []byte, at int) []byte {
	return append(b[:at], b[at+1:]...)
}
