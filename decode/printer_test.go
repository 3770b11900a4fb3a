package decode

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var (
	macA = net.HardwareAddr{0, 0x11, 0x22, 0x33, 0x44, 0x55}
	macB = net.HardwareAddr{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}
	ts   = time.Date(2024, 1, 2, 12, 0, 0, 1000, time.UTC)
)

func build(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	for _, l := range ls {
		if n, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, x := range ls {
				if nl, ok := x.(gopacket.NetworkLayer); ok {
					_ = n.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}
}

func ip4(p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: 1, Flags: layers.IPv4DontFragment, Protocol: p,
		SrcIP: net.IPv4(10, 0, 0, 1), DstIP: net.IPv4(10, 0, 0, 2)}
}

func synPacket(t testing.TB) []byte {
	tcp := &layers.TCP{SrcPort: 43210, DstPort: 80, Seq: 1, SYN: true, Window: 65535,
		Options: []layers.TCPOption{{OptionType: 2, OptionLength: 4, OptionData: []byte{5, 0xb4}},
			{OptionType: 4, OptionLength: 2}, {OptionType: 8, OptionLength: 10, OptionData: []byte{0, 0, 0, 1, 0, 0, 0, 0}},
			{OptionType: 1}, {OptionType: 3, OptionLength: 3, OptionData: []byte{7}}}}
	return build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp)
}

