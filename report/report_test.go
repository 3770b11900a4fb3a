package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/setgen"
	"github.com/wirekit/wirekit/report"
)

func scanTruth(t *testing.T, tr *setgen.Truth) *dataset.Set {
	t.Helper()
	var paths []string
	for _, f := range tr.Files {
		paths = append(paths, f.Path)
	}
	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestBuildTimelineTruth: on real files of N rotating workers with holes,
// missing files and overlaps, the report finds N series and every gap and
// overlap, at the times the generator put them.
func TestBuildTimelineTruth(t *testing.T) {
	tests := []struct {
		name string
		cfg  setgen.Config
	}{
		{"two workers, no hole", setgen.Config{Workers: 2, Files: 3, Offset: 10 * time.Second}},
		{"five workers, holes, a missing file, overlaps", setgen.Config{Workers: 5, Files: 5, Offset: 2 * time.Second,
			Holes:    []setgen.Edit{{Worker: 0, File: 1, By: 9 * time.Second}, {Worker: 4, File: 3, By: 3 * time.Second}},
			Missing:  []setgen.Edit{{Worker: 2, File: 2}},
			Overlaps: []setgen.Edit{{Worker: 1, File: 4, By: 2 * time.Second}, {Worker: 3, File: 1, By: 7 * time.Second}}}},
		{"three workers rotating together, two holes at once", setgen.Config{Workers: 3, Files: 4,
			Holes: []setgen.Edit{{Worker: 0, File: 2, By: 5 * time.Second}}, Missing: []setgen.Edit{{Worker: 2, File: 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Dir, cfg.FileSpan, cfg.Packets, cfg.Seed = t.TempDir(), 30*time.Second, 400, 11
			tr, err := setgen.Write(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r, err := report.Build(context.Background(), scanTruth(t, tr), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Timeline.Series) != cfg.Workers {
				t.Fatalf("%d series, want %d", len(r.Timeline.Series), cfg.Workers)
			}
			var gaps, overlaps []report.Span
			for _, s := range r.Timeline.Series {
				gaps = append(gaps, s.Gaps...)
				overlaps = append(overlaps, s.Overlaps...)
			}
			match := func(kind string, want []setgen.Stretch, got []report.Span) {
				if len(got) != len(want) {
					t.Errorf("%d %ss found, want %d", len(got), kind, len(want))
				}
				for _, w := range want {
					ok := false
					for _, g := range got {
						ok = ok || g.From.Equal(w.From) && g.To.Equal(w.To)
					}
					if !ok {
						t.Errorf("%s of worker %d from %s to %s not found", kind, w.Worker, w.From.Format(time.StampMicro), w.To.Format(time.StampMicro))
					}
				}
			}
			match("gap", tr.Gaps, gaps)
			match("overlap", tr.Overlaps, overlaps)
		})
	}
}

// TestPageSizeBudget: the page of a set of many files, with many HTTP
// templates, hosts and conversations, stays within SizeBudget, and refers
// to nothing outside itself.
func TestPageSizeBudget(t *testing.T) {
	dir := t.TempDir()
	tr, err := setgen.Write(setgen.Config{Dir: dir, Workers: 6, Files: 40, FileSpan: 10 * time.Second, Packets: 150, HTTP: 15, Offset: time.Second, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), scanTruth(t, tr), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	budget := report.SizeBudget(len(tr.Files))
	t.Logf("%d files: page %d bytes, budget %d", len(tr.Files), b.Len(), budget)
	if int64(b.Len()) > budget {
		t.Errorf("page of %d files is %d bytes, over the budget of %d", len(tr.Files), b.Len(), budget)
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?[a-z]+:|@import|url\(`).Find(b.Bytes()); m != nil {
		t.Errorf("page refers to something outside itself: %q", m)
	}
}

// peakHeap runs f and returns the highest heap in use seen while it ran.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak
}

// TestBuildMemoryBounded: a set four times longer (more files of the same
// traffic) does not need more memory: files are opened as the reading
// reaches them, and every table has a cap.
func TestBuildMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 100 MB of captures")
	}
	if raceEnabled {
		t.Skip("the race detector's own memory makes heap figures meaningless")
	}
	measure := func(files int) (uint64, int64, int) {
		dir := t.TempDir()
		tr, err := setgen.Write(setgen.Config{Dir: dir, Workers: 3, Files: files, FileSpan: 20 * time.Second, Bytes: 2 << 20, HTTP: 20, Offset: 2 * time.Second, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		set := scanTruth(t, tr)
		var r *report.Report
		peak := peakHeap(func() {
			r, err = report.Build(context.Background(), set, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		return peak, set.Size, r.MaxOpenFiles
	}
	small, smallSize, smallOpen := measure(4)
	big, bigSize, bigOpen := measure(16)
	t.Logf("%d MB set: peak heap %d MB, %d files open at most; %d MB set: peak heap %d MB, %d files open at most",
		smallSize>>20, small>>20, smallOpen, bigSize>>20, big>>20, bigOpen)
	if big > small+small/2+16<<20 {
		t.Errorf("peak heap grew from %d MB to %d MB for a set 4 times longer: memory is not bounded", small>>20, big>>20)
	}
	if bigOpen > 6 {
		t.Errorf("%d files open at once for 3 workers: files are not opened as the reading reaches them", bigOpen)
	}
}

func TestBuildEmptySet(t *testing.T) {
	if _, err := report.Build(context.Background(), &dataset.Set{}, nil); err == nil {
		t.Error("Build of a set without files: no error")
	}
	// A file with no packet: a page all the same.
	p := filepath.Join(t.TempDir(), "empty.pcap")
	os.WriteFile(p, []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}, 0o644)
	set, err := dataset.Scan(context.Background(), []string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), set, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil || r.Packets != 0 || len(r.Timeline.Undated) != 1 {
		t.Errorf("empty file: err %v, %d packets, undated %v", err, r.Packets, r.Timeline.Undated)
	}
}

func TestBuildCancelled(t *testing.T) {
	tr, err := setgen.Write(setgen.Config{Dir: t.TempDir(), Workers: 1, Files: 2, FileSpan: time.Second, Packets: 10000})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := report.Build(ctx, scanTruth(t, tr), nil)
	if err == nil || r == nil {
		t.Errorf("cancelled Build: report %v, error %v; want what was read and an error", r != nil, err)
	}
}
