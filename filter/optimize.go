package filter

import (
	"fmt"
	"slices"

	"golang.org/x/net/bpf"
)

// Optimize returns a smaller program equivalent to raw: the same accept
// length on every packet under libpcap's semantics. raw must pass
// Validate, the error says why it does not, except that it may be longer
// than the kernel's 4096 instructions (libpcap's optimizer has no limit
// either). The result is validated too.
//
// The passes work on basic blocks and a forward dataflow of symbolic
// values (what A, X and the scratch cells hold, which values were
// loaded, which comparisons were decided on every path): loads and
// stores of values already in place are removed, arithmetic on constants
// is folded, a jump whose outcome is known on an edge is threaded past,
// instructions whose results are never used are removed when they cannot
// fault, unreachable and duplicate blocks are dropped, and jumps with
// equal targets become unconditional. A load is removed only when the
// bytes it reads are proven inside the packet on every path, when a
// later load in the same block reads at least as far, or when every path
// from it rejects anyway, so a packet too short for the original program
// is still rejected. Optimize never returns a longer program than raw.
func Optimize(raw []bpf.RawInstruction) ([]bpf.RawInstruction, error) {
	return optimize(raw, false)
}

// optimize is Optimize; asLibpcap leaves out the reasoning libpcap's
// optimizer does not do (bounds on the values a load can give: a byte
// is never 256), for CompileWith's "rejects all packets" decision.
func optimize(raw []bpf.RawInstruction, asLibpcap bool) ([]bpf.RawInstruction, error) {
	if err := validate(raw, false, 0); err != nil {
		return nil, err
	}
	o := newOptimizer(raw)
	o.noBounds = asLibpcap
	o.run()
	out := o.emit()
	if len(out) >= len(raw) {
		return append([]bpf.RawInstruction(nil), raw...), nil
	}
	if err := validate(out, false, 0); err != nil {
		return nil, fmt.Errorf("internal error: optimized program does not validate: %w", err)
	}
	return out, nil
}

// oblock is a basic block: straight-line code and a terminator. Blocks
// are kept in program order and every edge goes to a later block.
type oblock struct {
	body []bpf.RawInstruction // no jumps or returns
	op   uint16               // opRetK, opRetA, opJa (goto t) or a conditional jump
	k    uint32
	t, f int // successors (a goto uses t)
	dead bool
}

func (b *oblock) isCond() bool { return b.op != opRetK && b.op != opRetA && b.op != opJa }

// optimizer holds a program as blocks and what the last analysis found.
type optimizer struct {
	blocks []oblock
	vt     vtab
	in     []vstate    // state at each block's entry
	out    [][2]vstate // state on each block's edges
	live   []uint32    // registers live at each block's entry
	preds  [][]int     // predecessors
	reach  []bool      // reachable from the entry
	// maxFacts is how many facts a state keeps (see factBudget).
	maxFacts int
	// noBounds: comparisons are not decided by the bounds of the values
	// compared (maxOf), as libpcap's optimizer does not decide them.
	// With it, the equality of a value with a constant decides only
	// other equalities, a value compared with itself is not decided, and
	// loads through an index that merges different values are equal to
	// no other load: the reasoning libpcap's optimizer does without.
	noBounds bool
	opaque   uint32         // serial number of the last vOpaque value
	phiDep   map[int32]bool // memo of fromPhi
}

// newOptimizer splits a validated program into basic blocks.
func newOptimizer(raw []bpf.RawInstruction) *optimizer {
	n := len(raw)
	leader := make([]bool, n+1)
	leader[0] = true
	for i, in := range raw {
		switch {
		case in.Op == opJa:
			leader[i+1] = true
			leader[i+1+int(in.K)] = true
		case in.Op&0x07 == 0x05:
			leader[i+1] = true
			leader[i+1+int(in.Jt)] = true
			leader[i+1+int(in.Jf)] = true
		case in.Op == opRetK || in.Op == opRetA:
			leader[i+1] = true
		}
	}
	blockOf := make([]int, n+1)
	nb := 0
	for i := 0; i < n; i++ {
		if leader[i] {
			nb++
		}
		blockOf[i] = nb - 1
	}
	o := &optimizer{blocks: make([]oblock, nb), vt: vtab{m: map[vkey]int32{}}, maxFacts: max(minFacts, factBudget/max(nb, 1))}
	for i := 0; i < n; i++ {
		b := &o.blocks[blockOf[i]]
		in := raw[i]
		switch {
		case in.Op == opRetK || in.Op == opRetA:
			b.op, b.k = uint16(in.Op), in.K
		case in.Op == opJa:
			b.op, b.t = opJa, blockOf[i+1+int(in.K)]
		case in.Op&0x07 == 0x05:
			b.op, b.k = uint16(in.Op), in.K
			b.t, b.f = blockOf[i+1+int(in.Jt)], blockOf[i+1+int(in.Jf)]
		default:
			b.body = append(b.body, in)
			if leader[i+1] {
				// Falls into the next block.
				b.op, b.t = opJa, blockOf[i+1]
			}
		}
	}
	return o
}

