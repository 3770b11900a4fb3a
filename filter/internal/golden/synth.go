package main

import (
	"encoding/binary"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

var (
	macA  = net.HardwareAddr{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	macB  = net.HardwareAddr{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}
	macBC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	mac6  = net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}
	mac4m = net.HardwareAddr{0x01, 0x00, 0x5e, 0x00, 0x00, 0x05}
)

func ser(ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		panic(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(src, dst net.HardwareAddr, t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: t}
}

func ip4(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ip6(src, dst string, p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

func tcp(sp, dp uint16, flags string, ip gopacket.NetworkLayer) *layers.TCP {
	t := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: 1000, Window: 512, DataOffset: 5}
	for _, c := range flags {
		switch c {
		case 'S':
			t.SYN = true
		case 'A':
			t.ACK = true
		case 'F':
			t.FIN = true
		case 'R':
			t.RST = true
		case 'P':
			t.PSH = true
		case 'U':
			t.URG = true
		case 'E':
			t.ECE = true
		case 'C':
			t.CWR = true
		}
	}
	_ = t.SetNetworkLayerForChecksum(ip)
	return t
}

func udp(sp, dp uint16, ip gopacket.NetworkLayer) *layers.UDP {
	u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	_ = u.SetNetworkLayerForChecksum(ip)
	return u
}

func pl(s string) gopacket.Payload { return gopacket.Payload(s) }

// synthPackets returns Ethernet frames exercising what the filter compiler
// implements: every protocol, fragments, options, tags and truncation.
func synthPackets() [][]byte {
	var out [][]byte
	add := func(b []byte) { out = append(out, b) }

	i := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(1234, 80, "S", i)))
	i = ip4("10.0.0.2", "10.0.0.1", layers.IPProtocolTCP)
	add(ser(eth(macB, macA, layers.EthernetTypeIPv4), i, tcp(80, 1234, "PA", i), pl("HTTP/1.1 200 OK\r\n")))
	i = ip4("192.168.1.5", "192.168.1.255", layers.IPProtocolUDP)
	add(ser(eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(53, 5353, i), pl("dns?")))
	i = ip4("10.1.2.3", "8.8.8.8", layers.IPProtocolICMPv4)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1}, pl("ping")))
	// IPv4 with options (IHL 6), TCP 443.
	i = ip4("172.16.0.1", "172.16.0.2", layers.IPProtocolTCP)
	i.Options = []layers.IPv4Option{{OptionType: 1}, {OptionType: 1}, {OptionType: 1}, {OptionType: 0}}
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(5000, 443, "A", i)))
	// Non-first fragment of TCP whose bytes would read as port 80.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	i.FragOffset = 185
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, pl("\x00\x50\x00\x50abcdefghijklmnop")))
	// First fragment (MF) TCP 22.
	i = ip4("10.0.0.3", "10.0.0.4", layers.IPProtocolTCP)
	i.Flags = layers.IPv4MoreFragments
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(40000, 22, "A", i), pl("ssh")))
	v := ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, tcp(1234, 80, "S", v)))
	v = ip6("fe80::1", "ff02::1", layers.IPProtocolUDP)
	add(ser(eth(macA, mac6, layers.EthernetTypeIPv6), v, udp(546, 547, v), pl("dhcp6")))
	// IPv6 fragment header then UDP 53.
	v = ip6("2001:db8::3", "2001:db8::4", layers.IPProtocolIPv6Fragment)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, pl("\x11\x00\x00\x01\x00\x00\x00\x07\x30\x39\x00\x35\x00\x0c\x00\x00dns?")))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolICMPv6)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, pl("\x80\x00\x00\x00\x00\x01\x00\x01ping")))
	// IPv6 hop-by-hop then TCP 80.
	v = ip6("2001:db8::5", "2001:db8::6", layers.IPProtocolIPv6HopByHop)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, pl("\x06\x00\x01\x04\x00\x00\x00\x00\x04\xd2\x00\x50\x00\x00\x00\x01\x00\x00\x00\x00\x50\x02\x02\x00\x00\x00\x00\x00")))
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: 1, SourceHwAddress: macA, SourceProtAddress: net.IP{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: net.IP{10, 0, 0, 2}}
	add(ser(eth(macA, macBC, layers.EthernetTypeARP), arp))
	rarp := *arp
	rarp.Operation = 3
	rarp.SourceProtAddress = net.IP{192, 168, 1, 5}
	add(ser(eth(macA, macBC, layers.EthernetType(0x8035)), &rarp))
	// VLAN 100, IPv4 TCP 80.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeIPv4}, i, tcp(1234, 80, "S", i)))
	// QinQ: 802.1ad 200 then 802.1Q 300, IPv4 UDP 53.
	i = ip4("10.9.9.9", "10.8.8.8", layers.IPProtocolUDP)
	add(ser(eth(macA, macB, layers.EthernetTypeQinQ), &layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 300, Type: layers.EthernetTypeIPv4}, i, udp(1053, 53, i), pl("q")))
	// MPLS label 16 (bottom of stack), IPv4 TCP 80.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeMPLSUnicast), &layers.MPLS{Label: 16, StackBottom: true, TTL: 64}, i, tcp(1234, 80, "S", i)))
	// Two MPLS labels, IPv6 UDP.
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP)
	add(ser(eth(macA, macB, layers.EthernetTypeMPLSUnicast), &layers.MPLS{Label: 100, TTL: 64}, &layers.MPLS{Label: 200, StackBottom: true, TTL: 64}, v, udp(1000, 2000, v)))
	// PPPoE session 0x1234 carrying IPv4 UDP 53.
	i = ip4("100.64.0.1", "100.64.0.2", layers.IPProtocolUDP)
	add(ser(eth(macA, macB, layers.EthernetTypePPPoESession), &layers.PPPoE{Version: 1, Type: 1, Code: 0, SessionId: 0x1234},
		&layers.PPP{PPPType: layers.PPPTypeIPv4}, i, udp(2000, 53, i), pl("x")))
	add(ser(eth(macA, macBC, layers.EthernetTypePPPoEDiscovery), pl("\x11\x09\x00\x00\x00\x04\x01\x01\x00\x00")))
	// Truncated capture of an IPv4 TCP packet (30 bytes kept).
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(1234, 80, "S", i))[:30])
	i = ip4("10.0.0.7", "224.0.0.5", layers.IPProtocol(89))
	add(ser(eth(macA, mac4m, layers.EthernetTypeIPv4), i, pl("ospfhello-------")))
	i = ip4("10.0.0.7", "224.0.0.1", layers.IPProtocolIGMP)
	add(ser(eth(macA, mac4m, layers.EthernetTypeIPv4), i, pl("\x11\x64\x00\x00\x00\x00\x00\x00")))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolSCTP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, pl("\x0b\x59\x00\x50\x00\x00\x00\x00\x00\x00\x00\x00")))
	i = ip4("0.0.0.0", "255.255.255.255", layers.IPProtocolUDP)
	add(ser(eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(68, 67, i), pl("bootp")))
	add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3})
	// 802.3 length + LLC (STP).
	add(append([]byte{0x01, 0x80, 0xc2, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 38, 0x42, 0x42, 0x03}, make([]byte, 35)...))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolGRE)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, pl("\x00\x00\x08\x00abcd")))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolESP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, pl("\x00\x00\x01\x00\x00\x00\x00\x01espdata")))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolAH)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, pl("\x3b\x04\x00\x00\x00\x00\x01\x00\x00\x00\x00\x01abcdefghijkl")))
	for _, f := range []string{"FA", "R", "PU", "SA", "EC"} {
		i = ip4("10.0.0.2", "10.0.0.1", layers.IPProtocolTCP)
		add(ser(eth(macB, macA, layers.EthernetTypeIPv4), i, tcp(8080, 50000, f, i)))
	}
	i = ip4("10.0.0.9", "224.0.0.18", layers.IPProtocol(112))
	add(ser(eth(macA, mac4m, layers.EthernetTypeIPv4), i, pl("\x21\x01\x64\x01\x00\x01\x00\x00\x0a\x00\x00\x01")))
	i = ip4("10.0.0.9", "224.0.0.13", layers.IPProtocol(103))
	add(ser(eth(macA, mac4m, layers.EthernetTypeIPv4), i, pl("\x20\x00\x00\x00\x00\x01\x00\x02\x00\x69")))
	// UDP port range edges and a long packet.
	for _, p := range []uint16{999, 1000, 2000, 2001, 65535} {
		i = ip4("10.2.0.1", "10.3.0.1", layers.IPProtocolUDP)
		add(ser(eth(macA, macB, layers.EthernetTypeIPv4), i, udp(p, 7, i), pl(string(make([]byte, int(p%300))))))
	}
	v = ip6("::1", "::1", layers.IPProtocolTCP)
	add(ser(eth(macA, macB, layers.EthernetTypeIPv6), v, tcp(22, 443, "A", v), pl(string(make([]byte, 1200)))))
	for _, llc := range llcFrames() {
		add(dot3(macA, macB, llc))
	}
	// A VLAN-tagged 802.3 frame: IS-IS LSP after the tag.
	add(append([]byte{1, 0x80, 0xc2, 0, 0, 0x14, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x81, 0, 0, 7, 0, 27},
		padTo([]byte{0xfe, 0xfe, 0x03, 0x83, 0x1b, 0x01, 0, 0x12, 1, 0, 0, 0}, 27)...))
	// Ethernet II IPX, AppleTalk and AARP.
	add(ser(eth(macA, macB, layers.EthernetType(0x8137)), pl("\xff\xff\x00\x1e\x00\x04ipx-ethernet-ii--------")))
	add(ser(eth(macA, macB, layers.EthernetType(0x809b)), pl("ddp-ethertalk-phase1------------")))
	add(ser(eth(macA, macB, layers.EthernetType(0x80f3)), pl("aarp-ethertalk-phase1-----------")))
	return out
}

