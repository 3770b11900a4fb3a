package decode_test

import (
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/decode"
)

func ExamplePrinter() {
	// An IPv4 UDP datagram with a 4-byte payload, as raw IP.
	pkt := []byte{
		0x45, 0, 0, 32, 0, 1, 0x40, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x13, 0x88, 0x17, 0x70, 0, 12, 0, 0, 't', 'e', 's', 't',
	}
	p := decode.NewPrinter(os.Stdout, &decode.Options{Location: time.UTC})
	ci := gopacket.CaptureInfo{Timestamp: time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC), Length: len(pkt)}
	_ = p.Print(ci, pkt, layers.LinkTypeRaw)
	_ = p.Flush()
	// Output: 03:04:05.000006 IP 192.0.2.1.5000 > 192.0.2.2.6000: UDP, length 4
}
