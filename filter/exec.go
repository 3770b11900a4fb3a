package filter

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"
)

// Executor runs a validated classic BPF program faster than interpreting
// it instruction by instruction: jumps are resolved to absolute targets,
// and the pairs and triples that filters are made of ("ldh [12]; jeq
// #0x800", "ldb [k]; and #m; jeq #v", "ldh [x+k]; jeq #p") run as one
// step. Semantics are libpcap's bpf_filter: a load outside the packet or a
// division by zero returns 0, scratch memory starts zeroed, and the result
// is the accept length. An Executor is immutable and safe for concurrent
// use; Run does not allocate.
type Executor struct {
	code    []xins
	rets    []uint32 // jump targets len(code)+i return rets[i]
	usesMem bool     // the program has scratch memory instructions
	entry   func(e *Executor, pkt []byte, wire uint32, mem *[16]uint32, meta *Meta) uint32
}

// xins is one step of an Executor: an operation, absolute jump targets and
// up to three constants.
type xins struct {
	op     xop
	jt, jf uint32
	k      uint32
	v, m   uint32 // compare value and mask of fused steps
	v2, t2 uint32 // second compare value and its target (xJeq2K, xLdHJeq2)
}

type xop uint8

const (
	xRetK xop = iota
	xRetA
	xLdW
	xLdH
	xLdB
	xLdWX
	xLdHX
	xLdBX
	xLdImm
	xLdxImm
	xLdLen
	xLdxLen
	xLdMem
	xLdxMem
	xLdxMsh
	xSt
	xStx
	xTax
	xTxa
	xNeg
	xLdAnc // ld [SKF_AD_OFF + field]: the packet's kernel metadata (see Meta)
	xAluK  // ALU with constant: sub-op in m
	xAluX  // ALU with X: sub-op in m
	xJa
	xJaBack // a backward ja; only in programs the compiler makes (protochain)
	xJeqK
	xJgtK
	xJgeK
	xJsetK
	xJeqX
	xJgtX
	xJgeX
	xJsetX
	// Fused steps.
	xLdHJeq     // ldh [k]; jeq #v
	xLdBJeq     // ldb [k]; jeq #v
	xLdWJeq     // ld [k]; jeq #v
	xLdHJset    // ldh [k]; jset #v
	xLdBJset    // ldb [k]; jset #v
	xLdHXJeq    // ldh [x+k]; jeq #v
	xLdHXJgt    // ldh [x+k]; jgt #v
	xLdHXJge    // ldh [x+k]; jge #v
	xLdHJgt     // ldh [k]; jgt #v
	xLdHJge     // ldh [k]; jge #v
	xLdBAndJeq  // ldb [k]; and #m; jeq #v
	xLdBXAndJeq // ldb [x+k]; and #m; jeq #v
	xJeq2K      // jeq #v, else jeq #v2 (to t2)
	xLdHJeq2    // ldh [k]; jeq #v, else jeq #v2 (to t2)
	xMshLdHXJeq // ldxb 4*([m]&0xf); ldh [x+k]; jeq #v
)

// Errors of Validate, for errors.Is.
var (
	ErrEmptyProgram = errors.New("empty program")
	ErrTooLong      = errors.New("program longer than 4096 instructions")
	ErrBadJump      = errors.New("jump out of range")
	ErrBadOpcode    = errors.New("invalid opcode")
	ErrBadScratch   = errors.New("scratch memory index out of range")
	ErrNoReturn     = errors.New("program does not end in a return")
	ErrDivZero      = errors.New("division by constant zero")
)

// Validate checks a raw program the way the Linux kernel checks a socket
// filter: 1 to 4096 instructions, known opcodes, jumps forward and inside
// the program, scratch indexes below 16, no division by a constant zero,
// and a return as the last instruction. Errors name the instruction.
func Validate(raw []bpf.RawInstruction) error { return validate(raw, false, maxInsns) }