// llcFrames returns 802.2 payloads (LLC header first) for 802.3 frames:
// OSI, IPX in its three 802.3 forms, AppleTalk SNAP, NetBEUI, IP over
// 802.2, and I, S and U frames of every subtype libpcap names.
func llcFrames() [][]byte {
	osi := func(nlpid, pdu byte) []byte {
		return padTo([]byte{0xfe, 0xfe, 0x03, nlpid, 0x1b, 0x01, 0, pdu, 1, 0, 0, 0}, 40)
	}
	out := [][]byte{
		osi(0x81, 0x1c), osi(0x82, 0x02), osi(0x83, 15), osi(0x83, 16), osi(0x83, 17),
		osi(0x83, 18), osi(0x83, 20), osi(0x83, 24), osi(0x83, 25), osi(0x83, 26),
		osi(0x83, 27), osi(0x83, 3),
		padTo([]byte{0xe0, 0xe0, 0x03, 0xff, 0xff, 0, 0x1e}, 40),                   // IPX 802.2
		padTo([]byte{0xff, 0xff, 0x00, 0x1e, 0x00, 0x04}, 40),                      // IPX raw 802.3
		padTo([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x81, 0x37, 0xff, 0xff}, 40),       // IPX SNAP
		padTo([]byte{0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b, 0, 0x1e}, 40), // AppleTalk SNAP
		padTo([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x80, 0xf3, 0, 1}, 40),             // AARP SNAP
		padTo([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, 0x45, 0}, 40),          // IP SNAP
		padTo([]byte{0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0xf3, 0, 1}, 40),    // AARP, wrong OUI
		padTo([]byte{0xf0, 0xf0, 0x03, 0x2c, 0, 0xff, 0xef}, 40),                   // NetBEUI UI
		padTo([]byte{0x06, 0x06, 0x03, 0x45, 0, 0, 0x28}, 40),                      // IP over 802.2
		padTo([]byte{0xf0, 0xf1, 0x0a, 0x04}, 40),                                  // I frame
		padTo([]byte{0x42, 0x43, 0x01, 0x00}, 40),                                  // S: RR
		padTo([]byte{0x42, 0x42, 0x05, 0x00}, 40),                                  // S: RNR
		padTo([]byte{0x42, 0x42, 0x09, 0x00}, 40),                                  // S: REJ
		padTo([]byte{0x42, 0x42, 0x63}, 40),                                        // U: UA
		padTo([]byte{0x42, 0x42, 0x53}, 40),                                        // U: DISC, P/F set
		padTo([]byte{0x42, 0x42, 0x0f}, 40),                                        // U: DM
		padTo([]byte{0x42, 0x42, 0x7f}, 40),                                        // U: SABME, P/F set
		padTo([]byte{0x00, 0x01, 0xe3}, 40),                                        // U: TEST
		padTo([]byte{0x00, 0x01, 0xbf, 0x81, 0x01, 0x00}, 40),                      // U: XID, P/F set
		padTo([]byte{0x42, 0x42, 0x87}, 40),                                        // U: FRMR
		padTo([]byte{0xaa}, 1),                                                     // cut after the DSAP
	}
	return out
}

