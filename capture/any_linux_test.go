package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// TestAnyCooked captures on "any" inside a namespace while it sends
// datagrams to two ports out of its veth end: only the filtered port comes,
// each packet with a LINUX_SLL header (outgoing, Ethernet, the veth's MAC,
// IPv4) followed by the IP packet, and the kernel counts only the matching
// packets as passing its filter (the shifted program runs there).
func TestAnyCooked(t *testing.T) {
	n := testutil.NewVethNS(t)
	h, _ := openAnyFiltered(t, n.NS, layers.LinkTypeLinuxSLL, "udp dst port 9999")
	if h.LinkType() != layers.LinkTypeLinuxSLL {
		t.Fatalf("link type %v, want LINUX_SLL", h.LinkType())
	}
	out, err := exec.Command("ip", "netns", "exec", n.NS, "cat", "/sys/class/net/"+n.Peer+"/address").Output()
	if err != nil {
		t.Fatal(err)
	}
	mac := strings.TrimSpace(string(out))
	n.SendUDP(t, 9998, 5)
	n.SendUDP(t, 9999, 7)
	n.SendUDP(t, 9998, 5)
	got := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
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
		if len(data) < 16+28 {
			t.Fatalf("packet of %d bytes: % x", len(data), data)
		}
		be := binary.BigEndian
		addr := net.HardwareAddr(data[6:12]).String()
		switch {
		case be.Uint16(data) != 4:
			t.Errorf("packet type %d, want 4 (outgoing)", be.Uint16(data))
		case be.Uint16(data[2:]) != 1 || be.Uint16(data[4:]) != 6:
			t.Errorf("hardware type %d, address length %d; want 1 (Ethernet), 6", be.Uint16(data[2:]), be.Uint16(data[4:]))
		case addr != mac || be.Uint16(data[12:]) != 0:
			t.Errorf("address % x, want %s and two zero bytes", data[6:14], mac)
		case be.Uint16(data[14:]) != 0x0800 || data[16] != 0x45 || be.Uint16(data[16+22:]) != 9999:
			t.Errorf("not the IPv4 datagram to port 9999 after the header: % x", data)
		}
		if ci.CaptureLength != len(data) || ci.Length != len(data) {
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
	if st.Received < 7 || st.Received > 9 {
		t.Errorf("kernel says %d packets passed its filter, want 7 (the 10 to port 9998 rejected there)", st.Received)
	}
}

// TestShiftCooked: loads move 16 bytes back, the SLL packet type and
// protocol become ancillary loads, other SLL header loads keep the filter
// out of the kernel, and returned lengths shrink by the header.
func TestShiftCooked(t *testing.T) {
	ld := func(op uint16, k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: op, K: k} }
	tests := []struct {
		name string
		in   []bpf.RawInstruction
		want []bpf.RawInstruction // nil: not shiftable
	}{
		{"protocol and payload", []bpf.RawInstruction{ld(0x28, 14), ld(0x30, 25), ld(0xb1, 16), ld(0x48, 18), ld(0x06, 262144), ld(0x06, 0)},
			[]bpf.RawInstruction{ld(0x28, skfAdOff+skfAdProto), ld(0x30, 9), ld(0xb1, 0), ld(0x48, 2), ld(0x06, 262128), ld(0x06, 0)}},
		{"packet type", []bpf.RawInstruction{ld(0x28, 0), ld(0x16, 0)}, []bpf.RawInstruction{ld(0x28, skfAdOff+skfAdPktType), ld(0x16, 0)}},
		{"address bytes", []bpf.RawInstruction{ld(0x20, 6), ld(0x06, 1)}, nil},
		{"indexed into the header", []bpf.RawInstruction{ld(0x50, 2), ld(0x06, 1)}, nil},
		{"protocol as a word", []bpf.RawInstruction{ld(0x20, 14), ld(0x06, 1)}, nil},
	}
	for _, tc := range tests {
		got, ok := shiftCooked(tc.in)
		if ok != (tc.want != nil) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v (ok %v), want %v", tc.name, got, ok, tc.want)
		}
	}
	sll2 := []struct {
		name string
		in   []bpf.RawInstruction
		want []bpf.RawInstruction // nil: not shiftable
	}{
		{"protocol and payload", []bpf.RawInstruction{ld(0x28, 0), ld(0x30, 29), ld(0x06, 262144)},
			[]bpf.RawInstruction{ld(0x28, skfAdOff+skfAdProto), ld(0x30, 9), ld(0x06, 262124)}},
		{"packet type", []bpf.RawInstruction{ld(0x30, 10), ld(0x16, 0)}, []bpf.RawInstruction{ld(0x30, skfAdOff+skfAdPktType), ld(0x16, 0)}},
		{"interface index", []bpf.RawInstruction{ld(0x20, 4), ld(0x06, 1)}, nil},
		{"SLL's packet type offset", []bpf.RawInstruction{ld(0x28, 14), ld(0x06, 1)}, nil},
	}
	for _, tc := range sll2 {
		got, ok := shiftCookedFor(tc.in, layers.LinkTypeLinuxSLL2)
		if ok != (tc.want != nil) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("SLL2 %s: got %v (ok %v), want %v", tc.name, got, ok, tc.want)
		}
	}
	// A real program: no load of the first 16 bytes is left.
	prog, err := filter.Compile("tcp dst port 80 or icmp", layers.LinkTypeLinuxSLL, 262144)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := shiftCooked(prog.Raw())
	if !ok {
		t.Fatal("not shiftable")
	}
	for i, ins := range got {
		if (ins.Op&0x07 == 0 && ins.Op&0xe0 == 0x20) && ins.K < 0x80000000 && ins.K+16 != prog.Raw()[i].K {
			t.Errorf("instruction %d: %v from %v", i, ins, prog.Raw()[i])
		}
	}
}

