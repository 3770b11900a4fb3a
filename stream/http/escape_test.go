package http

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
)

// TestJSONOutputsEscapeControls checks that JSONL and HAR output carry no
// raw terminal controls from the wire: encoding/json escapes C0, and
// escapeControls DEL and C1 (U+009B is CSI); the output stays valid JSON
// that decodes to the same strings.
func TestJSONOutputsEscapeControls(t *testing.T) {
	url := "/\x1b]0;x\x07?a=\u009b31m\x7f&b=caf\u00e9"
	tx := &Transaction{Client: netip.MustParseAddrPort("10.0.0.1:1"), Server: netip.MustParseAddrPort("10.0.0.2:80"),
		Request: &Message{Method: "GET", URL: url, Proto: "HTTP/1.1", Header: []Field{{"Host", "h\u0085"}}, DecodedBytes: -1}}
	var jl, har bytes.Buffer
	j := NewJSONLWriter(&jl)
	if err := j.Write(tx); err != nil {
		t.Fatal(err)
	}
	j.Flush()
	h := NewHARWriter(&har, "test")
	if err := h.Write(tx); err != nil {
		t.Fatal(err)
	}
	h.Close()
	for name, out := range map[string][]byte{"jsonl": jl.Bytes(), "har": har.Bytes()} {
		for _, bad := range []string{"\x1b", "\x07", "\x7f", "\u009b", "\u0085"} {
			if bytes.Contains(out, []byte(bad)) {
				t.Errorf("%s output holds raw %q: %s", name, bad, out)
			}
		}
		if !json.Valid(bytes.TrimSpace(out)) {
			t.Errorf("%s output is not valid JSON: %s", name, out)
		}
	}
	var rec TxRecord
	if err := json.Unmarshal(jl.Bytes(), &rec); err != nil || rec.URL != url || rec.Host != "h\u0085" {
		t.Errorf("JSONL decodes to url %q host %q (%v), want the wire's", rec.URL, rec.Host, err)
	}
	if got := string(escapeControls([]byte(`{"a":"caf` + "\u00e9\u00a9" + `"}`))); !strings.Contains(got, "\u00e9\u00a9") {
		t.Errorf("printable non-ASCII changed: %s", got)
	}
}
