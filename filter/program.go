package filter

import (
	"fmt"
	"math/bits"

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

// maxInsns is the Linux kernel's limit on the length of a socket filter
// (BPF_MAXINSNS), checked when a program is attached. libpcap compiles
// and runs longer programs, and so does this package; Validate, which
// checks what a kernel would accept, applies it.
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
// wirekit does not compile yet also wrap ErrUnsupported, and an expression
// that can match no packet of lt gives libpcap's "expression rejects all
// packets", wrapping ErrRejectsAll (see CompileWith's Options to compile
// it anyway).
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

	// AllowRejectAll keeps a program that can never accept a packet: by
	// default the optimizing compiler refuses it with ErrRejectsAll, as
	// libpcap does; with AllowRejectAll it returns the optimized program
	// (a lone "ret #0"). For callers that compile one expression for many
	// link types and want "matches nothing" on some of them rather than
	// an error.
	AllowRejectAll bool

	// Live compiles for a live capture on a Linux AF_PACKET socket (as
	// tcpdump -i does) rather than for packets read from a file: on link
	// types whose header does not record the direction or the interface,
	// inbound, outbound and ifindex then test the kernel's metadata of
	// the packet (SKF_AD_PKTTYPE, SKF_AD_IFINDEX), as libpcap does on
	// Linux, where for a file they are refused ("inbound/outbound not
	// supported on Ethernet when reading savefiles"). A kernel runs such
	// a program as is; in user space, Program.MatchesMeta gives it the
	// metadata (Matches gives none, and those tests then reject). Link
	// types whose header records them (LINUX_SLL, LINUX_SLL2, SLIP,
	// PFLOG) test the header either way.
	Live bool
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
	p := &parser{toks: toks, g: &gen{link: link, link0: link, nullLE: !opts.NullBigEndian, live: opts.Live}}
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
	if pro := p.g.prologue(); pro != nil && toks[0].kind != tEOF {
		f = and(leaf(pro), f)
	}
	raw := assemble(f, uint32(snaplen))
	unset := readsUnsetScratch(raw)
	// A program that loops (protochain) is not optimized: the optimizer
	// works on acyclic programs, and libpcap does not optimize these
	// either.
	if !opts.NoOptimize && validate(raw, false, 0) == nil {
		unopt := raw
		var oerr error
		if raw, oerr = Optimize(raw); oerr != nil {
			return nil, fmt.Errorf("internal error: %w", oerr)
		}
		// libpcap's pcap_compile refuses an optimized program whose
		// root is "ret #0". Optimize turns every block from which all
		// paths reject into "ret #0", so that is the first instruction
		// exactly when it finds that no packet can be accepted; the
		// program is refused when it finds so by libpcap's kind of
		// reasoning too (not from the bounds of a load: "proto 256").
		if rejectsEvery(raw) && !opts.AllowRejectAll {
			if lp, lerr := optimize(unopt, true); lerr == nil && rejectsEvery(lp) {
				return nil, &SyntaxError{Pos: 0, Msg: ErrRejectsAll.Error(), err: ErrRejectsAll}
			}
		}
	}
	exec, verr := newLoopExecutor(raw)
	if verr != nil {
		return nil, fmt.Errorf("internal error: compiled program does not validate: %w", verr)
	}
	return &Program{expr: expr, linkType: lt, snaplen: snaplen, raw: raw, exec: exec, unsetScratch: unset, vlan: p.g.vlanUsed}, nil
}

// rejectsEvery tells whether an optimized program starts with "ret #0".
func rejectsEvery(raw []bpf.RawInstruction) bool {
	return raw[0].Op == opRetK && raw[0].K == 0
}

