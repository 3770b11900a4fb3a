package http

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// HARWriter writes transactions as an HTTP Archive (HAR 1.2), one entry
// per transaction, streaming: entries are written as they come and the
// archive is closed by Close.
type HARWriter struct {
	w       *bufio.Writer
	n       int
	err     error
	creator string
}

// NewHARWriter starts an archive on w; version names the creator's
// version.
func NewHARWriter(w io.Writer, version string) *HARWriter {
	h := &HARWriter{w: bufio.NewWriterSize(w, 64<<10)}
	head := map[string]any{"name": "wirekit", "version": version}
	b, _ := json.Marshal(head)
	fmt.Fprintf(h.w, "{\"log\":{\"version\":\"1.2\",\"creator\":%s,\"pages\":[],\"entries\":[", b)
	return h
}

// Write adds one transaction as an entry. A transaction with neither a
// request nor a response (only a Note, such as an HTTP/2 header block cut
// by the connection's end) is an entry with an empty request and response
// whose comment is the note, at the time the note applies (Transaction.At).
// The entry's comment carries Transaction.Note.
func (h *HARWriter) Write(tx *Transaction) error {
	if h.err != nil {
		return h.err
	}
	b, err := json.Marshal(entry(tx))
	if err != nil {
		h.err = fmt.Errorf("har: %w", err)
		return h.err
	}
	if h.n > 0 {
		h.w.WriteByte(',')
	}
	h.w.WriteString("\n")
	_, h.err = h.w.Write(escapeControls(b))
	h.n++
	return h.err
}

// Close ends the archive and flushes it (it does not close the underlying
// writer).
func (h *HARWriter) Close() error {
	if h.err != nil {
		return h.err
	}
	h.w.WriteString("\n]}}\n")
	return h.w.Flush()
}

// HAR 1.2 objects (http://www.softwareishard.com/blog/har-12-spec/).
type (
	harEntry struct {
		StartedDateTime string      `json:"startedDateTime"`
		Time            float64     `json:"time"`
		Request         harRequest  `json:"request"`
		Response        harResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         harTimings  `json:"timings"`
		ServerIPAddress string      `json:"serverIPAddress,omitempty"`
		Connection      string      `json:"connection,omitempty"`
		Comment         string      `json:"comment,omitempty"`
	}
	harNV struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	harRequest struct {
		Method      string       `json:"method"`
		URL         string       `json:"url"`
		HTTPVersion string       `json:"httpVersion"`
		Cookies     []harNV      `json:"cookies"`
		Headers     []harNV      `json:"headers"`
		QueryString []harNV      `json:"queryString"`
		PostData    *harPostData `json:"postData,omitempty"`
		HeadersSize int          `json:"headersSize"`
		BodySize    int64        `json:"bodySize"`
	}
	harPostData struct {
		MimeType string  `json:"mimeType"`
		Params   []harNV `json:"params"`
		Text     string  `json:"text"`
	}
	harResponse struct {
		Status      int        `json:"status"`
		StatusText  string     `json:"statusText"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []harNV    `json:"cookies"`
		Headers     []harNV    `json:"headers"`
		Content     harContent `json:"content"`
		RedirectURL string     `json:"redirectURL"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int64      `json:"bodySize"`
	}
	harContent struct {
		Size        int64  `json:"size"`
		Compression int64  `json:"compression,omitempty"`
		MimeType    string `json:"mimeType"`
		Text        string `json:"text,omitempty"`
		Encoding    string `json:"encoding,omitempty"`
		Comment     string `json:"comment,omitempty"`
	}
	harTimings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
)

func ms(d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return float64(d) / float64(time.Millisecond)
}

func harHeaders(m *Message) []harNV {
	out := make([]harNV, 0, len(m.Header))
	for _, f := range m.Header {
		out = append(out, harNV{f.Name, f.Value})
	}
	return out
}

// harCookies reads Cookie request fields (name=value pairs).
func harCookies(m *Message, field string) []harNV {
	out := []harNV{}
	for _, f := range m.Header {
		if !strings.EqualFold(f.Name, field) {
			continue
		}
		parts := strings.Split(f.Value, ";")
		if field == "Set-Cookie" {
			parts = parts[:1]
		}
		for _, p := range parts {
			if n, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
				out = append(out, harNV{n, v})
			}
		}
	}
	return out
}

