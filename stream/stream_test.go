package stream_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"sort"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
)

type pkt struct {
	ci   gopacket.CaptureInfo
	data []byte
}

func gen(t testing.TB, seed int64, n int) []pkt {
	t.Helper()
	var out []pkt
	err := synth.Generate(synth.Config{Seed: seed, Packets: n}, func(ci gopacket.CaptureInfo, data []byte) error {
		out = append(out, pkt{ci, append([]byte(nil), data...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// segInfo is what an independent decoder (gopacket's layers) says about
// one TCP packet.
type segInfo struct {
	key     string // "a>b", a the sender
	seq     uint32
	payload []byte
	syn     bool
}

func decodeTCP(p pkt) (segInfo, bool) {
	pk := gopacket.NewPacket(p.data, layers.LinkTypeEthernet, gopacket.NoCopy)
	tl, _ := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if tl == nil || pk.NetworkLayer() == nil {
		return segInfo{}, false
	}
	nf := pk.NetworkLayer().NetworkFlow()
	src := netip.AddrPortFrom(mustAddr(nf.Src().Raw()), uint16(tl.SrcPort))
	dst := netip.AddrPortFrom(mustAddr(nf.Dst().Raw()), uint16(tl.DstPort))
	return segInfo{key: src.String() + ">" + dst.String(), seq: tl.Seq, payload: tl.Payload, syn: tl.SYN}, true
}

func mustAP(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func mustAddr(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// collector records every connection's bytes per direction, with gaps.
type collector struct {
	data   map[string]*bytes.Buffer // "client>server" or "server>client" key
	lost   map[string]int
	conns  []stream.Conn
	closed int
}

func newCollector() *collector {
	return &collector{data: map[string]*bytes.Buffer{}, lost: map[string]int{}}
}

func dirKey(c *stream.Conn, d stream.Dir) string {
	if d == stream.ClientToServer {
		return c.Client.String() + ">" + c.Server.String()
	}
	return c.Server.String() + ">" + c.Client.String()
}

func (k *collector) Open(c *stream.Conn) stream.ConnHandler { return k }
func (k *collector) Data(c *stream.Conn, ch stream.Chunk) {
	key := dirKey(c, ch.Dir)
	b := k.data[key]
	if b == nil {
		b = new(bytes.Buffer)
		k.data[key] = b
	}
	k.lost[key] += ch.Lost
	b.Write(ch.Data)
}
func (k *collector) Close(c *stream.Conn) { k.closed++; k.conns = append(k.conns, *c) }

func run(pkts []pkt, cfg *stream.Config) (*collector, stream.Stats) {
	k := newCollector()
	a := stream.New(cfg, k, nil)
	for _, p := range pkts {
		a.Packet(p.ci, p.data, layers.LinkTypeEthernet)
	}
	a.Flush()
	return k, a.Stats()
}

// expected concatenates, per direction, the payloads of an in-order
// capture as gopacket decodes them.
func expected(pkts []pkt) map[string][]byte {
	want := map[string][]byte{}
	for _, p := range pkts {
		s, ok := decodeTCP(p)
		if ok && len(s.payload) > 0 {
			want[s.key] = append(want[s.key], s.payload...)
		}
	}
	return want
}

func TestInOrderMatchesPayloads(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			pkts := gen(t, seed, 20000)
			k, st := run(pkts, nil)
			want := expected(pkts)
			if st.Conns == 0 || int(st.Conns) != k.closed {
				t.Fatalf("conns %d, closed %d", st.Conns, k.closed)
			}
			if st.Open != 0 {
				t.Errorf("%d connections still open after Flush", st.Open)
			}
			for key, w := range want {
				got := k.data[key]
				if got == nil || !bytes.Equal(got.Bytes(), w) {
					t.Errorf("%s: reassembled %d bytes, payloads hold %d", key, lenOf(got), len(w))
				}
				if k.lost[key] != 0 {
					t.Errorf("%s: %d bytes reported lost in a lossless capture", key, k.lost[key])
				}
			}
			for _, c := range k.conns {
				for d := range c.Half {
					h := c.Half[d]
					if h.Retransmissions+h.OutOfOrder+h.Missing != 0 {
						t.Errorf("conn %d dir %d: retrans %d ooo %d missing %d in a clean capture", c.ID, d, h.Retransmissions, h.OutOfOrder, h.Missing)
					}
				}
				if c.End == stream.EndNone || c.End == stream.EndTimeout {
					t.Errorf("conn %d ended %v", c.ID, c.End)
				}
				if c.Handshake && c.Client.Port() < c.Server.Port() && c.Server.Port() <= 8443 && c.Client.Port() < 1024 {
					t.Errorf("conn %d: client %s server %s look swapped", c.ID, c.Client, c.Server)
				}
			}
		})
	}
}

func lenOf(b *bytes.Buffer) int {
	if b == nil {
		return -1
	}
	return b.Len()
}

// dataPackets returns the indexes of packets with payload sent on key, in
// capture order.
func dataPackets(pkts []pkt, minSegs int) (string, []int) {
	by := map[string][]int{}
	var keys []string
	for i, p := range pkts {
		if s, ok := decodeTCP(p); ok && len(s.payload) > 0 {
			if by[s.key] == nil {
				keys = append(keys, s.key)
			}
			by[s.key] = append(by[s.key], i)
		}
	}
	for _, k := range keys {
		if len(by[k]) >= minSegs {
			return k, by[k]
		}
	}
	return "", nil
}

func TestLossAndReordering(t *testing.T) {
	base := gen(t, 7, 20000)
	key, idx := dataPackets(base, 8)
	if key == "" {
		t.Fatal("no connection with 8 data segments")
	}
	full := expected(base)[key]
	seg := func(i int) segInfo { s, _ := decodeTCP(base[idx[i]]); return s }
	tests := []struct {
		name      string
		edit      func([]pkt) []pkt
		wantBytes []byte // what the direction must deliver
		wantLost  int
		check     func(t *testing.T, h stream.Half)
	}{
		{
			name: "swap two segments",
			edit: func(p []pkt) []pkt {
				p[idx[2]], p[idx[3]] = p[idx[3]], p[idx[2]]
				return p
			},
			wantBytes: full,
			check: func(t *testing.T, h stream.Half) {
				if h.OutOfOrder != 1 || h.Missing != 0 {
					t.Errorf("out of order %d (want 1), missing %d (want 0)", h.OutOfOrder, h.Missing)
				}
			},
		},
		{
			name: "drop one segment",
			edit: func(p []pkt) []pkt {
				return append(p[:idx[3]:idx[3]], p[idx[3]+1:]...)
			},
			wantBytes: without(full, base, idx, 3),
			wantLost:  len(seg(3).payload),
			check: func(t *testing.T, h stream.Half) {
				if h.Missing != int64(len(seg(3).payload)) || h.OutOfOrder != 0 {
					t.Errorf("missing %d, want %d; out of order %d, want 0", h.Missing, len(seg(3).payload), h.OutOfOrder)
				}
			},
		},
		{
			name: "duplicate a segment",
			edit: func(p []pkt) []pkt {
				dup := p[idx[4]]
				dup.ci.Timestamp = p[idx[5]].ci.Timestamp
				out := append([]pkt{}, p[:idx[5]+1]...)
				out = append(out, dup)
				return append(out, p[idx[5]+1:]...)
			},
			wantBytes: full,
			check: func(t *testing.T, h stream.Half) {
				if h.Retransmissions != 1 {
					t.Errorf("retransmissions %d, want 1", h.Retransmissions)
				}
			},
		},
		{
			name: "drop then retransmit late",
			edit: func(p []pkt) []pkt {
				late := p[idx[2]]
				late.ci.Timestamp = p[idx[6]].ci.Timestamp
				out := append([]pkt{}, p[:idx[2]]...)
				out = append(out, p[idx[2]+1:idx[6]+1]...)
				out = append(out, late)
				return append(out, p[idx[6]+1:]...)
			},
			wantBytes: full,
			check: func(t *testing.T, h stream.Half) {
				if h.OutOfOrder != 1 || h.Missing != 0 {
					t.Errorf("out of order %d (want 1: the late segment), missing %d", h.OutOfOrder, h.Missing)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pkts := tc.edit(append([]pkt(nil), base...))
			k, st := run(pkts, nil)
			var retrans, ooo int64
			for _, c := range k.conns {
				for _, h := range c.Half {
					retrans += h.Retransmissions
					ooo += h.OutOfOrder
				}
			}
			if st.Retransmissions != retrans || st.OutOfOrder != ooo {
				t.Errorf("Stats counts %d retransmissions and %d out of order, the connections %d and %d", st.Retransmissions, st.OutOfOrder, retrans, ooo)
			}
			if retrans+ooo == 0 && tc.name != "drop one segment" {
				t.Errorf("no retransmission nor out-of-order segment counted")
			}
			got := k.data[key]
			if got == nil || !bytes.Equal(got.Bytes(), tc.wantBytes) {
				t.Fatalf("%s: delivered %d bytes, want %d (equal prefix %d)", key, lenOf(got), len(tc.wantBytes), prefix(got, tc.wantBytes))
			}
			if k.lost[key] != tc.wantLost {
				t.Errorf("lost %d, want %d", k.lost[key], tc.wantLost)
			}
			for _, c := range k.conns {
				for d := range c.Half {
					if dirKey(&c, stream.Dir(d)) == key {
						tc.check(t, c.Half[d])
					}
				}
			}
		})
	}
}

// without returns the direction's bytes minus segment i's payload.
func without(full []byte, pkts []pkt, idx []int, i int) []byte {
	var off int
	for j := 0; j < i; j++ {
		s, _ := decodeTCP(pkts[idx[j]])
		off += len(s.payload)
	}
	s, _ := decodeTCP(pkts[idx[i]])
	return append(append([]byte(nil), full[:off]...), full[off+len(s.payload):]...)
}

func prefix(b *bytes.Buffer, w []byte) int {
	if b == nil {
		return 0
	}
	g := b.Bytes()
	n := 0
	for n < len(g) && n < len(w) && g[n] == w[n] {
		n++
	}
	return n
}

// TestBufferCap drops a segment early in a long direction: with a small
// cap the assembler must skip the gap instead of buffering the rest.
func TestBufferCap(t *testing.T) {
	base := gen(t, 11, 30000)
	key, idx := dataPackets(base, 60)
	if key == "" {
		t.Fatal("no connection with 60 data segments")
	}
	pkts := append(append([]pkt(nil), base[:idx[1]]...), base[idx[1]+1:]...)
	cfg := &stream.Config{MaxBufferedPerConn: 16 << 10}
	k, st := run(pkts, cfg)
	if st.Overflow == 0 {
		t.Fatalf("no bytes skipped at a 16 KiB cap; stats %+v", st)
	}
	s1, _ := decodeTCP(base[idx[1]])
	if k.lost[key] != len(s1.payload) {
		t.Errorf("lost %d, want the dropped segment's %d", k.lost[key], len(s1.payload))
	}
	want := without(expected(base)[key], base, idx, 1)
	if got := k.data[key]; got == nil || !bytes.Equal(got.Bytes(), want) {
		t.Errorf("delivered %d bytes, want %d", lenOf(got), len(want))
	}
}

// TestMidStream drops every packet before the third data segment of a
// connection: reassembly starts where the capture does.
func TestMidStream(t *testing.T) {
	base := gen(t, 5, 20000)
	key, idx := dataPackets(base, 6)
	var pkts []pkt
	cut := map[string]bool{}
	for i, p := range base {
		s, ok := decodeTCP(p)
		if ok && i < idx[2] && (s.key == key || s.key == reverse(key)) {
			cut[s.key] = true
			continue
		}
		pkts = append(pkts, p)
	}
	k, _ := run(pkts, nil)
	var want []byte
	for _, i := range idx[2:] {
		s, _ := decodeTCP(base[i])
		want = append(want, s.payload...)
	}
	got := k.data[key]
	if got == nil {
		// Orientation may differ without a handshake; the bytes must
		// still be there under the sender's key.
		t.Fatalf("no data for %s", key)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("delivered %d bytes, want %d", got.Len(), len(want))
	}
	for _, c := range k.conns {
		if (dirKey(&c, 0) == key || dirKey(&c, 1) == key) && c.Handshake {
			t.Errorf("conn %d: handshake reported though the SYN was cut", c.ID)
		}
	}
}

func reverse(key string) string {
	var a, b string
	for i := 0; i < len(key); i++ {
		if key[i] == '>' {
			a, b = key[:i], key[i+1:]
		}
	}
	return b + ">" + a
}

// TestWrapAround sends a stream whose sequence numbers cross 2^32.
func TestWrapAround(t *testing.T) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	isn := uint32(0xffffffff - 2500)
	var pkts []pkt
	ts := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(from, to netip.AddrPort, seq uint32, flags string, payload []byte) {
		ts = ts.Add(time.Millisecond)
		pkts = append(pkts, pkt{gopacket.CaptureInfo{Timestamp: ts}, buildTCP(t, from, to, seq, flags, payload)})
	}
	add(cli, srv, isn, "S", nil)
	add(srv, cli, 1000, "SA", nil)
	var want []byte
	seq := isn + 1
	for i := 0; i < 5; i++ {
		p := bytes.Repeat([]byte{byte('a' + i)}, 1000)
		want = append(want, p...)
		add(cli, srv, seq, "A", p)
		seq += 1000
	}
	// Reorder the two segments on each side of the wrap.
	pkts[4], pkts[5] = pkts[5], pkts[4]
	add(cli, srv, seq, "FA", nil)
	add(srv, cli, 1001, "FA", nil)
	k, _ := run(pkts, nil)
	got := k.data[cli.String()+">"+srv.String()]
	if got == nil || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("delivered %d bytes across the wrap, want %d", lenOf(got), len(want))
	}
	if len(k.conns) != 1 || k.conns[0].End != stream.EndFIN || k.conns[0].Half[0].OutOfOrder != 1 {
		t.Errorf("conns %+v", k.conns)
	}
}

func buildTCP(t testing.TB, from, to netip.AddrPort, seq uint32, flags string, payload []byte) []byte {
	return buildSeg(t, from, to, seq, 0, flags, payload)
}

// buildSeg builds an Ethernet/IPv4/TCP packet; flags are letters of S, A,
// F, R, P.
func buildSeg(t testing.TB, from, to netip.AddrPort, seq, ack uint32, flags string, payload []byte) []byte {
	eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: from.Addr().AsSlice(), DstIP: to.Addr().AsSlice()}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(from.Port()), DstPort: layers.TCPPort(to.Port()), Seq: seq, Ack: ack, Window: 1000}
	for _, f := range flags {
		switch f {
		case 'S':
			tcp.SYN = true
		case 'A':
			tcp.ACK = true
		case 'F':
			tcp.FIN = true
		case 'R':
			tcp.RST = true
		case 'P':
			tcp.PSH = true
		}
	}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload))
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestIdleTimeout closes a silent connection after IdleTimeout of capture
// time, before the end of input.
func TestIdleTimeout(t *testing.T) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	other := netip.MustParseAddrPort("10.0.0.3:40001")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var ended []stream.Conn
	a := stream.New(&stream.Config{IdleTimeout: 10 * time.Second}, nil, func(c *stream.Conn) { ended = append(ended, *c) })
	a.Packet(gopacket.CaptureInfo{Timestamp: t0}, buildTCP(t, cli, srv, 1, "A", []byte("hello")), layers.LinkTypeEthernet)
	for i := 1; i <= 30; i++ {
		a.Packet(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Second)}, buildTCP(t, other, srv, uint32(i), "A", nil), layers.LinkTypeEthernet)
	}
	if len(ended) != 1 || ended[0].End != stream.EndTimeout || ended[0].Half[0].Bytes != 5 {
		t.Fatalf("after 30 s: ended %+v", ended)
	}
	a.Flush()
	sort.Slice(ended, func(i, j int) bool { return ended[i].ID < ended[j].ID })
	if len(ended) != 2 || ended[1].End != stream.EndEOF {
		t.Fatalf("after Flush: ended %+v", ended)
	}
}

