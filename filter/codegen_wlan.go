package filter

import "github.com/gopacket/gopacket/layers"

// IEEE 802.11 code generation (libpcap's 802.11 parts of gencode.c): the
// link types IEEE802_11 and IEEE802_11_RADIO (radiotap), whose MAC header
// and radiotap header have variable lengths computed at the start of the
// program into scratch registers.

// is80211 reports whether the link layer is 802.11, with or without a
// radiotap header.
func (g *gen) is80211() bool {
	return g.link.dlt == layers.LinkTypeIEEE802_11 || g.link.dlt == layers.LinkTypeIEEE80211Radio || isWlanOther(g.link.dlt)
}

// Frame-control bits.
const (
	fcTypeMask    = 0x0c
	fcSubtypeMask = 0xf0
	fcTypeCtl     = 0x04
	fcTypeData    = 0x08
	fcToDS        = 0x01
	fcFromDS      = 0x02
	fcDirMask     = 0x03
)

// fcSet tests a bit of byte b (0 or 1) of the frame control field.
func (g *gen) fcSet(b int, bit uint32) frag {
	return test(g.load(orLinkHdr, b, 1), opJsetK, bit)
}

// dataFrame tests that the frame is a data frame: 0x08 set, 0x04 clear
// (gen_check_802_11_data_frame).
func (g *gen) dataFrame() frag {
	return and(not(g.fcSet(0, fcTypeCtl)), g.fcSet(0, fcTypeData))
}

// llcLinktype tests for ll in an 802.2 header (gen_llc_linktype): SAPs in
// the DSAP (and SSAP for IP, OSI and NetBEUI), AppleTalk in SNAP, and
// other Ethernet types where a SNAP header with OUI 0 carries them.
func (g *gen) llcLinktype(ll uint32) frag {
	switch ll {
	case sapIP, sapISONS, sapNetBEUI:
		return g.cmp(orLLC, 0, 2, ll<<8|ll)
	case sapIPX:
		return g.cmp(orLLC, 0, 1, sapIPX)
	case ethAtalk:
		return g.snap(0x080007, ethAtalk)
	}
	if ll <= ethMTU {
		return g.cmp(orLLC, 0, 1, ll)
	}
	return g.cmp(orLinkType, 0, 2, ll)
}

// wlanAddr tests the 6-byte address at off in the 802.11 header.
func (g *gen) wlanAddr(mac []byte) func(off int) frag {
	return func(off int) frag { return g.bcmp(orLinkHdr, off, mac) }
}

// wlanHost compiles an 802.11 address test (gen_wlanhostop); at tests the
// address at an offset of the MAC header (compared, or its multicast bit).
func (g *gen) wlanHost(at func(off int) frag, d qdir) frag {
	switch d {
	case dSrc:
		// No SA in control frames. In management frames it is addr2; in
		// data frames addr2 without From DS, addr3 with From DS only,
		// addr4 with both.
		fromDS := and(g.fcSet(1, fcFromDS), or(and(not(g.fcSet(1, fcToDS)), at(16)), and(g.fcSet(1, fcToDS), at(24))))
		data := and(g.fcSet(0, fcTypeData), or(and(not(g.fcSet(1, fcFromDS)), at(10)), fromDS))
		return and(not(g.fcSet(0, fcTypeCtl)), or(and(not(g.fcSet(0, fcTypeData)), at(10)), data))
	case dDst:
		// No DA in control frames. addr1 in management frames and in
		// data frames without To DS, addr3 with To DS.
		data := and(g.fcSet(0, fcTypeData), or(and(not(g.fcSet(1, fcToDS)), at(4)), and(g.fcSet(1, fcToDS), at(16))))
		return and(not(g.fcSet(0, fcTypeCtl)), or(and(not(g.fcSet(0, fcTypeData)), at(4)), data))
	case dRA:
		// Not in management frames; addr1 in the others.
		return and(g.fcSet(0, fcTypeData), at(4))
	case dTA:
		// Not in management frames, nor in CTS and ACK.
		return and(and(g.fcSet(0, fcTypeData), g.notCTSorACK()), at(10))
	case dAddr1:
		return at(4)
	case dAddr2:
		return and(g.notCTSorACK(), at(10))
	case dAddr3:
		return and(not(g.mcmp(orLinkHdr, 0, 1, fcTypeCtl, fcTypeMask)), at(16))
	case dAddr4:
		return and(g.mcmp(orLinkHdr, 1, 1, fcDirMask, fcDirMask), at(24))
	case dAnd:
		return and(g.wlanHost(at, dSrc), g.wlanHost(at, dDst))
	}
	return or(g.wlanHost(at, dSrc), g.wlanHost(at, dDst))
}

