package capture

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

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