// validate is Validate; with loops, an unconditional jump may also go
// backward (libpcap's protochain code loops that way; its interpreter
// allows it, kernels do not). maxLen bounds the length (0: no bound;
// libpcap's compiler and interpreter have none, the kernel's is
// maxInsns).
func validate(raw []bpf.RawInstruction, loops bool, maxLen int) error {
	if len(raw) == 0 {
		return ErrEmptyProgram
	}
	if maxLen > 0 && len(raw) > maxLen {
		return fmt.Errorf("%d instructions: %w", len(raw), ErrTooLong)
	}
	for i, in := range raw {
		bad := func(err error) error { return fmt.Errorf("instruction %d (%#04x): %w", i, in.Op, err) }
		rest := uint64(len(raw) - i - 1)
		switch in.Op {
		case 0x06, 0x16, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x01, 0x80, 0x81, 0xb1, 0x07, 0x87, 0x84:
		case 0x60, 0x61, 0x02, 0x03:
			if in.K >= 16 {
				return bad(ErrBadScratch)
			}
		case 0x05:
			back := loops && int32(in.K) < 0 && -int64(int32(in.K)) <= int64(i+1)
			if uint64(in.K) >= rest && !back {
				return bad(ErrBadJump)
			}
		default:
			switch in.Op & 0x07 {
			case 0x04:
				switch in.Op & 0xf0 {
				case aluAdd, aluSub, aluMul, aluOr, aluAnd, aluLsh, aluRsh, aluXor:
				case aluDiv, aluMod:
					if in.Op&0x08 == 0 && in.K == 0 {
						return bad(ErrDivZero)
					}
				default:
					return bad(ErrBadOpcode)
				}
				if in.Op&^0xf8 != 0x04 {
					return bad(ErrBadOpcode)
				}
			case 0x05:
				switch in.Op & 0xf0 {
				case 0x10, 0x20, 0x30, 0x40:
				default:
					return bad(ErrBadOpcode)
				}
				if in.Op&^0xf8 != 0x05 {
					return bad(ErrBadOpcode)
				}
				if uint64(in.Jt) >= rest || uint64(in.Jf) >= rest {
					return bad(ErrBadJump)
				}
			default:
				return bad(ErrBadOpcode)
			}
		}
	}
	if last := raw[len(raw)-1].Op; last != 0x06 && last != 0x16 {
		return fmt.Errorf("instruction %d: %w", len(raw)-1, ErrNoReturn)
	}
	return nil
}

// NewExecutor validates raw (see Validate) and prepares it for Run.
func NewExecutor(raw []bpf.RawInstruction) (*Executor, error) {
	if err := Validate(raw); err != nil {
		return nil, err
	}
	return prepare(raw), nil
}

// prepare lowers a validated program into an Executor.
func prepare(raw []bpf.RawInstruction) *Executor {
	e := &Executor{code: lower(raw)}
	e.rets = foldReturns(e.code)
	for _, in := range raw {
		switch in.Op {
		case opLdMem, opLdxMem, opSt, opStx:
			e.usesMem = true
		}
	}
	e.entry = execute
	if e.usesMem {
		e.entry = executeMem
	}
	return e
}

// newLoopExecutor is NewExecutor for compiled programs, which may loop
// backward (see validate).
func newLoopExecutor(raw []bpf.RawInstruction) (*Executor, error) {
	if err := validate(raw, true, 0); err != nil {
		return nil, err
	}
	return prepare(raw), nil
}

// jaTarget is the index an unconditional jump at i lands on; k is taken
// as signed, so backward jumps (which only validate with loops) resolve.
func jaTarget(i int, k uint32) int { return i + 1 + int(int32(k)) }