// dot3 builds an 802.3 frame: addresses, length and the LLC payload.
func dot3(src, dst net.HardwareAddr, llc []byte) []byte {
	b := append(append([]byte{}, dst...), src...)
	return append(append(b, byte(len(llc)>>8), byte(len(llc))), llc...)
}

func padTo(b []byte, n int) []byte {
	for len(b) < n {
		b = append(b, 0)
	}
	return b
}

// relink rewrites Ethernet frames for another link type: the IP packet
// with its link header replaced, or nothing when the link cannot carry it.
func relink(frames [][]byte, lt layers.LinkType) [][]byte {
	var out [][]byte
	for _, f := range frames {
		if len(f) < 14 {
			continue
		}
		et := uint16(f[12])<<8 | uint16(f[13])
		body := f[14:]
		switch lt {
		case layers.LinkTypeRaw:
			if et == 0x0800 || et == 0x86dd {
				out = append(out, body)
			}
		case 228: // IPV4
			if et == 0x0800 {
				out = append(out, body)
			}
		case layers.LinkTypeLoop:
			af := map[uint16]byte{0x0800: 2, 0x86dd: 24}[et]
			if af != 0 {
				out = append(out, append([]byte{0, 0, 0, af}, body...))
			}
		case layers.LinkTypeLinuxSLL:
			p := sllProto(et, body)
			// The packet type cycles through to-us, broadcast,
			// multicast, other host and outgoing.
			h := []byte{0, byte(len(out) % 5), 0, 1, 0, 6, f[6], f[7], f[8], f[9], f[10], f[11], 0, 0, byte(p >> 8), byte(p)}
			out = append(out, append(h, body...))
		case layers.LinkTypeNull, linkNullBE:
			// IPv4, then IPv6 under the BSD, FreeBSD, Darwin and Linux
			// values in turn, in the file's byte order.
			af := uint32(2)
			switch et {
			case 0x0800:
			case 0x86dd:
				af = []uint32{24, 28, 30, 10}[len(out)%4]
			default:
				continue
			}
			h := []byte{byte(af), byte(af >> 8), byte(af >> 16), byte(af >> 24)}
			if lt == linkNullBE {
				h = []byte{byte(af >> 24), byte(af >> 16), byte(af >> 8), byte(af)}
			}
			out = append(out, append(h, body...))
		case layers.LinkTypePPP, layers.LinkTypePPP_HDLC:
			p := pppProto(et)
			out = append(out, append([]byte{0xff, 0x03, byte(p >> 8), byte(p)}, body...))
		case 107: // FRELAY: Q.922 address, UI control, NLPID (RFC 2427)
			q := []byte{0x18, 0x41}
			switch {
			case et == 0x0800:
				out = append(out, append(append(q, 0x03, 0xcc), body...))
			case et == 0x86dd:
				out = append(out, append(append(q, 0x03, 0x8e), body...))
			case et <= 1500 && len(body) > 3 && body[0] == 0xfe && body[1] == 0xfe:
				// OSI: the PDU's first byte is the NLPID.
				out = append(out, append(q, body[2:]...))
			case et > 1500:
				// SNAP, with a padding byte.
				out = append(out, append(append(q, 0x03, 0x00, 0x80, 0, 0, 0, f[12], f[13]), body...))
			}
		case layers.LinkTypeArcNet, 129: // ARCNET, ARCNET_LINUX
			// One-byte addresses (the MAC's last byte, broadcast 0; and
			// 0xd0-0xdf, which libpcap's $ addresses give), the type
			// (RFC 1201's, or RFC 1051's for every other IP or ARP
			// frame), the fragmentation header.
			var t byte
			switch et {
			case 0x0800:
				t = []byte{0xd4, 0xf0}[len(out)%2]
			case 0x0806:
				t = []byte{0xd5, 0xf1}[len(out)%2]
			case 0x8035:
				t = 0xd6
			case 0x86dd:
				t = 0xc4
			case 0x809b:
				t = 0xdd
			default:
				continue
			}
			src, dst := f[11], f[5]
			if f[0] == 0xff {
				dst = 0
			}
			if len(out)%3 == 1 {
				src = 0xd0 | byte(len(out)%16)
			}
			h := []byte{src, dst, t, 0, 0, 0}
			if lt == 129 {
				h = []byte{src, dst, 0, 0, t, 0, 0, 0}
			}
			out = append(out, append(h, body...))
		case 16: // PPP_BSDOS: a 24-byte header, the PPP protocol at 5
			p := pppProto(et)
			if p == 0x21 { // IP, also as VJ compressed and uncompressed TCP
				p = []uint16{0x21, 0x2d, 0x2f}[len(out)%3]
			}
			h := make([]byte, 24)
			h[0] = byte(len(out) % 2) // direction
			h[5], h[6] = byte(p>>8), byte(p)
			out = append(out, append(h, body...))
		case 51: // PPP_ETHER: PPPoE session header, then the PPP protocol
			p := pppProto(et)
			n := len(body) + 2
			h := []byte{0x11, 0, 0x12, 0x34, byte(n >> 8), byte(n), byte(p >> 8), byte(p)}
			out = append(out, append(h, body...))
		case layers.LinkTypePFLog:
			out = append(out, append(pflogHeader(len(out), et), body...))
		case layers.LinkTypeIEEE802_11:
			out = append(out, wlanFrame(len(out), f, false)...)
		case layers.LinkTypeIEEE80211Radio:
			out = append(out, wlanFrame(len(out), f, true)...)
		case 104: // C_HDLC: address (unicast 0x0f, broadcast 0x8f), control, type
			addr := []byte{0x0f, 0x8f}[len(out)%2]
			switch {
			case et > 1500:
				out = append(out, append([]byte{addr, 0, f[12], f[13]}, body...))
			case len(body) > 3 && body[0] == 0xfe && body[1] == 0xfe:
				// OSI: Cisco's type 0xfefe, then the LLC header from
				// its control byte on.
				out = append(out, append([]byte{addr, 0, 0xfe, 0xfe}, body[2:]...))
			case len(body) > 0:
				// Others with the DSAP as type, which libpcap's
				// stp, ipx and netbeui look for there.
				out = append(out, append([]byte{addr, 0, 0, body[0]}, body...))
			}
		case layers.LinkTypeSLIP:
			// The pseudo header: the direction (0 in, 1 out, and
			// bytes that look like an IP version, which libpcap 1.10
			// tests there), SLIP's packet type, its compressed header.
			if et == 0x0800 || et == 0x86dd {
				h := make([]byte, 16)
				h[0] = []byte{0, 1, 0x45, 0x60, 2}[len(out)%5]
				h[1] = []byte{0x40, 0x70, 0x80}[len(out)%3]
				out = append(out, append(h, body...))
			}
		case layers.LinkTypeFDDI, layers.LinkTypeTokenRing, layers.LinkTypeIPOverFC:
			// The MAC header, then the 802.3 frame's LLC header as it
			// is, or an Ethernet type in SNAP.
			var h []byte
			switch lt {
			case layers.LinkTypeFDDI: // frame control: LLC, asynchronous
				h = append(append([]byte{0x50}, f[0:6]...), f[6:12]...)
			case layers.LinkTypeTokenRing: // access control, frame control
				h = append(append([]byte{0x10, 0x40}, f[0:6]...), f[6:12]...)
			default: // RFC 2625: NAA and 48-bit address, each way
				h = append(append(append(append([]byte{0x10, 0}, f[0:6]...), 0x10, 0), f[6:12]...), 0, 0)
				h = h[:16]
			}
			if et > 1500 {
				h = append(h, 0xaa, 0xaa, 0x03, 0, 0, 0, f[12], f[13])
			}
			out = append(out, append(h, body...))
		case 276: // LINUX_SLL2
			p := sllProto(et, body)
			h := []byte{byte(p >> 8), byte(p), 0, 0, 0, 0, 0, 2, 0, 1, byte(len(out) % 5), 6, f[6], f[7], f[8], f[9], f[10], f[11], 0, 0}
			out = append(out, append(h, body...))
		default:
			out = append(out, relinkMore(lt, f, len(out))...)
		}
	}
	return out
}

