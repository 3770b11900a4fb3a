package filter

import (
	"slices"
	"strconv"
	"strings"
)

// parser is a recursive-descent parser for libpcap's grammar. Like
// libpcap's yacc actions it generates code as each construct is reduced,
// so that semantic errors surface in the same left-to-right order and the
// vlan/mpls/pppoes offset shifts apply to what follows them.
type parser struct {
	toks []token
	i    int
	g    *gen
	far  int // furthest token index a syntax failure reached
	// depth is how deeply the constructs being parsed nest (parentheses,
	// not, unary minus, right-associative operators); see maxDepth.
	depth int
	// open holds the parenthesised constructs being parsed (see
	// parenKey); failed maps those a speculative parse (try) saw fail
	// to the furthest token reached, so that another attempt at the same
	// place fails at once instead of parsing again what is inside:
	// without it, n nested parentheses are parsed n times over.
	open   []int
	failed map[int]int
}

// maxDepth bounds nesting. libpcap's parser (bison, with its stack of
// 10000 entries) refuses about 10000 nested parentheses ("memory
// exhausted": 9995 are accepted around "tcp"); each level here counts
// one, where bison stacks at least one entry, so every expression
// libpcap parses is within the bound.
const maxDepth = 10000

// Kinds of parenthesised constructs whose failures are remembered.
const (
	parenArith = iota // "(" arith ")" in parsePrimary
	parenPnum         // "(" pnum ")" in parsePnum
	parenKinds
)

func parenKey(i, kind int) int { return i*parenKinds + kind }

// enterParen starts parsing the construct at token index i of kind: it
// fails at once if it failed there before.
func (p *parser) enterParen(i, kind int) {
	key := parenKey(i, kind)
	if far, ok := p.failed[key]; ok {
		p.far = max(p.far, far)
		panic(syntaxFail{})
	}
	p.open = append(p.open, key)
}

// leaveParen ends the construct enterParen started, which succeeded.
func (p *parser) leaveParen() { p.open = p.open[:len(p.open)-1] }

// nest enters one level of nesting at token t; unnest leaves it.
func (p *parser) nest(t token) {
	p.depth++
	if p.depth > maxDepth {
		p.at(t)
		p.g.fail("expression nested too deeply: more than %d levels of parentheses, not or unary minus", maxDepth)
	}
}

func (p *parser) unnest() { p.depth-- }

// syntaxFail unwinds a speculative parse; see try.
type syntaxFail struct{}

// peek returns the next token. Like yacc reading its lookahead, looking at
// a token the scanner rejected reports the scanner's error.
func (p *parser) peek() token { return p.peekAt(0) }

func (p *parser) peekAt(n int) token {
	t := p.toks[len(p.toks)-1]
	if p.i+n < len(p.toks) {
		t = p.toks[p.i+n]
	}
	if t.err != "" && t.err != "syntax error" {
		p.g.pos = t.pos
		p.g.fail("%s", t.err)
	}
	return t
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) isKw(t token, kws ...string) bool {
	if t.kind != tKeyword {
		return false
	}
	for _, k := range kws {
		if t.text == k {
			return true
		}
	}
	return false
}

// syntax aborts the parse at the current token.
func (p *parser) syntax() {
	if p.i > p.far {
		p.far = p.i
	}
	panic(syntaxFail{})
}

func (p *parser) expect(k tokKind) token {
	if p.peek().kind != k || p.peek().err != "" {
		p.syntax()
	}
	return p.next()
}

// at sets the generator's error position to token t.
func (p *parser) at(t token) { p.g.pos = t.pos }

// try runs f speculatively: on a syntax failure it restores the parser and
// register state and reports false. Semantic errors are not caught.
func (p *parser) try(f func()) (ok bool) {
	save, regs, cur := p.i, p.g.regUsed, p.g.curReg
	link := p.g.link
	depth, open := p.depth, len(p.open)
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(syntaxFail); !is {
				panic(r)
			}
			// Every construct the failure unwound out of failed.
			if p.failed == nil {
				p.failed = map[int]int{}
			}
			for _, key := range p.open[open:] {
				p.failed[key] = p.far
			}
			p.open = p.open[:open]
			p.depth = depth
			p.i, p.g.regUsed, p.g.curReg, p.g.link = save, regs, cur, link
			ok = false
		}
	}()
	f()
	return true
}

