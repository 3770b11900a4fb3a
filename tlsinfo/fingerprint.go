package tlsinfo

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// JA3 returns the JA3 string of the ClientHello (version, cipher suites,
// extensions, groups and point formats in decimal, GREASE dropped) and its
// MD5 in hex, as Salesforce's JA3 and Wireshark's tls.handshake.ja3.
func (c *ClientHello) JA3() (full, hash string) {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(c.Version)))
	b.WriteByte(',')
	decList(&b, c.CipherSuites)
	b.WriteByte(',')
	decList(&b, c.Extensions)
	b.WriteByte(',')
	decList(&b, c.Groups)
	b.WriteByte(',')
	for i, p := range c.PointFormats {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(strconv.Itoa(int(p)))
	}
	full = b.String()
	sum := md5.Sum([]byte(full))
	return full, hex.EncodeToString(sum[:])
}

// JA3S returns the JA3S string of the ServerHello (version, cipher suite,
// extensions) and its MD5 in hex.
func (s *ServerHello) JA3S() (full, hash string) {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(s.Version)))
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(int(s.CipherSuite)))
	b.WriteByte(',')
	decList(&b, s.Extensions)
	full = b.String()
	sum := md5.Sum([]byte(full))
	return full, hex.EncodeToString(sum[:])
}

func decList(b *strings.Builder, v []uint16) {
	first := true
	for _, x := range v {
		if IsGREASE(x) {
			continue
		}
		if !first {
			b.WriteByte('-')
		}
		first = false
		b.WriteString(strconv.Itoa(int(x)))
	}
}

// JA4 returns the JA4 fingerprint of the ClientHello for TLS over TCP
// (FoxIO's JA4 specification): "t", the version, d/i for SNI, the counts of
// cipher suites and extensions, the ALPN's first and last characters, then
// truncated SHA-256 hashes of the sorted cipher suites and of the sorted
// extensions (without SNI and ALPN) followed by the signature algorithms.
func (c *ClientHello) JA4() string {
	return c.ja4('t')
}

// JA4QUIC is JA4 for a ClientHello carried by QUIC ("q" prefix).
func (c *ClientHello) JA4QUIC() string { return c.ja4('q') }

func (c *ClientHello) ja4(proto byte) string {
	var b strings.Builder
	b.WriteByte(proto)
	v := c.Version
	if len(c.SupportedVersions) > 0 {
		v = 0
		for _, x := range c.SupportedVersions {
			if !IsGREASE(x) && x > v && x < 0xfe00 {
				v = x
			}
		}
		if v == 0 { // DTLS versions count down
			for _, x := range c.SupportedVersions {
				if !IsGREASE(x) && (v == 0 || x < v) {
					v = x
				}
			}
		}
	}
	b.WriteString(ja4Version(v))
	if c.ServerName != "" || slices.Contains(c.Extensions, extServerName) {
		b.WriteByte('d')
	} else {
		b.WriteByte('i')
	}
	suites := noGREASE(c.CipherSuites)
	exts := noGREASE(c.Extensions)
	b.WriteString(count2(len(suites)))
	b.WriteString(count2(len(exts)))
	b.WriteString(alpnChars(c.ALPN))
	b.WriteByte('_')
	slices.Sort(suites)
	b.WriteString(hash12(hexList(suites)))
	b.WriteByte('_')
	var sorted []uint16
	for _, e := range exts {
		if e != extServerName && e != extALPN {
			sorted = append(sorted, e)
		}
	}
	slices.Sort(sorted)
	if len(sorted) == 0 {
		b.WriteString("000000000000")
		return b.String()
	}
	s := hexList(sorted)
	if sig := noGREASE(c.SignatureAlgorithms); len(sig) > 0 {
		s += "_" + hexList(sig)
	}
	b.WriteString(hash12(s))
	return b.String()
}

func ja4Version(v uint16) string {
	switch v {
	case 0x0304:
		return "13"
	case 0x0303:
		return "12"
	case 0x0302:
		return "11"
	case 0x0301:
		return "10"
	case 0x0300:
		return "s3"
	case 0x0002:
		return "s2"
	case 0xfeff:
		return "d1"
	case 0xfefd:
		return "d2"
	case 0xfefc:
		return "d3"
	}
	return "00"
}

func noGREASE(v []uint16) []uint16 {
	out := make([]uint16, 0, len(v))
	for _, x := range v {
		if !IsGREASE(x) {
			out = append(out, x)
		}
	}
	return out
}

func count2(n int) string {
	if n > 99 {
		n = 99
	}
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// alpnChars is the first and last character of the first ALPN value, or
// of its hex form when either is not alphanumeric; "00" when none.
func alpnChars(alpn []string) string {
	if len(alpn) == 0 || alpn[0] == "" {
		return "00"
	}
	a := alpn[0]
	if alnum(a[0]) && alnum(a[len(a)-1]) {
		return string([]byte{a[0], a[len(a)-1]})
	}
	h := hex.EncodeToString([]byte(a))
	return string([]byte{h[0], h[len(h)-1]})
}

func hexList(v []uint16) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		const digits = "0123456789abcdef"
		b.WriteByte(digits[x>>12])
		b.WriteByte(digits[x>>8&15])
		b.WriteByte(digits[x>>4&15])
		b.WriteByte(digits[x&15])
	}
	return b.String()
}

func hash12(s string) string {
	if s == "" {
		return "000000000000"
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:12]
}