func TestLinkTypes(t *testing.T) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	eth := buildTCP(t, cli, srv, 1, "A", []byte("payload!"))
	ip := eth[14:]
	sll := append([]byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00}, ip...)
	null := append([]byte{2, 0, 0, 0}, ip...)
	vlan := append(append(append([]byte{}, eth[:12]...), 0x81, 0x00, 0, 5, 0x08, 0x00), ip...)
	tests := []struct {
		name string
		lt   layers.LinkType
		data []byte
	}{
		{"ethernet", layers.LinkTypeEthernet, eth},
		{"vlan", layers.LinkTypeEthernet, vlan},
		{"raw", layers.LinkTypeRaw, ip},
		{"sll", layers.LinkTypeLinuxSLL, sll},
		{"null", layers.LinkTypeNull, null},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := newCollector()
			a := stream.New(nil, k, nil)
			a.Packet(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}, tc.data, tc.lt)
			a.Flush()
			if b := k.data[cli.String()+">"+srv.String()]; b == nil || b.String() != "payload!" {
				t.Errorf("got %v", k.data)
			}
		})
	}
}

func TestAllocs(t *testing.T) {
	pkts := gen(t, 3, 4000)
	a := stream.New(nil, nil, nil)
	for _, p := range pkts[:2000] {
		a.Packet(p.ci, p.data, layers.LinkTypeEthernet)
	}
	// A segment of an established connection: replay the same pure ACK
	// (in window, no payload), which must not allocate.
	var ack pkt
	for _, p := range pkts[1000:2000] {
		if s, ok := decodeTCP(p); ok && len(s.payload) == 0 && !s.syn {
			ack = p
		}
	}
	allocs := testing.AllocsPerRun(1000, func() { a.Packet(ack.ci, ack.data, layers.LinkTypeEthernet) })
	if allocs != 0 {
		t.Errorf("%.1f allocations per packet", allocs)
	}
}

