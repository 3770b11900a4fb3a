package capture

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/filter"
)

// TestTunRaw: a tun device (no link header, as WireGuard's) is captured
// as raw IP: the filter, compiled for RAW, runs in the kernel, and the
// packets written into the device come out as they were written.
func TestTunRaw(t *testing.T) {
	name, fd := makeTun(t)
	lt, err := LinkTypeOf(name)
	if err != nil || lt != layers.LinkTypeRaw {
		t.Fatalf("link type of %s: %v %v, want RAW", name, lt, err)
	}
	prog, err := filter.Compile("udp dst port 9999", lt, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(name, &Config{Filter: prog, ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.prog != nil {
		t.Error("the filter runs in user space; want it in the kernel")
	}
	pkt := func(port uint16) []byte {
		b, err := filter.AppendFlowPacket(nil, layers.LinkTypeRaw, filter.Flow{Proto: filter.UDP,
			Src: netip.MustParseAddrPort("10.215.0.2:5000"), Dst: netip.AddrPortFrom(netip.MustParseAddr("10.215.0.1"), port)}, []byte("through the tunnel"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := pkt(9999)
	for _, p := range [][]byte{pkt(9998), want, pkt(9998), want} {
		if _, err := unix.Write(fd, p); err != nil {
			t.Fatalf("write into %s: %v", name, err)
		}
	}
	got := 0
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && got < 2; {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != string(want) || ci.Length != len(want) {
			t.Fatalf("captured\n% x\nwant\n% x", data, want)
		}
		got++
	}
	if got != 2 {
		t.Fatalf("%d packets to port 9999 captured, want 2", got)
	}
	if st, err := h.Stats(); err != nil || st.Received != 2 {
		t.Errorf("kernel filter passed %d packets (%v), want 2", st.Received, err)
	}
	if err := h.Inject(make([]byte, 1501)); err == nil || !strings.Contains(err.Error(), "MTU 1500") {
		t.Errorf("a 1501-byte packet on a raw interface: %v, want the MTU error", err)
	}
}

// makeTun makes a tun device (IP packets, no link header) that is up, or
// skips the test when not root or without tun support; the device goes
// when the test ends (with its last descriptor, fd, which writes packets
// into it).
func makeTun(t *testing.T) (name string, fd int) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a tun device")
	}
	name = fmt.Sprintf("wktun%d", os.Getpid()%100000)
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no tun devices here: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		t.Fatal(err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		t.Fatalf("TUNSETIFF: %v", err)
	}
	if out, err := exec.Command("ip", "link", "set", name, "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set %s up: %v %s", name, err, out)
	}
	return name, fd
}
