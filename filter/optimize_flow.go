package filter

import (
	"slices"

	"golang.org/x/net/bpf"
)

// Value numbers. Every value the program computes gets a number; equal
// numbers mean equal values on the same packet.
type vkind uint8

const (
	vConst vkind = iota
	vLen
	vLdAbs  // a: size, k: offset
	vLdInd  // a: size, b: value of X, k: offset
	vMsh    // k: offset
	vAlu    // k: ALU op, a, b: operands
	vNeg    // a
	vPhi    // a: block, b: register: a merge of different values
	vOpaque // k: a serial number: a value equal to no other
)

type vkey struct {
	kind vkind
	a, b int32
	k    uint32
}

type vtab struct {
	m    map[vkey]int32
	keys []vkey
}

func (t *vtab) num(k vkey) int32 {
	if n, ok := t.m[k]; ok {
		return n
	}
	n := int32(len(t.keys))
	t.m[k] = n
	t.keys = append(t.keys, k)
	return n
}

func (t *vtab) konst(c uint32) int32 { return t.num(vkey{kind: vConst, k: c}) }

// constOf returns the constant value of n, if it is one.
func (t *vtab) constOf(n int32) (uint32, bool) {
	k := t.keys[n]
	return k.k, k.kind == vConst
}

// maxOf bounds the values n can take.
func (t *vtab) maxOf(n int32) uint32 {
	k := t.keys[n]
	switch k.kind {
	case vConst:
		return k.k
	case vLdAbs, vLdInd:
		if k.kind == vLdAbs && ancillary(k.k) {
			break // the field's whole value, whatever the load's size
		}
		switch k.a {
		case 1:
			return 0xff
		case 2:
			return 0xffff
		}
	case vMsh:
		return 60
	case vAlu:
		if k.k == aluAnd {
			return min(t.maxOf(k.a), t.maxOf(k.b))
		}
		if c, ok := t.constOf(k.b); ok && k.k == aluRsh && c < 32 {
			return t.maxOf(k.a) >> c
		}
	}
	return 0xffffffff
}

// fromPhi tells whether value n is, or is computed from, a merge of
// different values (vPhi).
func (o *optimizer) fromPhi(n int32) bool {
	if r, ok := o.phiDep[n]; ok {
		return r
	}
	k := o.vt.keys[n]
	r := false
	switch k.kind {
	case vPhi:
		r = true
	case vAlu:
		r = o.fromPhi(k.a) || o.fromPhi(k.b)
	case vLdInd:
		r = o.fromPhi(k.b)
	case vNeg:
		r = o.fromPhi(k.a)
	}
	if o.phiDep == nil {
		o.phiDep = map[int32]bool{}
	}
	o.phiDep[n] = r
	return r
}

// alu numbers the result of an ALU operation, folding constants and
// identities. ok is false for a division by a constant zero.
func (t *vtab) alu(op uint32, a, b int32) int32 {
	ca, aConst := t.constOf(a)
	cb, bConst := t.constOf(b)
	if bConst {
		switch {
		case cb == 0 && (op == aluAdd || op == aluSub || op == aluOr || op == aluXor || op == aluLsh || op == aluRsh):
			return a
		case cb == 1 && (op == aluMul || op == aluDiv):
			return a
		case cb == 0xffffffff && op == aluAnd:
			return a
		case cb == 0 && (op == aluMul || op == aluAnd):
			return t.konst(0)
		}
	}
	if aConst && bConst {
		if v, ok := aluFold(op, ca, cb); ok {
			return t.konst(v)
		}
	}
	return t.num(vkey{kind: vAlu, k: op, a: a, b: b})
}

// aluFold computes a constant ALU operation as the executor does; ok is
// false where folding would be unsafe (division by zero, shifts of 32 or
// more, on which interpreters differ).
func aluFold(op, a, b uint32) (uint32, bool) {
	switch op {
	case aluAdd:
		return a + b, true
	case aluSub:
		return a - b, true
	case aluMul:
		return a * b, true
	case aluDiv:
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case aluMod:
		if b == 0 {
			return 0, false
		}
		return a % b, true
	case aluOr:
		return a | b, true
	case aluAnd:
		return a & b, true
	case aluXor:
		return a ^ b, true
	case aluLsh:
		if b >= 32 {
			return 0, false
		}
		return a << b, true
	case aluRsh:
		if b >= 32 {
			return 0, false
		}
		return a >> b, true
	}
	return 0, false
}

