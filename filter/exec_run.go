package filter

// Run executes the program on pkt with the given wire length ("len") and
// returns the accept length: 0 rejects. It does not allocate.
func (e *Executor) Run(pkt []byte, wire uint32) uint32 {
	// A single call keeps Run small enough to be inlined: a program
	// without scratch memory costs one call, to execute, and does not
	// pay for zeroing the memory (a measurable part of a short
	// program's cost); the others go through executeMem.
	return e.entry(e, pkt, wire, nil, nil)
}

// executeMem runs e with zeroed scratch memory.
func executeMem(e *Executor, pkt []byte, wire uint32, _ *[16]uint32, meta *Meta) uint32 {
	var mem [16]uint32
	return execute(e, pkt, wire, &mem, meta)
}

// execute runs e's steps with scratch memory mem, which may be nil when
// the program has no scratch memory instructions, and the packet's kernel
// metadata meta (nil: none). A step index past the code returns from
// e.rets (see foldReturns).
func execute(e *Executor, pkt []byte, wire uint32, mem *[16]uint32, meta *Meta) uint32 {
	code, rets := e.code, e.rets
	var a, x uint32
	pc := uint32(0)
	// Backward jumps (only protochain's loop) are counted. That loop goes
	// round only while A holds one of five next-header values and X an
	// offset below len(pkt) (its loads fail otherwise); if such a state repeats,
	// the loop never ends, in libpcap either. A run that ends visits each
	// state once, so this budget only cuts endless loops, which reject.
	budget := 8*uint64(len(pkt)) + 256
	for {
		if uint(pc) >= uint(len(code)) {
			return rets[uint(pc)-uint(len(code))]
		}
		in := &code[pc]
		pc++
		switch in.op {
		case xRetK:
			return in.k
		case xRetA:
			return a
		case xLdHJeq:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdBJeq:
			v, ok := ld8(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdWJeq:
			v, ok := ld32(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdHJset:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a&in.v != 0 {
				pc = in.jt
			}
		case xLdBJset:
			v, ok := ld8(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a&in.v != 0 {
				pc = in.jt
			}
		case xLdHJgt:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a > in.v {
				pc = in.jt
			}
		case xLdHJge:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a >= in.v {
				pc = in.jt
			}
		case xLdHJeq2:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			switch a {
			case in.v:
				pc = in.jt
			case in.v2:
				pc = in.t2
			default:
				pc = in.jf
			}
		case xJeq2K:
			switch a {
			case in.v:
				pc = in.jt
			case in.v2:
				pc = in.t2
			default:
				pc = in.jf
			}
		case xLdHXJeq:
			v, ok := ld16(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xMshLdHXJeq:
			h, ok := ld8(pkt, uint64(in.m))
			if !ok {
				return 0
			}
			x = (h & 0xf) << 2
			v, ok := ld16(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdHXJgt:
			v, ok := ld16(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a > in.v {
				pc = in.jt
			}
		case xLdHXJge:
			v, ok := ld16(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
			pc = in.jf
			if a >= in.v {
				pc = in.jt
			}
		case xLdBAndJeq:
			v, ok := ld8(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v & in.m
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdBXAndJeq:
			v, ok := ld8(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v & in.m
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdW:
			v, ok := ld32(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdH:
			v, ok := ld16(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdB:
			v, ok := ld8(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdWX:
			v, ok := ld32(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdHX:
			v, ok := ld16(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdBX:
			v, ok := ld8(pkt, uint64(x)+uint64(in.k))
			if !ok {
				return 0
			}
			a = v
		case xLdAnc:
			v, ok := meta.load(in.k)
			if !ok {
				return 0
			}
			a = v
		case xLdImm:
			a = in.k
		case xLdxImm:
			x = in.k
		case xLdLen:
			a = wire
		case xLdxLen:
			x = wire
		case xLdMem:
			a = mem[in.k&15]
		case xLdxMem:
			x = mem[in.k&15]
		case xLdxMsh:
			h, ok := ld8(pkt, uint64(in.k))
			if !ok {
				return 0
			}
			x = (h & 0xf) << 2
		case xSt:
			mem[in.k&15] = a
		case xStx:
			mem[in.k&15] = x
		case xTax:
			x = a
		case xTxa:
			a = x
		case xNeg:
			a = -a
		case xAluK, xAluX:
			src := in.k
			if in.op == xAluX {
				src = x
			}
			switch in.m {
			case aluAdd:
				a += src
			case aluSub:
				a -= src
			case aluMul:
				a *= src
			case aluDiv:
				if src == 0 {
					return 0
				}
				a /= src
			case aluMod:
				if src == 0 {
					return 0
				}
				a %= src
			case aluOr:
				a |= src
			case aluAnd:
				a &= src
			case aluXor:
				a ^= src
			case aluLsh:
				if src >= 32 {
					a = 0
				} else {
					a <<= src
				}
			case aluRsh:
				if src >= 32 {
					a = 0
				} else {
					a >>= src
				}
			}
		case xJa:
			pc = in.jt
		case xJaBack:
			if budget == 0 {
				return 0
			}
			budget--
			pc = in.jt
		case xJeqK:
			pc = in.jf
			if a == in.k {
				pc = in.jt
			}
		case xJgtK:
			pc = in.jf
			if a > in.k {
				pc = in.jt
			}
		case xJgeK:
			pc = in.jf
			if a >= in.k {
				pc = in.jt
			}
		case xJsetK:
			pc = in.jf
			if a&in.k != 0 {
				pc = in.jt
			}
		case xJeqX:
			pc = in.jf
			if a == x {
				pc = in.jt
			}
		case xJgtX:
			pc = in.jf
			if a > x {
				pc = in.jt
			}
		case xJgeX:
			pc = in.jf
			if a >= x {
				pc = in.jt
			}
		case xJsetX:
			pc = in.jf
			if a&x != 0 {
				pc = in.jt
			}
		default:
			return 0
		}
	}
}

// ld32, ld16 and ld8 read big-endian values at off; ok is false when the
// bytes are not all inside pkt. They are written so that the compiler
// needs no bounds checks of its own.
func ld32(pkt []byte, off uint64) (uint32, bool) {
	if off >= uint64(len(pkt)) {
		return 0, false
	}
	b := pkt[off:]
	if len(b) < 4 {
		return 0, false
	}
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), true
}

func ld16(pkt []byte, off uint64) (uint32, bool) {
	if off >= uint64(len(pkt)) {
		return 0, false
	}
	b := pkt[off:]
	if len(b) < 2 {
		return 0, false
	}
	return uint32(b[0])<<8 | uint32(b[1]), true
}

func ld8(pkt []byte, off uint64) (uint32, bool) {
	if off >= uint64(len(pkt)) {
		return 0, false
	}
	return uint32(pkt[off]), true
}
