package flow_test

import (
	"fmt"
	"net"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/flow"
)

// A UDP exchange in both directions becomes one conversation, printed when
// the table is flushed.
func Example() {
	frame := func(src, dst net.IP, sport, dport layers.UDPPort, payload string) []byte {
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src, DstIP: dst}
		udp := &layers.UDP{SrcPort: sport, DstPort: dport}
		udp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts, ip, udp, gopacket.Payload(payload)); err != nil {
			panic(err)
		}
		return buf.Bytes()
	}
	a, b := net.IPv4(192, 0, 2, 1), net.IPv4(192, 0, 2, 2)
	t, err := flow.New(nil, func(r *flow.Record) {
		fmt.Println(r.Orig, r.Resp, r.Proto, r.ConnState, r.History, r.OrigPkts, r.OrigBytes, r.RespPkts, r.RespBytes, r.Duration)
	})
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, data := range [][]byte{frame(a, b, 40000, 7000, "ping"), frame(b, a, 7000, 40000, "pong!")} {
		ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * 10 * time.Millisecond), CaptureLength: len(data), Length: len(data)}
		t.Packet(ci, data, layers.LinkTypeRaw)
	}
	t.Flush()
	// Output:
	// 192.0.2.1:40000 192.0.2.2:7000 udp SF Dd 1 4 1 5 10ms
}