// entry returns the HAR entry of a transaction, before encoding.
func entry(tx *Transaction) harEntry {
	e := harEntry{Connection: fmt.Sprint(tx.Conn)}
	if tx.Server.IsValid() {
		e.ServerIPAddress = tx.Server.Addr().String()
	}
	start, _ := tx.Span()
	e.StartedDateTime = start.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	q, s := tx.Request, tx.Response
	var notes []string
	if q != nil {
		e.Request = harRequest{Method: q.Method, URL: absURL(q, tx), HTTPVersion: q.Proto,
			Cookies: harCookies(q, "Cookie"), Headers: harHeaders(q), QueryString: query(q.URL),
			HeadersSize: q.HeaderBytes, BodySize: q.ContentBytes}
		if q.ContentBytes > 0 {
			pd := &harPostData{MimeType: q.Get("Content-Type"), Params: []harNV{}}
			if q.Body != nil {
				pd.Text = string(q.Body)
			}
			e.Request.PostData = pd
		}
		if !q.Complete {
			notes = append(notes, "request incomplete")
		}
	} else {
		e.Request = harRequest{URL: "http://" + tx.Server.String() + "/", Cookies: []harNV{}, Headers: []harNV{},
			QueryString: []harNV{}, HeadersSize: -1, BodySize: -1}
		notes = append(notes, "request not captured")
	}
	if s != nil {
		e.Response = harResponse{Status: s.Status, StatusText: s.Reason, HTTPVersion: s.Proto,
			Cookies: harCookies(s, "Set-Cookie"), Headers: harHeaders(s), RedirectURL: s.Get("Location"),
			HeadersSize: s.HeaderBytes, BodySize: s.ContentBytes, Content: content(s)}
		if !s.Complete {
			notes = append(notes, "response incomplete")
		}
	} else {
		e.Response = harResponse{Cookies: []harNV{}, Headers: []harNV{}, HeadersSize: -1, BodySize: -1,
			Content: harContent{MimeType: "x-unknown"}}
		notes = append(notes, "no response")
	}
	if q != nil && s != nil {
		e.Timings = harTimings{Send: ms(q.End.Sub(q.Start)), Wait: ms(s.Start.Sub(q.End)), Receive: ms(s.End.Sub(s.Start))}
	} else if s != nil {
		e.Timings.Receive = ms(s.End.Sub(s.Start))
	} else if q != nil {
		e.Timings.Send = ms(q.End.Sub(q.Start))
	}
	e.Time = e.Timings.Send + e.Timings.Wait + e.Timings.Receive
	if tx.Note != "" {
		notes = append(notes, tx.Note)
	}
	e.Comment = strings.Join(notes, "; ")
	return e
}

// absURL makes the request target absolute, from Host (or the server's
// address).
func absURL(q *Message, tx *Transaction) string {
	if strings.HasPrefix(q.URL, "http://") || strings.HasPrefix(q.URL, "https://") {
		return q.URL
	}
	host := q.Get("Host")
	if host == "" {
		host = tx.Server.String()
	}
	if q.Method == "CONNECT" {
		return "http://" + q.URL
	}
	return "http://" + host + q.URL
}

func query(target string) []harNV {
	out := []harNV{}
	_, raw, ok := strings.Cut(target, "?")
	if !ok {
		return out
	}
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, harNV{k, v})
	}
	return out
}

// content describes a response body for HAR: its decoded size when known,
// and its text when the body was kept (base64 unless it is UTF-8 text).
func content(s *Message) harContent {
	c := harContent{MimeType: s.Get("Content-Type"), Size: s.ContentBytes}
	if c.MimeType == "" {
		c.MimeType = "x-unknown"
	}
	if s.DecodedBytes >= 0 {
		c.Size = s.DecodedBytes
		c.Compression = s.DecodedBytes - s.ContentBytes
		if c.Compression < 0 {
			c.Compression = 0
		}
	}
	if s.Body != nil {
		mt, _, _ := mime.ParseMediaType(c.MimeType)
		textual := strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") || strings.Contains(mt, "xml") || strings.Contains(mt, "javascript")
		if textual && utf8.Valid(s.Body) {
			c.Text = string(s.Body)
		} else {
			c.Text, c.Encoding = base64.StdEncoding.EncodeToString(s.Body), "base64"
		}
	}
	var notes []string
	if s.DecodeError != "" {
		notes = append(notes, "body not decoded: "+s.DecodeError)
	}
	if s.BodyEncoding != "" {
		notes = append(notes, "text holds the body as sent, still "+s.BodyEncoding+"-encoded")
	}
	if s.BodyTruncated {
		notes = append(notes, "body truncated")
	}
	c.Comment = strings.Join(notes, "; ")
	return c
}
