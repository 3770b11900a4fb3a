package filter

// Run executes the program on pkt with the given wire length ("len") and
// returns the accept length: 0 rejects. It does not allocate.
func (e *Executor) Run(pkt []byte, wire uint32) uint32 {
	if e.usesMem {
		return runWithMem(e.code, e.rets, pkt, wire)
	}
	// Programs without scratch memory do not pay for zeroing it.
	return execute(e.code, e.rets, pkt, wire, nil)
}

// runWithMem runs code with zeroed scratch memory.
func runWithMem(code []xins, rets []uint32, pkt []byte, wire uint32) uint32 {
	var mem [16]uint32
	return execute(code, rets, pkt, wire, &mem)
}

// execute runs code; mem may be nil when code has no scratch memory
// instructions. A step index past the code returns from rets (see
// foldReturns).
func execute(code []xins, rets []uint32, pkt []byte, wire uint32, mem *[16]uint32) uint32 {
	var a, x uint32
	n := uint32(len(pkt))
	pc := uint32(0)
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
		case xLdHJgt, xLdHJge:
			k := in.k
			if k >= n || n-k < 2 {
				return 0
			}
			a = uint32(pkt[k])<<8 | uint32(pkt[k+1])
			pc = in.jf
			if a > in.v || (in.op == xLdHJge && a == in.v) {
				pc = in.jt
			}
		case xLdHXJeq, xLdHXJgt, xLdHXJge:
			off := uint64(x) + uint64(in.k)
			if off+2 > uint64(n) {
				return 0
			}
			a = uint32(pkt[off])<<8 | uint32(pkt[off+1])
			var c bool
			switch in.op {
			case xLdHXJeq:
				c = a == in.v
			case xLdHXJgt:
				c = a > in.v
			default:
				c = a >= in.v
			}
			pc = in.jf
			if c {
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
