package dedup_test

import (
	"fmt"
	"net"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dedup"
)

// One packet seen three times: as sent, mirrored past a router (TTL one
// less, other MAC addresses) 40 µs later, and repeated 10 s later.
func Example() {
	frame := func(src net.HardwareAddr, ttl uint8) []byte {
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Protocol: layers.IPProtocolUDP,
			SrcIP: net.IPv4(10, 0, 0, 1).To4(), DstIP: net.IPv4(10, 0, 0, 2).To4()}
		udp := &layers.UDP{SrcPort: 5000, DstPort: 53}
		udp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts,
			&layers.Ethernet{SrcMAC: src, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 9}, EthernetType: layers.EthernetTypeIPv4},
			ip, udp, gopacket.Payload("query")); err != nil {
			panic(err)
		}
		return buf.Bytes()
	}
	t0 := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	packets := []struct {
		at   time.Duration
		data []byte
	}{
		{0, frame(net.HardwareAddr{2, 0, 0, 0, 0, 1}, 64)},
		{40 * time.Microsecond, frame(net.HardwareAddr{2, 0, 0, 0, 0, 2}, 63)},
		{10 * time.Second, frame(net.HardwareAddr{2, 0, 0, 0, 0, 1}, 64)},
	}

	d, err := dedup.New(nil)
	if err != nil {
		panic(err)
	}
	for _, p := range packets {
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(p.at), CaptureLength: len(p.data), Length: len(p.data)}
		fmt.Printf("+%v duplicate=%v\n", p.at, d.Duplicate(layers.LinkTypeEthernet, p.data, ci))
	}
	st := d.Stats()
	fmt.Printf("%d packets, %d duplicates\n", st.Packets, st.Duplicates)
	// Output:
	// +0s duplicate=false
	// +40µs duplicate=true
	// +10s duplicate=false
	// 3 packets, 1 duplicates
}
