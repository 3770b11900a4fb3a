package report

import (
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestPacketDoesNotAllocate: once a conversation is known, a packet costs
// the report's own aggregation (protocol stack, hierarchy, buckets, TCP
// flags) and the conversation table no allocation.
func TestPacketDoesNotAllocate(t *testing.T) {
	r := &Report{Start: time.Unix(1000, 0), Step: time.Second}
	c, err := newCollector(r, 100, &Config{Top: 10})
	if err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
	udp := &layers.UDP{SrcPort: 5353, DstPort: 53}
	udp.SetNetworkLayerForChecksum(ip)
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		&layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4},
		ip, udp, gopacket.Payload(make([]byte, 30))); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1010, 0), CaptureLength: len(data), Length: len(data)}
	c.packet(ci, data, layers.LinkTypeEthernet)
	if n := testing.AllocsPerRun(200, func() {
		ci.Timestamp = ci.Timestamp.Add(time.Millisecond)
		c.packet(ci, data, layers.LinkTypeEthernet)
	}); n != 0 {
		t.Errorf("a packet of a known conversation allocates %.1f times, want 0", n)
	}
	if r.Traffic.Packets[2][10] == 0 {
		t.Error("the DNS packets were not counted in their bucket")
	}
}