// pflogHeader builds an OpenBSD pflog header for the n-th packet: the
// address family (IPv4 2; IPv6 24 as OpenBSD writes it or 10 as Linux
// numbers it), action, reason, interface, ruleset, rule numbers and
// direction vary from packet to packet, and so does the header length
// byte (61, as OpenBSD writes it, or 64), which the payload offset is
// rounded up from.
func pflogHeader(n int, et uint16) []byte {
	h := make([]byte, 64)
	h[0] = []byte{61, 64}[n%2]
	switch et {
	case 0x0800:
		h[1] = 2
	case 0x86dd:
		h[1] = []byte{24, 10}[n/2%2]
	default:
		h[1] = byte(n % 3 * 7) // neither
	}
	h[2] = byte(n % 10)
	h[3] = byte(n % 15)
	copy(h[4:20], []string{"em0", "em1", "pflog0", "em01"}[n%4])
	copy(h[20:36], []string{"", "foo", "anchor/rules"}[n%3])
	h[39] = byte(n % 5)
	h[43] = byte(n % 3)
	h[60] = byte(n % 3) // 0 unknown, 1 in, 2 out
	return h
}

// wlanFrame turns the n-th Ethernet frame f into 802.11 frames: a data
// frame carrying its payload in LLC/SNAP, with the To DS/From DS bits, QoS
// and the fourth address varying, and every third time also a management
// or control frame. With radio, each gets a radiotap header, with or
// without the Flags and TSFT fields, the data-pad flag (and then the
// padding after the MAC header), or an extended presence bitmap.
func wlanFrame(n int, f []byte, radio bool) [][]byte {
	dst, src := f[0:6], f[6:12]
	et := f[12:14]
	dir := byte(n % 4)
	qos := n%3 == 1
	fc0 := byte(0x08)
	if qos {
		fc0 = 0x88
	}
	h := []byte{fc0, dir, 0, 0}
	bssid := []byte{0x02, 0, 0, 0, 0, byte(n)}
	switch dir {
	case 0: // addr1 DA, addr2 SA, addr3 BSSID
		h = append(append(append(h, dst...), src...), bssid...)
	case 1: // to DS: BSSID, SA, DA
		h = append(append(append(h, bssid...), src...), dst...)
	case 2: // from DS: DA, BSSID, SA
		h = append(append(append(h, dst...), bssid...), src...)
	case 3: // WDS: RA, TA, DA, and SA in addr4
		h = append(append(append(h, bssid...), bssid...), dst...)
	}
	h = append(h, 0x10, 0) // sequence control
	if dir == 3 {
		h = append(h, src...)
	}
	if qos {
		h = append(h, 0, 0)
	}
	// An Ethernet type goes into a SNAP header; an 802.3 frame's LLC
	// header is kept as it is.
	llc := append([]byte{0xaa, 0xaa, 0x03, 0, 0, 0}, et...)
	if int(et[0])<<8|int(et[1]) <= 1500 {
		llc = nil
	}
	out := [][]byte{}
	pad := radio && n%5 == 2 // data-pad flag set
	{
		b := append([]byte{}, h...)
		if pad {
			for len(b)%4 != 0 {
				b = append(b, 0)
			}
		}
		b = append(append(b, llc...), f[14:]...)
		out = append(out, b)
	}
	if n%3 == 0 {
		var m []byte
		switch n % 4 {
		case 0: // beacon
			m = append(append(append([]byte{0x80, 0, 0, 0}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), src...), src...)
			m = append(m, make([]byte, 14)...)
		case 1: // ack: addr1 only
			m = append([]byte{0xd4, 0, 0, 0}, dst...)
		case 2: // rts: addr1, addr2
			m = append(append([]byte{0xb4, 0, 0, 0}, dst...), src...)
		case 3: // null data to DS
			m = append(append(append([]byte{0x48, 1, 0, 0}, bssid...), src...), dst...)
			m = append(m, 0, 0)
		}
		out = append(out, m)
	}
	if !radio {
		return out
	}
	for i, b := range out {
		var rt []byte
		switch (n + i) % 5 {
		case 0: // no fields
			rt = []byte{0, 0, 8, 0, 0, 0, 0, 0}
		case 1, 2: // Flags
			fl := byte(0)
			if pad && i == 0 {
				fl = 0x20
			}
			rt = []byte{0, 0, 9, 0, 0x02, 0, 0, 0, fl}
		case 3: // TSFT and Flags
			fl := byte(0)
			if pad && i == 0 {
				fl = 0x20
			}
			rt = append([]byte{0, 0, 17, 0, 0x03, 0, 0, 0}, 1, 2, 3, 4, 5, 6, 7, 8, fl)
		case 4: // extended presence bitmap, then Flags
			rt = []byte{0, 0, 13, 0, 0x02, 0, 0, 0x80, 0, 0, 0, 0, 0x20}
		}
		out[i] = append(rt, b...)
	}
	return out
}

