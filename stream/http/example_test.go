package http_test

import (
	"bytes"
	"fmt"
	"log"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// writeConn writes one TCP connection to w as Ethernet frames built with
// gopacket: the handshake, then each message with its ACK (messages at even
// indexes from the client, the others from the server), then the close.
func writeConn(w pcapio.Writer, t time.Time, client, server string, msgs ...string) error {
	type step struct {
		from    int // 0 client, 1 server
		tcp     layers.TCP
		payload string
	}
	steps := []step{{0, layers.TCP{SYN: true}, ""}, {1, layers.TCP{SYN: true, ACK: true}, ""}, {0, layers.TCP{ACK: true}, ""}}
	for i, m := range msgs {
		steps = append(steps, step{i % 2, layers.TCP{PSH: true, ACK: true}, m}, step{1 - i%2, layers.TCP{ACK: true}, ""})
	}
	steps = append(steps, step{0, layers.TCP{FIN: true, ACK: true}, ""}, step{1, layers.TCP{FIN: true, ACK: true}, ""}, step{0, layers.TCP{ACK: true}, ""})

	addr := [2]netip.AddrPort{netip.MustParseAddrPort(client), netip.MustParseAddrPort(server)}
	seq := [2]uint32{1000, 5000}
	for _, s := range steps {
		src, dst := addr[s.from], addr[1-s.from]
		tcp := s.tcp
		tcp.SrcPort, tcp.DstPort = layers.TCPPort(src.Port()), layers.TCPPort(dst.Port())
		tcp.Seq, tcp.Ack, tcp.Window = seq[s.from], seq[1-s.from], 65535
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(s.from)},
			DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(1 - s.from)}, EthernetType: layers.EthernetTypeIPv4}
		var ip gopacket.SerializableLayer
		if src.Addr().Is4() {
			ip4 := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
				SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
			tcp.SetNetworkLayerForChecksum(ip4)
			ip = ip4
		} else {
			eth.EthernetType = layers.EthernetTypeIPv6
			ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP,
				SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
			tcp.SetNetworkLayerForChecksum(ip6)
			ip = ip6
		}
		buf := gopacket.NewSerializeBuffer()
		err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, &tcp, gopacket.Payload(s.payload))
		if err != nil {
			return err
		}
		seq[s.from] += uint32(len(s.payload))
		if tcp.SYN || tcp.FIN {
			seq[s.from]++
		}
		t = t.Add(time.Millisecond)
		n := len(buf.Bytes())
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: t, CaptureLength: n, Length: n}, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// twoConns is a capture of two keep-alive HTTP connections, made with
// gopacket's serialization and pcapio's writer.
func twoConns() *bytes.Buffer {
	var capture bytes.Buffer
	w, err := pcapio.NewPcapWriter(&capture, layers.LinkTypeEthernet, 65535, nil)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	err = writeConn(w, t0, "10.0.0.1:40000", "10.0.0.2:80",
		"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<p>hello</p>\n",
		"GET /missing HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
	if err != nil {
		log.Fatal(err)
	}
	err = writeConn(w, t0.Add(time.Second), "10.0.0.1:40001", "10.0.0.3:8080",
		"POST /api/items HTTP/1.1\r\nHost: api.example.net\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	return &capture
}

// A Parser is a stream.Handler: give it to an Assembler and it calls back
// with each transaction as soon as it is complete.
func Example() {
	capture := twoConns()
	p := whttp.NewParser(nil, func(tx *whttp.Transaction) {
		fmt.Printf("%s %s%s -> %d, %d bytes\n", tx.Request.Method, tx.Request.Get("Host"), tx.Request.URL,
			tx.Response.Status, tx.Response.ContentBytes)
	})
	a := stream.New(nil, p, nil)
	src, err := pcapio.NewReader(capture, "capture.pcap")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := a.ReadFrom(src); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d requests, %d responses\n", p.Stats().Requests, p.Stats().Responses)
	// Output:
	// GET www.example.com/index.html -> 200, 13 bytes
	// GET www.example.com/missing -> 404, 0 bytes
	// POST api.example.net/api/items -> 201, 2 bytes
	// 3 requests, 3 responses
}

// Transactions is the same as a range loop over any source: a file, a
// merge, or a live capture (whose read timeouts it skips; close the
// capture to end the loop). A read error comes last, after the
// transactions of the packets before it.
func ExampleTransactions() {
	src, err := pcapio.NewReader(twoConns(), "capture.pcap")
	if err != nil {
		log.Fatal(err)
	}
	cfg := &whttp.Config{KeepBodies: true}
	for tx, err := range whttp.Transactions(src, cfg) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%v %s %s: %d %q\n", tx.Server, tx.Request.Method, tx.Request.URL, tx.Response.Status, tx.Response.Body)
	}
	// Output:
	// 10.0.0.2:80 GET /index.html: 200 "<p>hello</p>\n"
	// 10.0.0.2:80 GET /missing: 404 ""
	// 10.0.0.3:8080 POST /api/items: 201 "ok"
}
