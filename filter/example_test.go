package filter_test

import (
	"fmt"
	"net"

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
