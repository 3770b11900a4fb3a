package stream_test

import (
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/stream"
)

// printer prints the first bytes each connection's client sends.
type printer struct{}

func (printer) Open(c *stream.Conn) stream.ConnHandler { return &firstLine{} }

type firstLine struct{ done bool }

func (f *firstLine) Data(c *stream.Conn, ch stream.Chunk) {
	if !f.done && ch.Dir == stream.ClientToServer && c.Server.Port() == 80 {
		f.done = true
		line := ch.Data
		for i, b := range line {
			if b == '\r' {
				line = line[:i]
				break
			}
		}
		fmt.Printf("conn %d: %s\n", c.ID, line)
	}
}

func (f *firstLine) Close(c *stream.Conn) {}

func Example() {
	ended := 0
	a := stream.New(nil, printer{}, func(c *stream.Conn) { ended++ })
	synth.Generate(synth.Config{Seed: 1, Packets: 300}, func(ci gopacket.CaptureInfo, data []byte) error {
		a.Packet(ci, data, layers.LinkTypeEthernet)
		return nil
	})
	a.Flush()
	st := a.Stats()
	fmt.Printf("%d TCP segments, %d connections, %d ended\n", st.TCP, st.Conns, ended)
	// Output:
	// conn 5: GET /search?q=wirekit HTTP/1.1
	// conn 23: GET /search?q=wirekit HTTP/1.1
	// conn 29: GET /static/app.js HTTP/1.1
	// conn 45: GET /images/logo.png HTTP/1.1
	// conn 49: GET /login HTTP/1.1
	// conn 64: GET / HTTP/1.1
	// 189 TCP segments, 65 connections, 65 ended
}
