package tlsinfo

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Record content types.
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23
)

// maxRecord is the largest record body TLS allows (2^14 plus the
// expansion a protected record may add).
const maxRecord = 1<<14 + 2048

// MaxHandshakeBytes bounds the handshake bytes a Conn holds per direction
// while waiting for a message to complete (certificate chains are the
// largest messages seen in clear).
const MaxHandshakeBytes = 256 << 10

// Certificate is what a server certificate sent in clear says.
type Certificate struct {
	Subject, Issuer     string
	SANs                []string // DNS names, IP addresses, e-mail addresses and URIs
	NotBefore, NotAfter time.Time
	SHA256              string // of the DER encoding, hex
}

// Conn collects the handshake facts of one connection from its two
// reassembled byte streams, fed in any interleaving. It stops reading a
// direction once its records are encrypted, so feeding it a whole
// connection costs little past the handshake. The zero value is ready.
type Conn struct {
	Client       *ClientHello
	Server       *ServerHello
	Certificates []Certificate
	// Alert is set when a direction sent an alert in clear (level and
	// description), as a refused handshake does.
	Alert string
	// Err is the first error met (bytes that are not TLS records, a
	// message that does not parse, a handshake past MaxHandshakeBytes);
	// the facts found before it are kept.
	Err error
	dir [2]direction
}

type direction struct {
	rec  []byte // bytes of a record not complete yet
	hs   []byte // handshake bytes not forming a complete message yet
	off  int64  // stream offset of rec[0], for errors
	done bool
}

// Sniff reports whether b starts like a TLS record carrying a handshake:
// content type 22, major version 3. Two bytes are enough.
func Sniff(b []byte) bool {
	return len(b) >= 2 && b[0] == recordHandshake && b[1] == 3
}

// Done reports whether both directions have moved past what is in clear.
func (c *Conn) Done() bool { return c.dir[0].done && c.dir[1].done }

// Feed reads the next bytes of the client's (fromClient) or the server's
// stream. Bytes lost in a gap cannot be skipped: after a gap call Lost.
func (c *Conn) Feed(fromClient bool, data []byte) {
	d := &c.dir[0]
	if !fromClient {
		d = &c.dir[1]
	}
	for len(data) > 0 && !d.done {
		if len(d.rec) == 0 && len(data) >= 5 {
			// Whole records straight from data, without copying.
			n := 5 + (int(data[3])<<8 | int(data[4]))
			if len(data) >= n && c.checkHeader(d, data) {
				c.record(d, fromClient, data[0], data[5:n])
				d.off += int64(n)
				data = data[n:]
				continue
			}
		}
		take := len(data)
		if len(d.rec) < 5 {
			take = min(take, 5-len(d.rec))
		} else {
			take = min(take, 5+(int(d.rec[3])<<8|int(d.rec[4]))-len(d.rec))
		}
		d.rec = append(d.rec, data[:take]...)
		data = data[take:]
		if len(d.rec) < 5 || !c.checkHeader(d, d.rec) {
			continue
		}
		if n := 5 + (int(d.rec[3])<<8 | int(d.rec[4])); len(d.rec) == n {
			c.record(d, fromClient, d.rec[0], d.rec[5:])
			d.off += int64(n)
			d.rec = d.rec[:0]
		}
	}
}

// Lost says a direction lost bytes: what follows cannot be framed, so that
// direction is given up.
func (c *Conn) Lost(fromClient bool) {
	d := &c.dir[0]
	if !fromClient {
		d = &c.dir[1]
	}
	d.done = true
}

func (c *Conn) fail(d *direction, err error) {
	if c.Err == nil {
		c.Err = err
	}
	d.done = true
	d.rec, d.hs = nil, nil
}

// checkHeader checks a record header at the start of b.
func (c *Conn) checkHeader(d *direction, b []byte) bool {
	n := int(b[3])<<8 | int(b[4])
	if b[0] < recordChangeCipherSpec || b[0] > 24 || b[1] != 3 || n > maxRecord {
		c.fail(d, fmt.Errorf("tlsinfo: offset %d: not a TLS record (type %d, version %#02x%02x, length %d)", d.off, b[0], b[1], b[2], n))
		return false
	}
	return true
}

