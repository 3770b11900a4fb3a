package filter

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// randomProgram builds a valid program of n instructions drawn from every
// opcode, with loads near a packet of about plen bytes.
func randomProgram(r *rand.Rand, n, plen int) []bpf.RawInstruction {
	ops := []uint16{0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x01, 0x80, 0x81, 0x60, 0x61, 0xb1, 0x02, 0x03, 0x07, 0x87, 0x84,
		0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x94, 0x9c, 0xa4, 0xac,
		0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x06, 0x16}
	prog := make([]bpf.RawInstruction, n)
	for i := range prog {
		op := ops[r.IntN(len(ops))]
		if i == n-1 {
			op = []uint16{0x06, 0x16}[r.IntN(2)]
		}
		in := bpf.RawInstruction{Op: op}
		rest := n - i - 1
		switch {
		case op == 0x05:
			if rest == 0 {
				in.Op = 0x06
				break
			}
			in.K = uint32(r.IntN(rest))
		case op&0x07 == 0x05:
			if rest == 0 {
				in.Op = 0x06
				break
			}
			in.Jt, in.Jf = uint8(r.IntN(min(rest, 256))), uint8(r.IntN(min(rest, 256)))
			in.K = []uint32{0, 1, 0x800, 0x86dd, 6, 17, uint32(r.Uint32()), uint32(r.IntN(256))}[r.IntN(8)]
		case op == 0x60 || op == 0x61 || op == 0x02 || op == 0x03:
			in.K = uint32(r.IntN(16))
		case op&0x07 == 0x04 && (op&0xf0 == 0x30 || op&0xf0 == 0x90) && op&0x08 == 0:
			in.K = uint32(1 + r.IntN(7))
		case op&0x07 == 0x04:
			in.K = []uint32{0, 1, 2, 4, 31, 32, 0xf0, uint32(r.Uint32())}[r.IntN(8)]
		default:
			in.K = uint32(r.IntN(plen + 8))
		}
		prog[i] = in
	}
	return prog
}

// TestExecutorMatchesInterpreter runs random valid programs on random
// packets: the executor must give the reference interpreter's verdict.
func TestExecutorMatchesInterpreter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	runs := 0
	for p := 0; p < 3000; p++ {
		plen := r.IntN(80)
		prog := randomProgram(r, 1+r.IntN(40), plen)
		if err := Validate(prog); err != nil {
			t.Fatalf("generated program invalid: %v", err)
		}
		e, err := NewExecutor(prog)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			pkt := make([]byte, plen)
			for i := range pkt {
				pkt[i] = []byte{0, 0x45, 0x08, 6, 17, 0xff, byte(r.IntN(256))}[r.IntN(7)]
			}
			wire := uint32(plen + r.IntN(3))
			if got, want := e.Run(pkt, wire), run(prog, pkt, wire); got != want {
				t.Fatalf("program %v on % x: executor %d, interpreter %d", prog, pkt, got, want)
			}
			runs++
		}
	}
	t.Logf("%d random (program, packet) pairs agree", runs)
}

// TestExecutorCompiled checks the executor on compiled filters (whose
// pairs get fused) against the interpreter, on the golden captures'
// link type with packets from the flow builder.
func TestExecutorCompiled(t *testing.T) {
	steps, insns := 0, 0
	for _, expr := range flowExprs {
		prog := MustCompile(expr, layers.LinkTypeEthernet, 65535)
		e, err := NewExecutor(prog.raw)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		steps, insns = steps+len(e.code), insns+len(prog.raw)
		for i, f := range flowCases {
			pkt, err := AppendFlowPacket(nil, layers.LinkTypeEthernet, f, []byte("payload"))
			if err != nil {
				t.Fatal(err)
			}
			for cut := 0; cut <= len(pkt); cut += 7 {
				if got, want := e.Run(pkt[:cut], uint32(len(pkt))), run(prog.raw, pkt[:cut], uint32(len(pkt))); got != want {
					t.Errorf("%q flow %d cut %d: executor %d, interpreter %d", expr, i, cut, got, want)
				}
			}
		}
	}
	t.Logf("%d executor steps for %d instructions", steps, insns)
	if steps*10 > insns*8 {
		t.Errorf("%d steps for %d instructions: fusion saves under 20%%", steps, insns)
	}
}