// fact is the outcome of a comparison decided on every path to a point.
type fact struct {
	a, b int32 // compared values
	op   uint16
	out  bool
}

// indBound says that [X+0, X+end) is inside the packet when X holds x.
type indBound struct {
	x   int32
	end uint32
}

// minFacts and factBudget bound the comparisons a state remembers: at
// most max(minFacts, factBudget/blocks), the latest ones (see
// refreshFact). Without a bound a chain of n tests carries up to n facts
// into each of its n blocks, and optimizing takes time in n squared
// (libpcap's optimizer has the same trouble: tcpdump -d on 10,000 "host"
// terms ran for more than 40 minutes). The budget keeps the work in
// proportion to the program's length; programs of up to a few thousand
// blocks, all the golden tests among them, are not limited at all.
const (
	minFacts   = 32
	factBudget = 1 << 20
)

// addFact appends f to facts, dropping the oldest beyond limit.
func addFact(facts []fact, f fact, limit int) []fact {
	if len(facts) >= limit {
		facts = append(make([]fact, 0, limit), facts[len(facts)-limit+1:]...)
	}
	return append(facts, f)
}

// refreshFact moves facts[j] to the end (j < 0: nothing to move);
// facts is not changed in place.
func refreshFact(facts []fact, j int) []fact {
	if j < 0 || j == len(facts)-1 {
		return facts
	}
	f := facts[j]
	out := make([]fact, 0, len(facts))
	out = append(out, facts[:j]...)
	out = append(out, facts[j+1:]...)
	return append(out, f)
}

// vstate is what is known at a point of the program.
type vstate struct {
	a, x   int32
	mem    [16]int32
	absEnd uint32 // bytes [0, absEnd) are inside the packet
	ind    []indBound
	facts  []fact
	valid  bool // false: no path reaches here (yet)
}

func (s *vstate) clone() vstate {
	c := *s
	c.ind = slices.Clone(s.ind)
	c.facts = slices.Clone(s.facts)
	return c
}

// Register bits for liveness: scratch cells 0-15, then A and X.
const (
	liveA = 1 << 16
	liveX = 1 << 17
)

// analyze computes reachability, states and liveness.
func (o *optimizer) analyze() {
	o.graph()
	nb := len(o.blocks)
	o.in = make([]vstate, nb)
	o.out = make([][2]vstate, nb)
	for i := range o.blocks {
		if o.blocks[i].dead {
			continue
		}
		o.in[i] = o.entryState(i)
		o.out[i] = o.edgeStates(i, o.in[i])
	}
	o.liveness()
}

// entryState merges the states of the edges into block i.
func (o *optimizer) entryState(i int) vstate {
	if i == 0 {
		z := o.vt.konst(0)
		s := vstate{a: z, x: z, valid: true}
		for j := range s.mem {
			s.mem[j] = z
		}
		return s
	}
	var s vstate
	for _, p := range o.preds[i] {
		pb := &o.blocks[p]
		if pb.t == i && (pb.op == opJa || pb.isCond()) {
			s = o.meet(i, s, &o.out[p][0])
		}
		if pb.isCond() && pb.f == i {
			s = o.meet(i, s, &o.out[p][1])
		}
	}
	return s
}