// succs returns the successors of block i.
func (o *optimizer) succs(i int) []int {
	b := &o.blocks[i]
	switch {
	case b.op == opJa:
		return []int{b.t}
	case b.isCond():
		if b.t == b.f {
			return []int{b.t}
		}
		return []int{b.t, b.f}
	}
	return nil
}

// run applies the passes until nothing changes.
func (o *optimizer) run() {
	// A pass works on the analysis of the program as it stands; after a
	// pass that changed nothing, the analysis is still that, and is not
	// redone (most of the optimizer's time is analysis).
	fresh := false
	analyze := func() {
		if !fresh {
			o.analyze()
			fresh = true
		}
	}
	for round := 0; round < 32; round++ {
		changed := false
		note := func(c bool) {
			if c {
				changed, fresh = true, false
			}
		}
		analyze()
		c := o.simplify()
		note(o.rejectAll() || c)
		analyze()
		note(o.peephole())
		analyze()
		note(o.removeDead())
		analyze()
		note(o.thread())
		analyze()
		note(o.andPullup())
		analyze()
		c = o.mergeBlocks()
		note(o.coalesce() || c)
		if !changed {
			return
		}
	}
}

// graph recomputes reachability and predecessors.
func (o *optimizer) graph() {
	nb := len(o.blocks)
	o.reach = make([]bool, nb)
	o.preds = make([][]int, nb)
	o.reach[0] = true
	for i := range o.blocks {
		b := &o.blocks[i]
		if !o.reach[i] {
			b.dead = true
			continue
		}
		b.dead = false
		if b.isCond() && b.t == b.f {
			b.op = opJa
		}
		for _, s := range o.succs(i) {
			o.reach[s] = true
			o.preds[s] = append(o.preds[s], i)
		}
	}
}

// liveness computes the registers live at each block's entry.
func (o *optimizer) liveness() {
	o.live = make([]uint32, len(o.blocks))
	for i := len(o.blocks) - 1; i >= 0; i-- {
		b := &o.blocks[i]
		if b.dead {
			continue
		}
		o.live[i] = o.liveBefore(i, 0)
	}
}

// liveOut returns the registers live at the end of block i's body.
func (o *optimizer) liveOut(i int) uint32 {
	b := &o.blocks[i]
	var l uint32
	switch {
	case b.op == opRetA:
		l = liveA
	case b.op == opRetK:
	case b.op == opJa:
		l = o.live[b.t]
	default:
		l = o.live[b.t] | o.live[b.f] | liveA
		if b.op&0x08 != 0 {
			l |= liveX
		}
	}
	return l
}

// liveBefore returns the registers live before instruction j of block i
// (j == len(body): before the terminator).
func (o *optimizer) liveBefore(i, j int) uint32 {
	b := &o.blocks[i]
	l := o.liveOut(i)
	for n := len(b.body) - 1; n >= j; n-- {
		def, use := defUse(b.body[n])
		l = l&^def | use
	}
	return l
}

// defUse returns the registers an instruction writes and reads.
func defUse(in bpf.RawInstruction) (def, use uint32) {
	k := in.K & 15
	switch in.Op {
	case opLdW, opLdH, opLdB, opLdImm, opLdLen:
		return liveA, 0
	case opLdIW, opLdIH, opLdIB:
		return liveA, liveX
	case opLdxImm, 0x81, opLdxMSH:
		return liveX, 0
	case opLdMem:
		return liveA, 1 << k
	case opLdxMem:
		return liveX, 1 << k
	case opSt:
		return 1 << k, liveA
	case opStx:
		return 1 << k, liveX
	case opTax:
		return liveX, liveA
	case opTxa:
		return liveA, liveX
	case opNeg:
		return liveA, liveA
	}
	if in.Op&0x08 != 0 {
		return liveA, liveA | liveX
	}
	return liveA, liveA
}

