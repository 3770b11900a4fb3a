package filter

import "github.com/gopacket/gopacket/layers"

// ATM code generation (libpcap's ATM parts of gencode.c): SUNATM, whose
// 4-byte pseudo header gives the VPI, the VCI and how the AAL5 payload is
// multiplexed, with the ATM keywords (vpi, vci, lane, oam, oamf4,
// oamf4ec, oamf4sc, metac, bcc, sc, ilmic, connectmsg, metaconnect, llc);
// and ATM_RFC1483 and ATM_CLIP, which start with an 802.2 LLC/SNAP header.
//
// The SunATM pseudo header:
//
//	0: flags; the low 4 bits say what the payload is (1 LANE, 2 LLC)
//	1: VPI
//	2: VCI (2 bytes)
//	4: the AAL5 payload
//
// A LANE payload is a 2-byte LE header (0xff00 for LE control frames),
// then an Ethernet frame; "lane" makes the tests after it apply to that
// frame, as libpcap does.

// ATM link types, by the number a capture file records (and libpcap's
// DLT numbers where they differ).
const (
	ltSunATM      layers.LinkType = 123
	ltATMRFC1483  layers.LinkType = 100 // LINKTYPE_ATM_RFC1483
	dltATMRFC1483                 = 11  // DLT_ATM_RFC1483
	ltATMCLIP     layers.LinkType = 106 // LINKTYPE_ATM_CLIP
	dltATMCLIP                    = 19  // DLT_ATM_CLIP (Linux)
)

// Offsets in the SunATM pseudo header, its payload types, and the
// Q.2931 message type's offset in a signalling message.
const (
	sunatmVPI     = 1
	sunatmVCI     = 2
	sunatmPayload = 4
	atmPTLANE     = 1
	atmPTLLC      = 2
	q2931MsgType  = 5
)

// Well-known VCIs (on VPI 0) and Q.2931 message types.
const (
	vciMetac   = 0x01
	vciBCC     = 0x02
	vciOAMF4SC = 0x03
	vciOAMF4EC = 0x04
	vciSC      = 0x05
	vciILMIC   = 0x10

	msgCallProceed = 0x02
	msgSetup       = 0x05
	msgConnect     = 0x07
	msgConnectAck  = 0x0f
	msgRelease     = 0x4d
	msgReleaseDone = 0x5a
)

// atmLinkInfo is the layout of the ATM link types (init_linktype): the
// Ethernet types of routed PDUs are in the SNAP header, 6 bytes after the
// LLC header.
func atmLinkInfo(lt layers.LinkType) linkInfo {
	if lt == ltSunATM {
		return linkInfo{dlt: lt, offLinkType: sunatmPayload + 6, offLinkPl: sunatmPayload, offNl: 8, offNlNosnap: 3}
	}
	if lt == dltATMRFC1483 {
		lt = ltATMRFC1483
	}
	if lt == dltATMCLIP {
		lt = ltATMCLIP
	}
	return linkInfo{dlt: lt, offLinkType: 6, offNl: 8, offNlNosnap: 3}
}

// isATM reports whether the capture has SunATM's pseudo header (libpcap's
// is_atm: true even after "lane").
func (g *gen) isATM() bool { return g.link0.dlt == ltSunATM }

// atmLinktype is gen_linktype on the ATM link types: LLC-multiplexed on
// SUNATM, then the SAP or the Ethernet type in the LLC/SNAP header.
func (g *gen) atmLinktype(ll uint32) frag {
	if g.link.dlt == ltSunATM {
		return and(g.atmProto(atmPTLLC), g.llcLinktype(ll))
	}
	return g.llcLinktype(ll)
}

// atmProto tests the payload type in the pseudo header's first byte.
func (g *gen) atmProto(pt uint32) frag { return g.mcmp(orLinkHdr, 0, 1, pt, 0x0f) }

// ncmp is gen_ncmp: the value at off, masked unless mask is all ones,
// compared with jop. As in libpcap 1.10, reverse negates only the
// jgt and jge tests: "!=" compiles as "==" (a libpcap 1.10 bug, kept for
// its verdicts; its development branch negates it).
func (g *gen) ncmp(rel offrel, off, size int, mask uint32, jop uint16, reverse bool, v uint32) frag {
	code := g.load(rel, off, size)
	if mask != 0xffffffff {
		code = append(code, ins{op: opAluK | aluAnd, k: mask})
	}
	b := test(code, jop, v)
	if reverse && jop != opJeqK {
		b = not(b)
	}
	return b
}

