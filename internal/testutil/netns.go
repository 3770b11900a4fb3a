package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// VethNS is a network namespace joined to the test's namespace by a veth
// pair: Host is the interface on the test's side (address HostIP), Peer
// the one inside NS (address NSIP).
type VethNS struct {
	NS, Host, Peer string
	HostIP, NSIP   string
}

var vethSeq atomic.Int32

// NewVethNS builds a namespace and veth pair for a test, or skips the test
// when not root or when iproute2 is missing. t.Cleanup removes both.
func NewVethNS(t *testing.T) *VethNS {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (network namespaces, veth, AF_PACKET); CI runs as root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs iproute2's ip command")
	}
	id := (os.Getpid()%10000)*10 + int(vethSeq.Add(1)%10)
	sub := id % 250
	n := &VethNS{
		NS: fmt.Sprintf("wktest%d", id), Host: fmt.Sprintf("wkh%d", id), Peer: fmt.Sprintf("wkp%d", id),
		HostIP: fmt.Sprintf("10.213.%d.1", sub), NSIP: fmt.Sprintf("10.213.%d.2", sub),
	}
	t.Cleanup(func() {
		exec.Command("ip", "link", "del", n.Host).Run()
		exec.Command("ip", "netns", "del", n.NS).Run()
	})
	for _, args := range [][]string{
		{"netns", "add", n.NS},
		{"link", "add", n.Host, "type", "veth", "peer", "name", n.Peer},
		{"link", "set", n.Peer, "netns", n.NS},
		{"addr", "add", n.HostIP + "/24", "dev", n.Host},
		{"link", "set", n.Host, "up"},
		{"-n", n.NS, "addr", "add", n.NSIP + "/24", "dev", n.Peer},
		{"-n", n.NS, "link", "set", n.Peer, "up"},
		{"-n", n.NS, "link", "set", "lo", "up"},
	} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	return n
}

// SendUDP sends count small datagrams from inside the namespace to the
// host side's port (with bash's /dev/udp).
func (n *VethNS) SendUDP(t testing.TB, port, count int) {
	t.Helper()
	script := fmt.Sprintf("for i in $(seq %d); do echo wirekit-$i > /dev/udp/%s/%d; done", count, n.HostIP, port)
	if out, err := exec.Command("ip", "netns", "exec", n.NS, "bash", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("sending from %s: %v: %s", n.NS, err, out)
	}
}

// RxPackets reads the namespace side's received-packets counter.
func (n *VethNS) RxPackets(t testing.TB) int {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", n.NS, "cat", "/sys/class/net/"+n.Peer+"/statistics/rx_packets").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	fmt.Sscan(string(out), &v)
	return v
}
