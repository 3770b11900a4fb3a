package report

import (
	"slices"
	"sort"
	"time"

	"github.com/wirekit/wirekit/dataset"
)

// Timeline is a set's files grouped into the sequential series they form
// (one per capture worker, in a set written by multi-threaded capture),
// found from the files' time spans alone, never from their names.
type Timeline struct {
	// Series lists the series by the beginning of their first file.
	Series []Series `json:"series"`
	// Undated lists the indexes (into the set's Files) of files with no
	// timestamped packet: they belong to no series.
	Undated []int `json:"undated,omitempty"`
	// MinGap is the shortest time between two files of a series that
	// counts as a gap.
	MinGap time.Duration `json:"min_gap"`
}

// Series is one sequential run of files: each begins about when the one
// before it ends.
type Series struct {
	// Files are indexes into the set's Files, in time order.
	Files     []int     `json:"files"`
	Beginning time.Time `json:"beginning"`
	End       time.Time `json:"end"`
	// Gaps are the stretches longer than Timeline.MinGap between a file's
	// last packet and the next file's first; Overlaps the stretches where
	// a file begins before the one before it ended.
	Gaps     []Span `json:"gaps"`
	Overlaps []Span `json:"overlaps"`
}

// Span is a stretch of time between two files of a series: a gap (From is
// the end of file Before, To the beginning of file After) or an overlap
// (From is the beginning of After, To the end of Before).
type Span struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Before int       `json:"before"`
	After  int       `json:"after"`
}

// Duration is how long the span lasts.
func (s Span) Duration() time.Duration { return s.To.Sub(s.From) }

// TimelineConfig tunes FindSeries; nil means the defaults.
type TimelineConfig struct {
	// MinGap is the shortest time between consecutive files of a series
	// reported as a gap. 0 means the default: 1 s, or 10 times the median
	// time between packets of the set's files when that is longer.
	MinGap time.Duration
	// MaxOverlap is the share of the shorter of two files by which the
	// second may begin before the first ends and still continue its series
	// (an overlap); a file overlapping every series by more starts a new
	// one. 0 means the default, 0.25.
	MaxOverlap float64
}