// notCTSorACK is true unless the frame is a CTS or ACK control frame,
// which have no second address.
func (g *gen) notCTSorACK() frag {
	ctl := g.mcmp(orLinkHdr, 0, 1, fcTypeCtl, fcTypeMask)
	return not(and(ctl, or(g.mcmp(orLinkHdr, 0, 1, 0xc0, fcSubtypeMask), g.mcmp(orLinkHdr, 0, 1, 0xd0, fcSubtypeMask))))
}

// wlanType compiles "type T [subtype S]" and "subtype S"
// (gen_p80211_type): the frame control's first byte under mask.
func (g *gen) wlanType(v, mask uint32) frag {
	if !g.is80211() || g.link.dlt == ltPPI {
		g.fail("802.11 link-layer types supported only on 802.11")
	}
	return g.mcmp(orLinkHdr, 0, 1, v, mask)
}

// wlanDir compiles "dir D" (gen_p80211_fcdir).
func (g *gen) wlanDir(v uint32) frag {
	if !g.is80211() || g.link.dlt == ltPPI {
		g.fail("frame direction supported only with 802.11 headers")
	}
	return g.mcmp(orLinkHdr, 1, 1, v, fcDirMask)
}

// wlanTypes, wlanSubtypes and wlanDirs are libpcap's names for 802.11
// frame types, subtypes (per type) and directions.
var (
	wlanTypes = map[string]uint32{"mgt": 0x00, "management": 0x00, "ctl": 0x04, "control": 0x04, "data": 0x08}
	// wlanSubtypes is searched in this order (management, control,
	// data) for "subtype NAME" without a type.
	wlanSubtypes = []struct {
		typ   uint32
		names map[string]uint32
	}{
		{0x00, map[string]uint32{"assocreq": 0x00, "assoc-req": 0x00, "assocresp": 0x10, "assoc-resp": 0x10,
			"reassocreq": 0x20, "reassoc-req": 0x20, "reassocresp": 0x30, "reassoc-resp": 0x30,
			"probereq": 0x40, "probe-req": 0x40, "proberesp": 0x50, "probe-resp": 0x50, "beacon": 0x80,
			"atim": 0x90, "disassoc": 0xa0, "disassociation": 0xa0, "auth": 0xb0, "authentication": 0xb0,
			"deauth": 0xc0, "deauthentication": 0xc0}},
		{0x04, map[string]uint32{"ps-poll": 0xa0, "rts": 0xb0, "cts": 0xc0,
			"ack": 0xd0, "cf-end": 0xe0, "cf-end-ack": 0xf0}},
		{0x08, map[string]uint32{"data": 0x00, "data-cf-ack": 0x10, "data-cf-poll": 0x20,
			"data-cf-ack-poll": 0x30, "null": 0x40, "cf-ack": 0x50, "cf-poll": 0x60, "cf-ack-poll": 0x70,
			"qos-data": 0x80, "qos-data-cf-ack": 0x90, "qos-data-cf-poll": 0xa0,
			"qos-data-cf-ack-poll": 0xb0, "qos": 0xc0, "qos-cf-poll": 0xe0, "qos-cf-ack-poll": 0xf0}},
	}
	wlanDirs = map[string]uint32{"nods": 0, "tods": 1, "fromds": 2, "dstods": 3}
)

// parse80211 parses "type T [subtype S]", "subtype S" and "dir D" (the
// grammar's p80211 rule), with libpcap's errors.
func (p *parser) parse80211() frag {
	t := p.next()
	g := p.g
	name := func() (token, bool) {
		n := p.next()
		switch n.kind {
		case tNUM:
			return n, true
		case tID, tKeyword:
			return n, false
		}
		p.i--
		p.syntax()
		return n, false
	}
	switch t.text {
	case "type":
		n, isNum := name()
		var typ uint32
		if isNum {
			if n.num&^fcTypeMask != 0 {
				p.at(n)
				g.fail("invalid 802.11 type value 0x%02x", n.num)
			}
			typ = n.num
		} else {
			v, ok := wlanTypes[asciiLower(n.text)]
			if !ok {
				p.at(n)
				g.fail("unknown 802.11 type name \"%s\"", n.text)
			}
			typ = v
		}
		if !p.isKw(p.peek(), "subtype") {
			p.at(t)
			return g.wlanType(typ, fcTypeMask)
		}
		p.next()
		s, isNum := name()
		var sub uint32
		if isNum {
			if s.num&^fcSubtypeMask != 0 {
				p.at(s)
				g.fail("invalid 802.11 subtype value 0x%02x", s.num)
			}
			sub = s.num
		} else {
			var names map[string]uint32
			for _, st := range wlanSubtypes {
				if st.typ == typ {
					names = st.names
				}
			}
			if names == nil {
				p.at(s)
				g.fail("unknown 802.11 type")
			}
			v, ok := names[asciiLower(s.text)]
			if !ok {
				p.at(s)
				g.fail("unknown 802.11 subtype name \"%s\"", s.text)
			}
			sub = v
		}
		p.at(t)
		return g.wlanType(typ|sub, fcTypeMask|fcSubtypeMask)
	case "subtype":
		n := p.next()
		if n.kind != tID && n.kind != tKeyword {
			p.i--
			p.syntax()
		}
		for _, st := range wlanSubtypes {
			if v, ok := st.names[asciiLower(n.text)]; ok {
				p.at(t)
				return g.wlanType(st.typ|v, fcTypeMask|fcSubtypeMask)
			}
		}
		p.at(n)
		g.fail("unknown 802.11 type name")
	}
	// dir
	n, isNum := name()
	v := n.num
	if !isNum {
		var ok bool
		v, ok = wlanDirs[asciiLower(n.text)]
		if !ok {
			p.at(n)
			g.fail("unknown 802.11 direction")
		}
	}
	p.at(t)
	return g.wlanDir(v)
}

