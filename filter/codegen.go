package filter

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"
)

// Classic BPF opcodes (linux/filter.h), used to build raw instructions.
const (
	opLdW    = 0x20 // ld [k]
	opLdH    = 0x28
	opLdB    = 0x30
	opLdIW   = 0x40 // ld [x+k]
	opLdIH   = 0x48
	opLdIB   = 0x50
	opLdImm  = 0x00
	opLdLen  = 0x80
	opLdMem  = 0x60
	opLdxImm = 0x01
	opLdxMem = 0x61
	opLdxMSH = 0xb1 // ldxb 4*([k]&0xf)
	opSt     = 0x02
	opStx    = 0x03
	opAluX   = 0x0c // add x; OR the ALU op
	opAluK   = 0x04
	opNeg    = 0x84
	opJa     = 0x05
	opJeqK   = 0x15
	opJgtK   = 0x25
	opJgeK   = 0x35
	opJsetK  = 0x45
	opJeqX   = 0x1d
	opJgtX   = 0x2d
	opJgeX   = 0x3d
	opRetK   = 0x06
	opRetA   = 0x16
	opTax    = 0x07
	opTxa    = 0x87
)

// ALU operations (the BPF_OP field).
const (
	aluAdd = 0x00
	aluSub = 0x10
	aluMul = 0x20
	aluDiv = 0x30
	aluOr  = 0x40
	aluAnd = 0x50
	aluLsh = 0x60
	aluRsh = 0x70
	aluMod = 0x90
	aluXor = 0xa0
)

// Jump targets inside a fragment: a non-negative index, or one of the two
// exits.
const (
	tgtTrue  = -1
	tgtFalse = -2
)

// ins is an instruction under construction. For jumps, jt and jf are
// absolute indexes in the enclosing fragment or tgtTrue/tgtFalse; for ja
// the target is jt.
type ins struct {
	op     uint16
	k      uint32
	jt, jf int
}

func isCondJump(op uint16) bool { return op&0x07 == 0x05 && op != opJa }

// frag is a boolean fragment: code with a true exit and a false exit.
// It is a tree (a leaf of code, or and/or/not of fragments) laid out
// into instructions once, by layout, at the end: combining fragments
// costs the same however large they are, so compiling a chain of n terms
// takes time in proportion to n, not n squared. A nil frag is none.
type frag = *fnode

type fkind uint8

const (
	fLeaf fkind = iota
	fAnd        // a, and b only when a is true
	fOr         // a, and b only when a is false
	fNot        // a with its exits swapped
)

// fnode is a node of a fragment tree. A leaf's code ends every path in a
// jump to an index of code or to tgtTrue or tgtFalse; straight-line code
// with no exits at all (a prologue) is a leaf too, run before what
// follows it in an and.
type fnode struct {
	kind fkind
	code []ins
	a, b *fnode
	size int // instructions in the layout
}

// leaf makes a fragment of code; code is not copied.
func leaf(code []ins) frag { return &fnode{kind: fLeaf, code: code, size: len(code)} }

// and returns a fragment that runs a, and b only when a is true. The
// code of a comes first, then b's: the layout is the expression's order.
func and(a, b frag) frag { return &fnode{kind: fAnd, a: a, b: b, size: a.size + b.size} }

// or returns a fragment that runs a, and b only when a is false.
func or(a, b frag) frag { return &fnode{kind: fOr, a: a, b: b, size: a.size + b.size} }

// not swaps the exits of a.
func not(a frag) frag { return &fnode{kind: fNot, a: a, size: a.size} }

func fTrue() frag  { return test([]ins{{op: opLdImm, k: 0}}, opJeqK, 0) }
func fFalse() frag { return test([]ins{{op: opLdImm, k: 1}}, opJeqK, 0) }

// test builds a fragment from straight-line code and a final conditional
// jump on k.
func test(code []ins, jop uint16, k uint32) frag {
	f := make([]ins, 0, len(code)+1)
	f = append(f, code...)
	return leaf(append(f, ins{op: jop, k: k, jt: tgtTrue, jf: tgtFalse}))
}

