package decode_test

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/decode"
)

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	for _, l := range ls {
		if tcp, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					_ = tcp.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return slices.Clone(buf.Bytes())
}

var (
	mac1, mac2 = net.HardwareAddr{2, 0, 0, 0, 0, 1}, net.HardwareAddr{2, 0, 0, 0, 0, 2}
	ip4a, ip4b = net.IP{10, 0, 0, 1}, net.IP{10, 0, 0, 2}
	ip6a, ip6b = net.ParseIP("2001:db8::1"), net.ParseIP("2001:db8::2")
)

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: mac1, DstMAC: mac2, EthernetType: et}
}
func ip4(p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: ip4a, DstIP: ip4b}
}
func ip6(p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: ip6a, DstIP: ip6b}
}

func TestStackDecode(t *testing.T) {
	tcp := func(f func(*layers.TCP)) *layers.TCP {
		l := &layers.TCP{SrcPort: 40000, DstPort: 80, Seq: 1, Window: 500, ACK: true}
		if f != nil {
			f(l)
		}
		return l
	}
	tests := []struct {
		name   string
		lt     layers.LinkType
		data   []byte
		want   string
		flags  uint8
		window uint16
		isTCP  bool
	}{
		{"ethernet ipv4 tcp http request", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(nil), gopacket.Payload("GET / HTTP/1.1\r\n\r\n")), "eth ip tcp http", decode.TCPAck, 500, true},
		{"ethernet ipv4 tcp http response", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(nil), gopacket.Payload("HTTP/1.1 200 OK\r\n\r\n")), "eth ip tcp http", decode.TCPAck, 500, true},
		{"tcp without payload stops at tcp", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(func(l *layers.TCP) { l.SYN, l.ACK = true, false })), "eth ip tcp", decode.TCPSyn, 500, true},
		{"tcp reset with zero window", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(func(l *layers.TCP) { l.RST, l.Window = true, 0 })), "eth ip tcp", decode.TCPRst | decode.TCPAck, 0, true},
		{"tls record", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(nil), gopacket.Payload([]byte{22, 3, 1, 0, 5, 1, 0, 0, 1, 0})), "eth ip tcp tls", decode.TCPAck, 500, true},
		{"unknown tcp payload is data", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(nil), gopacket.Payload("hello")), "eth ip tcp data", decode.TCPAck, 500, true},
		{"udp dns", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5555, DstPort: 53}, gopacket.Payload(make([]byte, 20))), "eth ip udp dns", 0, 0, false},
		{"udp other is data", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5555, DstPort: 9999}, gopacket.Payload("x")), "eth ip udp data", 0, 0, false},
		{"vlan ipv6 icmpv6", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv6}, ip6(layers.IPProtocolICMPv6), gopacket.Payload([]byte{128, 0, 0, 0, 0, 1, 0, 1})), "eth vlan ipv6 icmpv6", 0, 0, false},
		{"ipv6 hop-by-hop then udp", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv6), ip6(layers.IPProtocolIPv6HopByHop), gopacket.Payload([]byte{17, 0, 1, 4, 0, 0, 0, 0, 0x15, 0xb3, 0, 53, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), "eth ipv6 udp dns", 0, 0, false},
		{"qinq is ieee8021ad then vlan", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeQinQ), &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeDot1Q}, &layers.Dot1Q{VLANIdentifier: 8, Type: layers.EthernetTypeARP}, &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: mac1, SourceProtAddress: ip4a, DstHwAddress: mac2, DstProtAddress: ip4b}), "eth ieee8021ad vlan arp", 0, 0, false},
		{"arp", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: mac1, SourceProtAddress: ip4a, DstHwAddress: mac2, DstProtAddress: ip4b}), "eth arp", 0, 0, false},
		{"icmp", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}), "eth ip icmp", 0, 0, false},
		{"raw ip tcp", layers.LinkTypeRaw, serialize(t, ip4(layers.IPProtocolTCP), tcp(nil), gopacket.Payload("SSH-2.0-x\r\n")), "ip tcp ssh", decode.TCPAck, 500, true},
		{"linux sll ipv4 udp", layers.LinkTypeLinuxSLL, append([]byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 8, 0}, serialize(t, ip4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}, gopacket.Payload("x"))...), "sll ip udp data", 0, 0, false},
		{"ethernet cut inside the ip header", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcp(nil))[:20], "eth ip", 0, 0, false},
		{"later fragment has no transport", layers.LinkTypeEthernet, serialize(t, eth(layers.EthernetTypeIPv4), &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, FragOffset: 100, SrcIP: ip4a, DstIP: ip4b}, gopacket.Payload(make([]byte, 40))), "eth ip", 0, 0, false},
		{"802.3 length field is llc", layers.LinkTypeEthernet, append([]byte{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0, 40}, make([]byte, 40)...), "eth llc", 0, 0, false},
		{"unknown link type gives nothing", layers.LinkType(147), []byte{1, 2, 3}, "", 0, 0, false},
	}
	var s decode.Stack
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.Decode(tc.data, tc.lt)
			if got := strings.Join(s.Names, " "); got != tc.want {
				t.Errorf("names = %q, want %q", got, tc.want)
			}
			if s.TCP != tc.isTCP || s.TCPFlags != tc.flags || s.TCPWindow != tc.window {
				t.Errorf("tcp = %v flags %#x window %d, want %v %#x %d", s.TCP, s.TCPFlags, s.TCPWindow, tc.isTCP, tc.flags, tc.window)
			}
		})
	}
}

func TestStackDecodeDoesNotAllocate(t *testing.T) {
	data := serialize(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv4}, ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 1, DstPort: 80}, gopacket.Payload("GET / HTTP/1.1\r\n"))
	var s decode.Stack
	s.Decode(data, layers.LinkTypeEthernet)
	if n := testing.AllocsPerRun(100, func() { s.Decode(data, layers.LinkTypeEthernet) }); n != 0 {
		t.Errorf("Decode allocates %.1f times per packet, want 0", n)
	}
}

func FuzzStackDecode(f *testing.F) {
	f.Add(serialize(f, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), &layers.TCP{SrcPort: 1, DstPort: 80}, gopacket.Payload("GET / HTTP/1.1\r\n")), uint16(1))
	f.Add(serialize(f, eth(layers.EthernetTypeIPv6), ip6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 5}, gopacket.Payload(make([]byte, 12))), uint16(1))
	f.Add([]byte{0x45, 0, 0, 20}, uint16(101))
	f.Add([]byte{2, 0, 0, 0, 0x60}, uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, lt uint16) {
		var s decode.Stack
		s.Decode(data, layers.LinkType(lt))
		if len(s.Names) > 16 {
			t.Fatalf("%d names for %d bytes", len(s.Names), len(data))
		}
		for _, n := range s.Names {
			if n == "" {
				t.Fatal("empty protocol name")
			}
		}
	})
}
