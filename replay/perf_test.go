package replay

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
)

// manyPackets writes files of n packets, 1 µs apart, interleaved across
// three files, with every fourth packet UDP and sizes from 60 to 60+spread-1
// bytes.
func manyPackets(t testing.TB, n, spread int) []dataset.File {
	dir := t.TempDir()
	var per [3][]pkt
	for i := range n {
		per[i%3] = append(per[i%3], pkt{at: time.Duration(i) * time.Microsecond, id: uint16(i), udp: i%4 == 0, size: 60 + i%spread})
	}
	return mapFiles(t,
		writeFile(t, dir, "a.pcap", per[0]),
		writeFile(t, dir, "b.pcap", per[1]),
		writeFile(t, dir, "c.pcap", per[2]))
}

// TestRunDoesNotAllocatePerPacket: replaying 9,000 more packets costs no
// more allocations than the fixed ones of opening the inputs. Both sizes
// go past the merge's window of 1,024 packets per input, whose slots are
// allocated as they first fill; their buffers also grow until each has
// held the largest packet of its input (with sizes from 60 to 1059 bytes
// that took about 0.04 allocations per packet between 24,000 and 48,000
// packets), so the sizes here stay in one allocation size class.
func TestRunDoesNotAllocatePerPacket(t *testing.T) {
	small, big := manyPackets(t, 6000, 4), manyPackets(t, 15000, 4)
	for _, cfg := range []Config{{}, {Exclude: "udp"}, {TopSpeed: true}, {Modifier: 3.7, MTU: 500, Oversize: OversizeTruncate}} {
		allocs := func(files []dataset.File) float64 {
			return testing.AllocsPerRun(5, func() {
				c := cfg
				clk := &fakeClock{}
				c.Clock = clk
				if _, err := Run(context.Background(), files, &NullSink{}, &c); err != nil {
					t.Fatal(err)
				}
			})
		}
		a, b := allocs(small), allocs(big)
		if b-a > 10 {
			t.Errorf("%+v: %v allocations for 6,000 packets, %v for 15,000", cfg, a, b)
		}
	}
}

// BenchmarkRunTopSpeed measures the scheduler alone: merge of three files,
// exclusion filter and the null sink, with the real clock.
func BenchmarkRunTopSpeed(b *testing.B) {
	files := manyPackets(b, 30000, 1000)
	b.ReportAllocs()
	for b.Loop() {
		st, err := Run(context.Background(), files, &NullSink{}, &Config{TopSpeed: true, Exclude: "udp port 53"})
		if err != nil || st.Sent != 30000 {
			b.Fatal(st, err)
		}
	}
	b.ReportMetric(float64(b.N)*30000/b.Elapsed().Seconds(), "pkts/s")
}

// timeSink records when each packet reached it, on the real clock.
type timeSink struct {
	NullSink
	at []time.Time
}

func (s *timeSink) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	s.at = append(s.at, time.Now())
	return nil
}
func (s *timeSink) Start([]pcapio.Interface) error { return nil }

// TestRealClockAccuracy replays 2,000 packets 100 µs apart with the real
// clock into a sink that notes the time of each write, and checks each
// packet's offset from the first against its schedule. On a shared machine
// the replay thread can lose the CPU for tens of milliseconds, so the
// bounds are loose and the measurement is tried up to three times; the
// figures are logged (go test -v -run RealClock ./replay), and
// WIREKIT_STRICT_TIMING=1 checks the goals on a quiet machine.
func TestRealClockAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 0.2 s of spinning")
	}
	var pkts []pkt
	for i := range 2000 {
		pkts = append(pkts, pkt{at: time.Duration(i) * 100 * time.Microsecond})
	}
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", pkts))
	var failure string
	for attempt := 1; attempt <= 3; attempt++ {
		if failure = measureAccuracy(t, files, attempt); failure == "" {
			return
		}
	}
	if load, ok := loadAverage(); ok && load > float64(runtime.NumCPU()) {
		t.Skipf("%s, but the machine is overloaded (load average %.1f on %d CPUs): timing cannot be judged", failure, load, runtime.NumCPU())
	}
	t.Error(failure)
}

// loadAverage reads the 1-minute load average on Linux.
func loadAverage() (float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	var v float64
	if _, err := fmt.Sscan(string(b), &v); err != nil {
		return 0, false
	}
	return v, true
}

func measureAccuracy(t *testing.T, files []dataset.File, attempt int) string {
	sink := &timeSink{}
	st, err := Run(context.Background(), files, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Offsets count from the first write; a first packet written late
	// makes the others look early by as much.
	offErr := make([]time.Duration, len(sink.at))
	gapErr := make([]time.Duration, 0, len(sink.at))
	for i, at := range sink.at {
		offErr[i] = at.Sub(sink.at[0]) - time.Duration(i)*100*time.Microsecond
		if i > 0 {
			gapErr = append(gapErr, (at.Sub(sink.at[i-1]) - 100*time.Microsecond).Abs())
		}
	}
	last := offErr[len(offErr)-1]
	abs := func(v []time.Duration) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, d := range v {
			out[i] = d.Abs()
		}
		slices.Sort(out)
		return out
	}
	o, g := abs(offErr), abs(gapErr)
	q := func(v []time.Duration, p float64) time.Duration { return v[int(p*float64(len(v)-1))] }
	t.Logf("attempt %d: offset error p50 %v p99 %v max %v; gap error p50 %v p99 %v max %v; last packet %v off; lag p50 %v p99 %v max %v",
		attempt, q(o, .5), q(o, .99), o[len(o)-1], q(g, .5), q(g, .99), g[len(g)-1], last, st.Lag.P50, st.Lag.P99, st.Lag.Max)
	if os.Getenv("WIREKIT_STRICT_TIMING") != "" {
		if q(g, .5) > 10*time.Microsecond || q(g, .99) > 100*time.Microsecond || last.Abs() > time.Millisecond {
			return "timing goals missed (median gap error < 10µs, p99 < 100µs, last packet within 1 ms)"
		}
		return ""
	}
	if q(o, .5) > 2*time.Millisecond || last.Abs() > 20*time.Millisecond {
		return fmt.Sprintf("offset error median %v, last packet %v off", q(o, .5), last)
	}
	return ""
}

// TestRealTime: with RealTime the replay thread gets SCHED_FIFO (as root)
// and the packets still leave in order and on schedule; the thread's
// policy is restored, so the goroutine's next thread is a normal one.
func TestRealTime(t *testing.T) {
	if os.Geteuid() != 0 || runtime.GOOS != "linux" {
		t.Skip("needs root on Linux for SCHED_FIFO")
	}
	var pkts []pkt
	for i := range 500 {
		pkts = append(pkts, pkt{at: time.Duration(i) * 200 * time.Microsecond, id: uint16(i)})
	}
	files := mapFiles(t, writeFile(t, t.TempDir(), "a.pcap", pkts))
	sink := &timeSink{}
	st, err := Run(context.Background(), files, sink, &Config{RealTime: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != 500 {
		t.Fatalf("sent %d of 500", st.Sent)
	}
	t.Logf("real-time: lag p50 %v p99 %v max %v (load %s)", st.Lag.P50, st.Lag.P99, st.Lag.Max, loadString())
	if st.Lag.P50 > time.Millisecond {
		t.Errorf("median lag %v with real-time priority", st.Lag.P50)
	}
}

func loadString() string {
	if v, ok := loadAverage(); ok {
		return fmt.Sprintf("%.1f", v)
	}
	return "unknown"
}