// lower turns a validated program into executor steps, fusing pairs and
// triples whose later instructions no jump lands on.
func lower(raw []bpf.RawInstruction) []xins {
	n := len(raw)
	target := make([]bool, n+1)
	for i, in := range raw {
		switch {
		case in.Op == 0x05:
			target[jaTarget(i, in.K)] = true
		case in.Op&0x07 == 0x05:
			target[i+1+int(in.Jt)] = true
			target[i+1+int(in.Jf)] = true
		}
	}
	// index maps raw positions to step positions (a fused group's later
	// instructions are never targets, so they need no index).
	index := make([]uint32, n+1)
	code := make([]xins, 0, n)
	type fix struct{ step, jt, jf int }
	var fixes []fix
	for i := 0; i < n; {
		index[i] = uint32(len(code))
		in := raw[i]
		fusable := func(j int) bool { return j < n && !target[j] }
		if (in.Op == 0x20 || in.Op == 0x28 || in.Op == 0x30) && ancillary(in.K) {
			code = append(code, xins{op: xLdAnc, k: in.K})
			i++
			continue
		}
		// ldxb 4*([m]&0xf); ldh [x+k]; jeq #v
		if in.Op == 0xb1 && fusable(i+1) && fusable(i+2) && raw[i+1].Op == 0x48 && raw[i+2].Op == 0x15 {
			j := raw[i+2]
			code = append(code, xins{op: xMshLdHXJeq, m: in.K, k: raw[i+1].K, v: j.K})
			fixes = append(fixes, fix{len(code) - 1, i + 3 + int(j.Jt), i + 3 + int(j.Jf)})
			i += 3
			continue
		}
		// ldb [k]; and #m; jeq #v
		if (in.Op == 0x30 || in.Op == 0x50) && fusable(i+1) && fusable(i+2) && raw[i+1].Op == 0x54 && raw[i+2].Op == 0x15 {
			op := xLdBAndJeq
			if in.Op == 0x50 {
				op = xLdBXAndJeq
			}
			j := raw[i+2]
			code = append(code, xins{op: op, k: in.K, m: raw[i+1].K, v: j.K})
			fixes = append(fixes, fix{len(code) - 1, i + 3 + int(j.Jt), i + 3 + int(j.Jf)})
			i += 3
			continue
		}
		if fusable(i+1) && raw[i+1].Op&0x0f == 0x05 && raw[i+1].Op != 0x05 {
			j := raw[i+1]
			var op xop
			switch in.Op<<8 | uint16(j.Op)&0xff {
			case 0x28<<8 | 0x15:
				op = xLdHJeq
			case 0x30<<8 | 0x15:
				op = xLdBJeq
			case 0x20<<8 | 0x15:
				op = xLdWJeq
			case 0x28<<8 | 0x45:
				op = xLdHJset
			case 0x30<<8 | 0x45:
				op = xLdBJset
			case 0x48<<8 | 0x15:
				op = xLdHXJeq
			case 0x48<<8 | 0x25:
				op = xLdHXJgt
			case 0x48<<8 | 0x35:
				op = xLdHXJge
			case 0x28<<8 | 0x25:
				op = xLdHJgt
			case 0x28<<8 | 0x35:
				op = xLdHJge
			}
			if op != 0 {
				code = append(code, xins{op: op, k: in.K, v: j.K})
				fixes = append(fixes, fix{len(code) - 1, i + 2 + int(j.Jt), i + 2 + int(j.Jf)})
				i += 2
				continue
			}
		}
		code = append(code, single(in))
		switch {
		case in.Op == 0x05:
			t := jaTarget(i, in.K)
			if t <= i {
				code[len(code)-1].op = xJaBack
			}
			fixes = append(fixes, fix{len(code) - 1, t, 0})
		case in.Op&0x07 == 0x05:
			fixes = append(fixes, fix{len(code) - 1, i + 1 + int(in.Jt), i + 1 + int(in.Jf)})
		}
		i++
	}
	for _, f := range fixes {
		code[f.step].jt = index[f.jt]
		code[f.step].jf = index[f.jf]
	}
	thread(code)
	chain(code)
	return code
}

