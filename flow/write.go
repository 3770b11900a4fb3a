package flow

import (
	"bufio"
	"io"
	"net/netip"
	"strconv"
	"time"
)

// Format is an output form of [Writer].
type Format uint8

// Output forms.
const (
	// FormatTable is a text table, one line per conversation, with a
	// header line.
	FormatTable Format = iota
	// FormatZeek is Zeek's TSV log format (#separator, #fields, #types
	// header lines, '-' for unset values, #close at the end).
	FormatZeek
	// FormatJSON is JSON Lines with the field names of Zeek's JSON logs
	// (id.orig_h, orig_pkts...); unset fields are left out.
	FormatJSON
)

// WriterOptions changes what a [Writer] prints; nil means none.
type WriterOptions struct {
	// FrameBytes adds orig_frame_bytes and resp_frame_bytes (link-layer
	// bytes, as tshark's conversation tables count) to Zeek and JSON
	// records, and frame bytes to the table.
	FrameBytes bool
}

// Writer prints records in one [Format]. It buffers: call Close at the end.
type Writer struct {
	w       *bufio.Writer
	f       Format
	opt     WriterOptions
	b       []byte
	started bool
	err     error
}

// NewWriter returns a Writer printing to w in format f.
func NewWriter(w io.Writer, f Format, opt *WriterOptions) *Writer {
	x := &Writer{w: bufio.NewWriterSize(w, 64<<10), f: f}
	if opt != nil {
		x.opt = *opt
	}
	return x
}

// zeekFields are the TSV columns and their Zeek types: conn.log's, with
// its vlan and MAC policy fields and wirekit's application facts.
var zeekFields = [][2]string{
	{"ts", "time"}, {"uid", "string"}, {"id.orig_h", "addr"}, {"id.orig_p", "port"},
	{"id.resp_h", "addr"}, {"id.resp_p", "port"}, {"proto", "enum"}, {"service", "string"},
	{"duration", "interval"}, {"orig_bytes", "count"}, {"resp_bytes", "count"},
	{"conn_state", "string"}, {"missed_bytes", "count"}, {"history", "string"},
	{"orig_pkts", "count"}, {"orig_ip_bytes", "count"}, {"resp_pkts", "count"},
	{"resp_ip_bytes", "count"}, {"ip_proto", "count"}, {"vlan", "int"}, {"inner_vlan", "int"},
	{"orig_l2_addr", "string"}, {"resp_l2_addr", "string"}, {"dns_query", "string"},
	{"ssl_server_name", "string"}, {"ssl_alpn", "string"}, {"http_host", "string"},
}

var frameFields = [][2]string{{"orig_frame_bytes", "count"}, {"resp_frame_bytes", "count"}}

// zeekTime is the time format of Zeek's #open and #close lines.
const zeekTime = "2006-01-02-15-04-05"

func (x *Writer) header(open time.Time) {
	x.started = true
	switch x.f {
	case FormatZeek:
		fields := zeekFields
		if x.opt.FrameBytes {
			fields = append(fields[:len(fields):len(fields)], frameFields...)
		}
		x.w.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t")
		x.w.WriteString(open.UTC().Format(zeekTime))
		x.w.WriteString("\n#fields")
		for _, f := range fields {
			x.w.WriteString("\t" + f[0])
		}
		x.w.WriteString("\n#types")
		for _, f := range fields {
			x.w.WriteString("\t" + f[1])
		}
		x.w.WriteByte('\n')
	case FormatTable:
		x.w.WriteString(tableHeader)
		if x.opt.FrameBytes {
			x.w.WriteString(" frames")
		}
		x.w.WriteByte('\n')
	}
}

// tableColumns are the table's column names and widths.
var tableColumns = []struct {
	name string
	w    int
}{{"ts", 27}, {"proto", 5}, {"orig", 47}, {"resp", 47}, {"service", 8}, {"duration", 15},
	{"orig pkts/bytes", 20}, {"resp pkts/bytes", 20}, {"state", 6}, {"history", 16}, {"facts", 0}}

