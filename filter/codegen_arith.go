package filter

// arth is an arithmetic value under construction: code that leaves it in
// scratch register reg, and a guard that must hold for the value to mean
// anything (for tcp[...] that the packet is TCP), as libpcap's struct arth.
type arth struct {
	code     []ins
	guard    frag
	reg      int
	constant bool // code starts with "ld #k" (libpcap's zero-divisor check)
	k        uint32
}

func (g *gen) allocReg() int {
	for n := 0; n < 16; n++ {
		if !g.regUsed[g.curReg] {
			g.regUsed[g.curReg] = true
			return g.curReg
		}
		g.curReg = (g.curReg + 1) % 16
	}
	g.fail("too many registers needed to evaluate expression")
	return 0
}

func (g *gen) freeReg(r int) { g.regUsed[r] = false }

func (g *gen) loadi(v uint32) *arth {
	r := g.allocReg()
	return &arth{code: []ins{{op: opLdImm, k: v}, {op: opSt, k: uint32(r)}}, reg: r, constant: true, k: v}
}

func (g *gen) loadlen() *arth {
	r := g.allocReg()
	return &arth{code: []ins{{op: opLdLen}, {op: opSt, k: uint32(r)}}, reg: r}
}

// loadIndexed compiles proto[inst:size] (gen_load).
func (g *gen) loadIndexed(p qproto, inst *arth, size uint32) *arth {
	r := g.allocReg()
	var sz int
	switch size {
	case 1, 2, 4:
		sz = int(size)
	default:
		g.fail("data size must be 1, 2, or 4")
	}
	g.freeReg(inst.reg)
	ldi := ldOp(sz) + (opLdIW - opLdW)
	code := inst.code // inst is consumed
	switch p {
	case pRADIO:
		// Relative to the start of the packet, where the radio header is.
		if !hasRadioInfo(g.link.dlt) {
			g.fail("radio information not present in capture")
		}
		code = append(code, ins{op: opLdxMem, k: uint32(inst.reg)}, ins{op: ldi, k: 0})
	case pLink:
		code = append(code, g.loadIndexedAt(orLinkHdr, inst.reg, ldi)...)
	case pIP, pARP, pRARP, pATALK, pDECNET, pSCA, pLAT, pMOPRC, pMOPDL, pIPV6:
		code = append(code, g.loadIndexedAt(orLinkPl, inst.reg, ldi)...)
		b := g.protoAbbrev(p)
		if inst.guard != nil {
			b = and(inst.guard, b)
		}
		inst.guard = b
	case pSCTP, pTCP, pUDP, pICMP, pIGMP, pIGRP, pPIM, pVRRP, pCARP:
		_, k := g.base(orLinkPl)
		code = append(code, g.loadxIPHdrLen()...)
		code = append(code,
			ins{op: opLdMem, k: uint32(inst.reg)},
			ins{op: opAluX | aluAdd},
			ins{op: opTax},
			ins{op: ldi, k: uint32(k)})
		b := and(g.protoAbbrev(p), g.ipfrag())
		if inst.guard != nil {
			b = and(inst.guard, b)
		}
		inst.guard = and(g.protoAbbrev(pIP), b)
	case pICMPV6:
		b := g.protoAbbrev(pIPV6)
		if inst.guard != nil {
			b = and(inst.guard, b)
		}
		inst.guard = and(b, g.cmp(orLinkPl, 6, 1, ipprotoICMPv6))
		code = append(code, g.loadIndexedAt(orTranIPv6, inst.reg, ldi)...)
	default:
		g.fail("unsupported index operation")
	}
	code = append(code, ins{op: opSt, k: uint32(r)})
	return &arth{code: code, guard: inst.guard, reg: r}
}

// arith compiles a0 op a1 (gen_arth). As in libpcap, the result keeps
// only a0's guard.
func (g *gen) arith(op uint16, a0, a1 *arth) *arth {
	if a1.constant {
		switch {
		case op == aluDiv && a1.k == 0:
			g.fail("division by zero")
		case op == aluMod && a1.k == 0:
			g.fail("modulus by zero")
		case (op == aluLsh || op == aluRsh) && a1.k > 31:
			g.fail("shift by more than 31 bits")
		}
	}
	code := append(a0.code, a1.code...) // a0 and a1 are consumed
	code = append(code, ins{op: opLdxMem, k: uint32(a1.reg)}, ins{op: opLdMem, k: uint32(a0.reg)}, ins{op: opAluX | op})
	g.freeReg(a0.reg)
	g.freeReg(a1.reg)
	r := g.allocReg()
	code = append(code, ins{op: opSt, k: uint32(r)})
	return &arth{code: code, guard: a0.guard, reg: r, constant: a0.constant, k: a0.k}
}

// neg compiles unary minus (gen_neg).
func (g *gen) neg(a *arth) *arth {
	code := append(a.code, ins{op: opLdMem, k: uint32(a.reg)}, ins{op: opNeg}, ins{op: opSt, k: uint32(a.reg)})
	return &arth{code: code, guard: a.guard, reg: a.reg, constant: a.constant, k: a.k}
}

// relation compiles a0 op a1 where jop is jgt/jge/jeq; reversed negates
// it (gen_relation).
func (g *gen) relation(jop uint16, a0, a1 *arth, reversed bool) frag {
	code := append(a0.code, a1.code...) // a0 and a1 are consumed
	code = append(code, ins{op: opLdxMem, k: uint32(a1.reg)}, ins{op: opLdMem, k: uint32(a0.reg)})
	var b frag
	if jop == opJeqK {
		code = append(code, ins{op: opAluX | aluSub})
		b = test(code, opJeqK, 0)
	} else {
		b = test(code, jop|0x08, 0) // the X form
	}
	if reversed {
		b = not(b)
	}
	g.freeReg(a0.reg)
	g.freeReg(a1.reg)
	var guard frag
	switch {
	case a0.guard != nil && a1.guard != nil:
		guard = and(a0.guard, a1.guard)
	case a0.guard != nil:
		guard = a0.guard
	default:
		guard = a1.guard
	}
	if guard != nil {
		b = and(guard, b)
	}
	return b
}