func (p *parser) parseProg() frag {
	if p.peek().kind == tEOF && p.peek().err == "" {
		return fTrue()
	}
	f, _ := p.parseExpr(qerr)
	if p.peek().kind != tEOF || p.peek().err != "" {
		p.syntax()
	}
	return f
}

func isIDStart(t token) bool {
	switch t.kind {
	case tID, tHID, tHID6, tEID, tAID:
		return t.err == ""
	}
	return false
}

func (p *parser) parseExpr(ctx qual) (frag, qual) {
	f, q := p.parseTerm(ctx)
	for {
		t := p.peek()
		if t.kind != tAND && t.kind != tOR && !p.isKw(t, "and", "or") {
			return f, q
		}
		isAnd := t.kind == tAND || p.isKw(t, "and")
		p.next()
		f2, q2 := p.parseTermOrID(q)
		if isAnd {
			f = and(f, f2)
		} else {
			f = or(f, f2)
		}
		q = q2
	}
}

// parseTermOrID parses what may follow "and"/"or": a term, or a bare id
// that inherits the qualifiers ctx of the term before.
func (p *parser) parseTermOrID(ctx qual) (frag, qual) {
	j := 0
	for p.peekAt(j).kind == tNOT || p.isKw(p.peekAt(j), "not") {
		j++
	}
	t := p.peekAt(j)
	if isIDStart(t) {
		return p.parseID(ctx), ctx
	}
	if t.kind == tNUM || t.kind == tLPAREN {
		var f frag
		var q qual
		if p.try(func() { f, q = p.parseTerm(ctx) }) {
			return f, q
		}
		return p.parseID(ctx), ctx
	}
	return p.parseTerm(ctx)
}

func (p *parser) parseTerm(ctx qual) (frag, qual) {
	t := p.peek()
	if t.kind == tNOT || p.isKw(t, "not") {
		p.next()
		p.nest(t)
		f, q := p.parseTerm(ctx)
		p.unnest()
		return not(f), q
	}
	return p.parseRterm(ctx)
}

var dquals = map[string]qdir{
	"src": dSrc, "dst": dDst, "addr1": dAddr1, "addr2": dAddr2,
	"addr3": dAddr3, "addr4": dAddr4, "ra": dRA, "ta": dTA,
}

var aquals = map[string]qaddr{
	"host": aHost, "net": aNet, "port": aPort, "portrange": aPortrange,
}

func (p *parser) parseRterm(ctx qual) (frag, qual) {
	t := p.peek()
	if t.err != "" {
		p.at(t)
		p.g.fail("%s", t.err)
	}
	switch t.kind {
	case tLPAREN:
		var f frag
		if p.try(func() { f = p.parseRelation() }) {
			return f, qerr
		}
		p.next()
		p.nest(t)
		f, _ = p.parseExpr(ctx)
		p.expect(tRPAREN)
		p.unnest()
		return f, ctx
	case tNUM, tMINUS:
		return p.parseRelation(), qerr
	case tKeyword:
	default:
		p.syntax()
	}
	kw := t.text
	if kw == "len" {
		return p.parseRelation(), qerr
	}
	pq := pDefault
	if pr, ok := protoKeywords[kw]; ok {
		n := p.peekAt(1)
		if n.kind == tLBRACK {
			return p.parseRelation(), qerr
		}
		pq = pr
		if !p.isKw(n, "src", "dst", "addr1", "addr2", "addr3", "addr4", "ra", "ta", "host", "net",
			"port", "portrange", "proto", "protochain", "gateway", "broadcast", "multicast", "type", "subtype", "dir") {
			p.next()
			p.at(t)
			return p.g.protoAbbrev(pr), qerr
		}
		p.next()
		t = p.peek()
		kw = t.text
	}
	// head: pqual [dqual] [aqual] | pqual proto | pqual protochain | pqual gateway
	q := qual{pq, dDefault, aDefault}
	if d, ok := dquals[kw]; ok {
		p.next()
		q.dir = d
		if (d == dSrc || d == dDst) && (p.peek().kind == tOR || p.peek().kind == tAND || p.isKw(p.peek(), "or", "and")) {
			other := "dst"
			if d == dDst {
				other = "src"
			}
			c := p.next()
			if !p.isKw(p.peek(), other) {
				p.syntax()
			}
			p.next()
			q.dir = dOr
			if c.kind == tAND || p.isKw(c, "and") {
				q.dir = dAnd
			}
		}
		if a, ok := aquals[p.peek().text]; ok && p.peek().kind == tKeyword {
			p.next()
			q.addr = a
		}
		return p.parseID(q), q
	}
	if a, ok := aquals[kw]; ok {
		p.next()
		q.addr = a
		return p.parseID(q), q
	}
	switch kw {
	case "proto", "protochain", "gateway":
		p.next()
		q.addr = map[string]qaddr{"proto": aProto, "protochain": aProtochain, "gateway": aGateway}[kw]
		return p.parseID(q), q
	case "broadcast":
		p.next()
		p.at(t)
		return p.g.broadcast(pq), qerr
	case "multicast":
		p.next()
		p.at(t)
		return p.g.multicast(pq), qerr
	case "type", "subtype", "dir":
		return p.parse80211(), qerr
	}
	if pq != pDefault {
		p.syntax()
	}
	return p.parseOther(), qerr
}

