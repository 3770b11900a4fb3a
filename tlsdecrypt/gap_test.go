package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestDecryptAfterGap: a real TLS connection (Go's client and server) with
// one segment lost in the middle of a direction's application data: the
// records before the gap are decrypted as in the whole capture; after it,
// decryption resumes at the next record, whose sequence number is found by
// trying the next ones, and hands out the rest of the direction exactly
// (Gaps says it resumed). Told too few bytes were lost for the records
// that were (so that too few sequence numbers are tried), the direction is
// given up and Err says why (ErrGap).
func TestDecryptAfterGap(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version uint16
		suites  []uint16
	}{
		{"TLS 1.3", tls.VersionTLS13, nil},
		{"TLS 1.2 AES-128-GCM", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}},
		{"TLS 1.2 ChaCha20-Poly1305", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}},
	} {
		var keylog bytes.Buffer
		conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tc.version, SNI: "api.example",
			ALPN: []string{"http/1.1"}, CipherSuites: tc.suites, KeyLog: &keylog, Exchanges: exchanges(8)})
		kl, err := ParseKeyLog(&keylog, "keylog")
		if err != nil {
			t.Fatal(err)
		}
		pieces := payloads(t, conv)
		// decrypt feeds pieces, losing piece lost (telling Lost it was
		// told bytes), and returns each direction's clear bytes, and
		// how many of them came before the gap.
		decrypt := func(lost, told int) (*Session, [2]string, [2]int) {
			var got [2]bytes.Buffer
			var before [2]int
			s := kl.NewSession(func(fromClient bool, p []byte) { got[dirIndex(fromClient)].Write(p) })
			for i, p := range pieces {
				if i == lost {
					before = [2]int{got[0].Len(), got[1].Len()}
					s.Lost(p.fromClient, told)
					continue
				}
				s.Feed(p.fromClient, p.data)
			}
			s.End()
			return s, [2]string{got[0].String(), got[1].String()}, before
		}
		_, whole, _ := decrypt(-1, 0)
		for _, client := range []bool{true, false} {
			// The direction's pieces after its first application data.
			var idx []int
			for i, p := range pieces {
				if p.fromClient == client && i > 6 {
					idx = append(idx, i)
				}
			}
			if len(idx) < 5 {
				t.Fatalf("%s: %d pieces from the client=%v", tc.name, len(idx), client)
			}
			d := dirIndex(client)
			for _, at := range []int{len(idx) / 3, 2 * len(idx) / 3} {
				k := idx[at]
				t.Run(fmt.Sprintf("%s/%s piece %d of %d lost", tc.name, side(client), k, len(pieces)), func(t *testing.T) {
					s, got, before := decrypt(k, len(pieces[k].data))
					if s.Err != nil {
						t.Fatalf("Err %v, want decryption resumed", s.Err)
					}
					if s.Gaps() != 1 {
						t.Errorf("Gaps() = %d, want 1", s.Gaps())
					}
					if !s.GapHeldData(client) {
						t.Errorf("GapHeldData() false, but application data was lost")
					}
					if got[1-d] != whole[1-d] {
						t.Errorf("the other direction differs (%d bytes, want %d)", len(got[1-d]), len(whole[1-d]))
					}
					b := before[d]
					if got[d][:b] != whole[d][:b] {
						t.Errorf("the bytes before the gap differ")
					}
					after := got[d][b:]
					// The lost piece's records are lost; everything
					// from the next record on comes out.
					want := len(whole[d]) - b - plainOf(t, kl, pieces, k)
					if len(after) != want || !strings.HasSuffix(whole[d], after) {
						t.Errorf("%d bytes after the gap, want the last %d of the direction", len(after), want)
					}
				})
			}
			t.Run(fmt.Sprintf("%s/%s 700 bytes lost inside records", tc.name, side(client)), func(t *testing.T) {
				// The direction in 700-byte segments, one lost in the
				// middle: the search starts inside a record.
				var segs []piece
				for _, p := range pieces {
					for off := 0; off < len(p.data); off += 700 {
						segs = append(segs, piece{p.fromClient, p.data[off:min(off+700, len(p.data))]})
					}
				}
				var mine []int
				for i, p := range segs {
					if p.fromClient == client {
						mine = append(mine, i)
					}
				}
				lost := mine[5*len(mine)/8] // past the handshake
				var got [2]bytes.Buffer
				s := kl.NewSession(func(fromClient bool, p []byte) { got[dirIndex(fromClient)].Write(p) })
				var before int
				for i, p := range segs {
					if i == lost {
						before = got[d].Len()
						s.Lost(client, len(p.data))
						continue
					}
					s.Feed(p.fromClient, p.data)
				}
				s.End()
				if s.Err != nil || s.Gaps() != 1 {
					t.Fatalf("Err %v, Gaps() %d: want decryption resumed", s.Err, s.Gaps())
				}
				after := got[d].String()[before:]
				if got[d].String()[:before] != whole[d][:before] || !strings.HasSuffix(whole[d], after) ||
					len(whole[d])-before-len(after) > 2*maxRecord || len(after) == 0 {
					t.Errorf("%d bytes before the gap and %d after, of %d: not the direction's start and end", before, len(after), len(whole[d]))
				}
			})
			t.Run(fmt.Sprintf("%s/%s too few sequence numbers tried", tc.name, side(client)), func(t *testing.T) {
				// Three pieces lost, Lost told of one byte: two sequence
				// numbers are tried, and three records or more were lost.
				var got [2]bytes.Buffer
				s := kl.NewSession(func(fromClient bool, p []byte) { got[dirIndex(fromClient)].Write(p) })
				k := idx[len(idx)/3]
				skip := map[int]bool{}
				for i, n := k, 0; i < len(pieces) && n < 3; i++ {
					if pieces[i].fromClient == client {
						skip[i] = true
						n++
					}
				}
				for i, p := range pieces {
					if skip[i] {
						if i == k {
							s.Lost(client, 1)
						}
						continue
					}
					s.Feed(p.fromClient, p.data)
				}
				s.End()
				if !errors.Is(s.Err, ErrGap) || !strings.Contains(s.Err.Error(), "lost 1 bytes after record") {
					t.Errorf("Err %v, want ErrGap saying what was lost", s.Err)
				}
				if s.Gaps() != 0 {
					t.Errorf("Gaps() = %d, want 0", s.Gaps())
				}
			})
		}
	}
}

