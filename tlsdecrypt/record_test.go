package tlsdecrypt

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestRecordOffsets checks, for every record whose application data out
// receives, that Record gives the offsets of a record of that direction's
// stream holding application data: its header at start, its end at
// start+5+length; fed in segments, in 7-byte pieces (records cut across
// Feed calls), and with a segment lost (offsets still count the lost
// bytes, so they keep indexing the whole stream).
func TestRecordOffsets(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		var keylog bytes.Buffer
		conv := testutil.TLSConvWith(t, "10.0.0.1:40000", "10.0.0.2:443", testutil.TLSOptions{Version: version, SNI: "api.example",
			ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: exchanges(4)})
		kl, err := ParseKeyLog(&keylog, "keylog")
		if err != nil {
			t.Fatal(err)
		}
		pieces := payloads(t, conv)
		var stream [2][]byte // each direction's whole stream
		for _, p := range pieces {
			stream[dirIndex(p.fromClient)] = append(stream[dirIndex(p.fromClient)], p.data...)
		}
		// The server's segment to lose: one in the middle of its
		// application data.
		lose := -1
		for i, n := len(pieces)-1, 0; i >= 0; i-- {
			if !pieces[i].fromClient {
				if n++; n == 4 {
					lose = i
					break
				}
			}
		}
		for _, tc := range []struct {
			name  string
			piece int // bytes per Feed, 0: whole segments
			lose  int // index of the piece to lose, -1: none
		}{{"segments", 0, -1}, {"7-byte pieces", 7, -1}, {"segment lost", 0, lose}} {
			t.Run(fmt.Sprintf("%x/%s", version, tc.name), func(t *testing.T) {
				var s *Session
				var last [2]int64
				records := 0
				s = kl.NewSession(func(fromClient bool, p []byte) {
					d := dirIndex(fromClient)
					start, end := s.Record(fromClient)
					b := stream[d]
					if start < last[d] || end <= start || end > int64(len(b)) {
						t.Fatalf("direction %d: record at %d-%d after one ending at %d, in a stream of %d bytes", d, start, end, last[d], len(b))
					}
					n := int64(binary.BigEndian.Uint16(b[start+3 : start+5]))
					if b[start] != 23 || end != start+5+n || int64(len(p)) >= n {
						t.Fatalf("direction %d: offsets %d-%d are not a record of application data holding %d bytes (type %d, length %d)", d, start, end, len(p), b[start], n)
					}
					last[d] = end
					records++
				})
				for i, p := range pieces {
					if i == tc.lose {
						s.Lost(p.fromClient, len(p.data))
						continue
					}
					step := tc.piece
					if step == 0 {
						step = len(p.data)
					}
					for j := 0; j < len(p.data); j += step {
						s.Feed(p.fromClient, p.data[j:min(j+step, len(p.data))])
					}
				}
				if s.Err != nil {
					t.Fatal(s.Err)
				}
				if records < 8 {
					t.Errorf("%d records of application data checked, want at least 8", records)
				}
			})
		}
	}
}
