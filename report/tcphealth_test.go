package report_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/report"
)

// TestTCPHealthOverTime: resets and zero windows are counted in the time
// bucket of their packet; a zero window on a SYN, FIN or RST is not one
// (as Wireshark's tcp.analysis.zero_window).
func TestTCPHealthOverTime(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	type seg struct {
		at     time.Duration
		flags  string // S A F R
		window uint16
	}
	segs := []seg{
		{0, "S", 100}, {time.Second, "SA", 100}, {2 * time.Second, "A", 100},
		{10 * time.Second, "A", 0},  // zero window in second 10
		{11 * time.Second, "A", 0},  // and 11
		{20 * time.Second, "FA", 0}, // FIN with window 0: not a zero window
		{30 * time.Second, "RA", 0}, // reset in second 30, not a zero window
		{40 * time.Second, "R", 100},
		{59 * time.Second, "A", 100},
	}
	p := filepath.Join(t.TempDir(), "tcp.pcap")
	w, err := pcapio.Create(p, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range segs {
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
		tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, Seq: uint32(1000 + i), Window: s.window}
		for _, f := range s.flags {
			switch f {
			case 'S':
				tcp.SYN = true
			case 'A':
				tcp.ACK = true
			case 'F':
				tcp.FIN = true
			case 'R':
				tcp.RST = true
			}
		}
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			&layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}, ip, tcp); err != nil {
			t.Fatal(err)
		}
		ci := gopacket.CaptureInfo{Timestamp: start.Add(s.at), CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}
		if err := w.WritePacket(ci, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	set, err := dataset.Scan(context.Background(), []string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), set, &report.Config{Points: 59})
	if err != nil {
		t.Fatal(err)
	}
	if r.Step != time.Second {
		t.Fatalf("step %v, want 1s", r.Step)
	}
	at := func(v []int64) map[int]int64 {
		m := map[int]int64{}
		for i, n := range v {
			if n != 0 {
				m[i] = n
			}
		}
		return m
	}
	check := func(name string, got map[int]int64, total int64, want map[int]int64) {
		var sum int64
		for _, n := range want {
			sum += n
		}
		if len(got) != len(want) || total != sum {
			t.Errorf("%s: %v (total %d), want %v", name, got, total, want)
			return
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
	}
	check("resets", at(r.TCP.Resets), r.TCP.TotalResets, map[int]int64{30: 1, 40: 1})
	check("zero windows", at(r.TCP.ZeroWindows), r.TCP.TotalZeroWindows, map[int]int64{10: 1, 11: 1})
}