// TestAnyVLAN: a frame tagged with VLAN 42 arrives in the namespace, where
// the kernel takes the tag off; on "any" it comes back after the SLL
// header (protocol 0x8100, the tag, then IPv4). (libpcap 1.10 and wirekit
// have no "vlan" on LINUX_SLL, so the test looks at every packet.)
func TestAnyVLAN(t *testing.T) {
	n := testutil.NewVethNS(t)
	rx, err := openInNS(n.NS, Any, &Config{ReadTimeout: 50 * time.Millisecond, AnyLinkType: layers.LinkTypeLinuxSLL})
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
		if len(data) < 16 || data[14] != 0x81 {
			continue // neighbour discovery and the like
		}
		// SLL: broadcast (1), Ethernet (1), 6-byte source address.
		want := append([]byte{0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}, frame[12:]...)
		if string(data) != string(want) {
			t.Fatalf("captured\n% x\nwant\n% x", data, want)
		}
		if ci.Length != len(want) || ci.CaptureLength != len(want) {
			t.Errorf("lengths %d/%d, want %d", ci.CaptureLength, ci.Length, len(want))
		}
		seen++
	}
	if seen != 3 {
		t.Fatalf("%d tagged frames captured, want 3", seen)
	}
}

// TestAnySLL2: by default "any" gives LINUX_SLL2 headers (protocol,
// reserved, interface index, hardware type, packet type, address length,
// address), and a filter compiled for LINUX_SLL2 runs in the kernel.
func TestAnySLL2(t *testing.T) {
	n := testutil.NewVethNS(t)
	if lt, err := LinkTypeOf(Any); err != nil || lt != layers.LinkTypeLinuxSLL2 {
		t.Fatalf("LinkTypeOf(any) = %v, %v; want LINUX_SLL2", lt, err)
	}
	h, prog := openAnyFiltered(t, n.NS, layers.LinkTypeLinuxSLL2, "udp dst port 9999")
	if h.LinkType() != layers.LinkTypeLinuxSLL2 || h.prog != nil {
		t.Fatalf("link type %v (user-space filter %v), want LINUX_SLL2 with the filter in the kernel", h.LinkType(), h.prog != nil)
	}
	out, err := exec.Command("ip", "netns", "exec", n.NS, "cat", "/sys/class/net/"+n.Peer+"/address", "/sys/class/net/"+n.Peer+"/ifindex").Output()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	mac, ifindex := f[0], f[1]
	n.SendUDP(t, 9998, 3)
	n.SendUDP(t, 9999, 4)
	got := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && got < 4; {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 20+28 {
			t.Fatalf("packet of %d bytes: % x", len(data), data)
		}
		be := binary.BigEndian
		switch {
		case be.Uint16(data) != 0x0800 || be.Uint16(data[2:]) != 0:
			t.Errorf("protocol %#x, reserved %#x; want 0x0800, 0", be.Uint16(data), be.Uint16(data[2:]))
		case fmt.Sprint(be.Uint32(data[4:])) != ifindex:
			t.Errorf("interface index %d, want %s", be.Uint32(data[4:]), ifindex)
		case be.Uint16(data[8:]) != 1 || data[10] != 4 || data[11] != 6:
			t.Errorf("hardware type %d, packet type %d, address length %d; want 1, 4, 6", be.Uint16(data[8:]), data[10], data[11])
		case net.HardwareAddr(data[12:18]).String() != mac || be.Uint16(data[18:]) != 0:
			t.Errorf("address % x, want %s and two zero bytes", data[12:20], mac)
		case data[20] != 0x45 || be.Uint16(data[20+22:]) != 9999:
			t.Errorf("not the IPv4 datagram to port 9999 after the header: % x", data)
		}
		if ci.CaptureLength != len(data) || ci.Length != len(data) {
			t.Errorf("capture info %+v for %d bytes", ci, len(data))
		}
		got++
	}
	if got != 4 {
		t.Fatalf("captured %d packets to port 9999, want 4", got)
	}
	if _, err := Open(Any, &Config{Filter: prog, AnyLinkType: layers.LinkTypeLinuxSLL}); err == nil {
		t.Error("a LINUX_SLL2 filter on a LINUX_SLL capture was accepted")
	}
}

