package filter

// Run executes the program on pkt with the given wire length ("len") and
// returns the accept length: 0 rejects. It does not allocate.
func (e *Executor) Run(pkt []byte, wire uint32) uint32 {
	// A single call keeps Run small enough to be inlined: a program
	// without scratch memory costs one call, to execute, and does not
	// pay for zeroing the memory (a measurable part of a short
	// program's cost); the others go through executeMem.
	return e.entry(e, pkt, wire, nil)
}

// executeMem runs e with zeroed scratch memory.
func executeMem(e *Executor, pkt []byte, wire uint32, _ *[16]uint32) uint32 {
	var mem [16]uint32
	return execute(e, pkt, wire, &mem)
}

// execute runs e's steps with scratch memory mem, which may be nil when
// the program has no scratch memory instructions. A step index past the
// code returns from e.rets (see foldReturns).
func execute(e *Executor, pkt []byte, wire uint32, mem *[16]uint32) uint32 {
	code, rets := e.code, e.rets
	var a, x uint32
	n := uint32(len(pkt))
	pc := uint32(0)
	// Backward jumps (only protochain's loop) are counted. That loop goes
	// round only while A holds one of five next-header values and X an
	// offset below n (its loads fail otherwise); if such a state repeats,
	// the loop never ends, in libpcap either. A run that ends visits each
	// state once, so this budget only cuts endless loops, which reject.
	budget := 8*uint64(n) + 256
	for {
		if pc >= uint32(len(code)) {
			return rets[pc-uint32(len(code))]
		}
		in := &code[pc]
		pc++
		switch in.op {
		case xRetK:
			return in.k
		case xRetA:
			return a
		case xLdHJeq:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdBJeq:
			k := in.k
			if k >= n {
				return 0
			}
			a = uint32(pkt[k])
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdWJeq:
			k := in.k
			if k >= n || n-k < 4 {
				return 0
			}
			a = uint32(pkt[k])<<24 | uint32(pkt[k+1])<<16 | uint32(pkt[k+2])<<8 | uint32(pkt[k+3])
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdHJset:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
			pc = in.jf
			if a&in.v != 0 {
				pc = in.jt
			}
		case xLdBJset:
			k := in.k
			if k >= n {
				return 0
			}
			a = uint32(pkt[k])
			pc = in.jf
			if a&in.v != 0 {
				pc = in.jt
			}
		case xLdHJgt:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
			pc = in.jf
			if a > in.v {
				pc = in.jt
			}
		case xLdHJge:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
			pc = in.jf
			if a >= in.v {
				pc = in.jt
			}
		case xLdHJeq2:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
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
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xMshLdHXJeq:
			m := in.m
			if m >= n {
				return 0
			}
			x = uint32(pkt[m]&0xf) << 2
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdHXJgt:
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			pc = in.jf
			if a > in.v {
				pc = in.jt
			}
		case xLdHXJge:
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			pc = in.jf
			if a >= in.v {
				pc = in.jt
			}
		case xLdBAndJeq:
			k := in.k
			if k >= n {
				return 0
			}
			a = uint32(pkt[k]) & in.m
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdBXAndJeq:
			off := uint64(x) + uint64(in.k)
			if off >= uint64(n) {
				return 0
			}
			a = uint32(pkt[off]) & in.m
			pc = in.jf
			if a == in.v {
				pc = in.jt
			}
		case xLdW:
			k := in.k
			if k >= n || n-k < 4 {
				return 0
			}
			a = uint32(pkt[k])<<24 | uint32(pkt[k+1])<<16 | uint32(pkt[k+2])<<8 | uint32(pkt[k+3])
		case xLdH:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
		case xLdB:
			k := in.k
			if k >= n {
				return 0
			}
			a = uint32(pkt[k])
		case xLdWX:
			off := uint64(x) + uint64(in.k)
			if off+4 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<24 | uint32(pkt[off+1])<<16 | uint32(pkt[off+2])<<8 | uint32(pkt[off+3])
		case xLdHX:
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
		case xLdBX:
			off := uint64(x) + uint64(in.k)
			if off >= uint64(n) {
				return 0
			}
			a = uint32(pkt[off])
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
			k := in.k
			if k >= n {
				return 0
			}
			x = uint32(pkt[k]&0xf) << 2
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