// parseOther parses the keyword primitives of libpcap's "other" rule.
func (p *parser) parseOther() frag {
	t := p.next()
	p.at(t)
	g := p.g
	switch t.text {
	case "less", "greater":
		n := p.expect(tNUM)
		jop := uint16(opJgeK)
		if t.text == "less" {
			jop = opJgtK
		}
		b := test([]ins{{op: opLdLen}}, jop, n.num)
		if t.text == "less" {
			b = not(b)
		}
		return b
	case "byte":
		idx := p.expect(tNUM)
		op := p.next()
		val := p.expect(tNUM)
		p.at(t)
		switch op.kind {
		case tEQ:
			return g.cmp(orLinkHdr, int(idx.num), 1, val.num)
		case tLT:
			return not(g.cmpGE(orLinkHdr, int(idx.num), 1, val.num))
		case tGT:
			return g.cmpGT(orLinkHdr, int(idx.num), 1, val.num)
		case tAMP, tPIPE:
			// "byte N & M" is true when the byte ANDed (ORed) with M is
			// not zero. libpcap 1.10 forgets to load the byte and tests
			// 0 & M (0 | M): it rejects every packet for "&" and accepts
			// every packet for "|". wirekit loads the byte (a deliberate
			// difference, listed in the README).
			alu := uint32(aluAnd)
			if op.kind == tPIPE {
				alu = aluOr
			}
			code := append(g.load(orLinkHdr, int(idx.num), 1), ins{op: opAluK | uint16(alu), k: val.num})
			return not(test(code, opJeqK, 0))
		}
		p.i--
		p.syntax()
	case "inbound", "outbound":
		p.at(t)
		return g.inbound(t.text == "outbound")
	case "ifindex":
		n := p.expect(tNUM)
		p.at(t)
		return g.ifindex(n.num)
	case "vlan", "mpls", "pppoes", "geneve", "vxlan":
		var n uint32
		has := false
		if k := p.peek().kind; k == tNUM || k == tLPAREN {
			n, has = p.parsePnum(), true
		}
		p.at(t)
		switch t.text {
		case "vlan":
			return g.vlan(n, has)
		case "mpls":
			return g.mpls(n, has)
		case "pppoes":
			return g.pppoes(n, has)
		case "vxlan":
			return g.vxlan(n, has)
		}
		return g.geneve(n, has)
	case "pppoed":
		return g.linktype(ethPPPoED)
	case "ifname", "rset":
		name := p.expect(tID)
		p.at(t)
		if t.text == "ifname" {
			return g.pflogName("ifname", pflogIfname, name.text)
		}
		return g.pflogName("ruleset", pflogRuleset, name.text)
	case "reason":
		n := p.next()
		var v uint32
		switch n.kind {
		case tNUM:
			v = n.num
		case tID:
			i := slices.Index(pfReasons, asciiLower(n.text))
			if i < 0 {
				p.at(n)
				g.fail("unknown PF reason \"%s\"", n.text)
			}
			v = uint32(i)
		default:
			p.i--
			p.syntax()
		}
		p.at(t)
		return g.pflogField("reason", pflogReason, 1, v)
	case "action":
		n := p.expect(tID)
		v, ok := pfActions[asciiLower(n.text)]
		if !ok {
			p.at(n)
			g.fail("unknown PF action \"%s\"", n.text)
		}
		p.at(t)
		return g.pflogField("action", pflogAction, 1, v)
	case "rnr", "srnr":
		n := p.expect(tNUM)
		p.at(t)
		if t.text == "rnr" {
			return g.pflogField("rnr", pflogRulenr, 4, n.num)
		}
		return g.pflogField("srnr", pflogSubrule, 4, n.num)
	case "llc":
		if n := p.peek(); n.kind == tID || p.isKw(n, "rnr") {
			p.next()
			return g.llcKind(n.text)
		}
		return g.llc()
	case "lane", "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc", "ilmic", "connectmsg", "metaconnect":
		return g.atmKeyword(t.text)
	case "fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu":
		return g.mtp2Type(t.text)
	case "vpi", "vci", "sio", "opc", "dpc", "sls", "hsio", "hopc", "hdpc", "hsls":
		return p.parseFieldValue(t)
	}
	p.i--
	p.syntax()
	return nil
}