func BenchmarkAssemble(b *testing.B) {
	pkts := gen(b, 3, 50000)
	var n int64
	for _, p := range pkts {
		n += int64(len(p.data))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		a := stream.New(nil, nil, nil)
		for _, p := range pkts {
			a.Packet(p.ci, p.data, layers.LinkTypeEthernet)
		}
		a.Flush()
	}
}

// TestRSTEndsConnection: a reset reports the connection GapTimeout (plus at
// most two seconds) of capture time later, not after the idle timeout.
func TestRSTEndsConnection(t *testing.T) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	other := netip.MustParseAddrPort("10.0.0.3:40001")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var ended []stream.Conn
	a := stream.New(nil, nil, func(c *stream.Conn) { ended = append(ended, *c) })
	at := func(ms int) gopacket.CaptureInfo {
		return gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(ms) * time.Millisecond)}
	}
	a.Packet(at(0), buildTCP(t, cli, srv, 100, "S", nil), layers.LinkTypeEthernet)
	a.Packet(at(1), buildTCP(t, srv, cli, 500, "SA", nil), layers.LinkTypeEthernet)
	a.Packet(at(2), buildTCP(t, cli, srv, 101, "A", []byte("hi")), layers.LinkTypeEthernet)
	a.Packet(at(3), buildTCP(t, srv, cli, 501, "RA", nil), layers.LinkTypeEthernet)
	for ms := 500; ms <= 8000; ms += 500 {
		a.Packet(at(ms), buildTCP(t, other, srv, 1, "A", nil), layers.LinkTypeEthernet)
		if ms < 5000 && len(ended) > 0 {
			t.Fatalf("reported %d ms after the reset, before GapTimeout", ms)
		}
	}
	if len(ended) != 1 || ended[0].End != stream.EndRST || ended[0].Half[0].Bytes != 2 {
		t.Fatalf("8 s after the reset: ended %+v", ended)
	}
}

