package decap

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Test packets are built with gopacket's serializers; ERSPAN I and III,
// which gopacket cannot build, are written as raw header bytes.

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xb}
	macC = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xc}
	macD = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xd}
)

func ser(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
}

func ip4(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ip6(src, dst string, p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

func udp(dport layers.UDPPort) *layers.UDP { return &layers.UDP{SrcPort: 49152, DstPort: dport} }

var payload = gopacket.Payload("hello, inner world")

// innerIP4 is the innermost IPv4/UDP packet the tests look for.
func innerIP4(tb testing.TB) []byte {
	return ser(tb, ip4("10.1.1.1", "10.2.2.2", layers.IPProtocolUDP), udp(7777), payload)
}

func innerIP6(tb testing.TB) []byte {
	return ser(tb, ip6("fd00::1", "fd00::2", layers.IPProtocolUDP), udp(7777), payload)
}

// innerEth is an Ethernet frame carrying innerIP4, with its own MACs.
func innerEth(tb testing.TB) []byte {
	return ser(tb, &layers.Ethernet{SrcMAC: macC, DstMAC: macD, EthernetType: layers.EthernetTypeIPv4},
		ip4("10.1.1.1", "10.2.2.2", layers.IPProtocolUDP), udp(7777), payload)
}

// erspan3 returns an ERSPAN III header: session id, frame type, O flag.
func erspan3(session uint16, ft uint16, o bool) []byte {
	h := make([]byte, 12)
	binary.BigEndian.PutUint16(h[0:], 2<<12|100)
	binary.BigEndian.PutUint16(h[2:], session&0x3ff)
	binary.BigEndian.PutUint32(h[4:], 0xdeadbeef)
	w := ft << 10
	if o {
		w |= 1
	}
	binary.BigEndian.PutUint16(h[10:], w)
	if o {
		h = append(h, 1, 2, 3, 4, 5, 6, 7, 8)
	}
	return h
}

// cat joins byte slices into a new one.
func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// greOverIP4 returns Ethernet/IPv4/GRE(g)/rest.
func greOverIP4(tb testing.TB, g *layers.GRE, rest []byte) []byte {
	return ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolGRE), g, gopacket.Payload(rest))
}

// vxlanOverIP4 returns Ethernet/IPv4/UDP 4789/VXLAN(vni)/frame.
func vxlanOverIP4(tb testing.TB, vni uint32, frame []byte) []byte {
	return ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolUDP), udp(4789),
		&layers.VXLAN{ValidIDFlag: true, VNI: vni}, gopacket.Payload(frame))
}
