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
// each packet with a LINUX_SLL2 header (or LINUX_SLL when asked: outgoing,
// Ethernet, the veth's MAC, IPv4, and for SLL2 the veth's interface index)
// followed by the IP packet, and the kernel counts only the matching
// packets as passing its filter (the shifted program runs there).
func TestAnyCooked(t *testing.T) {
	for _, lt := range []layers.LinkType{layers.LinkTypeLinuxSLL2, layers.LinkTypeLinuxSLL} {
		t.Run(lt.String(), func(t *testing.T) { testAnyCooked(t, lt) })
	}
}

func testAnyCooked(t *testing.T, lt layers.LinkType) {
	n := testutil.NewVethNS(t)
	out, err := exec.Command("ip", "netns", "exec", n.NS, "cat", "/sys/class/net/"+n.Peer+"/address", "/sys/class/net/"+n.Peer+"/ifindex").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(out))
	mac, ifindex := lines[0], lines[1]
	// The filter tests header fields that become ancillary loads in the
	// kernel: the packet type, and on SLL2 the interface index.
	expr := "udp dst port 9999 and outbound"
	if lt == layers.LinkTypeLinuxSLL2 {
		expr += " and ifindex " + ifindex
	}
	prog, err := filter.Compile(expr, lt, 262144)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Filter: prog, ReadTimeout: 50 * time.Millisecond}
	if lt == layers.LinkTypeLinuxSLL {
		cfg.LinkType = lt // SLL2 is the default
	}
	h, err := openInNS(n.NS, Any, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.LinkType() != lt {
		t.Fatalf("link type %v, want %v", h.LinkType(), lt)
	}
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
		hdr := cookedLen(lt)
		if len(data) < hdr+28 {
			t.Fatalf("packet of %d bytes: % x", len(data), data)
		}
		be := binary.BigEndian
		// The fields of either header, in the order SLL has them.
		var pkttype, hatype, halen, proto uint16
		var addr string
		pad := 18 // the two unused bytes of the 8-byte address field
		if lt == layers.LinkTypeLinuxSLL {
			pad = 12
			pkttype, hatype, halen, proto = be.Uint16(data), be.Uint16(data[2:]), be.Uint16(data[4:]), be.Uint16(data[14:])
			addr = net.HardwareAddr(data[6:12]).String()
		} else {
			proto, hatype, pkttype, halen = be.Uint16(data), be.Uint16(data[8:]), uint16(data[10]), uint16(data[11])
			addr = net.HardwareAddr(data[12:18]).String()
			if idx := fmt.Sprint(be.Uint32(data[4:])); idx != ifindex || be.Uint16(data[2:]) != 0 {
				t.Errorf("interface index %s and reserved %d, want %s and 0", idx, be.Uint16(data[2:]), ifindex)
			}
		}
		switch {
		case pkttype != 4:
			t.Errorf("packet type %d, want 4 (outgoing)", pkttype)
		case hatype != 1 || halen != 6:
			t.Errorf("hardware type %d, address length %d; want 1 (Ethernet), 6", hatype, halen)
		case addr != mac || be.Uint16(data[pad:]) != 0:
			t.Errorf("address in % x, want %s and two zero bytes", data[:hdr], mac)
		case proto != 0x0800 || data[hdr] != 0x45 || be.Uint16(data[hdr+22:]) != 9999:
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

// TestShiftCooked: loads move back by the header's length (16 bytes for
// SLL, 20 for SLL2), the header fields the kernel keeps beside the packet
// become ancillary loads, other header loads keep the filter out of the
// kernel, and returned lengths shrink by the header.
func TestShiftCooked(t *testing.T) {
	ld := func(op uint16, k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: op, K: k} }
	sll, sll2 := layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2
	tests := []struct {
		name string
		lt   layers.LinkType
		in   []bpf.RawInstruction
		want []bpf.RawInstruction // nil: not shiftable
	}{
		{"protocol and payload", sll, []bpf.RawInstruction{ld(0x28, 14), ld(0x30, 25), ld(0xb1, 16), ld(0x48, 18), ld(0x06, 262144), ld(0x06, 0)},
			[]bpf.RawInstruction{ld(0x28, skfAdOff+skfAdProto), ld(0x30, 9), ld(0xb1, 0), ld(0x48, 2), ld(0x06, 262128), ld(0x06, 0)}},
		{"packet type", sll, []bpf.RawInstruction{ld(0x28, 0), ld(0x16, 0)}, []bpf.RawInstruction{ld(0x28, skfAdOff+skfAdPktType), ld(0x16, 0)}},
		{"address bytes", sll, []bpf.RawInstruction{ld(0x20, 6), ld(0x06, 1)}, nil},
		{"indexed into the header", sll, []bpf.RawInstruction{ld(0x50, 2), ld(0x06, 1)}, nil},
		{"protocol as a word", sll, []bpf.RawInstruction{ld(0x20, 14), ld(0x06, 1)}, nil},
		{"SLL2 protocol and payload", sll2, []bpf.RawInstruction{ld(0x28, 0), ld(0x30, 29), ld(0xb1, 20), ld(0x48, 22), ld(0x06, 262144), ld(0x06, 0)},
			[]bpf.RawInstruction{ld(0x28, skfAdOff+skfAdProto), ld(0x30, 9), ld(0xb1, 0), ld(0x48, 2), ld(0x06, 262124), ld(0x06, 0)}},
		{"SLL2 interface index, hardware and packet types", sll2, []bpf.RawInstruction{ld(0x20, 4), ld(0x28, 8), ld(0x30, 10), ld(0x16, 0)},
			[]bpf.RawInstruction{ld(0x20, skfAdOff+skfAdIfindex), ld(0x28, skfAdOff+skfAdHatype), ld(0x30, skfAdOff+skfAdPktType), ld(0x16, 0)}},
		{"SLL2 address length", sll2, []bpf.RawInstruction{ld(0x30, 11), ld(0x06, 1)}, nil},
		{"SLL2 packet type as a half word", sll2, []bpf.RawInstruction{ld(0x28, 10), ld(0x06, 1)}, nil},
	}
	for _, tc := range tests {
		got, ok := shiftCooked(tc.in, tc.lt)
		if ok != (tc.want != nil) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v (ok %v), want %v", tc.name, got, ok, tc.want)
		}
	}
	// Real programs: no load of the header is left.
	for _, tc := range []struct {
		lt   layers.LinkType
		expr string
	}{{sll, "tcp dst port 80 or icmp"}, {sll2, "tcp dst port 80 or icmp"}, {sll2, "ifindex 3 and inbound and udp"}} {
		prog, err := filter.Compile(tc.expr, tc.lt, 262144)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := shiftCooked(prog.Raw(), tc.lt)
		if !ok {
			t.Fatalf("%v %q: not shiftable", tc.lt, tc.expr)
		}
		for i, ins := range got {
			if (ins.Op&0x07 == 0 && ins.Op&0xe0 == 0x20) && ins.K < 0x80000000 && ins.K+uint32(cookedLen(tc.lt)) != prog.Raw()[i].K {
				t.Errorf("%v %q: instruction %d: %v from %v", tc.lt, tc.expr, i, ins, prog.Raw()[i])
			}
		}
	}
}

