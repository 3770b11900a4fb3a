package replay

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestGopherCapSkips: SkipOutOfOrder drops what comes earlier than a kept
// packet of its file (GopherCap's --skip-ooo) instead of reordering it,
// and MaxFrame drops frames longer than the limit (GopherCap's
// --skip-mtu); before these fields existed the packets were reordered
// and sent.
func TestGopherCapSkips(t *testing.T) {
	us := time.Microsecond
	path := writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0, id: 0}, {at: 300 * us, id: 3}, {at: 100 * us, id: 1},
		{at: 200 * us, id: 2}, {at: 400 * us, id: 4, size: 1600}, {at: 500 * us, id: 5, size: 1514}})
	files := mapFiles(t, path)
	for _, tc := range []struct {
		name          string
		cfg           Config
		ids           []uint16
		ooo, oversize int64
	}{
		{"reordered by default", Config{}, []uint16{0, 1, 2, 3, 4, 5}, 0, 0},
		{"skip out of order drops earlier packets", Config{SkipOutOfOrder: true}, []uint16{0, 3, 4, 5}, 2, 0},
		{"max frame drops longer frames", Config{MaxFrame: 1514}, []uint16{0, 1, 2, 3, 5}, 0, 1},
		{"both", Config{SkipOutOfOrder: true, MaxFrame: 1514}, []uint16{0, 3, 5}, 2, 1},
	} {
		clk := &fakeClock{}
		sink := &recordSink{clock: clk}
		cfg := tc.cfg
		cfg.Clock = clk
		st, err := Run(context.Background(), files, sink, &cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []uint16
		for _, g := range sink.got {
			ids = append(ids, ipID(g.data))
		}
		if !slices.Equal(ids, tc.ids) || st.OutOfOrder != tc.ooo || st.Oversize != tc.oversize {
			t.Errorf("%s: sent %v, out of order %d, oversize %d; want %v, %d, %d", tc.name, ids, st.OutOfOrder, st.Oversize, tc.ids, tc.ooo, tc.oversize)
		}
	}
	if _, err := Run(context.Background(), files, &NullSink{}, &Config{MaxFrame: -1}); err == nil {
		t.Error("a negative MaxFrame was accepted")
	}
}

// TestInner: Config.Inner sees every packet in order and can replace or
// drop it; dropped packets are counted, not sent.
func TestInner(t *testing.T) {
	us := time.Microsecond
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0, id: 0}, {at: 100 * us, id: 1}, {at: 200 * us, id: 2}, {at: 300 * us, id: 3}}))
	clk := &fakeClock{}
	sink := &recordSink{clock: clk}
	var seen []uint16
	cfg := &Config{Clock: clk, Inner: func(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) ([]byte, gopacket.CaptureInfo, bool) {
		id := ipID(data)
		seen = append(seen, id)
		if id%2 == 1 {
			return data, ci, false
		}
		ci.CaptureLength = 20
		return data[:20], ci, true
	}}
	st, err := Run(context.Background(), files, sink, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []uint16{0, 1, 2, 3}) || st.Dropped != 2 || st.Sent != 2 || len(sink.got) != 2 || len(sink.got[0].data) != 20 {
		t.Errorf("seen %v, dropped %d, sent %d (%d recorded); want all seen, 2 dropped, 2 sent cut to 20 bytes", seen, st.Dropped, st.Sent, len(sink.got))
	}
}
