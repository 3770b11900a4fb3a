package tlsdecrypt

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"testing"
)

// TestExpandLabel: the one-block HKDF-Expand-Label is crypto/hkdf's
// Expand with RFC 8446's label, for each output length used (keys, IVs,
// next traffic secrets) and both hashes.
func TestExpandLabel(t *testing.T) {
	secret := bytes.Repeat([]byte{0x5a}, 48)
	for _, tc := range []struct {
		name  string
		hash  func() hash.Hash
		label string
		n     int
	}{
		{"SHA-256 key 16", sha256.New, "key", 16},
		{"SHA-256 key 32", sha256.New, "key", 32},
		{"SHA-256 iv 12", sha256.New, "iv", 12},
		{"SHA-256 traffic upd", sha256.New, "traffic upd", 32},
		{"SHA-384 key 32", sha512.New384, "key", 32},
		{"SHA-384 iv 12", sha512.New384, "iv", 12},
		{"SHA-384 traffic upd", sha512.New384, "traffic upd", 48},
	} {
		full := "tls13 " + tc.label
		info := append([]byte{byte(tc.n >> 8), byte(tc.n), byte(len(full))}, full...)
		info = append(info, 0)
		want, err := hkdf.Expand(tc.hash, secret, string(info), tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := expandLabel(hmac.New(tc.hash, secret), tc.label, tc.n); !bytes.Equal(got, want) {
			t.Errorf("%s: %x, want %x", tc.name, got, want)
		}
	}
}