func TestReadFrom(t *testing.T) {
	pkts := gen(t, 2, 3000)
	var buf bytes.Buffer
	w, err := pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		w.WritePacket(p.ci, p.data)
	}
	w.Close()
	src, err := pcapio.NewReader(bytes.NewReader(buf.Bytes()), "mem")
	if err != nil {
		t.Fatal(err)
	}
	a := stream.New(nil, nil, nil)
	n, err := a.ReadFrom(src)
	_, direct := run(pkts, nil)
	if err != nil || n != int64(len(pkts)) || a.Stats() != direct {
		t.Errorf("ReadFrom: %d packets, %v; stats %+v, want %+v", n, err, a.Stats(), direct)
	}
}

// TestMaxConns opens many connections that never end: past MaxConns the
// least recently seen are closed early as evicted, delivering their bytes,
// and at no time are more than MaxConns being reassembled.
func TestMaxConns(t *testing.T) {
	const max, n = 10, 100
	var ended []*stream.Conn
	a := stream.New(&stream.Config{MaxConns: max}, nil, func(c *stream.Conn) { ended = append(ended, c) })
	server := netip.MustParseAddrPort("10.0.0.2:80")
	t0 := time.Unix(1700000000, 0)
	for i := range n {
		client := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), uint16(10000+i))
		ts := t0.Add(time.Duration(i) * time.Millisecond)
		for j, p := range [][]byte{
			buildSeg(t, client, server, 100, 0, "S", nil),
			buildSeg(t, client, server, 101, 0, "AP", []byte("hello")),
		} {
			a.Packet(gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(j) * time.Microsecond), CaptureLength: len(p), Length: len(p)}, p, layers.LinkTypeEthernet)
		}
		if open := a.Stats().Open; open > max {
			t.Fatalf("after connection %d: %d open, cap %d", i, open, max)
		}
	}
	st := a.Stats()
	a.Flush()
	if len(ended) != n {
		t.Fatalf("%d connections reported, want %d", len(ended), n)
	}
	var evicted int
	for _, c := range ended {
		if c.End == stream.EndEvicted {
			evicted++
		}
	}
	if int64(evicted) != st.Evicted || evicted < n-max || evicted > n {
		t.Errorf("%d connections ended as evicted, Stats.Evicted %d; want at least %d", evicted, st.Evicted, n-max)
	}
	for _, c := range ended {
		oldest, newest := c.Client.Port() == 10000, c.Client.Port() == 10000+n-1
		if oldest && c.End != stream.EndEvicted || newest && c.End == stream.EndEvicted {
			t.Errorf("%v: the oldest connection must be evicted, the newest not", c)
		}
	}
}
