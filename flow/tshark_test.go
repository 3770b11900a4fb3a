package flow

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/decap"
	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// convRow is one conversation of a tshark -z conv table, or the same built
// from flow records: A and B as tshark prints them (address, or
// address:port), frames and bytes each way.
type convRow struct {
	a, b         string
	fAB, fBA     int64
	bAB, bBA     string // as tshark prints byte counts
	start        float64
	rawAB, rawBA int64 // flow side: exact bytes
}

// convTables are tshark's table names, in report order.
var convTables = []string{"tcp", "udp", "ip", "ipv6"}

// Agreement floors (conversations agreeing / tshark's conversations), as
// measured by scripts/gen-flows-golden.sh on 2026-12-05; gen captures
// agree fully.
var corpusFloor = map[string]float64{"tcp": 92.8, "udp": 86.9, "ip": 90.7, "ipv6": 88.2}

// TestTsharkConversations compares the flow table's conversations with
// tshark's conversation tables (flow/testdata/tshark-conv.tsv.gz, written
// by scripts/gen-flows-golden.sh) on wirekit gen captures and, when
// present, the shared corpus: frames and bytes per conversation and
// direction (frame bytes, as tshark counts). With long timeouts, since
// tshark has none.
func TestTsharkConversations(t *testing.T) {
	blocks := readConvGolden(t)
	corpus := os.Getenv("WIREKIT_CORPUS")
	if corpus == "" {
		corpus = filepath.Join(testutil.RepoRoot(t), "..", "shared", "corpus")
	}
	haveCorpus := true
	if _, err := os.Stat(corpus); err != nil {
		haveCorpus = false
		t.Logf("shared corpus not available (%v): comparing generated captures only", err)
	}
	type tally struct{ agree, total, extra, files, unread int }
	sums := map[string]*tally{}
	for _, kind := range []string{"gen", "corpus"} {
		for _, tb := range convTables {
			sums[kind+" "+tb] = &tally{}
		}
	}
	var misses []string
	for _, blk := range blocks {
		kind := "gen"
		var recs []Record
		var first time.Time
		var err error
		if path, ok := strings.CutPrefix(blk.name, "corpus/"); ok {
			kind = "corpus"
			if !haveCorpus {
				continue
			}
			recs, first, err = flowsOfFile(filepath.Join(corpus, path))
		} else {
			recs, first, err = flowsOfGen(t, blk.name)
		}
		if err != nil && len(recs) == 0 {
			if len(blk.rows) > 0 {
				sums[kind+" tcp"].unread++
			}
			continue
		}
		mine := convOfRecords(recs, first)
		for _, tb := range convTables {
			s := sums[kind+" "+tb]
			a, n, x, miss := compareConv(blk.rows[tb], mine[tb])
			s.agree += a
			s.total += n
			s.extra += x
			if n > 0 {
				s.files++
			}
			for _, m := range miss {
				misses = append(misses, fmt.Sprintf("%s %s %s", blk.name, tb, m))
			}
		}
	}
	for _, kind := range []string{"gen", "corpus"} {
		for _, tb := range convTables {
			s := sums[kind+" "+tb]
			if s.total == 0 {
				continue
			}
			pct := 100 * float64(s.agree) / float64(s.total)
			t.Logf("agreement %s conv,%s: %d/%d conversations (%.1f%%) in %d files; %d conversations only in flows", kind, tb, s.agree, s.total, pct, s.files, s.extra)
			switch {
			case kind == "gen" && s.agree != s.total:
				t.Errorf("gen conv,%s: %d of %d conversations differ from tshark's", tb, s.total-s.agree, s.total)
			case kind == "corpus" && pct < corpusFloor[tb]:
				t.Errorf("corpus conv,%s: agreement %.1f%% below the floor %.1f%%", tb, pct, corpusFloor[tb])
			}
		}
	}
	if testing.Verbose() {
		for i, m := range misses {
			if i == 60 {
				t.Logf("... %d more", len(misses)-i)
				break
			}
			t.Logf("differs: %s", m)
		}
	}
}

type convBlock struct {
	name string
	rows map[string][]convRow
}

