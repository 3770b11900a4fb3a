package filter

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/wirekit/wirekit/internal/synth"
)

// benchExprs are typical expressions, from a one-test port match to a
// compound rule.
var benchExprs = []string{
	"tcp dst port 21",
	"host 10.0.1.75",
	"tcp port 80 or tcp port 443",
	"udp and port 53",
	"ip6 and tcp[tcpflags] & tcp-syn != 0",
	"vlan and tcp",
	"net 10.0.0.0/8 and not port 22 and greater 100",
}

// benchPackets is a realistic mix from the generator.
func benchPackets(b *testing.B) [][]byte {
	var pkts [][]byte
	err := synth.Generate(synth.Config{Seed: 3, Packets: 4096}, func(_ gopacket.CaptureInfo, d []byte) error {
		pkts = append(pkts, append([]byte(nil), d...))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return pkts
}

// BenchmarkFilter compares, per packet, the executor behind
// Program.Matches, the plain interpreter it replaced, and
// golang.org/x/net/bpf's VM, on the same programs and packets.
func BenchmarkFilter(b *testing.B) {
	pkts := benchPackets(b)
	for _, expr := range benchExprs {
		prog := MustCompile(expr, layers.LinkTypeEthernet, 262144)
		e, err := NewExecutor(prog.raw)
		if err != nil {
			b.Fatal(err)
		}
		vm, err := bpf.NewVM(prog.Instructions())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr+"/executor", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pkts[i%len(pkts)]
				e.Run(p, uint32(len(p)))
				i++
			}
		})
		b.Run(expr+"/interpreter", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pkts[i%len(pkts)]
				run(prog.raw, p, uint32(len(p)))
				i++
			}
		})
		b.Run(expr+"/x-net-bpf", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				vm.Run(pkts[i%len(pkts)])
				i++
			}
		})
	}
}
