package rules

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Test packets are built with gopacket's serializers.

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xb}
)

func ser(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func ethL(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
}

func ip4L(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ip6L(src, dst string, p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

var pay = gopacket.Payload("payload")

// The packets of the matching tables.
type pkts struct {
	tcp4, udp4vlan, udp4qinq, tcp6, raw4, arp []byte
}

func testPackets(tb testing.TB) pkts {
	var p pkts
	ip := ip4L("10.1.1.1", "192.0.2.1", layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, SYN: true, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	p.tcp4 = ser(tb, ethL(layers.EthernetTypeIPv4), ip, tcp, pay)

	ipv := ip4L("172.16.0.5", "172.16.9.9", layers.IPProtocolUDP)
	udp := &layers.UDP{SrcPort: 5353, DstPort: 53}
	udp.SetNetworkLayerForChecksum(ipv)
	p.udp4vlan = ser(tb, ethL(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv4}, ipv, udp, pay)

	p.udp4qinq = ser(tb, ethL(layers.EthernetTypeQinQ), &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv4}, ipv, udp, pay)

	ip6 := ip6L("2001:db8::1", "2001:db8:1::2", layers.IPProtocolTCP)
	tcp6 := &layers.TCP{SrcPort: 443, DstPort: 50000, ACK: true, Window: 1024}
	tcp6.SetNetworkLayerForChecksum(ip6)
	p.tcp6 = ser(tb, ethL(layers.EthernetTypeIPv6), ip6, tcp6, pay)

	ipr := ip4L("10.9.9.9", "10.8.8.8", layers.IPProtocolUDP)
	udpr := &layers.UDP{SrcPort: 1000, DstPort: 2000}
	udpr.SetNetworkLayerForChecksum(ipr)
	p.raw4 = ser(tb, ipr, udpr, pay)

	p.arp = ser(tb, ethL(layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: net.IP{10, 1, 1, 1},
		DstHwAddress: make([]byte, 6), DstProtAddress: net.IP{10, 1, 1, 2}})
	return p
}