// layout lays fragments out as instructions with absolute targets. The
// exits not yet known are kept in lists, as libpcap's backpatch lists:
// an exit is patched once, when the code it goes to is placed, and lists
// are joined in constant time.
type layout struct {
	code []ins
	refs []exitRef
}

// exitRef is an exit of the instruction at pos (its jt, or its jf when
// jf is set); next links the refs of one list (-1: the end).
type exitRef struct {
	pos, next int32
	jf        bool
}

// exitList is a list of exitRefs (head -1: empty).
type exitList struct{ head, tail int32 }

var noExits = exitList{-1, -1}

func (l *layout) add(list exitList, pos int, jf bool) exitList {
	n := int32(len(l.refs))
	l.refs = append(l.refs, exitRef{pos: int32(pos), next: -1, jf: jf})
	if list.head < 0 {
		return exitList{n, n}
	}
	l.refs[list.tail].next = n
	return exitList{list.head, n}
}

func (l *layout) join(a, b exitList) exitList {
	switch {
	case a.head < 0:
		return b
	case b.head < 0:
		return a
	}
	l.refs[a.tail].next = b.head
	return exitList{a.head, b.tail}
}

// patch makes every exit of list go to target.
func (l *layout) patch(list exitList, target int) {
	for r := list.head; r >= 0; r = l.refs[r].next {
		ref := l.refs[r]
		if ref.jf {
			l.code[ref.pos].jf = target
		} else {
			l.code[ref.pos].jt = target
		}
	}
}

// emit appends f's code and returns its true and false exits.
func (l *layout) emit(f frag) (t, fl exitList) {
	// A chain "a or b or c ..." is a tree as deep as the chain is long:
	// its left spine is walked here, without recursion.
	var spine []*fnode
	for f.kind == fAnd || f.kind == fOr {
		spine = append(spine, f)
		f = f.a
	}
	switch f.kind {
	case fNot:
		fl, t = l.emit(f.a)
	default:
		t, fl = l.emitLeaf(f.code)
	}
	for i := len(spine) - 1; i >= 0; i-- {
		n := spine[i]
		if n.kind == fAnd {
			l.patch(t, len(l.code))
			bt, bf := l.emit(n.b)
			t, fl = bt, l.join(fl, bf)
		} else {
			l.patch(fl, len(l.code))
			bt, bf := l.emit(n.b)
			t, fl = l.join(t, bt), bf
		}
	}
	return t, fl
}

// emitLeaf appends code, its internal targets made absolute.
func (l *layout) emitLeaf(code []ins) (t, fl exitList) {
	t, fl = noExits, noExits
	base := len(l.code)
	for i, in := range code {
		if in.op&0x07 == 0x05 {
			switch in.jt {
			case tgtTrue:
				t = l.add(t, base+i, false)
			case tgtFalse:
				fl = l.add(fl, base+i, false)
			default:
				in.jt += base
			}
			if in.op != opJa {
				switch in.jf {
				case tgtTrue:
					t = l.add(t, base+i, true)
				case tgtFalse:
					fl = l.add(fl, base+i, true)
				default:
					in.jf += base
				}
			}
		}
		l.code = append(l.code, in)
	}
	return t, fl
}

// offrel names what a constant offset is relative to, as in libpcap.
type offrel int

const (
	orPacket offrel = iota
	orLinkHdr
	orLinkType
	orLinkPl
	orTranIPv4
	orTranIPv6
	orPrevMPLS
	orLLC          // the 802.2 header: the link-layer payload, before off_nl
	orLinkPlNosnap // after an 802.2 header without SNAP
)

