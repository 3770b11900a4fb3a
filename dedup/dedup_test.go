package dedup

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA = net.HardwareAddr{2, 0, 0, 0, 0, 0xa}
	macB = net.HardwareAddr{2, 0, 0, 0, 0, 0xb}
	macC = net.HardwareAddr{2, 0, 0, 0, 0, 0xc}
	t0   = time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
)

func ser(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// pkt4 is an Ethernet/IPv4/UDP packet; ttl, MACs, TOS and payload vary.
func pkt4(tb testing.TB, src, dst net.HardwareAddr, ttl, tos uint8, payload string) []byte {
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, TOS: tos, Id: 77, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IPv4(10, 0, 0, 1).To4(), DstIP: net.IPv4(10, 0, 0, 2).To4()}
	u := &layers.UDP{SrcPort: 1000, DstPort: 2000}
	u.SetNetworkLayerForChecksum(ip)
	return ser(tb, &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: layers.EthernetTypeIPv4}, ip, u, gopacket.Payload(payload))
}

func pkt6(tb testing.TB, hop uint8, payload string) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: hop, NextHeader: layers.IPProtocolUDP,
		SrcIP: net.ParseIP("fd00::1"), DstIP: net.ParseIP("fd00::2")}
	u := &layers.UDP{SrcPort: 1000, DstPort: 2000}
	u.SetNetworkLayerForChecksum(ip)
	return ser(tb, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}, ip, u, gopacket.Payload(payload))
}

// tagged inserts an 802.1Q tag with the given VLAN after the MACs.
func tagged(frame []byte, vlan uint16) []byte {
	out := append([]byte(nil), frame[:12]...)
	out = binary.BigEndian.AppendUint16(out, 0x8100)
	out = binary.BigEndian.AppendUint16(out, vlan)
	return append(out, frame[12:]...)
}

func arp(tb testing.TB) []byte {
	return ser(tb, &layers.Ethernet{SrcMAC: macA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1},
			DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}})
}

type step struct {
	at   time.Duration // after t0
	data []byte
	link layers.LinkType // 0 means Ethernet
	wire int
	dup  bool
}

