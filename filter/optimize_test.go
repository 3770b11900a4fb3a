package filter

import (
	"bufio"
	"encoding/hex"
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
	// The issue's goal: on average no longer than libpcap's optimized
	// programs plus 10%. (Single expressions may be longer: a load
	// libpcap drops although the packet may be too short for it stays.)
	if mean > 1.10 {
		t.Errorf("optimized programs are on average %.1f%% longer than libpcap's; the goal is at most 10%%", 100*(mean-1))
	}
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
		if r.isErr || strings.HasPrefix(r.file, "corpus:") || strings.HasPrefix(r.file, "tcpdump:") {
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
		if Validate(unopt.raw) != nil {
			continue // a loop (protochain): not optimized, and x/net/bpf refuses it
		}
		vm, err := bpf.NewVM(opt.Instructions())
		useVM := true
		if err != nil {
			if !loadsAncillary(opt.raw) {
				t.Fatalf("%q: x/net/bpf refuses the optimized program: %v", r.expr, err)
			}
			useVM = false
		}
		// x/net/bpf's VM has no "neg".
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

// progOps are the opcodes random programs are made of, with the loads
// and jumps filters use most listed more than once.
var progOps = []uint16{
	opLdW, opLdH, opLdB, opLdH, opLdB, opLdIW, opLdIH, opLdIB, opLdIH,
	opLdImm, opLdLen, opLdMem, opLdxImm, opLdxMem, opLdxMSH, opLdxMSH, 0x81,
	opSt, opStx, opTax, opTxa, opNeg,
	opAluK | aluAdd, opAluK | aluSub, opAluK | aluMul, opAluK | aluDiv, opAluK | aluMod,
	opAluK | aluAnd, opAluK | aluOr, opAluK | aluXor, opAluK | aluLsh, opAluK | aluRsh,
	opAluX | aluAdd, opAluX | aluSub, opAluX | aluDiv, opAluX | aluMod, opAluX | aluAnd, opAluX | aluLsh,
	opJeqK, opJeqK, opJeqK, opJgtK, opJgeK, opJsetK, opJeqX, opJgtX, opJgeX, 0x4d, opJa,
	opRetK, opRetA,
}

// programFrom builds a valid program from bytes, 4 per instruction: an
// opcode, two jump offsets and a small constant. Constants are small so
// that loads hit the packet and comparisons sometimes succeed.
func programFrom(data []byte) []bpf.RawInstruction {
	var prog []bpf.RawInstruction
	for i := 0; i+4 <= len(data) && len(prog) < 60; i += 4 {
		// Some opcode bytes stand for the idioms the optimizer's
		// peepholes look for.
		c, k8 := uint32(data[i+1]%8), uint32(data[i+3])
		switch int(data[i]) % (len(progOps) + 5) {
		case len(progOps): // a transport offset from the header length
			prog = append(prog, bpf.RawInstruction{Op: opLdImm, K: c}, bpf.RawInstruction{Op: opLdxMSH, K: k8 % 24},
				bpf.RawInstruction{Op: opAluX | aluAdd}, bpf.RawInstruction{Op: opTax}, bpf.RawInstruction{Op: opLdIH, K: k8 % 20})
			continue
		case len(progOps) + 1: // A - c == 0
			prog = append(prog, bpf.RawInstruction{Op: opLdB, K: k8 % 40}, bpf.RawInstruction{Op: opAluK | aluSub, K: c},
				bpf.RawInstruction{Op: opJeqK, Jt: data[i+2] % 4, Jf: data[i+2] / 64})
			continue
		case len(progOps) + 2: // A & m == 0, A & m > 0
			prog = append(prog, bpf.RawInstruction{Op: opLdH, K: k8 % 40}, bpf.RawInstruction{Op: opAluK | aluAnd, K: c},
				bpf.RawInstruction{Op: opJeqK + uint16(data[i+2]%2)*0x10, Jt: data[i+2] % 4, Jf: data[i+2] / 64})
			continue
		case len(progOps) + 3: // a value through scratch memory
			prog = append(prog, bpf.RawInstruction{Op: opSt, K: c}, bpf.RawInstruction{Op: opLdxMem, K: c},
				bpf.RawInstruction{Op: opLdMem, K: k8 % 16})
			continue
		case len(progOps) + 4: // a test repeated
			ld := bpf.RawInstruction{Op: opLdH, K: k8 % 16}
			j := bpf.RawInstruction{Op: opJeqK, Jt: data[i+2] % 3, Jf: 0, K: c}
			prog = append(prog, ld, j, ld, j)
			continue
		}
		op := progOps[int(data[i])%(len(progOps)+5)]
		k := uint32(data[i+3])
		switch {
		case op == opLdW || op == opLdH || op == opLdB || op == opLdxMSH:
			k %= 48
		case op&0x07 == 0x04 && (op&0xf0 == aluDiv || op&0xf0 == aluMod):
			if op&0x08 == 0 && k == 0 {
				k = 3
			}
		case op&0x07 == 0x04 && (op&0xf0 == aluLsh || op&0xf0 == aluRsh):
			k %= 34
		case op == opLdMem || op == opLdxMem || op == opSt || op == opStx:
			k %= 16
		case op == opLdImm || op == opLdxImm:
			k %= 20
		case op == opJeqK || op == opJgtK || op == opJgeK || op == opJsetK:
			k %= 8
		}
		prog = append(prog, bpf.RawInstruction{Op: op, Jt: data[i+1] % 8, Jf: data[i+2] % 8, K: k})
	}
	prog = append(prog, bpf.RawInstruction{Op: opRetK, K: 1})
	// Jumps must land inside the program.
	for i := range prog {
		rest := len(prog) - i - 1
		in := &prog[i]
		switch {
		case in.Op == opJa:
			if rest == 0 {
				in.Op, in.K = opRetK, 2
			} else {
				in.K = uint32(in.Jt) % uint32(rest)
				in.Jt, in.Jf = 0, 0
			}
		case in.Op&0x07 == 0x05:
			if rest == 0 {
				in.Op, in.K = opRetA, 0
			} else {
				in.Jt %= uint8(rest)
				in.Jf %= uint8(rest)
			}
		default:
			in.Jt, in.Jf = 0, 0
		}
	}
	return prog
}

// testPackets returns packets of every length up to 64 whose bytes are
// small numbers, seeded by seed.
func testPackets(seed uint64) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out [][]byte
	for n := 0; n <= 64; n += 1 + rng.IntN(3) {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(rng.IntN(8))
			if rng.IntN(8) == 0 {
				p[i] = byte(rng.Uint32())
			}
		}
		out = append(out, p)
	}
	return out
}

