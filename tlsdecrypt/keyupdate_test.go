package tlsdecrypt

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// kuDir holds a real TLS 1.3 connection with KeyUpdates, made by OpenSSL's
// s_client and s_server (internal/cli's TestHTTPKeyUpdateOpenSSL, through
// scripts/gen-keyupdate-golden.sh): HTTP/1.1 requests and responses before
// and after KeyUpdates of each side, some asking the peer to update too,
// three in a row from each side.
const kuDir = "testdata/keyupdate"

// kuConn is the committed connection: its key log, each TCP segment's
// payload in order, the secrets OpenSSL logged at each KeyUpdate of each
// direction (its *_TRAFFIC_SECRET_N lines, which ParseKeyLog ignores), and
// the KeyUpdates and application data bytes expected.
type kuConn struct {
	kl        *KeyLog
	pieces    []piece
	logged    [2][][]byte
	updates   [2]int
	decrypted int64
}

func readKUConn(t testing.TB) *kuConn {
	t.Helper()
	c := &kuConn{}
	kf := filepath.Join(kuDir, "keyupdate.keys")
	var err error
	if c.kl, err = LoadKeyLog(kf); err != nil {
		t.Fatal(err)
	}
	if c.kl.Len() != 1 {
		t.Fatalf("%s: %d sessions, want 1", kf, c.kl.Len())
	}
	b, err := os.ReadFile(kf)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 || (f[0] != "CLIENT_TRAFFIC_SECRET_N" && f[0] != "SERVER_TRAFFIC_SECRET_N") {
			continue
		}
		sec, err := hex.DecodeString(f[2])
		if err != nil {
			t.Fatalf("%s: %q: %v", kf, l, err)
		}
		i := dirIndex(f[0] == "CLIENT_TRAFFIC_SECRET_N")
		c.logged[i] = append(c.logged[i], sec)
	}
	ef := filepath.Join(kuDir, "expected.tsv")
	e, err := os.Open(ef)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for sc := bufio.NewScanner(e); sc.Scan(); {
		switch l := sc.Text(); {
		case strings.HasPrefix(l, "keyupdates\t"):
			fmt.Sscanf(l, "keyupdates\t%d\t%d", &c.updates[0], &c.updates[1])
		case strings.HasPrefix(l, "decrypted\t"):
			fmt.Sscanf(l, "decrypted\t%d", &c.decrypted)
		}
	}
	if c.updates[0] < 6 || c.updates[1] < 6 || c.decrypted <= 0 {
		t.Fatalf("%s: KeyUpdates %v, %d bytes: want at least 6 each way", ef, c.updates, c.decrypted)
	}
	// The segments, which must come in order without loss or
	// retransmission: the client is the side of the SYN.
	pf := filepath.Join(kuDir, "keyupdate.pcap")
	r, err := pcapio.Open(pf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var client layers.TCPPort
	var next [2]uint32
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		tcp, ok := gopacket.NewPacket(data, r.LinkType(), gopacket.Default).Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok {
			continue
		}
		if tcp.SYN && !tcp.ACK {
			client = tcp.SrcPort
		}
		fromClient := tcp.SrcPort == client
		d := dirIndex(fromClient)
		if tcp.SYN {
			next[d] = tcp.Seq + 1
			continue
		}
		if len(tcp.Payload) == 0 {
			continue
		}
		if tcp.Seq != next[d] {
			t.Fatalf("%s: the %s's segment at %d, want %d: not in order", pf, side(fromClient), tcp.Seq, next[d])
		}
		next[d] += uint32(len(tcp.Payload))
		c.pieces = append(c.pieces, piece{fromClient, bytes.Clone(tcp.Payload)})
	}
	if client == 0 {
		t.Fatalf("%s: no SYN", pf)
	}
	return c
}

// decrypt feeds c's pieces to a new session, leaving out those of drop
// (telling Lost of their bytes at the first of them), and returns the
// session, each direction's clear bytes and, for the direction of the
// dropped pieces, how many of its clear bytes came before them. at, when
// set, is called after each piece fed.
func (c *kuConn) decrypt(drop []int, at func(s *Session, i int)) (*Session, [2]string, int) {
	var got [2]bytes.Buffer
	s := c.kl.NewSession(func(fromClient bool, p []byte) { got[dirIndex(fromClient)].Write(p) })
	dropped := map[int]bool{}
	n := 0
	for _, i := range drop {
		dropped[i] = true
		n += len(c.pieces[i].data)
	}
	before := -1
	for i, p := range c.pieces {
		if dropped[i] {
			if before < 0 {
				before = got[dirIndex(p.fromClient)].Len()
				s.Lost(p.fromClient, n)
			}
			continue
		}
		s.Feed(p.fromClient, p.data)
		if at != nil {
			at(s, i)
		}
	}
	s.End()
	return s, [2]string{got[0].String(), got[1].String()}, before
}