// TestAnyLoopbackOnce: a datagram to 127.0.0.1 is captured once on "any"
// (received), not also as sent, as libpcap does; the kernel still counts
// both copies as passing its filter.
func TestAnyLoopbackOnce(t *testing.T) {
	n := testutil.NewVethNS(t)
	if out, err := exec.Command("ip", "-n", n.NS, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	h, _ := openAnyFiltered(t, n.NS, layers.LinkTypeLinuxSLL2, "udp dst port 9999")
	script := "for i in 1 2 3; do echo x > /dev/udp/127.0.0.1/9999; done"
	if out, err := exec.Command("ip", "netns", "exec", n.NS, "bash", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got := 0
	for timeouts := 0; timeouts < 10; {
		data, _, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			timeouts++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if data[10] != 0 {
			t.Errorf("packet type %d, want 0 (to us)", data[10])
		}
		got++
	}
	if got != 3 {
		t.Errorf("captured %d datagrams to 127.0.0.1, want 3", got)
	}
	if st, err := h.Stats(); err != nil || st.Received != 6 {
		t.Errorf("kernel stats %+v, %v: want 6 passing the filter (both copies)", st, err)
	}
}

// openAnyFiltered opens "any" inside the namespace ns with expr compiled
// for the cooked link type lt; the capture is closed when the test ends.
func openAnyFiltered(t *testing.T, ns string, lt layers.LinkType, expr string) (*Handle, *filter.Program) {
	t.Helper()
	prog, err := filter.Compile(expr, lt, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := openInNS(ns, Any, &Config{Filter: prog, ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, prog
}
