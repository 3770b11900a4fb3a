package replay

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
)

// fakeClock is a Clock that never really waits: WaitUntil jumps to the
// deadline, and a sink may Advance it to play a slow sink.
type fakeClock struct{ now time.Duration }

func (c *fakeClock) Now() time.Duration { return c.now }
func (c *fakeClock) WaitUntil(t time.Duration) {
	if t > c.now {
		c.now = t
	}
}

// sent is one packet as a recordSink saw it.
type sent struct {
	at   time.Duration // clock time of the write
	ci   gopacket.CaptureInfo
	data []byte
}

// recordSink keeps every packet with the clock time it was written at;
// cost advances the clock per packet.
type recordSink struct {
	clock   *fakeClock
	cost    time.Duration
	mtu     int
	got     []sent
	ifaces  []pcapio.Interface
	flushes int
	closed  bool
}

func (s *recordSink) Start(ifs []pcapio.Interface) error {
	s.ifaces = append([]pcapio.Interface(nil), ifs...)
	return nil
}
func (s *recordSink) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	s.got = append(s.got, sent{at: s.clock.now, ci: ci, data: append([]byte(nil), data...)})
	s.clock.now += s.cost
	return nil
}
func (s *recordSink) Flush() error { s.flushes++; return nil }
func (s *recordSink) MTU() int     { return s.mtu }
func (s *recordSink) Close() error { s.closed = true; return nil }

var t0 = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

// pkt describes a test packet: its time from t0, size and protocol.
type pkt struct {
	at   time.Duration
	size int  // frame length; 0 means 60
	udp  bool // UDP rather than TCP
	id   uint16
}

// frame builds an Ethernet/IPv4 frame of p.size bytes carrying p.id in
// the IP identification field, so tests can tell packets apart.
func frame(t testing.TB, p pkt) []byte {
	t.Helper()
	size := p.size
	if size == 0 {
		size = 60
	}
	eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Id: p.id, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
	var l4 gopacket.SerializableLayer
	hdr := 14 + 20
	if p.udp {
		ip.Protocol = layers.IPProtocolUDP
		u := &layers.UDP{SrcPort: 1000, DstPort: 2000}
		u.SetNetworkLayerForChecksum(ip)
		l4, hdr = u, hdr+8
	} else {
		ip.Protocol = layers.IPProtocolTCP
		tc := &layers.TCP{SrcPort: 1000, DstPort: 80, ACK: true, Window: 100}
		tc.SetNetworkLayerForChecksum(ip)
		l4, hdr = tc, hdr+20
	}
	buf := gopacket.NewSerializeBuffer()
	pay := gopacket.Payload(make([]byte, max(size-hdr, 0)))
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, l4, pay); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes pkts to dir/name as pcap with nanosecond timestamps.
func writeFile(t testing.TB, dir, name string, pkts []pkt) string {
	t.Helper()
	path := filepath.Join(dir, name)
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Nanosecond}}, &pcapio.WriteOptions{Nanosecond: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		d := frame(t, p)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(p.at), CaptureLength: len(d), Length: len(d)}, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// mapFiles maps paths as 'wirekit map' would.
func mapFiles(t testing.TB, paths ...string) []dataset.File {
	t.Helper()
	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range set.Files {
		if f.Error != "" {
			t.Fatalf("%s: %s", f.Path, f.Error)
		}
	}
	return set.Files
}

// ipID returns the IP identification of an Ethernet/IPv4 frame.
func ipID(data []byte) uint16 { return uint16(data[18])<<8 | uint16(data[19]) }
