package eve

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func frame(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var nl gopacket.NetworkLayer
	for _, l := range ls {
		switch v := l.(type) {
		case *layers.IPv4:
			nl = v
		case *layers.IPv6:
			nl = v
		case *layers.TCP:
			v.SetNetworkLayerForChecksum(nl)
		case *layers.UDP:
			v.SetNetworkLayerForChecksum(nl)
		case *layers.ICMPv6:
			v.SetNetworkLayerForChecksum(nl)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: et}
}

func v4(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func v6(src, dst string, p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

// TestMatcher: both ways of matching (compiled filter, decoding) accept
// and refuse the same packets, for every kind of protocol an event names.
func TestMatcher(t *testing.T) {
	ev := func(line string) Event {
		e, err := Parse([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	icmp := ev(`{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"ICMP"}`)
	icmp6 := ev(`{"src_ip":"2001:db8::1","dest_ip":"2001:db8::2","proto":"IPv6-ICMP"}`)
	tcp6 := ev(`{"src_ip":"2001:db8::1","src_port":1000,"dest_ip":"2001:db8::2","dest_port":22,"proto":"TCP"}`)
	num := ev(`{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"132"}`)
	gre := ev(`{"src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":2,"proto":"UDP","tunnel":{"src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"GRE"}}`)
	for _, tc := range []struct {
		name string
		ev   Event
		data []byte
		want bool
	}{
		{"icmp reply matches", icmp, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.2", "10.0.0.1", layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(0, 0)}), true},
		{"icmp to another host does not", icmp, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.2", "10.0.0.3", layers.IPProtocolICMPv4), &layers.ICMPv4{}), false},
		{"udp between the icmp hosts does not", icmp, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}), false},
		{"icmp6 matches", icmp6, frame(t, eth(layers.EthernetTypeIPv6), v6("2001:db8::2", "2001:db8::1", layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(129, 0)}), true},
		{"tcp over ipv6 both ways", tcp6, frame(t, eth(layers.EthernetTypeIPv6), v6("2001:db8::2", "2001:db8::1", layers.IPProtocolTCP), &layers.TCP{SrcPort: 22, DstPort: 1000}), true},
		{"tcp over ipv6 wrong port", tcp6, frame(t, eth(layers.EthernetTypeIPv6), v6("2001:db8::2", "2001:db8::1", layers.IPProtocolTCP), &layers.TCP{SrcPort: 22, DstPort: 1001}), false},
		{"tcp over ipv6 ports crossed", tcp6, frame(t, eth(layers.EthernetTypeIPv6), v6("2001:db8::1", "2001:db8::2", layers.IPProtocolTCP), &layers.TCP{SrcPort: 22, DstPort: 1000}), false},
		{"protocol number", num, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.1", "10.0.0.2", layers.IPProtocolSCTP), gopacket.Payload(make([]byte, 12))), true},
		{"protocol name GRE", ev(`{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"GRE"}`), frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.2", "10.0.0.1", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, v4("1.1.1.1", "2.2.2.2", layers.IPProtocolUDP), &layers.UDP{}), true},
		{"protocol number, other protocol", num, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), &layers.UDP{}), false},
		{"tunnelled event, untunnelled packet", gre, frame(t, eth(layers.EthernetTypeIPv4), v4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}), false},
		{"tunnelled event, packet in its tunnel", gre, frame(t, eth(layers.EthernetTypeIPv4), v4("192.0.2.2", "192.0.2.1", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, v4("10.0.0.2", "10.0.0.1", layers.IPProtocolUDP), &layers.UDP{SrcPort: 2, DstPort: 1}), true},
		{"tunnelled event, packet in another tunnel", gre, frame(t, eth(layers.EthernetTypeIPv4), v4("192.0.2.3", "192.0.2.1", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, v4("10.0.0.2", "10.0.0.1", layers.IPProtocolUDP), &layers.UDP{SrcPort: 2, DstPort: 1}), false},
		{"garbage", tcp6, []byte{0x86, 0xdd, 1}, false},
	} {
		for _, decode := range []bool{false, true} {
			m, err := NewMatcher(tc.ev, &MatchConfig{Decode: decode})
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Match(layers.LinkTypeEthernet, tc.data, gopacket.CaptureInfo{})
			if err != nil || got != tc.want {
				t.Errorf("%s (decode %v): %v %v, want %v", tc.name, decode, got, err, tc.want)
			}
		}
	}
	if _, err := NewMatcher(ev(`{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"XYZ"}`), nil); err == nil {
		t.Error("unknown protocol name accepted")
	}
}