// linkInfo is the layout of the current (possibly encapsulated) link layer;
// vlan, mpls and pppoes change it as the expression is parsed.
type linkInfo struct {
	dlt         layers.LinkType // the link type code generation follows
	offLinkHdr  int
	offLinkType int // -1: no link-type field
	offLinkPl   int
	offNl       int
	offNlNosnap int
	vlanDepth   int
	labelDepth  int
	// varHdr, varType and varPl are one more than the scratch register
	// holding the variable part of the link-header, link-type and
	// link-payload offsets (the offLink* fields are then the constant
	// parts), or 0 while the offset is constant; geneve makes them
	// variable, as libpcap's off_* with is_variable.
	varHdr, varType, varPl int
	geneve                 bool // after "geneve": libpcap's is_geneve
	lane                   bool // Ethernet in SunATM LANE: prevlinktype is SUNATM

	// as is the link type given, when dlt is another laid out the same
	// (codegen_other.go); 0 otherwise.
	as layers.LinkType
}

// varLazy marks a variable offset whose register is taken on first use;
// varSharePl one that uses the payload offset's register.
const (
	varLazy    = -1
	varSharePl = -2
)

// Link types with libpcap's DLT numbers that gopacket lacks.
const (
	ltRawDLT    layers.LinkType = 12  // DLT_RAW on most platforms
	ltLinuxSLL2 layers.LinkType = 276 // LINKTYPE_LINUX_SLL2
	ltIPv4      layers.LinkType = 228
	ltIPv6      layers.LinkType = 229
	ltPPPEther  layers.LinkType = 51  // PPPoE session data without the Ethernet header
	ltCHDLC     layers.LinkType = 104 // Cisco HDLC
	ltPPPBSDOS  layers.LinkType = 16  // LINKTYPE_PPP_BSDOS (DLT 14 on BSD/OS, where it is not RAW)
	ltFrelay    layers.LinkType = 107 // Frame Relay
	ltArcLinux  layers.LinkType = 129 // ARCNET_LINUX
)

