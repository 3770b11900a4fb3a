package filter

// relops maps the comparison tokens to libpcap's relop (jgt, jge, jeq)
// and irelop (the same jumps, reversed: <=, <, !=) rules.
var relops = map[tokKind]struct {
	jop     uint16
	reverse bool
}{
	tGT: {opJgtK, false}, tGEQ: {opJgeK, false}, tEQ: {opJeqK, false},
	tLEQ: {opJgtK, true}, tLT: {opJgeK, true}, tNEQ: {opJeqK, true},
}

// parseFieldValue parses what follows vpi, vci and the MTP3 fields sio,
// opc, dpc, sls, hsio, hopc, hdpc and hsls (libpcap's atmvalue and
// mtp3value rules): a number, a comparison and a number, or numbers
// joined by "or" in parentheses, each compiled as it is read.
func (p *parser) parseFieldValue(kw token) frag {
	g := p.g
	field := func(at token, jop uint16, reverse bool, v uint32) frag {
		p.at(at)
		if kw.text == "vpi" || kw.text == "vci" {
			return g.atmField(kw.text, jop, reverse, v)
		}
		return g.mtp3Field(kw.text, jop, reverse, v)
	}
	t := p.peek()
	if r, ok := relops[t.kind]; ok && t.err == "" {
		p.next()
		n := p.expect(tNUM)
		return field(n, r.jop, r.reverse, n.num)
	}
	if t.kind != tLPAREN || t.err != "" {
		n := p.expect(tNUM)
		return field(n, opJeqK, false, n.num)
	}
	p.next()
	p.nest(t)
	n := p.expect(tNUM)
	b := field(n, opJeqK, false, n.num)
	for o := p.peek(); o.kind == tOR || p.isKw(o, "or"); o = p.peek() {
		p.next()
		n := p.expect(tNUM)
		b = or(b, field(n, opJeqK, false, n.num))
	}
	p.expect(tRPAREN)
	p.unnest()
	return b
}
