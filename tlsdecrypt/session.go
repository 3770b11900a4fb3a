package tlsdecrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/wirekit/wirekit/tlsinfo"
)

// Errors a Session reports in Err.
var (
	// ErrNoKey: the key log has no secret for the session's client random.
	ErrNoKey = errors.New("tlsdecrypt: no key in the key log for this session")
	// ErrUnsupported: the cipher suite is not an AEAD suite this package
	// decrypts (AES-GCM or ChaCha20-Poly1305).
	ErrUnsupported = errors.New("tlsdecrypt: cipher suite not supported")
	// ErrAuth: a record failed authentication (a wrong key, or damaged
	// bytes); the direction is given up.
	ErrAuth = errors.New("tlsdecrypt: record failed authentication (wrong key or damaged data)")
)

// maxRecord bounds a record's length (2^14 plus the expansion allowed).
const maxRecord = 1<<14 + 2048

// helloRetry is the ServerHello random of a HelloRetryRequest (RFC 8446).
var helloRetry, _ = hex.DecodeString("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

// Session decrypts one connection. Feed it the two directions' bytes in
// any interleaving that keeps each direction in order; out receives the
// application data in clear, record by record.
type Session struct {
	keys *KeyLog
	out  func(fromClient bool, plain []byte)
	// Err is the first error: a key missing, a suite not supported, a
	// record failing authentication, bytes that are not TLS. Application
	// data already handed out stays valid.
	Err       error
	client    *tlsinfo.ClientHello
	server    *tlsinfo.ServerHello
	version   uint16
	dir       [2]direction // 0: client to server
	sec       *secrets
	decrypted int64  // application data bytes handed out
	alpn      string // TLS 1.3: the protocol EncryptedExtensions chose
}

// ALPN is the application protocol the server chose, read from TLS 1.3's
// encrypted EncryptedExtensions once decrypted ("" when unknown or none;
// up to TLS 1.2 the ServerHello says it in clear).
func (s *Session) ALPN() string { return s.alpn }

type direction struct {
	rec     *[]byte // bytes of a record not complete yet (from recPool), or nil
	hs      []byte  // clear handshake bytes not yet forming a message
	aead    cipher.AEAD
	iv      []byte
	explict bool // TLS 1.2 GCM: 8-byte explicit nonce in each record
	seq     uint64
	// encrypted: the direction's records are protected from here on
	// (TLS 1.2 after ChangeCipherSpec, TLS 1.3 after the hellos).
	encrypted bool
	// appNext: TLS 1.3 switches to the application secret after this
	// direction's Finished.
	appNext []byte
	secret  []byte // TLS 1.3 current traffic secret, for KeyUpdate
	done    bool
	nonce   [12]byte // a record's nonce (AEADs here use 12 bytes)
	aad     [13]byte // a TLS 1.2 record's additional data
}

// NewSession returns a Session that decrypts with the secrets of k and
// hands application data to out. The plain bytes are valid only during the
// call (the buffer is reused for the direction's next record): copy what
// must be kept.
func (k *KeyLog) NewSession(out func(fromClient bool, plain []byte)) *Session {
	return &Session{keys: k, out: out}
}

// Decrypted is the number of application data bytes handed out so far.
func (s *Session) Decrypted() int64 { return s.decrypted }

// Lost says a direction lost bytes in a capture gap: its records cannot be
// framed any more, so it is given up.
func (s *Session) Lost(fromClient bool) {
	d := &s.dir[dirIndex(fromClient)]
	if !d.done {
		d.done = true
		s.fail(fmt.Errorf("tlsdecrypt: bytes missing from the %s's stream: the rest cannot be decrypted", side(fromClient)))
	}
}

func dirIndex(fromClient bool) int {
	if fromClient {
		return 0
	}
	return 1
}

func side(fromClient bool) string {
	if fromClient {
		return "client"
	}
	return "server"
}

func (s *Session) fail(err error) {
	if s.Err == nil {
		s.Err = err
	}
}

// recPool holds record-sized buffers: a record split across segments is
// assembled in one, and each record is decrypted into one, so that a
// connection holds no buffer of its own between records (there are many
// connections, each mostly idle).
var recPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 5+maxRecord)
	return &b
}}