func newLinkInfo(lt layers.LinkType) (linkInfo, error) {
	switch lt {
	case layers.LinkTypeEthernet:
		return linkInfo{dlt: lt, offLinkType: 12, offLinkPl: 14, offNlNosnap: 3}, nil
	case layers.LinkTypeRaw, ltRawDLT, 14:
		return linkInfo{dlt: layers.LinkTypeRaw, offLinkType: -1}, nil
	case ltIPv4, ltIPv6:
		return linkInfo{dlt: lt, offLinkType: -1}, nil
	case layers.LinkTypeLinuxSLL:
		return linkInfo{dlt: lt, offLinkType: 14, offLinkPl: 16}, nil
	case ltLinuxSLL2:
		return linkInfo{dlt: lt, offLinkType: 0, offLinkPl: 20}, nil
	case layers.LinkTypeLoop, layers.LinkTypeNull:
		return linkInfo{dlt: lt, offLinkType: 0, offLinkPl: 4}, nil
	case layers.LinkTypePPP:
		return linkInfo{dlt: lt, offLinkType: 2, offLinkPl: 4}, nil
	case ltPPPEther:
		return linkInfo{dlt: lt, offLinkType: 6, offLinkPl: 8}, nil
	case layers.LinkTypePPP_HDLC:
		// PPP_SERIAL: PPP in HDLC-like framing, laid out as PPP.
		return linkInfo{dlt: lt, offLinkType: 2, offLinkPl: 4}, nil
	case ltPPPBSDOS:
		// BSD/OS's 24-byte header: the PPP protocol at 5.
		return linkInfo{dlt: lt, offLinkType: 5, offLinkPl: 24}, nil
	case layers.LinkTypeSLIP:
		// A 16-byte pseudo header: the direction, then the compressed
		// TCP/IP header SLIP saw.
		return linkInfo{dlt: lt, offLinkType: -1, offLinkPl: 16}, nil
	case layers.LinkTypeFDDI:
		// Frame control, destination, source; then 802.2 and, for an
		// Ethernet type, SNAP (the type at 13+6).
		return linkInfo{dlt: lt, offLinkType: 19, offLinkPl: 13, offNl: 8, offNlNosnap: 3}, nil
	case layers.LinkTypeTokenRing:
		// Access control, frame control, destination, source (libpcap
		// assumes no source-routing field); then 802.2 and SNAP.
		return linkInfo{dlt: lt, offLinkType: 20, offLinkPl: 14, offNl: 8, offNlNosnap: 3}, nil
	case layers.LinkTypeIPOverFC:
		// RFC 2625: the network header (destination at 2, source at
		// 10), then 802.2 and SNAP.
		return linkInfo{dlt: lt, offLinkType: 22, offLinkPl: 16, offNl: 8, offNlNosnap: 3}, nil
	case layers.LinkTypeArcNet:
		// Source and destination (a byte each), the type, then the
		// fragmentation header.
		return linkInfo{dlt: lt, offLinkType: 2, offLinkPl: 6}, nil
	case ltArcLinux:
		// Source, destination, a 2-byte offset, the type, the
		// fragmentation header.
		return linkInfo{dlt: lt, offLinkType: 4, offLinkPl: 8}, nil
	case ltFrelay:
		// The Q.922 address, then the control byte and the NLPID,
		// compared together. libpcap 1.10 takes the network layer to
		// start at byte 0, on the address, and so does this.
		return linkInfo{dlt: lt, offLinkType: -1}, nil
	case ltCHDLC:
		// Address, control, then an Ethernet type.
		return linkInfo{dlt: lt, offLinkType: 2, offLinkPl: 4}, nil
	case layers.LinkTypeIEEE802_11:
		// The MAC header's length depends on the frame: the payload
		// offset (and the Ethernet type's, in a SNAP header) is computed
		// at the start of the program when it is used.
		return linkInfo{dlt: lt, offLinkType: 6, varType: varSharePl, varPl: varLazy, offNl: 8, offNlNosnap: 3}, nil
	case layers.LinkTypeIEEE80211Radio:
		// And so is the radiotap header's before it.
		return linkInfo{dlt: lt, varHdr: varLazy, offLinkType: 6, varType: varSharePl, varPl: varLazy, offNl: 8, offNlNosnap: 3}, nil
	case layers.LinkTypePFLog:
		// The pflog header's length is in its first byte: the payload
		// offset is variable, computed at the start of the program when
		// it is used.
		return linkInfo{dlt: lt, offLinkType: -1, varPl: varLazy}, nil
	case ltSunATM, ltATMRFC1483, dltATMRFC1483, ltATMCLIP, dltATMCLIP, ltSLIPBSDOS, dltSLIPBSDOS, ltPPPPPPD, ltLTalk, ltIPOver1394, ltBACnetMSTP, ltMTP2Phdr, ltMTP2, ltMTP3:
		return moreLinkInfo(lt), nil
	}
	if li, ok := otherLinkInfo(lt); ok {
		return li, nil
	}
	return linkInfo{}, fmt.Errorf("link type %d (%v): %w", int(lt), lt, ErrUnsupported)
}

// gen is the code generator state for one compilation.
type gen struct {
	link   linkInfo
	link0  linkInfo // the layout of the outermost link layer
	nullLE bool     // DLT_NULL headers are little-endian
	live   bool     // for a live Linux capture (Options.Live)
	// vlanUsed: a vlan primitive was compiled (Program.TestsVLAN).
	vlanUsed bool
	pos      int // position of the token being reduced, for errors
	regUsed  [16]bool
	curReg   int
}

func (g *gen) fail(format string, args ...any) {
	panic(compileError{&SyntaxError{Pos: g.pos, Msg: fmt.Sprintf(format, args...)}})
}

func (g *gen) unsupported(what string) {
	panic(compileError{&SyntaxError{Pos: g.pos, Msg: what + ": " + ErrUnsupported.Error(), err: ErrUnsupported}})
}

