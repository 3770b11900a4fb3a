package filter

import "github.com/gopacket/gopacket/layers"

// 802.2 LLC service access points, OSI network-layer protocol identifiers
// and IS-IS PDU types, as libpcap names them.
const (
	sapIP      = 0x06
	sap8021D   = 0x42 // spanning tree
	sapSNAP    = 0xaa
	sapIPX     = 0xe0
	sapNetBEUI = 0xf0
	sapISONS   = 0xfe

	ethIPX = 0x8137

	// Linux cooked-header protocol values for frames without an
	// Ethernet type.
	sllP8023 = 0x0001 // Novell 802.3 without an 802.2 header
	sllP8022 = 0x0004 // 802.2

	nlpidCLNP = 0x81
	nlpidESIS = 0x82
	nlpidISIS = 0x83

	isisL1LanIIH = 15
	isisL2LanIIH = 16
	isisPtpIIH   = 17
	isisL1LSP    = 18
	isisL2LSP    = 20
	isisL1CSNP   = 24
	isisL2CSNP   = 25
	isisL1PSNP   = 26
	isisL2PSNP   = 27
)

// LLC control-field values for "llc s|u <subtype>" (libpcap's llc.h).
var llcSSubtypes = map[string]uint32{"rr": 0x01, "rnr": 0x05, "rej": 0x09}

var llcUSubtypes = map[string]uint32{
	"ui": 0x03, "ua": 0x63, "disc": 0x43, "dm": 0x0f,
	"sabme": 0x6f, "test": 0xe3, "xid": 0xaf, "frmr": 0x87,
}

// llcSAPs are the names "ether proto \NAME" accepts after the Ethernet
// type names (pcap_nametollc).
var llcSAPs = map[string]uint32{"iso": sapISONS, "stp": sap8021D, "ipx": sapIPX, "netbeui": sapNetBEUI}

// notLength is true when the Ethernet type/length field holds a length
// (<= 1500), that is when an 802.2 header follows.
func (g *gen) notLength() frag { return not(g.cmpGT(orLinkType, 0, 2, ethMTU)) }

// snap tests for an 802.2 SNAP header with the given OUI and type.
func (g *gen) snap(oui, typ uint32) frag {
	return and(g.cmp(orLLC, 4, 4, (oui&0xffff)<<16|typ), g.cmp(orLLC, 0, 4, sapSNAP<<24|sapSNAP<<16|0x03<<8|oui>>16))
}

// etherLinktype is libpcap's gen_ether_linktype: values <= 1500 are LLC
// SAPs looked for in 802.3 frames.
func (g *gen) etherLinktype(ll uint32) frag {
	switch ll {
	case sapISONS, sapIP, sapNetBEUI:
		return and(g.notLength(), g.cmp(orLLC, 0, 2, ll<<8|ll))
	case sapIPX:
		b := or(g.snap(0, ethIPX), or(g.cmp(orLLC, 0, 1, sapIPX), g.cmp(orLLC, 0, 2, 0xffff)))
		return or(g.cmp(orLinkType, 0, 2, ethIPX), and(g.notLength(), b))
	case ethAtalk, ethAARP:
		s := g.snap(0x080007, ethAtalk)
		if ll == ethAARP {
			s = g.snap(0, ethAARP)
		}
		return or(g.cmp(orLinkType, 0, 2, ll), and(g.notLength(), s))
	}
	if ll <= ethMTU {
		return and(g.notLength(), g.cmp(orLinkType, 2, 1, ll))
	}
	return g.cmp(orLinkType, 0, 2, ll)
}

// sllLinktype is libpcap's gen_linux_sll_linktype: 802.2 frames carry
// the protocol value 4 in the cooked header.
func (g *gen) sllLinktype(ll uint32) frag {
	switch ll {
	case sapISONS, sapIP, sapNetBEUI:
		return and(g.cmp(orLinkType, 0, 2, sllP8022), g.cmp(orLLC, 0, 2, ll<<8|ll))
	case sapIPX:
		b := and(g.cmp(orLinkType, 0, 2, sllP8022), or(g.cmp(orLLC, 0, 1, sapIPX), g.snap(0, ethIPX)))
		return or(g.cmp(orLinkType, 0, 2, ethIPX), or(g.cmp(orLinkType, 0, 2, sllP8023), b))
	case ethAtalk, ethAARP:
		s := g.snap(0x080007, ethAtalk)
		if ll == ethAARP {
			s = g.snap(0, ethAARP)
		}
		return or(g.cmp(orLinkType, 0, 2, ll), and(g.cmp(orLinkType, 0, 2, sllP8022), s))
	}
	if ll <= ethMTU {
		return and(g.cmp(orLinkType, 0, 2, sllP8022), g.cmp(orLinkHdr, g.link.offLinkPl, 1, ll))
	}
	return g.cmp(orLinkType, 0, 2, ll)
}

