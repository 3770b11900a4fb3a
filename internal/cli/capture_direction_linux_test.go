package cli

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// flowOf takes "A > B" out of a tcpdump-style line ("IP A > B: UDP...").
var flowOf = regexp.MustCompile(`IP (\S+) > (\S+):`)

// TestCaptureDirection runs 'wirekit capture -i VETH' with inbound,
// outbound and ifindex filters, which compile to the kernel's packet
// type and interface index loads, while three datagrams go each way
// over a veth pair: it must keep the ones received (port 9999, from the
// namespace) for inbound, the ones sent (port 9998, to it) for outbound.
// The "or vlan 4000" cases make the filter run in user space (capture
// keeps VLAN tests out of the kernel), on the metadata of each ring
// frame. (tcpdump -i VETH 'inbound and udp' is no oracle here: with
// libpcap 1.10.3, the kernel passes the three packets but libpcap, which
// runs the filter again in user space on the ring block that was
// filling when the filter was set, and whose interpreter has no packet
// type, drops some or all of them: "0 packets captured, 3 packets
// received by filter".)
func TestCaptureDirection(t *testing.T) {
	n := testutil.NewVethNS(t)
	ifc, err := net.InterfaceByName(n.Host)
	if err != nil {
		t.Fatal(err)
	}
	in, out := n.HostIP+".9999", n.NSIP+".9998" // the receiving ends
	for _, tc := range []struct {
		name string
		expr string
		want string // the destination every packet kept must have
	}{
		{"inbound keeps received packets", "inbound and udp", in},
		{"outbound keeps sent packets", "outbound and udp", out},
		{"not outbound keeps received packets", "udp and not outbound", in},
		{"ifindex of the veth and outbound", fmt.Sprintf("ifindex %d and outbound and udp", ifc.Index), out},
		{"inbound in user space (vlan keeps it out of the kernel)", "(inbound and udp) or vlan 4000", in},
		{"outbound in user space", "(udp and outbound and ifindex " + fmt.Sprint(ifc.Index) + ") or vlan 4000", out},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := captureBothWays(t, n, tc.expr)
			if len(got) != 3 {
				t.Fatalf("%q: wirekit kept %d packets, want 3: %q", tc.expr, len(got), got)
			}
			for _, f := range got {
				if !strings.HasSuffix(f, " > "+tc.want) {
					t.Errorf("%q: wirekit kept %s, want only packets to %s", tc.expr, f, tc.want)
				}
			}
		})
	}
}

// captureBothWays runs 'wirekit capture -c 3 -i HOST EXPR', sends three
// datagrams from the namespace to the host's port 9999 and three from the
// host to the namespace's port 9998, and returns the "A > B" of the
// packets kept, sorted.
func captureBothWays(t *testing.T, n *testutil.VethNS, expr string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"capture", "-n", "-c", "3", "-i", n.Host, expr}, nil, &stdout, &stderr)
	}()
	for !strings.Contains(stderr.String(), "listening on") {
		select {
		case code := <-done:
			t.Fatalf("capture %q ended (exit %d) before listening: %s", expr, code, stderr.String())
		case <-ctx.Done():
			t.Fatalf("capture %q did not start: %s", expr, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	n.SendUDP(t, 9999, 3)
	script := fmt.Sprintf("for i in 1 2 3; do echo wirekit-$i > /dev/udp/%s/9998; done", n.NSIP)
	if b, err := exec.Command("bash", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("sending to %s: %v: %s", n.NSIP, err, b)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("capture %q: exit %d: %s", expr, code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("capture %q did not keep 3 packets; it printed:\n%s", expr, stdout.String())
	}
	flows := func(s string) []string {
		var fs []string
		for _, m := range flowOf.FindAllStringSubmatch(s, -1) {
			fs = append(fs, m[1]+" > "+m[2])
		}
		slices.Sort(fs)
		return fs
	}
	return flows(stdout.String())
}
