package filter

import (
	"strconv"

	"github.com/gopacket/gopacket/layers"
)

// The link types beyond the common ones, as libpcap 1.10's gencode.c
// compiles for them: the 802.11 radio headers other than radiotap (Prism,
// AVS, PPI), Ethernet behind netANALYZER pseudo-headers, Solaris ipnet,
// the Juniper types, OpenBSD's enc, and every other type in the range of
// link types libpcap accepts for raw "link[N:M]" tests (LINKTYPE 104 to
// 289), with its refusals of the rest.

// Link types of this file that other files name.
const (
	ltENC        layers.LinkType = 109
	ltNetBSDHDLC layers.LinkType = 112
	ltPrism      layers.LinkType = 119
	ltAVS        layers.LinkType = 163
	ltPPI        layers.LinkType = 192
	ltIPNET      layers.LinkType = 226
	ltNetAn      layers.LinkType = 240
	ltNetAnTr    layers.LinkType = 241
)

// offNotSetK is libpcap's OFFSET_NOT_SET as the uint32 constant (u_int)-1
// (offNotSet is the same as an int offset): an offset the link
// type does not have. libpcap adds it into the offsets it loads from
// anyway, modulo 2^32, and so does this (uint32 conversion wraps it).
const offNotSetK = 0xffffffff

// linkKind says how a link type's "link proto" test works (gen_linktype).
type linkKind uint8

const (
	lkDefault linkKind = iota // an Ethernet type at offType, or refused when it has none
	lkRefused                 // refused: refusedAs names the type in the message
	lkJuniper                 // Juniper's magic number, whatever the protocol
	lkIPNET                   // ipnet's address family byte
	lkENC                     // OpenBSD enc: an address family, as NULL
	lkWlan                    // 802.11 behind a radio header
	lkEther                   // Ethernet behind a pseudo-header
	lkHDLC                    // NetBSD's Cisco HDLC, laid out as C_HDLC
)

// otherLink is what this file knows of a link type.
type otherLink struct {
	name, desc string // tcpdump's -y name and libpcap's description ("" if it has none)
	kind       linkKind
	refusedAs  string // lkRefused: the name in libpcap's refusal
	// The offsets of init_linktype: the link header, the type field, the
	// payload, the network layer after the payload, and after an 802.2
	// header without SNAP; offNotSetK when the type has none.
	hdr, typ, pl, nl, nosnap int
}

// otherLinks maps LINKTYPE values to their layouts. Types not listed in
// init_linktype have no known offset; libpcap describes a type by its
// pcap_datalink_val_to_description, or "DLT n" when it has none.
var otherLinks = map[layers.LinkType]*otherLink{}

// flinksOther lists the types of the range left to other code (ATM,
// SS7 and a few more), which otherLinkInfo does not claim.
var flinksOther = map[layers.LinkType]bool{100: true, 102: true, 106: true, 114: true, 123: true,
	138: true, 139: true, 140: true, 141: true, 165: true, 166: true}