// checkOptimized compares raw and its optimized form on pkts.
func checkOptimized(t *testing.T, raw []bpf.RawInstruction, pkts [][]byte) {
	t.Helper()
	opt, err := Optimize(raw)
	if err != nil {
		t.Fatalf("Optimize: %v\n%v", err, raw)
	}
	if len(opt) > len(raw) {
		t.Fatalf("optimized program is longer (%d > %d)", len(opt), len(raw))
	}
	x, err := NewExecutor(opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		for _, wire := range []uint32{uint32(len(p)), uint32(len(p)) + 100} {
			want := run(raw, p, wire)
			got := run(opt, p, wire)
			if got != want || x.Run(p, wire) != want {
				t.Fatalf("packet %x (wire %d): original returns %d, optimized %d (executor %d)\noriginal:  %v\noptimized: %v",
					p, wire, want, got, x.Run(p, wire), raw, opt)
			}
		}
	}
}

// TestOptimizeRandomPrograms optimizes random valid programs and compares
// them with the originals on packets of every length.
func TestOptimizeRandomPrograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var before, after int
	for i := range n {
		data := make([]byte, 4*(1+rng.IntN(40)))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		raw := programFrom(data)
		opt, _ := Optimize(raw)
		before += len(raw)
		after += len(opt)
		checkOptimized(t, raw, testPackets(uint64(i)))
	}
	t.Logf("%d random programs agree after optimization (%d instructions before, %d after)", n, before, after)
}

