package http

import "bytes"

// escapeControls rewrites, in encoded JSON, the characters encoding/json
// leaves as they are but a terminal may act on: DEL and the C1 controls
// (U+0080 to U+009F, among them CSI, U+009B) become \u007f and \u0080 to
// \u009f. Both can only occur inside strings of the encoded JSON, so the
// rewrite never touches its structure. b is returned unchanged (and not
// copied) when it holds none.
func escapeControls(b []byte) []byte {
	if bytes.IndexByte(b, 0x7f) < 0 && bytes.IndexByte(b, 0xc2) < 0 {
		return b
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == 0x7f:
			out = append(out, `\u007f`...)
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			out = append(out, '\\', 'u', '0', '0', hex[b[i+1]>>4], hex[b[i+1]&15])
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}
