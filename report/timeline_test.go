package report_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/report"
)

// plan describes a set by its workers' files, as spans; the truth of
// series, gaps and overlaps follows from it.
type plan struct {
	workers int
	files   int
	span    time.Duration
	offset  time.Duration // stagger between workers
	// edits by worker and file
	late    map[[2]int]time.Duration // begins this long after the previous ends
	early   map[[2]int]time.Duration // begins this long before the previous ends
	missing map[[2]int]bool
	// jitter varies each file's duration by up to this share (rotation
	// by size rather than by time), deterministically.
	jitter float64
}

type wantStretch struct {
	worker   int
	from, to time.Time
}

// build returns the files (named so that names say nothing: f-NNN, in a
// shuffled order), each file's worker, and the true gaps and overlaps.
func (p plan) build() (files []dataset.File, worker []int, gaps, overlaps []wantStretch) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	type fw struct {
		f dataset.File
		w int
	}
	var all []fw
	seq := uint64(7)
	for w := range p.workers {
		nominal := start.Add(time.Duration(w) * p.offset)
		var prevEnd time.Time
		for k := range p.files {
			dur := p.span - time.Millisecond
			if p.jitter > 0 {
				seq = seq*6364136223846793005 + 1442695040888963407
				dur = time.Duration(float64(dur) * (1 - p.jitter + 2*p.jitter*float64(seq>>40)/float64(1<<24)))
			}
			begin := nominal
			nominal = nominal.Add(dur + time.Millisecond)
			end := begin.Add(dur)
			if p.missing[[2]int{w, k}] {
				continue
			}
			if d, ok := p.late[[2]int{w, k}]; ok {
				begin = prevEnd.Add(d)
			}
			if d, ok := p.early[[2]int{w, k}]; ok {
				begin = prevEnd.Add(-d)
			}
			if !prevEnd.IsZero() {
				if begin.Sub(prevEnd) > time.Second {
					gaps = append(gaps, wantStretch{w, prevEnd, begin})
				} else if begin.Before(prevEnd) {
					overlaps = append(overlaps, wantStretch{w, begin, prevEnd})
				}
			}
			f := dataset.File{Beginning: begin, End: end, Duration: end.Sub(begin), Packets: int64(end.Sub(begin) / (10 * time.Millisecond))}
			all = append(all, fw{f, w})
			prevEnd = end
		}
	}
	// Shuffle deterministically, then name by position.
	for i := len(all) - 1; i > 0; i-- {
		seq = seq*6364136223846793005 + 1442695040888963407
		j := int(seq>>33) % (i + 1)
		all[i], all[j] = all[j], all[i]
	}
	for i, x := range all {
		x.f.Path = fmt.Sprintf("f-%03d.pcap", i)
		files = append(files, x.f)
		worker = append(worker, x.w)
	}
	return files, worker, gaps, overlaps
}

// checkTimeline compares what FindSeries found with the truth: one series
// per worker holding exactly that worker's files, and every gap and
// overlap at its place in its worker's series, none more.
//
// Workers rotating at the same instants have files of the same spans: time
// tells them apart no more than the workers' own numbering does, so with
// sync set a gap or overlap may be in any series.
func checkTimeline(t *testing.T, tl report.Timeline, files []dataset.File, worker []int, workers int, gaps, overlaps []wantStretch, sync bool) {
	t.Helper()
	if len(tl.Series) != workers {
		for si, s := range tl.Series {
			var ws []int
			for _, fi := range s.Files {
				ws = append(ws, worker[fi])
			}
			t.Logf("series %d: workers %v", si, ws)
		}
		t.Fatalf("found %d series, want %d (one per worker)", len(tl.Series), workers)
	}
	if sync {
		for i := range worker {
			worker[i] = 0
		}
		for i := range gaps {
			gaps[i].worker = 0
		}
		for i := range overlaps {
			overlaps[i].worker = 0
		}
		merged := report.Series{}
		for _, s := range tl.Series {
			merged.Gaps = append(merged.Gaps, s.Gaps...)
			merged.Overlaps = append(merged.Overlaps, s.Overlaps...)
		}
		tl.Series = []report.Series{merged}
	}
	seriesOf := map[int]int{} // worker -> series
	for si, s := range tl.Series {
		if sync {
			break
		}
		w := worker[s.Files[0]]
		if prev, ok := seriesOf[w]; ok {
			t.Fatalf("worker %d's files in series %d and %d", w, prev, si)
		}
		seriesOf[w] = si
		for _, fi := range s.Files {
			if worker[fi] != w {
				t.Errorf("series %d mixes worker %d's file %s into worker %d's", si, worker[fi], files[fi].Path, w)
			}
		}
		for k := 1; k < len(s.Files); k++ {
			if files[s.Files[k]].Beginning.Before(files[s.Files[k-1]].Beginning) {
				t.Errorf("series %d: files out of time order", si)
			}
		}
	}
	find := func(kind string, want []wantStretch, got func(s report.Series) []report.Span) {
		n := 0
		for _, s := range tl.Series {
			n += len(got(s))
		}
		if n != len(want) {
			t.Errorf("found %d %ss, want %d", n, kind, len(want))
		}
		for _, w := range want {
			ok := false
			for _, sp := range got(tl.Series[seriesOf[w.worker]]) {
				if sp.From.Equal(w.from) && sp.To.Equal(w.to) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s of worker %d from %s to %s not found", kind, w.worker, w.from.Format(time.TimeOnly), w.to.Format(time.TimeOnly))
			}
		}
	}
	if sync {
		seriesOf[0] = 0
	}
	find("gap", gaps, func(s report.Series) []report.Span { return s.Gaps })
	find("overlap", overlaps, func(s report.Series) []report.Span { return s.Overlaps })
}