// parsePnum parses NUM or a parenthesised pnum.
func (p *parser) parsePnum() uint32 {
	if t := p.peek(); t.kind == tLPAREN {
		p.enterParen(p.i, parenPnum)
		p.next()
		p.nest(t)
		v := p.parsePnum()
		p.expect(tRPAREN)
		p.unnest()
		p.leaveParen()
		return v
	}
	return p.expect(tNUM).num
}

// parseID parses an identifier under the inherited qualifiers q.
func (p *parser) parseID(q qual) frag {
	t := p.peek()
	if t.err != "" {
		p.at(t)
		p.g.fail("%s", t.err)
	}
	g := p.g
	switch t.kind {
	case tNOT:
		p.next()
		p.nest(t)
		f := not(p.parseID(q))
		p.unnest()
		return f
	case tKeyword:
		if t.text == "not" {
			p.syntax() // "not" before a bare id is a term, not an id
		}
	case tID:
		p.next()
		p.at(t)
		return p.scode(t.text, q)
	case tHID:
		p.next()
		if p.peek().kind == tSLASH {
			p.next()
			n := p.expect(tNUM)
			p.at(t)
			return g.mcode(t.text, "", n.num, q)
		}
		if p.isKw(p.peek(), "mask") {
			p.next()
			m := p.expect(tHID)
			p.at(t)
			return g.mcode(t.text, m.text, 0, q)
		}
		p.at(t)
		switch q.addr {
		case aPort, aPortrange, aProto, aProtochain:
			name := map[qaddr]string{aPort: "port", aPortrange: "portrange", aProto: "proto", aProtochain: "protochain"}[q.addr]
			g.fail("'%s' modifier applied to ip host", name)
		}
		return g.ncode(t.text, 0, q)
	case tHID6:
		p.next()
		if p.peek().kind == tSLASH {
			p.next()
			n := p.expect(tNUM)
			p.at(t)
			return g.mcode6(t.text, n.num, q)
		}
		p.at(t)
		return g.mcode6(t.text, 128, q)
	case tEID:
		p.next()
		p.at(t)
		return g.ecode(t.text, q)
	case tAID:
		p.next()
		p.at(t)
		return g.acode(t.text, q)
	case tNUM:
		p.next()
		p.at(t)
		return g.ncode("", t.num, q)
	case tLPAREN:
		var v uint32
		save := p.i
		if p.try(func() { v = p.parsePnum() }) {
			k := p.peek().kind
			if k != tAND && k != tOR && !p.isKw(p.peek(), "and", "or") {
				p.at(t)
				return g.ncode("", v, q)
			}
			p.i = save
		}
		p.next()
		p.nest(t)
		f := p.parseID(q)
		for {
			c := p.peek()
			if c.kind != tAND && c.kind != tOR && !p.isKw(c, "and", "or") {
				break
			}
			p.next()
			f2 := p.parseID(q)
			if c.kind == tAND || p.isKw(c, "and") {
				f = and(f, f2)
			} else {
				f = or(f, f2)
			}
		}
		p.expect(tRPAREN)
		p.unnest()
		return f
	}
	p.syntax()
	return nil
}