// prologue returns the code that must run first to fill the register of
// a variable payload offset the link type needs (insert_compute_vloffsets).
// As in libpcap, it fills the register the payload offset has at the end
// of compilation, which after "geneve" is Geneve's.
func (g *gen) prologue() []ins {
	if code, ok := g.otherPrologue(); ok {
		return code
	}
	switch g.link0.dlt {
	case layers.LinkTypeIEEE802_11, layers.LinkTypeIEEE80211Radio:
		// As libpcap's, the padding test depends on the link type the
		// compilation ended with (pppoes and geneve change it).
		return wlanPrologue(g.link0.dlt == layers.LinkTypeIEEE80211Radio, g.link.dlt == layers.LinkTypeIEEE80211Radio, g.link.varHdr-1, g.link.varPl-1)
	}
	if g.link0.dlt != layers.LinkTypePFLog || g.link.varPl <= 0 {
		return nil
	}
	return []ins{
		{op: opLdB, k: 0}, // the header length, rounded up to 4 bytes
		{op: opAluK | aluAdd, k: 3},
		{op: opAluK | aluAnd, k: 0xfffffffc},
		{op: opSt, k: uint32(g.link.varPl - 1)},
		{op: opTax},
	}
}

// base returns where offsets relative to rel start: the scratch register
// holding the variable part (-1 when there is none) and the constant part.
func (g *gen) base(rel offrel) (reg, k int) {
	l := &g.link
	if l.varHdr == varLazy && (rel == orLinkHdr || hasLinkPrefix(l.dlt) && rel != orPacket) {
		// Radiotap: the MAC header's length is found after the
		// radiotap header's, so the payload offset needs it too.
		l.varHdr = g.allocReg() + 1
	}
	if l.varPl == varLazy && rel != orLinkHdr && rel != orPacket {
		l.varPl = g.allocReg() + 1
	}
	if l.varType == varSharePl && l.varPl > 0 {
		l.varType = l.varPl
	}
	switch rel {
	case orLinkHdr:
		return l.varHdr - 1, l.offLinkHdr
	case orLinkType:
		return l.varType - 1, l.offLinkType
	case orLinkPl:
		return l.varPl - 1, l.offLinkPl + l.offNl
	case orTranIPv6:
		return l.varPl - 1, l.offLinkPl + l.offNl + 40
	case orPrevMPLS:
		return l.varPl - 1, l.offLinkPl + l.offNl - 4
	case orLLC:
		return l.varPl - 1, l.offLinkPl
	case orLinkPlNosnap:
		return l.varPl - 1, l.offLinkPl + l.offNlNosnap
	}
	return -1, 0
}

func ldOp(size int) uint16 {
	switch size {
	case 1:
		return opLdB
	case 2:
		return opLdH
	}
	return opLdW
}

// load returns code that loads size bytes at off (relative to rel) into A.
// A variable offset goes through X (and leaves it changed).
func (g *gen) load(rel offrel, off, size int) []ins {
	ldi := ldOp(size) + (opLdIW - opLdW)
	if rel == orTranIPv4 {
		_, k := g.base(orLinkPl)
		return append(g.loadxIPHdrLen(), ins{op: ldi, k: uint32(k + off)})
	}
	reg, k := g.base(rel)
	if reg < 0 {
		return []ins{{op: ldOp(size), k: uint32(k + off)}}
	}
	return []ins{{op: opLdxMem, k: uint32(reg)}, {op: ldi, k: uint32(k + off)}}
}

// loadxIPHdrLen returns code that puts the length of the IPv4 header in X,
// plus the variable part of the link-payload offset if there is one
// (gen_loadx_iphdrlen).
func (g *gen) loadxIPHdrLen() []ins {
	reg, k := g.base(orLinkPl)
	if reg < 0 {
		return []ins{{op: opLdxMSH, k: uint32(k)}}
	}
	return []ins{
		{op: opLdxMem, k: uint32(reg)},
		{op: opLdIB, k: uint32(k)},
		{op: opAluK | aluAnd, k: 0xf},
		{op: opAluK | aluLsh, k: 2},
		{op: opAluX | aluAdd},
		{op: opTax},
	}
}

// loadIndexedAt returns code that loads size bytes at the offset held in
// scratch register inst, relative to rel, into A.
func (g *gen) loadIndexedAt(rel offrel, inst int, ldi uint16) []ins {
	reg, k := g.base(rel)
	if reg < 0 {
		return []ins{{op: opLdxMem, k: uint32(inst)}, {op: ldi, k: uint32(k)}}
	}
	return []ins{{op: opLdxMem, k: uint32(reg)}, {op: opLdMem, k: uint32(inst)}, {op: opAluX | aluAdd}, {op: opTax}, {op: ldi, k: uint32(k)}}
}

