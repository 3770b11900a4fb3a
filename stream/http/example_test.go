package http_test

import (
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

func Example() {
	n := 0
	p := whttp.NewParser(nil, func(tx *whttp.Transaction) {
		if n++; n > 3 || tx.Request == nil || tx.Response == nil {
			return
		}
		fmt.Printf("%s %s%s -> %d, %d bytes\n", tx.Request.Method, tx.Request.Get("Host"), tx.Request.URL,
			tx.Response.Status, tx.Response.ContentBytes)
	})
	a := stream.New(nil, p, nil)
	synth.Generate(synth.Config{Seed: 1, Packets: 2000}, func(ci gopacket.CaptureInfo, data []byte) error {
		a.Packet(ci, data, layers.LinkTypeEthernet)
		return nil
	})
	a.Flush()
	fmt.Printf("%d requests, %d responses\n", p.Stats().Requests, p.Stats().Responses)
	// Output:
	// GET api.example.net/search?q=wirekit -> 200, 244 bytes
	// GET www.example.com/search?q=wirekit -> 200, 634 bytes
	// GET cdn.example.org/login -> 200, 2827 bytes
	// 50 requests, 41 responses
}
