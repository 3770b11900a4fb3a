package eve_test

import (
	"fmt"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/eve"
)

func Example() {
	in := `{"timestamp":"2024-01-02T15:04:05.000000+0000","flow_id":7,"event_type":"alert","src_ip":"10.0.0.1","src_port":40000,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP"}
{"timestamp":"2024-01-02T15:04:06.000000+0000","src_ip":"10.0.0.300","dest_ip":"10.0.0.2"}
`
	sc := eve.NewScanner(strings.NewReader(in))
	for sc.Scan() {
		ev := sc.Event()
		m, err := eve.NewMatcher(ev, nil)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(ev.Type, ev.FlowID, ev.Time.Format("15:04:05"))
		fmt.Println(m.Filter())

		// A reply packet of the flow, built here; read from a capture in real use.
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: []byte{10, 0, 0, 2}, DstIP: []byte{10, 0, 0, 1}}
		tcp := &layers.TCP{SrcPort: 80, DstPort: 40000, ACK: true}
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			&layers.Ethernet{SrcMAC: make([]byte, 6), DstMAC: make([]byte, 6), EthernetType: layers.EthernetTypeIPv4}, ip, tcp)
		ok, _ := m.Match(layers.LinkTypeEthernet, buf.Bytes(), gopacket.CaptureInfo{})
		fmt.Println("reply matches:", ok)
	}
	for _, bad := range sc.Skipped() {
		fmt.Println("skipped", bad)
	}
	// Output:
	// alert 7 15:04:05
	// tcp and ((src host 10.0.0.1 and src port 40000 and dst host 10.0.0.2 and dst port 80) or (src host 10.0.0.2 and src port 80 and dst host 10.0.0.1 and dst port 40000))
	// reply matches: true
	// skipped line 2: src_ip "10.0.0.300" is not an IP address
}
