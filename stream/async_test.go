package stream_test

import (
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/stream"
)

// journal records every call a Handler and its ConnHandlers receive, with
// everything the call carries (the Conn as of the call, the chunk's fields
// and a checksum of its bytes), one line per call.
type journal struct {
	lines []string
	// skipOdd makes Open return nil for connections with an odd ID.
	skipOdd bool
}

func (j *journal) Open(c *stream.Conn) stream.ConnHandler {
	j.lines = append(j.lines, fmt.Sprintf("open %+v", *c))
	if j.skipOdd && c.ID%2 == 1 {
		return nil
	}
	return &journalConn{j: j}
}

type journalConn struct{ j *journal }

func (x *journalConn) Data(c *stream.Conn, ch stream.Chunk) {
	x.j.lines = append(x.j.lines, fmt.Sprintf("data %+v dir=%v n=%d crc=%08x lost=%d time=%s end=%v acked=%d/%v marks=%v",
		*c, ch.Dir, len(ch.Data), crc32.ChecksumIEEE(ch.Data), ch.Lost, ch.Time.Format(time.RFC3339Nano), ch.End, ch.PeerAcked, ch.PeerAckKnown, ch.Marks))
}

func (x *journalConn) Close(c *stream.Conn) {
	x.j.lines = append(x.j.lines, fmt.Sprintf("close %+v", *c))
}

// TestAsyncSameCalls runs the golden captures (generated ones, with loss
// and reordering, and the corpus's) through a journal directly and
// through an Async, with a Do call every 1,000 packets: the journals must
// be the same, line by line.
func TestAsyncSameCalls(t *testing.T) {
	calls := 0
	defer func() {
		if calls < 10000 {
			t.Errorf("%d calls in all: the captures gave the test too little to compare", calls)
		}
	}()
	for name, pkts := range goldenInputs(t) {
		for _, skipOdd := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/skipOdd=%v", name, skipOdd), func(t *testing.T) {
				feed := func(h stream.Handler, mark func(i int)) {
					a := stream.New(nil, h, nil)
					for i, p := range pkts {
						a.Packet(p.ci, p.data, p.lt)
						if i%1000 == 999 {
							mark(i)
						}
					}
					a.Flush()
				}
				direct := &journal{skipOdd: skipOdd}
				feed(direct, func(i int) { direct.lines = append(direct.lines, fmt.Sprint("mark ", i)) })

				viaAsync := &journal{skipOdd: skipOdd}
				as := stream.NewAsync(viaAsync)
				feed(as, func(i int) { as.Do(func() { viaAsync.lines = append(viaAsync.lines, fmt.Sprint("mark ", i)) }) })
				as.Close()
				as.Close() // a second Close does nothing

				calls += len(direct.lines)
				for i := range max(len(direct.lines), len(viaAsync.lines)) {
					var d, a string
					if i < len(direct.lines) {
						d = direct.lines[i]
					}
					if i < len(viaAsync.lines) {
						a = viaAsync.lines[i]
					}
					if d != a {
						t.Fatalf("call %d of %d/%d:\ndirect: %s\nasync:  %s", i, len(direct.lines), len(viaAsync.lines), d, a)
					}
				}
			})
		}
	}
}

// TestAsyncNoAllocs checks that handing a Data call over does not
// allocate once the batches exist.
func TestAsyncNoAllocs(t *testing.T) {
	var n int
	as := stream.NewAsync(handlerFunc(func(c *stream.Conn, ch stream.Chunk) { n += len(ch.Data) }))
	c := &stream.Conn{ID: 1}
	x := as.Open(c)
	payload := make([]byte, 1400)
	ch := stream.Chunk{Data: payload, Time: time.Unix(1, 0), Marks: []stream.AckMark{{Off: 700, PeerAcked: 9, Known: true}}}
	for range 10000 { // every batch used once
		x.Data(c, ch)
	}
	if allocs := testing.AllocsPerRun(10000, func() { x.Data(c, ch) }); allocs != 0 {
		t.Errorf("%.2f allocations per Data call", allocs)
	}
	x.Close(c)
	as.Close()
	if want := (10000 + 10001) * len(payload); n != want { // AllocsPerRun calls once more
		t.Errorf("the handler got %d bytes, want %d", n, want)
	}
}

// TestAsyncEmpty closes an Async that was given nothing.
func TestAsyncEmpty(t *testing.T) {
	j := &journal{}
	as := stream.NewAsync(j)
	as.Close()
	if len(j.lines) != 0 {
		t.Errorf("calls made: %q", j.lines)
	}
}

// handlerFunc is a Handler whose every connection's Data calls f.
type handlerFunc func(c *stream.Conn, ch stream.Chunk)

func (f handlerFunc) Open(*stream.Conn) stream.ConnHandler { return f }
func (f handlerFunc) Data(c *stream.Conn, ch stream.Chunk) { f(c, ch) }
func (f handlerFunc) Close(*stream.Conn)                   {}

// BenchmarkAsync measures handing Data calls of 1,400 bytes over.
func BenchmarkAsync(b *testing.B) {
	as := stream.NewAsync(handlerFunc(func(*stream.Conn, stream.Chunk) {}))
	c := &stream.Conn{}
	x := as.Open(c)
	ch := stream.Chunk{Data: make([]byte, 1400)}
	b.SetBytes(1400)
	b.ReportAllocs()
	for b.Loop() {
		x.Data(c, ch)
	}
	as.Close()
}

// TestFlushOrderStable runs captures cut short (many connections still
// open at the end) five times: the calls must be the same each time, and
// the connections the end of input closes (End "eof"; those that ended
// before it and waited for their last ACK come after) must close in the
// order of their IDs. gopacket's flushes walk a map; the Assembler once passed its
// order on.
func TestFlushOrderStable(t *testing.T) {
	for _, seed := range []int64{1, 4} {
		pkts := gen(t, seed, 20000)[:7000]
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			var first []string
			for run := range 5 {
				j := &journal{}
				a := stream.New(&stream.Config{IdleTimeout: 2 * time.Second}, j, nil)
				for _, p := range pkts {
					a.Packet(p.ci, p.data, layers.LinkTypeEthernet)
				}
				n := len(j.lines)
				a.Flush()
				var ids []uint64
				for _, l := range j.lines[n:] {
					var id uint64
					if _, err := fmt.Sscanf(l, "close {ID:%d", &id); err == nil && strings.HasSuffix(l, "End:eof}") {
						ids = append(ids, id)
					}
				}
				if len(ids) < 10 {
					t.Fatalf("run %d: %d connections open at the end; the test needs more", run, len(ids))
				}
				if !slices.IsSorted(ids) {
					t.Errorf("run %d: the end of input closed connections in the order %v", run, ids)
				}
				if run == 0 {
					first = j.lines
					continue
				}
				if !slices.Equal(first, j.lines) {
					for i := range min(len(first), len(j.lines)) {
						if first[i] != j.lines[i] {
							t.Fatalf("run %d, call %d differs from run 0's:\n%s\n%s", run, i, j.lines[i], first[i])
						}
					}
					t.Fatalf("run %d made %d calls, run 0 %d", run, len(j.lines), len(first))
				}
			}
		})
	}
}
