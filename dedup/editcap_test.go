package dedup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// Kinds of packet in the generated capture.
const (
	original  = iota
	exactNear // exact copy 10-500 µs later (a switch mirroring both directions)
	routed    // TTL-1, new checksum, other MACs, 50 µs later (mirrored on both sides of a router)
	vlan      // same frame with an 802.1Q tag added, 30 µs later (mirrored on a trunk)
	exactFar  // exact copy 10 s later: outside every window, must be kept
	exactMid  // exact copy 3 s later: inside the time window, ~1000 packets later
	numKinds
)

var kindName = [numKinds]string{"original", "exact copy <0.5 ms", "routed copy (TTL-1, MACs)", "VLAN-tagged copy", "exact copy +10 s", "exact copy +3 s"}

type genPkt struct {
	ci   gopacket.CaptureInfo
	data []byte
	kind int
}

// generate makes n originals at about 333 per second over several flows,
// plus copies of the kinds above, sorted by time.
func generate(tb testing.TB, n int) []genPkt {
	r := rand.New(rand.NewPCG(1, 2))
	var out []genPkt
	at := t0
	for i := range n {
		at = at.Add(time.Duration(1+r.IntN(5)) * time.Millisecond)
		flow := r.IntN(50)
		payload := make([]byte, 20+r.IntN(400))
		binary.BigEndian.PutUint32(payload, uint32(i)) // no two originals alike
		var frame []byte
		ttl := uint8(64)
		if flow%5 == 0 {
			ip := &layers.IPv6{Version: 6, HopLimit: ttl, NextHeader: layers.IPProtocolUDP,
				SrcIP: netIP6(flow), DstIP: netIP6(200)}
			u := &layers.UDP{SrcPort: layers.UDPPort(10000 + flow), DstPort: 53}
			u.SetNetworkLayerForChecksum(ip)
			frame = ser(tb, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}, ip, u, gopacket.Payload(payload))
		} else {
			ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Id: uint16(i), Protocol: layers.IPProtocolTCP,
				SrcIP: []byte{10, 0, byte(flow), 1}, DstIP: []byte{10, 1, 0, 1}}
			tcp := &layers.TCP{SrcPort: layers.TCPPort(20000 + flow), DstPort: 443, Seq: uint32(i), ACK: true, PSH: true, Window: 512}
			tcp.SetNetworkLayerForChecksum(ip)
			frame = ser(tb, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
		}
		add := func(d time.Duration, data []byte, kind int) {
			out = append(out, genPkt{gopacket.CaptureInfo{Timestamp: at.Add(d), CaptureLength: len(data), Length: len(data)}, data, kind})
		}
		add(0, frame, original)
		switch {
		case i%5 == 0:
			add(time.Duration(10+r.IntN(490))*time.Microsecond, frame, exactNear)
		case i%7 == 0:
			add(50*time.Microsecond, routedCopy(frame), routed)
		case i%11 == 0:
			add(30*time.Microsecond, tagged(frame, 100), vlan)
		case i%13 == 0:
			add(10*time.Second, frame, exactFar)
		case i%17 == 0:
			add(3*time.Second, frame, exactMid)
		}
	}
	slices.SortStableFunc(out, func(a, b genPkt) int { return a.ci.Timestamp.Compare(b.ci.Timestamp) })
	return out
}

func netIP6(i int) []byte {
	ip := make([]byte, 16)
	ip[0], ip[1], ip[15] = 0xfd, 0, byte(i)
	return ip
}

// routedCopy is frame as seen past a router: other MACs, TTL or hop limit
// one less, IPv4 checksum recomputed.
func routedCopy(frame []byte) []byte {
	c := append([]byte(nil), frame...)
	copy(c[0:12], append(append([]byte(nil), macC...), macB...))
	ip := c[14:]
	if ip[0]>>4 == 6 {
		ip[7]--
		return c
	}
	ip[8]--
	binary.BigEndian.PutUint16(ip[10:], 0)
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	return c
}

