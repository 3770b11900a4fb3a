package filter_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/filter"
)

func Example() {
	prog, err := filter.Compile("tcp dst port 21", layers.LinkTypeEthernet, 65535)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A TCP packet from 127.0.0.1:3345 to 127.0.0.1:21.
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
	tcp := &layers.TCP{SrcPort: 3345, DstPort: 21, SYN: true, Window: 1024}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	_ = gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		&layers.Ethernet{SrcMAC: net.HardwareAddr{0, 1, 2, 3, 4, 5}, DstMAC: net.HardwareAddr{0, 1, 2, 3, 4, 6}, EthernetType: layers.EthernetTypeIPv4},
		ip, tcp)
	fmt.Println(prog.Matches(gopacket.CaptureInfo{}, buf.Bytes()))

	_, err = filter.Compile("tcp dst port 70000", layers.LinkTypeEthernet, 65535)
	fmt.Println(err)
	// Output:
	// true
	// illegal port number 70000 > 65535 (column 14)
}

func ExampleFormat() {
	prog, _ := filter.Compile("ip6 multicast", layers.LinkTypeEthernet, 262144)
	text, _ := filter.Format(prog, "d")
	fmt.Print(text)
	// Output:
	// (000) ldh      [12]
	// (001) jeq      #0x86dd          jt 2	jf 5
	// (002) ldb      [38]
	// (003) jeq      #0xff            jt 4	jf 5
	// (004) ret      #262144
	// (005) ret      #0
}

// NewBPF takes gopacket/pcap's arguments in gopacket/pcap's order. A zero
// CaptureInfo means "the wire length is len(data)": "greater 60" sees the
// packet's real length here, where gopacket/pcap's Matches would see 0.
func ExampleNewBPF() {
	prog, err := filter.NewBPF(layers.LinkTypeEthernet, 65535, "tcp dst port 21 and greater 60")
	if err != nil {
		fmt.Println(err)
		return
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(192, 0, 2, 1), DstIP: net.IPv4(192, 0, 2, 2)}
	tcp := &layers.TCP{SrcPort: 3345, DstPort: 21, PSH: true, ACK: true, Window: 1024}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	_ = gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		&layers.Ethernet{SrcMAC: net.HardwareAddr{0, 1, 2, 3, 4, 5}, DstMAC: net.HardwareAddr{0, 1, 2, 3, 4, 6}, EthernetType: layers.EthernetTypeIPv4},
		ip, tcp, gopacket.Payload("USER anonymous\r\n"))
	data := buf.Bytes()

	fmt.Println(len(data), prog.Matches(gopacket.CaptureInfo{}, data))
	// A capture cut at 54 bytes keeps the wire length in ci.Length.
	fmt.Println(prog.Matches(gopacket.CaptureInfo{CaptureLength: 54, Length: len(data)}, data[:54]))
	// A short packet fails "greater 60".
	fmt.Println(prog.Matches(gopacket.CaptureInfo{}, data[:54]))
	// Output:
	// 70 true
	// true
	// false
}

// AppendFlowPacket builds the packet a capture would show for a socket's
// payload; MatchFlow does this in a pooled buffer, but the packet can also
// be kept, written to a file or decoded.
func ExampleAppendFlowPacket() {
	flow := filter.Flow{
		Proto: filter.UDP,
		Src:   netip.MustParseAddrPort("[2001:db8::1]:5353"),
		Dst:   netip.MustParseAddrPort("[ff02::fb]:5353"),
	}
	data, err := filter.AppendFlowPacket(nil, layers.LinkTypeEthernet, flow, []byte("query"))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
	var names []string
	for _, l := range p.Layers() {
		names = append(names, l.LayerType().String())
	}
	udp := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
	fmt.Println(strings.Join(names, " / "))
	fmt.Printf("%d bytes, UDP length %d, payload %q\n", len(data), udp.Length, udp.Payload)

	// A flow that cannot be built says why.
	flow.Dst = netip.MustParseAddrPort("192.0.2.1:53")
	_, err = filter.AppendFlowPacket(nil, layers.LinkTypeEthernet, flow, nil)
	fmt.Println(errors.Is(err, filter.ErrFlow), err)
	// Output:
	// Ethernet / IPv6 / UDP / Payload
	// 67 bytes, UDP length 13, payload "query"
	// true invalid flow: source [2001:db8::1]:5353 and destination 192.0.2.1:53 must both be IPv4 or both IPv6
}