// TestKeyUpdateOpenSSL decrypts the committed OpenSSL connection whole:
// no error, every KeyUpdate of each direction followed (KeyUpdates), all
// the application data out, and after each update the direction's
// traffic secret is the one OpenSSL logged for it.
func TestKeyUpdateOpenSSL(t *testing.T) {
	c := readKUConn(t)
	for i := range 2 {
		if len(c.logged[i]) != c.updates[i] {
			t.Fatalf("the key log has %d %s secrets after KeyUpdates, expected.tsv says %d KeyUpdates", len(c.logged[i]), side(i == 0), c.updates[i])
		}
	}
	// The secret of each direction after each piece, by update.
	var seen [2][][]byte
	s, got, _ := c.decrypt(nil, func(s *Session, _ int) {
		for i := range 2 {
			d := &s.dir[i]
			if n := d.updates; n > len(seen[i]) {
				seen[i] = append(seen[i], make([][]byte, n-len(seen[i]))...)
				seen[i][n-1] = d.secret
			}
		}
	})
	if s.Err != nil {
		t.Fatalf("Err %v", s.Err)
	}
	if cu, su := s.KeyUpdates(); cu != c.updates[0] || su != c.updates[1] {
		t.Errorf("KeyUpdates() = %d, %d; want %d, %d", cu, su, c.updates[0], c.updates[1])
	}
	if s.Decrypted() != c.decrypted || int64(len(got[0])+len(got[1])) != c.decrypted {
		t.Errorf("%d bytes decrypted (%d handed out), want %d", s.Decrypted(), len(got[0])+len(got[1]), c.decrypted)
	}
	if !strings.HasPrefix(got[0], "GET /before-any-update HTTP/1.1\r\n") || !strings.Contains(got[0], "GET /last HTTP/1.1\r\n") ||
		!strings.HasPrefix(got[1], "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got[1], "end of /last\n") {
		t.Errorf("clear bytes do not start and end as sent: %.40q ... and %.40q ...", got[0], got[1])
	}
	for i := range 2 {
		for n, want := range c.logged[i] {
			t.Run(fmt.Sprintf("%s KeyUpdate %d of %d", side(i == 0), n+1, len(c.logged[i])), func(t *testing.T) {
				switch {
				case n >= len(seen[i]):
					t.Errorf("not followed")
				case seen[i][n] == nil:
					t.Errorf("read in the same segment as the next one: its secret not seen")
				case !bytes.Equal(seen[i][n], want):
					t.Errorf("traffic secret %x, OpenSSL logged %x", seen[i][n][:8], want[:8])
				}
			})
		}
	}
}