func TestDuplicate(t *testing.T) {
	p := pkt4(t, macA, macB, 64, 0, "payload one")
	routed := pkt4(t, macC, macA, 63, 0, "payload one") // other side of a router
	other := pkt4(t, macA, macB, 64, 0, "payload two")
	tos := pkt4(t, macA, macB, 64, 0x10, "payload one")
	p6, p6hop := pkt6(t, 64, "six"), pkt6(t, 10, "six")
	padded := append(append([]byte(nil), p...), make([]byte, 20)...)
	padded2 := append(append([]byte(nil), p...), 0xff, 0xee, 0xdd)
	raw := p[14:]
	a := arp(t)

	cases := []struct {
		name  string
		cfg   *Config
		steps []step
	}{
		{"exact copy within the window is dropped", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, p, 0, 0, true}}},
		{"copy with TTL and IP checksum changed is dropped", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, routed, 0, 0, true}}},
		{"copy with TTL changed is kept when the link header counts", &Config{CompareLink: true}, []step{{0, p, 0, 0, false}, {time.Millisecond, routed, 0, 0, false}}},
		{"IPv6 copy with hop limit changed is dropped", nil, []step{{0, p6, 0, 0, false}, {time.Millisecond, p6hop, 0, 0, true}}},
		{"copy on another VLAN is dropped", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, tagged(p, 20), 0, 0, true}}},
		{"copy on another VLAN is kept when the link header counts", &Config{CompareLink: true}, []step{{0, p, 0, 0, false}, {time.Millisecond, tagged(p, 20), 0, 0, false}}},
		{"copy with different Ethernet padding is dropped", nil, []step{{0, padded, 0, 0, false}, {time.Millisecond, padded2, 0, 0, true}}},
		{"copy seen on a raw-IP link is dropped", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, raw, layers.LinkTypeRaw, 0, true}}},
		{"different payload is kept", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, other, 0, 0, false}}},
		{"different TOS is kept", nil, []step{{0, p, 0, 0, false}, {time.Millisecond, tos, 0, 0, false}}},
		{"copy 5.9 s later (two buckets back) is dropped", nil, []step{{0, p, 0, 0, false}, {5900 * time.Millisecond, p, 0, 0, true}}},
		{"copy 6 s later (outside three buckets) is kept", nil, []step{{0, p, 0, 0, false}, {6 * time.Second, p, 0, 0, false}}},
		{"copy 6 s later within a chain of buckets is kept", nil, []step{{0, p, 0, 0, false}, {3 * time.Second, other, 0, 0, false}, {6100 * time.Millisecond, p, 0, 0, false}}},
		{"copy 1.1 s later with 1 s buckets of 2 is dropped", &Config{Buckets: 2, BucketDuration: time.Second}, []step{{0, p, 0, 0, false}, {1100 * time.Millisecond, p, 0, 0, true}}},
		{"copy 2 s later with 1 s buckets of 2 is kept", &Config{Buckets: 2, BucketDuration: time.Second}, []step{{0, p, 0, 0, false}, {2 * time.Second, p, 0, 0, false}}},
		{"copy earlier in time (out of order) is dropped", nil, []step{{time.Second, p, 0, 0, false}, {0, p, 0, 0, true}}},
		{"third copy is dropped too", nil, []step{{0, p, 0, 0, false}, {1, p, 0, 0, true}, {2, p, 0, 0, true}}},
		{"ARP repeated is kept by default", nil, []step{{0, a, 0, 0, false}, {time.Second, a, 0, 0, false}}},
		{"ARP repeated is dropped with NonIP", &Config{NonIP: true}, []step{{0, a, 0, 0, false}, {time.Second, a, 0, 0, true}}},
		{"unknown link type is never compared", nil, []step{{0, p, layers.LinkTypeIEEE802_11, 0, false}, {1, p, layers.LinkTypeIEEE802_11, 0, false}}},
		{"cut copies of the same packet are dropped", nil, []step{{0, p[:40], 0, len(p), false}, {1, p[:40], 0, len(p), true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var dups uint64
			for i, s := range tc.steps {
				lt := s.link
				if lt == 0 {
					lt = layers.LinkTypeEthernet
				}
				wire := s.wire
				if wire == 0 {
					wire = len(s.data)
				}
				ci := gopacket.CaptureInfo{Timestamp: t0.Add(s.at), CaptureLength: len(s.data), Length: wire}
				if got := d.Duplicate(lt, s.data, ci); got != s.dup {
					t.Fatalf("packet %d at +%v: duplicate = %v, want %v", i, s.at, got, s.dup)
				}
				if s.dup {
					dups++
				}
			}
			if st := d.Stats(); st.Duplicates != dups || st.Packets != uint64(len(tc.steps)) {
				t.Errorf("stats = %+v, want %d duplicates of %d", st, dups, len(tc.steps))
			}
		})
	}
}

// distinct returns the i-th of many distinct IPv4/UDP frames, written into
// buf (a frame from pkt4): i goes in the first 4 bytes of the UDP payload.
func distinct(buf []byte, i uint32) []byte {
	binary.BigEndian.PutUint32(buf[42:], i)
	return buf
}