// simplify rewrites each block for its entry state: instructions that
// change nothing are dropped, constants are folded, and a jump whose
// outcome is known becomes a goto.
func (o *optimizer) simplify() bool {
	changed := false
	for i := range o.blocks {
		b := &o.blocks[i]
		if b.dead || !o.in[i].valid {
			continue
		}
		s := o.in[i].clone()
		body := b.body[:0]
		faults := false
		for _, in := range b.body {
			before := s.a
			if w := o.rewrite(&s, in); w != in {
				in, changed = w, true
			}
			r := o.step(&s, in)
			if r == stepNoop {
				changed = true
				continue
			}
			if r == stepFaults {
				// The instruction always rejects the packet.
				faults = true
				break
			}
			// A constant result from arithmetic or scratch memory
			// becomes an immediate load.
			if c, ok := o.vt.constOf(s.a); ok && s.a != before && in.Op != opLdImm && r == stepOK && defA(in) {
				in = bpf.RawInstruction{Op: opLdImm, K: c}
				changed = true
			}
			body = append(body, in)
		}
		b.body = body
		if faults {
			b.op, b.k = opRetK, 0
			changed = true
			continue
		}
		switch {
		case b.op == opRetA:
			if c, ok := o.vt.constOf(s.a); ok {
				b.op, b.k = opRetK, c
				changed = true
			}
		case b.isCond():
			if b.op&0x08 != 0 {
				if c, ok := o.vt.constOf(s.x); ok {
					b.op, b.k = b.op&^0x08, c
					changed = true
				}
			}
			if out, ok := o.decide(&s, b.op, s.a, o.operand(&s, b.op, b.k)); ok {
				if !out {
					b.t = b.f
				}
				b.op = opJa
				changed = true
			}
		}
	}
	return changed
}

// peephole applies foldIndex and fuseTest. They change the value left in
// a register that is dead after, so they run in a phase of their own:
// simplify, run in the same phase, could have removed a later
// instruction because that register already held its value.
func (o *optimizer) peephole() bool {
	changed := false
	for i := range o.blocks {
		b := &o.blocks[i]
		if b.dead || !o.in[i].valid {
			continue
		}
		if o.foldIndex(i) {
			changed = true
		}
		if b.isCond() && len(b.body) > 0 && (o.live[b.t]|o.live[b.f])&liveA == 0 && o.fuseTest(b) {
			changed = true
		}
	}
	return changed
}

// foldIndex turns "add x; tax; ld [x+k]", with the constant c in A, into
// "ld [x+k+c]" when X is not used after: the way filters compute a
// transport field's offset from the IP header length.
func (o *optimizer) foldIndex(i int) bool {
	b := &o.blocks[i]
	s := o.in[i].clone()
	for j := 0; j+2 < len(b.body); j++ {
		in := b.body[j]
		if in.Op == opAluX|aluAdd && b.body[j+1].Op == opTax {
			ld := b.body[j+2]
			c, ok := o.vt.constOf(s.a)
			if ok && (ld.Op == opLdIW || ld.Op == opLdIH || ld.Op == opLdIB) &&
				uint64(o.vt.maxOf(s.x))+uint64(c) <= 0xffffffff && uint64(ld.K)+uint64(c) <= 0xffffffff &&
				o.liveBefore(i, j+3)&liveX == 0 {
				ld.K += c
				b.body = slices.Replace(b.body, j, j+3, ld)
				return true
			}
		}
		o.step(&s, in)
	}
	return false
}

// fuseTest folds the last ALU instruction of a block into its jump when A
// is not used after: "sub #c; jeq #0" is "jeq #c", "and #m; jeq #0" is
// "jset #m" with the targets swapped, "and #m; jgt #0" is "jset #m".
func (o *optimizer) fuseTest(b *oblock) bool {
	last := b.body[len(b.body)-1]
	if last.Op&0x07 != 0x04 || b.op&0x08 != 0 {
		return false
	}
	x := last.Op&0x08 != 0
	switch {
	case last.Op&0xf0 == aluSub && b.op == opJeqK && b.k == 0:
		b.op, b.k = opJeqK, last.K
	case last.Op&0xf0 == aluAnd && b.op == opJeqK && b.k == 0:
		b.op, b.k, b.t, b.f = opJsetK, last.K, b.f, b.t
	case last.Op&0xf0 == aluAnd && b.op == opJgtK && b.k == 0:
		b.op, b.k = opJsetK, last.K
	case last.Op&0xf0 == aluAnd && b.op == opJsetK && !x:
		b.k &= last.K
		if b.k == 0 {
			b.op = opJa
			b.t = b.f
		}
		x = false
	default:
		return false
	}
	if x {
		b.op |= 0x08
		b.k = 0
	}
	b.body = b.body[:len(b.body)-1]
	return true
}