var tableHeader = func() string {
	var b []byte
	for i, c := range tableColumns {
		s := len(b)
		b = append(b, c.name...)
		if i < len(tableColumns)-1 {
			b = pad(b, s, c.w)
		}
	}
	return string(b)
}()

// Write prints one record.
func (x *Writer) Write(r *Record) error {
	if x.err != nil {
		return x.err
	}
	if !x.started {
		x.header(r.TS)
	}
	b := x.b[:0]
	switch x.f {
	case FormatZeek:
		b = x.zeek(b, r)
	case FormatJSON:
		b = x.json(b, r)
	default:
		b = x.table(b, r)
	}
	x.b = b
	_, x.err = x.w.Write(b)
	return x.err
}

// Close ends the output (Zeek's #close line with the time end, the last
// packet's time, when not zero) and flushes it.
func (x *Writer) Close(end time.Time) error {
	if x.err != nil {
		return x.err
	}
	if !x.started {
		x.header(end)
	}
	if x.f == FormatZeek {
		x.w.WriteString("#close\t")
		x.w.WriteString(end.UTC().Format(zeekTime))
		x.w.WriteByte('\n')
	}
	return x.w.Flush()
}

// setBytes says whether Zeek would log duration and byte counts: only when
// the duration is above zero.
func setBytes(r *Record) bool { return r.Duration > 0 }

func appendEpoch(b []byte, t time.Time) []byte {
	ns := t.UnixNano()
	sec, frac := ns/1e9, ns%1e9
	if frac < 0 {
		sec--
		frac += 1e9
	}
	b = strconv.AppendInt(b, sec, 10)
	b = append(b, '.')
	us := frac / 1000
	for d := int64(100000); d > 0; d /= 10 {
		b = append(b, byte('0'+us/d%10))
	}
	return b
}

func appendSeconds(b []byte, d time.Duration) []byte {
	return strconv.AppendFloat(b, d.Seconds(), 'f', 6, 64)
}