// meet returns what is known on both s (accumulated) and e.
func (o *optimizer) meet(blk int, s vstate, e *vstate) vstate {
	if !e.valid {
		return s
	}
	if !s.valid {
		return e.clone()
	}
	phi := func(reg int32, x, y int32) int32 {
		if x == y {
			return x
		}
		return o.vt.num(vkey{kind: vPhi, a: int32(blk), b: reg})
	}
	s.a = phi(16, s.a, e.a)
	s.x = phi(17, s.x, e.x)
	for j := range s.mem {
		s.mem[j] = phi(int32(j), s.mem[j], e.mem[j])
	}
	s.absEnd = min(s.absEnd, e.absEnd)
	ind := s.ind[:0]
	for _, b := range s.ind {
		for _, c := range e.ind {
			if c.x == b.x {
				ind = append(ind, indBound{b.x, min(b.end, c.end)})
				break
			}
		}
	}
	s.ind = ind
	// Paths share the facts from before they parted, in the same order:
	// that prefix is compared in one pass, the rest one by one (at most
	// maxFacts each).
	n := 0
	for n < len(s.facts) && n < len(e.facts) && s.facts[n] == e.facts[n] {
		n++
	}
	facts := s.facts[:n]
	for _, f := range s.facts[n:] {
		if slices.Contains(e.facts[n:], f) {
			facts = append(facts, f)
		}
	}
	s.facts = facts
	return s
}

// edgeStates runs block i's body on s and returns the states on its true
// (or only) and false edges.
func (o *optimizer) edgeStates(i int, s vstate) [2]vstate {
	b := &o.blocks[i]
	s = s.clone()
	for _, in := range b.body {
		if o.step(&s, in) == stepFaults {
			s.valid = false
			return [2]vstate{s, s}
		}
	}
	if !b.isCond() {
		return [2]vstate{s, {}}
	}
	t, f := s, s.clone()
	a, bv := s.a, o.operand(&s, b.op, b.k)
	if out, ok, by := o.decideBy(&s, b.op, a, bv); ok {
		// Only one edge is taken. The fact that decided it is moved to
		// the latest place, so that what a chain tests again in each of
		// its terms stays known however long the chain (maxFacts).
		if out {
			f.valid = false
			t.facts = refreshFact(t.facts, by)
		} else {
			t.valid = false
			f.facts = refreshFact(f.facts, by)
		}
		return [2]vstate{t, f}
	}
	cop := b.op &^ 0x08
	t.facts = addFact(t.facts, fact{a: a, b: bv, op: cop, out: true}, o.maxFacts)
	f.facts = addFact(f.facts, fact{a: a, b: bv, op: cop, out: false}, o.maxFacts)
	return [2]vstate{t, f}
}

// operand returns the value a conditional jump compares A with.
func (o *optimizer) operand(s *vstate, op uint16, k uint32) int32 {
	if op&0x08 != 0 {
		return s.x
	}
	return o.vt.konst(k)
}

// decide tells whether the comparison op (K form) of a with b is known.
func (o *optimizer) decide(s *vstate, op uint16, a, b int32) (out, ok bool) {
	out, ok, _ = o.decideBy(s, op, a, b)
	return out, ok
}

// decideBy is decide, also returning the index in s.facts of the fact
// that decided (-1: none did).
func (o *optimizer) decideBy(s *vstate, op uint16, a, b int32) (out, ok bool, by int) {
	out, ok = o.decideFacts(s, op, a, b, &by)
	return out, ok, by
}

func (o *optimizer) decideFacts(s *vstate, op uint16, a, b int32, by *int) (out, ok bool) {
	*by = -1
	op &^= 0x08
	cb, bConst := o.vt.constOf(b)
	ca, aConst := o.vt.constOf(a)
	if aConst && bConst {
		return cmpOp(op, ca, cb), true
	}
	if a == b && op != opJsetK && !o.noBounds {
		return op != opJgtK, true
	}
	for i, f := range s.facts {
		if f.a != a {
			continue
		}
		if f.b == b && f.op == op {
			*by = i
			return f.out, true
		}
		if f.op == opJeqK && f.out && bConst && (op == opJeqK || !o.noBounds) {
			if v, ok := o.vt.constOf(f.b); ok {
				*by = i
				return cmpOp(op, v, cb), true
			}
		}
	}
	if bConst && !o.noBounds {
		m := o.vt.maxOf(a)
		switch op {
		case opJeqK:
			if cb > m {
				return false, true
			}
		case opJgtK:
			if cb >= m {
				return false, true
			}
		case opJgeK:
			if cb == 0 {
				return true, true
			}
			if cb > m {
				return false, true
			}
		case opJsetK:
			if cb == 0 {
				return false, true
			}
		}
	}
	return false, false
}

