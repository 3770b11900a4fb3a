package tlsdecrypt

import (
	"crypto/aes"
	"crypto/cipher"
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
	// ErrGap: bytes were lost in a capture gap and no record after it
	// could be decrypted: TLS records carry no sequence number, and the
	// nonce and additional data of every AEAD suite depend on it.
	ErrGap = errors.New("tlsdecrypt: records after a capture gap cannot be decrypted without their sequence numbers")
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
	updates int    // TLS 1.3 KeyUpdates the direction sent, read so far
	done    bool
	nonce   [12]byte // a record's nonce (AEADs here use 12 bytes)
	aad     [13]byte // a TLS 1.2 record's additional data
	// After a gap: resync is set while the bytes that follow (held in
	// sbuf, scan bytes of it looked at) are searched for a record that
	// decrypts with one of the next sequence numbers (window of them).
	resync   bool
	sbuf     []byte
	scan     int
	window   uint64
	searched int64  // bytes passed over since the gap
	lost     int64  // bytes lost in gaps, in all
	recMinor byte   // the minor version of the direction's protected records
	gaps     int    // gaps the direction resumed after
	gapSeq   uint64 // the sequence number at the last gap
	// ahead: TLS 1.3, while searching after a gap, the keys of the
	// next KeyUpdates, tried in turn when the current key fails (the
	// gap may have held KeyUpdates).
	ahead []trafficKey
	// gapData: the last gap may have held application data (see
	// GapHeldData); kuOnly, when it may not, is how many KeyUpdate
	// records its bytes would be.
	gapData bool
	kuOnly  int
	// budget bounds the bytes trial decryption may authenticate while
	// searching (hostile bytes full of plausible record headers);
	// tried counts them over the direction's life.
	budget, tried int64
	// in: the direction's bytes given so far (fed and lost), so the
	// stream offset of the next byte; recStart and recEnd: the stream
	// offsets of the last whole record read (see Record).
	in, recStart, recEnd int64
}

