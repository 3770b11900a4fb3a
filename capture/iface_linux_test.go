package capture

import (
	"errors"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// readUntilErr reads packets until a read returns an error other than a
// plain timeout (or until d passes: nil); it returns the packets read and
// that error.
func readUntilErr(t *testing.T, h *Handle, d time.Duration) (int, error) {
	t.Helper()
	got := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		_, _, err := h.ZeroCopyReadPacketData()
		var ie *InterfaceError
		switch {
		case err == nil:
			got++
		case errors.As(err, &ie):
			return got, err
		case errors.Is(err, ErrTimeout):
		default:
			return got, err
		}
	}
	return got, nil
}

func ipLink(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", append([]string{"link"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("ip link %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// TestInterfaceGone: a capture whose interface is deleted or moved to
// another namespace ends within a second or two: the packets sent before
// are all read, then an *InterfaceError that matches ErrInterfaceGone,
// io.ErrUnexpectedEOF (gopacket's end) and ENETDOWN, then io.EOF. It used
// to return read timeouts forever. No "down" error comes first (a
// deletion starts with the interface going down).
func TestInterfaceGone(t *testing.T) {
	for _, tc := range []struct {
		name string
		kill func(t *testing.T, n *testutil.VethNS)
	}{
		{"deleted interface not reported", func(t *testing.T, n *testutil.VethNS) { ipLink(t, "del", n.Host) }},
		{"interface moved to another namespace not reported", func(t *testing.T, n *testutil.VethNS) { ipLink(t, "set", n.Host, "netns", n.NS) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := testutil.NewVethNS(t)
			h := openFilteredTimeout(t, n.Host, "udp dst port 9999", 100*time.Millisecond)
			n.SendUDP(t, 9999, 20)
			tc.kill(t, n)
			start := time.Now()
			got, err := readUntilErr(t, h, 5*time.Second)
			if err == nil {
				t.Fatalf("still reading 5 s after the interface went away (%d packets)", got)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the end was reported after %v", d)
			}
			if got != 20 {
				t.Errorf("%d of the 20 packets sent before the interface went were read", got)
			}
			var ie *InterfaceError
			if !errors.As(err, &ie) || !ie.Gone || ie.Name != n.Host {
				t.Fatalf("error %v (%#v), want an *InterfaceError naming %s, Gone", err, ie, n.Host)
			}
			for _, target := range []error{ErrInterfaceGone, io.ErrUnexpectedEOF, syscall.ENETDOWN} {
				if !errors.Is(err, target) {
					t.Errorf("%v does not match %v", err, target)
				}
			}
			for _, target := range []error{ErrInterfaceDown, ErrTimeout} {
				if errors.Is(err, target) {
					t.Errorf("%v matches %v", err, target)
				}
			}
			if !strings.Contains(err.Error(), n.Host) || !strings.Contains(err.Error(), "disappeared") {
				t.Errorf("message %q does not say which interface disappeared", err)
			}
			if _, _, err := h.ZeroCopyReadPacketData(); err != io.EOF {
				t.Errorf("read after the end: %v, want io.EOF", err)
			}
		})
	}
}

// TestInterfaceDownAndUp: an interface set down is reported once, as a
// timeout (ErrInterfaceDown and ErrTimeout, Timeout() true), and the
// capture goes on: set up again, its packets come, plain timeouts follow;
// deleted after that, the end is reported.
func TestInterfaceDownAndUp(t *testing.T) {
	n := testutil.NewVethNS(t)
	h := openFilteredTimeout(t, n.Host, "udp dst port 9999", 100*time.Millisecond)
	n.SendUDP(t, 9999, 5)
	ipLink(t, "set", n.Host, "down")
	start := time.Now()
	got, err := readUntilErr(t, h, 3*time.Second)
	if err == nil {
		t.Fatal("no error 3 s after the interface went down")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("down reported after %v", d)
	}
	if got != 5 {
		t.Errorf("%d of the 5 packets sent before the interface went down were read", got)
	}
	var ie *InterfaceError
	if !errors.As(err, &ie) || ie.Gone || ie.Name != n.Host {
		t.Fatalf("error %v, want an *InterfaceError naming %s, not Gone", err, n.Host)
	}
	for _, target := range []error{ErrInterfaceDown, ErrTimeout, syscall.ENETDOWN} {
		if !errors.Is(err, target) {
			t.Errorf("%v does not match %v", err, target)
		}
	}
	if errors.Is(err, ErrInterfaceGone) || errors.Is(err, io.ErrUnexpectedEOF) || !ie.Timeout() || !ie.Temporary() {
		t.Errorf("%v: a down interface must read as a timeout, not an end", err)
	}
	// Still down: later timeouts say so.
	if _, _, err := h.ZeroCopyReadPacketData(); !errors.Is(err, ErrInterfaceDown) {
		t.Errorf("read while still down: %v, want ErrInterfaceDown", err)
	}

	ipLink(t, "set", n.Host, "up")
	if out, err := exec.Command("ip", "-n", n.NS, "link", "set", n.Peer, "up").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	got = 0
	for end := time.Now().Add(8 * time.Second); got < 3 && time.Now().Before(end); {
		n.SendUDP(t, 9999, 1) // the first may go before neighbour discovery is done
		for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); {
			_, _, err := h.ZeroCopyReadPacketData()
			if err == nil {
				got++
			}
		}
	}
	if got < 3 {
		t.Fatalf("%d packets after the interface came back up, want 3", got)
	}
	for range 3 {
		if _, _, err := h.ZeroCopyReadPacketData(); err != ErrTimeout {
			t.Errorf("read with the interface up and no traffic: %v, want ErrTimeout", err)
		}
	}
	ipLink(t, "del", n.Host)
	if _, err := readUntilErr(t, h, 3*time.Second); !errors.Is(err, ErrInterfaceGone) {
		t.Errorf("after deletion: %v, want ErrInterfaceGone", err)
	}
}

// TestInterfaceGoneBlockForever: a read that blocks forever also ends when
// its interface is deleted.
func TestInterfaceGoneBlockForever(t *testing.T) {
	n := testutil.NewVethNS(t)
	prog, err := filter.Compile("udp dst port 9999", layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(n.Host, &Config{Filter: prog, ReadTimeout: BlockForever})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	done := make(chan error, 1)
	go func() {
		for {
			if _, _, err := h.ZeroCopyReadPacketData(); err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	ipLink(t, "del", n.Host)
	select {
	case err := <-done:
		if !errors.Is(err, ErrInterfaceGone) {
			t.Errorf("read ended with %v, want ErrInterfaceGone", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("a blocking read still waits 3 s after its interface was deleted")
	}
}

func openFilteredTimeout(t *testing.T, iface, expr string, timeout time.Duration) *Handle {
	t.Helper()
	prog, err := filter.Compile(expr, layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(iface, &Config{Filter: prog, ReadTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}
