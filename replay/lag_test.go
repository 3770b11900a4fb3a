package replay

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestLagBuckets(t *testing.T) {
	prev := -1
	for v := uint64(0); v < 1<<20; v += 1 + v/97 {
		b := lagBucket(v)
		if b < prev {
			t.Fatalf("bucket of %d is %d, before %d", v, b, prev)
		}
		prev = b
		if mid := uint64(lagValue(b)); v >= 64 && (float64(mid) < float64(v)*0.96 || float64(mid) > float64(v)*1.04) {
			t.Fatalf("value %d in bucket %d, whose middle is %d", v, b, mid)
		}
	}
	if b := lagBucket(1<<64 - 1); b >= lagBuckets {
		t.Fatalf("largest value in bucket %d of %d", b, lagBuckets)
	}
}

func TestLagQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		gen  func() time.Duration
	}{
		{"uniform to 100µs", func() time.Duration { return time.Duration(rng.Int64N(100000)) }},
		{"exponential around 20µs", func() time.Duration { return time.Duration(rng.ExpFloat64() * 20000) }},
		{"mostly zero with a tail", func() time.Duration {
			if rng.IntN(100) < 95 {
				return 0
			}
			return time.Duration(rng.Int64N(int64(10 * time.Millisecond)))
		}},
	} {
		var h lagHist
		var all []time.Duration
		for range 20000 {
			d := tc.gen()
			h.add(d)
			all = append(all, d)
		}
		slices.Sort(all)
		s := h.summary()
		for _, q := range []struct {
			name      string
			got, want time.Duration
		}{
			{"p50", s.P50, all[int(0.5*float64(len(all)-1))]},
			{"p99", s.P99, all[int(0.99*float64(len(all)-1))]},
			{"max", s.Max, all[len(all)-1]},
		} {
			lo, hi := float64(q.want)*0.96-1, float64(q.want)*1.04+1
			if float64(q.got) < lo || float64(q.got) > hi {
				t.Errorf("%s: %s %v, exact %v", tc.name, q.name, q.got, q.want)
			}
		}
		if s.Count != 20000 {
			t.Errorf("%s: count %d", tc.name, s.Count)
		}
	}
}