// chain merges into a test on A the plain "jeq" its false branch goes to,
// so that "is it 0x800, else is it 0x86dd" takes one step. The second
// test stays in place for its other predecessors.
func chain(code []xins) {
	for i := range code {
		s := &code[i]
		if s.op != xJeqK && s.op != xLdHJeq {
			continue
		}
		t := code[s.jf]
		if t.op != xJeqK {
			continue
		}
		if s.op == xJeqK {
			s.op, s.v = xJeq2K, s.k
		} else {
			s.op = xLdHJeq2
		}
		s.v2, s.t2, s.jf = t.k, t.jt, t.jf
	}
}

// thread skips tests whose outcome is already known. Packet bytes do not
// change while a program runs, so after "ldh [k] == v" succeeded, a later
// "ldh [k] == w" on that path is true exactly when w == v; after it
// failed, a later "ldh [k] == v" is false. Both leave A holding the same
// loaded value, so jumping past them changes nothing else. Unoptimized
// filters test the link type this way again and again.
func thread(code []xins) {
	for i := range code {
		s := &code[i]
		switch s.op {
		case xLdHJeq, xLdBJeq, xLdWJeq:
		default:
			continue
		}
		for hops := 0; hops < len(code); hops++ {
			t := &code[s.jt]
			if t.op != s.op || t.k != s.k {
				break
			}
			if t.v == s.v {
				s.jt = t.jt
			} else {
				s.jt = t.jf
			}
		}
		for hops := 0; hops < len(code); hops++ {
			t := &code[s.jf]
			if t.op != s.op || t.k != s.k || t.v != s.v {
				break
			}
			s.jf = t.jf
		}
	}
}

// foldReturns makes jumps to a "ret #k" step end the run at once: such a
// target becomes len(code)+i, where the returned table's entry i is k.
// Run tests for it where it checks the step index anyway.
func foldReturns(code []xins) []uint32 {
	var rets []uint32
	index := map[uint32]uint32{}
	fold := func(t *uint32) {
		if *t >= uint32(len(code)) || code[*t].op != xRetK {
			return
		}
		k := code[*t].k
		i, ok := index[k]
		if !ok {
			i = uint32(len(rets))
			index[k] = i
			rets = append(rets, k)
		}
		*t = uint32(len(code)) + i
	}
	for i := range code {
		s := &code[i]
		switch {
		case s.op == xJa:
			fold(&s.jt)
		case s.op >= xJeqK:
			fold(&s.jt)
			fold(&s.jf)
			if s.op == xJeq2K || s.op == xLdHJeq2 {
				fold(&s.t2)
			}
		}
	}
	return rets
}

// single lowers one instruction.
func single(in bpf.RawInstruction) xins {
	x := xins{k: in.K}
	switch in.Op {
	case 0x06:
		x.op = xRetK
	case 0x16:
		x.op = xRetA
	case 0x20:
		x.op = xLdW
	case 0x28:
		x.op = xLdH
	case 0x30:
		x.op = xLdB
	case 0x40:
		x.op = xLdWX
	case 0x48:
		x.op = xLdHX
	case 0x50:
		x.op = xLdBX
	case 0x00:
		x.op = xLdImm
	case 0x01:
		x.op = xLdxImm
	case 0x80:
		x.op = xLdLen
	case 0x81:
		x.op = xLdxLen
	case 0x60:
		x.op = xLdMem
	case 0x61:
		x.op = xLdxMem
	case 0xb1:
		x.op = xLdxMsh
	case 0x02:
		x.op = xSt
	case 0x03:
		x.op = xStx
	case 0x07:
		x.op = xTax
	case 0x87:
		x.op = xTxa
	case 0x84:
		x.op = xNeg
	case 0x05:
		x.op = xJa
	default:
		if in.Op&0x07 == 0x04 {
			x.op, x.m = xAluK, uint32(in.Op&0xf0)
			if in.Op&0x08 != 0 {
				x.op = xAluX
			}
			return x
		}
		ops := [...]xop{0x10: xJeqK, 0x20: xJgtK, 0x30: xJgeK, 0x40: xJsetK}
		x.op = ops[in.Op&0xf0]
		if in.Op&0x08 != 0 {
			x.op += xJeqX - xJeqK
		}
	}
	return x
}
