// Package tlsdecrypt decrypts TLS 1.2 (AEAD cipher suites) and TLS 1.3
// sessions captured on the wire, given the secrets the endpoints logged in
// the NSS key log format (SSLKEYLOGFILE, as curl, browsers and Go's
// tls.Config.KeyLogWriter write). A Session follows one connection's two
// reassembled byte streams and hands out the application data in clear.
// Only the standard library's crypto is used (and x/crypto's ChaCha20-
// Poly1305); nothing here negotiates or sends.
package tlsdecrypt

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key log: %w", err)
	}
	return parseKeyLog(data, path)
}

// ParseKeyLog reads NSS key log lines ("LABEL CLIENT_RANDOM SECRET", hex):
// CLIENT_RANDOM (TLS 1.2 master secret), CLIENT_HANDSHAKE_TRAFFIC_SECRET,
// SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0 and
// SERVER_TRAFFIC_SECRET_0 (TLS 1.3). Comments (#) and blank lines are
// skipped, other labels ignored; a line that does not have three fields of
// the right form is an error naming name and the line number.
func ParseKeyLog(r io.Reader, name string) (*KeyLog, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("key log %s: %w", name, err)
	}
	return parseKeyLog(data, name)
}

// parseKeyLog is ParseKeyLog on the file's bytes.
func parseKeyLog(data []byte, name string) (*KeyLog, error) {
	// One pass, no allocation a line: the secrets are decoded into one
	// buffer and the sessions' records taken from slabs (a key log holds
	// four TLS 1.3 lines or one TLS 1.2 line a session).
	k := &KeyLog{secrets: make(map[[32]byte]*secrets, bytes.Count(data, []byte{'\n'})/4+1)}
	arena := make([]byte, 0, len(data)/2)
	var slab []secrets
	for n := 1; len(data) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		label, rest := nextField(line)
		if len(label) == 0 || label[0] == '#' {
			continue
		}
		crHex, rest := nextField(rest)
		secHex, rest := nextField(rest)
		if extra, _ := nextField(rest); len(secHex) == 0 || len(extra) > 0 {
			return nil, fmt.Errorf("key log %s: line %d: want LABEL CLIENT_RANDOM SECRET, got %d fields", name, n, countFields(line))
		}
		var key [32]byte
		if len(crHex) != 2*len(key) {
			return nil, fmt.Errorf("key log %s: line %d: client random is not 32 bytes of hex", name, n)
		}
		if _, err := hex.Decode(key[:], crHex); err != nil {
			return nil, fmt.Errorf("key log %s: line %d: client random is not 32 bytes of hex", name, n)
		}
		if len(secHex)%2 != 0 || len(arena)+len(secHex)/2 > cap(arena) {
			return nil, fmt.Errorf("key log %s: line %d: secret is not hex", name, n)
		}
		sec := arena[len(arena) : len(arena)+len(secHex)/2 : len(arena)+len(secHex)/2]
		if _, err := hex.Decode(sec, secHex); err != nil {
			return nil, fmt.Errorf("key log %s: line %d: secret is not hex", name, n)
		}
		var slot *[]byte
		s := k.secrets[key]
		if s == nil {
			if len(slab) == cap(slab) {
				slab = make([]secrets, 0, 64)
			}
			slab = append(slab, secrets{})
			s = &slab[len(slab)-1]
		}
		switch string(label) {
		case "CLIENT_RANDOM":
			if len(sec) != 48 {
				return nil, fmt.Errorf("key log %s: line %d: a TLS 1.2 master secret has 48 bytes, not %d", name, n, len(sec))
			}
			slot = &s.master
		case "CLIENT_HANDSHAKE_TRAFFIC_SECRET":
			slot = &s.clientHS
		case "SERVER_HANDSHAKE_TRAFFIC_SECRET":
			slot = &s.serverHS
		case "CLIENT_TRAFFIC_SECRET_0":
			slot = &s.clientApp
		case "SERVER_TRAFFIC_SECRET_0":
			slot = &s.serverApp
		default:
			continue
		}
		*slot = sec
		arena = arena[:len(arena)+len(sec)]
		k.secrets[key] = s
	}
	return k, nil
}

// nextField returns the first field of b (fields are separated by spaces,
// tabs and carriage returns) and what follows it.
func nextField(b []byte) (field, rest []byte) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && !isSpace(b[j]) {
		j++
	}
	return b[i:j], b[j:]
}

// countFields counts the fields of a line, for its error.
func countFields(line []byte) int {
	n := 0
	for f, rest := nextField(line); len(f) > 0; f, rest = nextField(rest) {
		n++
	}
	return n
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