// rejectAll turns into "ret #0" every block from which all paths reject
// the packet: a fault rejects too, so its code does not matter.
func (o *optimizer) rejectAll() bool {
	changed := false
	rej := make([]bool, len(o.blocks))
	for i := len(o.blocks) - 1; i >= 0; i-- {
		b := &o.blocks[i]
		if b.dead {
			continue
		}
		switch {
		case b.op == opRetK:
			rej[i] = b.k == 0
		case b.op == opRetA:
		case b.op == opJa:
			rej[i] = rej[b.t]
		default:
			rej[i] = rej[b.t] && rej[b.f]
		}
		if rej[i] && (b.op != opRetK || len(b.body) > 0) {
			b.body, b.op, b.k = nil, opRetK, 0
			changed = true
		}
	}
	return changed
}

// defA tells whether in writes only A and never faults as a load would.
func defA(in bpf.RawInstruction) bool {
	switch in.Op {
	case opLdMem, opNeg, opTxa:
		return true
	}
	return in.Op&0x07 == 0x04
}

// removeDead drops instructions whose results are never used and which
// cannot fault.
func (o *optimizer) removeDead() bool {
	changed := false
	for i := range o.blocks {
		b := &o.blocks[i]
		if b.dead || !o.in[i].valid {
			continue
		}
		// Which instructions may fault, from the entry state.
		s := o.in[i].clone()
		safe := make([]bool, len(b.body))
		for j, in := range b.body {
			r := o.step(&s, in)
			safe[j] = r == stepOK || r == stepNoop
		}
		l := o.liveOut(i)
		keep := make([]bool, len(b.body))
		for j := len(b.body) - 1; j >= 0; j-- {
			def, use := defUse(b.body[j])
			if def&l == 0 && (safe[j] || o.subsumed(b.body, keep, j)) {
				changed = true
				continue
			}
			keep[j] = true
			l = l&^def | use
		}
		body := b.body[:0]
		for j, in := range b.body {
			if keep[j] {
				body = append(body, in)
			}
		}
		b.body = body
	}
	return changed
}

// subsumed tells whether the absolute load body[j] is followed in the
// block by a kept absolute load reaching at least as far: if body[j]
// would fault, that one faults too, and nothing between them is seen.
func (o *optimizer) subsumed(body []bpf.RawInstruction, keep []bool, j int) bool {
	end, ok := absEnd(body[j])
	if !ok {
		return false
	}
	for n := j + 1; n < len(body); n++ {
		if e, ok := absEnd(body[n]); ok && keep[n] && e >= end {
			return true
		}
	}
	return false
}

// absEnd returns the end of the bytes an absolute load reads.
func absEnd(in bpf.RawInstruction) (uint64, bool) {
	switch in.Op {
	case opLdW, opLdH, opLdB:
		if ancillary(in.K) {
			return 0, false
		}
		return uint64(in.K) + uint64(loadSize(in.Op)), true
	case opLdxMSH:
		return uint64(in.K) + 1, true
	}
	return 0, false
}

// thread retargets each edge that leads into a block whose work is
// already done on that edge: its loads are proven in bounds, its jump's
// outcome is known, and the registers it changes are not used after.
// States are recomputed in program order as edges move, so each decision
// sees the graph as it is.
func (o *optimizer) thread() bool {
	changed := false
	o.graph()
	for i := range o.blocks {
		if !o.reach[i] {
			continue
		}
		o.in[i] = o.entryState(i)
		o.out[i] = o.edgeStates(i, o.in[i])
		b := &o.blocks[i]
		for e := 0; e < 2; e++ {
			if e == 1 && !b.isCond() || b.op == opRetK || b.op == opRetA {
				break
			}
			tgt := &b.t
			if e == 1 {
				tgt = &b.f
			}
			es := &o.out[i][e]
			if !es.valid {
				continue
			}
			if next, ok := o.skip(*tgt, es); ok {
				*tgt = next
				changed = true
			}
		}
		if b.isCond() && b.t == b.f {
			// Both outcomes now flow along one edge: its state must
			// not claim either outcome.
			b.op = opJa
			o.out[i] = o.edgeStates(i, o.in[i])
		}
		// Successors' predecessor lists: rebuilt lazily. A block listed
		// twice is harmless (its edges are met twice, which changes
		// nothing); searching the whole list made blocks with many
		// predecessors (the returns) cost n squared.
		for _, s := range o.succs(i) {
			if ps := o.preds[s]; len(ps) == 0 || ps[len(ps)-1] != i {
				o.preds[s] = append(ps, i)
			}
			o.reach[s] = true
		}
	}
	return changed
}

