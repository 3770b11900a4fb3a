package tlsdecrypt

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// FuzzParseKeyLog holds ParseKeyLog to a plain reference reading (a line
// scanner and strings.Fields, as ParseKeyLog was first written): the same
// files accepted, the same errors, the same secrets. Inputs are ASCII:
// the reference also splits fields at Unicode spaces.
func FuzzParseKeyLog(f *testing.F) {
	r := strings.Repeat("ab", 32)
	f.Add("CLIENT_RANDOM " + r + " " + strings.Repeat("01", 48) + "\n")
	f.Add("# comment\n\nCLIENT_HANDSHAKE_TRAFFIC_SECRET " + r + " 00ff\r\nSERVER_TRAFFIC_SECRET_0\t" + r + "\t0102\nEXPORTER_SECRET " + r + " 09\n")
	f.Add("CLIENT_RANDOM abcd\n")
	f.Add("CLIENT_TRAFFIC_SECRET_0 " + r + " 0g\n")
	f.Add("X " + r + " 00 extra")
	f.Fuzz(func(t *testing.T, text string) {
		for i := 0; i < len(text); i++ {
			if text[i] >= 0x80 {
				return
			}
		}
		if len(text) > 60000 {
			return // the reference's line scanner stops at 64 KiB lines
		}
		got, err := ParseKeyLog(strings.NewReader(text), "k")
		want, werr := referenceKeyLog(text, "k")
		if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
			t.Fatalf("ParseKeyLog(%q): error %v, reference %v", text, err, werr)
		}
		if err != nil {
			return
		}
		if g, w := dumpKeyLog(got), dumpKeyLog(want); g != w {
			t.Fatalf("ParseKeyLog(%q):\n%s\nreference:\n%s", text, g, w)
		}
	})
}

func TestParseKeyLogAgreesWithReference(t *testing.T) {
	r := strings.Repeat("cd", 32)
	for _, c := range []struct{ name, text string }{
		{"TLS 1.3", "CLIENT_HANDSHAKE_TRAFFIC_SECRET " + r + " 0011\nSERVER_HANDSHAKE_TRAFFIC_SECRET " + r + " 2233\nCLIENT_TRAFFIC_SECRET_0 " + r + " 4455\nSERVER_TRAFFIC_SECRET_0 " + r + " 6677\n"},
		{"TLS 1.2, CRLF, no last newline", "CLIENT_RANDOM " + r + " " + strings.Repeat("ee", 48) + "\r\nCLIENT_RANDOM " + strings.Repeat("01", 32) + " " + strings.Repeat("ff", 48)},
		{"a line repeated", "CLIENT_TRAFFIC_SECRET_0 " + r + " 01\nCLIENT_TRAFFIC_SECRET_0 " + r + " 02\n"},
		{"unknown labels", "EXPORTER_SECRET " + r + " 01\nEARLY_EXPORTER_SECRET " + r + " 02\n"},
		{"four fields", "CLIENT_RANDOM " + r + " 00 00\n"},
		{"odd secret", "CLIENT_TRAFFIC_SECRET_0 " + r + " 012\n"},
		{"bad random", "CLIENT_TRAFFIC_SECRET_0 " + strings.Repeat("zz", 32) + " 01\n"},
		{"indented comment", "   # note\n\t\nCLIENT_TRAFFIC_SECRET_0 " + r + " 01\n"},
	} {
		got, err := ParseKeyLog(strings.NewReader(c.text), "k")
		want, werr := referenceKeyLog(c.text, "k")
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Errorf("%s: error %v, reference %v", c.name, err, werr)
			continue
		}
		if err == nil && dumpKeyLog(got) != dumpKeyLog(want) {
			t.Errorf("%s:\n%s\nreference:\n%s", c.name, dumpKeyLog(got), dumpKeyLog(want))
		}
	}
}

// dumpKeyLog writes a key log's secrets in a fixed order.
func dumpKeyLog(k *KeyLog) string {
	var lines []string
	for cr, s := range k.secrets {
		lines = append(lines, fmt.Sprintf("%x m=%x chs=%x shs=%x ca=%x sa=%x", cr, s.master, s.clientHS, s.serverHS, s.clientApp, s.serverApp))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// referenceKeyLog is the first, plain reading of a key log.
func referenceKeyLog(text, name string) (*KeyLog, error) {
	k := &KeyLog{secrets: map[[32]byte]*secrets{}}
	sc := bufio.NewScanner(bytes.NewReader([]byte(text)))
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
	return k, sc.Err()
}

func BenchmarkParseKeyLogReference(b *testing.B) {
	kl := benchKeyLog()
	b.ReportAllocs()
	for b.Loop() {
		referenceKeyLog(kl, "k")
	}
}

func benchKeyLog() string {
	var kl strings.Builder
	for i := range 1000 {
		cr := fmt.Sprintf("%064x", i)
		for _, l := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
			fmt.Fprintf(&kl, "%s %s %s\n", l, cr, strings.Repeat("5a", 32))
		}
	}
	return kl.String()
}

func BenchmarkParseKeyLog(b *testing.B) {
	var kl bytes.Buffer
	for i := range 1000 {
		cr := fmt.Sprintf("%064x", i)
		for _, l := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
			fmt.Fprintf(&kl, "%s %s %s\n", l, cr, strings.Repeat("5a", 32))
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(kl.Len()))
	for b.Loop() {
		if _, err := ParseKeyLog(bytes.NewReader(kl.Bytes()), "k"); err != nil {
			b.Fatal(err)
		}
	}
}
