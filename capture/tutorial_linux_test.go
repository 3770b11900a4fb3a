package capture_test

import (
	"os"
	"os/exec"
	"os/signal"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// TestTutorialLiveCtrlC is the classic gopacket tutorial on wirekit's
// public API: open a live capture, range over
// gopacket.NewPacketSource(handle, ...).Packets(), and on Ctrl-C close the
// handle from a signal goroutine. Inside a namespace the test makes,
// traffic flows; the test then sends itself SIGINT, and the loop must end
// within a second (it used to spin forever on a private "closed" error).
func TestTutorialLiveCtrlC(t *testing.T) {
	n := testutil.NewVethNS(t) // skips with the reason when not root

	handle, err := capture.Open(n.Host, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer handle.Close()

	// The tutorial's Ctrl-C handling: close the handle on SIGINT.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			handle.Close()
		}
	}()

	var stopSending atomic.Bool
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for !stopSending.Load() {
			n.SendUDP(t, 9999, 2)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	defer func() { stopSending.Store(true); <-sent }() // before the namespace goes

	var interrupted atomic.Int64 // unix nanoseconds when SIGINT was sent
	done := make(chan int, 1)
	go func() {
		udp := 0
		packetSource := gopacket.NewPacketSource(handle, handle.LinkType())
		for packet := range packetSource.Packets() {
			if l, ok := packet.Layer(layers.LayerTypeUDP).(*layers.UDP); ok && l.DstPort == 9999 {
				udp++
			}
			if udp == 5 && interrupted.Load() == 0 {
				interrupted.Store(time.Now().UnixNano())
				syscall.Kill(os.Getpid(), syscall.SIGINT)
			}
		}
		done <- udp
	}()
	select {
	case udp := <-done:
		ended := time.Now()
		at := interrupted.Load()
		if at == 0 {
			t.Fatalf("the loop ended after %d UDP packets, before Ctrl-C", udp)
		}
		if d := ended.Sub(time.Unix(0, at)); d > time.Second {
			t.Errorf("the loop ended %v after Ctrl-C, want within a second", d)
		}
	case <-time.After(10 * time.Second):
		if interrupted.Load() == 0 {
			t.Fatal("no traffic seen in 10 s")
		}
		t.Fatal("range Packets() still running 10 s after Ctrl-C closed the handle")
	}
}

// TestTutorialInterfaceGone: the same loop ends on its own when the
// interface captured on is deleted, every packet sent before it included
// (the end matches io.ErrUnexpectedEOF, one of the errors gopacket stops
// at); it used to spin on read timeouts forever.
func TestTutorialInterfaceGone(t *testing.T) {
	n := testutil.NewVethNS(t)
	prog, err := filter.Compile("udp dst port 9999", layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	handle, err := capture.Open(n.Host, &capture.Config{Filter: prog})
	if err != nil {
		t.Fatal(err)
	}
	defer handle.Close()
	done := make(chan int, 1)
	go func() {
		got := 0
		for range gopacket.NewPacketSource(handle, handle.LinkType()).Packets() {
			got++
		}
		done <- got
	}()
	n.SendUDP(t, 9999, 5)
	if out, err := exec.Command("ip", "link", "del", n.Host).CombinedOutput(); err != nil {
		t.Fatalf("ip link del %s: %v %s", n.Host, err, out)
	}
	select {
	case got := <-done:
		if got != 5 {
			t.Errorf("%d packets before the loop ended, want the 5 sent", got)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("range Packets() still running 3 s after the interface was deleted")
	}
}