func TestFindSeries(t *testing.T) {
	type k = [2]int
	tests := []struct {
		name string
		p    plan
	}{
		{"one file", plan{workers: 1, files: 1, span: time.Minute}},
		{"one worker, no hole", plan{workers: 1, files: 10, span: time.Minute}},
		{"four workers rotating together", plan{workers: 4, files: 8, span: time.Minute}},
		{"four staggered workers", plan{workers: 4, files: 8, span: time.Minute, offset: 5 * time.Second}},
		{"hole in one worker", plan{workers: 3, files: 6, span: time.Minute, offset: 4 * time.Second, late: map[k]time.Duration{{1, 3}: 30 * time.Second}}},
		{"missing file", plan{workers: 3, files: 6, span: time.Minute, offset: 4 * time.Second, missing: map[k]bool{{2, 2}: true}}},
		{"overlap", plan{workers: 3, files: 6, span: time.Minute, offset: 4 * time.Second, early: map[k]time.Duration{{0, 4}: 8 * time.Second}}},
		{"holes at the same time in two workers", plan{workers: 4, files: 6, span: time.Minute, offset: 5 * time.Second,
			late: map[k]time.Duration{{0, 2}: 20 * time.Second}, missing: map[k]bool{{3, 1}: true}, early: map[k]time.Duration{{2, 3}: 6 * time.Second}}},
		{"holes in synchronous workers", plan{workers: 5, files: 6, span: time.Minute,
			missing: map[k]bool{{1, 2}: true, {4, 4}: true}, late: map[k]time.Duration{{2, 1}: 15 * time.Second}}},
		{"size-rotated files with a hole", plan{workers: 3, files: 8, span: time.Minute, offset: 20 * time.Second, jitter: 0.3,
			late: map[k]time.Duration{{1, 5}: 25 * time.Second}, early: map[k]time.Duration{{2, 3}: 5 * time.Second}}},
		{"forty workers, three files missing in a row", plan{workers: 40, files: 10, span: time.Minute, offset: 1500 * time.Millisecond,
			missing: map[k]bool{{0, 3}: true, {0, 4}: true, {0, 5}: true}, early: map[k]time.Duration{{39, 8}: 3 * time.Second}}},
		{"eight workers, many files, several edits", plan{workers: 8, files: 30, span: 30 * time.Second, offset: time.Second,
			late: map[k]time.Duration{{0, 5}: 10 * time.Second, {7, 29}: 3 * time.Second}, missing: map[k]bool{{3, 10}: true, {3, 11}: true, {5, 20}: true},
			early: map[k]time.Duration{{6, 7}: 2 * time.Second, {1, 1}: 500 * time.Millisecond}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, worker, gaps, overlaps := tc.p.build()
			tl := report.FindSeries(files, &report.TimelineConfig{MinGap: time.Second})
			checkTimeline(t, tl, files, worker, tc.p.workers, gaps, overlaps, tc.p.offset == 0 && tc.p.workers > 1)
		})
	}
}

func TestFindSeriesUndated(t *testing.T) {
	files := []dataset.File{{Path: "empty.pcap"}, {Path: "a.pcap", Beginning: time.Unix(10, 0), End: time.Unix(20, 0), Duration: 10 * time.Second}}
	tl := report.FindSeries(files, nil)
	if len(tl.Series) != 1 || len(tl.Undated) != 1 || tl.Undated[0] != 0 {
		t.Errorf("series %d, undated %v: want 1 series and file 0 undated", len(tl.Series), tl.Undated)
	}
}
