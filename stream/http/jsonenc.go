package http

import (
	"math"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendRecord appends the JSON line of tx: the bytes encoding/json gives
// for Record(tx) (HTML escaping off, a newline at the end), without
// building the record or reflecting on it. TestAppendRecordMatchesJSON
// holds the two to the same bytes.
func appendRecord(b []byte, tx *Transaction) []byte {
	b = append(b, `{"conn":`...)
	b = strconv.AppendUint(b, tx.Conn, 10)
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(tx.Index), 10)
	b = append(b, `,"client":`...)
	b = appendAddrPort(b, tx)
	q, s := tx.Request, tx.Response
	note := tx.Note
	if q != nil {
		b = appendField(b, "method", q.Method)
		b = appendField(b, "url", q.URL)
		b = appendField(b, "host", q.Get("Host"))
	} else if note == "" {
		note = "no request"
	}
	if s != nil && s.Status != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(s.Status), 10)
	}
	if s == nil && tx.Note == "" {
		note = "no response"
	}
	start, end := tx.Span()
	b = append(b, `,"start":`...)
	b = appendStamp(b, start)
	if s != nil {
		b = append(b, `,"first_byte":`...)
		b = appendStamp(b, s.Start)
	}
	b = append(b, `,"end":`...)
	b = appendStamp(b, end)
	b = append(b, `,"duration_ms":`...)
	b = appendFloat(b, float64(end.Sub(start))/float64(time.Millisecond))
	b = appendField(b, "note", note)
	if g := GRPC(tx); g != nil {
		b = append(b, `,"grpc":{"service":`...)
		b = appendString(b, g.Service)
		b = append(b, `,"method":`...)
		b = appendString(b, g.Method)
		if g.Status != nil {
			b = append(b, `,"status":`...)
			b = strconv.AppendInt(b, int64(*g.Status), 10)
		}
		b = appendField(b, "message", g.Message)
		b = append(b, '}')
	}
	if q != nil {
		b = append(b, `,"request":`...)
		b = appendMsg(b, q)
	}
	if s != nil {
		b = append(b, `,"response":`...)
		b = appendMsg(b, s)
	}
	return append(b, '}', '\n')
}

func appendAddrPort(b []byte, tx *Transaction) []byte {
	for i, ap := range [2]netip.AddrPort{tx.Client, tx.Server} {
		if i == 1 {
			b = append(b, `,"server":`...)
		}
		b = append(b, '"') // addresses and ports need no escaping
		if ap.IsValid() {
			b = ap.AppendTo(b)
		} else {
			b = append(b, ap.String()...)
		}
		b = append(b, '"')
	}
	return b
}

// appendMsg appends a MsgRecord's JSON.
func appendMsg(b []byte, m *Message) []byte {
	b = append(b, `{"proto":`...)
	b = appendString(b, m.Proto)
	b = appendField(b, "reason", m.Reason)
	b = append(b, `,"headers":[`...)
	b = appendPairs(b, m.Header)
	b = append(b, ']')
	if m.UnknownHeaders != 0 {
		b = append(b, `,"unknown_headers":`...)
		b = strconv.AppendInt(b, int64(m.UnknownHeaders), 10)
	}
	b = append(b, `,"header_bytes":`...)
	b = strconv.AppendInt(b, int64(m.HeaderBytes), 10)
	b = append(b, `,"body_bytes":`...)
	b = strconv.AppendInt(b, m.BodyBytes, 10)
	b = append(b, `,"content_bytes":`...)
	b = strconv.AppendInt(b, m.ContentBytes, 10)
	if m.DecodedBytes >= 0 {
		b = append(b, `,"decoded_bytes":`...)
		b = strconv.AppendInt(b, m.DecodedBytes, 10)
	}
	if m.Chunked {
		b = append(b, `,"chunked":true`...)
	}
	b = appendField(b, "content_encoding", m.Get("Content-Encoding"))
	b = appendField(b, "content_type", m.Get("Content-Type"))
	b = appendField(b, "decode_error", m.DecodeError)
	b = appendField(b, "body_encoding", m.BodyEncoding)
	if m.Missing != 0 {
		b = append(b, `,"missing_bytes":`...)
		b = strconv.AppendInt(b, m.Missing, 10)
	}
	b = append(b, `,"complete":`...)
	b = strconv.AppendBool(b, m.Complete)
	b = append(b, `,"start":`...)
	b = appendStamp(b, m.Start)
	b = append(b, `,"end":`...)
	b = appendStamp(b, m.End)
	if len(m.Trailer) > 0 {
		b = append(b, `,"trailers":[`...)
		b = appendPairs(b, m.Trailer)
		b = append(b, ']')
	}
	if len(m.GRPCMessages) > 0 {
		b = append(b, `,"grpc_messages":[`...)
		for i, g := range m.GRPCMessages {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if g.Compressed {
				b = append(b, `"compressed":true,`...)
			}
			b = append(b, `"length":`...)
			b = strconv.AppendInt(b, g.Length, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendPairs(b []byte, fs []Field) []byte {
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, f.Name)
		b = append(b, ',')
		b = appendString(b, f.Value)
		b = append(b, ']')
	}
	return b
}

// appendField appends ,"name":"v" unless v is empty (omitempty).
func appendField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

// appendStamp appends t as a quoted RFC 3339 time in UTC with the
// fraction's trailing zeros cut, the bytes t.UTC().Format(time.RFC3339Nano)
// gives, without parsing a layout (seven stamps a transaction).
func appendStamp(b []byte, t time.Time) []byte {
	b = append(b, '"')
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	}
	hour, minute, sec := t.Clock()
	b = append4(b, year)
	b = append(b, '-')
	b = append2(b, int(month))
	b = append(b, '-')
	b = append2(b, day)
	b = append(b, 'T')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, sec)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z', '"')
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendFloat formats f as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0') // encoding/json would fail; durations are finite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendString appends s as a JSON string, escaped as encoding/json does
// with HTML escaping off: quote, backslash and control characters
// escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 as \u escapes.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