// skip tells where an edge with state es into block t can go instead. It
// follows the path the program would take from t while every block on it
// cannot fault on the way and its jump is decided; the answer is the
// farthest block on that path where the registers live on entry hold
// what they hold on the edge.
func (o *optimizer) skip(t int, es *vstate) (int, bool) {
	s := es.clone()
	best, found := 0, false
	for cur := t; ; {
		b := &o.blocks[cur]
		if b.op == opRetK || b.op == opRetA {
			return best, found
		}
		for _, in := range b.body {
			r := o.step(&s, in)
			if r == stepMayFault || r == stepFaults {
				return best, found
			}
		}
		next := b.t
		if b.isCond() && b.t != b.f {
			out, ok := o.decide(&s, b.op, s.a, o.operand(&s, b.op, b.k))
			if !ok {
				return best, found
			}
			if !out {
				next = b.f
			}
		}
		if o.sameLive(o.live[next], &s, es) {
			best, found = next, true
		}
		cur = next
	}
}

// sameLive tells whether s and e agree on the registers in l.
func (o *optimizer) sameLive(l uint32, s, e *vstate) bool {
	if l&liveA != 0 && s.a != e.a || l&liveX != 0 && s.x != e.x {
		return false
	}
	for j := range s.mem {
		if l&(1<<j) != 0 && s.mem[j] != e.mem[j] {
			return false
		}
	}
	return true
}

// mergeBlocks makes edges into a block go to a later identical block
// (same code, same terminator, same successors) instead.
func (o *optimizer) mergeBlocks() bool {
	changed := false
	type sig struct {
		body string
		op   uint16
		k    uint32
		t, f int
	}
	seen := map[sig]int{}
	repl := make([]int, len(o.blocks))
	for i := len(o.blocks) - 1; i >= 0; i-- {
		repl[i] = i
		b := &o.blocks[i]
		if b.dead {
			continue
		}
		// Successors are later, so already replaced.
		b.t = repl[b.t]
		if b.isCond() {
			b.f = repl[b.f]
			if b.t == b.f {
				b.op = opJa
			}
		}
		sg := sig{body: bodyKey(b.body), op: b.op, k: b.k, t: b.t}
		if b.isCond() {
			sg.f = b.f
		}
		if b.op == opRetK || b.op == opRetA {
			sg.t = 0
		}
		if j, ok := seen[sg]; ok && i != 0 {
			repl[i] = j
			changed = true
			continue
		}
		seen[sg] = i
	}
	if changed {
		for i := range o.blocks {
			b := &o.blocks[i]
			b.t = repl[b.t]
			b.f = repl[b.f]
		}
	}
	return changed
}

// coalesce appends to a block ending in a goto the block it goes to, when
// that block has no other predecessor.
func (o *optimizer) coalesce() bool {
	o.graph()
	changed := false
	for i := range o.blocks {
		b := &o.blocks[i]
		if b.dead {
			continue
		}
		for b.op == opJa && len(o.preds[b.t]) == 1 {
			t := &o.blocks[b.t]
			b.body = append(b.body[:len(b.body):len(b.body)], t.body...)
			b.op, b.k, b.t, b.f = t.op, t.k, t.t, t.f
			t.dead, t.body = true, nil
			changed = true
		}
	}
	if changed {
		o.graph()
	}
	return changed
}

func bodyKey(body []bpf.RawInstruction) string {
	buf := make([]byte, 0, len(body)*6)
	for _, in := range body {
		buf = append(buf, byte(in.Op), byte(in.Op>>8), byte(in.K), byte(in.K>>8), byte(in.K>>16), byte(in.K>>24))
	}
	return string(buf)
}
