package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/setgen"
	"github.com/wirekit/wirekit/report"
)

// pageData returns the report embedded in a page written by 'report'.
func pageData(t *testing.T, page string) *report.Report {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="wirekit-data">(.*?)</script>`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no wirekit-data script", page)
	}
	var r report.Report
	if err := json.Unmarshal(m[1], &r); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	return &r
}

// agreementSet writes a small set of three workers with a hole, a missing
// file and an overlap, and HTTP among the synthetic traffic.
func agreementSet(t *testing.T) (string, *setgen.Truth) {
	t.Helper()
	dir := t.TempDir()
	tr, err := setgen.Write(setgen.Config{Dir: filepath.Join(dir, "set"), Workers: 3, Files: 4, FileSpan: 30 * time.Second, Packets: 1500, HTTP: 25,
		Offset: 3 * time.Second, Seed: 3,
		Holes:    []setgen.Edit{{Worker: 0, File: 2, By: 8 * time.Second}},
		Missing:  []setgen.Edit{{Worker: 2, File: 1}},
		Overlaps: []setgen.Edit{{Worker: 1, File: 3, By: 4 * time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	return dir, tr
}

// TestReportAgreesWithCommands: the page's numbers are those of 'map',
// 'flows', 'streams' and 'http' on the same input.
func TestReportAgreesWithCommands(t *testing.T) {
	dir, tr := agreementSet(t)
	var paths, rargs []string
	for _, f := range tr.Files {
		paths = append(paths, f.Path)
		rargs = append(rargs, "-r", f.Path)
	}
	page := filepath.Join(dir, "page.html")
	code, stdout, stderr := run(t, nil, "report", filepath.Join(dir, "set"), "-o", page)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 series, 2 gaps, 1 overlaps") {
		t.Errorf("summary %q: want 3 series, 2 gaps, 1 overlaps", stdout)
	}
	r := pageData(t, page)

	t.Run("map", func(t *testing.T) {
		mp := filepath.Join(dir, "map.json")
		if code, _, stderr := run(t, nil, append([]string{"map", "--dump-json", mp}, paths...)...); code != 0 {
			t.Fatalf("map: exit %d: %s", code, stderr)
		}
		m, err := dataset.Load(mp)
		if err != nil {
			t.Fatal(err)
		}
		if r.Set.Packets != m.Packets || r.Set.Size != m.Size || !r.Set.Beginning.Equal(m.Beginning) || !r.Set.End.Equal(m.End) || r.Packets != m.Packets {
			t.Errorf("page: %d packets (%d read), %d bytes, %s to %s; map: %d, %d, %s to %s", r.Set.Packets, r.Packets, r.Set.Size, r.Set.Beginning, r.Set.End, m.Packets, m.Size, m.Beginning, m.End)
		}
		byPath := map[string]dataset.File{}
		for _, f := range m.Files {
			byPath[f.Path] = f
		}
		for _, f := range r.Set.Files {
			g, ok := byPath[f.Path]
			if !ok || f.Packets != g.Packets || f.Size != g.Size || f.FileSize != g.FileSize || !f.Beginning.Equal(g.Beginning) || !f.End.Equal(g.End) {
				t.Errorf("%s: page %d packets %d bytes %s to %s; map %+v", f.Path, f.Packets, f.Size, f.Beginning, f.End, g)
			}
		}
		// The page's hover text names each file's packets and span.
		b, _ := os.ReadFile(page)
		for _, f := range m.Files {
			want := fmt.Sprintf("%d packets", f.Packets)
			if !strings.Contains(string(b), html.EscapeString(f.Path)+"&#10;") || !strings.Contains(string(b), want) {
				t.Errorf("page has no hover text for %s with %s", f.Path, want)
			}
		}
	})

	t.Run("flows", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, append([]string{"flows", "--json", "--frame-bytes"}, rargs...)...)
		if code != 0 {
			t.Fatalf("flows: exit %d: %s", code, stderr)
		}
		type rec struct {
			OrigH string `json:"id.orig_h"`
			OrigP int    `json:"id.orig_p"`
			RespH string `json:"id.resp_h"`
			RespP int    `json:"id.resp_p"`
			OB    int64  `json:"orig_frame_bytes"`
			RB    int64  `json:"resp_frame_bytes"`
		}
		var recs []rec
		hosts := map[string]int64{}
		sc := bufio.NewScanner(strings.NewReader(stdout))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var x rec
			if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, x)
			if x.OrigH != "" {
				hosts[x.OrigH] += x.OB + x.RB
				if x.RespH != x.OrigH {
					hosts[x.RespH] += x.OB + x.RB
				}
			}
		}
		if int64(len(recs)) != r.Flows {
			t.Errorf("page counts %d conversations, flows printed %d", r.Flows, len(recs))
		}
		sort.Slice(recs, func(i, j int) bool { return recs[i].OB+recs[i].RB > recs[j].OB+recs[j].RB })
		if len(r.Conversations) == 0 {
			t.Fatal("no conversation on the page")
		}
		for i, c := range r.Conversations[:3] {
			if c.Total() != recs[i].OB+recs[i].RB {
				t.Errorf("conversation %d: page %d bytes (%s > %s), flows %d (%s > %s)", i, c.Total(), c.Orig, c.Resp, recs[i].OB+recs[i].RB, recs[i].OrigH, recs[i].RespH)
			}
		}
		for _, tk := range r.Talkers {
			if hosts[tk.Host] != tk.Sent+tk.Received {
				t.Errorf("talker %s: page %d bytes, flows %d", tk.Host, tk.Sent+tk.Received, hosts[tk.Host])
			}
		}
	})

	t.Run("streams", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, append([]string{"streams", "--json"}, rargs...)...)
		if code != 0 {
			t.Fatalf("streams: exit %d: %s", code, stderr)
		}
		var conns, retrans, ooo int64
		sc := bufio.NewScanner(strings.NewReader(stdout))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c connRecord
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatal(err)
			}
			conns++
			retrans += c.C2S.Retransmissions + c.S2C.Retransmissions
			ooo += c.C2S.OutOfOrder + c.S2C.OutOfOrder
		}
		var want int64
		for _, f := range tr.Files {
			want += int64(f.Retransmissions)
		}
		if retrans < want {
			t.Errorf("streams counts %d retransmissions, the set holds at least %d", retrans, want)
		}
		var sumR, sumO int64
		for i := range r.TCP.Retransmissions {
			sumR += r.TCP.Retransmissions[i]
			sumO += r.TCP.OutOfOrder[i]
		}
		if r.TCP.Conns != conns || r.TCP.TotalRetransmissions != retrans || r.TCP.TotalOutOfOrder != ooo || sumR != retrans || sumO != ooo {
			t.Errorf("page: %d connections, %d retransmissions (%d over time), %d out of order (%d over time); streams: %d, %d, %d",
				r.TCP.Conns, r.TCP.TotalRetransmissions, sumR, r.TCP.TotalOutOfOrder, sumO, conns, retrans, ooo)
		}
	})

	t.Run("http", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, append([]string{"http"}, rargs...)...)
		if code != 0 {
			t.Fatalf("http: exit %d: %s", code, stderr)
		}
		if r.HTTP == nil {
			t.Fatal("no HTTP section on the page")
		}
		line := regexp.MustCompile(`^\d+\.\d+ \S+ > \S+ (\S+) (\S+) (\S+) -> (\S+) \S+ B ([0-9.]+) ms`)
		lat := map[[2]string][]int64{}
		classes := make([]int64, len(report.StatusClasses))
		var n int64
		for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
			if strings.Contains(l, " TLS ") {
				continue
			}
			m := line.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("http line not understood: %q", l)
			}
			n++
			k := len(report.StatusClasses) - 1
			if m[4] != "-" {
				s, _ := strconv.Atoi(m[4])
				k = s/100 - 1
			}
			classes[k]++
			if m[1] == "-" || m[4] == "-" {
				continue
			}
			us, _ := strconv.ParseFloat(m[5], 64)
			key := [2]string{strings.ToLower(m[2]), report.PathTemplate(m[3])}
			lat[key] = append(lat[key], int64(us*1000+0.5))
		}
		if n != r.HTTP.Transactions || !slices.Equal(classes, r.HTTP.Totals) {
			t.Errorf("page: %d transactions by class %v; http: %d, %v", r.HTTP.Transactions, r.HTTP.Totals, n, classes)
		}
		if len(lat) != len(r.HTTP.Endpoints) {
			t.Errorf("page lists %d host and path templates, http's lines give %d", len(r.HTTP.Endpoints), len(lat))
		}
		for _, e := range r.HTTP.Endpoints {
			v := lat[[2]string{e.Host, e.Path}]
			slices.Sort(v)
			ds := make([]time.Duration, len(v))
			for i, x := range v {
				ds[i] = time.Duration(x) * time.Microsecond
			}
			for _, p := range []struct {
				name string
				pct  float64
				got  time.Duration
			}{{"p50", 50, e.P50}, {"p90", 90, e.P90}, {"p99", 99, e.P99}, {"max", 100, e.Max}} {
				// nearest rank, computed here rather than by the report
				want := ds[int(math.Ceil(p.pct/100*float64(len(ds))))-1]
				if p.got.Microseconds() != want.Microseconds() {
					t.Errorf("%s %s: %s %v on the page, %v from http's lines (%d transactions)", e.Host, e.Path, p.name, p.got, want, len(v))
				}
			}
			if int64(len(v)) != e.Count {
				t.Errorf("%s %s: %d transactions on the page, %d in http's lines", e.Host, e.Path, e.Count, len(v))
			}
		}
		for _, want := range []string{"/users/{id}", "/users/{id}/orders/{uuid}", "/assets/{hash}.js", "/products/{id}"} {
			found := false
			for _, e := range r.HTTP.Endpoints {
				found = found || e.Path == want
			}
			if !found {
				t.Errorf("no endpoint %s on the page", want)
			}
		}
	})
}

// TestReportDumpJSONAndErrors: --dump-json reads a map's files; bad input
// is a usage error or a clear failure, and a damaged file leaves a page of
// what was read and exit 1.
func TestReportDumpJSONAndErrors(t *testing.T) {
	dir, tr := agreementSet(t)
	mp := filepath.Join(dir, "map.json")
	var paths []string
	for _, f := range tr.Files {
		paths = append(paths, f.Path)
	}
	if code, _, stderr := run(t, nil, append([]string{"map", "--dump-json", mp}, paths...)...); code != 0 {
		t.Fatalf("map: %s", stderr)
	}
	page := filepath.Join(dir, "m.html")
	if code, _, stderr := run(t, nil, "report", "--dump-json", mp, "-o", page); code != 0 {
		t.Fatalf("report --dump-json: exit %d: %s", code, stderr)
	}
	if r := pageData(t, page); len(r.Timeline.Series) != 3 || r.Packets == 0 {
		t.Errorf("report --dump-json: %d series, %d packets", len(r.Timeline.Series), r.Packets)
	}
	damaged := filepath.Join(dir, "damaged.pcap")
	b, _ := os.ReadFile(paths[0])
	os.WriteFile(damaged, b[:len(b)/2+7], 0o644)
	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   string
		wantPage bool
	}{
		{"no output", []string{"report", "-r", paths[0]}, ExitUsage, "-o FILE", false},
		{"no input", []string{"report", "-o", filepath.Join(dir, "x.html")}, ExitUsage, "no input", false},
		{"two kinds of input", []string{"report", "-r", paths[0], "--dump-json", mp, "-o", filepath.Join(dir, "x.html")}, ExitUsage, "one kind of input", false},
		{"bad points", []string{"report", "-r", paths[0], "--points", "3", "-o", filepath.Join(dir, "x.html")}, ExitUsage, "--points 3", false},
		{"missing map", []string{"report", "--dump-json", filepath.Join(dir, "nope.json"), "-o", filepath.Join(dir, "x.html")}, ExitFailure, "nope.json", false},
		{"output is an input", []string{"report", "-r", paths[0], "-o", paths[0]}, ExitUsage, paths[0], false},
		{"damaged file", []string{"report", "-r", damaged, "-r", paths[1], "-o", filepath.Join(dir, "d.html")}, ExitFailure, "damaged.pcap", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q: want exit %d naming %q", code, stderr, tc.code, tc.stderr)
			}
			out := tc.args[slices.Index(tc.args, "-o")+1]
			_, err := os.Stat(out)
			if tc.wantPage != (err == nil) && tc.name != "output is an input" {
				t.Errorf("page written: %v, want %v", err == nil, tc.wantPage)
			}
			if tc.wantPage {
				if n := strings.Count(stderr, tc.stderr); n != 1 {
					t.Errorf("%s named %d times on stderr, want once:\n%s", tc.stderr, n, stderr)
				}
				if r := pageData(t, out); r.Packets == 0 || len(r.Errors)+r.Set.Errors == 0 {
					t.Errorf("damaged input: page has %d packets and no error named", r.Packets)
				}
			}
		})
	}
}