func (c *Conn) record(d *direction, fromClient bool, typ byte, body []byte) {
	switch typ {
	case recordHandshake:
		if len(d.hs)+len(body) > MaxHandshakeBytes {
			c.fail(d, fmt.Errorf("tlsinfo: offset %d: handshake message larger than %d bytes", d.off, MaxHandshakeBytes))
			return
		}
		d.hs = append(d.hs, body...)
		for len(d.hs) >= 4 && !d.done {
			n := 4 + (int(d.hs[1])<<16 | int(d.hs[2])<<8 | int(d.hs[3]))
			if n > MaxHandshakeBytes {
				c.fail(d, fmt.Errorf("tlsinfo: offset %d: handshake message of %d bytes, more than %d", d.off, n, MaxHandshakeBytes))
				return
			}
			if len(d.hs) < n {
				break
			}
			c.message(d, fromClient, d.hs[0], d.hs[4:n])
			if d.hs == nil {
				return // failed
			}
			d.hs = d.hs[n:]
		}
		if len(d.hs) == 0 {
			d.hs = nil
		}
	case recordAlert:
		if len(body) >= 2 && c.Alert == "" {
			c.Alert = fmt.Sprintf("level %d description %d", body[0], body[1])
		}
	default:
		// ChangeCipherSpec or application data: encrypted from here on.
		d.done = true
		d.rec, d.hs = nil, nil
	}
}

func (c *Conn) message(d *direction, fromClient bool, typ byte, body []byte) {
	var err error
	switch {
	case fromClient && typ == TypeClientHello && c.Client == nil:
		c.Client, err = ParseClientHello(body)
	case !fromClient && typ == TypeServerHello && c.Server == nil:
		c.Server, err = ParseServerHello(body)
		if err == nil && c.Server.NegotiatedVersion() == 0x0304 {
			d.done = true // the rest of the server's handshake is encrypted
		}
	case !fromClient && typ == TypeCertificate && c.Certificates == nil:
		c.Certificates, err = parseCertificates(body)
	}
	if err != nil {
		c.fail(d, fmt.Errorf("offset %d: %w", d.off, err))
	}
}

// parseCertificates reads a TLS 1.2 Certificate message: a list of DER
// certificates. One that x509 cannot parse is kept with its hash only.
func parseCertificates(b []byte) ([]Certificate, error) {
	r := &reader{b: b}
	list := &reader{b: r.n(r.u24())}
	if r.err != nil {
		return nil, fmt.Errorf("tlsinfo: Certificate: %w", r.err)
	}
	out := []Certificate{}
	for len(list.b) > 0 {
		der := list.n(list.u24())
		if list.err != nil {
			return out, fmt.Errorf("tlsinfo: Certificate %d: %w", len(out)+1, list.err)
		}
		sum := sha256.Sum256(der)
		if c, ok := certs.get(sum); ok {
			out = append(out, c)
			continue
		}
		cert := Certificate{SHA256: hex.EncodeToString(sum[:])}
		if x, err := x509.ParseCertificate(der); err == nil {
			cert.Subject, cert.Issuer = x.Subject.String(), x.Issuer.String()
			cert.NotBefore, cert.NotAfter = x.NotBefore, x.NotAfter
			cert.SANs = append(cert.SANs, x.DNSNames...)
			for _, ip := range x.IPAddresses {
				cert.SANs = append(cert.SANs, ip.String())
			}
			cert.SANs = append(cert.SANs, x.EmailAddresses...)
			for _, u := range x.URIs {
				cert.SANs = append(cert.SANs, u.String())
			}
		}
		certs.put(sum, cert)
		out = append(out, cert)
	}
	return out, nil
}

// certs remembers the certificates parsed last, by the SHA-256 of their
// DER encoding: a server sends the same chain to every client, and
// parsing it is most of the cost of a connection's facts.
var certs = certCache{m: map[[32]byte]Certificate{}}

// maxCerts bounds certs: past it, it starts afresh.
const maxCerts = 1024

type certCache struct {
	mu sync.Mutex
	m  map[[32]byte]Certificate
}

// get returns the certificate whose DER encoding has SHA-256 sum, with
// a SANs slice of its own.
func (c *certCache) get(sum [32]byte) (Certificate, bool) {
	c.mu.Lock()
	cert, ok := c.m[sum]
	c.mu.Unlock()
	cert.SANs = slices.Clone(cert.SANs)
	return cert, ok
}

func (c *certCache) put(sum [32]byte, cert Certificate) {
	cert.SANs = slices.Clone(cert.SANs)
	c.mu.Lock()
	if len(c.m) >= maxCerts {
		clear(c.m)
	}
	c.m[sum] = cert
	c.mu.Unlock()
}
