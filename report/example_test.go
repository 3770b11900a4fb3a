package report_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/report"
)

// Two capture files, one after the other with a minute missing between
// them, mapped, reported, and written as one HTML page.
func Example() {
	dir, err := os.MkdirTemp("", "report-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var paths []string
	for i, at := range []time.Time{start, start.Add(2 * time.Minute)} {
		p := filepath.Join(dir, fmt.Sprintf("capture-%d.pcap", i))
		w, err := pcapio.Create(p, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
		if err != nil {
			log.Fatal(err)
		}
		for k := range 60 { // one DNS query a second for a minute
			buf := gopacket.NewSerializeBuffer()
			ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 53}}
			udp := &layers.UDP{SrcPort: 40000, DstPort: 53}
			udp.SetNetworkLayerForChecksum(ip)
			gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
				&layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4},
				ip, udp, gopacket.Payload(make([]byte, 20)))
			ci := gopacket.CaptureInfo{Timestamp: at.Add(time.Duration(k) * time.Second), CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}
			if err := w.WritePacket(ci, buf.Bytes()); err != nil {
				log.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			log.Fatal(err)
		}
		paths = append(paths, p)
	}

	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		log.Fatal(err)
	}
	r, err := report.Build(context.Background(), set, nil)
	if err != nil {
		log.Fatal(err)
	}
	s := r.Timeline.Series[0]
	fmt.Printf("%d packets in %d series; gap of %s\n", r.Packets, len(r.Timeline.Series), s.Gaps[0].Duration())
	fmt.Println("protocols:", r.Hierarchy.Children[0].Name, r.Hierarchy.Children[0].Children[0].Name, r.Hierarchy.Children[0].Children[0].Children[0].Name)
	var page bytes.Buffer
	if err := r.WriteHTML(&page); err != nil {
		log.Fatal(err)
	}
	fmt.Println("page within budget:", int64(page.Len()) <= report.SizeBudget(len(set.Files)), strings.HasPrefix(page.String(), "<!DOCTYPE html>"))
	// Output:
	// 120 packets in 1 series; gap of 1m1s
	// protocols: eth ip udp
	// page within budget: true true
}
