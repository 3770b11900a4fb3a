package filter

import "golang.org/x/net/bpf"

// ReadsUnsetScratch reports whether some path through the program loads a
// scratch memory word (ld M[k], ldx M[k]) before any instruction on that
// path has stored it. Such a program sees zero there in the Linux kernel,
// in wirekit and in libpcap's development branch (since 2025), but
// whatever the stack held in every libpcap 1.10 release, whose interpreter
// does not clear scratch memory: their verdicts can differ. libpcap's own code does this after
// geneve when Geneve's offsets were not computed on the path, and with
// PFLOG and 802.11 offsets that geneve displaced.
//
// The answer is about the expression's unoptimized program, libpcap's
// code: the optimizer may fold such a read into the zero it gives.
func (p *Program) ReadsUnsetScratch() bool { return p.unsetScratch }

// readsUnsetScratch is ReadsUnsetScratch on a validated program (jumps
// may go backward, as protochain's do).
func readsUnsetScratch(raw []bpf.RawInstruction) bool {
	n := len(raw)
	// in[i] is the set of words stored on every path reaching i.
	in := make([]uint16, n)
	reached := make([]bool, n)
	reached[0] = true
	for changed := true; changed; {
		changed = false
		for i := 0; i < n; i++ {
			if !reached[i] {
				continue
			}
			out := in[i]
			op := raw[i].Op
			if op == opSt || op == opStx {
				out |= 1 << (raw[i].K & 15)
			}
			flow := func(j int) {
				if j < 0 || j >= n {
					return
				}
				if !reached[j] {
					reached[j], in[j], changed = true, out, true
				} else if in[j]&out != in[j] {
					in[j] &= out
					changed = true
				}
			}
			switch {
			case op == opRetK || op == opRetA:
			case op == opJa:
				flow(jaTarget(i, raw[i].K))
			case isCondJump(op):
				flow(i + 1 + int(raw[i].Jt))
				flow(i + 1 + int(raw[i].Jf))
			default:
				flow(i + 1)
			}
		}
	}
	for i, r := range raw {
		if reached[i] && (r.Op == opLdMem || r.Op == opLdxMem) && in[i]&(1<<(r.K&15)) == 0 {
			return true
		}
	}
	return false
}
