package dataset_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/testutil"
)

// capinfosRow is one row of a capinfos golden table.
type capinfosRow struct {
	packets, fileSize, dataSize int64
	start, end                  time.Time // zero for n/a
	strict                      bool
}

// parseEpoch reads capinfos -S "seconds.fraction" to the nanosecond.
func parseEpoch(s string) (time.Time, error) {
	if s == "n/a" {
		return time.Time{}, nil
	}
	secs, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	frac = (frac + "000000000")[:9]
	ns, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(sec, ns).UTC(), nil
}

func loadCapinfos(t *testing.T, name string) map[string]capinfosRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]capinfosRow{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 7 {
			t.Fatalf("%s:%d: %d columns, want 7", name, line, len(col))
		}
		var r capinfosRow
		var errs [5]error
		r.packets, errs[0] = strconv.ParseInt(col[1], 10, 64)
		r.fileSize, errs[1] = strconv.ParseInt(col[2], 10, 64)
		r.dataSize, errs[2] = strconv.ParseInt(col[3], 10, 64)
		r.start, errs[3] = parseEpoch(col[4])
		r.end, errs[4] = parseEpoch(col[5])
		if err := errors.Join(errs[:]...); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		r.strict = col[6] == "True"
		rows[col[0]] = r
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows", name)
	}
	return rows
}

// compareCapinfos returns how f differs from capinfos' row, "" when not.
func compareCapinfos(f dataset.File, want capinfosRow) string {
	var diffs []string
	check := func(what string, got, want any) {
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s %v, capinfos %v", what, got, want))
		}
	}
	check("packets", f.Packets, want.packets)
	check("file size", f.FileSize, want.fileSize)
	check("data size (wire bytes)", f.WireBytes, want.dataSize)
	check("start", f.Beginning, want.start)
	check("end", f.End, want.end)
	check("in order", f.OutOfOrder == 0, want.strict)
	return strings.Join(diffs, "; ")
}

func TestScanFileMatchesCapinfosGenerated(t *testing.T) {
	golden := loadCapinfos(t, "capinfos_generated.tsv")
	dir := t.TempDir()
	writeGenerated(t, dir)
	for name, want := range golden {
		t.Run(name, func(t *testing.T) {
			f, err := dataset.ScanFile(context.Background(), filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("ScanFile: %v", err)
			}
			if d := compareCapinfos(f, want); d != "" {
				t.Errorf("%s (regenerate with scripts/dataset-golden.sh if the generator changed)", d)
			}
		})
	}
}

func TestScanFileMatchesCapinfosCorpus(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	golden := loadCapinfos(t, "capinfos_corpus.tsv")
	known := loadKnown(t)
	exact := 0
	for name, want := range golden {
		f, err := dataset.ScanFile(context.Background(), filepath.Join(corpus, name))
		d := compareCapinfos(f, want)
		if err != nil {
			d = strings.TrimPrefix(d+"; error: "+err.Error(), "; ")
		}
		reason, listed := known[name]
		switch {
		case d == "":
			exact++
			if listed {
				t.Errorf("%s matches capinfos now: remove it from testdata/capinfos_corpus_known.tsv (%s)", name, reason)
			}
		case !listed:
			t.Errorf("%s: %s", name, d)
		}
	}
	t.Logf("%d of %d corpus files capinfos reads match it exactly; %d known differences", exact, len(golden), len(known))
}

// loadKnown reads testdata/capinfos_corpus_known.tsv: path, reason.
func loadKnown(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "capinfos_corpus_known.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("capinfos_corpus_known.tsv:%d: no tab", i+1)
		}
		m[name] = reason
	}
	return m
}

func TestScanFileOutOfOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ooo.pcap")
	writeOutOfOrder(t, path)
	f, err := dataset.ScanFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	want := dataset.File{
		Packets: 8, OutOfOrder: 3, MaxPacketSize: 67, Size: 8*60 + 28, WireBytes: 8*70 + 28,
		Beginning: start.Add(time.Second), End: start.Add(8 * time.Second),
	}
	got := dataset.File{
		Packets: f.Packets, OutOfOrder: f.OutOfOrder, MaxPacketSize: f.MaxPacketSize, Size: f.Size, WireBytes: f.WireBytes,
		Beginning: f.Beginning, End: f.End,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if f.Duration != 7*time.Second || f.PPS != 8.0/7 {
		t.Errorf("duration %v pps %v, want 7s and %v", f.Duration, f.PPS, 8.0/7)
	}
	if f.Format != "pcap" || f.Compression != "none" || f.Snaplen != 65535 || fmt.Sprint(f.LinkTypes) != "[Ethernet]" {
		t.Errorf("format %q compression %q snaplen %d link types %v", f.Format, f.Compression, f.Snaplen, f.LinkTypes)
	}
}

