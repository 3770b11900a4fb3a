package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// seqFrame writes a broadcast frame of size bytes with the local
// experimental ethertype 0x88b5 and seq in its first payload bytes.
func seqFrame(b []byte, size int, seq uint32) []byte {
	b = b[:size]
	clear(b)
	copy(b, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5})
	binary.BigEndian.PutUint32(b[14:], seq)
	return b
}

// TestWriterDeliversInOrder: frames written in batches on the host side of
// a veth pair are all captured, once each and in order, inside the
// namespace; the writer's counts agree.
func TestWriterDeliversInOrder(t *testing.T) {
	n := testutil.NewVethNS(t)
	for _, wc := range []WriterConfig{{Batch: 1}, {Batch: 7}, {Batch: 64}, {Batch: 64, TxRing: true}, {Batch: 1, TxRing: true}} {
		batch := wc.Batch
		t.Run(fmt.Sprintf("batch %d ring %v", batch, wc.TxRing), func(t *testing.T) {
			h, err := openInNS(n.NS, n.Peer, &Config{ReadTimeout: 50 * time.Millisecond, RingMB: 64})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			w, err := NewWriter(n.Host, &wc)
			if err != nil {
				t.Fatal(err)
			}
			const count = 3000
			buf := make([]byte, 1514)
			for i := range count {
				if err := w.Write(seqFrame(buf, 60+i%1454, uint32(i))); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			st := w.Stats()
			if st.Frames != count || (batch > 1 && st.Calls >= count) {
				t.Errorf("writer stats %+v: want %d frames in fewer calls", st, count)
			}
			next := uint32(0)
			for next < count {
				data, _, err := h.ZeroCopyReadPacketData()
				if errors.Is(err, ErrTimeout) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(data) < 18 || data[12] != 0x88 || data[13] != 0xb5 {
					continue // the namespace's own traffic
				}
				if seq := binary.BigEndian.Uint32(data[14:]); seq != next {
					t.Fatalf("frame %d arrived as number %d: lost, duplicated or reordered", seq, next)
				}
				if want := 60 + int(next)%1454; len(data) != want {
					t.Fatalf("frame %d is %d bytes, want %d", next, len(data), want)
				}
				next++
			}
			if next != count {
				t.Errorf("captured %d of %d frames (writer retried %d times)", next, count, st.Retries)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	n := testutil.NewVethNS(t)
	w, err := NewWriter(n.Host, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, tc := range []struct {
		name string
		size int
		vlan bool
		ok   bool
	}{
		{"MTU-sized", 1514, false, true},
		{"one byte over", 1515, false, false},
		{"tagged MTU-sized", 1518, true, true},
		{"tagged over", 1519, true, false},
		{"QinQ, 4 bytes over", 1522, false, false},
	} {
		f := make([]byte, tc.size)
		copy(f[12:], []byte{0x88, 0xb5})
		if strings.HasPrefix(tc.name, "QinQ") {
			copy(f[12:], []byte{0x88, 0xa8, 0, 1, 0x81, 0, 0, 2, 0x88, 0xb5})
		}
		if tc.vlan {
			copy(f[12:], []byte{0x81, 0, 0, 1, 0x88, 0xb5})
		}
		err := w.Write(f)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrFrameTooLong)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := w.Write(make([]byte, 13)); err == nil {
		t.Error("a 13-byte frame was accepted")
	}
	if _, err := NewWriter("nonexistent0", nil); err == nil {
		t.Error("unknown interface accepted")
	}
	w.Close()
	if err := w.Write(make([]byte, 60)); err == nil {
		t.Error("write after Close accepted")
	}
}

func TestWriterDoesNotAllocate(t *testing.T) {
	n := testutil.NewVethNS(t)
	w, err := NewWriter(n.Host, &WriterConfig{Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f := seqFrame(make([]byte, 100), 100, 1)
	if a := testing.AllocsPerRun(1000, func() { w.Write(f) }); a != 0 {
		t.Errorf("%v allocations per Write", a)
	}
}

// BenchmarkWriter sends 1000-byte frames onto a veth pair made for the
// benchmark (both ends in this namespace; the peer's stack drops the
// unknown ethertype), one sendmmsg per Batch frames.
func BenchmarkWriter(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root")
	}
	host, peer := fmt.Sprintf("wkbh%d", os.Getpid()%100000), fmt.Sprintf("wkbp%d", os.Getpid()%100000)
	for _, args := range [][]string{{"link", "add", host, "type", "veth", "peer", "name", peer}, {"link", "set", host, "up"}, {"link", "set", peer, "up"}} {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			b.Skipf("ip %v: %v: %s", args, err, out)
		}
	}
	b.Cleanup(func() { exec.Command("ip", "link", "del", host).Run() })
	for _, cfg := range []WriterConfig{{Batch: 1}, {Batch: 64}, {Batch: 64, QdiscBypass: true}, {Batch: 64, TxRing: true}, {Batch: 256, TxRing: true}} {
		b.Run(fmt.Sprintf("batch=%d,bypass=%v,ring=%v", cfg.Batch, cfg.QdiscBypass, cfg.TxRing), func(b *testing.B) {
			w, err := NewWriter(host, &cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			f := seqFrame(make([]byte, 1000), 1000, 0)
			b.ReportAllocs()
			b.SetBytes(1000)
			for b.Loop() {
				if err := w.Write(f); err != nil {
					b.Fatal(err)
				}
			}
			w.Flush()
		})
	}
}
