package cli

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeText makes bytes from the wire (or from a hostile file) safe to
// print on a terminal: control bytes (C0, DEL), C1 controls and other
// runes that do not print (format and bidirectional marks), and bytes that
// are not UTF-8 are written as \xNN, one per byte, and a backslash as \\.
// Printable text, including non-ASCII letters, is kept as it is.
func escapeText(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '\\' {
			break
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || !unicode.IsPrint(r) {
				break
			}
			i += size
			continue
		}
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	const hex = "0123456789abcdef"
	esc := func(p string) {
		for j := 0; j < len(p); j++ {
			b.WriteString(`\x`)
			b.WriteByte(hex[p[j]>>4])
			b.WriteByte(hex[p[j]&15])
		}
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
			i++
		case c < 0x20 || c == 0x7f:
			esc(s[i : i+1])
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || !unicode.IsPrint(r) {
				esc(s[i : i+size])
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
		}
	}
	return b.String()
}