// plainOf is the number of clear bytes the records of piece k hold.
func plainOf(t *testing.T, kl *KeyLog, pieces []piece, k int) int {
	n, at := 0, 0
	s := kl.NewSession(func(fromClient bool, p []byte) {
		if at == k {
			n += len(p)
		}
	})
	for i, p := range pieces {
		at = i
		s.Feed(p.fromClient, p.data)
	}
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	return n
}

// FuzzSessionGap: bytes lost at any point of a real session's server
// stream (TLS 1.3 and 1.2), any bytes after the gap: the search never
// panics, and a direction that lost bytes either resumed (Gaps) or says
// why not (Err).
func FuzzSessionGap(f *testing.F) {
	type sess struct {
		kl             *KeyLog
		client, server []byte
	}
	var ss []sess
	for _, v := range []uint16{tls.VersionTLS13, tls.VersionTLS12} {
		var keylog bytes.Buffer
		conv := testutil.TLSConvWith(f, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: v, SNI: "a", KeyLog: &keylog, Exchanges: exchanges(4)})
		kl, err := ParseKeyLog(&keylog, "k")
		if err != nil {
			f.Fatal(err)
		}
		x := sess{kl: kl}
		for _, p := range payloads(f, conv) {
			if p.fromClient {
				x.client = append(x.client, p.data...)
			} else {
				x.server = append(x.server, p.data...)
			}
		}
		ss = append(ss, x)
	}
	f.Add(false, uint32(3000), uint16(1448), []byte{})
	f.Add(true, uint32(5000), uint16(100), []byte{23, 3, 3, 0, 40})
	f.Add(false, uint32(9000), uint16(0), bytes.Repeat([]byte{23, 3, 3, 0, 17}, 50))
	f.Fuzz(func(t *testing.T, tls12 bool, cut uint32, lost uint16, junk []byte) {
		x := ss[0]
		if tls12 {
			x = ss[1]
		}
		at := int(cut) % (len(x.server) + 1)
		end := min(len(x.server), at+int(lost))
		s := x.kl.NewSession(func(bool, []byte) {})
		s.Feed(true, x.client)
		s.Feed(false, x.server[:at])
		s.Lost(false, end-at)
		s.Feed(false, junk)
		s.Feed(false, x.server[end:])
		s.End()
		if s.Gaps() == 0 && s.Err == nil && end > at {
			t.Errorf("%d bytes lost at %d: neither resumed nor an error", end-at, at)
		}
	})
}

// TestGapSearchBounded: after a gap, bytes made of plausible record
// headers of the largest length at every offset (hostile, or bad luck)
// are tried within a bounded budget of trial decryptions, then the
// direction is given up with ErrGap.
func TestGapSearchBounded(t *testing.T) {
	var keylog bytes.Buffer
	conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: tls.VersionTLS13, SNI: "a", KeyLog: &keylog, Exchanges: exchanges(2)})
	kl, err := ParseKeyLog(&keylog, "k")
	if err != nil {
		t.Fatal(err)
	}
	s := kl.NewSession(func(bool, []byte) {})
	for _, p := range payloads(t, conv) {
		s.Feed(p.fromClient, p.data)
	}
	s.Lost(false, 1<<20)
	junk := bytes.Repeat([]byte{23, 3, 3, 0x40, 0}, (2*MaxGapSearch)/5)
	for off := 0; off < len(junk); off += 1448 {
		s.Feed(false, junk[off:min(off+1448, len(junk))])
	}
	s.End()
	if !errors.Is(s.Err, ErrGap) {
		t.Errorf("Err %v, want ErrGap", s.Err)
	}
	if d := s.dir[1]; d.tried > gapBudget+2<<20+maxRecord {
		t.Errorf("%d bytes authenticated in trials, budget %d", d.tried, gapBudget+2<<20)
	}
}