// Feed reads the next bytes of one direction.
func (s *Session) Feed(fromClient bool, data []byte) {
	d := &s.dir[dirIndex(fromClient)]
	for len(data) > 0 && !d.done {
		if d.rec == nil && len(data) >= 5 {
			// Whole records straight from data, without copying.
			n := int(binary.BigEndian.Uint16(data[3:5]))
			if !plausibleRecord(data[0], data[1], n) {
				d.done = true
				s.fail(fmt.Errorf("tlsdecrypt: %s's stream: not a TLS record (type %d, length %d)", side(fromClient), data[0], n))
				return
			}
			if len(data) >= 5+n {
				if n > 0 {
					s.record(d, fromClient, data[0], data[:5], data[5:5+n])
				}
				data = data[5+n:]
				continue
			}
		}
		if d.rec == nil {
			d.rec = recPool.Get().(*[]byte)
		}
		rec := *d.rec
		need := 5
		if len(rec) >= 5 {
			need = 5 + int(binary.BigEndian.Uint16(rec[3:5]))
		}
		take := min(need-len(rec), len(data))
		rec = append(rec, data[:take]...)
		*d.rec = rec
		data = data[take:]
		if len(rec) == 5 {
			n := int(binary.BigEndian.Uint16(rec[3:5]))
			if !plausibleRecord(rec[0], rec[1], n) {
				d.done = true
				s.fail(fmt.Errorf("tlsdecrypt: %s's stream: not a TLS record (type %d, length %d)", side(fromClient), rec[0], n))
				d.release()
				return
			}
			if n == 0 {
				d.release()
			}
			continue
		}
		if len(rec) >= 5 && len(rec) == 5+int(binary.BigEndian.Uint16(rec[3:5])) {
			s.record(d, fromClient, rec[0], rec[:5], rec[5:])
			d.release()
		}
	}
}

// release gives the direction's record buffer back to recPool.
func (d *direction) release() {
	if d.rec != nil {
		*d.rec = (*d.rec)[:0]
		recPool.Put(d.rec)
		d.rec = nil
	}
}

// plausibleRecord reports whether a record header's type, major version
// and length can be TLS's.
func plausibleRecord(typ, major byte, n int) bool {
	return typ >= 20 && typ <= 24 && major == 3 && n <= maxRecord
}

// record handles one whole record.
func (s *Session) record(d *direction, fromClient bool, typ byte, hdr, body []byte) {
	if typ == 20 { // ChangeCipherSpec
		if s.version != 0x0304 && !d.encrypted {
			s.startTLS12(d, fromClient)
		}
		return
	}
	if !d.encrypted {
		if typ == 22 {
			s.clearHandshake(d, fromClient, body)
		}
		return
	}
	buf := recPool.Get().(*[]byte)
	defer recPool.Put(buf)
	plain, inner, err := s.open(d, typ, hdr, body, (*buf)[:0])
	if err != nil {
		d.done = true
		s.fail(fmt.Errorf("%s's record %d: %w", side(fromClient), d.seq, err))
		return
	}
	d.seq++
	switch inner {
	case 23:
		if len(plain) > 0 {
			s.decrypted += int64(len(plain))
			s.out(fromClient, plain)
		}
	case 22:
		if s.version == 0x0304 {
			s.protectedHandshake(d, plain)
		}
	}
}

// clearHandshake reads the hellos, which say the version, the suite and
// the randoms that select the key.
func (s *Session) clearHandshake(d *direction, fromClient bool, body []byte) {
	d.hs = append(d.hs, body...)
	for len(d.hs) >= 4 {
		n := 4 + (int(d.hs[1])<<16 | int(d.hs[2])<<8 | int(d.hs[3]))
		if n > 1<<18 {
			d.done = true
			s.fail(fmt.Errorf("tlsdecrypt: %s's handshake message of %d bytes", side(fromClient), n))
			return
		}
		if len(d.hs) < n {
			return
		}
		msg := d.hs[:n]
		d.hs = d.hs[n:]
		var err error
		switch {
		case fromClient && msg[0] == tlsinfo.TypeClientHello && s.client == nil:
			s.client, err = tlsinfo.ParseClientHello(msg[4:])
		case !fromClient && msg[0] == tlsinfo.TypeServerHello:
			var sh *tlsinfo.ServerHello
			sh, err = tlsinfo.ParseServerHello(msg[4:])
			if err == nil && string(sh.Random[:]) != string(helloRetry) {
				s.server = sh
				s.version = sh.NegotiatedVersion()
				if s.version == 0x0304 {
					s.startTLS13()
				}
			}
		}
		if err != nil {
			d.done = true
			s.fail(err)
			return
		}
	}
}

