package http

import (
	"net/netip"
	"strings"
	"time"
)

// Field is one header field, as sent.
type Field struct {
	Name, Value string
}

// Message is one HTTP request or response.
type Message struct {
	// Request line (requests only).
	Method, URL string
	// Status line (responses only).
	Status int
	Reason string
	// Proto is the version, such as "HTTP/1.1".
	Proto string
	// Header holds the fields in the order sent; obsolete line folding is
	// joined with a space.
	Header []Field
	// UnknownHeaders counts HTTP/2 header fields that could not be read:
	// fields that use HPACK dynamic table entries added before the capture
	// began or before bytes were lost (left out of Header), plus one when
	// the block failed to decode (its fields after the failure are
	// unknown). Transaction.Note then says why.
	UnknownHeaders int
	// HeaderBytes counts the start line, the fields and the empty line.
	HeaderBytes int
	// BodyBytes counts the body as sent (chunk framing included).
	BodyBytes int64
	// ContentBytes counts the body with its transfer coding removed.
	ContentBytes int64
	// Chunked is set when the body used chunked transfer coding.
	Chunked bool
	// Body is the content with its content coding undone, kept only with
	// Config.KeepBodies; BodyTruncated says it holds less than the content
	// (a cap was reached, or bytes were missing).
	Body          []byte
	BodyTruncated bool
	// DecodedBytes is len(Body) when the whole body was kept and decoded,
	// else -1.
	DecodedBytes int64
	// DecodeError says why a content coding was not undone (a coding
	// wirekit does not decode, or data that fails to decode or to pass its
	// check, such as a gzip CRC-32); "" when Body is fully decoded.
	DecodeError string
	// BodyEncoding lists the codings still applied to Body, in the order
	// they were applied (as Content-Encoding lists them, such as "gzip"),
	// when one could not be undone and nothing came out of it: Body then
	// holds the bytes as sent (transfer framing removed), not the content.
	// It is "" when Body is decoded, or decoded as far as it goes (a cut or
	// damaged body: DecodeError and BodyTruncated are set then).
	BodyEncoding string
	// Missing counts bytes of this message lost in capture gaps.
	Missing int64
	// Complete is set when the message ended where its framing says, not
	// cut by a gap or the end of the connection.
	Complete bool
	// Start is the capture time of the message's first byte, End of its
	// last.
	Start, End time.Time
	// Trailer holds HTTP/2 trailer fields (a second HEADERS frame), such
	// as gRPC's grpc-status and grpc-message.
	Trailer []Field
	// GRPCMessages lists the length-prefixed messages of a gRPC body
	// (Content-Type application/grpc...), in order.
	GRPCMessages []GRPCMessage
}

// GRPCMessage is one message of a gRPC stream: its length as sent and
// whether it was compressed (the grpc-encoding header names how).
type GRPCMessage struct {
	Compressed bool  `json:"compressed,omitempty"`
	Length     int64 `json:"length"`
}

// Get returns the value of the first field named name (case-insensitive),
// or "". For an HTTP/2 request without a Host field, Get("Host") returns
// the :authority pseudo-header.
func (m *Message) Get(name string) string {
	for _, f := range m.Header {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	if strings.EqualFold(name, "Host") {
		return m.Get(":authority")
	}
	for _, f := range m.Trailer {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Transaction is a request and its response. Either may be nil: a response
// whose request was not captured, or a request that got no response before
// its connection ended.
type Transaction struct {
	// Conn is the connection's stream.Conn ID; Index numbers the
	// transactions of a connection from 0 in request order.
	Conn           uint64
	Index          int
	Client, Server netip.AddrPort
	Request        *Message
	Response       *Message
	// Note says what cut an HTTP/2 stream short (RST_STREAM with its
	// error code, GOAWAY, header compression failing, bytes lost) or what
	// of it could not be read (NoteMidConnection), or "".
	Note string
	// At is the capture time of what Note reports (a stream opened, a
	// connection's end), for a transaction with neither message; Span
	// gives it then.
	At time.Time

	reqDone, respDone bool
	reqStart          int64 // offset of the request in the client's stream
	respAck           int64 // client offset the early response acknowledged
}

// Stats counts what a Parser saw.
type Stats struct {
	Requests       int64 // requests parsed (complete or not)
	Responses      int64 // responses parsed, 1xx excluded
	Interim        int64 // 1xx responses skipped
	Unanswered     int64 // requests emitted without a response
	Unrequested    int64 // responses emitted without a request
	Resyncs        int64 // times parsing lost its place and searched for the next message
	SkippedBytes   int64 // bytes passed over while searching, or after parsing stopped
	HeaderTooBig   int64 // header sections over MaxHeaderBytes
	Upgraded       int64 // connections that left HTTP (101, CONNECT)
	NotHTTP        int64 // directions whose first bytes were not HTTP
	HTTP2          int64 // connections read as HTTP/2 (prior knowledge, Upgrade: h2c, or picked up mid-connection)
	HTTP2Mid       int64 // HTTP/2 connections picked up mid-connection (their start not captured)
	UnknownHeaders int64 // HTTP/2 header fields not read (Message.UnknownHeaders)
	PendingCapHit  int64 // requests emitted unanswered because MaxPending was reached
}
