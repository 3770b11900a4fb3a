package capture

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/testutil"
)

// sendFrames sends count 60-byte frames of ethertype 0x88b5 with port
// (bytes 14-15) out of iface; a capture on iface sees them leave.
func sendFrames(t *testing.T, iface string, port uint16, count int) {
	t.Helper()
	w, err := NewWriter(iface, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	frame := make([]byte, 60)
	copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5, byte(port >> 8), byte(port)})
	for range count {
		if err := w.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// TestReadDoesNotAllocate: reading packets from a retired block allocates
// nothing.
func TestReadDoesNotAllocate(t *testing.T) {
	n := testutil.NewVethNS(t)
	h, err := Open(n.Host, &Config{ReadTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// Five times the frames the reads below take: a loaded machine (CI)
	// has been seen to leave fewer than 300 in the ring.
	sendFrames(t, n.Host, 1, 500)
	time.Sleep(200 * time.Millisecond) // the block retires after the read timeout
	if _, _, err := h.ZeroCopyReadPacketData(); err != nil {
		t.Fatal(err)
	}
	var readErr error
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := h.ZeroCopyReadPacketData(); err != nil && readErr == nil {
			readErr = err
		}
	})
	if readErr != nil {
		st, _ := h.Stats()
		t.Fatalf("%v (the ring's counts: %+v)", readErr, st)
	}
	if allocs != 0 {
		t.Errorf("%v allocations per read, want 0", allocs)
	}
}

// TestCloseWakesRead: Close from another goroutine ends a read that waits
// for packets well before its timeout.
func TestCloseWakesRead(t *testing.T) {
	n := testutil.NewVethNS(t)
	h, err := Open(n.Host, &Config{ReadTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for {
			_, _, err := h.ZeroCopyReadPacketData()
			if err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != io.EOF {
			t.Errorf("read waiting when Close ran: %v, want io.EOF (gopacket's end of packets)", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("read returned %v after Close", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read still waiting 5 s after Close")
	}
	for _, read := range []func() ([]byte, gopacket.CaptureInfo, error){h.ZeroCopyReadPacketData, h.ReadPacketData} {
		if _, _, err := read(); err != io.EOF {
			t.Errorf("read on a closed handle: %v, want io.EOF", err)
		}
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestBlockForever: with ReadTimeout BlockForever a read waits past the
// default timeout without returning ErrTimeout, returns the packet that
// comes, and Close still ends a waiting read with io.EOF.
func TestBlockForever(t *testing.T) {
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
	type result struct {
		n   int
		err error
		at  time.Time
	}
	results := make(chan result, 4)
	go func() {
		for {
			data, _, err := h.ZeroCopyReadPacketData()
			results <- result{len(data), err, time.Now()}
			if err != nil {
				return
			}
		}
	}()
	select {
	case r := <-results:
		t.Fatalf("read returned %d bytes, %v with no traffic; want it to wait", r.n, r.err)
	case <-time.After(400 * time.Millisecond): // 4 default timeouts
	}
	n.SendUDP(t, 9999, 1)
	select {
	case r := <-results:
		if r.err != nil || r.n < 42 {
			t.Fatalf("read returned %d bytes, %v; want the UDP packet", r.n, r.err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the packet sent did not end the read")
	}
	time.Sleep(100 * time.Millisecond)
	closed := time.Now()
	h.Close()
	select {
	case r := <-results:
		if r.err != io.EOF {
			t.Errorf("read waiting when Close ran: %d bytes, %v; want io.EOF", r.n, r.err)
		}
		if d := r.at.Sub(closed); d > time.Second {
			t.Errorf("read ended %v after Close", d)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Close did not end the read")
	}
}

// TestNoPacketBeforeFilter: while frames the filter rejects stream out of
// the interface, handles opened with that filter never see one: the
// socket receives nothing until the filter is attached, so no user-space
// pass is needed (and none runs for a filter the kernel runs).
func TestNoPacketBeforeFilter(t *testing.T) {
	n := testutil.NewVethNS(t)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w, err := NewWriter(n.Host, nil)
		if err != nil {
			t.Error(err)
			return
		}
		defer w.Close()
		frame := make([]byte, 60)
		copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5})
		for !stop.Load() {
			if err := w.Write(frame); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	for range 20 {
		h := openFiltered(t, n.Host, "udp dst port 9999")
		if h.prog != nil {
			t.Fatal("the filter runs in user space too, want it in the kernel only")
		}
		for {
			data, _, err := h.ZeroCopyReadPacketData()
			if errors.Is(err, ErrTimeout) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Fatalf("a packet the filter rejects was read: % x", data)
		}
		h.Close()
	}
	if h := openFiltered(t, n.Host, "vlan and udp"); h.prog == nil {
		t.Error("a VLAN filter is not run in user space")
	}
}

// TestCloseWhileReading: Close from another goroutine while a reader
// walks blocks full of packets never crashes the reader, which ends with
// an error.
func TestCloseWhileReading(t *testing.T) {
	n := testutil.NewVethNS(t)
	for i := range 20 {
		h, err := Open(n.Host, &Config{ReadTimeout: 20 * time.Millisecond, RingKiB: 512})
		if err != nil {
			t.Fatal(err)
		}
		sendFrames(t, n.Host, 2, 2000)
		done := make(chan error, 1)
		go func() {
			for {
				data, _, err := h.ZeroCopyReadPacketData()
				if err != nil && !errors.Is(err, ErrTimeout) {
					done <- err
					return
				}
				for _, b := range data {
					_ = b // touch the bytes, as a caller would
				}
			}
		}()
		time.Sleep(time.Duration(i%5) * time.Millisecond)
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("reader still running 5 s after Close")
		}
	}
}
