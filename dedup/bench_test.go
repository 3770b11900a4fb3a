package dedup

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// BenchmarkGenerated runs a capture made as TestCompareEditcap's (20000
// originals and 9169 copies of the kinds listed there) through Duplicate,
// starting over with Reset at its end.
func BenchmarkGenerated(b *testing.B) {
	pkts := generate(b, 20000)
	d, _ := New(nil)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p := pkts[n%len(pkts)]
		n++
		if n%len(pkts) == 0 {
			d.Reset()
		}
		d.Duplicate(layers.LinkTypeEthernet, p.data, p.ci)
	}
}
