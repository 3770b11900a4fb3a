package replay

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
)

// interleaved writes three files whose packets alternate in time: file i
// holds the packets at i, i+3, i+6, ... (in units of 100 µs, with the IP
// id giving the global rank), plus a burst of 1 µs gaps in file 0 and a
// 1 s gap at the end of file 2.
func interleaved(t *testing.T) (paths []string, want []time.Duration) {
	t.Helper()
	dir := t.TempDir()
	var per [3][]pkt
	var all []pkt
	at := time.Duration(0)
	for i := range 30 {
		switch {
		case i >= 10 && i < 14:
			at += time.Microsecond
		case i == 29:
			at += time.Second
		default:
			at += 100 * time.Microsecond
		}
		p := pkt{at: at, id: uint16(i), udp: i%2 == 0}
		per[i%3] = append(per[i%3], p)
		all = append(all, p)
	}
	for i := range per {
		paths = append(paths, writeFile(t, dir, "f"+string(rune('0'+i))+".pcap", per[i]))
	}
	for _, p := range all {
		want = append(want, p.at-all[0].at)
	}
	return paths, want
}

func TestGlobalOrderAndSchedule(t *testing.T) {
	paths, rel := interleaved(t)
	files := mapFiles(t, paths...)
	tests := []struct {
		name string
		mod  float64
	}{
		{"1x", 1}, {"0.5x", 0.5}, {"2x", 2}, {"3.7x", 3.7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{}
			sink := &recordSink{clock: clk}
			st, err := Run(context.Background(), files, sink, &Config{Modifier: tc.mod, Clock: clk})
			if err != nil {
				t.Fatal(err)
			}
			if st.Sent != int64(len(rel)) || len(sink.got) != len(rel) {
				t.Fatalf("sent %d (sink saw %d), want %d", st.Sent, len(sink.got), len(rel))
			}
			for i, g := range sink.got {
				if id := ipID(g.data); id != uint16(i) {
					t.Fatalf("packet %d: got IP id %d: global order broken", i, id)
				}
				want := time.Duration(math.Round(float64(rel[i]) / tc.mod))
				if g.at != want {
					t.Errorf("packet %d sent at %v, want %v", i, g.at, want)
				}
			}
			if st.Lag.Max != 0 || st.Lag.Count != int64(len(rel)) {
				t.Errorf("lag %+v: a fake clock never runs late", st.Lag)
			}
			if !sink.closed {
				t.Error("sink not closed")
			}
		})
	}
}

func TestScaleTo(t *testing.T) {
	paths, rel := interleaved(t)
	files := mapFiles(t, paths...)
	for _, d := range []time.Duration{time.Second, 10 * time.Millisecond, time.Minute} {
		clk := &fakeClock{}
		sink := &recordSink{clock: clk}
		if _, err := Run(context.Background(), files, sink, &Config{ScaleTo: d, Clock: clk}); err != nil {
			t.Fatal(err)
		}
		last := sink.got[len(sink.got)-1].at
		if diff := last - d; diff < -time.Microsecond || diff > time.Microsecond {
			t.Errorf("scaled to %v: last packet at %v", d, last)
		}
		mid := sink.got[15].at
		want := time.Duration(float64(rel[15]) * float64(d) / float64(rel[len(rel)-1]))
		if diff := mid - want; diff < -time.Microsecond || diff > time.Microsecond {
			t.Errorf("scaled to %v: packet 15 at %v, want %v", d, mid, want)
		}
	}
}