func cmpOp(op uint16, a, b uint32) bool {
	switch op {
	case opJeqK:
		return a == b
	case opJgtK:
		return a > b
	case opJgeK:
		return a >= b
	}
	return a&b != 0
}

type stepResult uint8

const (
	stepOK       stepResult = iota
	stepNoop                // the instruction changes nothing
	stepMayFault            // it may reject the packet
	stepFaults              // it always rejects the packet
)

// step applies one non-jump instruction to s and says whether it changed
// anything and whether it may fault (a load beyond what is proven inside
// the packet, a division by an X that may be 0).
func (o *optimizer) step(s *vstate, in bpf.RawInstruction) stepResult {
	setA := func(v int32) stepResult {
		if s.a == v {
			return stepNoop
		}
		s.a = v
		return stepOK
	}
	setX := func(v int32) stepResult {
		if s.x == v {
			return stepNoop
		}
		s.x = v
		return stepOK
	}
	load := func(end uint32) stepResult {
		if end <= s.absEnd {
			return stepOK
		}
		s.absEnd = end
		return stepMayFault
	}
	// past is a load whose bytes end beyond 2^32: it fails on every
	// packet. libpcap's optimizer does not know that (it keeps the load,
	// its value unknown), so with noBounds neither does this.
	past := func() stepResult {
		if !o.noBounds {
			return stepFaults
		}
		o.opaque++
		setA(o.vt.num(vkey{kind: vOpaque, k: o.opaque}))
		return stepMayFault
	}
	k := in.K
	switch in.Op {
	case opLdW, opLdH, opLdB:
		size := loadSize(in.Op)
		if ancillary(k) {
			// The kernel's metadata: says nothing of the packet's
			// length, and fails where there is none (see Meta).
			setA(o.vt.num(vkey{kind: vLdAbs, a: int32(size), k: k}))
			return stepMayFault
		}
		end := uint64(k) + uint64(size)
		if end > 0xffffffff {
			return past()
		}
		r := load(uint32(end))
		if setA(o.vt.num(vkey{kind: vLdAbs, a: int32(size), k: k})) == stepNoop && r == stepOK {
			return stepNoop
		}
		return r
	case opLdIW, opLdIH, opLdIB:
		size := loadSize(in.Op)
		if xc, ok := o.vt.constOf(s.x); ok && o.noBounds {
			// libpcap's optimizer folds a constant index into the
			// offset modulo 2^32 (BACNET_MS_TP's unset offsets wrap
			// to small ones), where the machine refuses the load.
			return o.step(s, bpf.RawInstruction{Op: in.Op&^0x60 | 0x20, K: xc + k})
		}
		end := uint64(k) + uint64(size)
		if end > 0xffffffff {
			return past()
		}
		if abs, ok := o.absolute(s, in); ok {
			return o.step(s, abs)
		}
		r := stepMayFault
		found := false
		for j := range s.ind {
			if s.ind[j].x == s.x {
				found = true
				if uint32(end) <= s.ind[j].end {
					r = stepOK
				} else {
					s.ind[j].end = uint32(end)
				}
			}
		}
		if !found {
			s.ind = append(s.ind, indBound{s.x, uint32(end)})
		}
		if xc, ok := o.vt.constOf(s.x); ok && uint64(xc)+end <= uint64(s.absEnd) {
			r = stepOK
		}
		v := o.vt.num(vkey{kind: vLdInd, a: int32(size), b: s.x, k: k})
		if o.noBounds && o.fromPhi(s.x) {
			// libpcap's optimizer decides nothing about a load whose
			// index comes from a merge of different values (802.11's
			// header length, Geneve's offsets).
			o.opaque++
			v = o.vt.num(vkey{kind: vOpaque, k: o.opaque})
		}
		if setA(v) == stepNoop && r == stepOK {
			return stepNoop
		}
		return r
	case opLdxMSH:
		if k == 0xffffffff {
			return stepFaults
		}
		r := load(k + 1)
		if setX(o.vt.num(vkey{kind: vMsh, k: k})) == stepNoop && r == stepOK {
			return stepNoop
		}
		return r
	case opLdImm:
		return setA(o.vt.konst(k))
	case opLdxImm:
		return setX(o.vt.konst(k))
	case opLdLen:
		return setA(o.vt.num(vkey{kind: vLen}))
	case 0x81: // ldx len
		return setX(o.vt.num(vkey{kind: vLen}))
	case opLdMem:
		return setA(s.mem[k&15])
	case opLdxMem:
		return setX(s.mem[k&15])
	case opSt:
		if s.mem[k&15] == s.a {
			return stepNoop
		}
		s.mem[k&15] = s.a
		return stepOK
	case opStx:
		if s.mem[k&15] == s.x {
			return stepNoop
		}
		s.mem[k&15] = s.x
		return stepOK
	case opTax:
		return setX(s.a)
	case opTxa:
		return setA(s.x)
	case opNeg:
		if c, ok := o.vt.constOf(s.a); ok {
			return setA(o.vt.konst(-c))
		}
		return setA(o.vt.num(vkey{kind: vNeg, a: s.a}))
	}
	// ALU.
	op := uint32(in.Op & 0xf0)
	b := o.vt.konst(k)
	if in.Op&0x08 != 0 {
		b = s.x
	}
	r := stepOK
	if op == aluDiv || op == aluMod {
		c, ok := o.vt.constOf(b)
		switch {
		case ok && c == 0:
			return stepFaults
		case !ok && o.nonZero(s, b):
		case !ok:
			r = stepMayFault
		}
	}
	if setA(o.vt.alu(op, s.a, b)) == stepNoop && r == stepOK {
		return stepNoop
	}
	return r
}

