package filter

import (
	"errors"
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Program is a compiled filter: classic BPF for one link type.
type Program struct {
	expr     string
	linkType layers.LinkType
	snaplen  int
	raw      []bpf.RawInstruction
	exec     *Executor
	// unsetScratch: the unoptimized program reads scratch memory it
	// has not set on some path (see ReadsUnsetScratch).
	unsetScratch bool
	// vlan: the expression has a vlan primitive (see TestsVLAN).
	vlan bool
}

// maxInsns is the kernel's and libpcap's limit on program length.
const maxInsns = 4096

// DefaultSnapLen is the snapshot length a snaplen of 0 stands for in
// Compile, CompileWith, NewBPF and MustCompile: tcpdump's default (its
// MAXIMUM_SNAPLEN), which "tcpdump -s 0" also takes 0 to mean.
const DefaultSnapLen = 262144

// Compile compiles a pcap-filter(7) expression for packets of link type
// lt. Accepted packets make the program return snaplen, as libpcap's do;
// a snaplen of 0 means DefaultSnapLen (libpcap's pcap_compile refuses 0,
// "snaplen of 0 rejects all packets"; tcpdump turns -s 0 into 262144
// before it compiles, and so does this). A snaplen below 0 or above
// 4294967295 is an error. Errors are *SyntaxError; those for constructs
// wirekit does not compile yet also wrap ErrUnsupported.
func Compile(expr string, lt layers.LinkType, snaplen int) (*Program, error) {
	return CompileWith(expr, lt, snaplen, nil)
}

// Options adjusts compilation. A nil *Options means the zero value.
type Options struct {
	// NullBigEndian says that the 4-byte address family heading packets
	// of link type NULL (BSD loopback) is big-endian. The header is in
	// the byte order of the host that captured, which is the byte order
	// of the pcap file that holds the packets; libpcap compiles for the
	// file's order, and so does this package. The default, false, is
	// little-endian, as files written on x86 and ARM hosts are. Other
	// link types ignore it.
	NullBigEndian bool

	// NoOptimize turns the optimizer off (see Optimize): the program is
	// then libpcap's unoptimized code, as "tcpdump -O" prints it.
	NoOptimize bool
}

// CompileWith is Compile with options; opts may be nil. As in Compile, a
// snaplen of 0 means DefaultSnapLen.
func CompileWith(expr string, lt layers.LinkType, snaplen int, opts *Options) (prog *Program, err error) {
	if opts == nil {
		opts = &Options{}
	}
	if snaplen < 0 || int64(snaplen) > 0xffffffff {
		return nil, fmt.Errorf("snaplen %d out of range: want 0 (meaning %d) to 4294967295", snaplen, DefaultSnapLen)
	}
	if snaplen == 0 {
		snaplen = DefaultSnapLen
	}
	link, lerr := newLinkInfo(lt)
	if lerr != nil {
		return nil, &SyntaxError{Pos: 0, Msg: lerr.Error(), err: ErrUnsupported}
	}
	toks := lex(expr)
	p := &parser{toks: toks, g: &gen{link: link, link0: link, nullLE: !opts.NullBigEndian}}
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		switch e := r.(type) {
		case compileError:
			prog, err = nil, e.err
		case syntaxFail:
			t := p.toks[min(p.far, len(p.toks)-1)]
			msg := "syntax error"
			if t.err != "" {
				msg = t.err
			}
			prog, err = nil, &SyntaxError{Pos: t.pos, Msg: msg}
		default:
			panic(r)
		}
	}()
	f := p.parseProg()
	if pro := p.g.prologue(); pro != nil {
		f = retarget(append(frag(nil), pro...), f, len(pro), tgtTrue, tgtFalse)
	}
	raw, aerr := assemble(f, uint32(snaplen))
	if aerr != nil {
		return nil, &SyntaxError{Pos: 0, Msg: aerr.Error()}
	}
	unset := readsUnsetScratch(raw)
	// A program that loops (protochain) is not optimized: the optimizer
	// works on acyclic programs, and libpcap does not optimize these
	// either.
	if !opts.NoOptimize && Validate(raw) == nil {
		if raw, aerr = Optimize(raw); aerr != nil {
			return nil, fmt.Errorf("internal error: %w", aerr)
		}
	}
	exec, verr := newLoopExecutor(raw)
	if verr != nil {
		return nil, fmt.Errorf("internal error: compiled program does not validate: %w", verr)
	}
	return &Program{expr: expr, linkType: lt, snaplen: snaplen, raw: raw, exec: exec, unsetScratch: unset, vlan: p.g.vlanUsed}, nil
}