// atmField compiles "vpi" and "vci" compared with v (gen_atmfield_code).
func (g *gen) atmField(name string, jop uint16, reverse bool, v uint32) frag {
	if !g.isATM() {
		g.fail("'%s' supported only on raw ATM", name)
	}
	if name == "vpi" {
		return g.ncmp(orLinkHdr, sunatmVPI, 1, 0xffffffff, jop, reverse, v)
	}
	return g.ncmp(orLinkHdr, sunatmVCI, 2, 0xffffffff, jop, reverse, v)
}

// vpiVCI tests VPI 0 and the given VCI, in that order.
func (g *gen) vpiVCI(vci uint32) frag {
	return and(g.atmField("vpi", opJeqK, false, 0), g.atmField("vci", opJeqK, false, vci))
}

// atmMsg tests the Q.2931 message type of a signalling message.
func (g *gen) atmMsg(t uint32) frag { return g.cmp(orLinkHdr, sunatmPayload+q2931MsgType, 1, t) }

// atmKeyword compiles the ATM keywords without a value (gen_atmtype_abbrev,
// gen_atmmulti_abbrev), with libpcap's messages off SUNATM (which name
// oamf4sc and oamf4ec 'oam4sc' and 'oam4ec').
func (g *gen) atmKeyword(kw string) frag {
	if !g.isATM() {
		name := map[string]string{"oamf4sc": "oam4sc", "oamf4ec": "oam4ec"}[kw]
		if name == "" {
			name = kw
		}
		g.fail("'%s' supported only on raw ATM", name)
	}
	switch kw {
	case "metac":
		return g.vpiVCI(vciMetac)
	case "bcc":
		return g.vpiVCI(vciBCC)
	case "oamf4sc":
		return g.vpiVCI(vciOAMF4SC)
	case "oamf4ec":
		return g.vpiVCI(vciOAMF4EC)
	case "sc":
		return g.vpiVCI(vciSC)
	case "ilmic":
		return g.vpiVCI(vciILMIC)
	case "oam", "oamf4":
		vci := or(g.atmField("vci", opJeqK, false, vciOAMF4SC), g.atmField("vci", opJeqK, false, vciOAMF4EC))
		return and(g.atmField("vpi", opJeqK, false, 0), vci)
	case "connectmsg", "metaconnect":
		// Setup or call proceeding, then each other message type or-ed
		// in front of those before it.
		types := []uint32{msgConnect, msgConnectAck, msgRelease, msgReleaseDone}
		circuit := uint32(vciSC)
		if kw == "metaconnect" {
			types = []uint32{msgConnect, msgRelease, msgReleaseDone}
			circuit = vciMetac
		}
		b := or(g.atmMsg(msgSetup), g.atmMsg(msgCallProceed))
		for _, t := range types {
			b = or(g.atmMsg(t), b)
		}
		return and(g.vpiVCI(circuit), b)
	case "lane":
		b := g.atmProto(atmPTLANE)
		// Later tests apply to the Ethernet frame after the LE header;
		// while the link type before was SunATM's, its tests check that
		// the frame is not an LE control frame.
		l := &g.link
		l.lane = l.dlt == ltSunATM
		l.dlt = layers.LinkTypeEthernet
		l.offLinkHdr, l.varHdr = sunatmPayload+2, 0 // not variable, even after geneve
		l.offLinkType = l.offLinkHdr + 12
		l.offLinkPl = l.offLinkHdr + 14
		l.offNl, l.offNlNosnap = 0, 3
		l.geneve = false
		return b
	}
	g.fail("unknown ATM keyword '%s'", kw)
	return nil
}

// laneCheck is gen_prevlinkhdr_check after "lane": the LANE frame is not
// an LE control frame.
func (g *gen) laneCheck() frag {
	return not(g.cmp(orPacket, sunatmPayload, 2, 0xff00))
}

// atmLLC is "llc" on the ATM link types: LLC-multiplexed on SUNATM,
// always on ATM_RFC1483 (gen_llc_internal); ok is false for the others.
func (g *gen) atmLLC() (frag, bool) {
	switch g.link.dlt {
	case ltSunATM:
		return g.atmProto(atmPTLLC), true
	case ltATMRFC1483:
		return fTrue(), true
	}
	return nil, false
}