// TestAnyVLAN: a frame tagged with VLAN 42 arrives in the namespace, where
// the kernel takes the tag off; on "any" it comes back after the SLL or
// SLL2 header (protocol 0x8100, the tag, then IPv4). libpcap 1.10.3 does
// the same with LINUX_SLL and drops the tag with LINUX_SLL2 (seen with
// tcpdump -i any on a veth). (libpcap 1.10 and wirekit have no "vlan" on
// these link types, so the test looks at every packet.)
func TestAnyVLAN(t *testing.T) {
	for _, lt := range []layers.LinkType{layers.LinkTypeLinuxSLL2, layers.LinkTypeLinuxSLL} {
		t.Run(lt.String(), func(t *testing.T) { testAnyVLAN(t, lt) })
	}
}

func testAnyVLAN(t *testing.T, lt layers.LinkType) {
	n := testutil.NewVethNS(t)
	rx, err := openInNS(n.NS, Any, &Config{ReadTimeout: 50 * time.Millisecond, LinkType: lt})
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
		// Broadcast (1), Ethernet (1), 6-byte source address, and in SLL2
		// the interface index.
		var want []byte
		if lt == layers.LinkTypeLinuxSLL {
			if len(data) < 16 || data[14] != 0x81 {
				continue // neighbour discovery and the like
			}
			want = append([]byte{0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}, frame[12:]...)
		} else {
			if len(data) < 20 || data[0] != 0x81 {
				continue
			}
			want = append(append([]byte{0x81, 0}, data[2:8]...), 0, 1, 1, 6, 2, 0, 0, 0, 0, 1, 0, 0)
			want = append(want, frame[14:]...)
		}
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
