package tables

import (
	"io"
	"strings"

	whttp "github.com/wirekit/wirekit/stream/http"
)

// HTTPRow is one row of the http table: one transaction, as 'wirekit http
// --jsonl' writes it (after --redact and the selection flags), flattened:
// the JSONL's host, url and status at the top, each message's sizes and
// header names beside them. Start and End are the transaction's first
// and last byte, FirstByte the response's first byte (NULL without a
// response); durations are nanoseconds. Sizes of a message that is
// absent are 0 and its complete flag false, and Note says "no request" or
// "no response" as in the JSONL. Header names are listed in the order
// sent, repeated names repeated, HTTP/2 pseudo-headers (":path") included.
type HTTPRow struct {
	Conn       int64 `parquet:"conn"`
	Index      int32 `parquet:"index"`
	Start      int64 `parquet:"start,timestamp(microsecond)"`
	FirstByte  int64 `parquet:"first_byte,optional,timestamp(microsecond)"`
	End        int64 `parquet:"end,timestamp(microsecond)"`
	DurationNS int64 `parquet:"duration_ns"`

	ClientAddr []byte `parquet:"client_addr,string"`
	ClientPort int32  `parquet:"client_port"`
	ServerAddr []byte `parquet:"server_addr,string"`
	ServerPort int32  `parquet:"server_port"`

	Method []byte `parquet:"method,optional,string,dict"`
	Host   []byte `parquet:"host,optional,string,dict"`
	URL    []byte `parquet:"url,optional,string"`
	Path   []byte `parquet:"path,optional,string"`
	Status int32  `parquet:"status,optional"`
	Proto  []byte `parquet:"proto,optional,string,dict"`

	RequestHeaderBytes   int64 `parquet:"request_header_bytes"`
	RequestBodyBytes     int64 `parquet:"request_body_bytes"`
	RequestContentBytes  int64 `parquet:"request_content_bytes"`
	RequestComplete      bool  `parquet:"request_complete"`
	ResponseHeaderBytes  int64 `parquet:"response_header_bytes"`
	ResponseBodyBytes    int64 `parquet:"response_body_bytes"`
	ResponseContentBytes int64 `parquet:"response_content_bytes"`
	ResponseComplete     bool  `parquet:"response_complete"`

	ContentType         []byte   `parquet:"content_type,optional,string,dict"`
	Note                []byte   `parquet:"note,optional,string"`
	RequestHeaderNames  []string `parquet:"request_header_names,list"`
	ResponseHeaderNames []string `parquet:"response_header_names,list"`

	GRPCService []byte `parquet:"grpc_service,optional,string,dict"`
	GRPCMethod  []byte `parquet:"grpc_method,optional,string,dict"`
	GRPCStatus  *int32 `parquet:"grpc_status"`

	grpcStatus int32
	a          arena // the row's string bytes
}

// HTTPWriter writes the http table.
type HTTPWriter struct{ w *writer[HTTPRow] }

// NewHTTPWriter returns a writer of the http table to w. Close writes the
// footer; w itself is not closed.
func NewHTTPWriter(w io.Writer, opt *Options) *HTTPWriter {
	return &HTTPWriter{newWriter[HTTPRow](w, opt)}
}

// Write adds one transaction's row. It writes tx as it is: redact and
// select before (as the CLI does for every output). Its errors are the
// output's (wrapped), or ErrClosed after Close.
func (x *HTTPWriter) Write(tx *whttp.Transaction) error {
	r, err := x.w.next()
	if err != nil {
		return err
	}
	r.a = r.a[:0]
	r.Conn, r.Index = int64(tx.Conn), int32(tx.Index)
	start, end := tx.Span()
	r.Start, r.End = start.UnixMicro(), end.UnixMicro()
	r.DurationNS = int64(end.Sub(start))
	r.ClientAddr = r.a.addr(tx.Client.Addr())
	r.ClientPort = int32(tx.Client.Port())
	r.ServerAddr = r.a.addr(tx.Server.Addr())
	r.ServerPort = int32(tx.Server.Port())

	note := ""
	r.Method, r.Host, r.URL, r.Path, r.Proto = nil, nil, nil, nil, nil
	r.RequestHeaderBytes, r.RequestBodyBytes, r.RequestContentBytes, r.RequestComplete = 0, 0, 0, false
	r.RequestHeaderNames = r.RequestHeaderNames[:0]
	if q := tx.Request; q != nil {
		r.Method = r.a.str(q.Method)
		r.Host = r.a.str(q.Get("Host"))
		r.URL = r.a.str(q.URL)
		p := q.URL
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		r.Path = r.a.str(p)
		r.Proto = r.a.str(q.Proto)
		r.RequestHeaderBytes, r.RequestBodyBytes, r.RequestContentBytes = int64(q.HeaderBytes), q.BodyBytes, q.ContentBytes
		r.RequestComplete = q.Complete
		r.RequestHeaderNames = appendNames(r.RequestHeaderNames, q.Header)
	} else {
		note = "no request"
	}
	r.Status, r.FirstByte, r.ContentType = 0, 0, nil
	r.ResponseHeaderBytes, r.ResponseBodyBytes, r.ResponseContentBytes, r.ResponseComplete = 0, 0, 0, false
	r.ResponseHeaderNames = r.ResponseHeaderNames[:0]
	if s := tx.Response; s != nil {
		r.Status = int32(s.Status)
		r.FirstByte = micros(s.Start)
		if len(r.Proto) == 0 {
			r.Proto = r.a.str(s.Proto)
		}
		r.ContentType = r.a.str(s.Get("Content-Type"))
		r.ResponseHeaderBytes, r.ResponseBodyBytes, r.ResponseContentBytes = int64(s.HeaderBytes), s.BodyBytes, s.ContentBytes
		r.ResponseComplete = s.Complete
		r.ResponseHeaderNames = appendNames(r.ResponseHeaderNames, s.Header)
	} else {
		note = "no response"
	}
	if tx.Note != "" {
		note = tx.Note
	}
	r.Note = r.a.str(note)
	r.GRPCService, r.GRPCMethod, r.GRPCStatus = nil, nil, nil
	if g := whttp.GRPC(tx); g != nil {
		r.GRPCService = r.a.str(g.Service)
		r.GRPCMethod = r.a.str(g.Method)
		if g.Status != nil {
			r.grpcStatus = int32(*g.Status)
			r.GRPCStatus = &r.grpcStatus
		}
	}
	return x.w.commit()
}

// Rows returns the number of rows written so far.
func (x *HTTPWriter) Rows() int64 { return x.w.count }

// Close writes the rows still buffered and the file's footer. The file
// is valid only after Close returns nil.
func (x *HTTPWriter) Close() error { return x.w.close() }

func appendNames(dst []string, h []whttp.Field) []string {
	for _, f := range h {
		dst = append(dst, f.Name)
	}
	return dst
}