func (g *gen) cmp(rel offrel, off, size int, v uint32) frag {
	return test(g.load(rel, off, size), opJeqK, v)
}

func (g *gen) mcmp(rel offrel, off, size int, v, mask uint32) frag {
	code := g.load(rel, off, size)
	if mask != 0xffffffff {
		code = append(code, ins{op: opAluK | aluAnd, k: mask})
	}
	return test(code, opJeqK, v)
}

func (g *gen) cmpGT(rel offrel, off, size int, v uint32) frag {
	return test(g.load(rel, off, size), opJgtK, v)
}

func (g *gen) cmpGE(rel offrel, off, size int, v uint32) frag {
	return test(g.load(rel, off, size), opJgeK, v)
}

// Ethernet types and SAPs used by the generator.
const (
	ethIP     = 0x0800
	ethARP    = 0x0806
	ethRARP   = 0x8035
	ethIPv6   = 0x86dd
	ethVLAN   = 0x8100
	ethQinQ   = 0x88a8
	ethQinQ2  = 0x9100
	ethMPLS   = 0x8847
	ethPPPoED = 0x8863
	ethPPPoES = 0x8864
	ethAtalk  = 0x809b
	ethAARP   = 0x80f3
	ethDN     = 0x6003
	ethSCA    = 0x6007
	ethLAT    = 0x6004
	ethMOPDL  = 0x6001
	ethMOPRC  = 0x6002
	ethMTU    = 1500
)