func TestBoundedUnderFlood(t *testing.T) {
	const max = 1000
	d, err := New(&Config{MaxEntries: max})
	if err != nil {
		t.Fatal(err)
	}
	bound := 3 * (2048*8 + max*4) // 3 tables of 2048 slots, 1000 slot numbers each
	frame := pkt4(t, macA, macB, 64, 0, "flood...")
	buf := append([]byte(nil), frame...)
	// 100000 distinct packets in one millisecond: far more than the
	// buckets hold within their time span.
	const n = 100000
	for i := range uint32(n) {
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 10 * time.Nanosecond), Length: len(buf)}
		if d.Duplicate(layers.LinkTypeEthernet, distinct(buf, i), ci) {
			t.Fatalf("distinct packet %d taken for a duplicate", i)
		}
		if m := d.MemoryBytes(); m > bound {
			t.Fatalf("after %d packets the tables take %d bytes, above the bound %d", i+1, m, bound)
		}
	}
	if m := d.MemoryBytes(); m != bound {
		t.Errorf("after the flood the tables take %d bytes, want the bound %d", m, bound)
	}
	st := d.Stats()
	if st.EarlyRotations < n/max-1 || st.EarlyRotations > n/max {
		t.Errorf("early rotations = %d, want about %d", st.EarlyRotations, n/max)
	}
	ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Millisecond), Length: len(buf)}
	// The last (Buckets-1) x MaxEntries packets are still remembered ...
	for i := uint32(n - 2*max); i < n; i += 97 {
		if !d.Duplicate(layers.LinkTypeEthernet, distinct(buf, i), ci) {
			t.Errorf("recent packet %d not recognised after the flood", i)
		}
	}
	// ... the early ones are forgotten.
	if d.Duplicate(layers.LinkTypeEthernet, distinct(buf, 5), ci) {
		t.Errorf("packet 5 still remembered after %d others: memory is not bounded", n)
	}
}

func TestDuplicateDoesNotAllocate(t *testing.T) {
	d, _ := New(&Config{MaxEntries: 1 << 12})
	frame := pkt4(t, macA, macB, 64, 0, "alloc...")
	buf := append([]byte(nil), frame...)
	var i uint32
	step := func() {
		i++
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), Length: len(buf)}
		d.Duplicate(layers.LinkTypeEthernet, distinct(buf, i%3000), ci)
	}
	for range 20000 { // let the tables grow to what this traffic needs
		step()
	}
	allocs := testing.AllocsPerRun(10000, step)
	if allocs != 0 {
		t.Errorf("%v allocations per Duplicate", allocs)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"one bucket", Config{Buckets: 1}},
		{"negative buckets", Config{Buckets: -3}},
		{"negative duration", Config{BucketDuration: -time.Second}},
		{"negative max entries", Config{MaxEntries: -1}},
		{"max entries above the limit", Config{MaxEntries: MaxMaxEntries + 1}},
	} {
		if _, err := New(&tc.cfg); err == nil {
			t.Errorf("%s: New accepted %+v", tc.name, tc.cfg)
		}
	}
}

func TestReset(t *testing.T) {
	d, _ := New(&Config{MaxEntries: 16})
	p := pkt4(t, macA, macB, 64, 0, "x")
	ci := gopacket.CaptureInfo{Timestamp: t0, Length: len(p)}
	d.Duplicate(layers.LinkTypeEthernet, p, ci)
	d.Reset()
	if d.Duplicate(layers.LinkTypeEthernet, p, ci) || d.Stats().Packets != 1 {
		t.Errorf("Reset kept packets or counts: %+v", d.Stats())
	}
}

func BenchmarkDuplicate(b *testing.B) {
	for _, size := range []int{64, 512, 1500} {
		b.Run(byteSize(size), func(b *testing.B) {
			d, _ := New(nil)
			frame := pkt4(b, macA, macB, 64, 0, string(make([]byte, size-42)))
			buf := append([]byte(nil), frame...)
			b.ReportAllocs()
			b.SetBytes(int64(len(buf)))
			var i uint32
			for b.Loop() {
				i++
				// Every other packet is a copy of the one before.
				ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Microsecond), Length: len(buf)}
				d.Duplicate(layers.LinkTypeEthernet, distinct(buf, i/2), ci)
			}
		})
	}
}

func byteSize(n int) string {
	return map[int]string{64: "64B", 512: "512B", 1500: "1500B"}[n]
}