func TestLoops(t *testing.T) {
	dir := t.TempDir()
	// 4 packets over 300 µs: mean gap 100 µs, so loop i is shifted by
	// i*400 µs.
	path := writeFile(t, dir, "a.pcap", []pkt{{at: 0}, {at: 100 * time.Microsecond}, {at: 150 * time.Microsecond}, {at: 300 * time.Microsecond}})
	files := mapFiles(t, path)
	clk := &fakeClock{}
	sink := &recordSink{clock: clk}
	st, err := Run(context.Background(), files, sink, &Config{Loops: 3, KeepTimestamps: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 12 || st.Loops != 3 {
		t.Fatalf("sent %d in %d loops, want 12 in 3", st.Sent, st.Loops)
	}
	base := []time.Duration{0, 100 * time.Microsecond, 150 * time.Microsecond, 300 * time.Microsecond}
	for i, g := range sink.got {
		want := base[i%4] + time.Duration(i/4)*400*time.Microsecond
		if g.at != want {
			t.Errorf("packet %d (loop %d) sent at %v, want %v", i, i/4, g.at, want)
		}
		if kept := g.ci.Timestamp.Sub(t0); kept != want {
			t.Errorf("packet %d kept timestamp t0+%v, want t0+%v", i, kept, want)
		}
	}
}

func TestLoopForeverStopsOnCancel(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0}, {at: time.Millisecond}})
	files := mapFiles(t, path)
	clk := &fakeClock{}
	ctx, cancel := context.WithCancel(context.Background())
	sink := &cancelSink{recordSink: recordSink{clock: clk}, after: 1001, cancel: cancel}
	st, err := Run(ctx, files, sink, &Config{Loops: -1, Clock: clk})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if st.Sent < 1001 || st.Sent > 1001+256 || st.Loops < 500 {
		t.Errorf("sent %d in %d loops after cancel at 1001", st.Sent, st.Loops)
	}
	if !sink.closed {
		t.Error("sink not closed after cancel")
	}
}

type cancelSink struct {
	recordSink
	after  int
	cancel func()
}

func (s *cancelSink) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if err := s.recordSink.WritePacket(ci, data); err != nil {
		return err
	}
	if len(s.got) == s.after {
		s.cancel()
	}
	return nil
}

func TestTimeWindow(t *testing.T) {
	paths, rel := interleaved(t)
	files := mapFiles(t, paths...)
	tests := []struct {
		name     string
		from, to time.Duration // from t0; -1 means unset
		first    int           // first packet (IP id) inside
		n        int
	}{
		{"from", rel[5] + 100*time.Microsecond, -1, 5, 25},
		{"to", -1, rel[20] + 100*time.Microsecond, 0, 21},
		{"both", rel[3] + 100*time.Microsecond, rel[12] + 100*time.Microsecond, 3, 10},
		{"exact edges", rel[3] + 100*time.Microsecond, rel[12] + 100*time.Microsecond + 1, 3, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			// rel is from the first packet, at t0+100µs.
			if tc.from >= 0 {
				c.From = t0.Add(tc.from)
			}
			if tc.to >= 0 {
				c.To = t0.Add(tc.to)
			}
			clk := &fakeClock{}
			c.Clock = clk
			sink := &recordSink{clock: clk}
			st, err := Run(context.Background(), files, sink, c)
			if err != nil {
				t.Fatal(err)
			}
			if len(sink.got) != tc.n || st.Skipped != int64(30-tc.n) {
				t.Fatalf("sent %d skipped %d, want %d and %d", len(sink.got), st.Skipped, tc.n, 30-tc.n)
			}
			for i, g := range sink.got {
				id := tc.first + i
				if ipID(g.data) != uint16(id) {
					t.Fatalf("packet %d has id %d, want %d", i, ipID(g.data), id)
				}
				if want := rel[id] - rel[tc.first]; g.at != want {
					t.Errorf("packet %d at %v, want %v (no waiting for skipped packets)", i, g.at, want)
				}
			}
		})
	}
}

func TestWindowLeavesOutWholeFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.pcap", []pkt{{at: 0}, {at: time.Second}})
	b := writeFile(t, dir, "b.pcap", []pkt{{at: time.Hour, id: 1}, {at: time.Hour + time.Second, id: 2}})
	files := mapFiles(t, a, b)
	files[0].Path = filepath.Join(dir, "gone.pcap") // never opened
	clk := &fakeClock{}
	sink := &recordSink{clock: clk}
	st, err := Run(context.Background(), files, sink, &Config{From: t0.Add(time.Minute), Clock: clk, Loops: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 4 || st.Skipped != 4 || sink.got[1].at != time.Second {
		t.Errorf("two loops: sent %d skipped %d, second at %v; want 4, 4, 1s", st.Sent, st.Skipped, sink.got[1].at)
	}
}

func TestWaitDisable(t *testing.T) {
	dir := t.TempDir()
	// Two files an hour apart: with NoWait both start at once.
	a := writeFile(t, dir, "a.pcap", []pkt{{at: 0, id: 1}, {at: 300 * time.Microsecond, id: 4}})
	b := writeFile(t, dir, "b.pcap", []pkt{{at: time.Hour + 100*time.Microsecond, id: 2}, {at: time.Hour + 200*time.Microsecond, id: 3}})
	files := mapFiles(t, a, b)
	for _, tc := range []struct {
		noWait bool
		ids    []uint16
		at     []time.Duration
	}{
		{false, []uint16{1, 4, 2, 3}, []time.Duration{0, 300 * time.Microsecond, time.Hour + 100*time.Microsecond, time.Hour + 200*time.Microsecond}},
		// Each file starts at 0: b's packets move back by its delay (1h100µs).
		{true, []uint16{1, 2, 3, 4}, []time.Duration{0, 0, 100 * time.Microsecond, 300 * time.Microsecond}},
	} {
		clk := &fakeClock{}
		sink := &recordSink{clock: clk}
		if _, err := Run(context.Background(), files, sink, &Config{NoWait: tc.noWait, Clock: clk}); err != nil {
			t.Fatal(err)
		}
		var ids []uint16
		var at []time.Duration
		for _, g := range sink.got {
			ids, at = append(ids, ipID(g.data)), append(at, g.at)
		}
		if !slices.Equal(ids, tc.ids) || !slices.Equal(at, tc.at) {
			t.Errorf("NoWait=%v: ids %v at %v, want %v at %v", tc.noWait, ids, at, tc.ids, tc.at)
		}
	}
}

func TestExclude(t *testing.T) {
	paths, rel := interleaved(t)
	files := mapFiles(t, paths...)
	clk := &fakeClock{}
	sink := &recordSink{clock: clk}
	st, err := Run(context.Background(), files, sink, &Config{Exclude: "udp", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	// Even ids are UDP: exactly the 15 odd ones remain, on schedule.
	if st.Filtered != 15 || len(sink.got) != 15 {
		t.Fatalf("filtered %d, sent %d; want 15 and 15", st.Filtered, len(sink.got))
	}
	for i, g := range sink.got {
		id := int(ipID(g.data))
		if id != 2*i+1 {
			t.Errorf("packet %d: id %d, want %d", i, id, 2*i+1)
		}
		if g.at != rel[id] {
			t.Errorf("packet %d at %v, want %v", i, g.at, rel[id])
		}
	}
	if _, err := Run(context.Background(), files, &recordSink{clock: clk}, &Config{Exclude: "udp port", Clock: clk}); err == nil {
		t.Error("a bad filter expression was accepted")
	}
}

func TestOversize(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "a.pcap", []pkt{{at: 0, id: 1, size: 1514}, {at: time.Millisecond, id: 2, size: 1515}, {at: 2 * time.Millisecond, id: 3, size: 900}})
	files := mapFiles(t, path)
	tests := []struct {
		name    string
		policy  Oversize
		sizes   []int
		wantErr bool
	}{
		{"stop", OversizeStop, []int{1514}, true},
		{"truncate", OversizeTruncate, []int{1514, 1514, 900}, false},
		{"skip", OversizeSkip, []int{1514, 900}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{}
			sink := &recordSink{clock: clk, mtu: 1500}
			st, err := Run(context.Background(), files, sink, &Config{Oversize: tc.policy, Clock: clk})
			var oe *OversizeError
			if tc.wantErr {
				if !errors.As(err, &oe) || oe.Packet != 2 || oe.Len != 1515 || oe.Max != 1514 || oe.MTU != 1500 {
					t.Fatalf("err %v, want an OversizeError for packet 2 (1515 > 1514)", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			for _, g := range sink.got {
				sizes = append(sizes, len(g.data))
				if g.ci.CaptureLength != len(g.data) {
					t.Errorf("capture length %d for %d bytes", g.ci.CaptureLength, len(g.data))
				}
			}
			if !slices.Equal(sizes, tc.sizes) || st.Oversize != 1 {
				t.Errorf("sizes %v oversize %d, want %v and 1", sizes, st.Oversize, tc.sizes)
			}
		})
	}
	// The configured MTU overrides the sink's; an 802.1Q tag adds 4
	// bytes, a QinQ pair no more (as Linux allows).
	for _, tc := range []struct {
		name  string
		frame []byte
		want  int
	}{
		{"plain", []byte{12: 0x08, 13: 0}, 14},
		{"802.1Q", []byte{12: 0x81, 13: 0, 16: 0x08, 17: 0}, 18},
		{"QinQ", []byte{12: 0x88, 13: 0xa8, 16: 0x81, 17: 0, 20: 0x08, 21: 0}, 14},
	} {
		if got := linkHeader(1, tc.frame); got != tc.want {
			t.Errorf("%s: link header %d, want %d", tc.name, got, tc.want)
		}
	}
	clk := &fakeClock{}
	if _, err := Run(context.Background(), files, &recordSink{clock: clk}, &Config{MTU: 886, Clock: clk}); !errors.Is(err, ErrOversize) {
		t.Errorf("MTU 886: err %v, want ErrOversize for the first packet", err)
	}
}

func TestFixedRates(t *testing.T) {
	paths, _ := interleaved(t)
	files := mapFiles(t, paths...)
	tests := []struct {
		name string
		cfg  Config
		want func(i int, bytesBefore int) time.Duration
	}{
		{"pps 1000", Config{PPS: 1000}, func(i, _ int) time.Duration { return time.Duration(i) * time.Millisecond }},
		{"pps 3", Config{PPS: 3}, func(i, _ int) time.Duration { return time.Duration(float64(i) * 1e9 / 3) }},
		{"mbps 8", Config{Mbps: 8}, func(_, b int) time.Duration { return time.Duration(b) * time.Microsecond }},
		{"topspeed", Config{TopSpeed: true}, func(int, int) time.Duration { return 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{}
			tc.cfg.Clock = clk
			sink := &recordSink{clock: clk}
			if _, err := Run(context.Background(), files, sink, &tc.cfg); err != nil {
				t.Fatal(err)
			}
			b := 0
			for i, g := range sink.got {
				if w := tc.want(i, b); g.at != w {
					t.Errorf("packet %d at %v, want %v", i, g.at, w)
				}
				b += len(g.data)
			}
		})
	}
}

func TestLagIsReported(t *testing.T) {
	dir := t.TempDir()
	var pkts []pkt
	for i := range 100 {
		pkts = append(pkts, pkt{at: time.Duration(i) * time.Millisecond})
	}
	files := mapFiles(t, writeFile(t, dir, "a.pcap", pkts))
	clk := &fakeClock{}
	// The sink needs 1.5 ms per packet for 1 ms gaps. The schedule is
	// anchored when the first packet has left (at 1.5 ms), so packet i
	// is due at (1.5 + i) ms; from packet 1 on it goes out at
	// (1.5*i + 1) ms, 0.5*(i-1) ms late, and the schedule does not slip.
	sink := &recordSink{clock: clk, cost: 1500 * time.Microsecond}
	st, err := Run(context.Background(), files, sink, &Config{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range sink.got {
		want := time.Duration(1500*i+1000) * time.Microsecond
		if i == 0 {
			want = 0
		}
		if g.at != want {
			t.Fatalf("packet %d at %v, want %v", i, g.at, want)
		}
	}
	if st.Lag.Max != 49*time.Millisecond || st.Behind != st.Lag.Max || st.Lag.Over1ms != 96 {
		t.Errorf("lag %+v behind %v, want max and last 49 ms, 96 over 1 ms", st.Lag, st.Behind)
	}
	if p50 := st.Lag.P50; p50 < 23*time.Millisecond || p50 > 25*time.Millisecond {
		t.Errorf("p50 lag %v, want about 24 ms", p50)
	}
}

func TestStatsReports(t *testing.T) {
	dir := t.TempDir()
	var pkts []pkt
	for i := range 11 {
		pkts = append(pkts, pkt{at: time.Duration(i) * time.Second})
	}
	files := mapFiles(t, writeFile(t, dir, "a.pcap", pkts))
	clk := &fakeClock{}
	var got []int64
	_, err := Run(context.Background(), files, &recordSink{clock: clk}, &Config{Clock: clk, StatsEvery: 2 * time.Second,
		OnStats: func(s Stats) { got = append(got, s.Sent) }})
	if err != nil {
		t.Fatal(err)
	}
	// Reports at 2, 4, 6, 8, 10 s: before the packet due then is sent.
	if !slices.Equal(got, []int64{2, 4, 6, 8, 10}) {
		t.Errorf("reports saw %v sent", got)
	}
}

func TestFileSink(t *testing.T) {
	paths, rel := interleaved(t)
	files := mapFiles(t, paths...)
	for _, keep := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "out.pcapng")
		clk := &fakeClock{}
		start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := Run(context.Background(), files, NewFileSink(out, &pcapio.WriteOptions{Nanosecond: true}), &Config{Modifier: 2, Clock: clk, Start: start, KeepTimestamps: keep}); err != nil {
			t.Fatal(err)
		}
		r, err := pcapio.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			data, ci, err := r.ReadPacketData()
			if err == io.EOF {
				if i != len(rel) {
					t.Errorf("keep=%v: %d packets in the file, want %d", keep, i, len(rel))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			want := start.Add(rel[i] / 2)
			if keep {
				want = t0.Add(100*time.Microsecond + rel[i])
			}
			if !ci.Timestamp.Equal(want) || ipID(data) != uint16(i) {
				t.Errorf("keep=%v: packet %d id %d at %v, want id %d at %v", keep, i, ipID(data), ci.Timestamp, i, want)
			}
		}
		r.Close()
	}
}

func TestConfigErrors(t *testing.T) {
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0}}))
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"negative modifier", Config{Modifier: -1}},
		{"NaN modifier", Config{Modifier: math.NaN()}},
		{"two modes", Config{TopSpeed: true, PPS: 10}},
		{"window backwards", Config{From: t0.Add(time.Hour), To: t0}},
		{"negative MTU", Config{MTU: -1}},
		{"scale without span", Config{ScaleTo: time.Second}},
		{"window outside", Config{From: t0.Add(time.Hour)}},
	} {
		if _, err := Run(context.Background(), files, &recordSink{clock: &fakeClock{}}, &tc.cfg); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestMissingFileIsReported(t *testing.T) {
	paths, _ := interleaved(t)
	files := mapFiles(t, paths...)
	files = append(files, files[0])
	files[3].Path = filepath.Join(t.TempDir(), "missing.pcap")
	clk := &fakeClock{}
	if _, err := Run(context.Background(), files, &recordSink{clock: clk}, &Config{Clock: clk}); err == nil {
		t.Error("a missing file was not reported")
	}
}

// TestDamagedInputKeepsPackets: a file cut in the middle of a record
// stops nothing early: every readable packet of every file is replayed,
// in order, then the damage is returned, naming the file.
func TestDamagedInputKeepsPackets(t *testing.T) {
	paths, rel := interleaved(t)
	data, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	// File 1 holds packets 1, 4, 7, ...: keep its header, 3 whole records
	// and part of the fourth.
	const rec = 16 + 60
	if err := os.WriteFile(paths[1], data[:24+3*rec+30], 0o644); err != nil {
		t.Fatal(err)
	}
	files := mapFiles(t, paths[0], paths[2])
	files = append(files, files[0])
	files[2].Path = paths[1]
	clk := &fakeClock{}
	sink := &recordSink{clock: clk}
	st, err := Run(context.Background(), files, sink, &Config{Clock: clk})
	var fe *pcapio.FormatError
	if !errors.As(err, &fe) || fe.File != paths[1] {
		t.Fatalf("err %v, want a FormatError naming %s", err, paths[1])
	}
	want := len(rel) - (10 - 3)
	if st.Sent != int64(want) || len(sink.got) != want {
		t.Fatalf("sent %d, want %d (all but the 7 lost records)", st.Sent, want)
	}
	for i := 1; i < len(sink.got); i++ {
		if ipID(sink.got[i].data) <= ipID(sink.got[i-1].data) {
			t.Fatalf("packet %d out of order", i)
		}
	}
}

// TestOutOfOrderFile: a file whose packets go back in time is put in
// order by the merge window, and with a window too small for it the
// packets go as read and are counted late.
func TestOutOfOrderFile(t *testing.T) {
	us := time.Microsecond
	path := writeFile(t, t.TempDir(), "a.pcap", []pkt{{at: 0, id: 0}, {at: 300 * us, id: 3}, {at: 100 * us, id: 1}, {at: 200 * us, id: 2}, {at: 400 * us, id: 4}})
	files := mapFiles(t, path)
	if files[0].OutOfOrder == 0 {
		t.Fatal("the map did not see the file out of order")
	}
	for _, tc := range []struct {
		name   string
		window int
		ids    []uint16
		late   int64
	}{
		{"window from the map", 0, []uint16{0, 1, 2, 3, 4}, 0},
		{"window 1", 1, []uint16{0, 3, 1, 2, 4}, 2},
	} {
		clk := &fakeClock{}
		sink := &recordSink{clock: clk}
		st, err := Run(context.Background(), files, sink, &Config{Clock: clk, MergeWindow: tc.window})
		if err != nil {
			t.Fatal(err)
		}
		var ids []uint16
		for _, g := range sink.got {
			ids = append(ids, ipID(g.data))
		}
		if !slices.Equal(ids, tc.ids) || st.Late != tc.late {
			t.Errorf("%s: order %v, late %d; want %v and %d", tc.name, ids, st.Late, tc.ids, tc.late)
		}
	}
}

// TestMergeWindowFromMap: when the map says no file is out of order, the
// merge holds only a few packets per file, so a packet 20 places early is
// sent as read (counted late) instead of being held for.
func TestMergeWindowFromMap(t *testing.T) {
	var pkts []pkt
	for i := range 30 {
		pkts = append(pkts, pkt{at: time.Duration(i+1) * time.Millisecond, id: uint16(i + 1)})
	}
	pkts = append(pkts[:20], append([]pkt{{at: 0, id: 0}}, pkts[20:]...)...) // id 0 at place 20
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", pkts))
	for _, tc := range []struct {
		name       string
		outOfOrder int64
		late       int64
	}{
		{"map shows disorder", files[0].OutOfOrder, 0},
		{"map shows none", 0, 1},
	} {
		f := slices.Clone(files)
		f[0].OutOfOrder = tc.outOfOrder
		clk := &fakeClock{}
		st, err := Run(context.Background(), f, &recordSink{clock: clk}, &Config{Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		if st.Late != tc.late || st.Sent != 31 {
			t.Errorf("%s: late %d sent %d, want %d and 31", tc.name, st.Late, st.Sent, tc.late)
		}
	}
}
