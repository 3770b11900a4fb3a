package replay

import (
	"math/bits"
	"time"
)

// LagSummary describes how far behind their scheduled send times packets
// went out. Percentiles come from a log-linear histogram and are within
// about 3 % of the exact value; Max is exact.
type LagSummary struct {
	Count         int64
	P50, P99, Max time.Duration
	// Over1ms counts packets sent more than 1 ms after their deadline.
	Over1ms int64
}

const (
	lagSubBits = 5
	lagBuckets = (64-lagSubBits)<<lagSubBits + 1<<lagSubBits
)

// lagHist is a fixed-size histogram of non-negative durations; adding a
// value does not allocate.
type lagHist struct {
	counts  [lagBuckets]int64
	n, over int64
	max     time.Duration
}

func lagBucket(v uint64) int {
	if v < 1<<(lagSubBits+1) {
		return int(v)
	}
	e := bits.Len64(v) - (lagSubBits + 1)
	return (e+1)<<lagSubBits + int((v>>e)&(1<<lagSubBits-1))
}

// lagValue is the middle of bucket i.
func lagValue(i int) time.Duration {
	if i < 1<<(lagSubBits+1) {
		return time.Duration(i)
	}
	e := i>>lagSubBits - 1
	m := uint64(i&(1<<lagSubBits-1) | 1<<lagSubBits)
	return time.Duration(m<<e + (uint64(1)<<e)/2)
}

func (h *lagHist) add(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[lagBucket(uint64(d))]++
	h.n++
	if d > h.max {
		h.max = d
	}
	if d > time.Millisecond {
		h.over++
	}
}

func (h *lagHist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n-1)) + 1
	var c int64
	for i, n := range h.counts {
		c += n
		if c >= rank {
			return min(lagValue(i), h.max)
		}
	}
	return h.max
}

func (h *lagHist) summary() LagSummary {
	return LagSummary{Count: h.n, P50: h.quantile(0.5), P99: h.quantile(0.99), Max: h.max, Over1ms: h.over}
}
