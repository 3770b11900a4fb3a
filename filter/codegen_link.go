package filter

import (
	"net"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

func (g *gen) isEthernet() bool { return g.link.dlt == layers.LinkTypeEthernet }

// macOffsets returns where the destination and source MAC addresses are
// in the link header of the LANs other than 802.11 (Ethernet, FDDI,
// token ring, Fibre Channel); ok is false on other link types.
func (g *gen) macOffsets() (dst, src int, ok bool) {
	switch g.link.dlt {
	case layers.LinkTypeEthernet:
		return 0, 6, true
	case layers.LinkTypeFDDI:
		return 1, 7, true
	case layers.LinkTypeTokenRing:
		return 2, 8, true
	case layers.LinkTypeIPOverFC:
		return 2, 10, true
	}
	return 0, 0, false
}

// isMACLAN reports whether the link type has MAC addresses at macOffsets.
func (g *gen) isMACLAN() bool {
	_, _, ok := g.macOffsets()
	return ok
}

// ehostop compiles a MAC address test (gen_ehostop, gen_fhostop,
// gen_thostop, gen_ipfchostop).
func (g *gen) ehostop(mac []byte, d qdir) frag {
	dstOff, srcOff, _ := g.macOffsets()
	return g.srcdst(d, "addresses other than 802.11 MAC addresses", func(src bool) frag {
		off := dstOff
		if src {
			off = srcOff
		}
		return and(g.cmp(orLinkHdr, off+2, 4, be32(mac[2:])), g.cmp(orLinkHdr, off, 2, uint32(mac[0])<<8|uint32(mac[1])))
	})
}

// ecode compiles a MAC address under qualifiers (gen_ecode).
func (g *gen) ecode(s string, q qual) frag {
	if (q.addr == aHost || q.addr == aDefault) && q.proto == pLink {
		mac := etherAton(s)
		if g.is80211() {
			return g.wlanHost(g.wlanAddr(mac), q.dir)
		}
		if !g.isMACLAN() {
			g.fail("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
		}
		// libpcap words it differently for Ethernet and the other LANs.
		suffix := ""
		if g.isEthernet() {
			suffix = " with 802.11 headers"
		}
		switch q.dir {
		case dAddr1, dAddr2, dAddr3, dAddr4:
			n := int(q.dir-dAddr1) + 1
			g.fail("'addr%d' and 'address%d' are only supported on 802.11%s", n, n, suffix)
		case dRA:
			g.fail("'ra' is only supported on 802.11%s", suffix)
		case dTA:
			g.fail("'ta' is only supported on 802.11%s", suffix)
		}
		return g.prevLinkHdrCheck(g.ehostop(mac, q.dir))
	}
	g.fail("ethernet address used in non-ether expression")
	return nil
}

func (g *gen) isArcnet() bool {
	return g.link.dlt == layers.LinkTypeArcNet || g.link.dlt == ltArcLinux
}

// acode compiles an ARCnet address ("$xx") under qualifiers (gen_acode).
// libpcap 1.10 reads it with its MAC address parser, which takes the "$"
// for a digit: the byte compared is 0xd0 plus the first hex digit, the
// second digit being ignored ("$8c" is 0xd8). This does the same.
func (g *gen) acode(s string, q qual) frag {
	if !g.isArcnet() {
		g.fail("aid supported only on ARCnet")
	}
	if (q.addr != aHost && q.addr != aDefault) || q.proto != pLink {
		g.fail("ARCnet address used in non-arc expression")
	}
	d := s[1]
	switch {
	case '0' <= d && d <= '9':
		d -= '0'
	case 'a' <= d && d <= 'f':
		d -= 'a' - 10
	default:
		d -= 'A' - 10
	}
	v := uint32(0xd0 | d)
	switch q.dir {
	case dAddr1, dAddr2, dAddr3, dAddr4:
		n := int(q.dir-dAddr1) + 1
		g.fail("'addr%d' and 'address%d' are only supported on 802.11", n, n)
	case dRA:
		g.fail("'ra' is only supported on 802.11")
	case dTA:
		g.fail("'ta' is only supported on 802.11")
	}
	return g.srcdst(q.dir, "addresses other than 802.11 MAC addresses", func(src bool) frag {
		if src {
			return g.cmp(orLinkHdr, 0, 1, v)
		}
		return g.cmp(orLinkHdr, 1, 1, v)
	})
}

// unknownLinkHost fails as libpcap does for a link-level host name, which
// wirekit does not resolve: unknown on the link types with MAC addresses,
// refused on the others.
func (g *gen) unknownLinkHost(name string) {
	switch {
	case g.isEthernet():
		g.fail("unknown ether host '%s'", name)
	case g.is80211():
		g.fail("unknown 802.11 host '%s'", name)
	case g.link.dlt == layers.LinkTypeFDDI:
		g.fail("unknown FDDI host '%s'", name)
	case g.link.dlt == layers.LinkTypeTokenRing:
		g.fail("unknown token ring host '%s'", name)
	case g.link.dlt == layers.LinkTypeIPOverFC:
		g.fail("unknown Fibre Channel host '%s'", name)
	}
	g.fail("only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name")
}

// etherAton parses the MAC forms the scanner accepts.
func etherAton(s string) []byte {
	if m, err := net.ParseMAC(s); err == nil && len(m) == 6 {
		return m
	}
	hex := strings.NewReplacer(":", "", "-", "", ".", "").Replace(s)
	if len(hex) == 12 {
		out := make([]byte, 6)
		for i := range out {
			v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
			out[i] = byte(v)
		}
		return out
	}
	// Groups of one or two digits separated by ':', '-' or '.'.
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' || r == '.' })
	out := make([]byte, 6)
	for i := 0; i < len(parts) && i < 6; i++ {
		v, _ := strconv.ParseUint(parts[i], 16, 8)
		out[i] = byte(v)
	}
	return out
}

func (g *gen) broadcast(p qproto) frag {
	switch p {
	case pDefault, pLink:
		if g.is80211() {
			return g.wlanHost(g.wlanAddr([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), dDst)
		}
		if g.isArcnet() {
			return g.cmp(orLinkHdr, 1, 1, 0) // destination 0
		}
		if !g.isMACLAN() {
			g.fail("not a broadcast link")
		}
		return g.prevLinkHdrCheck(g.ehostop([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dDst))
	case pIP:
		// tcpdump compiles with netmask 0 when it has none: the host part
		// is all 32 bits.
		b := or(g.mcmp(orLinkPl, 16, 4, 0, 0xffffffff), g.mcmp(orLinkPl, 16, 4, 0xffffffff, 0xffffffff))
		return and(g.linktype(ethIP), b)
	}
	g.fail("only link-layer/IP broadcast filters supported")
	return nil
}

func (g *gen) multicast(p qproto) frag {
	switch p {
	case pDefault, pLink:
		if g.is80211() {
			return g.wlanHost(func(off int) frag { return test(g.load(orLinkHdr, off, 1), opJsetK, 1) }, dDst)
		}
		if g.isArcnet() {
			// ARCnet has no multicast: libpcap takes broadcast.
			return g.cmp(orLinkHdr, 1, 1, 0)
		}
		dst, _, ok := g.macOffsets()
		if !ok {
			g.fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
		}
		return g.prevLinkHdrCheck(test(g.load(orLinkHdr, dst, 1), opJsetK, 1))
	case pIP:
		return and(g.linktype(ethIP), g.cmpGE(orLinkPl, 16, 1, 224))
	case pIPV6:
		return and(g.linktype(ethIPv6), g.cmp(orLinkPl, 24, 1, 255))
	}
	g.fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
	return nil
}

func (g *gen) vlan(id uint32, has bool) frag {
	if g.link.labelDepth > 0 {
		g.fail("no VLAN match after MPLS")
	}
	if !g.isEthernet() && !g.is80211() || g.link.dlt == ltPPI {
		g.fail("no VLAN support for %s", g.desc())
	}
	if has && id > 0x0fff {
		g.fail("VLAN tag %d greater than maximum %d", id, 0x0fff)
	}
	b := or(or(g.linktype(ethVLAN), g.linktype(ethQinQ)), g.linktype(ethQinQ2))
	if has {
		b = and(b, g.mcmp(orLinkPl, 0, 2, id, 0x0fff))
	}
	g.link.offLinkType += 4
	g.link.offLinkPl += 4
	g.link.vlanDepth++
	g.vlanUsed = true
	return b
}

func (g *gen) mpls(label uint32, has bool) frag {
	var b frag
	if g.link.labelDepth > 0 {
		b = g.mcmp(orPrevMPLS, 2, 1, 0, 1)
	} else {
		switch g.link.dlt {
		case layers.LinkTypeEthernet, ltCHDLC:
			b = g.linktype(ethMPLS)
		case layers.LinkTypePPP:
			b = g.linktype(0x0281)
		default:
			g.fail("no MPLS support for %s", g.desc())
		}
	}
	if has {
		if label > 0xfffff {
			g.fail("MPLS label %d greater than maximum %d", label, 0xfffff)
		}
		b = and(b, g.mcmp(orLinkPl, 0, 4, label<<12, 0xfffff000))
	}
	g.link.offNlNosnap += 4
	g.link.offNl += 4
	g.link.labelDepth++
	return b
}

func (g *gen) pppoes(sess uint32, has bool) frag {
	b := g.linktype(ethPPPoES)
	if has {
		if sess > 0xffff {
			g.fail("PPPoE session number %d greater than maximum %d", sess, 0xffff)
		}
		b = and(b, g.mcmp(orLinkPl, 0, 4, sess, 0xffff))
	}
	g.base(orLinkPl) // a lazy payload offset gets its register now
	hdr := g.link.offLinkPl + g.link.offNl + 6
	g.link.dlt = layers.LinkTypePPP
	g.link.offLinkHdr = hdr
	g.link.offLinkType = hdr
	g.link.offLinkPl = hdr + 2
	g.link.varHdr, g.link.varType = g.link.varPl, g.link.varPl
	g.link.offNl = 0
	g.link.offNlNosnap = 0
	return b
}

// dltDescription is pcap_datalink_val_to_description_or_dlt for the link
// types this package knows.
func dltDescription(lt layers.LinkType) string {
	if d, ok := otherDescription(lt); ok {
		return d
	}
	switch lt {
	case layers.LinkTypeEthernet:
		return "Ethernet"
	case layers.LinkTypeRaw:
		return "Raw IP"
	case layers.LinkTypeLinuxSLL:
		return "Linux cooked v1"
	case ltLinuxSLL2:
		return "Linux cooked v2"
	case layers.LinkTypeLoop:
		return "OpenBSD loopback"
	case ltIPv4:
		return "Raw IPv4"
	case ltIPv6:
		return "Raw IPv6"
	case layers.LinkTypePPP:
		return "PPP"
	case layers.LinkTypeNull:
		return "BSD loopback"
	case ltPPPEther:
		return "PPPoE"
	case layers.LinkTypePFLog:
		return "OpenBSD pflog file"
	case layers.LinkTypeIEEE802_11:
		return "802.11"
	case layers.LinkTypeIEEE80211Radio:
		return "802.11 plus radiotap header"
	case ltCHDLC:
		return "Cisco HDLC"
	case layers.LinkTypeSLIP:
		return "SLIP"
	case layers.LinkTypePPP_HDLC:
		return "PPP over serial"
	case ltFrelay:
		return "Frame Relay"
	case layers.LinkTypeArcNet:
		return "BSD ARCNET"
	case ltArcLinux:
		return "Linux ARCNET"
	case ltPPPBSDOS:
		return "BSD/OS PPP"
	case layers.LinkTypeFDDI:
		return "FDDI"
	case layers.LinkTypeTokenRing:
		return "Token ring"
	case layers.LinkTypeIPOverFC:
		return "RFC 2625 IP-over-Fibre Channel"
	}
	if d, ok := moreDescriptions[lt]; ok {
		return d
	}
	return "DLT " + strconv.Itoa(int(lt))
}

// prevLinkHdrCheck guards a test of Ethernet addresses after "geneve":
// the encapsulated frame must have an Ethernet header, that is the link
// header must not start where the payload does (gen_prevlinkhdr_check).
func (g *gen) prevLinkHdrCheck(b frag) frag {
	if !g.link.geneve {
		if g.link.lane {
			return and(g.laneCheck(), b)
		}
		return b
	}
	chk := not(test([]ins{{op: opLdMem, k: uint32(g.link.varHdr - 1)}, {op: opLdxMem, k: uint32(g.link.varPl - 1)}}, opJeqX, 0))
	return and(chk, b)
}

// genevePort is Geneve's UDP port.
const genevePort = 6081

// geneve compiles "geneve [vni]" (gen_geneve): UDP to port 6081 over IPv4
// or IPv6, Geneve version 0, the VNI if given; then every later test
// applies to the encapsulated packet, whose offsets depend on the outer IP
// header and the Geneve options and so are computed into scratch
// registers. The inner packet is Ethernet when the protocol type is
// 0x6558 (transparent Ethernet bridging), otherwise the protocol type
// stands for an Ethernet type and the payload is the network layer.
func (g *gen) geneve(vni uint32, has bool) frag {
	b := g.udpTunnel(genevePort, func(rel offrel) frag {
		// After the link type's test, as libpcap: where that fails,
		// its error comes first.
		if has && vni > 0xffffff {
			g.fail("Geneve VNI %d greater than maximum %d", vni, 0xffffff)
		}
		b := g.mcmp(rel, 8, 1, 0, 0xc0) // version 0
		if has {
			// Checked here, after the link type, as libpcap does.
			if vni > 0xffffff {
				g.fail("Geneve VNI %d greater than maximum %d", vni, 0xffffff)
			}
			b = and(b, g.mcmp(rel, 12, 4, vni<<8, 0xffffff00))
		}
		return b
	})
	_, k := g.base(orLinkPl)
	rType := g.allocReg()
	rHdr := g.allocReg()
	rPl := g.allocReg()
	off := leaf([]ins{
		{op: opAluK | aluAdd, k: uint32(k + 8)}, // the Geneve header
		{op: opTax},
		{op: opAluK | aluAdd, k: 2}, // its protocol type
		{op: opSt, k: uint32(rType)},
		{op: opLdIB, k: 0}, // option length, in 4-byte words
		{op: opAluK | aluAnd, k: 0x3f},
		{op: opAluK | aluMul, k: 4},
		{op: opAluK | aluAdd, k: 8},
		{op: opAluX | aluAdd},
		{op: opSt, k: uint32(rHdr)}, // the payload
		{op: opLdIH, k: 2},
		{op: opLdxMem, k: uint32(rHdr)},
		{op: opJeqK, k: 0x6558, jt: 13, jf: 18}, // an Ethernet frame inside
		{op: opTxa},
		{op: opAluK | aluAdd, k: 12},
		{op: opSt, k: uint32(rType)},
		{op: opAluK | aluAdd, k: 2},
		{op: opTax},
		{op: opStx, k: uint32(rPl)},
		{op: opLdImm, k: 0},
		{op: opJeqK, k: 0, jt: tgtTrue, jf: tgtFalse},
	})
	g.enterTunnel(rHdr, rType, rPl, true)
	return and(b, off)
}

// udpTunnel is the outer part of geneve and vxlan: UDP to port over IPv4
// (first) or IPv6, then the tunnel header tests header(rel) with rel
// the transport header's offset. Each branch ends with the length of the
// outer IP header in A (plus the variable part of the payload offset),
// where the code computing the inner offsets starts.
func (g *gen) udpTunnel(port uint32, header func(rel offrel) frag) frag {
	branch := func(v6 bool) frag {
		ll, rel := uint32(ethIP), orTranIPv4
		if v6 {
			ll, rel = ethIPv6, orTranIPv6
		}
		b := and(g.linktype(ll), g.portop(port, port, ipprotoUDP, dDst, v6))
		return and(b, header(rel))
	}
	v4 := and(branch(false), test(append(g.loadxIPHdrLen(), ins{op: opTxa}), opJeqX, 0))
	hdr6 := []ins{{op: opLdImm, k: 40}, {op: opTax}}
	if reg, _ := g.base(orLinkPl); reg >= 0 {
		hdr6 = []ins{{op: opLdxMem, k: uint32(reg)}, {op: opLdImm, k: 40}, {op: opAluX | aluAdd}, {op: opTax}}
	}
	v6 := and(branch(true), test(hdr6, opJeqX, 0))
	return or(v4, v6)
}

// enterTunnel makes later tests apply to the frame inside a tunnel, whose
// link header, link type and payload offsets are in the registers given.
// As in libpcap, the inner network layer has no offset of its own and the
// offset after an 802.2 header without SNAP is the outermost link type's
// (3 for Ethernet, 0 for the others). geneve says whether Ethernet
// address tests must check that there is an inner Ethernet header.
func (g *gen) enterTunnel(rHdr, rType, rPl int, geneve bool) {
	l := &g.link
	l.dlt = layers.LinkTypeEthernet
	l.offLinkHdr, l.offLinkType, l.offLinkPl = 0, 0, 0
	l.varHdr, l.varType, l.varPl = rHdr+1, rType+1, rPl+1
	l.offNl, l.offNlNosnap = 0, g.link0.offNlNosnap
	l.geneve = geneve
	l.lane = false
}

// inbound compiles "inbound" and "outbound" (gen_inbound) for link types
// whose header records the direction. Others carry it only in the Linux
// kernel's packet metadata: for a live capture (Options.Live) the program
// loads the packet type there, as libpcap does on Linux ("ldh [type]");
// for files, which do not keep it, they are refused as libpcap does.
func (g *gen) inbound(out bool) frag {
	const outgoing = 4 // PACKET_OUTGOING
	if b := g.otherInbound(out); b != nil {
		return b
	}
	var b frag
	switch g.link.dlt {
	case layers.LinkTypeLinuxSLL:
		b = g.cmp(orLinkHdr, 0, 2, outgoing)
	case ltLinuxSLL2:
		b = g.cmp(orLinkHdr, 10, 1, outgoing)
	case layers.LinkTypeSLIP:
		// The pseudo header's first byte: 0 received, 1 sent.
		b = not(g.cmp(orLinkHdr, 0, 1, 0))
	case ltPPPPPPD:
		return g.pppdInbound(out)
	case layers.LinkTypePFLog:
		dir := uint32(1) // PF_IN
		if out {
			dir = 2
		}
		return g.cmp(orLinkHdr, pflogDir, 1, dir)
	default:
		if !g.live {
			g.fail("inbound/outbound not supported on %s when reading savefiles", g.desc())
		}
		b = g.cmp(orLinkHdr, skfAdOff+skfAdPktType, 2, PacketOutgoing)
	}
	if !out {
		b = not(b)
	}
	return b
}

// Offsets of the pflog header's fields (OpenBSD's struct pfloghdr).
const (
	pflogAction  = 2
	pflogReason  = 3
	pflogIfname  = 4
	pflogRuleset = 20
	pflogRulenr  = 36
	pflogSubrule = 40
	pflogDir     = 60
	pflogNameLen = 16 // IFNAMSIZ, and PFLOG_RULESET_NAME_SIZE
)

// pfReasons and pfActions are OpenBSD pf's names for the reason and
// action codes, as libpcap knows them.
var (
	pfReasons = []string{"match", "bad-offset", "fragment", "short", "normalize", "memory",
		"bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch",
		"state-insert", "state-limit", "src-limit", "synproxy"}
	pfActions = map[string]uint32{"pass": 0, "accept": 0, "drop": 1, "block": 1, "scrub": 2,
		"noscrub": 3, "nat": 4, "nonat": 5, "binat": 6, "nobinat": 7, "rdr": 8, "nordr": 9,
		"synproxy-drop": 10}
)

// pflogField compiles the pflog primitives: "ifname"/"on", "ruleset",
// "rnr", "srnr", "reason" and "action" (gen_pf_*). what is the keyword as
// libpcap names it in errors.
func (g *gen) pflogField(what string, off int, size int, v uint32) frag {
	if g.link.dlt != layers.LinkTypePFLog {
		g.fail("%s supported only on PF linktype", what)
	}
	return g.cmp(orLinkHdr, off, size, v)
}

// pflogName compiles "ifname NAME" and "ruleset NAME": the bytes of the
// name, without its terminating NUL (as libpcap, "em0" also matches
// "em01").
func (g *gen) pflogName(what string, off int, name string) frag {
	if g.link.dlt != layers.LinkTypePFLog {
		g.fail("%s supported only on PF linktype", what)
	}
	if len(name) >= pflogNameLen {
		if what == "ifname" {
			g.fail("ifname interface names can only be %d characters", pflogNameLen-1)
		}
		g.fail("ruleset names can only be %d characters", pflogNameLen-1)
	}
	return g.bcmp(orLinkHdr, off, []byte(name))
}

// bcmp compares the bytes at off with v: words from the end, then a
// half-word, then the first byte, as libpcap's gen_bcmp.
func (g *gen) bcmp(rel offrel, off int, v []byte) frag {
	var b frag
	add := func(t frag) {
		if b == nil {
			b = t
		} else {
			b = and(b, t)
		}
	}
	n := len(v)
	for n >= 4 {
		add(g.cmp(rel, off+n-4, 4, be32(v[n-4:])))
		n -= 4
	}
	for n >= 2 {
		add(g.cmp(rel, off+n-2, 2, uint32(v[n-2])<<8|uint32(v[n-1])))
		n -= 2
	}
	if n > 0 {
		add(g.cmp(rel, off, 1, uint32(v[0])))
	}
	if b == nil {
		return fTrue()
	}
	return b
}

// vxlanPort is VXLAN's UDP port.
const vxlanPort = 4789

// vxlan compiles "vxlan [vni]". libpcap 1.10 has no such keyword; this
// follows libpcap's development branch (gen_vxlan): UDP to port 4789 over
// IPv4 or IPv6, the flags byte exactly 0x08 (a VNI is present), the VNI
// if given; later tests apply to the encapsulated Ethernet frame, 8 bytes
// after the UDP header, at offsets computed into scratch registers.
func (g *gen) vxlan(vni uint32, has bool) frag {
	if has && vni > 0xffffff {
		g.fail("VXLAN VNI %d greater than maximum %d", vni, 0xffffff)
	}
	b := g.udpTunnel(vxlanPort, func(rel offrel) frag {
		b := g.cmp(rel, 8, 1, 0x08) // flags: a VNI is present
		if has {
			b = and(b, g.mcmp(rel, 12, 4, vni<<8, 0xffffff00))
		}
		return b
	})
	_, k := g.base(orLinkPl)
	rHdr := g.allocReg()
	rType := g.allocReg()
	rPl := g.allocReg()
	off := leaf([]ins{
		{op: opAluK | aluAdd, k: uint32(k + 8)}, // the VXLAN header
		{op: opAluK | aluAdd, k: 8},             // the Ethernet frame
		{op: opSt, k: uint32(rHdr)},
		{op: opAluK | aluAdd, k: 12},
		{op: opSt, k: uint32(rType)},
		{op: opAluK | aluAdd, k: 2},
		{op: opTax},
		{op: opStx, k: uint32(rPl)},
		{op: opLdImm, k: 0},
		{op: opJeqK, k: 0, jt: tgtTrue, jf: tgtFalse},
	})
	// The frame inside always has an Ethernet header.
	g.enterTunnel(rHdr, rType, rPl, false)
	return and(b, off)
}

// ifindex compiles "ifindex N" (gen_ifindex): the interface index that
// LINUX_SLL2 headers record. Other link types carry it only in the Linux
// kernel's packet metadata: for a live capture (Options.Live) the program
// loads it there, as libpcap does on Linux ("ld [ifidx]"); for files,
// which do not keep it, they are refused as libpcap does.
func (g *gen) ifindex(n uint32) frag {
	if g.link.dlt == ltLinuxSLL2 {
		return g.cmp(orLinkHdr, 4, 4, n)
	}
	if !g.live {
		g.fail("ifindex not supported on %s when reading savefiles", g.desc())
	}
	return g.cmp(orLinkHdr, skfAdOff+skfAdIfIndex, 4, n)
}
