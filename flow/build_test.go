package flow

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Test endpoints: the client (originator) and the server.
var (
	cliMAC = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	srvMAC = net.HardwareAddr{2, 0, 0, 0, 0, 2}
	cliIP  = net.IPv4(10, 0, 0, 1).To4()
	srvIP  = net.IPv4(10, 0, 0, 2).To4()
	cliIP6 = net.ParseIP("2001:db8::1")
	srvIP6 = net.ParseIP("2001:db8::2")
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// serialize builds a packet from layers, failing the test on error.
func serialize(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// seg is one TCP segment of a scenario.
type seg struct {
	fromServer bool
	flags      string // letters: S A F R P U
	seq, ack   uint32
	n          int    // payload bytes
	win        uint16 // 0 means 65535 unless zeroWin
	zeroWin    bool
}

// tcpFrame builds an Ethernet/IPv4/TCP frame for s, client port cport,
// server port sport.
func tcpFrame(tb testing.TB, s seg, cport, sport uint16) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: cliMAC, DstMAC: srvMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: cliIP, DstIP: srvIP}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(cport), DstPort: layers.TCPPort(sport), Seq: s.seq, Ack: s.ack, Window: 65535}
	if s.fromServer {
		eth.SrcMAC, eth.DstMAC = srvMAC, cliMAC
		ip.SrcIP, ip.DstIP = srvIP, cliIP
		tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
	}
	if s.win != 0 {
		tcp.Window = s.win
	}
	if s.zeroWin {
		tcp.Window = 0
	}
	for _, f := range s.flags {
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
		case 'U':
			tcp.URG = true
		}
	}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(tb, eth, ip, tcp, gopacket.Payload(make([]byte, s.n)))
}

// udpFrame builds an Ethernet/IPv4 (or IPv6) UDP frame.
func udpFrame(tb testing.TB, v6, fromServer bool, cport, sport uint16, payload []byte) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: cliMAC, DstMAC: srvMAC, EthernetType: layers.EthernetTypeIPv4}
	udp := &layers.UDP{SrcPort: layers.UDPPort(cport), DstPort: layers.UDPPort(sport)}
	if fromServer {
		eth.SrcMAC, eth.DstMAC = srvMAC, cliMAC
		udp.SrcPort, udp.DstPort = udp.DstPort, udp.SrcPort
	}
	if v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: cliIP6, DstIP: srvIP6}
		if fromServer {
			ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
		}
		udp.SetNetworkLayerForChecksum(ip)
		return serialize(tb, eth, ip, udp, gopacket.Payload(payload))
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: cliIP, DstIP: srvIP}
	if fromServer {
		ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
	}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(tb, eth, ip, udp, gopacket.Payload(payload))
}

// icmpFrame builds an ICMPv4 echo (typ 8 request, 0 reply) or other
// message with id and seq.
func icmpFrame(tb testing.TB, fromServer bool, typ, code uint8, id, seq uint16, n int) []byte {
	tb.Helper()
	eth := &layers.Ethernet{SrcMAC: cliMAC, DstMAC: srvMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: cliIP, DstIP: srvIP}
	if fromServer {
		eth.SrcMAC, eth.DstMAC = srvMAC, cliMAC
		ip.SrcIP, ip.DstIP = srvIP, cliIP
	}
	icmp := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, code), Id: id, Seq: seq}
	return serialize(tb, eth, ip, icmp, gopacket.Payload(make([]byte, n)))
}

// collect runs frames (one per millisecond from t0, unless times given)
// through a Table and returns the records.
func collect(tb testing.TB, cfg *Config, frames [][]byte, times ...time.Time) []Record {
	tb.Helper()
	var out []Record
	tab, err := New(cfg, func(r *Record) { out = append(out, *r) })
	if err != nil {
		tb.Fatal(err)
	}
	for i, f := range frames {
		ts := t0.Add(time.Duration(i) * time.Millisecond)
		if i < len(times) {
			ts = times[i]
		}
		tab.Packet(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(f), Length: len(f)}, f, layers.LinkTypeEthernet)
	}
	tab.Flush()
	return out
}

// recordLine is a compact form of a record for test messages.
func recordLine(r *Record) string {
	var b strings.Builder
	b.WriteString(r.Proto + " " + r.Orig.String() + " > " + r.Resp.String() + " " + r.ConnState + " " + r.History)
	return b.String()
}