// NewBPF compiles expr like gopacket/pcap's NewBPF, without libpcap.
func NewBPF(lt layers.LinkType, snaplen int, expr string) (*Program, error) {
	return Compile(expr, lt, snaplen)
}

// MustCompile is like Compile but panics on error; for expressions fixed
// at build time.
func MustCompile(expr string, lt layers.LinkType, snaplen int) *Program {
	p, err := Compile(expr, lt, snaplen)
	if err != nil {
		panic(err)
	}
	return p
}

// TestsVLAN reports whether the expression has a vlan primitive. Such a
// program looks for 802.1Q tags in the frame, where a Linux kernel, which
// takes tags off before socket filters run, does not have them; package
// capture therefore runs it in user space only, on frames whose tags it
// has put back.
func (p *Program) TestsVLAN() bool { return p.vlan }

// String returns the expression the program was compiled from.
func (p *Program) String() string { return p.expr }

// LinkType returns the link type the program was compiled for.
func (p *Program) LinkType() layers.LinkType { return p.linkType }

// Raw returns the program as kernel sock_filter instructions. The slice is
// a copy.
func (p *Program) Raw() []bpf.RawInstruction {
	return append([]bpf.RawInstruction(nil), p.raw...)
}

// Instructions returns the program decoded into x/net/bpf instructions.
func (p *Program) Instructions() []bpf.Instruction {
	out := make([]bpf.Instruction, len(p.raw))
	for i, r := range p.raw {
		out[i] = r.Disassemble()
	}
	return out
}

// Matches reports whether the packet data, described by ci, passes the
// filter. ci.Length is the wire length ("len" in expressions); when it is
// 0, len(data) is used. It does not allocate.
func (p *Program) Matches(ci gopacket.CaptureInfo, data []byte) bool {
	wire := uint32(ci.Length)
	if ci.Length <= 0 {
		wire = uint32(len(data))
	}
	return p.exec.Run(data, wire) != 0
}

// Run executes the program on data with the given wire length and returns
// the number of bytes to accept (0: reject), as libpcap's bpf_filter.
func (p *Program) Run(data []byte, wireLen int) uint32 {
	return p.exec.Run(data, uint32(wireLen))
}

var errTooLong = errors.New("expression too complex: program exceeds 4096 instructions")

// assemble appends the two returns, resolves targets to relative offsets
// and inserts ja trampolines where a conditional jump would exceed 255.
func assemble(f frag, snaplen uint32) ([]bpf.RawInstruction, error) {
	prog := make([]ins, 0, len(f)+2)
	n := len(f)
	prog = retarget(prog, f, 0, n, n+1)
	prog = append(prog, ins{op: opRetK, k: snaplen}, ins{op: opRetK, k: 0})
	for {
		far := -1
		for i, in := range prog {
			if isCondJump(in.op) && (in.jt-i-1 > 255 || in.jf-i-1 > 255) {
				far = i
				break
			}
		}
		if far < 0 {
			break
		}
		// Insert "ja" after far for each distant target, shifting every
		// target beyond far.
		in := prog[far]
		var tramp []ins
		farT, farF := in.jt-far-1 > 255, in.jf-far-1 > 255
		if farT {
			tramp = append(tramp, ins{op: opJa, jt: in.jt})
		}
		if farF {
			tramp = append(tramp, ins{op: opJa, jt: in.jf})
		}
		shift := len(tramp)
		newJt, newJf := in.jt+shift, in.jf+shift
		if farT {
			newJt = far + 1
		}
		if farF {
			newJf = far + shift
		}
		out := make([]ins, 0, len(prog)+shift)
		for i, x := range prog {
			if x.op&0x07 == 0x05 {
				if x.jt > far {
					x.jt += shift
				}
				if x.op != opJa && x.jf > far {
					x.jf += shift
				}
			}
			if i == far {
				x.jt, x.jf = newJt, newJf
				out = append(out, x)
				for _, t := range tramp {
					t.jt += shift
					out = append(out, t)
				}
				continue
			}
			out = append(out, x)
		}
		prog = out
	}
	if len(prog) > maxInsns {
		return nil, errTooLong
	}
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		r := bpf.RawInstruction{Op: in.op, K: in.k}
		switch {
		case in.op == opJa:
			r.K = uint32(in.jt - i - 1)
		case isCondJump(in.op):
			r.Jt = uint8(in.jt - i - 1)
			r.Jf = uint8(in.jf - i - 1)
		}
		raw[i] = r
	}
	return raw, nil
}
