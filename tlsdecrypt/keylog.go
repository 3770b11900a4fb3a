// Package tlsdecrypt decrypts TLS 1.2 (AEAD cipher suites) and TLS 1.3
// sessions captured on the wire, given the secrets the endpoints logged in
// the NSS key log format (SSLKEYLOGFILE, as curl, browsers and Go's
// tls.Config.KeyLogWriter write). A Session follows one connection's two
// reassembled byte streams and hands out the application data in clear.
// Only the standard library's crypto is used (and x/crypto's ChaCha20-
// Poly1305); nothing here negotiates or sends.
package tlsdecrypt

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// KeyLog holds the secrets of a key log file, by client random.
type KeyLog struct {
	secrets map[[32]byte]*secrets
}

// secrets are what a key log says about one session.
type secrets struct {
	master               []byte // TLS 1.2 CLIENT_RANDOM
	clientHS, serverHS   []byte // TLS 1.3 handshake traffic secrets
	clientApp, serverApp []byte // TLS 1.3 traffic secrets 0
}

// Len is the number of sessions the key log has secrets for.
func (k *KeyLog) Len() int { return len(k.secrets) }

// LoadKeyLog reads a key log file. Errors name the file and the line.
func LoadKeyLog(path string) (*KeyLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key log: %w", err)
	}
	defer f.Close()
	return ParseKeyLog(f, path)
}

// ParseKeyLog reads NSS key log lines ("LABEL CLIENT_RANDOM SECRET", hex):
// CLIENT_RANDOM (TLS 1.2 master secret), CLIENT_HANDSHAKE_TRAFFIC_SECRET,
// SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0 and
// SERVER_TRAFFIC_SECRET_0 (TLS 1.3). Comments (#) and blank lines are
// skipped, other labels ignored; a line that does not have three fields of
// the right form is an error naming name and the line number.
func ParseKeyLog(r io.Reader, name string) (*KeyLog, error) {
	k := &KeyLog{secrets: map[[32]byte]*secrets{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<16)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("key log %s: line %d: want LABEL CLIENT_RANDOM SECRET, got %d fields", name, n, len(f))
		}
		cr, err := hex.DecodeString(f[1])
		if err != nil || len(cr) != 32 {
			return nil, fmt.Errorf("key log %s: line %d: client random is not 32 bytes of hex", name, n)
		}
		sec, err := hex.DecodeString(f[2])
		if err != nil || len(sec) == 0 {
			return nil, fmt.Errorf("key log %s: line %d: secret is not hex", name, n)
		}
		var key [32]byte
		copy(key[:], cr)
		s := k.secrets[key]
		if s == nil {
			s = &secrets{}
		}
		switch f[0] {
		case "CLIENT_RANDOM":
			if len(sec) != 48 {
				return nil, fmt.Errorf("key log %s: line %d: a TLS 1.2 master secret has 48 bytes, not %d", name, n, len(sec))
			}
			s.master = sec
		case "CLIENT_HANDSHAKE_TRAFFIC_SECRET":
			s.clientHS = sec
		case "SERVER_HANDSHAKE_TRAFFIC_SECRET":
			s.serverHS = sec
		case "CLIENT_TRAFFIC_SECRET_0":
			s.clientApp = sec
		case "SERVER_TRAFFIC_SECRET_0":
			s.serverApp = sec
		default:
			continue
		}
		k.secrets[key] = s
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("key log %s: %w", name, err)
	}
	return k, nil
}
