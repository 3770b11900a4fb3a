package rules_test

import (
	"fmt"
	"log"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/rules"
)

// A GopherCap filter file compiled to matchers, and one packet tested.
func Example() {
	rs, err := rules.Parse([]byte(`
dns:
  conditions:
    - kind: port
      match: [53/udp]
internal-not-ssh:
  conditions:
    - kind: subnet
      match: [10.0.0.0/8]
    - kind: port
      negate: true
      match: [22/tcp]
`))
	if err != nil {
		log.Fatal(err)
	}
	// An IPv4/TCP packet from 10.0.0.1:40000 to 10.0.0.2:443, raw IP.
	pkt := []byte{
		0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x10, 0x04, 0, 0, 0, 0, 0,
	}
	ci := gopacket.CaptureInfo{CaptureLength: len(pkt), Length: len(pkt)}
	for _, r := range rs {
		m, err := rules.Compile(r, nil)
		if err != nil {
			log.Fatal(err)
		}
		prog, err := m.Program(layers.LinkTypeRaw)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Name, prog.Match(ci, pkt))
	}
	// Output:
	// dns false
	// internal-not-ssh true
}
