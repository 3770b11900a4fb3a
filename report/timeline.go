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
// (Beginning and End). Files are taken in order of beginning; each joins
// a series whose last file ends before it begins, or overlaps it by at
// most MaxOverlap of the shorter file; when none qualifies it starts a new
// series. Among the series it may join it picks, when the files look
// rotated on a clock (most last about as long as the median file), those
// whose rotation its end falls on (its end is a whole number of median
// durations after their last file's end, within 5%), then the one whose
// last file ends closest to its beginning. Files of one capture worker follow
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
	period := rotationPeriod(files, order)
	for _, i := range order {
		f := &files[i]
		// Candidates: series this file may continue.
		type cand struct {
			s     int
			dist  time.Duration // f.Beginning - tail end; < 0 an overlap
			phase time.Duration // how far f's end is off the tail's rotation
		}
		var cands []cand
		bestPhase := time.Duration(-1)
		for s := range tl.Series {
			last := &files[tl.Series[s].Files[len(tl.Series[s].Files)-1]]
			d := f.Beginning.Sub(last.End)
			if d < 0 {
				shorter := min(last.Duration, f.Duration)
				if float64(-d) > c.MaxOverlap*float64(shorter) {
					continue
				}
			}
			ph := time.Duration(0)
			if period > 0 {
				ph = f.End.Sub(last.End) % period
				ph = min(abs(ph), period-abs(ph))
			}
			cands = append(cands, cand{s, d, ph})
			if bestPhase < 0 || ph < bestPhase {
				bestPhase = ph
			}
		}
		// Files rotated on a clock keep their worker's phase: prefer the
		// series whose rotation the file's end falls on, then the one
		// whose last file ends closest to this one's beginning.
		best, bestDist := -1, time.Duration(0)
		for _, k := range cands {
			if period > 0 && k.phase > bestPhase+period/20 {
				continue
			}
			if best < 0 || abs(k.dist) < abs(bestDist) {
				best, bestDist = k.s, k.dist
			}
		}
		if best < 0 {
			tl.Series = append(tl.Series, Series{Files: []int{i}, Beginning: f.Beginning, End: f.End})
			continue
		}
		s := &tl.Series[best]
		prev := s.Files[len(s.Files)-1]
		switch {
		case bestDist > c.MinGap:
			s.Gaps = append(s.Gaps, Span{From: files[prev].End, To: f.Beginning, Before: prev, After: i})
		case bestDist < 0:
			s.Overlaps = append(s.Overlaps, Span{From: f.Beginning, To: files[prev].End, Before: prev, After: i})
		}
		s.Files = append(s.Files, i)
		if f.End.After(s.End) {
			s.End = f.End
		}
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
