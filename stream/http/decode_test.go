package http_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	whttp "github.com/wirekit/wirekit/stream/http"
)

func zs(s string) string {
	var b bytes.Buffer
	w, _ := zstd.NewWriter(&b, zstd.WithEncoderCRC(true))
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// flipAt flips the byte i bytes from the end of s.
func flipAt(s string, fromEnd int) string {
	b := []byte(s)
	b[len(b)-fromEnd] ^= 1
	return string(b)
}

// TestBodyDecodeErrors sends bodies whose content coding fails to decode
// and checks that the message says so (DecodeError, and BodyEncoding when
// Body is left as sent) and that the JSON record carries both, instead of
// a raw body passed off as decoded.
func TestBodyDecodeErrors(t *testing.T) {
	page := strings.Repeat("<p>hello</p>\n", 50)
	tests := []struct {
		name     string
		coding   string
		body     string
		errHas   string // "" when the body decodes
		encoding string // BodyEncoding: codings left on Body
		wantBody string // "" to skip the check
	}{
		{"gzip decodes", "gzip", gz(page), "", "", page},
		{"gzip crc32 wrong", "gzip", flipAt(gz(page), 8), "checksum", "", page},
		{"gzip isize wrong", "gzip", flipAt(gz(page), 4), "checksum", "", page},
		{"gzip declared, plain text sent", "gzip", page, "gzip", "gzip", page},
		{"x-gzip declared, plain text sent", "x-gzip", page, "gzip", "x-gzip", page},
		{"br declared, plain text sent", "br", page, "br", "br", page},
		{"deflate declared, plain text sent", "deflate", page, "deflate", "deflate", page},
		{"zstd declared, plain text sent", "zstd", page, "zstd", "zstd", page},
		{"zstd checksum wrong", "zstd", flipAt(zs(page), 1), "zstd", "zstd", ""}, // the decoder gives nothing of a failed frame
		{"gzip then br, gzip layer damaged", "gzip, br", br(page + "x"), "gzip", "gzip", page + "x"},
		{"unknown coding", "compress", page, "not decoded", "compress", page},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := "HTTP/1.1 200 OK\r\nContent-Encoding: " + tc.coding + "\r\nContent-Length: " + itoa(len(tc.body)) + "\r\n\r\n" + tc.body
			txs, _ := parse(&whttp.Config{KeepBodies: true}, []chunk{
				{dir: c2s, data: "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"},
				{dir: s2c, data: raw},
			}, 0)
			if len(txs) != 1 || txs[0].Response == nil {
				t.Fatalf("%d transactions, want 1 with a response", len(txs))
			}
			m := txs[0].Response
			if (m.DecodeError != "") != (tc.errHas != "") || !strings.Contains(m.DecodeError, tc.errHas) {
				t.Errorf("DecodeError %q, want one containing %q", m.DecodeError, tc.errHas)
			}
			if m.BodyEncoding != tc.encoding {
				t.Errorf("BodyEncoding %q, want %q", m.BodyEncoding, tc.encoding)
			}
			if tc.wantBody != "" && string(m.Body) != tc.wantBody && tc.encoding == "" {
				t.Errorf("Body %.40q..., want the decoded page", m.Body)
			}
			if tc.errHas != "" && tc.encoding == "" && !m.BodyTruncated {
				t.Errorf("a body decoded only as far as it went is not marked BodyTruncated")
			}
			if tc.encoding == "gzip" && tc.coding == "gzip" && string(m.Body) != tc.body {
				t.Errorf("Body is not the bytes as sent")
			}
			rec, err := json.Marshal(whttp.Record(txs[0]))
			if err != nil {
				t.Fatal(err)
			}
			if tc.errHas != "" && !strings.Contains(string(rec), `"decode_error":`) {
				t.Errorf("JSON record lacks decode_error: %s", rec)
			}
			if tc.encoding != "" && !strings.Contains(string(rec), `"body_encoding":"`+tc.encoding+`"`) {
				t.Errorf("JSON record lacks body_encoding %q: %s", tc.encoding, rec)
			}
		})
	}
}
