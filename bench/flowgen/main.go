// Command flowgen writes a pcap of many short conversations for
// bench/flows.sh: wirekit's synthetic mix with DNS lookups only (two
// packets each, a new client port every time), so that the number of
// conversations open at once, and the flow table's memory, grows with the
// capture unless --max-flows bounds it.
//
//	flowgen -w OUT.pcap [-n 4000000] [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

func main() {
	out := flag.String("w", "", "output pcap file")
	n := flag.Int("n", 4000000, "packets")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "flowgen: give -w OUT.pcap")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "flowgen:", err)
		os.Exit(1)
	}
	w, err := pcapio.NewPcapWriter(f, layers.LinkTypeEthernet, 65535, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "flowgen:", err)
		os.Exit(1)
	}
	cfg := synth.Config{Seed: *seed, Packets: *n, Flows: 4096, Mix: synth.Mix{DNS: 1}}
	err = synth.Generate(cfg, func(ci gopacket.CaptureInfo, data []byte) error { return w.WritePacket(ci, data) })
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flowgen:", err)
		os.Exit(1)
	}
}
