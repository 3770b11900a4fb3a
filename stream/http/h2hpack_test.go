package http_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTP2AfterHPACKFailure: one request's header block fails to decode
// (a bad index before its first field, so the entries it adds never reach
// the decoder's table, as when a capture garbles it). The connection goes
// on: that stream still gets its response and body; later requests are
// read, the fields that use the lost table counted unknown and said in the
// note; RST_STREAM and GOAWAY still reported.
func TestHTTP2AfterHPACKFailure(t *testing.T) {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:8080", time.Unix(1700000000, 0))
	var cb, sb bytes.Buffer
	cenc, senc := hpack.NewEncoder(&cb), hpack.NewEncoder(&sb)
	block := func(enc *hpack.Encoder, b *bytes.Buffer, kv ...string) []byte {
		b.Reset()
		for i := 0; i+1 < len(kv); i += 2 {
			enc.WriteField(hpack.HeaderField{Name: kv[i], Value: kv[i+1]})
		}
		return bytes.Clone(b.Bytes())
	}
	frames := func(f func(*http2.Framer)) []byte {
		var b bytes.Buffer
		f(http2.NewFramer(&b, nil))
		return b.Bytes()
	}
	req := func(id uint32, path string, corrupt bool) {
		hb := block(cenc, &cb, ":method", "GET", ":scheme", "http", ":authority", "api.example", ":path", path, "user-agent", "test/1")
		if corrupt {
			hb = append([]byte{0xff, 0x80, 0x80, 0x80, 0x08}, hb...) // index 2^27+127: none
		}
		c.Send(true, frames(func(f *http2.Framer) {
			f.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hb, EndHeaders: true, EndStream: true})
		}))
	}
	resp := func(id uint32, status, body string) {
		hb := block(senc, &sb, ":status", status, "content-type", "text/plain", "server", "test")
		c.Send(false, frames(func(f *http2.Framer) {
			f.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hb, EndHeaders: true})
			f.WriteData(id, true, []byte(body))
		}))
	}
	c.Send(true, append([]byte(http2.ClientPreface), frames(func(f *http2.Framer) { f.WriteSettings() })...))
	c.Send(false, frames(func(f *http2.Framer) { f.WriteSettings() }))
	req(1, "/one", false)
	resp(1, "200", "first")
	req(3, "/two", true) // fails to decode
	resp(3, "404", "second")
	req(5, "/two", false) // its :path is the entry the failed block added
	resp(5, "201", "third")
	req(7, "/four", false)
	resp(7, "200", "fourth")
	req(9, "/five", false)
	c.Send(false, frames(func(f *http2.Framer) { f.WriteRSTStream(9, http2.ErrCodeRefusedStream) }))
	req(11, "/six", false)
	c.Send(false, frames(func(f *http2.Framer) { f.WriteGoAway(11, http2.ErrCodeEnhanceYourCalm, nil) }))
	c.Close()

	txs := transactions(t, frames2pcap(t, c.Frames))
	type want struct {
		url, status, body, note string
		unknown                 bool
	}
	wants := []want{
		{url: "/one", status: "200", body: "first"},
		{url: "", status: "404", body: "second", note: "HTTP/2 header compression (HPACK) failed on the client's block", unknown: true},
		{url: "", status: "201", body: "third", note: "HTTP/2 header compression (HPACK) failed earlier on the client's side", unknown: true},
		{url: "/four", status: "200", body: "fourth", note: "HTTP/2 header compression (HPACK) failed earlier on the client's side", unknown: true},
		{url: "/five", note: "stream reset by the server: REFUSED_STREAM; HTTP/2 header compression (HPACK) failed earlier", unknown: true},
		{url: "/six", note: "GOAWAY from the server: ENHANCE_YOUR_CALM, last stream 11; HTTP/2 header compression (HPACK) failed earlier", unknown: true},
	}
	if len(txs) != len(wants) {
		for _, tx := range txs {
			t.Logf("%+v %+v %q", tx.Request, tx.Response, tx.Note)
		}
		t.Fatalf("%d transactions, want %d", len(txs), len(wants))
	}
	for i, w := range wants {
		tx := txs[i]
		if tx.Request == nil {
			t.Errorf("transaction %d: no request (note %q)", i, tx.Note)
			continue
		}
		q := tx.Request
		status, body := "", ""
		if s := tx.Response; s != nil {
			status, body = s.Get(":status"), string(s.Body)
		}
		if q.URL != w.url || status != w.status || body != w.body || !strings.HasPrefix(tx.Note, w.note) || (q.UnknownHeaders > 0) != w.unknown {
			t.Errorf("transaction %d: url %q status %q body %q unknown %d note %q\nwant url %q status %q body %q unknown %v note %q...",
				i, q.URL, status, body, q.UnknownHeaders, tx.Note, w.url, w.status, w.body, w.unknown, w.note)
		}
		if q.Method != "GET" && i != 1 {
			t.Errorf("transaction %d: method %q, want GET (a static table entry, never lost)", i, q.Method)
		}
	}
}