// linktype returns a test that the link layer carries ll (an Ethernet
// type, or an LLC SAP when <= 1500), as libpcap's gen_linktype.
func (g *gen) linktype(ll uint32) frag {
	l := &g.link
	if l.labelDepth > 0 {
		switch ll {
		case ethIP:
			return and(g.mcmp(orLinkPl, -2, 1, 1, 1), g.mcmp(orLinkPl, 0, 1, 0x40, 0xf0))
		case ethIPv6:
			return and(g.mcmp(orLinkPl, -2, 1, 1, 1), g.mcmp(orLinkPl, 0, 1, 0x60, 0xf0))
		}
		g.fail("unsupported protocol over mpls")
	}
	if f := g.otherLinktype(ll); f != nil {
		return f
	}
	switch l.dlt {
	case layers.LinkTypeEthernet:
		if l.lane && !l.geneve {
			return and(g.laneCheck(), g.etherLinktype(ll))
		}
		return g.etherLinktype(ll)
	case layers.LinkTypeLinuxSLL:
		return g.sllLinktype(ll)
	case ltLinuxSLL2:
		// libpcap 1.10 has no SLL2 case: the type field is compared
		// as is, LLC SAPs included.
		return g.cmp(orLinkType, 0, 2, ll)
	case layers.LinkTypeRaw, layers.LinkTypeSLIP:
		// The IP version. libpcap 1.10 looks for it at the start of the
		// link header, which on SLIP is the direction byte of the
		// pseudo header, not the packet's first byte; so does this.
		switch ll {
		case ethIP:
			return g.mcmp(orLinkHdr, 0, 1, 0x40, 0xf0)
		case ethIPv6:
			return g.mcmp(orLinkHdr, 0, 1, 0x60, 0xf0)
		}
		return fFalse()
	case ltIPv4:
		if ll == ethIP {
			return fTrue()
		}
		return fFalse()
	case ltIPv6:
		if ll == ethIPv6 {
			return fTrue()
		}
		return fFalse()
	case layers.LinkTypeIEEE802_11, layers.LinkTypeIEEE80211Radio:
		return and(g.dataFrame(), g.llcLinktype(ll))
	case layers.LinkTypeFDDI, layers.LinkTypeTokenRing, layers.LinkTypeIPOverFC:
		// Always an 802.2 header: SAPs there, Ethernet types in SNAP.
		return g.llcLinktype(ll)
	case layers.LinkTypePFLog:
		// The address family, as the capturing host numbers it; libpcap
		// compares the Linux values (AF_INET6 is 10), even for files
		// from OpenBSD, where it is 24.
		switch ll {
		case ethIP:
			return g.cmp(orLinkHdr, 1, 1, 2)
		case ethIPv6:
			return g.cmp(orLinkHdr, 1, 1, 10)
		}
		return fFalse()
	case layers.LinkTypeLoop, layers.LinkTypeNull:
		// The address family: in network byte order for LOOP, in the
		// capture file's byte order for NULL. For IPv6, the values of
		// the BSDs, FreeBSD and Darwin, as libpcap uses for files.
		af := func(v uint32) frag {
			if l.dlt == layers.LinkTypeNull && g.nullLE {
				v = v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24
			}
			return g.cmp(orLinkType, 0, 4, v)
		}
		switch ll {
		case ethIP:
			return af(2)
		case ethIPv6:
			return or(or(af(24), af(28)), af(30))
		}
		return fFalse()
	case ltCHDLC:
		// An Ethernet type, as is, except that Cisco gives OSI 0xfefe.
		if ll == sapISONS {
			ll = sapISONS<<8 | sapISONS
		}
		return g.cmp(orLinkType, 0, 2, ll)
	case layers.LinkTypeArcNet, ltArcLinux:
		// ARCnet's own type values, the old ones for IP and ARP too.
		arc := func(v uint32) frag { return g.cmp(orLinkType, 0, 1, v) }
		switch ll {
		case ethIPv6:
			return arc(0xc4)
		case ethIP:
			return or(arc(0xd4), arc(0xf0))
		case ethARP:
			return or(arc(0xd5), arc(0xf1))
		case ethRARP:
			return arc(0xd6)
		case ethAtalk:
			return arc(0xdd)
		}
		return fFalse()
	case ltFrelay:
		// The control byte (UI) and the NLPID.
		switch ll {
		case ethIP:
			return g.cmp(orLinkHdr, 2, 2, 0x03cc)
		case ethIPv6:
			return g.cmp(orLinkHdr, 2, 2, 0x038e)
		case sapISONS:
			return or(or(g.cmp(orLinkHdr, 2, 2, 0x0300|nlpidCLNP), g.cmp(orLinkHdr, 2, 2, 0x0300|nlpidESIS)), g.cmp(orLinkHdr, 2, 2, 0x0300|nlpidISIS))
		}
		return fFalse()
	case ltPPPBSDOS:
		// IP also as Van Jacobson compressed and uncompressed TCP.
		if ll == ethIP {
			return or(or(g.cmp(orLinkType, 0, 2, 0x21), g.cmp(orLinkType, 0, 2, 0x2d)), g.cmp(orLinkType, 0, 2, 0x2f))
		}
		return g.cmp(orLinkType, 0, 2, pppType(ll))
	case layers.LinkTypePPP, ltPPPEther, layers.LinkTypePPP_HDLC:
		return g.cmp(orLinkType, 0, 2, pppType(ll))
	case ltSunATM, ltATMRFC1483, ltATMCLIP, ltSLIPBSDOS, ltPPPPPPD, ltLTalk, ltIPOver1394, ltBACnetMSTP, ltMTP2Phdr, ltMTP2, ltMTP3:
		return g.moreLinktype(ll)
	}
	g.unsupported("link type " + l.dlt.String())
	return nil
}

// pppType is libpcap's ethertype_to_ppptype: the PPP protocol for an
// Ethernet type or LLC SAP; other values are compared as they are.
func pppType(ll uint32) uint32 {
	switch ll {
	case ethIP:
		ll = 0x21
	case ethIPv6:
		ll = 0x57
	case ethDN:
		ll = 0x27
	case ethAtalk:
		ll = 0x29
	case 0x0600: // ETHERTYPE_NS
		ll = 0x3f
	case 0xfe: // LLCSAP_ISONS
		ll = 0x23
	case 0x42: // LLCSAP_8021D
		ll = 0x31
	case 0xe0: // LLCSAP_IPX
		ll = 0x2b
	}
	return ll
}
