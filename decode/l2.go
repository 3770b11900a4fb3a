package decode

import "github.com/gopacket/gopacket/layers"

// Link types printed by linkL2 (LINKTYPE_ values of the pcap and pcapng
// formats).
const (
	linkTypeSLIP           = 8
	linkTypePPP            = 9
	linkTypePPPSerial      = 50  // PPP in HDLC-like framing
	linkTypeCHDLC          = 104 // Cisco HDLC
	linkTypeFrameRelay     = 107
	linkTypeMFR            = 182 // FRF.16 multilink Frame Relay
	linkTypeARCnetLinux    = 129
	linkTypeIPNet          = 226 // Solaris ipnet
	linkTypeIPoIB          = 242 // RFC 4391 IP over InfiniBand
	linkTypeVSock          = 271 // Linux vsock
	linkTypeDSABrcm        = 281
	linkTypeDSABrcmPrepend = 282
	linkTypeDSA            = 284
	linkTypeEDSA           = 285
	linkTypeATMCLIP        = 106
	linkTypeATMRFC1483     = 100
	linkTypeSunATM         = 123
	linkTypeUser2          = 149 // Apple's PKTAP before it had a number
	linkTypeNFLog          = 239
	linkTypePKTAP          = 258
)

// linkTypeOf maps a DLT_ value (as a PKTAP header names the link type) to
// its LINKTYPE_ value; they differ for a few.
func linkTypeOf(dlt uint32) layers.LinkType {
	switch dlt {
	case 14: // DLT_RAW on some systems
		return layers.LinkTypeRaw
	case 11:
		return linkTypeATMRFC1483
	}
	return layers.LinkType(dlt)
}

// l2State is what the layer-2 dissectors know of the frame being printed.
type l2State struct {
	// mac is an Ethernet frame's destination and source addresses
	// (nil for other link types), printed when a frame is not
	// understood.
	mac []byte
	// depth counts the nested layer-2 headers being printed (MACsec,
	// NSH, Arista headers can carry frames that carry them again).
	depth int
}

// maxL2Depth bounds the nesting of layer-2 headers in one packet.
const maxL2Depth = 8

// etherL2 prints Ethernet payloads other than IP and ARP: LLC/SNAP, STP,
// CDP, LLDP, slow protocols, MPLS, PPPoE...
func (p *Printer) etherL2(b, d []byte, length int, et uint16) ([]byte, bool) {
	if !l2EtherType(et) {
		return b, false
	}
	if p.l2.depth >= maxL2Depth {
		return appendTrunc(b, "ether"), true
	}
	p.l2.depth++
	t := p.etherL2Print(b, d, length, et)
	p.l2.depth--
	return t, true
}

// etherL2Print prints a frame of one of the types l2EtherType lists.
func (p *Printer) etherL2Print(b, d []byte, length int, et uint16) []byte {
	if et <= 1500 {
		if p.l2.mac != nil {
			length = int(et)
		}
		return p.llc(b, d, length)
	}
	switch et {
	case 0x8847, 0x8848:
		return p.mpls(b, d, length)
	case 0x88cc:
		return lldp(b, d, length)
	case 0x8809:
		return slow(b, d, length)
	case 0x888e:
		return eapol(b, d, length)
	case 0x88a2:
		return aoe(b, d, length)
	case 0x8137:
		return p.ipx(b, d, length)
	case 0x8863, 0x8864:
		return p.pppoe(b, d, length)
	case 0x9000:
		return loopback(b, d, length)
	case 0x8902:
		return cfm(b, d, length)
	case 0x1111:
		return p.calmFast(b, d, length)
	case 0x8947, 0x0707:
		return p.geonet(b, d, length)
	case 0x6003:
		return decnet(b, d, length)
	case 0xd28b:
		return p.arista(b, d, length, length+14)
	case 0x88ca:
		return tipc(b, d, length)
	case 0x80f3:
		return aarp(b, d, length)
	case 0x88e5:
		return p.macsec(b, d, length)
	case 0x886f:
		return msnlb(b, d)
	case 0x894f:
		return p.nsh(b, d, length)
	case 0xfefe:
		// ISO network layer, after a byte tcpdump skips
		if len(d) < 2 || length < 2 {
			return appendTrunc(b, "isoclns")
		}
		return p.osi(b, d[1:], length-1)
	}
	return b
}

// l2EtherType says whether etherL2 prints frames of type et (or any
// 802.3 length) without the Ethernet header at default verbosity, as
// tcpdump does for the protocols it dissects.
func l2EtherType(et uint16) bool {
	switch et {
	case 0x8847, 0x8848, 0x88cc, 0x8809, 0x888e, 0x88a2, 0x8137, 0x8863, 0x8864,
		0x9000, 0x8902, 0x1111, 0x8947, 0x0707, 0x6003, 0xd28b, 0x88ca, 0x80f3,
		0x88e5, 0x886f, 0xfefe, 0x894f:
		return true
	}
	return et <= 1500
}