// absolute returns the absolute load an indirect one is when X holds a
// known constant. ok is false otherwise, or when the offset does not fit
// 32 bits (then the load always faults).
func (o *optimizer) absolute(s *vstate, in bpf.RawInstruction) (bpf.RawInstruction, bool) {
	xc, ok := o.vt.constOf(s.x)
	if !ok {
		return in, false
	}
	off := uint64(xc) + uint64(in.K)
	if off+uint64(loadSize(in.Op)) > 0xffffffff {
		return in, false
	}
	return bpf.RawInstruction{Op: in.Op&^0x60 | 0x20, K: uint32(off)}, true
}

// rewrite returns a cheaper or more canonical form of in for state s:
// constants from X and scratch memory become immediates, indirect loads
// with a constant X become absolute ones.
func (o *optimizer) rewrite(s *vstate, in bpf.RawInstruction) bpf.RawInstruction {
	switch in.Op {
	case opLdIW, opLdIH, opLdIB:
		if abs, ok := o.absolute(s, in); ok {
			return abs
		}
	case opLdxMem:
		if c, ok := o.vt.constOf(s.mem[in.K&15]); ok {
			return bpf.RawInstruction{Op: opLdxImm, K: c}
		}
	case opTax:
		if c, ok := o.vt.constOf(s.a); ok {
			return bpf.RawInstruction{Op: opLdxImm, K: c}
		}
	case opLdMem:
		if c, ok := o.vt.constOf(s.mem[in.K&15]); ok {
			return bpf.RawInstruction{Op: opLdImm, K: c}
		}
	case opTxa:
		if c, ok := o.vt.constOf(s.x); ok {
			return bpf.RawInstruction{Op: opLdImm, K: c}
		}
	default:
		if in.Op&0x07 == 0x04 && in.Op&0x08 != 0 {
			if c, ok := o.vt.constOf(s.x); ok && (c != 0 || in.Op&0xf0 != aluDiv && in.Op&0xf0 != aluMod) {
				return bpf.RawInstruction{Op: in.Op &^ 0x08, K: c}
			}
		}
	}
	return in
}

// loadSize returns the width of a packet load.
func loadSize(op uint16) uint32 {
	switch op & 0x18 {
	case 0x00:
		return 4
	case 0x08:
		return 2
	}
	return 1
}

// nonZero tells whether v is known to be non-zero.
func (o *optimizer) nonZero(s *vstate, v int32) bool {
	out, ok := o.decide(s, opJeqK, v, o.vt.konst(0))
	return ok && !out
}
