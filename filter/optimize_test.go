package filter

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

var verboseCount = flag.Bool("optcount.v", false, "TestOptimizeCount: log every expression above libpcap's count")

// readOptCount reads testdata/optcount.tsv: expression -> libpcap's
// optimized instruction count.
func readOptCount(tb testing.TB) (exprs []string, counts map[string]int) {
	f, err := os.Open(filepath.Join("testdata", "optcount.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	counts = map[string]int{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		expr, n, ok := strings.Cut(l, "\t")
		c, err := strconv.Atoi(n)
		if !ok || err != nil {
			tb.Fatalf("optcount.tsv:%d: want EXPR<TAB>COUNT", line)
		}
		if _, dup := counts[expr]; !dup {
			exprs = append(exprs, expr)
		}
		counts[expr] = c
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return exprs, counts
}

// TestOptimizeCount compares the length of our optimized programs with
// libpcap's optimized ones (scripts/filter-optcount.sh) on every
// expression both compile for Ethernet.
func TestOptimizeCount(t *testing.T) {
	exprs, counts := readOptCount(t)
	type row struct {
		expr       string
		ours, them int
		ratio      float64
	}
	var rows []row
	var sumRatio float64
	var sumOurs, sumThem, sumUnopt int
	for _, expr := range exprs {
		p, err := Compile(expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			continue // unsupported here; TestGolden covers errors
		}
		u, err := CompileWith(expr, layers.LinkTypeEthernet, 262144, &Options{NoOptimize: true})
		if err != nil {
			t.Fatalf("%q compiles optimized but not unoptimized: %v", expr, err)
		}
		r := row{expr: expr, ours: len(p.raw), them: counts[expr]}
		r.ratio = float64(r.ours) / float64(r.them)
		rows = append(rows, r)
		sumRatio += r.ratio
		sumOurs += r.ours
		sumThem += r.them
		sumUnopt += len(u.raw)
	}
	if len(rows) == 0 {
		t.Fatal("no expression compiled")
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ratio > rows[j].ratio })
	above, below := 0, 0
	for _, r := range rows {
		if float64(r.ours) > 1.1*float64(r.them) {
			above++
			if *verboseCount {
				t.Logf("%q: %d instructions, libpcap %d", r.expr, r.ours, r.them)
			}
		}
		if r.ours < r.them {
			below++
		}
	}
	mean := sumRatio / float64(len(rows))
	t.Logf("%d expressions: mean ratio ours/libpcap %.3f (total %d vs %d instructions; unoptimized %d); worst %q %d vs %d; %d above libpcap+10%%, %d shorter than libpcap",
		len(rows), mean, sumOurs, sumThem, sumUnopt, rows[0].expr, rows[0].ours, rows[0].them, above, below)
}

// randomPacket returns a packet of random length whose bytes are mostly
// those of a real one, so that filters reach their deeper tests.
func randomPacket(rng *rand.Rand, base []byte) []byte {
	n := len(base)
	switch rng.IntN(4) {
	case 0:
		n = rng.IntN(len(base) + 1) // truncated
	case 1:
		n = rng.IntN(200)
	}
	p := make([]byte, n)
	copy(p, base)
	if len(base) < n {
		for i := len(base); i < n; i++ {
			p[i] = byte(rng.Uint32())
		}
	}
	for range rng.IntN(4) {
		if n > 0 {
			p[rng.IntN(n)] = byte(rng.Uint32())
		}
	}
	return p
}

// TestOptimizeAgrees runs every golden expression, optimized and not, on
// the golden captures' packets and random variants of them, through the
// executor, the reference interpreter and golang.org/x/net/bpf's VM.
func TestOptimizeAgrees(t *testing.T) {
	rows := readGolden(t)
	caps := map[string]*capture{}
	rng := rand.New(rand.NewPCG(1, 2))
	perProgram := 40
	if testing.Short() {
		perProgram = 8
	}
	var progs, pairs int
	for _, r := range rows {
		if r.isErr || strings.HasPrefix(r.file, "corpus:") {
			continue
		}
		c, ok := caps[r.file]
		if !ok {
			cc := readCapture(t, filepath.Join("testdata", r.file))
			c, caps[r.file] = &cc, &cc
		}
		opt, err := CompileWith(r.expr, c.lt, c.snaplen, c.opts())
		if err != nil {
			continue
		}
		o := *c.opts()
		o.NoOptimize = true
		unopt, err := CompileWith(r.expr, c.lt, c.snaplen, &o)
		if err != nil {
			t.Fatalf("%q: compiles optimized but not unoptimized: %v", r.expr, err)
		}
		vm, err := bpf.NewVM(opt.Instructions())
		if err != nil {
			t.Fatalf("%q: x/net/bpf refuses the optimized program: %v", r.expr, err)
		}
		// x/net/bpf's VM has no "neg".
		useVM := true
		for _, in := range opt.raw {
			useVM = useVM && in.Op != opNeg
		}
		progs++
		check := func(pkt []byte) {
			pairs++
			want := run(unopt.raw, pkt, uint32(len(pkt)))
			got := opt.Run(pkt, len(pkt))
			ref := run(opt.raw, pkt, uint32(len(pkt)))
			v, verr := int(want), error(nil)
			if useVM {
				v, verr = vm.Run(pkt)
			}
			if got != want || ref != want || verr != nil || uint32(v) != want {
				t.Fatalf("%q on %s: packet %x: unoptimized %d, optimized %d (interpreter %d, x/net/bpf %d %v)\noptimized:\n%s",
					r.expr, r.file, pkt, want, got, ref, v, verr, mustFormat(opt))
			}
		}
		for _, p := range c.pkts {
			check(p.data)
		}
		for range perProgram {
			check(randomPacket(rng, c.pkts[rng.IntN(len(c.pkts))].data))
		}
	}
	t.Logf("%d programs, %d (program, packet) pairs agree", progs, pairs)
}

func mustFormat(p *Program) string {
	s, err := Format(p, "d")
	if err != nil {
		return fmt.Sprint(err)
	}
	return s
}