// damagedSet writes good files and damaged ones into dir.
func damagedSet(t *testing.T, dir string) {
	t.Helper()
	writeSynth(t, filepath.Join(dir, "a-good.pcap"), genCase{seed: 1, packets: 100})
	writeSynth(t, filepath.Join(dir, "b-good.pcapng.zst"), genCase{seed: 2, packets: 50})
	// A truncated copy of a good file: the header and some packets.
	whole := filepath.Join(t.TempDir(), "whole.pcap")
	writeSynth(t, whole, genCase{seed: 3, packets: 100})
	data, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c-truncated.pcap"), data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d-garbage.pcap"), []byte("this is not a capture file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanDamagedSet(t *testing.T) {
	dir := t.TempDir()
	damagedSet(t, dir)
	paths, err := dataset.Discover([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := dataset.Scan(context.Background(), paths, &dataset.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Files) != 4 || set.Errors != 2 {
		t.Fatalf("%d files, %d errors; want 4 and 2", len(set.Files), set.Errors)
	}
	tests := []struct {
		name     string
		errIs    bool // Error set
		packets  string
		errMatch string
	}{
		{"a-good.pcap", false, "=100", ""},
		{"b-good.pcapng.zst", false, "=50", ""},
		{"c-truncated.pcap", true, "<100", "truncated"},
		{"d-garbage.pcap", true, "=0", "not a pcap"},
	}
	for i, tc := range tests {
		f := set.Files[i]
		if filepath.Base(f.Path) != tc.name {
			t.Fatalf("file %d is %s, want %s", i, f.Path, tc.name)
		}
		if (f.Error != "") != tc.errIs || !strings.Contains(f.Error, tc.errMatch) {
			t.Errorf("%s: error %q, want set=%v containing %q", tc.name, f.Error, tc.errIs, tc.errMatch)
		}
		n, _ := strconv.ParseInt(tc.packets[1:], 10, 64)
		if ok := (tc.packets[0] == '=' && f.Packets == n) || (tc.packets[0] == '<' && f.Packets > 0 && f.Packets < n); !ok {
			t.Errorf("%s: %d packets, want %s", tc.name, f.Packets, tc.packets)
		}
	}
	if set.Beginning.IsZero() || set.End.Before(set.Beginning) {
		t.Errorf("set span %v .. %v", set.Beginning, set.End)
	}
}

func TestNewSetDelays(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	files := []dataset.File{
		{Path: "late", Packets: 1, Beginning: t0.Add(3 * time.Second), End: t0.Add(9 * time.Second)},
		{Path: "empty"},
		{Path: "early", Packets: 2, Beginning: t0.Add(time.Second), End: t0.Add(5 * time.Second)},
	}
	s := dataset.NewSet(files)
	if !s.Beginning.Equal(t0.Add(time.Second)) || !s.End.Equal(t0.Add(9*time.Second)) || s.Duration != 8*time.Second {
		t.Errorf("span %v .. %v (%v)", s.Beginning, s.End, s.Duration)
	}
	for i, want := range []time.Duration{2 * time.Second, 0, 0} {
		if s.Files[i].Delay != want || s.Files[i].DelayHuman != want.String() {
			t.Errorf("%s: delay %v %q, want %v", s.Files[i].Path, s.Files[i].Delay, s.Files[i].DelayHuman, want)
		}
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"w1/a.pcap", "w1/b.pcap.gz", "w2/c.pcap", "w2/deep/d.pcap", "notes.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	tests := []struct {
		name   string
		roots  []string
		sel    *dataset.Select
		want   string // base names, space separated
		errHas string
	}{
		{"all", []string{dir}, nil, "notes.txt a.pcap b.pcap.gz c.pcap d.pcap", ""},
		{"suffix", []string{dir}, &dataset.Select{Suffix: "pcap"}, "a.pcap c.pcap d.pcap", ""},
		{"regexp", []string{dir}, &dataset.Select{Regexp: regexp.MustCompile(`w2/`)}, "c.pcap d.pcap", ""},
		{"both", []string{dir}, &dataset.Select{Suffix: ".pcap", Regexp: regexp.MustCompile(`/[ab]\.`)}, "a.pcap", ""},
		{"file named directly", []string{filepath.Join(dir, "notes.txt")}, &dataset.Select{Suffix: "pcap"}, "notes.txt", ""},
		{"regexp matches nothing", []string{dir}, &dataset.Select{Regexp: regexp.MustCompile(`nomatch`)}, "", `none of the 5 files found match regexp "nomatch"`},
		{"empty dir", []string{empty}, nil, "", "no files found"},
		{"missing root", []string{filepath.Join(dir, "nope")}, nil, "", "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			paths, err := dataset.Discover(tc.roots, tc.sel)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("error %v, want one containing %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range paths {
				names = append(names, filepath.Base(p))
			}
			if got := strings.Join(names, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := dataset.Discover([]string{empty}, nil); !errors.Is(err, dataset.ErrNoFiles) {
		t.Errorf("empty dir: %v does not wrap ErrNoFiles", err)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	damagedSet(t, dir)
	paths, err := dataset.Discover([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "map.json")
	if err := set.Save(out); err != nil {
		t.Fatal(err)
	}
	back, err := dataset.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", back) != fmt.Sprintf("%+v", set) {
		t.Errorf("round trip differs:\n%+v\n%+v", back, set)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"files"`, `"path"`, `"snaplen"`, `"packets"`, `"size"`, `"max_packet_size"`, `"out_of_order"`, `"beginning"`, `"end"`, `"pps"`, `"duration"`, `"duration_human"`, `"delay"`, `"delay_human"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("JSON lacks GopherCap's key %s", key)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("%d files beside the map, want only it (temporary file left?)", len(ents))
	}
	if _, err := dataset.Load(filepath.Join(dir, "d-garbage.pcap")); err == nil {
		t.Error("Load of a non-JSON file succeeded")
	}
}

func TestScanCancelled(t *testing.T) {
	dir := t.TempDir()
	writeSynth(t, filepath.Join(dir, "a.pcap"), genCase{seed: 1, packets: 10})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := dataset.Scan(ctx, []string{filepath.Join(dir, "a.pcap")}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: %v", err)
	}
	f, err := dataset.ScanFile(ctx, filepath.Join(dir, "a.pcap"))
	if !errors.Is(err, context.Canceled) || f.Error == "" {
		t.Errorf("ScanFile with a cancelled context: %v, Error %q", err, f.Error)
	}
}

// ScanFile must not allocate per packet: a file ten times longer costs no
// more allocations.
func TestScanFileAllocsConstant(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.pcap"), filepath.Join(dir, "big.pcap")
	writeSynth(t, small, genCase{seed: 1, packets: 200})
	writeSynth(t, big, genCase{seed: 1, packets: 2000})
	allocs := func(p string) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := dataset.ScanFile(context.Background(), p); err != nil {
				t.Fatal(err)
			}
		})
	}
	a, b := allocs(small), allocs(big)
	if b > a+2 {
		t.Errorf("%v allocations for 200 packets, %v for 2000: ScanFile allocates per packet", a, b)
	}
}

// TestScanProgressBytes: with one worker, progress comes during each file
// (not only after it), BytesDone never goes back, and the last call has
// every byte and every file done.
func TestScanProgressBytes(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, name := range []string{"a.pcap", "b.pcap.gz", "c.pcapng.zst"} {
		p := filepath.Join(dir, name)
		writeSynth(t, p, genCase{seed: int64(i + 1), packets: 40000})
		paths = append(paths, p)
	}
	var calls []dataset.Progress
	set, err := dataset.Scan(context.Background(), paths, &dataset.Config{Workers: 1, Progress: func(p dataset.Progress) {
		calls = append(calls, p)
	}})
	if err != nil {
		t.Fatal(err)
	}
	within := 0
	for i, c := range calls {
		if i > 0 && c.BytesDone < calls[i-1].BytesDone {
			t.Errorf("call %d: BytesDone went back from %d to %d", i, calls[i-1].BytesDone, c.BytesDone)
		}
		if c.BytesDone > c.Bytes {
			t.Errorf("call %d: BytesDone %d above Bytes %d", i, c.BytesDone, c.Bytes)
		}
		if c.FilesDone < c.Files && c.BytesDone > 0 && c.BytesDone < c.Bytes {
			within++
		}
	}
	last := calls[len(calls)-1]
	if last.FilesDone != 3 || last.BytesDone != set.FileSize || last.Bytes != set.FileSize {
		t.Errorf("last call %+v, want 3 files and %d bytes done", last, set.FileSize)
	}
	// 40,000 packets a file, a report every 16,384: at least 2 inside each.
	if within < 6 {
		t.Errorf("%d progress calls with a file partly read, want at least 6: %+v", within, calls)
	}
}
