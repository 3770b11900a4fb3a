package stream_test

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

// printer prints the first line each connection's client sends.
type printer struct{}

func (printer) Open(c *stream.Conn) stream.ConnHandler { return &firstLine{} }

type firstLine struct{ done bool }

func (f *firstLine) Data(c *stream.Conn, ch stream.Chunk) {
	if !f.done && ch.Dir == stream.ClientToServer {
		f.done = true
		line, _, _ := bytes.Cut(ch.Data, []byte("\r\n"))
		fmt.Printf("conn %d to port %d: %s\n", c.ID, c.Server.Port(), line)
	}
}

func (f *firstLine) Close(c *stream.Conn) {}

// Reassemble a capture, packet by packet, and print the first line each
// client sent. The capture is made here with gopacket's serialization
// and pcapio's writer; a file from tcpdump reads the same way.
func Example() {
	var capture bytes.Buffer
	w, err := pcapio.NewPcapWriter(&capture, layers.LinkTypeEthernet, 65535, nil)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	if err := writeConn(w, t0, "10.0.0.1:40000", "10.0.0.2:80", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 204 No Content\r\n\r\n"); err != nil {
		log.Fatal(err)
	}
	if err := writeConn(w, t0.Add(time.Second), "10.0.0.1:40001", "10.0.0.3:25", "EHLO example.org\r\n"); err != nil {
		log.Fatal(err)
	}
	w.Close()

	ended := 0
	a := stream.New(nil, printer{}, func(c *stream.Conn) { ended++ })
	r, err := pcapio.NewReader(&capture, "capture.pcap")
	if err != nil {
		log.Fatal(err)
	}
	for {
		data, ci, err := r.ZeroCopyReadPacketData()
		if err != nil {
			break // io.EOF, or r.Err() says what was wrong
		}
		a.Packet(ci, data, r.LinkType())
	}
	a.Flush()
	st := a.Stats()
	fmt.Printf("%d TCP segments, %d connections, %d ended\n", st.TCP, st.Conns, ended)
	// Output:
	// conn 0 to port 80: GET / HTTP/1.1
	// conn 1 to port 25: EHLO example.org
	// 18 TCP segments, 2 connections, 2 ended
}

// ReadFrom reads a whole source: a file, a merge, or a live capture (whose
// read timeouts it skips until the capture is closed).
func ExampleAssembler_ReadFrom() {
	var capture bytes.Buffer
	w, err := pcapio.NewPcapWriter(&capture, layers.LinkTypeEthernet, 65535, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeConn(w, time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC), "[2001:db8::1]:40000", "[2001:db8::2]:443", "hello", "world"); err != nil {
		log.Fatal(err)
	}
	w.Close()

	src, err := pcapio.NewReader(&capture, "capture.pcap")
	if err != nil {
		log.Fatal(err)
	}
	a := stream.New(nil, nil, func(c *stream.Conn) {
		fmt.Printf("%v -> %v: %d bytes up, %d down, ended by %v\n", c.Client, c.Server,
			c.Half[stream.ClientToServer].Bytes, c.Half[stream.ServerToClient].Bytes, c.End)
	})
	n, err := a.ReadFrom(src)
	fmt.Println(n, "packets,", err)
	// Output:
	// [2001:db8::1]:40000 -> [2001:db8::2]:443: 5 bytes up, 5 down, ended by fin
	// 10 packets, <nil>
}

// Async moves what a handler does with the bytes to a goroutine of its
// own; the handler sees the same calls in the same order, so the output
// is the same. Close it after the Assembler's Flush (ReadFrom flushes at
// the end of its source), before reading what the handler made.
func ExampleNewAsync() {
	var capture bytes.Buffer
	w, err := pcapio.NewPcapWriter(&capture, layers.LinkTypeEthernet, 65535, nil)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		client := fmt.Sprintf("10.0.0.1:%d", 40000+i)
		if err := writeConn(w, t0.Add(time.Duration(i)*time.Second), client, "10.0.0.2:80", fmt.Sprintf("GET /%d HTTP/1.1\r\n\r\n", i)); err != nil {
			log.Fatal(err)
		}
	}
	w.Close()

	src, err := pcapio.NewReader(&capture, "capture.pcap")
	if err != nil {
		log.Fatal(err)
	}
	async := stream.NewAsync(printer{})
	a := stream.New(nil, async, nil)
	if _, err := a.ReadFrom(src); err != nil {
		log.Fatal(err)
	}
	async.Close()
	// Output:
	// conn 0 to port 80: GET /0 HTTP/1.1
	// conn 1 to port 80: GET /1 HTTP/1.1
	// conn 2 to port 80: GET /2 HTTP/1.1
}
