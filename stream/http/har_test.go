package http_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/wirekit/wirekit/internal/testutil"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// validateHAR checks an archive against the required fields of HAR 1.2
// and returns its entries.
func validateHAR(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	log, _ := doc["log"].(map[string]any)
	if log == nil || log["version"] != "1.2" {
		t.Fatalf("log.version: %v", doc)
	}
	cr, _ := log["creator"].(map[string]any)
	if cr == nil || cr["name"] != "wirekit" || cr["version"] == nil {
		t.Fatalf("log.creator: %v", log["creator"])
	}
	raw, ok := log["entries"].([]any)
	if !ok {
		t.Fatal("log.entries missing")
	}
	need := func(obj map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: %q missing", where, k)
			}
		}
	}
	var out []map[string]any
	for _, r := range raw {
		e := r.(map[string]any)
		need(e, "entry", "startedDateTime", "time", "request", "response", "cache", "timings")
		if _, err := time.Parse(time.RFC3339Nano, e["startedDateTime"].(string)); err != nil {
			t.Errorf("startedDateTime: %v", err)
		}
		q := e["request"].(map[string]any)
		need(q, "request", "method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize")
		s := e["response"].(map[string]any)
		need(s, "response", "status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize")
		need(s["content"].(map[string]any), "content", "size", "mimeType")
		tm := e["timings"].(map[string]any)
		need(tm, "timings", "send", "wait", "receive")
		sum := 0.0
		for _, k := range []string{"send", "wait", "receive"} {
			v := tm[k].(float64)
			if v < 0 {
				t.Errorf("timings.%s = %v", k, v)
			}
			sum += v
		}
		if math.Abs(sum-e["time"].(float64)) > 1e-6 {
			t.Errorf("time %v != sum of timings %v", e["time"], sum)
		}
		out = append(out, e)
	}
	return out
}

func TestHAR(t *testing.T) {
	body := `{"ok":true}`
	txs, _ := parse(&whttp.Config{KeepBodies: true}, []chunk{
		{c2s, "GET /search?q=a%20b&x=1 HTTP/1.1\r\nHost: example.com\r\nCookie: a=1; b=2\r\n\r\n", 0, false},
		{s2c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " + itoa(len(gz(body))) + "\r\n\r\n" + gz(body), 0, false},
		{c2s, "POST /form HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc", 0, false},
		{s2c, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNG", 0, false},
		{c2s, "GET /never HTTP/1.1\r\nHost: example.com\r\n\r\n", 0, false},
	}, 0)
	var buf bytes.Buffer
	hw := whttp.NewHARWriter(&buf, "test")
	for _, tx := range txs {
		if err := hw.Write(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	es := validateHAR(t, buf.Bytes())
	if len(es) != 3 {
		t.Fatalf("%d entries, want 3", len(es))
	}
	q := es[0]["request"].(map[string]any)
	if q["url"] != "http://example.com/search?q=a%20b&x=1" {
		t.Errorf("url %v", q["url"])
	}
	if qs := q["queryString"].([]any); len(qs) != 2 || qs[0].(map[string]any)["value"] != "a b" {
		t.Errorf("queryString %v", qs)
	}
	if cs := q["cookies"].([]any); len(cs) != 2 {
		t.Errorf("cookies %v", cs)
	}
	c := es[0]["response"].(map[string]any)["content"].(map[string]any)
	if c["text"] != body || c["size"].(float64) != float64(len(body)) {
		t.Errorf("content %v", c)
	}
	c = es[1]["response"].(map[string]any)["content"].(map[string]any)
	if c["encoding"] != "base64" || c["text"] != "iVBORw==" {
		t.Errorf("binary content %v", c)
	}
	if pd := es[1]["request"].(map[string]any)["postData"].(map[string]any); pd["text"] != "abc" {
		t.Errorf("postData %v", pd)
	}
	if !strings.Contains(es[2]["comment"].(string), "no response") || es[2]["response"].(map[string]any)["status"].(float64) != 0 {
		t.Errorf("unanswered entry %v", es[2])
	}
}

func TestJSONL(t *testing.T) {
	txs, _ := parse(nil, []chunk{{c2s, get, 0, false}, {s2c, resp("hi"), 0, false}, {s2c, resp("orphan"), 0, false}}, 0)
	var buf bytes.Buffer
	w := whttp.NewJSONLWriter(&buf)
	for _, tx := range txs {
		if err := w.Write(tx); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var r whttp.TxRecord
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Method != "GET" || r.URL != "/a" || r.Host != "x" || r.Status != 200 || r.Response.ContentBytes != 2 || r.Conn != 7 {
		t.Errorf("record %+v", r)
	}
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil || r.Note != "no request" {
		t.Errorf("orphan: %v %+v", err, r)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestNoteOnlyTime: a transaction with neither message (a connection
// that ended inside an HTTP/2 header block) has the time of the
// connection's end in JSONL and an entry at that time in HAR, with the
// note as its comment; no zero times anywhere.
func TestNoteOnlyTime(t *testing.T) {
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:8080", time.Unix(1700000000, 0))
	var b bytes.Buffer
	b.WriteString(http2.ClientPreface)
	fr := http2.NewFramer(&b, nil)
	fr.WriteSettings()
	fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: []byte{0x82}}) // no END_HEADERS
	c.Send(true, b.Bytes())
	c.Close()
	end := c.Frames[len(c.Frames)-1].CI.Timestamp
	txs := transactions(t, frames2pcap(t, c.Frames))
	if len(txs) != 1 || txs[0].Request != nil || txs[0].Response != nil || txs[0].Note == "" {
		t.Fatalf("want one transaction with only a note, got %d: %+v", len(txs), txs)
	}
	tx := txs[0]
	if !tx.At.Equal(end) {
		t.Errorf("At %v, want the connection's end %v", tx.At, end)
	}
	r := whttp.Record(tx)
	want := end.UTC().Format(time.RFC3339Nano)
	if r.Start != want || r.End != want {
		t.Errorf("JSONL start %q end %q, want %q", r.Start, r.End, want)
	}
	var buf bytes.Buffer
	h := whttp.NewHARWriter(&buf, "test")
	if err := h.Write(tx); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []struct {
				StartedDateTime string
				Comment         string
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatal(err)
	}
	if len(har.Log.Entries) != 1 {
		t.Fatalf("%d HAR entries, want 1: %s", len(har.Log.Entries), buf.String())
	}
	e := har.Log.Entries[0]
	if got, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err != nil || !got.Equal(end) {
		t.Errorf("HAR startedDateTime %q, want %v", e.StartedDateTime, end)
	}
	if !strings.Contains(e.Comment, tx.Note) {
		t.Errorf("HAR comment %q does not hold the note %q", e.Comment, tx.Note)
	}
}
