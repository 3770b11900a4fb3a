package filter

import (
	"net/netip"
	"strconv"
	"strings"
)

// IP protocol numbers.
const (
	ipprotoICMP    = 1
	ipprotoIGMP    = 2
	ipprotoTCP     = 6
	ipprotoUDP     = 17
	ipprotoIGRP    = 9
	ipprotoFrag    = 44
	ipprotoHopOpts = 0
	ipprotoRouting = 43
	ipprotoNone    = 59
	ipprotoDstOpts = 60
	ipprotoESP     = 50
	ipprotoAH      = 51
	ipprotoICMPv6  = 58
	ipprotoPIM     = 103
	ipprotoVRRP    = 112
	ipprotoSCTP    = 132
	protoUndef     = -1
)

func typestr(a qaddr) string {
	if a == aNet {
		return "net"
	}
	return "host"
}

// host compiles an IPv4 host or network test (libpcap's gen_host).
func (g *gen) host(addr, mask uint32, p qproto, d qdir, a qaddr) frag {
	ts := typestr(a)
	switch p {
	case pDefault:
		b := g.host(addr, mask, pIP, d, a)
		if g.link.labelDepth == 0 {
			b = or(b, g.host(addr, mask, pARP, d, a))
			b = or(b, g.host(addr, mask, pRARP, d, a))
		}
		return b
	case pLink:
		g.fail("link-layer modifier applied to %s", ts)
	case pIP:
		return g.hostop(addr, mask, d, ethIP, 12, 16)
	case pARP:
		return g.hostop(addr, mask, d, ethARP, 14, 24)
	case pRARP:
		return g.hostop(addr, mask, d, ethRARP, 14, 24)
	case pATALK:
		g.fail("AppleTalk host filtering not implemented")
	case pDECNET:
		return g.dnhost(addr, d)
	case pLAT:
		g.fail("LAT host filtering not implemented")
	case pSCA:
		g.fail("SCA host filtering not implemented")
	case pMOPRC:
		g.fail("MOPRC host filtering not implemented")
	case pMOPDL:
		g.fail("MOPDL host filtering not implemented")
	case pIPV6:
		g.fail("'ip6' modifier applied to ip host")
	case pAARP:
		g.fail("AARP host filtering not implemented")
	case pISO:
		g.fail("ISO host filtering not implemented")
	case pIPX:
		g.fail("IPX host filtering not implemented")
	}
	g.fail("'%s' modifier applied to %s", protoNames[p], ts)
	return nil
}

func (g *gen) dirError(d qdir, what string) {
	switch d {
	case dAddr1, dAddr2, dAddr3, dAddr4:
		n := int(d-dAddr1) + 1
		g.fail("'addr%d' and 'address%d' are not valid qualifiers for %s", n, n, what)
	case dRA:
		g.fail("'ra' is not a valid qualifier for %s", what)
	case dTA:
		g.fail("'ta' is not a valid qualifier for %s", what)
	}
}

// srcdst combines the source and destination tests as the direction says.
func (g *gen) srcdst(d qdir, what string, one func(src bool) frag) frag {
	switch d {
	case dSrc:
		return one(true)
	case dDst:
		return one(false)
	case dAnd:
		return and(one(true), one(false))
	case dDefault, dOr:
		return or(one(true), one(false))
	}
	g.dirError(d, what)
	return nil
}

func (g *gen) hostop(addr, mask uint32, d qdir, ll uint32, srcOff, dstOff int) frag {
	return g.srcdst(d, "addresses other than 802.11 MAC addresses", func(src bool) frag {
		off := dstOff
		if src {
			off = srcOff
		}
		return and(g.linktype(ll), g.mcmp(orLinkPl, off, 4, addr, mask))
	})
}