// wlanPrologue is the start of a program for an 802.11 link type, run
// before the filter when it needs them (gen_load_radiotap_llprefixlen and
// gen_load_802_11_header_len): the radiotap header length (little-endian,
// bytes 2-3) into the link-header register, and the length of the MAC
// header into the payload register: 24 bytes, 2 more for QoS data frames,
// rounded up to 4 after radiotap when its flags say the payload is padded.
// hdr and pl are the registers, or -1 when the filter does not use them;
// pad says whether to look at the radiotap flags.
// As libpcap's, it does not count a fourth address or an HT control field.
func wlanPrologue(radio, pad bool, hdr, pl int) []ins {
	var code []ins
	emit := func(in ins) int { code = append(code, in); return len(code) - 1 }
	if radio && hdr >= 0 {
		emit(ins{op: opLdB, k: 3})
		emit(ins{op: opAluK | aluLsh, k: 8})
		emit(ins{op: opTax})
		emit(ins{op: opLdB, k: 2})
		emit(ins{op: opAluX | aluOr})
		emit(ins{op: opSt, k: uint32(hdr)})
		emit(ins{op: opTax})
	}
	if pl < 0 {
		return code
	}
	const end = 1 << 20 // patched to the end of the prologue
	if !radio {
		emit(ins{op: opLdxImm, k: 0})
	}
	emit(ins{op: opTxa})
	emit(ins{op: opAluK | aluAdd, k: 24})
	emit(ins{op: opSt, k: uint32(pl)})
	emit(ins{op: opLdIB, k: 0})
	emit(ins{op: opJsetK, k: fcTypeData, jt: len(code) + 1, jf: end})
	emit(ins{op: opJsetK, k: fcTypeCtl, jt: end, jf: len(code) + 1})
	qos := emit(ins{op: opJsetK, k: 0x80, jt: len(code) + 1})
	emit(ins{op: opLdMem, k: uint32(pl)})
	emit(ins{op: opAluK | aluAdd, k: 2})
	emit(ins{op: opSt, k: uint32(pl)})
	code[qos].jf = len(code)
	if pad {
		// Radiotap: is the Flags field present (bit 1 of the first
		// presence word, read big-endian here) and the presence bitmap
		// not extended (bit 31)? Flags follows the 8-byte TSFT if that is
		// present (bit 0). Its 0x20 bit says the 802.11 header is padded
		// to 4 bytes.
		emit(ins{op: opLdW, k: 4})
		emit(ins{op: opJsetK, k: 0x02000000, jt: len(code) + 1, jf: end})
		emit(ins{op: opJsetK, k: 0x80, jt: end, jf: len(code) + 1})
		tsft := emit(ins{op: opJsetK, k: 0x01000000, jt: len(code) + 1})
		emit(ins{op: opLdB, k: 16})
		padA := emit(ins{op: opJsetK, k: 0x20, jf: end})
		code[tsft].jf = len(code)
		emit(ins{op: opLdB, k: 8})
		padB := emit(ins{op: opJsetK, k: 0x20, jf: end})
		code[padA].jt, code[padB].jt = len(code), len(code)
		emit(ins{op: opLdMem, k: uint32(pl)})
		emit(ins{op: opAluK | aluAdd, k: 3})
		emit(ins{op: opAluK | aluAnd, k: 0xfffffffc})
		emit(ins{op: opSt, k: uint32(pl)})
	}
	for i := range code {
		if code[i].jt == end {
			code[i].jt = len(code)
		}
		if code[i].jf == end {
			code[i].jf = len(code)
		}
	}
	return code
}