// TestCompareEditcap writes one generated capture with mirror copies of
// each kind, runs editcap -D (window in packets) and -w (window in seconds)
// over it, and dedup with its defaults, and reports what each dropped by
// kind. It checks that dedup drops every copy inside its window and no
// original, and that every packet editcap -w 4 drops dedup drops too.
// Skipped when editcap is not installed.
func TestCompareEditcap(t *testing.T) {
	if testing.Short() {
		t.Skip("runs editcap five times; skipped with -short")
	}
	editcap, err := exec.LookPath("editcap")
	if err != nil {
		t.Skip("editcap not installed (Debian: apt-get install wireshark-common)")
	}
	pkts := generate(t, 10000)
	dir := t.TempDir()
	in := filepath.Join(dir, "mirror.pcap")
	w, err := pcapio.Create(in, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	total := [numKinds]int{}
	for _, p := range pkts {
		total[p.kind]++
	}
	type result struct {
		name    string
		dropped []bool
		took    time.Duration
	}
	var results []result

	d, _ := New(nil)
	ours := make([]bool, len(pkts))
	var took [2]time.Duration
	for pass := range took {
		// The first pass also pays for the first touch of the tables'
		// pages; the second, after Reset, shows the steady state.
		d.Reset()
		start := time.Now()
		for i, p := range pkts {
			ours[i] = d.Duplicate(layers.LinkTypeEthernet, p.data, p.ci)
		}
		took[pass] = time.Since(start)
	}
	t.Logf("dedup: first pass %v, second pass %v", took[0].Round(time.Millisecond), took[1].Round(time.Millisecond))
	results = append(results, result{"wirekit dedup (3 x 2 s, IP packet only)", ours, took[1]})

	for _, args := range [][]string{{"-D", "5"}, {"-D", "1000"}, {"-D", "100000"}, {"-w", "4"}} {
		out := filepath.Join(dir, "out.pcap")
		start := time.Now()
		cmd := exec.Command(editcap, append(append([]string{"-F", "pcap"}, args...), in, out)...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("editcap %v: %v\n%s", args, err, msg)
		}
		took := time.Since(start)
		results = append(results, result{"editcap " + strings.Join(args, " "), keptToDropped(t, pkts, out), took})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d packets (%d originals over %v of packet time)\n", len(pkts), total[original],
		pkts[len(pkts)-1].ci.Timestamp.Sub(pkts[0].ci.Timestamp).Round(time.Second))
	fmt.Fprintf(&b, "%-42s", "dropped, by kind (of total):")
	for k := range numKinds {
		fmt.Fprintf(&b, " | %s (%d)", kindName[k], total[k])
	}
	b.WriteString(" | time (dedup: in memory; editcap: a process reading and writing the file)\n")
	for _, r := range results {
		var by [numKinds]int
		for i, dr := range r.dropped {
			if dr {
				by[pkts[i].kind]++
			}
		}
		fmt.Fprintf(&b, "%-42s", r.name)
		for k := range numKinds {
			fmt.Fprintf(&b, " | %d", by[k])
		}
		fmt.Fprintf(&b, " | %v\n", r.took.Round(time.Millisecond))
	}
	t.Log("\n" + b.String())

	for i, p := range pkts {
		want := p.kind != original && p.kind != exactFar
		if ours[i] != want {
			t.Errorf("packet %d (%s): dedup dropped = %v, want %v", i, kindName[p.kind], ours[i], want)
		}
	}
	for i, dr := range results[len(results)-1].dropped {
		if dr && !ours[i] {
			t.Errorf("packet %d (%s): editcap -w 4 dropped it, dedup kept it", i, kindName[pkts[i].kind])
		}
	}
}

// keptToDropped reads editcap's output and marks which input packets it
// left out (the output keeps the input's order).
func keptToDropped(t *testing.T, pkts []genPkt, path string) []bool {
	r, err := pcapio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dropped := make([]bool, len(pkts))
	i := 0
	for {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i < len(pkts) && !(bytes.Equal(pkts[i].data, data) && pkts[i].ci.Timestamp.Equal(ci.Timestamp)) {
			dropped[i] = true
			i++
		}
		if i == len(pkts) {
			t.Fatalf("%s: output packet at %v not in the input", path, ci.Timestamp)
		}
		i++
	}
	for ; i < len(pkts); i++ {
		dropped[i] = true
	}
	return dropped
}
