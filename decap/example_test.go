package decap_test

import (
	"fmt"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/decap"
)

// A VXLAN packet (VNI 42) carrying an Ethernet frame with an IPv4/UDP
// packet, stripped to that inner frame.
func Example() {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	inner := []gopacket.SerializableLayer{
		&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: net.IPv4(10, 0, 0, 1), DstIP: net.IPv4(10, 0, 0, 2)},
		&layers.UDP{SrcPort: 5000, DstPort: 5001},
		gopacket.Payload("hi"),
	}
	outer := append([]gopacket.SerializableLayer{
		&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: net.IPv4(192, 0, 2, 1), DstIP: net.IPv4(192, 0, 2, 2)},
		&layers.UDP{SrcPort: 40000, DstPort: 4789},
		&layers.VXLAN{ValidIDFlag: true, VNI: 42},
	}, inner...)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, outer...); err != nil {
		panic(err)
	}
	data := buf.Bytes()

	d, err := decap.New(nil)
	if err != nil {
		panic(err)
	}
	ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
	frame, innerCI, link, tunnels, err := d.Strip(layers.LinkTypeEthernet, data, ci)
	if err != nil {
		fmt.Println("not stripped:", err)
	}
	for _, t := range tunnels {
		fmt.Printf("stripped %s id %d from %s to %s\n", t.Kind, t.ID, t.Src, t.Dst)
	}
	fmt.Printf("outer %d bytes, inner %d bytes (wire %d), link %s\n", len(data), len(frame), innerCI.Length, link)
	p := gopacket.NewPacket(frame, link, gopacket.Default)
	fmt.Println(p.NetworkLayer().NetworkFlow())
	// Output:
	// stripped vxlan id 42 from 192.0.2.1 to 192.0.2.2
	// outer 110 bytes, inner 60 bytes (wire 60), link Ethernet
	// 10.0.0.1->10.0.0.2
}
