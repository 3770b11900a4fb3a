package capture_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// Capture ten DNS packets on every interface. The filter is compiled for
// the link type of the interface: LINUX_SLL for "any". (Needs root or
// CAP_NET_RAW on Linux; not run as a test.)
func Example() {
	prog, err := filter.Compile("udp port 53", layers.LinkTypeLinuxSLL, 262144)
	if err != nil {
		log.Fatal(err)
	}
	h, err := capture.Open(capture.Any, &capture.Config{Filter: prog})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	for n := 0; n < 10; {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, capture.ErrTimeout) {
			continue // a chance to check for cancellation
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ci.Timestamp, len(data), "bytes")
		n++
	}
}

// List the interfaces a capture can open, with the link type of the
// packets Open would give (compile filters for it); on Linux the last one
// is "any". (Output depends on the machine; not checked.)
func ExampleDevices() {
	devs, err := capture.Devices()
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range devs {
		if d.LinkType == 0 {
			fmt.Printf("%d.%s (cannot be captured on)\n", d.Index, d.Name)
			continue
		}
		fmt.Printf("%d.%s %v %v\n", d.Index, d.Name, d.LinkType, d.Flags)
	}
}

// Send a UDP datagram, Ethernet header included, out of an interface. The
// frame is built with gopacket's serialization; Write queues it and Flush
// sends the batch. (Needs root or CAP_NET_RAW on Linux; not run as a
// test.)
func ExampleNewWriter() {
	w, err := capture.NewWriter("eth0", nil)
	if err != nil {
		log.Fatal(err) // names the interfaces there are, or CAP_NET_RAW
	}
	defer w.Close()
	eth := &layers.Ethernet{
		SrcMAC:       net.HardwareAddr{0x02, 0, 0, 0, 0, 1},
		DstMAC:       net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		EthernetType: layers.EthernetTypeIPv4,
	}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IPv4(192, 0, 2, 1), DstIP: net.IPv4(192, 0, 2, 255)}
	udp := &layers.UDP{SrcPort: 5000, DstPort: 9}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload("hello")); err != nil {
		log.Fatal(err)
	}
	if err := w.Write(buf.Bytes()); errors.Is(err, capture.ErrFrameTooLong) {
		log.Fatalf("%v (MTU %d)", err, w.MTU())
	} else if err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Stats().Frames, "frame sent")
}

// The gopacket tutorial on a live interface: range over a PacketSource
// until Ctrl-C, which closes the handle from another goroutine; reads then
// return io.EOF and the channel closes. If the interface is deleted, the
// loop ends too. (Needs root or CAP_NET_RAW on Linux; not run as a test.)
func Example_gopacket() {
	h, err := capture.Open("eth0", &capture.Config{ReadTimeout: capture.BlockForever})
	if err != nil {
		log.Fatal(err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		<-sig
		h.Close()
	}()
	for packet := range gopacket.NewPacketSource(h, h.LinkType()).Packets() {
		fmt.Println(packet)
	}
}

// Print the HTTP transactions seen on two interfaces at once until
// Ctrl-C: OpenMulti merges their packets in timestamp order, each with its
// own interface's link type, and http.Transactions reads on through the
// read timeouts of a quiet capture; closing the capture ends it. The same
// Multi feeds stream.Assembler.ReadFrom. (Needs root or CAP_NET_RAW on
// Linux; not run as a test.)
func ExampleOpenMulti() {
	m, err := capture.OpenMulti([]string{"eth0", "wg0"}, &capture.MultiConfig{Expr: "tcp port 80"})
	if err != nil {
		log.Fatal(err) // names an interface that does not exist, or CAP_NET_RAW
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		m.Close()
	}()
	for tx, err := range whttp.Transactions(m, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if tx.Request != nil && tx.Response != nil {
			fmt.Println(tx.Client, tx.Server, tx.Request.Method, tx.Request.URL, tx.Response.Status)
		}
	}
}
