package http_test

import (
	"bytes"
	"reflect"
	"testing"

	whttp "github.com/wirekit/wirekit/stream/http"
)

// FuzzParser feeds arbitrary bytes as the two directions of a connection
// (split at the first 0x00 byte), whole and one byte at a time, and checks
// the parser's invariants.
func FuzzParser(f *testing.F) {
	seeds := []string{
		get + "\x00" + resp("hello"),
		get + "GET /b HTTP/1.1\r\n\r\n\x00" + resp("1") + resp("22"),
		get + "\x00HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x\r\nhello\r\n0\r\nT: 1\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n\x00HTTP/1.0 200 OK\r\n\r\nrest",
		"HEAD / HTTP/1.1\r\n\r\n\x00HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc\x00HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"\x00" + resp("x"),
		get + "\x00HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc",
		get + "\x00HTTP/1.1 101 Switching\r\n\r\nGET / HTTP/1.1\r\n\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, sc, _ := bytes.Cut(data, []byte{0})
		in := []chunk{{c2s, string(cs), 0, false}, {s2c, string(sc), 0, true}}
		cfg := &whttp.Config{KeepBodies: true, MaxBodyBytes: 64, MaxHeaderBytes: 256, MaxPending: 4}
		whole, st := parse(cfg, in, 0)
		var reqs, resps int64
		for _, tx := range whole {
			if tx.Request == nil && tx.Response == nil {
				t.Fatal("transaction with neither request nor response")
			}
			for _, m := range []*whttp.Message{tx.Request, tx.Response} {
				if m == nil {
					continue
				}
				if m.ContentBytes > m.BodyBytes || len(m.Body) > 64 || m.HeaderBytes > 256+2 || m.Missing != 0 {
					t.Fatalf("message out of bounds: content %d body %d kept %d header %d missing %d", m.ContentBytes, m.BodyBytes, len(m.Body), m.HeaderBytes, m.Missing)
				}
			}
			if tx.Request != nil {
				reqs++
			}
			if tx.Response != nil {
				resps++
			}
		}
		if reqs != st.Requests || resps != st.Responses {
			t.Fatalf("emitted %d requests, %d responses; parsed %d, %d", reqs, resps, st.Requests, st.Responses)
		}
		bytewise, st1 := parse(cfg, in, 1)
		if st.Resyncs+st.NotHTTP+st1.Resyncs+st1.NotHTTP+st.HeaderTooBig > 0 {
			return // after a loss of place, where parsing resumes may depend on chunk boundaries
		}
		var a, b []string
		for _, tx := range whole {
			a = append(a, summary(tx))
		}
		for _, tx := range bytewise {
			b = append(b, summary(tx))
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("whole and byte-at-a-time differ:\n%q\n%q", a, b)
		}
	})
}
