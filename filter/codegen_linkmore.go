package filter

import "github.com/gopacket/gopacket/layers"

// Code generation for the link types of this file, as libpcap 1.10 lays
// them out: SLIP_BSDOS (a 24-byte BSD/OS header, then IP), PPP_PPPD (PPP
// with a direction byte in place of the HDLC address), LTALK (LocalTalk:
// AppleTalk only), APPLE_IP_OVER_IEEE1394 (a 16-byte header of two
// EUI-64s, then an Ethernet type), BACNET_MS_TP (its 0x55 0xff preamble is
// all libpcap tests, whatever the protocol asked for), with the ATM (see
// codegen_atm.go) and SS7 (codegen_ss7.go) link types.

// The link types, by the number a capture file records (and libpcap's DLT
// numbers where they differ).
const (
	ltSLIPBSDOS     layers.LinkType = 102 // LINKTYPE_SLIP_BSDOS
	dltSLIPBSDOS                    = 15  // DLT_SLIP_BSDOS
	ltPPPPPPD       layers.LinkType = 166
	ltLTalk         layers.LinkType = 114
	ltIPOver1394    layers.LinkType = 138 // APPLE_IP_OVER_IEEE1394
	ltBACnetMSTP    layers.LinkType = 165
	pppdIn, pppdOut                 = 0, 1 // PPP_PPPD's direction byte
)

// libpcap's OFFSET_NOT_SET: a link type without a link-type field, payload
// or network layer. libpcap still adds it into the offsets of the loads
// it compiles (ip host on BACNET_MS_TP loads [10] and [14]: 12 and 16
// plus twice 0xffffffff), and so does wirekit.
const offNotSet = -1

// moreLinkInfo is the layout (init_linktype) of the link types of this
// file and of codegen_atm.go and codegen_ss7.go.
func moreLinkInfo(lt layers.LinkType) linkInfo {
	switch lt {
	case ltSLIPBSDOS, dltSLIPBSDOS:
		return linkInfo{dlt: ltSLIPBSDOS, offLinkType: offNotSet, offLinkPl: 24}
	case ltPPPPPPD:
		return linkInfo{dlt: lt, offLinkType: 2, offLinkPl: 4}
	case ltLTalk:
		return linkInfo{dlt: lt, offLinkType: offNotSet}
	case ltIPOver1394:
		return linkInfo{dlt: lt, offLinkType: 16, offLinkPl: 18}
	case ltSunATM, ltATMRFC1483, dltATMRFC1483, ltATMCLIP, dltATMCLIP:
		return atmLinkInfo(lt)
	}
	// BACNET_MS_TP, the SS7 link types.
	return linkInfo{dlt: lt, offLinkType: offNotSet, offLinkPl: offNotSet, offNl: offNotSet, offNlNosnap: offNotSet}
}

// moreLinktype is gen_linktype on the link types of moreLinkInfo.
func (g *gen) moreLinktype(ll uint32) frag {
	switch g.link.dlt {
	case ltSunATM, ltATMRFC1483, ltATMCLIP:
		return g.atmLinktype(ll)
	case ltSLIPBSDOS:
		// No type: the IP version, as on SLIP and RAW.
		switch ll {
		case ethIP:
			return g.mcmp(orLinkHdr, 0, 1, 0x40, 0xf0)
		case ethIPv6:
			return g.mcmp(orLinkHdr, 0, 1, 0x60, 0xf0)
		}
		return fFalse()
	case ltPPPPPPD:
		return g.cmp(orLinkType, 0, 2, pppType(ll))
	case ltLTalk:
		if ll == ethAtalk {
			return fTrue()
		}
		return fFalse()
	case ltIPOver1394:
		return g.cmp(orLinkType, 0, 2, ll)
	case ltBACnetMSTP:
		return g.mcmp(orLinkHdr, 0, 4, 0x55ff0000, 0xffff0000)
	case ltMTP2, ltMTP2Phdr:
		g.fail("MTP2 link-layer type filtering not implemented")
	}
	g.fail("%s link-layer type filtering not implemented", dltDescription(g.link.dlt))
	return nil
}

// pppdInbound compiles inbound and outbound on PPP_PPPD: its first byte.
func (g *gen) pppdInbound(out bool) frag {
	if out {
		return g.cmp(orLinkHdr, 0, 1, pppdOut)
	}
	return g.cmp(orLinkHdr, 0, 1, pppdIn)
}

// moreDescriptions is pcap_datalink_val_to_description for the link
// types of moreLinkInfo.
var moreDescriptions = map[layers.LinkType]string{
	ltSunATM:     "Sun raw ATM",
	ltATMRFC1483: "RFC 1483 LLC-encapsulated ATM",
	ltATMCLIP:    "Linux Classical IP over ATM",
	ltSLIPBSDOS:  "BSD/OS SLIP",
	ltPPPPPPD:    "PPP for pppd, with direction flag",
	ltLTalk:      "Localtalk",
	ltIPOver1394: "Apple IP-over-IEEE 1394",
	ltBACnetMSTP: "BACnet MS/TP",
	ltMTP2Phdr:   "SS7 MTP2 with Pseudo-header",
	ltMTP2:       "SS7 MTP2",
	ltMTP3:       "SS7 MTP3",
}