// trafficKey is a TLS 1.3 traffic secret and the key and IV made from it.
type trafficKey struct {
	secret []byte
	aead   cipher.AEAD
	iv     []byte
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

// KeyUpdates is the number of TLS 1.3 KeyUpdate messages each direction
// sent that were read so far (each switched the direction to its next
// traffic key), or found lost in a capture gap (see Lost): from the
// client, and from the server. Both are 0 up to TLS 1.2 and for a
// direction given up before any.
func (s *Session) KeyUpdates() (client, server int) {
	return s.dir[0].updates, s.dir[1].updates
}

// Lost says a direction lost n bytes in a capture gap (n <= 0: how many
// is unknown). Where the record boundaries are and which sequence number
// the next record has (TLS 1.3 and TLS 1.2 AEAD nonces and additional data
// hold it) are then unknown: the bytes that follow are searched for a
// record header that starts a record decrypting with one of the next
// sequence numbers (as many as the lost bytes can hold records, at most
// MaxGapRecords), and decryption resumes there; Gaps counts the times it
// did. In TLS 1.3 the gap may have held KeyUpdates: a record that
// decrypts with none of them under the current key is tried with the
// keys of the next MaxGapKeyUpdates updates (sequence numbers from 0),
// and a key found that way is kept (KeyUpdates counts the updates lost).
// Until then nothing is handed out. A direction whose search finds
// no such record in MaxGapSearch bytes, or that lost bytes before its keys
// were in use (the handshake in clear), is given up with Err saying so.
func (s *Session) Lost(fromClient bool, n int) {
	d := &s.dir[dirIndex(fromClient)]
	d.in += int64(max(n, 0))
	d.gapData = true
	if d.done {
		return
	}
	if !d.encrypted || d.aead == nil {
		d.done = true
		s.fail(fmt.Errorf("tlsdecrypt: %d bytes missing from the %s's stream before its records were protected: the rest cannot be decrypted", max(n, 0), side(fromClient)))
		return
	}
	aligned := d.rec == nil // the gap is at a record boundary
	d.release()
	if !d.resync {
		d.resync, d.gapSeq, d.window = true, d.seq, 0
		d.sbuf, d.scan, d.searched = d.sbuf[:0], 0, 0
		d.ahead = s.nextKeys(d)
		d.kuOnly = 0
		if ku := keyUpdateLen(d); aligned && len(d.ahead) > 0 && n > 0 && n%ku == 0 && n/ku <= len(d.ahead) {
			d.gapData, d.kuOnly = false, n/ku
		}
	} else {
		// Another gap while searching: what is held is not
		// contiguous with what follows.
		d.searched += int64(len(d.sbuf))
		d.sbuf, d.scan = d.sbuf[:0], 0
	}
	d.budget = min(gapBudget+2*int64(max(n, 0)), maxTried-d.tried)
	if n <= 0 {
		d.window = MaxGapRecords
	} else {
		d.lost += int64(n)
		// The records n bytes can hold (the smallest protected record
		// is 22 bytes), and the one the gap cut.
		d.window = min(d.window+uint64(n)/22+2, MaxGapRecords)
	}
}

// Bounds on finding the next record after a gap.
const (
	// MaxGapRecords is the most sequence numbers tried on a record
	// after a gap.
	MaxGapRecords = 1024
	// MaxGapSearch is how many bytes after a gap are searched for a
	// record that decrypts before the direction is given up.
	MaxGapSearch = 1 << 20
	// MaxGapKeyUpdates is the most TLS 1.3 KeyUpdates a gap may have
	// held for the search after it to find the next record.
	MaxGapKeyUpdates = 3
	// gapBudget is the bytes trial decryption may authenticate after a
	// gap (plus twice the bytes lost), maxTried over a direction's life.
	gapBudget = 64 << 20
	maxTried  = 256 << 20
)

// keyUpdateLen is the length of a protected KeyUpdate record without
// padding: header, message (4+1), content type and tag.
func keyUpdateLen(d *direction) int {
	if d.aead == nil {
		return 0
	}
	return 5 + 4 + 1 + 1 + d.aead.Overhead()
}

// GapHeldData reports whether the direction's last capture gap (see Lost)
// may have held application data: true, unless the gap came at a record
// boundary of TLS 1.3 application traffic and its bytes can be KeyUpdate
// records alone (27 bytes each, at most MaxGapKeyUpdates of them); then
// false while the search after it goes on, and, once decryption resumed,
// false only if it did at the first byte after the gap, with the key of as
// many updates and sequence number 0 (nothing else was lost), and true
// once the direction is given up. A direction without a gap: false. A
// caller passing the clear bytes on can thus wait for the direction's
// next application data to say whether any were lost.
func (s *Session) GapHeldData(fromClient bool) bool {
	d := &s.dir[dirIndex(fromClient)]
	return d.gapData
}

// Gaps is the number of capture gaps after which decryption resumed.
func (s *Session) Gaps() int { return s.dir[0].gaps + s.dir[1].gaps }

// resyncFeed searches the bytes after a gap for a record that decrypts
// with one of the next sequence numbers, and reads on from it as usual.
func (s *Session) resyncFeed(d *direction, fromClient bool, data []byte) {
	d.sbuf = append(d.sbuf, data...)
	b := d.sbuf
	for ; d.scan+5 <= len(b); d.scan++ {
		i := d.scan
		n := int(binary.BigEndian.Uint16(b[i+3 : i+5]))
		// An application data record of the direction's version, long
		// enough for a tag and a content type.
		if b[i] != 23 || b[i+1] != 3 || (b[i+2] != 3 && b[i+2] != d.recMinor) || n < 17 || n > maxRecord {
			continue
		}
		if i+5+n > len(b) {
			break // wait for the rest of the candidate
		}
		seq, gen, ok := s.trySeqs(d, b[i:i+5], b[i+5:i+5+n])
		if !ok {
			if d.budget <= 0 {
				d.done, d.resync, d.sbuf, d.gapData = true, false, nil, true
				s.fail(d.gapErr(fromClient, fmt.Sprintf("%d bytes (the trial decryptions allowed ran out)", d.searched+int64(i))))
				return
			}
			continue
		}
		// Found: the record is read with its sequence number, and the
		// bytes after it as usual.
		d.resync, d.seq, d.gaps = false, seq, d.gaps+1
		d.searched += int64(i)
		if d.kuOnly > 0 && (d.searched != 0 || gen != d.kuOnly || seq != 0) {
			d.gapData = true
		}
		rest := b[i:]
		off := d.in - int64(len(b)-i) // d.in counts b's bytes: they were given
		d.sbuf = d.sbuf[:0]
		if cap(d.sbuf) > 4*(5+maxRecord) {
			d.sbuf = nil
		}
		s.feed(d, fromClient, rest, off)
		return
	}
	// Keep what may still start a record: the bytes from scan on.
	if drop := d.scan; drop > 0 {
		d.searched += int64(drop)
		n := copy(d.sbuf, d.sbuf[drop:])
		d.sbuf, d.scan = d.sbuf[:n], 0
	}
	if d.searched+int64(len(d.sbuf)) > MaxGapSearch {
		d.done, d.resync, d.sbuf, d.gapData = true, false, nil, true
		s.fail(d.gapErr(fromClient, fmt.Sprintf("the next %d bytes", MaxGapSearch)))
	}
}

// gapErr says why a direction stopped at a gap: searched, what was
// searched.
func (d *direction) gapErr(fromClient bool, searched string) error {
	return fmt.Errorf("%w: the %s's stream lost %d bytes after record %d, and no record in %s decrypted with sequence numbers %d to %d (%s)",
		ErrGap, side(fromClient), d.lost, d.gapSeq, searched, d.gapSeq, d.gapSeq+max(d.window, 1)-1, d.why())
}

// why says what a gap's search could not have found.
func (d *direction) why() string {
	if len(d.ahead) > 0 {
		return fmt.Sprintf("more records lost than tried, or more than %d KeyUpdates lost", len(d.ahead))
	}
	return "more records lost than tried"
}

// nextKeys returns the keys of a TLS 1.3 direction's next
// MaxGapKeyUpdates KeyUpdates (nil before its application traffic key,
// and up to TLS 1.2).
func (s *Session) nextKeys(d *direction) []trafficKey {
	if s.version != 0x0304 || d.secret == nil || d.appNext != nil {
		return nil
	}
	su, _ := suiteOf(s.server.CipherSuite)
	keys := make([]trafficKey, 0, MaxGapKeyUpdates)
	secret := d.secret
	for range MaxGapKeyUpdates {
		secret = expandLabel(hmac.New(su.hash, secret), "traffic upd", su.hash().Size())
		mac := hmac.New(su.hash, secret)
		a, err := newAEAD(su, expandLabel(mac, "key", su.keyLen))
		if err != nil {
			break
		}
		keys = append(keys, trafficKey{secret: secret, aead: a, iv: expandLabel(mac, "iv", 12)})
	}
	return keys
}

// End says the connection ended: a direction still searching for a record
// after a gap sets Err (ErrGap).
func (s *Session) End() {
	for i := range s.dir {
		if d := &s.dir[i]; d.resync && !d.done {
			d.done, d.resync, d.gapData = true, false, true
			s.fail(d.gapErr(i == 0, fmt.Sprintf("the %d bytes up to the end", d.searched+int64(len(d.sbuf)))))
			d.sbuf = nil
		}
	}
}

// trySeqs tries to decrypt the record hdr+body with each sequence number
// of the window after the gap, returning the one that authenticates; then
// (TLS 1.3) with the keys of the next KeyUpdates from sequence number 0,
// switching the direction to the key that authenticates. gen is the
// number of KeyUpdates between the key before and the one found.
func (s *Session) trySeqs(d *direction, hdr, body []byte) (seq uint64, gen int, ok bool) {
	buf := recPool.Get().(*[]byte)
	defer recPool.Put(buf)
	for seq := d.gapSeq; seq < d.gapSeq+max(d.window, 1) && d.budget > 0; seq++ {
		d.budget -= int64(len(body))
		d.tried += int64(len(body))
		if _, _, err := s.open(d, seq, hdr[0], hdr, body, (*buf)[:0]); err == nil {
			d.ahead = nil
			return seq, 0, true
		}
	}
	// The direction's key is swapped for each candidate while it is
	// tried, and kept if one authenticates.
	aead, iv := d.aead, d.iv
	for i, k := range d.ahead {
		d.aead, d.iv = k.aead, k.iv
		for seq := uint64(0); seq < max(d.window, 1) && d.budget > 0; seq++ {
			d.budget -= int64(len(body))
			d.tried += int64(len(body))
			if _, _, err := s.open(d, seq, hdr[0], hdr, body, (*buf)[:0]); err == nil {
				d.secret = k.secret
				d.updates += i + 1
				d.ahead = nil
				return seq, i + 1, true
			}
		}
	}
	d.aead, d.iv = aead, iv
	return 0, 0, false
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
	off := d.in
	d.in += int64(len(data))
	if d.resync && !d.done {
		s.resyncFeed(d, fromClient, data)
		return
	}
	s.feed(d, fromClient, data, off)
}

// Record returns the stream offsets of the start and the end of the last
// whole record read from a direction: offsets count the direction's bytes
// from 0, those given to Feed and those Lost says were lost. While out
// receives a record's application data, they are that record's. A caller
// can so tell which packets carried the record, and map a position in the
// encrypted stream (an acknowledgement number) to one in the clear.
// Before any record: 0, 0.
func (s *Session) Record(fromClient bool) (start, end int64) {
	d := &s.dir[dirIndex(fromClient)]
	return d.recStart, d.recEnd
}

// feed reads data, whose first byte is at stream offset off.
func (s *Session) feed(d *direction, fromClient bool, data []byte, off int64) {
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
				d.recStart, d.recEnd = off, off+int64(5+n)
				if n > 0 {
					s.record(d, fromClient, data[0], data[:5], data[5:5+n])
				}
				data = data[5+n:]
				off += int64(5 + n)
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
		off += int64(take)
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
			d.recStart, d.recEnd = off-int64(len(rec)), off
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
	plain, inner, err := s.open(d, d.seq, typ, hdr, body, (*buf)[:0])
	if err != nil {
		d.done = true
		s.fail(fmt.Errorf("%s's record %d: %w", side(fromClient), d.seq, err))
		return
	}
	d.seq++
	d.recMinor = hdr[2]
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
	mac := hmac.New(su.hash, secret)
	key, iv := expandLabel(mac, "key", su.keyLen), expandLabel(mac, "iv", 12)
	a, err := newAEAD(su, key)
	if err != nil {
		return err
	}
	d.aead, d.iv, d.explict, d.seq, d.secret = a, iv, false, 0, secret
	return nil
}

// expandLabel is HKDF-Expand-Label (RFC 8446 7.1) with an empty context
// and mac the HMAC keyed with the secret, for n no longer than the hash
// (every use here): the first block of HKDF-Expand (RFC 5869 2.3),
// HMAC(secret, info | 0x01), is the output. One HMAC serves the key and
// the IV of a secret.
func expandLabel(mac hash.Hash, label string, n int) []byte {
	var buf [64]byte
	info := append(buf[:0], byte(n>>8), byte(n), byte(len("tls13 ")+len(label)))
	info = append(info, "tls13 "...)
	info = append(info, label...)
	info = append(info, 0, 1)
	mac.Reset()
	mac.Write(info)
	return mac.Sum(nil)[:n]
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
			next := expandLabel(hmac.New(su.hash, d.secret), "traffic upd", su.hash().Size())
			if err := s.setKey13(d, su, next); err != nil {
				d.done = true
				s.fail(err)
				return
			}
			d.updates++
		}
		b = b[n:]
	}
}

// open decrypts one protected record into dst (reusing its capacity),
// returning the content and its type.
func (s *Session) open(d *direction, seq uint64, typ byte, hdr, body, dst []byte) ([]byte, byte, error) {
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
		var sb [8]byte
		binary.BigEndian.PutUint64(sb[:], seq)
		for i := range 8 {
			nonce[len(nonce)-8+i] ^= sb[i]
		}
	}
	if s.version == 0x0304 {
		aad = hdr
	} else {
		if len(body) < d.aead.Overhead() {
			return nil, 0, errors.New("tlsdecrypt: record shorter than its tag")
		}
		aad = d.aad[:]
		binary.BigEndian.PutUint64(aad, seq)
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