// host6 compiles an IPv6 host or network test.
func (g *gen) host6(addr, mask [16]byte, p qproto, d qdir, a qaddr) frag {
	ts := typestr(a)
	switch p {
	case pDefault, pIPV6:
		return g.srcdst(d, "addresses other than 802.11 MAC addresses", func(src bool) frag {
			off := 24
			if src {
				off = 8
			}
			b := g.linktype(ethIPv6)
			for i := 0; i < 16; i += 4 {
				b = and(b, g.mcmp(orLinkPl, off+i, 4, be32(addr[i:]), be32(mask[i:])))
			}
			return b
		})
	case pLink:
		g.fail("link-layer modifier applied to ip6 %s", ts)
	case pIP:
		g.fail("'ip' modifier applied to ip6 %s", ts)
	case pARP:
		g.fail("'arp' modifier applied to ip6 %s", ts)
	case pRARP:
		g.fail("'rarp' modifier applied to ip6 %s", ts)
	}
	g.fail("'%s' modifier applied to ip6 %s", protoNames[p], ts)
	return nil
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (g *gen) ipfrag() frag {
	return not(test(g.load(orLinkPl, 6, 2), opJsetK, 0x1fff))
}

func (g *gen) portop(lo, hi uint32, proto uint32, d qdir, v6 bool) frag {
	what := "ports"
	atom := func(src bool) frag {
		off := 2
		if src {
			off = 0
		}
		rel := orTranIPv4
		if v6 {
			rel = orTranIPv6
		}
		if lo == hi {
			return g.cmp(rel, off, 2, lo)
		}
		return and(g.cmpGE(rel, off, 2, lo), not(g.cmpGT(rel, off, 2, hi)))
	}
	if v6 {
		return and(g.cmp(orLinkPl, 6, 1, proto), g.srcdst(d, what, atom))
	}
	return and(and(g.cmp(orLinkPl, 9, 1, proto), g.ipfrag()), g.srcdst(d, what, atom))
}

func (g *gen) portByProto(lo, hi uint32, ipProto int, d qdir, v6 bool) frag {
	if ipProto != protoUndef {
		return g.portop(lo, hi, uint32(ipProto), d, v6)
	}
	b := or(g.portop(lo, hi, ipprotoTCP, d, v6), g.portop(lo, hi, ipprotoUDP, d, v6))
	return or(b, g.portop(lo, hi, ipprotoSCTP, d, v6))
}

// ports compiles port and portrange tests for IPv6 then IPv4, in
// libpcap's order.
func (g *gen) ports(lo, hi uint32, ipProto int, d qdir) frag {
	if lo > hi {
		lo, hi = hi, lo
	}
	switch d {
	case dAddr1, dAddr2, dAddr3, dAddr4, dRA, dTA:
		g.dirError(d, "ports")
	}
	v6 := and(g.linktype(ethIPv6), g.portByProto(lo, hi, ipProto, d, true))
	v4 := and(g.linktype(ethIP), g.portByProto(lo, hi, ipProto, d, false))
	return or(v6, v4)
}

func portProto(p qproto, what string, g *gen) int {
	switch p {
	case pUDP:
		return ipprotoUDP
	case pTCP:
		return ipprotoTCP
	case pSCTP:
		return ipprotoSCTP
	case pDefault:
		return protoUndef
	}
	g.fail("illegal qualifier of '%s'", what)
	return 0
}

// proto compiles "[ip|ip6|ether] proto N" (gen_proto).
func (g *gen) proto(v uint32, p qproto, d qdir) frag {
	if d != dDefault {
		g.fail("direction applied to 'proto'")
	}
	switch p {
	case pDefault:
		return or(g.proto(v, pIP, d), g.proto(v, pIPV6, d))
	case pLink:
		return g.linktype(v)
	case pIP:
		return and(g.linktype(ethIP), g.cmp(orLinkPl, 9, 1, v))
	case pIPV6:
		b := or(g.cmp(orLinkPl, 6, 1, v), and(g.cmp(orLinkPl, 6, 1, ipprotoFrag), g.cmp(orLinkPl, 40, 1, v)))
		return and(g.linktype(ethIPv6), b)
	case pARP:
		g.fail("arp does not encapsulate another protocol")
	case pRARP:
		g.fail("rarp does not encapsulate another protocol")
	case pATALK:
		g.fail("AppleTalk encapsulation is not specifiable")
	case pDECNET:
		g.fail("DECNET encapsulation is not specifiable")
	case pLAT:
		g.fail("LAT does not encapsulate another protocol")
	case pSCA:
		g.fail("SCA does not encapsulate another protocol")
	case pMOPRC:
		g.fail("MOPRC does not encapsulate another protocol")
	case pMOPDL:
		g.fail("MOPDL does not encapsulate another protocol")
	case pISO:
		return g.isoProto(v)
	case pISIS:
		return g.isisProto(v)
	case pCLNP:
		g.fail("'clnp proto' is not supported")
	}
	g.fail("'%s proto' is bogus", protoNames[p])
	return nil
}

// protoAbbrev compiles a protocol keyword used alone ("tcp", "ip6").
func (g *gen) protoAbbrev(p qproto) frag {
	switch p {
	case pSCTP:
		return g.proto(ipprotoSCTP, pDefault, dDefault)
	case pTCP:
		return g.proto(ipprotoTCP, pDefault, dDefault)
	case pUDP:
		return g.proto(ipprotoUDP, pDefault, dDefault)
	case pICMP:
		return g.proto(ipprotoICMP, pIP, dDefault)
	case pIGMP:
		return g.proto(ipprotoIGMP, pIP, dDefault)
	case pIGRP:
		return g.proto(ipprotoIGRP, pIP, dDefault)
	case pPIM:
		return g.proto(ipprotoPIM, pDefault, dDefault)
	case pVRRP, pCARP:
		return g.proto(ipprotoVRRP, pIP, dDefault)
	case pIP:
		return g.linktype(ethIP)
	case pARP:
		return g.linktype(ethARP)
	case pRARP:
		return g.linktype(ethRARP)
	case pLink:
		g.fail("link layer applied in wrong context")
	case pDECNET:
		return g.linktype(ethDN)
	case pSCA:
		return g.linktype(ethSCA)
	case pLAT:
		return g.linktype(ethLAT)
	case pMOPDL:
		return g.linktype(ethMOPDL)
	case pMOPRC:
		return g.linktype(ethMOPRC)
	case pIPV6:
		return g.linktype(ethIPv6)
	case pICMPV6:
		return g.proto(ipprotoICMPv6, pIPV6, dDefault)
	case pAH:
		return g.proto(ipprotoAH, pDefault, dDefault)
	case pESP:
		return g.proto(ipprotoESP, pDefault, dDefault)
	case pRADIO:
		g.fail("'radio' is not a valid protocol type")
	}
	if b, ok := g.llcAbbrev(p); ok {
		return b
	}
	g.unsupported("'" + protoNames[p] + "'")
	return nil
}

// atoin parses a dotted IPv4 prefix as libpcap's __pcap_atoin: it returns
// the value and the number of bits given (8 per component), or -1.
func atoin(s string) (uint32, int) {
	var v uint32
	n := 0
	for _, part := range strings.Split(s, ".") {
		x, err := strconv.ParseUint(part, 10, 32)
		if err != nil || x > 255 {
			return 0, -1
		}
		v = v<<8 | uint32(x)
		n += 8
	}
	return v, n
}

// ncode compiles a number or dotted IPv4 address under qualifiers
// (gen_ncode); s is "" for a bare number.
func (g *gen) ncode(s string, v uint32, q qual) frag {
	vlen := 32
	if s != "" {
		if q.proto == pDECNET {
			a, ok := atodn(s)
			if !ok {
				g.fail("malformed decnet address '%s'", s)
			}
			v = a
			return g.ncodeDECnet(v, q)
		}
		var n int
		v, n = atoin(s)
		if n < 0 {
			g.fail("invalid IPv4 address '%s'", s)
		}
		vlen = n
	}
	switch q.addr {
	case aDefault, aHost, aNet:
		if q.proto == pDECNET {
			return g.dnhost(v, q.dir)
		}
		if q.proto == pLink {
			g.fail("illegal link layer address")
		}
		mask := uint32(0xffffffff)
		if s == "" && q.addr == aNet {
			for v != 0 && v&0xff000000 == 0 {
				v <<= 8
				mask <<= 8
			}
		} else {
			v <<= uint(32 - vlen)
			mask <<= uint(32 - vlen)
		}
		return g.host(v, mask, q.proto, q.dir, q.addr)
	case aPort, aPortrange:
		what := "port"
		if q.addr == aPortrange {
			what = "portrange"
		}
		pp := portProto(q.proto, what, g)
		if v > 65535 {
			g.fail("illegal port number %d > 65535", v)
		}
		return g.ports(v, v, pp, q.dir)
	case aGateway:
		g.fail("'gateway' requires a name")
	case aProto:
		return g.proto(v, q.proto, q.dir)
	case aProtochain:
		return g.protochain(v, q.proto)
	}
	g.fail("syntax error in filter expression")
	return nil
}

// mcode compiles "net A/len" and "net A mask M" (gen_mcode).
func (g *gen) mcode(s1, s2 string, masklen uint32, q qual) frag {
	n, nlen := atoin(s1)
	if nlen < 0 {
		g.fail("invalid IPv4 address '%s'", s1)
	}
	n <<= uint(32 - nlen)
	var m uint32
	if s2 != "" {
		mv, mlen := atoin(s2)
		if mlen < 0 {
			g.fail("invalid IPv4 address '%s'", s2)
		}
		m = mv << uint(32-mlen)
		if n&^m != 0 {
			g.fail("non-network bits set in \"%s mask %s\"", s1, s2)
		}
	} else {
		if masklen > 32 {
			g.fail("mask length must be <= 32")
		}
		if masklen != 0 {
			m = 0xffffffff << (32 - masklen)
		}
		if n&^m != 0 {
			g.fail("non-network bits set in \"%s/%d\"", s1, masklen)
		}
	}
	if q.addr != aNet {
		g.fail("Mask syntax for networks only")
	}
	return g.host(n, m, q.proto, q.dir, q.addr)
}

// mcode6 compiles an IPv6 address with a prefix length (gen_mcode6).
func (g *gen) mcode6(s string, masklen uint32, q qual) frag {
	a, err := netip.ParseAddr(s)
	if err != nil {
		g.fail("invalid ip6 address %s", s)
	}
	if masklen > 128 {
		g.fail("mask length must be <= 128")
	}
	var mask [16]byte
	for i := 0; i < int(masklen); i++ {
		mask[i/8] |= 0x80 >> (i % 8)
	}
	addr := a.As16()
	for i := range addr {
		if addr[i]&^mask[i] != 0 {
			if masklen < 128 {
				g.fail("non-network bits set in \"%s/%d\"", s, masklen)
			}
		}
	}
	switch q.addr {
	case aDefault, aHost:
		if masklen != 128 {
			g.fail("Mask syntax for networks only")
		}
		fallthrough
	case aNet:
		return g.host6(addr, mask, q.proto, q.dir, q.addr)
	}
	g.fail("invalid qualifier against IPv6 address")
	return nil
}

// protochain compiles "[ip|ip6] protochain N" (gen_protochain): follow the
// chain of IPv6 extension headers (hop-by-hop, destination options,
// routing, fragment) and AH headers from the network header until N, "no
// next header" (59), another protocol, or the end of the captured data.
// The walk is a loop, with a backward jump, as in libpcap: such programs
// run in Executor but are refused by kernels (capture keeps them in user
// space). libpcap's AH step sets X to the AH length alone rather than
// adding it to the offset so far; that is reproduced, since verdicts must
// agree with libpcap's.
func (g *gen) protochain(v uint32, p qproto) frag {
	// libpcap takes the scratch register first, and keeps it taken when it
	// recurses for both versions; register numbers then match tcpdump -d.
	reg := uint32(g.allocReg())
	switch p {
	case pIP, pIPV6:
	case pDefault:
		return or(g.protochain(v, pIP), g.protochain(v, pIPV6))
	default:
		g.fail("bad protocol applied for 'protochain'")
	}
	defer g.freeReg(int(reg))
	if g.link.varPl != 0 {
		g.fail("'protochain' not supported with variable length headers")
	}
	_, nlk := g.base(orLinkPl)
	nl := uint32(nlk)
	var f []ins
	emit := func(in ins) int { f = append(f, in); return len(f) - 1 }
	var ll uint32
	if p == pIP {
		ll = ethIP
		emit(ins{op: opLdB, k: nl + 9})
		emit(ins{op: opLdxMSH, k: nl})
	} else {
		ll = ethIPv6
		emit(ins{op: opLdB, k: nl + 6})
		emit(ins{op: opLdxImm, k: 40})
	}
	const end = 1 << 20 // placeholder for the final test, patched below
	again := emit(ins{op: opJeqK, k: v, jt: end, jf: len(f) + 1})
	emit(ins{op: opJeqK, k: ipprotoNone, jt: end, jf: len(f) + 1})
	var extFix []int
	if p == pIPV6 {
		for _, h := range []uint32{ipprotoHopOpts, ipprotoDstOpts, ipprotoRouting} {
			extFix = append(extFix, emit(ins{op: opJeqK, k: h, jf: len(f) + 1}))
		}
		last := emit(ins{op: opJeqK, k: ipprotoFrag})
		extFix = append(extFix, last)
		ext := len(f)
		for _, i := range extFix {
			f[i].jt = ext
		}
		emit(ins{op: opLdIB, k: nl})     // next header
		emit(ins{op: opSt, k: reg})      //
		emit(ins{op: opLdIB, k: nl + 1}) // length in 8-octet units, less one
		emit(ins{op: opAluK | aluAdd, k: 1})
		emit(ins{op: opAluK | aluMul, k: 8})
		emit(ins{op: opAluX | aluAdd})
		emit(ins{op: opTax})
		emit(ins{op: opLdMem, k: reg})
		emit(ins{op: opJa, jt: again})
		f[last].jf = len(f)
	} else {
		emit(ins{op: opAluK | aluAdd, k: 0}) // libpcap's placeholder
	}
	emit(ins{op: opJeqK, k: ipprotoAH, jt: len(f) + 1, jf: end})
	emit(ins{op: opTxa})
	emit(ins{op: opLdIB, k: nl}) // next header
	emit(ins{op: opSt, k: reg})
	emit(ins{op: opTxa})
	emit(ins{op: opAluK | aluAdd, k: 1})
	emit(ins{op: opTax})
	emit(ins{op: opLdIB, k: nl}) // length in 4-octet units, less two
	emit(ins{op: opAluK | aluAdd, k: 2})
	emit(ins{op: opAluK | aluMul, k: 4})
	emit(ins{op: opTax})
	emit(ins{op: opLdMem, k: reg})
	emit(ins{op: opJa, jt: again})
	final := emit(ins{op: opAluK | aluAdd, k: 0})
	emit(ins{op: opJeqK, k: v, jt: tgtTrue, jf: tgtFalse})
	for i := range f {
		if f[i].jt == end {
			f[i].jt = final
		}
		if f[i].jf == end {
			f[i].jf = final
		}
	}
	return and(g.linktype(ll), leaf(f))
}

// ncodeDECnet is ncode for a DECnet "area.node" address.
func (g *gen) ncodeDECnet(v uint32, q qual) frag {
	q.proto = pDECNET
	switch q.addr {
	case aDefault, aHost, aNet:
		return g.dnhost(v, q.dir)
	}
	return g.ncode("", v, q)
}

// atodn parses a DECnet address "area.node" as libpcap does: the area
// keeps its low 6 bits, the node its low 10, and anything after the node
// number is ignored.
func atodn(s string) (uint32, bool) {
	num := func(s string) (uint32, string, bool) {
		i, v := 0, uint64(0)
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			v = min(v*10+uint64(s[i]-'0'), 1<<32)
			i++
		}
		return uint32(v), s[i:], i > 0
	}
	area, rest, ok := num(s)
	if !ok || len(rest) == 0 || rest[0] != '.' {
		return 0, false
	}
	node, _, ok := num(rest[1:])
	if !ok {
		return 0, false
	}
	return (area<<10)&0xfc00 | node&0x3ff, true
}

