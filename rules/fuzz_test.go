package rules

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// FuzzParse checks that Parse returns rules or an error, never both and
// never a panic, and that what it accepts compiles or fails cleanly and
// matches a packet without panicking.
func FuzzParse(f *testing.F) {
	f.Add([]byte(gophercapYAML))
	f.Add([]byte("f: {conditions: [{kind: subnet, match: [\"::ffff:10.0.0.0/104\"]}]}"))
	f.Add([]byte("f: {conditions: [{kind: bpf, negate: true, match: [\"vlan and tcp\"]}]}"))
	f.Add([]byte("f: {conditions: [{kind: port, match: [\"0\", \"65535/UDP\"]}]}"))
	f.Add([]byte("a: &x {conditions: [{kind: ether, match: [\"aa:bb:cc:dd:ee:ff\"]}]}\nb: *x\n"))
	pkt := testPackets(f).udp4vlan
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Parse(data)
		if (rs == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v: want rules or an error", rs, err)
		}
		for _, r := range rs {
			m, err := Compile(r, nil)
			if (m == nil) == (err == nil) {
				t.Fatalf("Compile = %v, %v", m, err)
			}
			if m == nil {
				continue
			}
			for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw} {
				p, err := m.Program(lt)
				if err != nil {
					continue
				}
				p.Match(gopacket.CaptureInfo{Length: len(pkt)}, pkt)
			}
		}
	})
}