// linkNullBE stands for NULL in a big-endian file (writeLink).
const linkNullBE layers.LinkType = 0x7fff

// pppProto maps an Ethernet type to the PPP protocol that carries it;
// others are kept as they are, as libpcap compares them.
func pppProto(et uint16) uint16 {
	switch et {
	case 0x0800:
		return 0x21
	case 0x86dd:
		return 0x57
	case 0x8847:
		return 0x281
	}
	return et
}

// sllProto is the protocol a Linux cooked header gives a frame of
// type/length et: 1 for Novell raw 802.3, 4 for 802.2, else the type.
func sllProto(et uint16, body []byte) uint16 {
	switch {
	case et > 1500:
		return et
	case len(body) >= 2 && body[0] == 0xff && body[1] == 0xff:
		return 1
	}
	return 4
}

// writeEthernet writes frames as a pcap with timestamps 1s apart.
func writeEthernet(path string, frames [][]byte) error {
	return writeLink(path, layers.LinkTypeEthernet, frames)
}

// writeLink writes packets of link type lt as a pcap with timestamps 1s
// apart.
func writeLink(path string, lt layers.LinkType, frames [][]byte) error {
	if lt == linkNullBE {
		return writeNullBE(path, frames)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, lt); err != nil {
		return err
	}
	for n, b := range frames {
		wire := len(b)
		if lt == layers.LinkTypeEthernet && len(b) == 30 { // the truncated one
			wire = 54
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(1700000000+n), 0), CaptureLength: len(b), Length: wire}
		if err := w.WritePacket(ci, b); err != nil {
			return err
		}
	}
	return f.Close()
}

// writeNullBE writes a big-endian pcap of link type NULL, as a big-endian
// host would, with timestamps 1s apart.
func writeNullBE(path string, frames [][]byte) error {
	be := binary.BigEndian
	b := be.AppendUint32(nil, 0xa1b2c3d4)
	b = be.AppendUint16(b, 2)
	b = be.AppendUint16(b, 4)
	b = be.AppendUint64(b, 0)
	b = be.AppendUint32(b, 65535)
	b = be.AppendUint32(b, uint32(layers.LinkTypeNull))
	for n, p := range frames {
		b = be.AppendUint32(b, uint32(1700000000+n))
		b = be.AppendUint32(b, 0)
		b = be.AppendUint32(b, uint32(len(p)))
		b = be.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return os.WriteFile(path, b, 0o644)
}