// NewBPF compiles expr like gopacket/pcap's NewBPF (same arguments, in the
// same order), without libpcap and cgo: it is Compile(expr, lt, snaplen),
// and its errors are Compile's. A snaplen of 0 means DefaultSnapLen
// (262144), as tcpdump's -s 0 does.
//
// The wire length differs where gopacket's is surprising. gopacket's
// BPF.Matches gives libpcap len(data) as the captured length and
// ci.Length as the wire length, so in the usual call with a zero
// CaptureInfo{} the expressions len, greater N and less N see a packet of
// 0 bytes ("greater 100" never matches, "less 100" always does).
// Program.Matches takes ci.Length == 0 to mean len(data), the length a
// packet read from a socket or built by hand has; a non-zero ci.Length (a
// packet cut by a snap length) is used as given, as libpcap does.
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
// 0 (or negative), len(data) is used, where gopacket/pcap's Matches would
// use 0 (see NewBPF). Only ci.Length is read. It does not allocate and is
// safe for concurrent use.
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

// assemble lays f out, appends the two returns, resolves targets to
// relative offsets and inserts "ja" trampolines where a conditional
// jump would exceed 255. There is no limit on the length: libpcap has
// none when it compiles; a kernel refuses more than 4096 instructions
// when the program is attached (see Validate).
func assemble(f frag, snaplen uint32) []bpf.RawInstruction {
	l := layout{code: make([]ins, 0, f.size+2), refs: make([]exitRef, 0, f.size)}
	t, fl := l.emit(f)
	n := len(l.code)
	l.patch(t, n)
	l.patch(fl, n+1)
	prog := append(l.code, ins{op: opRetK, k: snaplen}, ins{op: opRetK, k: 0})
	return encode(prog, trampolines(prog))
}

// Which sides of a conditional jump go through a trampoline.
const (
	farT = 1
	farF = 2
)

// trampolines finds the conditional jumps whose targets are too far,
// once "ja" trampolines are placed after the jumps that need them:
// placing one moves the code after it, so a jump over it may become too
// far in turn. Each round places all the trampolines the previous
// layout asks for; distances only grow, so this ends at the least set
// (the one adding trampolines one at a time would reach), in a few
// rounds of linear work. pos is where each instruction lands.
func trampolines(prog []ins) (far []uint8) {
	far = make([]uint8, len(prog))
	pos := make([]int, len(prog)+1)
	for {
		p := 0
		for i := range prog {
			pos[i] = p
			p += 1 + bits.OnesCount8(far[i])
		}
		pos[len(prog)] = p
		changed := false
		for i, in := range prog {
			if !isCondJump(in.op) {
				continue
			}
			if far[i]&farT == 0 && pos[in.jt]-pos[i]-1 > 255 {
				far[i] |= farT
				changed = true
			}
			if far[i]&farF == 0 && pos[in.jf]-pos[i]-1 > 255 {
				far[i] |= farF
				changed = true
			}
		}
		if !changed {
			return far
		}
	}
}

// encode turns prog, with absolute targets, into raw instructions with
// relative ones, the trampolines far asks for placed right after their
// jump (the true side's first, as libpcap places them).
func encode(prog []ins, far []uint8) []bpf.RawInstruction {
	pos := make([]int, len(prog))
	p := 0
	for i := range prog {
		pos[i] = p
		p += 1 + bits.OnesCount8(far[i])
	}
	raw := make([]bpf.RawInstruction, 0, p)
	for i, in := range prog {
		r := bpf.RawInstruction{Op: in.op, K: in.k}
		at := pos[i]
		switch {
		case in.op == opJa:
			r.K = uint32(pos[in.jt] - at - 1)
		case isCondJump(in.op):
			next := at + 1
			jt, jf := pos[in.jt], pos[in.jf]
			if far[i]&farT != 0 {
				jt = next
				next++
			}
			if far[i]&farF != 0 {
				jf = next
			}
			r.Jt, r.Jf = uint8(jt-at-1), uint8(jf-at-1)
		}
		raw = append(raw, r)
		if far[i]&farT != 0 {
			raw = append(raw, bpf.RawInstruction{Op: opJa, K: uint32(pos[in.jt] - len(raw) - 1)})
		}
		if far[i]&farF != 0 {
			raw = append(raw, bpf.RawInstruction{Op: opJa, K: uint32(pos[in.jf] - len(raw) - 1)})
		}
	}
	return raw
}
