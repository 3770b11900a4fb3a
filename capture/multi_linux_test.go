package capture

import (
	"errors"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// TestMultiTwoInterfaces captures on two veth pairs at once, with a filter
// expression compiled per interface, while UDP datagrams go over both in
// turns: every datagram is read once, with the index of its interface,
// in timestamp order.
func TestMultiTwoInterfaces(t *testing.T) {
	a, b := testutil.NewVethNS(t), testutil.NewVethNS(t)
	m, err := OpenMulti([]string{a.Host, b.Host}, &MultiConfig{Expr: "udp dst port 9999"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if ifs := m.Interfaces(); len(ifs) != 2 || ifs[0].Name != a.Host || ifs[1].Name != b.Host || ifs[1].LinkType != layers.LinkTypeEthernet {
		t.Fatalf("Interfaces %+v", ifs)
	}
	const each = 20
	for range 2 { // in turns; the rings hold them until read
		a.SendUDP(t, 9999, each/2)
		b.SendUDP(t, 9999, each/2)
	}
	var got [2]int
	var last time.Time
	for end := time.Now().Add(10 * time.Second); got[0]+got[1] < 2*each && time.Now().Before(end); {
		data, ci, err := m.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if ci.InterfaceIndex < 0 || ci.InterfaceIndex > 1 || !strings.Contains(string(data), "wirekit-") {
			t.Fatalf("packet on interface %d: %q", ci.InterfaceIndex, data)
		}
		if ci.Timestamp.Before(last) {
			t.Errorf("packet at %v after one at %v", ci.Timestamp, last)
		}
		last = ci.Timestamp
		got[ci.InterfaceIndex]++
	}
	if got != [2]int{each, each} || m.Late() != 0 {
		t.Errorf("read %v datagrams per interface, want %d each; Late %d", got, each, m.Late())
	}
	// Close ends a read that waits, and every read after.
	go func() { time.Sleep(50 * time.Millisecond); m.Close() }()
	for {
		_, _, err := m.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, ErrTimeout) {
			t.Fatal(err)
		}
	}
	if _, _, err := m.ZeroCopyReadPacketData(); err != io.EOF {
		t.Errorf("read after Close: %v, want io.EOF", err)
	}
}

// TestMultiErrors: names OpenMulti refuses once it looks at the
// interfaces, each error naming the interface (TestOpenMultiRefuses has
// the others).
func TestMultiErrors(t *testing.T) {
	n := testutil.NewVethNS(t)
	for _, tc := range []struct {
		name  string
		names []string
		cfg   *MultiConfig
		want  string
		is    error
	}{
		{"same interface twice", []string{n.Host, "lo", n.Host}, nil, n.Host, ErrDuplicateInterface},
		{"interface that does not exist", []string{n.Host, "wknosuch0"}, nil, `"wknosuch0"`, nil},
		{"bad filter", []string{n.Host, "lo"}, &MultiConfig{Expr: "tcp port"}, "filter", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := OpenMulti(tc.names, tc.cfg)
			if err == nil {
				m.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("error %q, want it to contain %q (and match %v)", err, tc.want, tc.is)
			}
		})
	}
}

// TestMultiInterfaceGone: when one of two interfaces is deleted, a read
// returns its *InterfaceError (naming it) once, and the other interface's
// packets keep coming.
func TestMultiInterfaceGone(t *testing.T) {
	a, b := testutil.NewVethNS(t), testutil.NewVethNS(t)
	m, err := OpenMulti([]string{a.Host, b.Host}, &MultiConfig{Expr: "udp dst port 9999"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ipLink(t, "del", a.Host)
	var ie *InterfaceError
	var gone int
	got, sent := 0, false
	for end := time.Now().Add(5 * time.Second); got < 3 && time.Now().Before(end); {
		if gone == 1 && !sent {
			b.SendUDP(t, 9999, 3)
			sent = true
		}
		_, ci, err := m.ZeroCopyReadPacketData()
		switch {
		case errors.As(err, &ie):
			if ie.Name != a.Host || !errors.Is(err, ErrInterfaceGone) {
				t.Errorf("error %v, want %s gone", err, a.Host)
			}
			gone++
		case errors.Is(err, ErrTimeout):
		case err != nil:
			t.Fatal(err)
		case ci.InterfaceIndex != 1:
			t.Fatalf("packet from interface %d", ci.InterfaceIndex)
		default:
			got++
		}
	}
	if gone != 1 || got != 3 {
		t.Errorf("%d errors for the deleted interface, %d packets of the other; want 1 and 3", gone, got)
	}
}

// TestMultiMixedLinkTypes: an Ethernet veth and a raw-IP tun device in one
// Multi, the filter expression compiled for each: each packet comes with
// the index of its interface, whose link type is its own.
func TestMultiMixedLinkTypes(t *testing.T) {
	n := testutil.NewVethNS(t)
	tun, fd := makeTun(t)
	m, err := OpenMulti([]string{n.Host, tun}, &MultiConfig{Expr: "udp dst port 9999"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if ifs := m.Interfaces(); ifs[0].LinkType != layers.LinkTypeEthernet || ifs[1].LinkType != layers.LinkTypeRaw {
		t.Fatalf("link types %v %v, want Ethernet and RAW", ifs[0].LinkType, ifs[1].LinkType)
	}
	raw, err := filter.AppendFlowPacket(nil, layers.LinkTypeRaw, filter.Flow{Proto: filter.UDP,
		Src: netip.MustParseAddrPort("10.215.0.2:5000"), Dst: netip.MustParseAddrPort("10.215.0.1:9999")}, []byte("through the tunnel"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Write(fd, raw); err != nil {
		t.Fatal(err)
	}
	n.SendUDP(t, 9999, 1)
	var got [2]int
	for end := time.Now().Add(5 * time.Second); got[0]+got[1] < 2 && time.Now().Before(end); {
		data, ci, err := m.ZeroCopyReadPacketData()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ci.InterfaceIndex {
		case 1:
			if string(data) != string(raw) {
				t.Errorf("tun packet\n% x\nwant\n% x", data, raw)
			}
		case 0:
			if len(data) < 14 || data[12] != 0x08 || data[13] != 0x00 {
				t.Errorf("veth packet without its Ethernet header: % x", data)
			}
		}
		got[ci.InterfaceIndex]++
	}
	if got != [2]int{1, 1} {
		t.Errorf("packets per interface %v, want one each", got)
	}
}