// llc tests that the frame has an 802.2 header (gen_llc_internal).
func (g *gen) llc() frag {
	if g.is80211() {
		return g.dataFrame()
	}
	switch g.link.dlt {
	case layers.LinkTypeFDDI, layers.LinkTypeTokenRing:
		return fTrue() // every frame has one
	}
	if b, ok := g.atmLLC(); ok {
		return b
	}
	if g.link.dlt != layers.LinkTypeEthernet || g.asOther() {
		g.fail("'llc' not supported for %s", g.desc())
	}
	// A length field, and not Novell's raw 802.3 (DSAP and SSAP 0xff).
	return and(g.notLength(), not(g.cmp(orLLC, 0, 2, 0xffff)))
}

// llcKind compiles "llc i|s|u|<subtype>" (the grammar's pllc rule).
func (g *gen) llcKind(name string) frag {
	name = asciiLower(name)
	switch name {
	case "i":
		b := g.llc()
		return and(b, not(test(g.load(orLLC, 2, 1), opJsetK, 0x01)))
	case "s":
		b := g.llc()
		return and(b, g.mcmp(orLLC, 2, 1, 1, 0x03))
	case "u":
		b := g.llc()
		return and(b, g.mcmp(orLLC, 2, 1, 3, 0x03))
	}
	if v, ok := llcSSubtypes[name]; ok {
		b := g.llc()
		return and(b, g.mcmp(orLLC, 2, 1, v, 0x0f))
	}
	if v, ok := llcUSubtypes[name]; ok {
		b := g.llc()
		return and(b, g.mcmp(orLLC, 2, 1, v, 0xef))
	}
	g.fail("unknown LLC type name \"%s\"", name)
	return nil
}

// asciiLower is an ASCII strings.ToLower, as pcap_strcasecmp compares.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// isoProto compiles "iso proto N" (gen_proto for Q_ISO on the link types
// this package knows).
func (g *gen) isoProto(v uint32) frag {
	if g.link.dlt == ltFrelay {
		// The NLPID after the control byte is the protocol itself.
		return g.cmp(orLinkHdr, 2, 2, 0x0300|v)
	}
	if g.link.dlt == ltCHDLC {
		// Cisco HDLC puts a padding byte before the NLPID (but IS-IS's
		// PDU type is still looked for 4 bytes after the payload).
		return and(g.linktype(sapISONS), g.cmp(orLinkPlNosnap, 1, 1, v))
	}
	return and(g.linktype(sapISONS), g.cmp(orLinkPlNosnap, 0, 1, v))
}

// isisProto compiles "isis proto N": the IS-IS PDU type.
func (g *gen) isisProto(v uint32) frag {
	return and(g.isoProto(nlpidISIS), g.cmp(orLinkPlNosnap, 4, 1, v))
}

// isisAny is the or of "isis proto" for each PDU type, in libpcap's order.
func (g *gen) isisAny(types ...uint32) frag {
	b := g.isisProto(types[0])
	for _, t := range types[1:] {
		b = or(b, g.isisProto(t))
	}
	return b
}

// llcAbbrev compiles the OSI, IPX, NetBEUI, STP and AppleTalk protocol
// keywords used alone; ok is false for other keywords.
func (g *gen) llcAbbrev(p qproto) (frag, bool) {
	switch p {
	case pATALK:
		return g.linktype(ethAtalk), true
	case pAARP:
		return g.linktype(ethAARP), true
	case pISO:
		return g.linktype(sapISONS), true
	case pESIS:
		return g.isoProto(nlpidESIS), true
	case pISIS:
		return g.isoProto(nlpidISIS), true
	case pCLNP:
		return g.isoProto(nlpidCLNP), true
	// The PDU types in the order libpcap's or-chains test them.
	case pL1:
		return g.isisAny(isisL1PSNP, isisL1CSNP, isisL1LSP, isisL1LanIIH, isisPtpIIH), true
	case pL2:
		return g.isisAny(isisL2PSNP, isisL2CSNP, isisL2LSP, isisL2LanIIH, isisPtpIIH), true
	case pIIH:
		return g.isisAny(isisPtpIIH, isisL1LanIIH, isisL2LanIIH), true
	case pLSP:
		return g.isisAny(isisL1LSP, isisL2LSP), true
	case pSNP:
		return g.isisAny(isisL2PSNP, isisL1PSNP, isisL1CSNP, isisL2CSNP), true
	case pCSNP:
		return g.isisAny(isisL1CSNP, isisL2CSNP), true
	case pPSNP:
		return g.isisAny(isisL1PSNP, isisL2PSNP), true
	case pSTP:
		return g.linktype(sap8021D), true
	case pIPX:
		return g.linktype(sapIPX), true
	case pNETBEUI:
		return g.linktype(sapNetBEUI), true
	}
	return nil, false
}
