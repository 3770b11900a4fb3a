package report_test

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/report"
)

// phsCompared are the protocols whose counts tshark and the report share:
// tshark reassembles TCP and knows more applications, so what lies above
// TCP is not compared; DNS over UDP is.
var phsCompared = map[string]bool{"eth": true, "vlan": true, "ieee8021ad": true, "ip": true, "ipv6": true, "arp": true,
	"tcp": true, "udp": true, "icmp": true, "icmpv6": true, "dns": true}

// TestHierarchyAgreesWithTshark: frames and bytes of the protocol
// hierarchy down to the transport layer (and DNS over UDP) are those of
// 'tshark -q -z io,phs' on a synthetic capture with IPv4, IPv6, VLAN and
// QinQ tags, ARP, ICMP, DNS and TCP.
func TestHierarchyAgreesWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed (scripts/test-deps.sh installs it): the protocol hierarchy is not compared")
	}
	p := filepath.Join(t.TempDir(), "mix.pcap")
	w, err := pcapio.Create(p, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 262144, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Generate(synth.Config{Seed: 9, Packets: 20000}, func(ci gopacket.CaptureInfo, data []byte) error { return w.WritePacket(ci, data) }); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", p, "-q", "-z", "io,phs").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	want := map[string][2]int64{}
	line := regexp.MustCompile(`^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$`)
	var stack []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		depth := len(m[1]) / 2
		stack = append(stack[:min(depth, len(stack))], m[2])
		ok := true
		for i, name := range stack {
			ok = ok && phsCompared[name] && (name != "dns" || i > 0 && stack[i-1] == "udp")
		}
		if ok {
			f, _ := strconv.ParseInt(m[3], 10, 64)
			b, _ := strconv.ParseInt(m[4], 10, 64)
			want[strings.Join(stack, "/")] = [2]int64{f, b}
		}
	}
	if len(want) < 10 {
		t.Fatalf("tshark's hierarchy has %d comparable rows:\n%s", len(want), out)
	}
	set, err := dataset.Scan(context.Background(), []string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), set, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	var walk func(n *report.Node, path []string)
	walk = func(n *report.Node, path []string) {
		for i, name := range path {
			if !phsCompared[name] || name == "dns" && (i == 0 || path[i-1] != "udp") {
				return
			}
		}
		if len(path) > 0 {
			got[strings.Join(path, "/")] = [2]int64{n.Frames, n.Bytes}
		}
		for _, c := range n.Children {
			walk(c, append(path[:len(path):len(path)], c.Name))
		}
	}
	walk(r.Hierarchy, nil)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: report %d frames %d bytes, tshark %d frames %d bytes", k, got[k][0], got[k][1], v[0], v[1])
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: report %d frames, tshark has no such row", k, v[0])
		}
	}
}
