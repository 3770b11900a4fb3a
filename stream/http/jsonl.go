package http

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// JSONLWriter writes one JSON object per transaction (JSON Lines). Strings
// from the wire are escaped as encoding/json does (control characters
// below U+0020, invalid UTF-8 as U+FFFD), and DEL and the C1 controls
// (U+0080 to U+009F) as \u007f..\u009f too, so that no line can drive a
// terminal.
type JSONLWriter struct {
	w    *bufio.Writer
	buf  bytes.Buffer
	enc  *json.Encoder
	line []byte // a transaction's line, reused
}

// NewJSONLWriter returns a writer to w. Call Flush at the end.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	j := &JSONLWriter{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}

// Write writes one transaction as a line. Errors come from the underlying
// writer.
func (j *JSONLWriter) Write(tx *Transaction) error {
	j.line = appendRecord(j.line[:0], tx)
	if _, err := j.w.Write(escapeControls(j.line)); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}

// WriteConn writes a connection record: {"type":"tls", "conn", "client",
// "server", "start", "tls": facts} for a connection whose bytes are TLS, so
// that an encrypted API is listed by host. facts is any JSON-encodable
// value (tlsinfo.Facts in wirekit). Errors come from the underlying writer.
func (j *JSONLWriter) WriteConn(kind string, conn uint64, client, server netip.AddrPort, start time.Time, facts any) error {
	j.buf.Reset()
	rec := struct {
		Type   string `json:"type"`
		Conn   uint64 `json:"conn"`
		Client string `json:"client"`
		Server string `json:"server"`
		Start  string `json:"start"`
		TLS    any    `json:"tls,omitempty"`
	}{kind, conn, client.String(), server.String(), stamp(start), facts}
	if err := j.enc.Encode(rec); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	if _, err := j.w.Write(escapeControls(j.buf.Bytes())); err != nil {
		return fmt.Errorf("jsonl: %w", err)
	}
	return nil
}

// Flush writes out buffered lines.
func (j *JSONLWriter) Flush() error { return j.w.Flush() }

// TxRecord is the JSON form of a Transaction used by JSONLWriter: the
// fields people filter on at the top, each message below.
type TxRecord struct {
	Conn      uint64      `json:"conn"`
	Index     int         `json:"index"`
	Client    string      `json:"client"`
	Server    string      `json:"server"`
	Method    string      `json:"method,omitempty"`
	URL       string      `json:"url,omitempty"`
	Host      string      `json:"host,omitempty"`
	Status    int         `json:"status,omitempty"`
	Start     string      `json:"start"`
	FirstByte string      `json:"first_byte,omitempty"`
	End       string      `json:"end"`
	Duration  float64     `json:"duration_ms"`
	Note      string      `json:"note,omitempty"`
	GRPC      *GRPCRecord `json:"grpc,omitempty"`
	Request   *MsgRecord  `json:"request,omitempty"`
	Response  *MsgRecord  `json:"response,omitempty"`
}

// MsgRecord is the JSON form of a Message.
type MsgRecord struct {
	Proto        string        `json:"proto"`
	Reason       string        `json:"reason,omitempty"`
	Headers      [][2]string   `json:"headers"`
	Unknown      int           `json:"unknown_headers,omitempty"`
	HeaderBytes  int           `json:"header_bytes"`
	BodyBytes    int64         `json:"body_bytes"`
	ContentBytes int64         `json:"content_bytes"`
	DecodedBytes *int64        `json:"decoded_bytes,omitempty"`
	Chunked      bool          `json:"chunked,omitempty"`
	Encoding     string        `json:"content_encoding,omitempty"`
	ContentType  string        `json:"content_type,omitempty"`
	DecodeError  string        `json:"decode_error,omitempty"`
	BodyEncoding string        `json:"body_encoding,omitempty"`
	Missing      int64         `json:"missing_bytes,omitempty"`
	Complete     bool          `json:"complete"`
	Start        string        `json:"start"`
	End          string        `json:"end"`
	Trailers     [][2]string   `json:"trailers,omitempty"`
	GRPCMessages []GRPCMessage `json:"grpc_messages,omitempty"`
}

// GRPCRecord is the gRPC view of a transaction: the method called (from
// the request path /package.Service/Method) and the status the trailers
// (or a trailers-only response) gave.
type GRPCRecord struct {
	Service string `json:"service"`
	Method  string `json:"method"`
	Status  *int   `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

// GRPC returns the gRPC view of tx, or nil when its request is not gRPC.
func GRPC(tx *Transaction) *GRPCRecord {
	q := tx.Request
	if q == nil || !strings.HasPrefix(q.Get("Content-Type"), "application/grpc") {
		return nil
	}
	path := strings.TrimPrefix(q.URL, "/")
	svc, method, _ := strings.Cut(path, "/")
	g := &GRPCRecord{Service: svc, Method: method}
	if s := tx.Response; s != nil {
		if v := s.Get("grpc-status"); v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				g.Status = &n
			}
		}
		g.Message = s.Get("grpc-message")
	}
	return g
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func msgRecord(m *Message) *MsgRecord {
	if m == nil {
		return nil
	}
	r := &MsgRecord{Proto: m.Proto, Reason: m.Reason, Headers: make([][2]string, len(m.Header)),
		Unknown: m.UnknownHeaders, HeaderBytes: m.HeaderBytes, BodyBytes: m.BodyBytes, ContentBytes: m.ContentBytes,
		Chunked: m.Chunked, Encoding: m.Get("Content-Encoding"), ContentType: m.Get("Content-Type"),
		DecodeError: m.DecodeError, BodyEncoding: m.BodyEncoding, Missing: m.Missing, Complete: m.Complete,
		Start: stamp(m.Start), End: stamp(m.End)}
	for i, f := range m.Header {
		r.Headers[i] = [2]string{f.Name, f.Value}
	}
	for _, f := range m.Trailer {
		r.Trailers = append(r.Trailers, [2]string{f.Name, f.Value})
	}
	r.GRPCMessages = m.GRPCMessages
	if m.DecodedBytes >= 0 {
		n := m.DecodedBytes
		r.DecodedBytes = &n
	}
	return r
}

// Record returns the JSON form of tx.
func Record(tx *Transaction) *TxRecord {
	r := &TxRecord{Conn: tx.Conn, Index: tx.Index, Client: tx.Client.String(), Server: tx.Server.String(),
		Request: msgRecord(tx.Request), Response: msgRecord(tx.Response)}
	start, end := tx.Span()
	r.Start, r.End = stamp(start), stamp(end)
	r.Duration = float64(end.Sub(start)) / float64(time.Millisecond)
	if q := tx.Request; q != nil {
		r.Method, r.URL, r.Host = q.Method, q.URL, q.Get("Host")
	} else {
		r.Note = "no request"
	}
	if s := tx.Response; s != nil {
		r.Status = s.Status
		r.FirstByte = stamp(s.Start)
	} else {
		r.Note = "no response"
	}
	if tx.Note != "" {
		r.Note = tx.Note
	}
	r.GRPC = GRPC(tx)
	return r
}

// Span returns the time of the transaction's first byte and of its last;
// for a transaction with neither message, At (both times).
func (tx *Transaction) Span() (start, end time.Time) {
	if tx.Request == nil && tx.Response == nil {
		return tx.At, tx.At
	}
	for _, m := range []*Message{tx.Request, tx.Response} {
		if m == nil {
			continue
		}
		if start.IsZero() || m.Start.Before(start) {
			start = m.Start
		}
		if m.End.After(end) {
			end = m.End
		}
	}
	return start, end
}
