package capture

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// TestCaptureFilter: packets matching the filter arrive, the others do not,
// both in the kernel and after it.
func TestCaptureFilter(t *testing.T) {
	n := testutil.NewVethNS(t)
	h := openFiltered(t, n.Host, "udp dst port 9999")
	n.SendUDP(t, 9998, 5)
	n.SendUDP(t, 9999, 7)
	n.SendUDP(t, 9998, 5)

	got := 0
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			if got >= 7 {
				break
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 42 || data[23] != 17 || int(data[36])<<8|int(data[37]) != 9999 {
			t.Fatalf("packet that does not match the filter: % x", data)
		}
		if ci.CaptureLength != len(data) || ci.Length < len(data) {
			t.Errorf("capture info %+v for %d bytes", ci, len(data))
		}
		got++
	}
	if got != 7 {
		t.Fatalf("captured %d packets to port 9999, want 7", got)
	}
	st, err := h.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Received < 7 || st.Received > 9 { // the kernel filter counts what passed it
		t.Errorf("kernel says %d packets passed the filter, want 7 (or 8-9 with neighbour discovery noise)", st.Received)
	}
}

// TestCaptureSnapLen: packets are cut to the snap length, wire length kept.
func TestCaptureSnapLen(t *testing.T) {
	n := testutil.NewVethNS(t)
	h, err := Open(n.Host, &Config{SnapLen: 40, ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	n.SendUDP(t, 9999, 3)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 40 || ci.CaptureLength > 40 {
			t.Fatalf("captured %d bytes with snaplen 40", len(data))
		}
		if ci.Length > 40 {
			return // a packet longer than the snap length, cut and with its wire length
		}
	}
	t.Fatal("no packet longer than the snap length was seen")
}

// TestInject: a frame injected on the host side arrives in the namespace.
func TestInject(t *testing.T) {
	n := testutil.NewVethNS(t)
	h, err := Open(n.Host, &Config{ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.Inject(make([]byte, 14+1500+1)); err == nil || !strings.Contains(err.Error(), "MTU") {
		t.Errorf("oversize frame: %v, want an MTU error", err)
	}
	// The namespace side's counter tells the frames arrived.
	before := n.RxPackets(t)
	frame := make([]byte, 60)
	copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5}) // local experimental ethertype
	for range 3 {
		if err := h.Inject(frame); err != nil {
			t.Fatal(err)
		}
	}
	// Polled, not read once after a fixed sleep: on a loaded machine the
	// counter lagged 100 ms behind (1 of 3 seen once).
	got := 0
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = n.RxPackets(t) - before; got >= 3 {
			break
		}
	}
	if got < 3 {
		t.Errorf("namespace side received %d frames, want 3", got)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("nonexistent0", nil); err == nil || !strings.Contains(err.Error(), "interfaces here") {
		t.Errorf("unknown interface: %v", err)
	}
	if os.Geteuid() != 0 {
		t.Skip("the rest opens a packet socket: needs root")
	}
	h, err := Open(Any, nil)
	if err != nil {
		t.Fatalf("any: %v", err)
	}
	defer h.Close()
	if err := h.Inject(make([]byte, 60)); err == nil || !strings.Contains(err.Error(), "name one interface") {
		t.Errorf("inject on any: %v", err)
	}
}

// TestDirection: with In only the datagrams from the namespace are seen;
// with Out only what this side sends (the replies: here the ICMP port
// unreachable messages for the closed UDP port).
func TestDirection(t *testing.T) {
	n := testutil.NewVethNS(t)
	for _, tc := range []struct {
		dir   Direction
		proto byte // IP protocol every captured IPv4 packet must have
		want  int  // at least this many (the kernel rate-limits ICMP errors)
	}{{In, 17, 3}, {Out, 1, 1}} {
		h, err := Open(n.Host, &Config{Direction: tc.dir, ReadTimeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		n.SendUDP(t, 9999, 3)
		seen := 0
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && seen < tc.want; {
			data, _, err := h.ZeroCopyReadPacketData()
			if errors.Is(err, ErrTimeout) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < 34 || data[12] != 8 || data[13] != 0 {
				continue // ARP and IPv6 neighbour discovery go both ways
			}
			if data[23] != tc.proto {
				t.Fatalf("direction %d: IPv4 protocol %d, want %d", tc.dir, data[23], tc.proto)
			}
			seen++
		}
		h.Close()
		if seen < tc.want {
			t.Errorf("direction %d: %d packets of protocol %d, want %d", tc.dir, seen, tc.proto, tc.want)
		}
	}
}

// TestVLANReinserted: a frame tagged with VLAN 42 arrives on the
// namespace side, where the kernel moves the tag out of the frame before
// packet sockets see it; the capture puts it back, and "vlan 42" matches.
func TestVLANReinserted(t *testing.T) {
	n := testutil.NewVethNS(t)
	prog, err := filter.Compile("vlan 42 and udp dst port 7777", layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	rx, err := openInNS(n.NS, n.Peer, &Config{Filter: prog, ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	tx, err := Open(n.Host, &Config{ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	frame, err := filter.AppendFlowPacket(nil, layers.LinkTypeEthernet, filter.Flow{
		Proto: filter.UDP, VLAN: 42,
		Src:    netip.MustParseAddrPort("10.214.0.1:5000"),
		Dst:    netip.MustParseAddrPort("10.214.0.2:7777"),
		DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1},
	}, []byte("tagged"))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := tx.Inject(frame); err != nil {
			t.Fatal(err)
		}
	}
	seen := 0
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && seen < 3; {
		data, ci, err := rx.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != string(frame) {
			t.Fatalf("captured\n% x\nwant the frame as sent\n% x", data, frame)
		}
		if ci.Length != len(frame) {
			t.Errorf("wire length %d, want %d", ci.Length, len(frame))
		}
		seen++
	}
	if seen != 3 {
		t.Fatalf("%d tagged frames captured, want 3", seen)
	}
}

// openInNS opens a capture inside a network namespace: the socket is made
// on a thread moved into it, which is never moved back (it ends with its
// goroutine), so no other goroutine runs in the wrong namespace.
func openInNS(ns, iface string, cfg *Config) (*Handle, error) {
	type result struct {
		h   *Handle
		err error
	}
	ch := make(chan result)
	go func() {
		runtime.LockOSThread() // not unlocked: the thread exits with this goroutine
		f, err := os.Open("/var/run/netns/" + ns)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{nil, err}
			return
		}
		h, err := Open(iface, cfg)
		ch <- result{h, err}
	}()
	r := <-ch
	return r.h, r.err
}

// TestKernelFilterDrops: with a filter that matches nothing, no packet
// reaches user space and the kernel counts none as passing the filter,
// while the interface did receive the traffic.
func TestKernelFilterDrops(t *testing.T) {
	n := testutil.NewVethNS(t)
	h := openFiltered(t, n.Host, "udp port 1")
	before := rxCount(t, n.Host)
	n.SendUDP(t, 9999, 10)
	for range 10 {
		if _, _, err := h.ZeroCopyReadPacketData(); !errors.Is(err, ErrTimeout) {
			t.Fatalf("read %v, want only timeouts", err)
		}
	}
	st, err := h.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if got := rxCount(t, n.Host) - before; got < 10 {
		t.Fatalf("the interface received %d packets, want at least 10", got)
	}
	if st.Received != 0 || st.Dropped != 0 {
		t.Errorf("kernel stats %+v: want 0 passed the filter and 0 dropped", st)
	}
}

// openFiltered opens a capture on iface with expr compiled for Ethernet;
// it is closed when the test ends.
func openFiltered(t *testing.T, iface, expr string) *Handle {
	t.Helper()
	prog, err := filter.Compile(expr, layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(iface, &Config{Filter: prog, ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func rxCount(t *testing.T, iface string) int {
	t.Helper()
	b, err := os.ReadFile("/sys/class/net/" + iface + "/statistics/rx_packets")
	if err != nil {
		t.Fatal(err)
	}
	var v int
	fmt.Sscan(string(b), &v)
	return v
}

// TestRingGeometry: 1 MiB blocks when 8 fit, smaller ones for small rings.
func TestRingGeometry(t *testing.T) {
	for _, tc := range []struct{ kib, block, n int }{
		{32768, 1 << 20, 32}, {8192, 1 << 20, 8}, {2048, 256 << 10, 8}, {512, 64 << 10, 8}, {100, 64 << 10, 2}, {1, 64 << 10, 1}, {3000, 256 << 10, 12},
	} {
		block, n := ringGeometry(Config{RingKiB: tc.kib})
		if block != tc.block || n != tc.n {
			t.Errorf("ring of %d KiB: %d blocks of %d bytes, want %d of %d", tc.kib, n, block, tc.n, tc.block)
		}
	}
}