// l2EtherTypeName names the ethertypes of etherL2's protocols that
// link.go's table does not, as tcpdump -e does.
func l2EtherTypeName(et uint16) string {
	switch et {
	case 0x88a2:
		return "AoE"
	case 0x1111:
		return "CALM FAST"
	case 0x8947:
		return "GeoNet"
	case 0x0707:
		return "GeoNet (old)"
	case 0x88ca:
		return "TIPC"
	case 0xd28b:
		return "Arista Vendor Specific Protocol"
	case 0x886f:
		return "MS NLB heartbeat"
	case 0xfefe:
		return "OSI"
	case 0x894f:
		return "NSH"
	}
	return ""
}

// linkL2 prints link types other than 802.11 that appendLink does not
// (PPP, Cisco HDLC, Frame Relay...); it returns the network-layer offset.
func (p *Printer) linkL2(b, d []byte, wire int, lt layers.LinkType) ([]byte, int, bool) {
	switch lt {
	case linkTypeCHDLC:
		b, n := p.chdlc(b, d, wire)
		return b, n, true
	case linkTypeFrameRelay:
		b, n := p.frameRelay(b, d, wire)
		return b, n, true
	case linkTypeMFR:
		b, n := p.mfr(b, d, wire)
		return b, n, true
	case linkTypePPP:
		b, n := p.ppp(b, d, wire)
		return b, n, true
	case linkTypePPPSerial:
		b, n := p.pppSerial(b, d, wire)
		return b, n, true
	case linkTypeIPoIB:
		b, n := p.ipoib(b, d, wire)
		return b, n, true
	case linkTypeIPNet:
		b, n := p.ipnet(b, d, wire)
		return b, n, true
	case linkTypeARCnetLinux:
		b, n := p.arcnetLinux(b, d, wire)
		return b, n, true
	case linkTypeDSA, linkTypeEDSA:
		b, n := p.dsa(b, d, wire, lt == linkTypeEDSA)
		return b, n, true
	case linkTypeDSABrcm, linkTypeDSABrcmPrepend:
		b, n := p.brcm(b, d, wire, lt == linkTypeDSABrcmPrepend)
		return b, n, true
	case linkTypeVSock:
		b, n := p.vsock(b, d, wire)
		return b, n, true
	case linkTypeSLIP:
		b, n := p.slip(b, d, wire)
		return b, n, true
	case linkTypeNFLog:
		b, n := p.nflog(b, d, wire)
		return b, n, true
	case linkTypePKTAP, linkTypeUser2:
		b, n := p.pktap(b, d, wire)
		return b, n, true
	case linkTypeSunATM:
		b, n := p.sunATM(b, d, wire)
		return b, n, true
	case linkType802154, linkType802154NoFCS:
		return p.ieee802154(b, d), len(d), true
	case linkTypeJuniperES, linkTypeJuniperATM1, linkTypeJuniperEther:
		return p.juniper(b, d, wire, lt)
	case linkTypeATMRFC1483:
		return p.llc(b, d, wire), 0, true
	case linkTypeATMCLIP:
		if len(d) >= 3 && d[0] == 0xaa && d[1] == 0xaa && d[2] == 0x03 {
			return p.llc(b, d, wire), 0, true
		}
		if len(d) < 8 {
			return appendTrunc(b, "cip"), len(d), true
		}
		return p.ip4(b, d, wire), 0, true
	}
	return b, 0, false
}

// appendDefault appends tcpdump's default print of bytes it could not
// dissect: a hex and ASCII dump of d on lines of their own (without the
// last newline, which the caller's line brings), and the truncation mark
// of proto when the length says more bytes were sent than captured. It
// appends nothing while a -x style dump is on.
func (p *Printer) appendDefault(b, d []byte, length int, proto string) []byte {
	if p.opts.Hex != HexNone {
		return b
	}
	if length < len(d) {
		d = d[:max(length, 0)]
	}
	if len(d) > 0 {
		b = append(b, '\n')
		b = appendHexDump(b, d, true)
		b = b[:len(b)-1]
	}
	if length > len(d) {
		b = appendTrunc(b, proto)
	}
	return b
}

// appendDumpLines appends tcpdump's print_unknown_data: "\n\t0x0000:  ..."
// hex lines without ASCII (and without a final newline).
func appendDumpLines(b, d []byte) []byte {
	if len(d) == 0 {
		return b
	}
	b = append(b, '\n')
	b = appendHexDump(b, d, false)
	return b[:len(b)-1]
}

// ipN prints an IPv4 or IPv6 packet by its version, or tcpdump's
// "unknown ip N" for another version; d holds at least one byte.
func (p *Printer) ipN(b, d []byte, wire int) []byte {
	switch d[0] >> 4 {
	case 4:
		return p.ip4(b, d, wire)
	case 6:
		return p.ip6(b, d, wire)
	}
	b = append(b, "unknown ip "...)
	return appendUint(b, uint64(d[0]>>4))
}