func readConvGolden(t *testing.T) []convBlock {
	f, err := os.Open(filepath.Join("testdata", "tshark-conv.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []convBlock
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "### "); ok {
			out = append(out, convBlock{name: name, rows: map[string][]convRow{}})
			continue
		}
		if strings.HasPrefix(line, "#") || len(out) == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("golden row %q: %d columns", line, len(c))
		}
		fab, _ := strconv.ParseInt(c[3], 10, 64)
		fba, _ := strconv.ParseInt(c[5], 10, 64)
		st, _ := strconv.ParseFloat(c[7], 64)
		b := &out[len(out)-1]
		b.rows[c[0]] = append(b.rows[c[0]], convRow{a: c[1], b: c[2], fAB: fab, bAB: c[4], fBA: fba, bBA: c[6], start: st})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// longTimeouts keeps conversations whole as tshark does.
var longTimeouts = &Config{TCPTimeout: 1e6 * time.Hour, UDPTimeout: 1e6 * time.Hour, ICMPTimeout: 1e6 * time.Hour, OtherTimeout: 1e6 * time.Hour, MaxFlows: 1 << 22}

// flowsOfFile returns the records of a capture file and, as tshark also
// counts the packets inside tunnels in their own conversations (with the
// whole frame's bytes), the records of the tunnelled packets stripped by
// decap.
func flowsOfFile(path string) ([]Record, time.Time, error) {
	src, err := pcapio.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer src.Close()
	var recs []Record
	keep := func(r *Record) { recs = append(recs, *r) }
	outer, err := New(longTimeouts, keep)
	if err != nil {
		return nil, time.Time{}, err
	}
	inner, err := New(longTimeouts, keep)
	if err != nil {
		return nil, time.Time{}, err
	}
	d, err := decap.New(nil)
	if err != nil {
		return nil, time.Time{}, err
	}
	var first time.Time
	for {
		data, ci, rerr := src.ZeroCopyReadPacketData()
		if rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
		if first.IsZero() {
			first = ci.Timestamp
		}
		lt := src.LinkType()
		if ifs := src.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
			lt = ifs[ci.InterfaceIndex].LinkType
		}
		outer.Packet(ci, data, lt)
		if in, ici, ilt, tuns, _ := d.Strip(lt, data, ci); len(tuns) > 0 {
			ici.Length = max(ci.Length, len(data)) // tshark counts the whole frame
			inner.Packet(ici, in, ilt)
		}
	}
	outer.Flush()
	inner.Flush()
	return recs, first, err
}

func flowsOfGen(t *testing.T, name string) ([]Record, time.Time, error) {
	var seed int64
	var n int
	if _, err := fmt.Sscanf(name, "gen:%d:%d", &seed, &n); err != nil {
		t.Fatalf("golden block %q: %v", name, err)
	}
	var recs []Record
	tab, err := New(longTimeouts, func(r *Record) { recs = append(recs, *r) })
	if err != nil {
		t.Fatal(err)
	}
	var first time.Time
	err = synth.Generate(synth.Config{Seed: seed, Packets: n}, func(ci gopacket.CaptureInfo, data []byte) error {
		if first.IsZero() {
			first = ci.Timestamp
		}
		tab.Packet(ci, data, 1)
		return nil
	})
	tab.Flush()
	return recs, first, err
}