// scode compiles a name under qualifiers (gen_scode); names are resolved
// only from wirekit's fixed tables.
func (p *parser) scode(name string, q qual) frag {
	g := p.g
	switch q.addr {
	case aNet:
		g.fail("unknown network '%s'", name)
	case aDefault, aHost:
		switch q.proto {
		case pLink:
			g.unknownLinkHost(name)
		case pDECNET:
			g.fail("decnet name support not included, '%s' cannot be translated\n", name)
		}
		// Names are not resolved, so a name is unknown whatever the
		// family asked for (libpcap adds "for specified address family"
		// only for a name that resolves, but not to that family).
		g.fail("unknown host '%s'", name)
	case aPort:
		if q.proto != pDefault && q.proto != pUDP && q.proto != pTCP && q.proto != pSCTP {
			g.fail("illegal qualifier of 'port'")
		}
		port, real, ok := nameToPort(name)
		if !ok {
			g.fail("unknown port '%s'", name)
		}
		real = checkRealProto(g, q.proto, real, "port '"+name+"'")
		if port > 65535 {
			g.fail("illegal port number %d > 65535", port)
		}
		return g.ports(port, port, real, q.dir)
	case aPortrange:
		if q.proto != pDefault && q.proto != pUDP && q.proto != pTCP && q.proto != pSCTP {
			g.fail("illegal qualifier of 'portrange'")
		}
		lo, hi, real, ok := nameToPortrange(name)
		if !ok {
			g.fail("unknown port in range '%s'", name)
		}
		real = checkRealProto(g, q.proto, real, "port in range '"+name+"'")
		if lo > 65535 {
			g.fail("illegal port number %d > 65535", lo)
		}
		if hi > 65535 {
			g.fail("illegal port number %d > 65535", hi)
		}
		return g.ports(lo, hi, real, q.dir)
	case aGateway:
		g.fail("'gateway' not supported in this configuration")
	case aProto, aProtochain:
		v, ok := uint32(0), false
		switch q.proto {
		case pDefault, pIP, pIPV6:
			v, ok = ipProtos[name]
			if !ok {
				g.fail("unknown ip proto '%s'", name)
			}
		case pLink:
			v, ok = etherProtos[name]
			if !ok {
				v, ok = llcSAPs[name]
				if !ok {
					g.fail("unknown ether proto '%s'", name)
				}
			}
		case pISO:
			v, ok = isoProtos[name]
			if !ok {
				g.fail("unknown osi proto '%s'", name)
			}
		default:
			g.fail("unknown protocol: %s", name)
		}
		if q.addr == aProtochain {
			return g.protochain(v, q.proto)
		}
		return g.proto(v, q.proto, q.dir)
	}
	g.fail("syntax error in filter expression")
	return nil
}

// isoProtos are the names "iso proto" accepts (lookup_proto).
var isoProtos = map[string]uint32{"esis": nlpidESIS, "isis": nlpidISIS, "clnp": nlpidCLNP}

func checkRealProto(g *gen, qp qproto, real int, what string) int {
	name := map[int]string{ipprotoTCP: "tcp", ipprotoUDP: "udp", ipprotoSCTP: "sctp"}
	want := map[qproto]int{pTCP: ipprotoTCP, pUDP: ipprotoUDP, pSCTP: ipprotoSCTP}[qp]
	if qp == pDefault {
		return real
	}
	if real != protoUndef && real != want {
		g.fail("%s is %s", what, name[real])
	}
	return want
}

