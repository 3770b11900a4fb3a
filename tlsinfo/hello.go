package tlsinfo

import (
	"errors"
	"fmt"
)

// ErrShort reports a message shorter than its own length fields say.
var ErrShort = errors.New("tlsinfo: message cut short")

// Handshake message types.
const (
	TypeClientHello = 1
	TypeServerHello = 2
	TypeCertificate = 11
)

// Extension numbers this package reads.
const (
	extServerName          = 0x0000
	extSupportedGroups     = 0x000a
	extPointFormats        = 0x000b
	extSignatureAlgorithms = 0x000d
	extALPN                = 0x0010
	extSupportedVersions   = 0x002b
)

// ClientHello holds what a ClientHello offers. Lists keep the order sent,
// GREASE values included (the fingerprints drop them).
type ClientHello struct {
	Version             uint16 // legacy_version
	Random              [32]byte
	SessionID           []byte
	CipherSuites        []uint16
	Compression         []uint8
	Extensions          []uint16 // extension types in order
	ServerName          string   // SNI host name, "" when absent
	ALPN                []string
	SupportedVersions   []uint16
	Groups              []uint16
	PointFormats        []uint8
	SignatureAlgorithms []uint16
}

// ServerHello holds what a ServerHello chose.
type ServerHello struct {
	Version         uint16 // legacy_version
	Random          [32]byte
	CipherSuite     uint16
	Compression     uint8
	Extensions      []uint16
	SelectedVersion uint16 // from supported_versions (TLS 1.3), else 0
	ALPN            string
}

// NegotiatedVersion is the version the server chose: the
// supported_versions selection when present, else legacy_version.
func (s *ServerHello) NegotiatedVersion() uint16 {
	if s.SelectedVersion != 0 {
		return s.SelectedVersion
	}
	return s.Version
}

// reader reads big-endian fields and remembers the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) n(k int) []byte {
	if r.err != nil || len(r.b) < k {
		r.err = ErrShort
		r.b = nil
		return nil
	}
	v := r.b[:k]
	r.b = r.b[k:]
	return v
}

func (r *reader) u8() uint8 {
	if v := r.n(1); v != nil {
		return v[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if v := r.n(2); v != nil {
		return uint16(v[0])<<8 | uint16(v[1])
	}
	return 0
}

func (r *reader) u24() int {
	if v := r.n(3); v != nil {
		return int(v[0])<<16 | int(v[1])<<8 | int(v[2])
	}
	return 0
}

// vec8 and vec16 read a vector with a 1- or 2-byte length.
func (r *reader) vec8() []byte  { return r.n(int(r.u8())) }
func (r *reader) vec16() []byte { return r.n(int(r.u16())) }

func u16s(b []byte) ([]uint16, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("tlsinfo: odd-length list of 16-bit values (%d bytes)", len(b))
	}
	out := make([]uint16, len(b)/2)
	for i := range out {
		out[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return out, nil
}

// ParseClientHello parses the body of a ClientHello handshake message (after
// its 4-byte type and length header). It fails on a body cut short or a
// malformed extension, naming the extension.
func ParseClientHello(b []byte) (*ClientHello, error) {
	r := &reader{b: b}
	c := &ClientHello{Version: r.u16()}
	copy(c.Random[:], r.n(32))
	c.SessionID = r.vec8()
	suites, err := u16s(r.vec16())
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: ClientHello: %w", r.err)
	}
	if err != nil {
		return nil, fmt.Errorf("tlsinfo: ClientHello cipher suites: %w", err)
	}
	c.CipherSuites = suites
	c.Compression = r.vec8()
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: ClientHello: %w", r.err)
	}
	if len(r.b) == 0 {
		return c, nil // no extensions (SSL 3.0 style)
	}
	ext := &reader{b: r.vec16()}
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: ClientHello extensions: %w", r.err)
	}
	for len(ext.b) > 0 {
		typ := ext.u16()
		data := ext.vec16()
		if ext.err != nil {
			return nil, fmt.Errorf("tlsinfo: ClientHello extension %#04x: %w", typ, ext.err)
		}
		c.Extensions = append(c.Extensions, typ)
		if err := c.extension(typ, data); err != nil {
			return nil, fmt.Errorf("tlsinfo: ClientHello extension %#04x: %w", typ, err)
		}
	}
	return c, nil
}

func (c *ClientHello) extension(typ uint16, data []byte) error {
	r := &reader{b: data}
	var err error
	switch typ {
	case extServerName:
		list := &reader{b: r.vec16()}
		for len(list.b) > 0 && list.err == nil {
			kind := list.u8()
			name := list.vec16()
			if kind == 0 && c.ServerName == "" {
				c.ServerName = string(name)
			}
		}
		if list.err != nil {
			return list.err
		}
	case extALPN:
		list := &reader{b: r.vec16()}
		for len(list.b) > 0 && list.err == nil {
			p := list.vec8()
			if list.err == nil {
				c.ALPN = append(c.ALPN, string(p))
			}
		}
		if list.err != nil {
			return list.err
		}
	case extSupportedVersions:
		c.SupportedVersions, err = u16s(r.vec8())
	case extSupportedGroups:
		c.Groups, err = u16s(r.vec16())
	case extPointFormats:
		c.PointFormats = r.vec8()
	case extSignatureAlgorithms:
		c.SignatureAlgorithms, err = u16s(r.vec16())
	}
	if r.err != nil {
		return r.err
	}
	return err
}

// ParseServerHello parses the body of a ServerHello handshake message.
func ParseServerHello(b []byte) (*ServerHello, error) {
	r := &reader{b: b}
	s := &ServerHello{Version: r.u16()}
	copy(s.Random[:], r.n(32))
	r.vec8() // session id
	s.CipherSuite = r.u16()
	s.Compression = r.u8()
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: ServerHello: %w", r.err)
	}
	if len(r.b) == 0 {
		return s, nil
	}
	ext := &reader{b: r.vec16()}
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: ServerHello extensions: %w", r.err)
	}
	for len(ext.b) > 0 {
		typ := ext.u16()
		data := ext.vec16()
		if ext.err != nil {
			return nil, fmt.Errorf("tlsinfo: ServerHello extension %#04x: %w", typ, ext.err)
		}
		s.Extensions = append(s.Extensions, typ)
		d := &reader{b: data}
		switch typ {
		case extSupportedVersions:
			s.SelectedVersion = d.u16()
		case extALPN:
			list := &reader{b: d.vec16()}
			s.ALPN = string(list.vec8())
			d.err = list.err
		}
		if d.err != nil {
			return nil, fmt.Errorf("tlsinfo: ServerHello extension %#04x: %w", typ, d.err)
		}
	}
	return s, nil
}

// IsGREASE reports whether v is one of the reserved GREASE values
// (RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa).
func IsGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}

// VersionName names a protocol version as "TLS 1.2", "SSL 3.0", "DTLS 1.2",
// or "0x...." when unknown.
func VersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	case 0x0002:
		return "SSL 2.0"
	case 0xfeff:
		return "DTLS 1.0"
	case 0xfefd:
		return "DTLS 1.2"
	case 0xfefc:
		return "DTLS 1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}
