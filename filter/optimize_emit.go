package filter

import "golang.org/x/net/bpf"

// emit lays the reachable blocks out in order. A goto to the next block
// costs nothing; a conditional jump farther than 255 instructions goes
// through a "ja" placed right after it.
func (o *optimizer) emit() []bpf.RawInstruction {
	o.graph()
	var order []int
	for i := range o.blocks {
		if o.reach[i] {
			order = append(order, i)
		}
	}
	// A goto to a block that is only a return becomes that return; the
	// block is then laid out only if a jump or a fall-through needs it.
	isRet := func(i int) bool {
		b := &o.blocks[i]
		return len(b.body) == 0 && (b.op == opRetK || b.op == opRetA)
	}
	nextOf := make([]int, len(o.blocks))
	for {
		for n, i := range order {
			nextOf[i] = -1
			if n+1 < len(order) {
				nextOf[i] = order[n+1]
			}
		}
		needed := make([]bool, len(o.blocks))
		needed[0] = true
		for _, i := range order {
			b := &o.blocks[i]
			switch {
			case b.isCond():
				needed[b.t], needed[b.f] = true, true
			case b.op == opJa && (!isRet(b.t) || b.t == nextOf[i]):
				needed[b.t] = true
			}
		}
		kept := order[:0:0]
		for _, i := range order {
			if needed[i] || !isRet(i) {
				kept = append(kept, i)
			}
		}
		if len(kept) == len(order) {
			break
		}
		order = kept
	}
	farT := make([]bool, len(o.blocks))
	farF := make([]bool, len(o.blocks))
	pos := make([]int, len(o.blocks))
	for {
		p := 0
		for _, i := range order {
			b := &o.blocks[i]
			pos[i] = p
			p += len(b.body)
			switch {
			case b.op == opJa:
				if b.t != nextOf[i] {
					p++
				}
			case b.isCond():
				p++
				if farT[i] {
					p++
				}
				if farF[i] {
					p++
				}
			default:
				p++
			}
		}
		grew := false
		for _, i := range order {
			b := &o.blocks[i]
			if !b.isCond() {
				continue
			}
			at := pos[i] + len(b.body) // the jump
			if !farT[i] && pos[b.t]-at-1 > 255 {
				farT[i], grew = true, true
			}
			if !farF[i] && pos[b.f]-at-1 > 255 {
				farF[i], grew = true, true
			}
		}
		if !grew {
			break
		}
	}
	var out []bpf.RawInstruction
	for _, i := range order {
		b := &o.blocks[i]
		out = append(out, b.body...)
		at := len(out)
		switch {
		case b.op == opJa:
			if t := &o.blocks[b.t]; b.t != nextOf[i] && isRet(b.t) {
				out = append(out, bpf.RawInstruction{Op: t.op, K: t.k})
			} else if b.t != nextOf[i] {
				out = append(out, bpf.RawInstruction{Op: opJa, K: uint32(pos[b.t] - at - 1)})
			}
		case b.isCond():
			jt, jf := pos[b.t]-at-1, pos[b.f]-at-1
			var tramp []bpf.RawInstruction
			if farT[i] {
				tramp = append(tramp, bpf.RawInstruction{Op: opJa, K: uint32(pos[b.t] - (at + 1 + len(tramp)) - 1)})
				jt = 0
			}
			if farF[i] {
				tramp = append(tramp, bpf.RawInstruction{Op: opJa, K: uint32(pos[b.f] - (at + 1 + len(tramp)) - 1)})
				jf = len(tramp) - 1
			}
			out = append(out, bpf.RawInstruction{Op: b.op, K: b.k, Jt: uint8(jt), Jf: uint8(jf)})
			out = append(out, tramp...)
		default:
			out = append(out, bpf.RawInstruction{Op: b.op, K: b.k})
		}
	}
	return out
}