// dnhost compiles a DECnet host test (gen_dnhostop). DECnet addresses are
// little-endian 16-bit numbers; the routing header before them is short
// or long, with or without a pad byte, and each of the four layouts is
// tried in libpcap's order (a load past the captured data rejects, so the
// order matters on short packets).
func (g *gen) dnhost(addr uint32, d qdir) frag {
	want := uint32(uint16(addr)>>8 | uint16(addr)<<8)
	return g.srcdst(d, "addresses other than 802.11 MAC addresses", func(src bool) frag {
		short, long := 1, 7 // after the flags; flags, area, subarea, HIORD
		if src {
			short, long = 3, 15
		}
		b := and(g.mcmp(orLinkPl, 2, 1, 0x02, 0x07), g.cmp(orLinkPl, 2+short, 2, want))
		b = or(b, and(g.mcmp(orLinkPl, 2, 2, 0x8102, 0xff07), g.cmp(orLinkPl, 2+1+short, 2, want)))
		b = or(b, and(g.mcmp(orLinkPl, 2, 1, 0x06, 0x07), g.cmp(orLinkPl, 2+long, 2, want)))
		b = or(b, and(g.mcmp(orLinkPl, 2, 2, 0x8106, 0xff07), g.cmp(orLinkPl, 2+1+long, 2, want)))
		return and(g.linktype(ethDN), b)
	})
}