// TestKeyUpdateThenGap loses segments of the committed OpenSSL connection
// around each KeyUpdate of each direction: the segment after it (the
// search after the gap must find the next record under the new key), the
// KeyUpdate's own segment (the next record is under a key the session
// has not switched to: the search tries the next updates' keys), and each
// row of three KeyUpdates at once. Each time, decryption resumes (Gaps 1,
// every KeyUpdate counted), the other direction is whole, the direction
// that lost bytes hands out its bytes before the gap and all of them
// after the records lost, and GapHeldData says whether application data
// was lost (not when only KeyUpdates were). Losing more KeyUpdates than are tried
// (MaxGapKeyUpdates) gives up the direction with ErrGap saying so.
func TestKeyUpdateThenGap(t *testing.T) {
	c := readKUConn(t)
	_, whole, _ := c.decrypt(nil, nil)
	// The pieces that held each direction's KeyUpdates.
	var kuPieces [2][]int
	var last [2]int
	c.decrypt(nil, func(s *Session, i int) {
		for d := range 2 {
			if s.dir[d].updates != last[d] {
				last[d] = s.dir[d].updates
				kuPieces[d] = append(kuPieces[d], i)
			}
		}
	})
	type tc struct {
		name string
		drop []int
	}
	var cases []tc
	for d := range 2 {
		if len(kuPieces[d]) != c.updates[d] {
			t.Fatalf("the %s's %d KeyUpdates came in %d segments: one each expected", side(d == 0), c.updates[d], len(kuPieces[d]))
		}
		for n, k := range kuPieces[d] {
			name := fmt.Sprintf("%s KeyUpdate %d of %d", side(d == 0), n+1, len(kuPieces[d]))
			cases = append(cases, tc{name + ": its own segment lost", []int{k}})
			for j := k + 1; j < len(c.pieces); j++ {
				if c.pieces[j].fromClient == (d == 0) {
					cases = append(cases, tc{name + ": the segment after it lost", []int{j}})
					break
				}
			}
			// A row of three: this one and the next two, in
			// consecutive segments of the direction.
			if n+2 < len(kuPieces[d]) {
				row := []int{k}
				for j := k + 1; j < len(c.pieces) && len(row) < 3; j++ {
					if c.pieces[j].fromClient == (d == 0) {
						row = append(row, j)
					}
				}
				if row[1] == kuPieces[d][n+1] && row[2] == kuPieces[d][n+2] {
					cases = append(cases, tc{fmt.Sprintf("%s KeyUpdates %d to %d in a row: all lost", side(d == 0), n+1, n+3), row})
				}
			}
		}
	}
	rows := 0
	for _, x := range cases {
		if strings.Contains(x.name, "in a row") {
			rows++
		}
	}
	if rows != 2 {
		t.Fatalf("%d rows of three KeyUpdates, want one from each side", rows)
	}
	for _, x := range cases {
		t.Run(x.name, func(t *testing.T) {
			d := dirIndex(c.pieces[x.drop[0]].fromClient)
			s, got, before := c.decrypt(x.drop, nil)
			if s.Err != nil {
				t.Fatalf("Err %v, want decryption resumed", s.Err)
			}
			if s.Gaps() != 1 {
				t.Errorf("Gaps() = %d, want 1", s.Gaps())
			}
			if cu, su := s.KeyUpdates(); cu != c.updates[0] || su != c.updates[1] {
				t.Errorf("KeyUpdates() = %d, %d; want %d, %d", cu, su, c.updates[0], c.updates[1])
			}
			if got[1-d] != whole[1-d] {
				t.Errorf("the other direction differs (%d bytes, want %d)", len(got[1-d]), len(whole[1-d]))
			}
			// Application data was lost unless every segment lost
			// held a KeyUpdate alone.
			held := false
			for _, k := range x.drop {
				held = held || !slices.Contains(kuPieces[d], k)
			}
			if s.GapHeldData(d == 0) != held {
				t.Errorf("GapHeldData() = %v, want %v", !held, held)
			}
			if s.GapHeldData(d != 0) {
				t.Errorf("GapHeldData() of the other direction, which had no gap: true")
			}
			lost := 0
			for _, k := range x.drop {
				lost += plainOf(t, c.kl, c.pieces, k)
			}
			after := got[d][before:]
			if got[d][:before] != whole[d][:before] {
				t.Errorf("the bytes before the gap differ")
			}
			if want := len(whole[d]) - before - lost; len(after) != want || !strings.HasSuffix(whole[d], after) {
				t.Errorf("%d bytes after the gap, want the last %d of the direction", len(after), want)
			}
		})
	}
	t.Run("more KeyUpdates lost than tried", func(t *testing.T) {
		// The client's segments from its first KeyUpdate to its
		// last: more than MaxGapKeyUpdates updates, and records.
		var drop []int
		first, lastKU := kuPieces[0][0], kuPieces[0][len(kuPieces[0])-1]
		for j := first; j <= lastKU; j++ {
			if c.pieces[j].fromClient {
				drop = append(drop, j)
			}
		}
		s, got, before := c.decrypt(drop, nil)
		if !errors.Is(s.Err, ErrGap) || !strings.Contains(s.Err.Error(), fmt.Sprintf("more than %d KeyUpdates lost", MaxGapKeyUpdates)) {
			t.Errorf("Err %v, want ErrGap saying KeyUpdates may have been lost", s.Err)
		}
		if !s.GapHeldData(true) {
			t.Errorf("GapHeldData() false for a direction given up")
		}
		if s.Gaps() != 0 || len(got[0]) != before || got[1] != whole[1] {
			t.Errorf("Gaps() %d, %d client bytes after the gap, server's %d of %d: want the client given up, the server whole", s.Gaps(), len(got[0])-before, len(got[1]), len(whole[1]))
		}
	})
}

// FuzzKeyUpdateGap: bytes lost at any point of either direction of the
// committed OpenSSL connection (KeyUpdates included), any bytes after the
// gap: never a panic, and a direction that lost bytes either resumed
// (Gaps) or says why not (Err).
func FuzzKeyUpdateGap(f *testing.F) {
	c := readKUConn(f)
	var streams [2][]byte
	for _, p := range c.pieces {
		streams[dirIndex(p.fromClient)] = append(streams[dirIndex(p.fromClient)], p.data...)
	}
	f.Add(true, uint32(2000), uint16(27), []byte{})
	f.Add(false, uint32(6000), uint16(300), []byte{23, 3, 3, 0, 40})
	f.Add(false, uint32(9000), uint16(3000), bytes.Repeat([]byte{23, 3, 3, 0, 17}, 50))
	f.Fuzz(func(t *testing.T, client bool, cut uint32, lost uint16, junk []byte) {
		mine, other := streams[dirIndex(client)], streams[1-dirIndex(client)]
		at := int(cut) % (len(mine) + 1)
		end := min(len(mine), at+int(lost))
		s := c.kl.NewSession(func(bool, []byte) {})
		// The other direction's bytes first up to the same share, so
		// that both have their keys when the gap comes.
		half := len(other) * at / max(len(mine), 1)
		s.Feed(!client, other[:half])
		s.Feed(client, mine[:at])
		s.Lost(client, end-at)
		s.Feed(client, junk)
		s.Feed(client, mine[end:])
		s.Feed(!client, other[half:])
		s.End()
		if s.Gaps() == 0 && s.Err == nil && end > at {
			t.Errorf("%d bytes lost at %d: neither resumed nor an error", end-at, at)
		}
	})
}
