package decode

import "testing"

// TestJSONBytesEscapesControls checks that strings from the wire cannot
// carry terminal controls into JSON output: C0, DEL and C1 (CSI, U+009B)
// are escaped, printable text is kept.
func TestJSONBytesEscapesControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"caf\u00e9 \u65e5", `"caf` + "\u00e9 \u65e5" + `"`},
		{"\x1b[2J\x07", `"\u001b[2J\u0007"`},
		{"del\x7f", `"del\u007f"`},
		{"csi\u009b31m \u0080\u009f", `"csi\u009b31m \u0080\u009f"`},
		{"bad\xff", `"bad\ufffd"`},
		{"nbsp\u00a0", "\"nbsp\u00a0\""},
	} {
		if got := string(jsonBytes(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("jsonBytes(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