func TestValidate(t *testing.T) {
	ret := bpf.RawInstruction{Op: 0x06, K: 1}
	tests := []struct {
		name string
		prog []bpf.RawInstruction
		want error
	}{
		{"empty", nil, ErrEmptyProgram},
		{"too long", make([]bpf.RawInstruction, 4097), ErrTooLong},
		{"no return", []bpf.RawInstruction{{Op: 0x28, K: 12}}, ErrNoReturn},
		{"ja out", []bpf.RawInstruction{{Op: 0x05, K: 1}, ret}, ErrBadJump},
		{"jeq out", []bpf.RawInstruction{{Op: 0x15, Jt: 0, Jf: 1}, ret}, ErrBadJump},
		{"scratch", []bpf.RawInstruction{{Op: 0x02, K: 16}, ret}, ErrBadScratch},
		{"opcode", []bpf.RawInstruction{{Op: 0xff}, ret}, ErrBadOpcode},
		{"alu op", []bpf.RawInstruction{{Op: 0xd4}, ret}, ErrBadOpcode},
		{"div zero", []bpf.RawInstruction{{Op: 0x34, K: 0}, ret}, ErrDivZero},
		{"ok", []bpf.RawInstruction{{Op: 0x28, K: 12}, {Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, ret, {Op: 0x06}}, nil},
	}
	for _, tc := range tests {
		if err := Validate(tc.prog); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func FuzzExecutor(f *testing.F) {
	f.Add([]byte{0x28, 0, 0, 0, 0, 0, 0, 12, 0x15, 0, 0, 1, 0, 0, 8, 0, 0x06, 0, 0, 0, 0, 0, 0xff, 0xff}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0})
	f.Fuzz(func(t *testing.T, code, pkt []byte) {
		var prog []bpf.RawInstruction
		for len(code) >= 8 {
			prog = append(prog, bpf.RawInstruction{Op: uint16(code[0])<<8 | uint16(code[1]), Jt: code[2], Jf: code[3],
				K: uint32(code[4])<<24 | uint32(code[5])<<16 | uint32(code[6])<<8 | uint32(code[7])})
			code = code[8:]
		}
		e, err := NewExecutor(prog)
		if err != nil {
			return
		}
		if got, want := e.Run(pkt, uint32(len(pkt))), run(prog, pkt, uint32(len(pkt))); got != want {
			t.Fatalf("executor %d, interpreter %d", got, want)
		}
	})
}

// TestExecutorRunDoesNotAllocate checks Run with and without scratch
// memory: the memory lives on the stack.
func TestExecutorRunDoesNotAllocate(t *testing.T) {
	pkt := make([]byte, 64)
	pkt[12], pkt[13], pkt[14] = 0x08, 0x00, 0x45
	for _, tt := range []struct {
		expr string
		opts *Options
		mem  bool
	}{
		{"tcp port 80", nil, false},
		{"ip[2:2] * 2 - 40 > 20", &Options{NoOptimize: true}, true},
	} {
		p, err := CompileWith(tt.expr, layers.LinkTypeEthernet, 65535, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if p.exec.usesMem != tt.mem {
			t.Fatalf("%q: usesMem %v, want %v", tt.expr, p.exec.usesMem, tt.mem)
		}
		if n := testing.AllocsPerRun(100, func() { p.Run(pkt, len(pkt)) }); n != 0 {
			t.Errorf("%q: %v allocations per Run", tt.expr, n)
		}
	}
}
