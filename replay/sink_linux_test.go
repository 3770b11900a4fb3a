package replay

import (
	"context"
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/internal/testutil"
)

// captureInNS opens a capture of IPv4 packets on iface inside namespace
// ns, from a thread moved there for good (it ends with its goroutine).
func captureInNS(t *testing.T, ns, iface string) *capture.Handle {
	t.Helper()
	type result struct {
		h   *capture.Handle
		err error
	}
	ch := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
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
		h, err := capture.Open(iface, &capture.Config{ReadTimeout: 100 * time.Millisecond, RingMB: 64})
		ch <- result{h, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { r.h.Close() })
	return r.h
}

// TestInterfaceSinkGlobalOrder: three files whose packets interleave in
// time are replayed onto the host side of a veth pair, paced and at top
// speed; the capture on the peer holds every packet once, in timestamp
// order.
func TestInterfaceSinkGlobalOrder(t *testing.T) {
	n := testutil.NewVethNS(t)
	files := manyPackets(t, 3000, 1400)
	for _, cfg := range []Config{{Modifier: 10}, {TopSpeed: true}, {PPS: 20000}} {
		mode := map[bool]string{true: "top speed", false: "paced"}[cfg.TopSpeed]
		h := captureInNS(t, n.NS, n.Peer)
		sink, err := NewInterfaceSink(n.Host, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := Run(context.Background(), files, sink, &cfg)
		if err != nil {
			t.Fatal(err)
		}
		next := uint16(0)
		for int(next) < 3000 {
			data, _, err := h.ZeroCopyReadPacketData()
			if errors.Is(err, capture.ErrTimeout) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < 34 || data[12] != 8 || data[13] != 0 || data[26] != 10 || data[29] != 1 {
				continue // not ours: the namespace's own traffic
			}
			if id := ipID(data); id != next {
				t.Fatalf("%s: packet %d captured as number %d: lost, duplicated or out of order", mode, id, next)
			}
			next++
		}
		ws := sink.WriterStats()
		if next != 3000 || st.Sent != 3000 {
			t.Errorf("%s: captured %d, sent %d of 3000 (writer %+v)", mode, next, st.Sent, ws)
		}
		t.Logf("%s (%+v): %d frames in %d sendmmsg calls, %d retries, lag p50 %v p99 %v max %v", mode, cfg, ws.Frames, ws.Calls, ws.Retries, st.Lag.P50, st.Lag.P99, st.Lag.Max)
		h.Close()
	}
}

// TestInterfaceSinkOversize: the interface's MTU applies by default.
func TestInterfaceSinkOversize(t *testing.T) {
	n := testutil.NewVethNS(t)
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0, size: 1514}, {at: 1, size: 1515}}))
	sink, err := NewInterfaceSink(n.Host, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Run(context.Background(), files, sink, &Config{TopSpeed: true})
	var oe *OversizeError
	if !errors.As(err, &oe) || oe.MTU != 1500 || oe.Packet != 2 || st.Sent != 1 {
		t.Errorf("err %v, sent %d; want packet 2 refused for MTU 1500 after 1 sent", err, st.Sent)
	}
}