// zeekString appends s escaped as Zeek's TSV writer does, or "(empty)".
func zeekString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "(empty)"...)
	}
	if s == "-" {
		return append(b, `\x2d`...)
	}
	const hexd = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '\\' {
			b = append(b, '\\', 'x', hexd[c>>4], hexd[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

func (x *Writer) zeek(b []byte, r *Record) []byte {
	opt := func(b []byte, s string) []byte {
		if s == "" {
			return append(b, '-')
		}
		return zeekString(b, s)
	}
	b = appendEpoch(b, r.TS)
	b = append(b, '\t')
	b = append(b, r.UID...)
	b = append(b, '\t')
	if r.Orig.IsValid() {
		b = r.Orig.Addr().AppendTo(b)
		b = append(b, '\t')
		b = strconv.AppendUint(b, uint64(r.Orig.Port()), 10)
		b = append(b, '\t')
		b = r.Resp.Addr().AppendTo(b)
		b = append(b, '\t')
		b = strconv.AppendUint(b, uint64(r.Resp.Port()), 10)
	} else {
		b = append(b, "-\t-\t-\t-"...)
	}
	b = append(b, '\t')
	b = append(b, r.Proto...)
	b = append(b, '\t')
	b = opt(b, r.Service)
	b = append(b, '\t')
	if setBytes(r) {
		b = appendSeconds(b, r.Duration)
		b = append(b, '\t')
		b = strconv.AppendInt(b, r.OrigBytes, 10)
		b = append(b, '\t')
		b = strconv.AppendInt(b, r.RespBytes, 10)
	} else {
		b = append(b, "-\t-\t-"...)
	}
	b = append(b, '\t')
	b = append(b, r.ConnState...)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.MissedBytes, 10)
	b = append(b, '\t')
	b = opt(b, r.History)
	for _, n := range [...]int64{r.OrigPkts, r.OrigIPBytes, r.RespPkts, r.RespIPBytes} {
		b = append(b, '\t')
		b = strconv.AppendInt(b, n, 10)
	}
	b = append(b, '\t')
	if r.Orig.IsValid() {
		b = strconv.AppendUint(b, uint64(r.IPProto), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, '\t')
	if r.VLANs > 0 {
		b = strconv.AppendUint(b, uint64(r.VLAN), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, '\t')
	if r.VLANs > 1 {
		b = strconv.AppendUint(b, uint64(r.InnerVLAN), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, '\t')
	if r.HasMAC {
		b = appendMAC(b, r.OrigMAC)
		b = append(b, '\t')
		b = appendMAC(b, r.RespMAC)
	} else {
		b = append(b, "-\t-"...)
	}
	for _, s := range [...]string{r.DNSQuery, r.ServerName, r.ALPN, r.HTTPHost} {
		b = append(b, '\t')
		b = opt(b, s)
	}
	if x.opt.FrameBytes {
		b = append(b, '\t')
		b = strconv.AppendInt(b, r.OrigFrameBytes, 10)
		b = append(b, '\t')
		b = strconv.AppendInt(b, r.RespFrameBytes, 10)
	}
	return append(b, '\n')
}

func appendMAC(b []byte, m [6]byte) []byte {
	const hexd = "0123456789abcdef"
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexd[c>>4], hexd[c&15])
	}
	return b
}

// jsonString appends s as a JSON string.
func jsonString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c >= 0x7f:
			b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func (x *Writer) json(b []byte, r *Record) []byte {
	str := func(b []byte, name, v string) []byte {
		if v == "" {
			return b
		}
		b = append(b, ",\""...)
		b = append(b, name...)
		b = append(b, "\":"...)
		return jsonString(b, v)
	}
	num := func(b []byte, name string, v int64) []byte {
		b = append(b, ",\""...)
		b = append(b, name...)
		b = append(b, "\":"...)
		return strconv.AppendInt(b, v, 10)
	}
	b = append(b, `{"ts":`...)
	b = appendEpoch(b, r.TS)
	b = str(b, "uid", r.UID)
	if r.Orig.IsValid() {
		b = str(b, "id.orig_h", r.Orig.Addr().String())
		b = num(b, "id.orig_p", int64(r.Orig.Port()))
		b = str(b, "id.resp_h", r.Resp.Addr().String())
		b = num(b, "id.resp_p", int64(r.Resp.Port()))
	}
	b = str(b, "proto", r.Proto)
	b = str(b, "service", r.Service)
	if setBytes(r) {
		b = append(b, `,"duration":`...)
		b = appendSeconds(b, r.Duration)
		b = num(b, "orig_bytes", r.OrigBytes)
		b = num(b, "resp_bytes", r.RespBytes)
	}
	b = str(b, "conn_state", r.ConnState)
	b = num(b, "missed_bytes", r.MissedBytes)
	b = str(b, "history", r.History)
	b = num(b, "orig_pkts", r.OrigPkts)
	b = num(b, "orig_ip_bytes", r.OrigIPBytes)
	b = num(b, "resp_pkts", r.RespPkts)
	b = num(b, "resp_ip_bytes", r.RespIPBytes)
	if r.Orig.IsValid() {
		b = num(b, "ip_proto", int64(r.IPProto))
	}
	if r.VLANs > 0 {
		b = num(b, "vlan", int64(r.VLAN))
	}
	if r.VLANs > 1 {
		b = num(b, "inner_vlan", int64(r.InnerVLAN))
	}
	if r.HasMAC {
		b = str(b, "orig_l2_addr", MAC(r.OrigMAC))
		b = str(b, "resp_l2_addr", MAC(r.RespMAC))
	}
	b = str(b, "dns_query", r.DNSQuery)
	b = str(b, "ssl_server_name", r.ServerName)
	b = str(b, "ssl_alpn", r.ALPN)
	b = str(b, "http_host", r.HTTPHost)
	if x.opt.FrameBytes {
		b = num(b, "orig_frame_bytes", r.OrigFrameBytes)
		b = num(b, "resp_frame_bytes", r.RespFrameBytes)
	}
	return append(b, "}\n"...)
}

// pad appends spaces up to column width w (counted from start).
func pad(b []byte, start, w int) []byte {
	for len(b)-start < w {
		b = append(b, ' ')
	}
	return append(b, ' ')
}

func appendEndpoint(b []byte, ap netip.AddrPort, r *Record, orig bool) []byte {
	switch {
	case ap.IsValid() && r.Proto == "unknown_transport" && r.IPProto != protoSCTP:
		return ap.Addr().AppendTo(b)
	case ap.IsValid():
		if ap.Addr().Is6() {
			b = append(b, '[')
			b = ap.Addr().AppendTo(b)
			b = append(b, ']')
		} else {
			b = ap.Addr().AppendTo(b)
		}
		b = append(b, ':')
		return strconv.AppendUint(b, uint64(ap.Port()), 10)
	case r.HasMAC && orig:
		return appendMAC(b, r.OrigMAC)
	case r.HasMAC:
		return appendMAC(b, r.RespMAC)
	}
	return append(b, '-')
}

func (x *Writer) table(b []byte, r *Record) []byte {
	s := len(b)
	b = r.TS.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	b = pad(b, s, 27)
	s = len(b)
	if r.Proto == "unknown_transport" {
		b = append(b, "ip/"...)
		b = strconv.AppendUint(b, uint64(r.IPProto), 10)
	} else {
		b = append(b, r.Proto...)
	}
	b = pad(b, s, 5)
	s = len(b)
	b = appendEndpoint(b, r.Orig, r, true)
	b = pad(b, s, 47)
	s = len(b)
	b = appendEndpoint(b, r.Resp, r, false)
	b = pad(b, s, 47)
	s = len(b)
	if r.Service == "" {
		b = append(b, '-')
	} else {
		b = append(b, r.Service...)
	}
	b = pad(b, s, 8)
	s = len(b)
	b = appendSeconds(b, r.Duration)
	b = pad(b, s, 15)
	for _, v := range [...][2]int64{{r.OrigPkts, r.OrigBytes}, {r.RespPkts, r.RespBytes}} {
		s = len(b)
		b = strconv.AppendInt(b, v[0], 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, v[1], 10)
		b = pad(b, s, 20)
	}
	s = len(b)
	b = append(b, r.ConnState...)
	b = pad(b, s, 6)
	s = len(b)
	if r.History == "" {
		b = append(b, '-')
	} else {
		b = append(b, r.History...)
	}
	b = pad(b, s, 16)
	facts := false
	fact := func(b []byte, name, v string) []byte {
		if v == "" {
			return b
		}
		if facts {
			b = append(b, ' ')
		}
		facts = true
		b = append(b, name...)
		b = append(b, '=')
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c <= 0x20 || c >= 0x7f {
				c = '?'
			}
			b = append(b, c)
		}
		return b
	}
	if r.VLANs > 0 {
		b = fact(b, "vlan", strconv.Itoa(int(r.VLAN)))
	}
	if r.VLANs > 1 {
		b = fact(b, "inner_vlan", strconv.Itoa(int(r.InnerVLAN)))
	}
	b = fact(b, "query", r.DNSQuery)
	b = fact(b, "sni", r.ServerName)
	b = fact(b, "alpn", r.ALPN)
	b = fact(b, "host", r.HTTPHost)
	if !facts {
		b = append(b, '-')
	}
	if x.opt.FrameBytes {
		b = append(b, ' ')
		b = strconv.AppendInt(b, r.OrigFrameBytes, 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, r.RespFrameBytes, 10)
	}
	return append(b, '\n')
}