func printOne(t *testing.T, o Options, data []byte, lt layers.LinkType) string {
	t.Helper()
	var out bytes.Buffer
	o.Location = time.UTC
	p := NewPrinter(&out, &o)
	if err := p.Print(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data)}, data, lt); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestPrint(t *testing.T) {
	syn := synPacket(t)
	udp := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 6000}, gopacket.Payload("hello"))
	icmp := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolICMPv4),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 3}, gopacket.Payload("abcdefgh"))
	arp := build(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: 1, Protocol: 0x0800, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: 1, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}})
	v6 := build(t, eth(layers.EthernetTypeIPv6), &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolICMPv6,
		SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8:0:0:1::2")},
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, gopacket.Payload([]byte{0, 1, 0, 2}))
	vlan := build(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 100, Priority: 3, Type: layers.EthernetTypeIPv4},
		ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2})
	raw := syn[14:]
	igmpPkt := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolIGMP), gopacket.Payload([]byte{0x16, 0, 0xfa, 0x04, 224, 0, 0, 251}))
	v6frag := build(t, eth(layers.EthernetTypeIPv6), &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment,
		SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")},
		gopacket.Payload([]byte{17, 0, 0, 1, 0, 0, 0, 5, 0x13, 0x88, 0x17, 0x70, 0, 12, 0, 0, 'a', 'b', 'c', 'd'}))
	sll2 := append([]byte{8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0}, raw...)
	sll := append([]byte{0, 4, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, 8, 0}, raw...)
	null := append([]byte{2, 0, 0, 0}, raw...)
	tests := []struct {
		name string
		o    Options
		data []byte
		lt   layers.LinkType
		want string
	}{
		{"tcp syn", Options{}, syn, layers.LinkTypeEthernet, "12:00:00.000001 IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n"},
		{"udp", Options{}, udp, layers.LinkTypeEthernet, "12:00:00.000001 IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 5\n"},
		{"icmp echo", Options{}, icmp, layers.LinkTypeEthernet, "12:00:00.000001 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 3, length 16\n"},
		{"arp", Options{}, arp, layers.LinkTypeEthernet, "12:00:00.000001 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 46\n"},
		{"icmp6 echo", Options{}, v6, layers.LinkTypeEthernet, "12:00:00.000001 IP6 2001:db8::1 > 2001:db8::1:0:0:2: ICMP6, echo request, id 1, seq 2, length 8\n"},
		{"vlan -e", Options{Link: true}, vlan, layers.LinkTypeEthernet, "12:00:00.000001 00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype 802.1Q (0x8100), length 60: vlan 100, p 3, ethertype IPv4 (0x0800), 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0\n"},
		{"vlan", Options{}, vlan, layers.LinkTypeEthernet, "12:00:00.000001 IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0\n"},
		{"raw", Options{Time: TimeNone}, raw, layers.LinkTypeRaw, "IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n"},
		{"null -e", Options{Time: TimeNone, Link: true}, null, layers.LinkTypeNull, "AF IPv4 (2), length 64: 10.0.0.1.43210 > 10.0.0.2.80: Flags [S], seq 1, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n"},
		{"-tt", Options{Time: TimeEpoch}, udp[:10], layers.LinkTypeEthernet, "1704196800.000001  [|ether]\n"},
		{"-tttt nano", Options{Time: TimeDate, Nano: true}, udp[:10], layers.LinkTypeEthernet, "2024-01-02 12:00:00.000001000  [|ether]\n"},
		{"-ttt", Options{Time: TimeDelta}, udp[:10], layers.LinkTypeEthernet, " 00:00:00.000000  [|ether]\n"},
		{"-v tcp", Options{Verbose: 1, Time: TimeNone}, syn, layers.LinkTypeEthernet, "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)\n    10.0.0.1.43210 > 10.0.0.2.80: Flags [S], cksum 0x"},
		{"truncated tcp", Options{Time: TimeNone}, syn[:40], layers.LinkTypeEthernet, "IP truncated-ip - 34 bytes missing! 10.0.0.1.43210 > 10.0.0.2.80:  [|tcp]\n"},
		{"-x", Options{Time: TimeNone, Hex: HexBytes}, udp[:34+8], layers.LinkTypeEthernet, "\t0x0000:  4500 0021 0001 4000 4011"},
		{"-X", Options{Time: TimeNone, Hex: HexASCII}, udp, layers.LinkTypeEthernet, "\t0x0010:  0a00 0002 1388 1770 000d "},
		{"unknown link", Options{Time: TimeNone}, udp[:20], 147, "UNSUPPORTED\n\t0x0000:  6677 8899 aabb 0011 2233 4455 0800 4500  fw......\"3DU..E.\n\t0x0010:  0021 0001                                .!..\n"},
		{"empty record", Options{}, udp[:0], layers.LinkTypeEthernet, "[Invalid header: caplen==0]\n"},
		{"unknown ethertype", Options{Time: TimeNone}, append(append([]byte{}, udp[:12]...), 0x12, 0x34, 'a', 'b'), layers.LinkTypeEthernet,
			"00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype Unknown (0x1234), length 16: \n\t0x0000:  6162                                     ab\n"},
		{"igmp v2 report", Options{Time: TimeNone}, igmpPkt, layers.LinkTypeEthernet, "IP 10.0.0.1 > 10.0.0.2: igmp v2 report 224.0.0.251\n"},
		{"ipv6 fragment udp", Options{Time: TimeNone}, v6frag, layers.LinkTypeEthernet, "IP6 2001:db8::1 > 2001:db8::2: frag (0|12) 5000 > 6000: UDP, length 4\n"},
		{"sll2", Options{Time: TimeNone}, sll2, linkTypeSLL2, "?     In  IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S]"},
		{"sll -e", Options{Time: TimeNone, Link: true}, sll, layers.LinkTypeLinuxSLL, "Out 00:11:22:33:44:55 ethertype IPv4 (0x0800), length 76: 10.0.0.1.43210 > 10.0.0.2.80: Flags [S]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := printOne(t, tc.o, tc.data, tc.lt)
			if !strings.Contains(got, tc.want) {
				t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestRelativeSeq(t *testing.T) {
	mk := func(src, dst net.IP, sp, dp layers.TCPPort, seq, ack uint32, syn, ackf bool, payload string) []byte {
		ip := ip4(layers.IPProtocolTCP)
		ip.SrcIP, ip.DstIP = src, dst
		return build(t, eth(layers.EthernetTypeIPv4), ip, &layers.TCP{SrcPort: sp, DstPort: dp, Seq: seq, Ack: ack, SYN: syn, ACK: ackf, Window: 100}, gopacket.Payload(payload))
	}
	a, b := net.IPv4(10, 0, 0, 1), net.IPv4(10, 0, 0, 2)
	pkts := [][]byte{
		mk(a, b, 1000, 80, 5000, 0, true, false, ""),
		mk(b, a, 80, 1000, 9000, 5001, true, true, ""),
		mk(a, b, 1000, 80, 5001, 9001, false, true, "abc"),
		mk(b, a, 80, 1000, 9001, 5004, false, true, ""),
	}
	for _, abs := range []bool{false, true} {
		var out bytes.Buffer
		p := NewPrinter(&out, &Options{Time: TimeNone, AbsoluteSeq: abs})
		for _, d := range pkts {
			_ = p.Print(gopacket.CaptureInfo{Timestamp: ts, Length: len(d), CaptureLength: len(d)}, d, layers.LinkTypeEthernet)
		}
		_ = p.Flush()
		want := []string{"seq 5000, win", "seq 9000, ack 5001,", "seq 1:4, ack 1,", "ack 4, win"}
		if abs {
			want = []string{"seq 5000, win", "seq 9000, ack 5001,", "seq 5001:5004, ack 9001,", "ack 5004, win"}
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		for i, w := range want {
			if i >= len(lines) || !strings.Contains(lines[i], w) {
				t.Errorf("abs=%v packet %d: want %q in %q", abs, i, w, lines)
			}
		}
	}
}

func TestIPv6Format(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2001:db8::1", "2001:db8::1"}, {"::", "::"}, {"::1", "::1"}, {"fe80::1:0:0:1", "fe80::1:0:0:1"},
		{"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"}, {"::ffff:1.2.3.4", "::ffff:1.2.3.4"}, {"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"},
		{"2001:db8::", "2001:db8::"},
	} {
		if got := string(appendIPv6(nil, net.ParseIP(tc.in).To16())); got != tc.want {
			t.Errorf("%s: got %s want %s", tc.in, got, tc.want)
		}
	}
}

func mix(t testing.TB) [][]byte {
	syn := synPacket(t)
	udp := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 6000}, gopacket.Payload("hello"))
	icmp := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 3})
	arp := build(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: 1, Protocol: 0x0800, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: 2, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: macB, DstProtAddress: []byte{10, 0, 0, 2}})
	ack := build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 80, DstPort: 43210, Seq: 7, Ack: 2, ACK: true, PSH: true, Window: 100}, gopacket.Payload("data"))
	return [][]byte{syn, udp, icmp, arp, ack}
}