// FindSeries groups files into sequential series from their time spans
// (Beginning and End). A file may follow another that began before it and
// ended before it began, or that it overlaps by at most MaxOverlap of the
// shorter of the two. Links are chosen cheapest first, each file following
// at most one and followed by at most one (a greedy matching): the cost is
// the time between the first's end and the second's beginning, except
// that when the files look rotated on a clock (three quarters of them
// last within 5% of the median file) a link whose second file does not
// end on the first's rotation (a whole number of median durations after
// it, within 2%) comes after every link that does. Runs left apart are
// then joined the same way, last file to a later run's first. Files of one capture worker follow
// each other closely and files of parallel workers overlap almost
// entirely, so the number of series is the number of workers, and a
// missing file shows as a gap in its worker's series whatever the files
// are named.
func FindSeries(files []dataset.File, cfg *TimelineConfig) Timeline {
	var c TimelineConfig
	if cfg != nil {
		c = *cfg
	}
	if c.MaxOverlap <= 0 {
		c.MaxOverlap = 0.25
	}
	if c.MinGap <= 0 {
		c.MinGap = defaultMinGap(files)
	}
	tl := Timeline{MinGap: c.MinGap, Series: []Series{}}
	order := make([]int, 0, len(files))
	for i, f := range files {
		if f.Beginning.IsZero() {
			tl.Undated = append(tl.Undated, i)
			continue
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		fa, fb := &files[order[a]], &files[order[b]]
		if !fa.Beginning.Equal(fb.Beginning) {
			return fa.Beginning.Before(fb.Beginning)
		}
		return fa.End.Before(fb.End)
	})
	rank := make([]int, len(files))
	for r, i := range order {
		rank[i] = r
	}
	period := rotationPeriod(files, order)
	// edge links file e to a later file f that may continue e's series.
	type edge struct {
		e, f    int
		offbeat bool          // f's end is off e's rotation (clock-rotated sets)
		cost    time.Duration // |f's beginning - e's end|
	}
	link := func(e, f int) (edge, bool) {
		fe, ff := &files[e], &files[f]
		d := ff.Beginning.Sub(fe.End)
		if d < 0 && float64(-d) > c.MaxOverlap*float64(min(fe.Duration, ff.Duration)) {
			return edge{}, false
		}
		x := edge{e: e, f: f, cost: abs(d)}
		if period > 0 {
			ph := ff.End.Sub(fe.End) % period
			x.offbeat = min(abs(ph), period-abs(ph)) > period/50
		}
		return x, true
	}
	less := func(a, b edge) int {
		if a.offbeat != b.offbeat {
			if a.offbeat {
				return 1
			}
			return -1
		}
		if a.cost != b.cost {
			if a.cost < b.cost {
				return -1
			}
			return 1
		}
		if rank[a.f] != rank[b.f] {
			return rank[a.f] - rank[b.f]
		}
		return rank[a.e] - rank[b.e]
	}
	// Candidate predecessors of each file: the files that began before it
	// whose ends are nearest its beginning.
	byEnd := slices.Clone(order)
	sort.SliceStable(byEnd, func(a, b int) bool { return files[byEnd[a]].End.Before(files[byEnd[b]].End) })
	const near = 64
	var edges []edge
	for _, f := range order {
		at := sort.Search(len(byEnd), func(k int) bool { return !files[byEnd[k]].End.Before(files[f].Beginning) })
		lo, hi, got := at-1, at, 0
		for got < near && (lo >= 0 || hi < len(byEnd)) {
			var e int
			if hi >= len(byEnd) || lo >= 0 && files[f].Beginning.Sub(files[byEnd[lo]].End) <= files[byEnd[hi]].End.Sub(files[f].Beginning) {
				e = byEnd[lo]
				lo--
			} else {
				e = byEnd[hi]
				hi++
			}
			if rank[e] >= rank[f] {
				continue
			}
			if x, ok := link(e, f); ok {
				edges = append(edges, x)
				got++
			}
		}
	}
	// Greedy matching, cheapest links first: a file continues at most one
	// series and is continued by at most one file.
	succ, pred := make([]int, len(files)), make([]int, len(files))
	for i := range files {
		succ[i], pred[i] = -1, -1
	}
	match := func(edges []edge) {
		slices.SortFunc(edges, less)
		for _, x := range edges {
			if succ[x.e] < 0 && pred[x.f] < 0 {
				succ[x.e], pred[x.f] = x.f, x.e
			}
		}
	}
	match(edges)
	// Join the runs left apart (a long hole puts a worker's next file
	// beyond its nearest candidates): each run's last file to a later
	// run's first.
	var heads, tails []int
	for _, i := range order {
		if pred[i] < 0 {
			heads = append(heads, i)
		}
		if succ[i] < 0 {
			tails = append(tails, i)
		}
	}
	if len(heads) > 1 && len(heads) <= 4096 {
		edges = edges[:0]
		for _, t := range tails {
			for _, h := range heads {
				if rank[h] > rank[t] {
					if x, ok := link(t, h); ok {
						edges = append(edges, x)
					}
				}
			}
		}
		match(edges)
	}
	for _, i := range order {
		if pred[i] >= 0 {
			continue
		}
		s := Series{Beginning: files[i].Beginning, End: files[i].End}
		for j := i; j >= 0; j = succ[j] {
			f := &files[j]
			if len(s.Files) > 0 {
				prev := s.Files[len(s.Files)-1]
				switch d := f.Beginning.Sub(files[prev].End); {
				case d > c.MinGap:
					s.Gaps = append(s.Gaps, Span{From: files[prev].End, To: f.Beginning, Before: prev, After: j})
				case d < 0:
					s.Overlaps = append(s.Overlaps, Span{From: f.Beginning, To: files[prev].End, Before: prev, After: j})
				}
			}
			s.Files = append(s.Files, j)
			if f.End.After(s.End) {
				s.End = f.End
			}
		}
		tl.Series = append(tl.Series, s)
	}
	return tl
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// rotationPeriod returns the files' common duration when they look
// rotated on a clock (three quarters of them within 5% of the median
// duration), else 0.
func rotationPeriod(files []dataset.File, order []int) time.Duration {
	if len(order) < 3 {
		return 0
	}
	ds := make([]time.Duration, 0, len(order))
	for _, i := range order {
		ds = append(ds, files[i].Duration)
	}
	slices.Sort(ds)
	med := ds[len(ds)/2]
	if med <= 0 {
		return 0
	}
	near := 0
	for _, d := range ds {
		if abs(d-med) <= med/20 {
			near++
		}
	}
	if near*4 < len(ds)*3 {
		return 0
	}
	return med
}

// defaultMinGap is 1 s, or ten times the median time between packets of
// the files when that is longer.
func defaultMinGap(files []dataset.File) time.Duration {
	var iv []time.Duration
	for _, f := range files {
		if f.Packets > 1 && f.Duration > 0 {
			iv = append(iv, f.Duration/time.Duration(f.Packets-1))
		}
	}
	if len(iv) == 0 {
		return time.Second
	}
	slices.Sort(iv)
	return max(time.Second, 10*iv[len(iv)/2])
}