func init() {
	for lt, nd := range otherLinkNames {
		if flinksOther[lt] {
			continue
		}
		o := &otherLink{name: nd[0], desc: nd[1], typ: offNotSetK, pl: offNotSetK, nl: offNotSetK, nosnap: offNotSetK}
		otherLinks[lt] = o
	}
	set := func(kind linkKind, typ, pl, nl, nosnap int, lts ...layers.LinkType) {
		for _, lt := range lts {
			o := otherLinks[lt]
			o.kind, o.typ, o.pl, o.nl, o.nosnap = kind, typ, pl, nl, nosnap
		}
	}
	set(lkDefault, 6, 44, 0, 0, 99) // SYMANTEC_FIREWALL
	set(lkENC, 0, 12, 0, 0, ltENC)
	set(lkHDLC, 2, 4, 0, 0, ltNetBSDHDLC)
	set(lkWlan, offNotSetK, offNotSetK, 8, 3, ltPrism, ltAVS, ltPPI)
	set(lkIPNET, 1, 24, 0, offNotSetK, ltIPNET)
	set(lkEther, 16, 18, 0, 3, ltNetAn)
	set(lkEther, 24, 26, 0, 3, ltNetAnTr)
	otherLinks[ltNetAn].hdr, otherLinks[ltNetAnTr].hdr = 4, 12
	// Juniper: MLPPP, MLFR, MFR, PPP, CHDLC, FRELAY; ATM1, ATM2; PPPOE,
	// ETHER; PPPOE_ATM; GGSN; ES; MONITOR; SERVICES; VP, ST; ISM, VS,
	// SRX_E2E, FIBRECHANNEL, ATM_CEMIC. (JUNIPER_PIC_PEER is not one of
	// libpcap's Juniper types.)
	set(lkJuniper, 4, 4, 0, offNotSetK, 130, 131, 134, 179, 181, 180)
	set(lkJuniper, 4, 4, 0, 10, 137)
	set(lkJuniper, 8, 8, 0, 10, 135)
	set(lkJuniper, 16, 14, 18, 21, 167, 178)
	set(lkJuniper, 4, 6, 0, offNotSetK, 168)
	set(lkJuniper, 6, 12, 0, offNotSetK, 133)
	set(lkJuniper, 6, offNotSetK, offNotSetK, offNotSetK, 132)
	set(lkJuniper, 12, 12, 0, offNotSetK, 164)
	set(lkJuniper, 12, offNotSetK, offNotSetK, offNotSetK, 136)
	set(lkJuniper, 18, offNotSetK, offNotSetK, offNotSetK, 183, 200)
	set(lkJuniper, 8, offNotSetK, offNotSetK, offNotSetK, 194, 232, 233, 234, 238)
	// Types whose "link proto" libpcap refuses by a name of its own.
	refuse := func(as string, lts ...layers.LinkType) {
		for _, lt := range lts {
			otherLinks[lt].kind, otherLinks[lt].refusedAs = lkRefused, as
		}
	}
	refuse("Multi-link Frame Relay", 182)
	refuse("IrDA", 144)
	refuse("DOCSIS", 143)
	refuse("ERF", 197)
	refuse("PFSYNC", 246)
	refuse("LAPD", 177)
	refuse("USB", 186, 189, 220, 249)
	refuse("Bluetooth", 187, 201)
	refuse("CAN", 190, 227)
	refuse("IEEE 802.15.4", 195, 191, 215, 230, 283)
	refuse("IEEE 802.16", 193)
	refuse("SITA", 196)
	refuse("RAIF1", 198)
	refuse("IPMB", 199, 209)
	refuse("AX.25", 202)
	refuse("NFLOG", 239)
	set(lkRefused, offNotSetK, 0, 4, 0, 182) // MFR
	set(lkRefused, offNotSetK, 4, 0, 0, 246) // PFSYNC
}

// otherLinkInfo returns the layout of a link type of this file.
func otherLinkInfo(lt layers.LinkType) (linkInfo, bool) {
	o, ok := otherLinks[lt]
	if !ok {
		return linkInfo{}, false
	}
	typ := o.typ
	if typ == offNotSetK {
		typ = -1
	}
	switch o.kind {
	case lkWlan:
		// As radiotap: the radio header's length and the MAC header's
		// are computed at the start of the program when used.
		return linkInfo{dlt: lt, varHdr: varLazy, offLinkType: 6, varType: varSharePl, varPl: varLazy, offNl: 8, offNlNosnap: 3}, true
	case lkEther:
		return linkInfo{dlt: layers.LinkTypeEthernet, as: lt, offLinkHdr: o.hdr, offLinkType: typ, offLinkPl: o.pl, offNlNosnap: o.nosnap}, true
	case lkHDLC:
		return linkInfo{dlt: ltCHDLC, as: lt, offLinkType: typ, offLinkPl: o.pl}, true
	}
	return linkInfo{dlt: lt, offLinkType: typ, offLinkPl: o.pl, offNl: o.nl, offNlNosnap: o.nosnap}, true
}

// otherDescription is libpcap's description of a link type of this file.
func otherDescription(lt layers.LinkType) (string, bool) {
	o, ok := otherLinks[lt]
	if !ok {
		return "", false
	}
	if o.desc == "" {
		return "DLT " + strconv.Itoa(int(lt)), true
	}
	return o.desc, true
}

// desc describes the current link type in errors, as libpcap does: the
// type given, where its layout is another's (NETANALYZER's Ethernet).
func (g *gen) desc() string {
	if g.asOther() {
		return dltDescription(g.link.as)
	}
	return dltDescription(g.link.dlt)
}

// asOther reports whether the link layer is one laid out as another type
// (and not the frame inside a tunnel, nor PPP after pppoes, which have
// their own).
func (g *gen) asOther() bool {
	l := &g.link
	if l.as == 0 || l.varHdr != 0 {
		return false
	}
	li, _ := otherLinkInfo(l.as)
	return l.dlt == li.dlt
}

