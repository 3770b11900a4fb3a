// Package http reads HTTP/1.0 and HTTP/1.1 transactions out of reassembled
// TCP connections (package stream) and writes them as HAR 1.2 or JSON
// Lines.
//
// A Parser is a stream.Handler: give it to stream.New and it calls its emit
// function with each Transaction, a request paired with its response, as
// soon as both are complete. Requests and responses are paired in order on
// each connection, so pipelined and keep-alive requests pair correctly. A
// response whose request was not captured (the capture started
// mid-connection) is emitted with a nil Request, and a request still
// unanswered when its connection ends with a nil Response. A response
// captured before its request (the two directions reordered in the
// capture: its packet acknowledges request bytes not yet seen, see
// stream.Chunk.PeerAcked) waits for that request rather than being reported
// without one. After a gap that made the parser lose its place in the
// responses, a response is paired with the newest request that began before
// the bytes its packet acknowledges, and the requests before that are
// reported without a response, rather than shifting every later pair by
// one.
//
// Message bodies are framed by Content-Length, chunked transfer coding, or
// the end of the connection (responses only), as RFC 9112 section 6 says;
// responses to HEAD, and 1xx, 204 and 304 responses, have none. 1xx
// interim responses (100 Continue) are skipped; a 101 Switching Protocols
// response or a successful CONNECT ends HTTP parsing on that connection.
// With Config.KeepBodies, bodies are kept (up to Config.MaxBodyBytes) with
// their transfer codings removed (chunked, and gzip, x-gzip, deflate,
// zstd or br before it) and gzip, x-gzip, deflate, zstd or br content
// coding undone; another coding is left as it is, which the message's
// DecodeError says. A body that fails to decode (corrupt data, a gzip
// CRC-32 or length that does not match) has DecodeError set and is kept
// decoded as far as it went, marked BodyTruncated, or, when nothing came
// out, as sent with Message.BodyEncoding naming the codings still on it.
//
// Capture gaps: bytes lost inside a body of known length are counted in
// Message.Missing and the body stays in step; a gap anywhere else (headers,
// chunk framing) ends the current message as incomplete, and parsing
// resumes at the next line that starts a request (a known method) or a
// response ("HTTP/1."). Nothing is invented: a kept body with a gap is
// marked incomplete, never filled.
//
// Memory is bounded: headers larger than Config.MaxHeaderBytes end parsing
// of that direction, at most Config.MaxPending requests wait for responses
// on a connection, and bodies are kept only up to Config.MaxBodyBytes each
// and Config.MaxBodiesTotal for all messages in progress together.
package http