func TestPrintAllocs(t *testing.T) {
	pk := mix(t)
	p := NewPrinter(io.Discard, &Options{Location: time.UTC})
	ci := gopacket.CaptureInfo{Timestamp: ts}
	for _, d := range pk {
		_ = p.Print(ci, d, layers.LinkTypeEthernet)
	}
	n := testing.AllocsPerRun(200, func() {
		for _, d := range pk {
			_ = p.Print(ci, d, layers.LinkTypeEthernet)
		}
	})
	if n != 0 {
		t.Errorf("Print allocates %.1f times per mix of %d packets", n, len(pk))
	}
}

func BenchmarkPrint(b *testing.B) {
	pk := mix(b)
	p := NewPrinter(io.Discard, &Options{Location: time.UTC})
	ci := gopacket.CaptureInfo{Timestamp: ts}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = p.Print(ci, pk[i%len(pk)], layers.LinkTypeEthernet)
		i++
	}
}

func FuzzPrint(f *testing.F) {
	for _, d := range mix(f) {
		f.Add(d, uint8(0))
		f.Add(d[14:], uint8(4))
	}
	lts := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, linkTypeSLL2, layers.LinkTypeNull,
		layers.LinkTypeRaw, layers.LinkTypeLoop, linkTypeIPv4, linkTypeIPv6, 147}
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		for _, o := range []Options{{}, {Link: true, Verbose: 2, Hex: HexASCIILink}} {
			p := NewPrinter(io.Discard, &o)
			lt := lts[int(sel)%len(lts)]
			if err := p.Print(gopacket.CaptureInfo{Timestamp: ts, Length: len(data)}, data, lt); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestSeqTableBounded(t *testing.T) {
	var tb tcpSeqTable
	tb.max = 4
	src := []byte{10, 0, 0, 1}
	dst := []byte{10, 0, 0, 2}
	for i := range 10 {
		_, _, created := tb.lookup(src, dst, uint16(1000+i), 80, false, 100, 200)
		if !created {
			t.Fatalf("connection %d: not created on first sight", i)
		}
		if len(tb.m) > tb.max {
			t.Fatalf("connection %d: table holds %d entries, max %d", i, len(tb.m), tb.max)
		}
	}
	// The reverse direction of a known connection finds its entry.
	own, peer, created := tb.lookup(dst, src, 80, 1009, false, 199, 101)
	if created || own != 199 || peer != 100 {
		t.Errorf("reverse lookup: own %d peer %d created %v, want 199 100 false", own, peer, created)
	}
}