// convOfRecords builds tshark's four tables from flow records.
func convOfRecords(recs []Record, first time.Time) map[string][]convRow {
	out := map[string][]convRow{}
	type pair struct{ a, b string }
	agg := map[string]map[pair]*convRow{"ip": {}, "ipv6": {}}
	var order []pair
	for i := range recs {
		r := &recs[i]
		if !r.Orig.IsValid() {
			continue
		}
		start := r.TS.Sub(first).Seconds()
		oa, ra := r.Orig.Addr().Unmap().String(), r.Resp.Addr().Unmap().String()
		if r.Proto == "tcp" || r.Proto == "udp" {
			out[r.Proto] = append(out[r.Proto], convRow{
				a: oa + ":" + strconv.Itoa(int(r.Orig.Port())), b: ra + ":" + strconv.Itoa(int(r.Resp.Port())),
				fAB: r.OrigPkts, fBA: r.RespPkts, rawAB: r.OrigFrameBytes, rawBA: r.RespFrameBytes, start: start,
			})
		}
		tb := "ip"
		if r.Orig.Addr().Is6() {
			tb = "ipv6"
		}
		fwd := true
		p := pair{oa, ra}
		if oa == ra { // tshark counts a conversation with itself one way
			fwd = true
			c := agg[tb][p]
			if c == nil {
				c = &convRow{a: oa, b: ra, start: start}
				agg[tb][p] = c
				order = append(order, p)
			}
			c.start = min(c.start, start)
			c.fAB += r.OrigPkts + r.RespPkts
			c.rawAB += r.OrigFrameBytes + r.RespFrameBytes
			continue
		}
		if oa > ra {
			p, fwd = pair{ra, oa}, false
		}
		c := agg[tb][p]
		if c == nil {
			c = &convRow{a: p.a, b: p.b, start: start}
			agg[tb][p] = c
			order = append(order, p)
		}
		c.start = min(c.start, start)
		if fwd {
			c.fAB += r.OrigPkts
			c.rawAB += r.OrigFrameBytes
			c.fBA += r.RespPkts
			c.rawBA += r.RespFrameBytes
		} else {
			c.fBA += r.OrigPkts
			c.rawBA += r.OrigFrameBytes
			c.fAB += r.RespPkts
			c.rawAB += r.RespFrameBytes
		}
	}
	for _, tb := range []string{"ip", "ipv6"} {
		for _, p := range order {
			if c := agg[tb][p]; c != nil {
				out[tb] = append(out[tb], *c)
				delete(agg[tb], p)
			}
		}
	}
	return out
}

// tsharkSize renders a byte count as tshark's conversation tables do:
// exact below 10000, else truncated to kB, MB, GB (powers of 1000).
func tsharkSize(n int64) string {
	switch {
	case n >= 10000*1e6:
		return strconv.FormatInt(n/1e9, 10) + " GB"
	case n >= 10000*1e3:
		return strconv.FormatInt(n/1e6, 10) + " MB"
	case n >= 10000:
		return strconv.FormatInt(n/1e3, 10) + " kB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// compareConv pairs tshark's rows with flow's by endpoint pair (in start
// order when a pair has several) and counts those equal in frames and
// bytes both ways; extra counts flow's rows with no tshark row.
func compareConv(ts, mine []convRow) (agree, total, extra int, misses []string) {
	key := func(r *convRow) string {
		if r.a < r.b {
			return r.a + " " + r.b
		}
		return r.b + " " + r.a
	}
	byKey := map[string][]convRow{}
	for _, r := range mine {
		byKey[key(&r)] = append(byKey[key(&r)], r)
	}
	for k := range byKey {
		slices.SortStableFunc(byKey[k], func(x, y convRow) int {
			switch {
			case x.start < y.start:
				return -1
			case x.start > y.start:
				return 1
			}
			return 0
		})
	}
	tsBy := map[string][]convRow{}
	var keys []string
	for _, r := range ts {
		k := key(&r)
		if _, ok := tsBy[k]; !ok {
			keys = append(keys, k)
		}
		tsBy[k] = append(tsBy[k], r)
	}
	for _, k := range keys {
		rows := tsBy[k]
		got := byKey[k]
		for i, r := range rows {
			total++
			if i >= len(got) {
				misses = append(misses, fmt.Sprintf("%s <-> %s: tshark %d/%s %d/%s, flows none", r.a, r.b, r.fAB, r.bAB, r.fBA, r.bBA))
				continue
			}
			m := got[i]
			fab, fba, bab, bba := m.fAB, m.fBA, m.rawAB, m.rawBA
			if m.a != r.a {
				fab, fba, bab, bba = fba, fab, bba, bab
			}
			if fab == r.fAB && fba == r.fBA && tsharkSize(bab) == r.bAB && tsharkSize(bba) == r.bBA {
				agree++
				continue
			}
			misses = append(misses, fmt.Sprintf("%s <-> %s: tshark %d/%s %d/%s, flows %d/%s %d/%s", r.a, r.b, r.fAB, r.bAB, r.fBA, r.bBA, fab, tsharkSize(bab), fba, tsharkSize(bba)))
		}
		if len(got) > len(rows) {
			extra += len(got) - len(rows)
		}
		delete(byKey, k)
	}
	for _, v := range byKey {
		extra += len(v)
	}
	return agree, total, extra, misses
}
