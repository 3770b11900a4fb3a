package synth_test

import (
	"fmt"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/internal/synth"
)

// Generate a small capture and count its packets and bytes. A real caller
// would hand each packet to a pcapio writer; data must be copied if kept.
func ExampleGenerate() {
	var packets, bytes int
	err := synth.Generate(synth.Config{Seed: 1, Packets: 100}, func(ci gopacket.CaptureInfo, data []byte) error {
		packets++
		bytes += len(data)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(packets, "packets, first at", synth.DefaultStart.Format("2006-01-02"))
	// Output: 100 packets, first at 2024-01-01
}
