package setgen_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/setgen"
)

// TestWriteMatchesTruth checks that the files written begin and end where
// the truth says and hold what it counts, since the report's timeline
// tests are judged against that truth.
func TestWriteMatchesTruth(t *testing.T) {
	dir := t.TempDir()
	tr, err := setgen.Write(setgen.Config{Dir: dir, Workers: 2, Files: 4, FileSpan: time.Minute, Packets: 300, HTTP: 5,
		Offset: 7 * time.Second, Holes: []setgen.Edit{{Worker: 0, File: 1, By: 10 * time.Second}},
		Overlaps: []setgen.Edit{{Worker: 1, File: 3, By: 5 * time.Second}}, Missing: []setgen.Edit{{Worker: 1, File: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Files) != 7 {
		t.Fatalf("%d files, want 7 (one missing)", len(tr.Files))
	}
	if len(tr.Gaps) != 2 || len(tr.Overlaps) != 1 {
		t.Errorf("truth has %d gaps and %d overlaps, want 2 (a hole, a missing file) and 1", len(tr.Gaps), len(tr.Overlaps))
	}
	for _, f := range tr.Files {
		got, err := dataset.ScanFile(context.Background(), f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Beginning.Equal(f.Beginning) || !got.End.Equal(f.End) || got.Packets != int64(f.Packets) {
			t.Errorf("%s: map says %s to %s, %d packets; truth %s to %s, %d", f.Path, got.Beginning, got.End, got.Packets, f.Beginning, f.End, f.Packets)
		}
	}
}