// FuzzOptimize checks that an optimized program returns what the original
// returns on every packet, for programs built from the fuzzer's bytes.
func FuzzOptimize(f *testing.F) {
	f.Add([]byte{0, 0, 0, 12, 38, 1, 0, 0, 50, 0, 0, 1})
	f.Add([]byte("\x02\x00\x00\x0c\x26\x01\x03\x00\x0e\x00\x00\x10\x0b\x00\x00\x01\x07\x00\x00\x0e"))
	f.Fuzz(func(t *testing.T, data []byte) {
		raw := programFrom(data)
		var seed uint64
		for _, b := range data {
			seed = seed*31 + uint64(b)
		}
		checkOptimized(t, raw, testPackets(seed))
	})
}

// BenchmarkOptimize measures the optimizer on unoptimized programs of a
// few typical expressions.
func BenchmarkOptimize(b *testing.B) {
	for _, expr := range []string{"tcp dst port 21", "host 10.0.0.1 or host 10.0.0.2", "tcp port 80 or tcp port 443 or udp port 53", "ip[2:2] * 2 - 40 > 20"} {
		p, err := CompileWith(expr, layers.LinkTypeEthernet, 262144, &Options{NoOptimize: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Optimize(p.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Optimize works on raw programs from elsewhere too, here "ether proto
// 0x800 or ether proto 0x800" as a naive compiler writes it: the second
// load and test are already decided.
func ExampleOptimize() {
	raw := []bpf.RawInstruction{
		{Op: 0x28, K: 12},                  // ldh [12]
		{Op: 0x15, Jt: 2, Jf: 0, K: 0x800}, // jeq #0x800, true: accept
		{Op: 0x28, K: 12},                  // ldh [12]
		{Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, // jeq #0x800
		{Op: 0x06, K: 65535},               // ret #65535
		{Op: 0x06, K: 0},                   // ret #0
	}
	opt, err := Optimize(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range opt {
		fmt.Printf("%#02x %d %d %#x\n", in.Op, in.Jt, in.Jf, in.K)
	}
	// Output:
	// 0x28 0 0 0xc
	// 0x15 1 0 0x800
	// 0x06 0 0 0x0
	// 0x06 0 0 0xffff
}

// TestOptimizeRegressionExprs keeps expressions and packets on which an
// optimized program once disagreed with the unoptimized one.
func TestOptimizeRegressionExprs(t *testing.T) {
	tests := []struct {
		name, expr, packet string
	}{
		{
			// Both edges of "ldb [23]; jeq #6" were threaded to one
			// block, and the goto left behind still claimed "[23] == 6";
			// a later "ldb [23]; jeq #0x70" was then decided false and
			// the out-of-bounds load of vrrp[31:4] skipped.
			name:   "jump turned goto keeps the facts of neither edge",
			expr:   "not (ip6 proto 112) and tcp and ip6 and tcp port 443 || (!((src and dst net 10) or ((vrrp[31:4] % 10) = 277)))",
			packet: "01005e00000500112233445508004500002000000000dd7090530a000009e00000122101647e000100000a000001000000004c000000000000000000",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkt, err := hex.DecodeString(tt.packet)
			if err != nil {
				t.Fatal(err)
			}
			o := MustCompile(tt.expr, layers.LinkTypeEthernet, 65535)
			u, err := CompileWith(tt.expr, layers.LinkTypeEthernet, 65535, &Options{NoOptimize: true})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := o.Run(pkt, len(pkt)), u.Run(pkt, len(pkt)); got != want {
				t.Errorf("optimized returns %d, unoptimized %d\n%s", got, want, mustFormat(o))
			}
		})
	}
}

// TestOptimizeRegressions keeps programs that exposed optimizer bugs.
func TestOptimizeRegressions(t *testing.T) {
	tests := []struct {
		name string
		prog []bpf.RawInstruction
	}{
		{
			// foldIndex changed X in the first block while simplify,
			// in the same pass, dropped the second block's "ldx M[0]"
			// because X held that value before the fold.
			name: "index fold and redundant ldx in one pass",
			prog: []bpf.RawInstruction{
				{Op: opLdImm, K: 13},
				{Op: opLdxMSH, K: 14},
				{Op: opAluX | aluAdd},
				{Op: opSt, K: 0},
				{Op: opLdImm, K: 13},
				{Op: opAluX | aluAdd},
				{Op: opTax},
				{Op: opLdIH, K: 14},
				{Op: opJeqK, Jt: 0, Jf: 1, K: 1},
				{Op: opJa, K: 0},
				{Op: opLdxMem, K: 0},
				{Op: opTxa},
				{Op: opRetA},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Validate(tt.prog); err != nil {
				t.Fatal(err)
			}
			pkts := testPackets(1)
			for _, p := range pkts {
				if len(p) > 14 {
					p[14] = 0x45
				}
			}
			checkOptimized(t, tt.prog, pkts)
		})
	}
}

// TestOptimizeLongJumps checks programs whose jumps need "ja" trampolines
// (more than 255 instructions away) before and after optimization.
func TestOptimizeLongJumps(t *testing.T) {
	var hosts []string
	for i := range 80 {
		hosts = append(hosts, fmt.Sprintf("host 10.0.%d.%d", i/10, i%10))
	}
	expr := "(" + strings.Join(hosts, " or ") + ") and tcp"
	o := MustCompile(expr, layers.LinkTypeEthernet, 65535)
	u, err := CompileWith(expr, layers.LinkTypeEthernet, 65535, &Options{NoOptimize: true})
	if err != nil {
		t.Fatal(err)
	}
	far := false
	for _, in := range o.raw {
		far = far || in.Op == opJa
	}
	if !far {
		t.Fatalf("want a program with trampolines, got %d instructions and no ja", len(o.raw))
	}
	// IPv4 TCP packets from and to each address, and some others.
	base, _ := hex.DecodeString("001122334455665544332211080045000028000000004006000000000000000000000000d4310050000000000000000050020000000000000000")
	rng := rand.New(rand.NewPCG(5, 6))
	accepted := 0
	for i := range 400 {
		p := append([]byte(nil), base...)
		p[26+4*(i%2)], p[27+4*(i%2)], p[28+4*(i%2)], p[29+4*(i%2)] = 10, 0, byte(rng.IntN(10)), byte(rng.IntN(12))
		if i%7 == 0 {
			p[23] = 17
		}
		if i%11 == 0 {
			p = p[:rng.IntN(len(p))]
		}
		got, want := o.Run(p, len(p)), u.Run(p, len(p))
		if got != want {
			t.Fatalf("packet %x: optimized %d, unoptimized %d", p, got, want)
		}
		if got != 0 {
			accepted++
		}
	}
	if accepted == 0 {
		t.Fatal("no packet accepted: the test packets miss the addresses")
	}
	t.Logf("%d instructions (unoptimized %d); %d of 400 packets accepted by both", len(o.raw), len(u.raw), accepted)
}

// loadsAncillary reports whether a program has an absolute load from
// 0xfffff000 on, where x/net/bpf (as the Linux kernel) reads ancillary
// data (SKF_AD_OFF) and refuses offsets it does not know: libpcap's
// wrapped "offset not set" offsets (on BACNET_MS_TP, MTP2, MTP3) land
// there, and the program then loads out of the packet.
func loadsAncillary(raw []bpf.RawInstruction) bool {
	for _, in := range raw {
		switch in.Op {
		case opLdW, opLdH, opLdB, opLdxMSH:
			if in.K >= 0xfffff000 {
				return true
			}
		}
	}
	return false
}
