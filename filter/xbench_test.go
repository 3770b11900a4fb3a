package filter

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/internal/synth"
)

func TestXBench(t *testing.T) {
	exprs := []string{"tcp dst port 21", "host 10.0.1.75", "tcp port 80 or tcp port 443", "udp and port 53", "tcp[tcpflags] & tcp-syn != 0", "vlan and tcp", "net 10.0.0.0/8 and not port 22 and greater 100", "icmp or arp or (ip6 and icmp6)"}
	var buf []byte
	var offs []int
	synth.Generate(synth.Config{Seed: 3, Packets: 500}, func(_ gopacket.CaptureInfo, d []byte) error {
		offs = append(offs, len(buf))
		buf = append(buf, d...)
		return nil
	})
	offs = append(offs, len(buf))
	pkts := make([][]byte, len(offs)-1)
	for i := range pkts {
		pkts[i] = buf[offs[i]:offs[i+1]:offs[i+1]]
	}
	total := 0.0
	for _, e := range exprs {
		p := MustCompile(e, layers.LinkTypeEthernet, 262144)
		var ts []float64
		for r := 0; r < 9; r++ {
			t0 := time.Now()
			acc := 0
			for rep := 0; rep < 400; rep++ {
				for _, pk := range pkts {
					if p.exec.Run(pk, uint32(len(pk))) != 0 {
						acc++
					}
				}
			}
			ts = append(ts, float64(time.Since(t0).Nanoseconds())/float64(400*len(pkts)))
		}
		sort.Float64s(ts)
		total += ts[0]
		fmt.Printf("%-50s min %.2f med %.2f\n", e, ts[0], ts[4])
	}
	fmt.Printf("sum of mins %.2f\n", total)
}

func TestXBench2(t *testing.T) {
	for _, e := range []string{"len >= 0", "ip", "vlan and tcp"} {
		p, _ := Compile(e, layers.LinkTypeEthernet, 262144)
		fmt.Println(mustFormat(p))
		pk := make([]byte, 60)
		pk[12], pk[13] = 8, 0
		var ts []float64
		for r := 0; r < 9; r++ {
			t0 := time.Now()
			for i := 0; i < 1000000; i++ {
				p.exec.Run(pk, 60)
			}
			ts = append(ts, float64(time.Since(t0).Nanoseconds())/1e6)
		}
		sort.Float64s(ts)
		fmt.Printf("%s: %.2f ns\n", e, ts[0])
	}
}
