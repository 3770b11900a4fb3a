package filter

import "github.com/gopacket/gopacket/layers"

// SS7 code generation (libpcap's MTP2/MTP3 parts of gencode.c): the link
// types MTP2 and MTP2_WITH_PHDR (MTP2 after a 4-byte pseudo header) with
// the MTP2 signal unit kinds (fisu, lssu, msu, and hfisu, hlssu, hmsu for
// high-speed links, whose length indicator is 9 bits in a 2-byte field)
// and the MTP3 routing label fields (sio, opc, dpc, sls, and hsio, hopc,
// hdpc, hsls 3 bytes further on); and MTP3, which libpcap 1.10 gives no
// keywords (only link[...]). None has a protocol type: ip, host and the
// like are refused, as libpcap refuses them.
//
// An MTP2 signal unit (after the pseudo header):
//
//	0: BSN, BIB; 1: FSN, FIB
//	2: length indicator (low 6 bits)
//	3: SIO
//	4: routing label: DPC (14 bits), OPC (14 bits), SLS (4 bits), little-endian

// SS7 link types.
const (
	ltMTP2Phdr layers.LinkType = 139
	ltMTP2     layers.LinkType = 140
	ltMTP3     layers.LinkType = 141
	ltERF      layers.LinkType = 197
)

// ss7Off returns the offsets of the length indicator, the high-speed
// length indicator and the SIO on the current link type (the routing
// label follows the SIO); ok is false off MTP2.
func (g *gen) ss7Off() (li, liHSL, sio int, ok bool) {
	switch g.link.dlt {
	case ltMTP2:
		return 2, 4, 3, true
	case ltMTP2Phdr:
		return 6, 8, 7, true
	case ltERF:
		// libpcap gives ERF the offsets of MTP2 after a 20-byte ERF
		// record header (ERF's MTP2 record type), and no other layer.
		return 22, 24, 23, true
	}
	return 0, 0, 0, false
}

// mtp2Type compiles fisu, lssu, msu, hfisu, hlssu and hmsu
// (gen_mtp2type_abbrev): FISUs have a length of 0, LSSUs 1 or 2, MSUs 3
// or more.
func (g *gen) mtp2Type(kw string) frag {
	li, liHSL, _, ok := g.ss7Off()
	if !ok {
		if kw[0] == 'h' {
			g.fail("'%s' supported only on MTP2_HSL", kw)
		}
		g.fail("'%s' supported only on MTP2", kw)
	}
	const mask, maskHSL = 0x3f, 0xff80
	switch kw {
	case "fisu":
		return g.ncmp(orPacket, li, 1, mask, opJeqK, false, 0)
	case "lssu":
		return and(g.ncmp(orPacket, li, 1, mask, opJgtK, false, 0), g.ncmp(orPacket, li, 1, mask, opJgtK, true, 2))
	case "msu":
		return g.ncmp(orPacket, li, 1, mask, opJgtK, false, 2)
	case "hfisu":
		return g.ncmp(orPacket, liHSL, 2, maskHSL, opJeqK, false, 0)
	case "hlssu":
		return and(g.ncmp(orPacket, liHSL, 2, maskHSL, opJgtK, false, 0), g.ncmp(orPacket, liHSL, 2, maskHSL, opJgtK, true, 0x100))
	}
	return g.ncmp(orPacket, liHSL, 2, maskHSL, opJgtK, false, 0x100) // hmsu
}

// mtp3Field compiles an MTP3 field compared with v (gen_mtp3field_code):
// the value is checked against the field's width and laid out as the
// field is in the routing label. The h forms are 3 bytes further on.
func (g *gen) mtp3Field(kw string, jop uint16, reverse bool, v uint32) frag {
	_, _, sio, ok := g.ss7Off()
	name, off := kw, 0
	if kw[0] == 'h' {
		name, off = kw[1:], 3
	}
	if !ok {
		g.fail("'%s' supported only on SS7", name)
	}
	switch name {
	case "sio":
		if v > 255 {
			g.fail("sio value %d too big; max value = 255", v)
		}
		return g.ncmp(orPacket, sio+off, 1, 0xffffffff, jop, reverse, v)
	case "opc":
		if v > 16383 {
			g.fail("opc value %d too big; max value = 16383", v)
		}
		v = v&0x3c00>>10 | v&0x3fc<<6 | v&0x3<<22
		return g.ncmp(orPacket, sio+1+off, 4, 0x00c0ff0f, jop, reverse, v)
	case "dpc":
		if v > 16383 {
			g.fail("dpc value %d too big; max value = 16383", v)
		}
		v = v&0xff<<24 | v&0x3f00<<8
		return g.ncmp(orPacket, sio+1+off, 4, 0xff3f0000, jop, reverse, v)
	}
	if v > 15 {
		g.fail("sls value %d too big; max value = 15", v)
	}
	return g.ncmp(orPacket, sio+4+off, 1, 0xf0, jop, reverse, v<<4)
}
