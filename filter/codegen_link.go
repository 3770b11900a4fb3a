package filter

import (
	"net"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

func (g *gen) isEthernet() bool { return g.link.dlt == layers.LinkTypeEthernet }

// ehostop compiles an Ethernet address test (gen_ehostop).
func (g *gen) ehostop(mac []byte, d qdir) frag {
	return g.srcdst(d, "addresses other than 802.11 MAC addresses", func(src bool) frag {
		off := 0
		if src {
			off = 6
		}
		return and(g.cmp(orLinkHdr, off+2, 4, be32(mac[2:])), g.cmp(orLinkHdr, off, 2, uint32(mac[0])<<8|uint32(mac[1])))
	})
}

// ecode compiles a MAC address under qualifiers (gen_ecode).
func (g *gen) ecode(s string, q qual) frag {
	if (q.addr == aHost || q.addr == aDefault) && q.proto == pLink {
		mac := etherAton(s)
		if !g.isEthernet() {
			g.fail("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
		}
		switch q.dir {
		case dAddr1, dAddr2, dAddr3, dAddr4, dRA, dTA:
			g.dirError(q.dir, "addresses other than 802.11 MAC addresses")
		}
		return g.ehostop(mac, q.dir)
	}
	g.fail("ethernet address used in non-ether expression")
	return nil
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
		if !g.isEthernet() {
			g.fail("not a broadcast link")
		}
		return g.ehostop([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dDst)
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
		if !g.isEthernet() {
			g.fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
		}
		return test(g.load(orLinkHdr, 0, 1), opJsetK, 1)
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
	if !g.isEthernet() {
		g.fail("no VLAN support for %s", dltDescription(g.link.dlt))
	}
	if has && id > 0x0fff {
		g.fail("VLAN tag %d greater than maximum %d", id, 0x0fff)
	}
	b := or(or(g.cmp(orLinkType, 0, 2, ethVLAN), g.cmp(orLinkType, 0, 2, ethQinQ)), g.cmp(orLinkType, 0, 2, ethQinQ2))
	if has {
		b = and(b, g.mcmp(orLinkPl, 0, 2, id, 0x0fff))
	}
	g.link.offLinkType += 4
	g.link.offLinkPl += 4
	g.link.vlanDepth++
	return b
}

func (g *gen) mpls(label uint32, has bool) frag {
	var b frag
	if g.link.labelDepth > 0 {
		b = g.mcmp(orPrevMPLS, 2, 1, 0, 1)
	} else {
		switch g.link.dlt {
		case layers.LinkTypeEthernet:
			b = g.linktype(ethMPLS)
		case layers.LinkTypePPP:
			b = g.linktype(0x0281)
		default:
			g.fail("no MPLS support for %s", dltDescription(g.link.dlt))
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
	hdr := g.link.offLinkPl + g.link.offNl + 6
	g.link.dlt = layers.LinkTypePPP
	g.link.offLinkHdr = hdr
	g.link.offLinkType = hdr
	g.link.offLinkPl = hdr + 2
	g.link.offNl = 0
	g.link.offNlNosnap = 0
	return b
}

// dltDescription is pcap_datalink_val_to_description_or_dlt for the link
// types this package knows.
func dltDescription(lt layers.LinkType) string {
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
	}
	return "DLT " + strconv.Itoa(int(lt))
}
