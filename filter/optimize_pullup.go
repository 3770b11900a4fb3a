package filter

// pullupWalk bounds the blocks andPullup walks from each block.
const pullupWalk = 64

// andPullup is the reasoning of libpcap's and_pullup: in a chain of tests
// that all fail to the same block (an "and"), libpcap moves a later test
// of the value the chain's predecessors tested up to the top of the
// chain, where the tests just made decide it ("ip and ip[9] = 1 and ip6"
// on ARCnet, whose ip is one of two link types, cannot match). Here,
// where such a test is decided false on every edge into the top of the
// chain, those edges go straight to the chain's false target: no path
// through the chain can get past that test. Blocks keep their order
// (edges only go forward), so the test is not moved; only the outcome is
// used. Only chains failing to "ret #0" are taken: the loads skipped
// could only reject a short packet, as that return does.
//
// Each walk down a chain stops after pullupWalk blocks, so that the pass
// takes time in proportion to the program's length (a chain of n tests
// would otherwise be walked n times).
func (o *optimizer) andPullup() bool {
	changed := false
	rejects := func(i int) bool {
		r := &o.blocks[i]
		return r.op == opRetK && r.k == 0 && len(r.body) == 0
	}
	aOut := func(i int) (int32, bool) {
		s := &o.out[i][0]
		if !s.valid {
			s = &o.out[i][1]
		}
		return s.a, s.valid
	}
	for i := 1; i < len(o.blocks); i++ {
		b := &o.blocks[i]
		if b.dead || !b.isCond() || len(o.preds[i]) == 0 || !rejects(b.f) {
			continue
		}
		// Every way into b leaves the same value in A.
		val, ok := aOut(o.preds[i][0])
		for _, p := range o.preds[i][1:] {
			if v, vok := aOut(p); !vok || v != val {
				ok = false
			}
		}
		if !ok {
			continue
		}
		// Down the true edges from b, through tests failing to b.f
		// and reached only from the block before: first those that
		// leave val in A (the chain's top moves below them), then the
		// test of val to pull up.
		prev, d := -1, i
		for steps := 0; ; steps++ {
			if steps == pullupWalk {
				d = -1
				break
			}
			bd := &o.blocks[d]
			if !bd.isCond() || bd.f != b.f || d != i && len(o.preds[d]) != 1 {
				d = -1
				break
			}
			if v, vok := aOut(d); !vok || v != val {
				break
			}
			prev, d = d, bd.t
		}
		if d < 0 {
			continue
		}
		pull := -1
		for s, steps := o.blocks[d].t, 0; steps < pullupWalk; steps++ {
			bs := &o.blocks[s]
			if !bs.isCond() || bs.f != b.f || len(o.preds[s]) != 1 {
				break
			}
			if v, vok := aOut(s); vok && v == val {
				pull = s
				break
			}
			s = bs.t
		}
		if pull < 0 || o.blocks[pull].op&0x08 != 0 {
			continue
		}
		pb := &o.blocks[pull]
		k := o.vt.konst(pb.k)
		falseOn := func(s *vstate) bool {
			out, ok := o.decide(s, pb.op, val, k)
			return s.valid && ok && !out
		}
		if prev >= 0 {
			// The test would go between prev and d.
			if falseOn(&o.out[prev][0]) {
				o.blocks[prev].t = b.f
				changed = true
			}
			continue
		}
		all := true
		for _, p := range o.preds[i] {
			pp := &o.blocks[p]
			if (pp.t == i || pp.op == opJa) && !falseOn(&o.out[p][0]) {
				all = false
			}
			if pp.isCond() && pp.f == i && !falseOn(&o.out[p][1]) {
				all = false
			}
		}
		if !all {
			continue
		}
		for _, p := range o.preds[i] {
			pp := &o.blocks[p]
			if pp.t == i {
				pp.t = b.f
			}
			if pp.isCond() && pp.f == i {
				pp.f = b.f
			}
		}
		changed = true
	}
	return changed
}
