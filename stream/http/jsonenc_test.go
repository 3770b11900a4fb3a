package http

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// recordJSON is what JSONLWriter wrote before appendRecord: encoding/json
// on Record(tx), HTML escaping off.
func recordJSON(t testing.TB, tx *Transaction) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Record(tx)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAppendRecordMatchesJSON: the hand-written JSONL encoder gives
// encoding/json's bytes for every kind of transaction: both messages or
// either, notes, gRPC with and without status, trailers, gRPC messages,
// decoded sizes, strings that need escaping (quotes, controls, invalid
// UTF-8, U+2028, HTML characters), addresses of both families and none.
func TestAppendRecordMatchesJSON(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 123456789, time.FixedZone("x", 3600))
	q := &Message{Method: "POST", URL: "/pkg.S/M?q=\"a\\b\"&x=<y>", Proto: "HTTP/2.0", Start: t0, End: t0.Add(time.Millisecond),
		Header:      []Field{{":authority", "h\u2028ost"}, {"content-type", "application/grpc"}, {"x-bad", "\xff\xfe\b\f\x01\x7f\u0085"}},
		HeaderBytes: 42, BodyBytes: 10, ContentBytes: 10, DecodedBytes: -1, Complete: true,
		GRPCMessages: []GRPCMessage{{Compressed: true, Length: 5}, {Length: 0}}, UnknownHeaders: 2}
	s := &Message{Status: 200, Reason: "OK\t", Proto: "HTTP/2.0", Start: t0.Add(2 * time.Millisecond), End: t0.Add(3*time.Millisecond + 7),
		Header: []Field{{"content-encoding", "gzip"}, {"content-type", "text/plain"}}, Trailer: []Field{{"grpc-status", "5"}, {"grpc-message", "not \"found\""}},
		BodyBytes: 100, ContentBytes: 90, DecodedBytes: 300, Chunked: true, DecodeError: "bad\n", BodyEncoding: "br", Missing: 3}
	h1 := &Message{Method: "GET", URL: "/", Proto: "HTTP/1.1", Start: t0, End: t0, Header: []Field{{"Host", "example.com"}}, DecodedBytes: 0}
	v4, v6 := netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("[fe80::1%eth0]:443")
	tests := []struct {
		name string
		tx   *Transaction
	}{
		{"both messages, gRPC with status", &Transaction{Conn: 3, Index: 7, Client: v4, Server: v6, Request: q, Response: s}},
		{"request only", &Transaction{Client: v4, Server: v4, Request: h1}},
		{"response only", &Transaction{Client: v4, Server: v4, Response: s}},
		{"note only", &Transaction{Conn: 1 << 40, Note: "HTTP/2 \"x\"", At: t0}},
		{"note only, zero time, no addresses", &Transaction{Note: "n"}},
		{"note overrides", &Transaction{Request: h1, Note: "stream reset"}},
		{"gRPC without status", &Transaction{Request: q, Response: h1}},
		{"status 0", &Transaction{Request: h1, Response: &Message{Proto: "HTTP/1.1", DecodedBytes: -1}}},
		{"long duration", &Transaction{Request: &Message{Start: t0, End: t0.Add(1000 * time.Hour), DecodedBytes: -1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := recordJSON(t, tc.tx)
			if got := appendRecord(nil, tc.tx); !bytes.Equal(got, want) {
				t.Errorf("appendRecord:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// FuzzAppendRecord: for any strings, numbers and times, appendRecord
// gives encoding/json's bytes.
func FuzzAppendRecord(f *testing.F) {
	f.Add("GET", "/a?b", "Host", "x\u2028", "\xff", 200, int64(1700000000123456789), int64(1500), true)
	f.Add("", "", "content-type", "application/grpc", "note", 0, int64(0), int64(0), false)
	f.Fuzz(func(t *testing.T, method, url, name, value, note string, status int, ns, dur int64, grpc bool) {
		t0 := time.Unix(0, ns)
		q := &Message{Method: method, URL: url, Header: []Field{{name, value}}, Start: t0, End: t0, DecodedBytes: -1}
		if grpc {
			q.Header = append(q.Header, Field{"content-type", "application/grpc"})
		}
		s := &Message{Status: status, Reason: value, Start: t0.Add(time.Duration(dur)), End: t0.Add(time.Duration(dur)), DecodedBytes: dur,
			Trailer: []Field{{"grpc-status", note}, {"grpc-message", value}}}
		for _, tx := range []*Transaction{{Request: q, Response: s, Note: note}, {Request: q}, {Response: s}, {Note: note, At: t0}} {
			if got, want := appendRecord(nil, tx), recordJSON(t, tx); !bytes.Equal(got, want) {
				t.Fatalf("appendRecord:\n got %s\nwant %s", got, want)
			}
		}
	})
}

// TestAppendStamp: the hand-written stamp is what
// t.UTC().Format(time.RFC3339Nano) gives, for fractions with and without
// trailing zeros, other zones, years at the edges and outside 0..9999.
func TestAppendStamp(t *testing.T) {
	cases := []time.Time{
		time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 0, 0, 0, 3400000, time.UTC),
		time.Date(2026, 1, 9, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 6, 30, 12, 5, 7, 1, time.FixedZone("x", -7*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 10, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 500000000, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
		time.Unix(1700000000, 123456789),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		cases = append(cases, time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)))
	}
	for _, tc := range cases {
		want := `"` + tc.UTC().Format(time.RFC3339Nano) + `"`
		if got := string(appendStamp(nil, tc)); got != want {
			t.Errorf("appendStamp(%v) = %s, want %s", tc, got, want)
		}
	}
}