// lookup finds the session's secrets.
func (s *Session) lookup() *secrets {
	if s.client == nil || s.server == nil {
		s.fail(errors.New("tlsdecrypt: the hellos were not captured: no client random to find the key by"))
		return nil
	}
	sec := s.keys.secrets[s.client.Random]
	if sec == nil {
		s.fail(fmt.Errorf("%w (client random %x)", ErrNoKey, s.client.Random[:8]))
	}
	return sec
}

// suite describes an AEAD cipher suite.
type suite struct {
	keyLen int
	hash   func() hash.Hash
	chacha bool
}

func suiteOf(id uint16) (suite, bool) {
	switch id {
	case 0x1301, 0xc02b, 0xc02f, 0x009c, 0x009e:
		return suite{keyLen: 16, hash: sha256.New}, true
	case 0x1302, 0xc02c, 0xc030, 0x009d, 0x009f:
		return suite{keyLen: 32, hash: sha512.New384}, true
	case 0x1303, 0xcca8, 0xcca9, 0xccaa:
		return suite{keyLen: 32, hash: sha256.New, chacha: true}, true
	}
	return suite{}, false
}

func newAEAD(su suite, key []byte) (cipher.AEAD, error) {
	if su.chacha {
		return chacha20poly1305.New(key)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// startTLS12 derives the direction's key from the master secret at its
// ChangeCipherSpec (RFC 5246 6.3; RFC 5288 GCM nonces; RFC 7905 ChaCha20).
func (s *Session) startTLS12(d *direction, fromClient bool) {
	d.encrypted = true
	sec := s.lookup()
	if sec == nil || sec.master == nil {
		if sec != nil {
			s.fail(fmt.Errorf("%w (no CLIENT_RANDOM line for a TLS 1.2 session)", ErrNoKey))
		}
		d.done = true
		return
	}
	su, ok := suiteOf(s.server.CipherSuite)
	if !ok || s.server.CipherSuite>>8 == 0x13 {
		d.done = true
		s.fail(fmt.Errorf("%w: %#04x", ErrUnsupported, s.server.CipherSuite))
		return
	}
	ivLen := 4
	if su.chacha {
		ivLen = 12
	}
	seed := append(append([]byte{}, s.server.Random[:]...), s.client.Random[:]...)
	kb := prf12(su.hash, sec.master, "key expansion", seed, 2*su.keyLen+2*ivLen)
	ck, sk := kb[:su.keyLen], kb[su.keyLen:2*su.keyLen]
	civ, siv := kb[2*su.keyLen:2*su.keyLen+ivLen], kb[2*su.keyLen+ivLen:]
	key, iv := sk, siv
	if fromClient {
		key, iv = ck, civ
	}
	a, err := newAEAD(su, key)
	if err != nil {
		d.done = true
		s.fail(err)
		return
	}
	d.aead, d.iv, d.explict, d.seq = a, iv, !su.chacha, 0
}

// prf12 is TLS 1.2's PRF: P_hash(secret, label + seed).
func prf12(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	ls := append([]byte(label), seed...)
	mac := hmac.New(h, secret)
	mac.Write(ls)
	a := mac.Sum(nil)
	var out []byte
	for len(out) < n {
		mac.Reset()
		mac.Write(a)
		mac.Write(ls)
		out = mac.Sum(out)
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(nil)
	}
	return out[:n]
}

// startTLS13 sets both directions to the handshake traffic keys (RFC 8446
// 7.1-7.3); each switches to its application key after its Finished.
func (s *Session) startTLS13() {
	sec := s.lookup()
	for i := range s.dir {
		s.dir[i].encrypted = true
	}
	if sec == nil {
		s.dir[0].done, s.dir[1].done = true, true
		return
	}
	su, ok := suiteOf(s.server.CipherSuite)
	if !ok || s.server.CipherSuite>>8 != 0x13 {
		s.dir[0].done, s.dir[1].done = true, true
		s.fail(fmt.Errorf("%w: %#04x", ErrUnsupported, s.server.CipherSuite))
		return
	}
	for i, p := range [2][2][]byte{{sec.clientHS, sec.clientApp}, {sec.serverHS, sec.serverApp}} {
		d := &s.dir[i]
		if p[0] == nil || p[1] == nil {
			d.done = true
			s.fail(fmt.Errorf("%w (a TLS 1.3 session needs the %s's handshake and traffic secrets)", ErrNoKey, side(i == 0)))
			continue
		}
		if err := s.setKey13(d, su, p[0]); err != nil {
			d.done = true
			s.fail(err)
			continue
		}
		d.appNext = p[1]
	}
}

// setKey13 installs the key and IV derived from a TLS 1.3 traffic secret.
func (s *Session) setKey13(d *direction, su suite, secret []byte) error {
	key, err := expandLabel(su.hash, secret, "key", su.keyLen)
	if err != nil {
		return err
	}
	iv, err := expandLabel(su.hash, secret, "iv", 12)
	if err != nil {
		return err
	}
	a, err := newAEAD(su, key)
	if err != nil {
		return err
	}
	d.aead, d.iv, d.explict, d.seq, d.secret = a, iv, false, 0, secret
	return nil
}

// expandLabel is HKDF-Expand-Label with an empty context.
func expandLabel(h func() hash.Hash, secret []byte, label string, n int) ([]byte, error) {
	full := "tls13 " + label
	info := []byte{byte(n >> 8), byte(n), byte(len(full))}
	info = append(info, full...)
	info = append(info, 0)
	return hkdf.Expand(h, secret, string(info), n)
}

// protectedHandshake reads TLS 1.3 handshake messages in clear after
// decryption: Finished switches to the application key, KeyUpdate to the
// next one. Messages are taken whole from one record (as endpoints send
// them); a message split across records is skipped.
func (s *Session) protectedHandshake(d *direction, b []byte) {
	su, _ := suiteOf(s.server.CipherSuite)
	for len(b) >= 4 {
		n := 4 + (int(b[1])<<16 | int(b[2])<<8 | int(b[3]))
		if n > len(b) {
			return
		}
		switch b[0] {
		case 8: // EncryptedExtensions
			s.alpn = encryptedALPN(b[4:n])
		case 20: // Finished
			if d.appNext != nil {
				next := d.appNext
				d.appNext = nil
				if err := s.setKey13(d, su, next); err != nil {
					d.done = true
					s.fail(err)
					return
				}
			}
		case 24: // KeyUpdate
			next, err := expandLabel(su.hash, d.secret, "traffic upd", su.hash().Size())
			if err == nil {
				err = s.setKey13(d, su, next)
			}
			if err != nil {
				d.done = true
				s.fail(err)
				return
			}
		}
		b = b[n:]
	}
}

// open decrypts one protected record into dst (reusing its capacity),
// returning the content and its type.
func (s *Session) open(d *direction, typ byte, hdr, body, dst []byte) ([]byte, byte, error) {
	if d.aead == nil {
		return nil, 0, errors.New("tlsdecrypt: no key")
	}
	if d.aead.NonceSize() > len(d.nonce) {
		return nil, 0, errors.New("tlsdecrypt: nonce longer than 12 bytes")
	}
	nonce := d.nonce[:d.aead.NonceSize()]
	var aad []byte
	if d.explict {
		if len(body) < 8+d.aead.Overhead() {
			return nil, 0, errors.New("tlsdecrypt: record shorter than its nonce and tag")
		}
		copy(nonce, d.iv)
		copy(nonce[4:], body[:8])
		body = body[8:]
	} else {
		copy(nonce, d.iv)
		var seq [8]byte
		binary.BigEndian.PutUint64(seq[:], d.seq)
		for i := range 8 {
			nonce[len(nonce)-8+i] ^= seq[i]
		}
	}
	if s.version == 0x0304 {
		aad = hdr
	} else {
		if len(body) < d.aead.Overhead() {
			return nil, 0, errors.New("tlsdecrypt: record shorter than its tag")
		}
		aad = d.aad[:]
		binary.BigEndian.PutUint64(aad, d.seq)
		aad[8], aad[9], aad[10] = typ, hdr[1], hdr[2]
		binary.BigEndian.PutUint16(aad[11:], uint16(len(body)-d.aead.Overhead()))
	}
	plain, err := d.aead.Open(dst, nonce, body, aad)
	if err != nil {
		return nil, 0, ErrAuth
	}
	if s.version != 0x0304 {
		return plain, typ, nil
	}
	// TLSInnerPlaintext: content, type, zero padding.
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 {
		return nil, 0, errors.New("tlsdecrypt: record without a content type")
	}
	return plain[:i], plain[i], nil
}

// encryptedALPN finds the ALPN extension's protocol in an
// EncryptedExtensions body, or "".
func encryptedALPN(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	n := int(binary.BigEndian.Uint16(b))
	b = b[2:min(len(b), 2+n)]
	for len(b) >= 4 {
		typ, l := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		if len(b) < 4+l {
			return ""
		}
		if d := b[4 : 4+l]; typ == 0x0010 && len(d) >= 3 && int(d[2]) <= len(d)-3 {
			return string(d[3 : 3+int(d[2])])
		}
		b = b[4+l:]
	}
	return ""
}
