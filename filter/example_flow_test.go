package filter_test

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// The seed's scenario: a TCP server on 127.0.0.1 applies a tcpdump rule to
// the first payload of each connection, with no packet built by hand.
func ExampleProgram_MatchFlow() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	// Accept connections to our port whose payload starts with "USER".
	expr := fmt.Sprintf("tcp dst port %d and tcp[((tcp[12]&0xf0)>>2):4] = 0x55534552", port)
	prog, err := filter.Compile(expr, layers.LinkTypeEthernet, 65535)
	if err != nil {
		log.Fatal(err)
	}

	for _, msg := range []string{"USER anonymous", "HELO example"} {
		go func() {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				log.Fatal(err)
			}
			c.Write([]byte(msg))
			c.Close()
		}()
		conn, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		payload, _ := io.ReadAll(conn)
		flow := filter.Flow{
			Proto: filter.TCP,
			Src:   conn.RemoteAddr().(*net.TCPAddr).AddrPort(),
			Dst:   netip.MustParseAddrPort(conn.LocalAddr().String()),
		}
		conn.Close()
		fmt.Printf("%q: %v\n", payload, prog.MatchFlow(flow, payload))
	}
	// Output:
	// "USER anonymous": true
	// "HELO example": false
}
