// Package compress names the stream compressions wirekit reads (gzip,
// zstd, lz4, xz) and tells them apart by their first bytes, for pcapio
// (capture files) and tarx (tarballs and what is extracted from them).
package compress

import (
	"bytes"
	"fmt"
)

// Kind is a stream compression format.
type Kind int

// The formats, found from their magic bytes.
const (
	None Kind = iota // no compression
	Gzip             // gzip (RFC 1952), possibly multi-member
	Zstd             // Zstandard frames
	LZ4              // LZ4 frame format
	XZ               // xz container
)

// MagicLen is how many leading bytes Detect needs to tell every format
// apart.
const MagicLen = 6

var magics = []struct {
	k     Kind
	magic []byte
}{
	{Gzip, []byte{0x1f, 0x8b}},
	{Zstd, []byte{0x28, 0xb5, 0x2f, 0xfd}},
	{LZ4, []byte{0x04, 0x22, 0x4d, 0x18}},
	{XZ, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
}

// Detect returns the format whose magic bytes begin head, or None (also
// when head is too short to hold them).
func Detect(head []byte) Kind {
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.k
		}
	}
	return None
}

// String returns the format's usual name: "none", "gzip", "zstd", "lz4",
// "xz".
func (k Kind) String() string {
	switch k {
	case None:
		return "none"
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	case LZ4:
		return "lz4"
	case XZ:
		return "xz"
	}
	return fmt.Sprintf("Compression(%d)", int(k))
}

// Ext returns the file name suffix of the format (".gz", ".zst", ".lz4",
// ".xz"), or "" for None.
func (k Kind) Ext() string {
	switch k {
	case Gzip:
		return ".gz"
	case Zstd:
		return ".zst"
	case LZ4:
		return ".lz4"
	case XZ:
		return ".xz"
	}
	return ""
}