// nameToPort resolves a service name or number; the protocol is
// protoUndef when it is both TCP and UDP.
func nameToPort(name string) (uint32, int, bool) {
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return uint32(n), protoUndef, true
	}
	s, ok := services[name]
	if !ok {
		return 0, 0, false
	}
	switch {
	case s.tcp && s.udp:
		return s.port, protoUndef, true
	case s.tcp:
		return s.port, ipprotoTCP, true
	}
	return s.port, ipprotoUDP, true
}

func nameToPortrange(name string) (uint32, uint32, int, bool) {
	a, b, found := strings.Cut(name, "-")
	if !found {
		p, real, ok := nameToPort(name)
		return p, p, real, ok
	}
	lo, r1, ok1 := nameToPort(a)
	hi, r2, ok2 := nameToPort(b)
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	real := r1
	if r1 != r2 {
		real = protoUndef
	}
	return lo, hi, real, true
}

// Arithmetic precedence, lowest first, as grammar.y's %left lines. '%'
// and '^' have none there, so yacc always shifts them.
var arithPrec = map[tokKind]int{
	tPIPE: 1, tAMP: 2, tLSH: 3, tRSH: 3, tPLUS: 4, tMINUS: 4, tSTAR: 5, tSLASH: 5,
}

var arithOp = map[tokKind]uint16{
	tPIPE: aluOr, tAMP: aluAnd, tLSH: aluLsh, tRSH: aluRsh, tPLUS: aluAdd,
	tMINUS: aluSub, tSTAR: aluMul, tSLASH: aluDiv, tPERCENT: aluMod, tCARET: aluXor,
}

func (p *parser) parseRelation() frag {
	a0 := p.parseArith(0)
	t := p.next()
	var jop uint16
	rev := false
	switch t.kind {
	case tGT:
		jop = opJgtK
	case tGEQ:
		jop = opJgeK
	case tEQ:
		jop = opJeqK
	case tLEQ:
		jop, rev = opJgtK, true
	case tLT:
		jop, rev = opJgeK, true
	case tNEQ:
		jop, rev = opJeqK, true
	default:
		p.i--
		p.syntax()
	}
	a1 := p.parseArith(0)
	p.at(t)
	return p.g.relation(jop, a0, a1, rev)
}

func (p *parser) parseArith(minPrec int) *arth {
	lhs := p.parseUnary()
	for {
		t := p.peek()
		if t.kind == tPERCENT || t.kind == tCARET {
			p.next()
			p.nest(t)
			rhs := p.parseArith(0)
			p.unnest()
			p.at(t)
			lhs = p.g.arith(arithOp[t.kind], lhs, rhs)
			continue
		}
		prec, ok := arithPrec[t.kind]
		if !ok || prec < minPrec {
			return lhs
		}
		p.next()
		rhs := p.parseArith(prec + 1)
		p.at(t)
		lhs = p.g.arith(arithOp[t.kind], lhs, rhs)
	}
}

func (p *parser) parseUnary() *arth {
	t := p.peek()
	if t.kind == tMINUS {
		p.next()
		p.nest(t)
		a := p.parseArith(6)
		p.unnest()
		p.at(t)
		return p.g.neg(a)
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() *arth {
	t := p.next()
	p.at(t)
	switch t.kind {
	case tNUM:
		return p.g.loadi(t.num)
	case tLPAREN:
		p.i--
		p.enterParen(p.i, parenArith)
		p.next()
		p.nest(t)
		a := p.parseArith(0)
		p.expect(tRPAREN)
		p.unnest()
		p.leaveParen()
		return a
	case tKeyword:
		if t.text == "len" {
			return p.g.loadlen()
		}
		pr, ok := protoKeywords[t.text]
		if !ok || p.peek().kind != tLBRACK {
			break
		}
		p.next()
		idx := p.parseArith(0)
		size := uint32(1)
		if p.peek().kind == tCOLON {
			p.next()
			size = p.expect(tNUM).num
		}
		p.expect(tRBRACK)
		p.at(t)
		return p.g.loadIndexed(pr, idx, size)
	}
	p.i--
	p.syntax()
	return nil
}