// otherLinktype is linktype for the link types of this file; nil for
// the others.
func (g *gen) otherLinktype(ll uint32) frag {
	o, ok := otherLinks[g.link.dlt]
	if !ok {
		return nil
	}
	switch o.kind {
	case lkWlan:
		return and(g.dataFrame(), g.llcLinktype(ll))
	case lkJuniper:
		// Only the magic number: the encapsulations vary.
		return g.mcmp(orLinkHdr, 0, 4, 0x4d474300, 0xffffff00)
	case lkIPNET:
		switch ll {
		case ethIP:
			return g.cmp(orLinkType, 0, 1, 2) // IPH_AF_INET
		case ethIPv6:
			return g.cmp(orLinkType, 0, 1, 26) // IPH_AF_INET6
		}
		return fFalse()
	case lkENC:
		// An address family in the capturing host's byte order, as
		// NULL's.
		af := func(v uint32) frag {
			if g.nullLE {
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
	case lkRefused:
		g.fail("%s link-layer type filtering not implemented", o.refusedAs)
	}
	if g.link.offLinkType >= 0 {
		return g.cmp(orLinkType, 0, 2, ll)
	}
	d, _ := otherDescription(g.link.dlt)
	g.fail("%s link-layer type filtering not implemented", d)
	return nil
}

// otherInbound is inbound for the link types of this file whose header
// records the direction; nil for the others.
func (g *gen) otherInbound(out bool) frag {
	o, ok := otherLinks[g.link.dlt]
	if !ok {
		return nil
	}
	switch o.kind {
	case lkIPNET:
		if out {
			return g.cmp(orLinkHdr, 2, 2, 1) // IPNET_OUTBOUND
		}
		return g.cmp(orLinkHdr, 2, 2, 2) // IPNET_INBOUND
	case lkJuniper:
		// The flags byte after the 3-byte magic number: bit 0 is set
		// for packets received.
		if out {
			return g.mcmp(orLinkHdr, 3, 1, 0, 1)
		}
		return g.mcmp(orLinkHdr, 3, 1, 1, 1)
	}
	return nil
}

// hasLinkPrefix reports whether 802.11 frames of the link type follow a
// variable-length radio header.
func hasLinkPrefix(lt layers.LinkType) bool {
	switch lt {
	case layers.LinkTypeIEEE80211Radio, ltPrism, ltAVS, ltPPI:
		return true
	}
	return false
}

// hasRadioInfo reports whether "radio[...]" applies: libpcap's list
// leaves PPI out.
func hasRadioInfo(lt layers.LinkType) bool { return hasLinkPrefix(lt) && lt != ltPPI }

// isWlanOther reports whether lt is one of this file's 802.11 types.
func isWlanOther(lt layers.LinkType) bool { return lt == ltPrism || lt == ltAVS || lt == ltPPI }

// otherPrologue is prologue for the 802.11 types of this file: the
// radio header's length into its register (gen_load_prism_llprefixlen,
// gen_load_avs_llprefixlen, gen_load_ppi_llprefixlen), then the MAC
// header's into the payload's, as for radiotap but with no padding;
// for PPI, first a test that the PPI header says 802.11
// (gen_ppi_dlt_check). ok is false for other link types.
func (g *gen) otherPrologue() (code []ins, ok bool) {
	lt := g.link0.dlt
	if !isWlanOther(lt) {
		return nil, false
	}
	hdr, pl := g.link.varHdr-1, g.link.varPl-1
	if lt == ltPPI && g.link.dlt == ltPPI {
		// The PPI header's DLT field, little-endian: 105 (802.11). As
		// libpcap's, tested only when the compilation ends on PPI's own
		// link layer (not after pppoes or geneve).
		code = append(code, ins{op: opLdW, k: 4}, ins{op: opJeqK, k: 0x69000000, jt: 2, jf: tgtFalse})
	}
	if hdr >= 0 {
		b := len(code)
		switch lt {
		case ltPrism:
			// An AVS header where the cookie says so (some Linux
			// drivers), its length at 4; else Prism's 144 bytes.
			code = append(code,
				ins{op: opLdW, k: 0},
				ins{op: opAluK | aluAnd, k: 0xfffff000},
				ins{op: opJeqK, k: 0x80211000, jt: b + 3, jf: b + 5},
				ins{op: opLdW, k: 4},
				ins{op: opJa, jt: b + 6},
				ins{op: opLdImm, k: 144})
		case ltAVS:
			code = append(code, ins{op: opLdW, k: 4}) // big-endian
		case ltPPI:
			// Little-endian, at 2.
			code = append(code, ins{op: opLdB, k: 3}, ins{op: opAluK | aluLsh, k: 8}, ins{op: opTax},
				ins{op: opLdB, k: 2}, ins{op: opAluX | aluOr})
		}
		code = append(code, ins{op: opSt, k: uint32(hdr)}, ins{op: opTax})
	}
	b := len(code)
	for _, in := range wlanPrologue(true, false, -1, pl) {
		if in.op&0x07 == 0x05 {
			in.jt += b
			if in.op != opJa {
				in.jf += b
			}
		}
		code = append(code, in)
	}
	return code, true
}
