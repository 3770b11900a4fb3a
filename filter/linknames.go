package filter

import (
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

// LinkTypeName returns tcpdump's name for lt (what -y takes: "EN10MB")
// and libpcap's description ("Ethernet"; "DLT n" where libpcap 1.10 has
// none), for every link type this package compiles filters for. ok is
// false for a link type it does not know.
func LinkTypeName(lt layers.LinkType) (name, description string, ok bool) {
	if n, ok := linkNames[lt]; ok {
		return n[0], n[1], true
	}
	if n, ok := otherLinkNames[lt]; ok {
		if n[1] == "" {
			return n[0], "DLT " + strconv.Itoa(int(lt)), true
		}
		return n[0], n[1], true
	}
	return "", "", false
}

// LinkTypeByName returns the link type that tcpdump's -y NAME selects
// (any case), as the LINKTYPE value a capture file carries: RAW is 101.
// ok is false for a name LinkTypeName never returns.
func LinkTypeByName(name string) (layers.LinkType, bool) {
	want := strings.ToUpper(name)
	if lt, ok := fileValues[want]; ok {
		return lt, true
	}
	for lt, n := range linkNames {
		if n[0] == want {
			return lt, true
		}
	}
	for lt, n := range otherLinkNames {
		if n[0] == want {
			return lt, true
		}
	}
	return 0, false
}

// fileValues are the names that two numbers carry (a BSD or Linux DLT
// value and the LINKTYPE value): -y gives the one capture files hold.
var fileValues = map[string]layers.LinkType{
	"ATM_RFC1483": 100,
	"RAW":         101,
	"SLIP_BSDOS":  102,
	"ATM_CLIP":    106,
}

// linkNames gives tcpdump's name and libpcap's description of the link
// types a reader of captures meets most; otherLinkNames has the rest.
var linkNames = map[layers.LinkType][2]string{
	0:   {"NULL", "BSD loopback"},
	1:   {"EN10MB", "Ethernet"},
	6:   {"IEEE802", "Token ring"},
	7:   {"ARCNET", "BSD ARCNET"},
	8:   {"SLIP", "SLIP"},
	9:   {"PPP", "PPP"},
	10:  {"FDDI", "FDDI"},
	11:  {"ATM_RFC1483", "RFC 1483 LLC-encapsulated ATM"},
	12:  {"RAW", "Raw IP"},
	14:  {"RAW", "Raw IP"},
	15:  {"SLIP_BSDOS", "BSD/OS SLIP"},
	16:  {"PPP_BSDOS", "BSD/OS PPP"},
	19:  {"ATM_CLIP", "Linux Classical IP over ATM"},
	50:  {"PPP_SERIAL", "PPP over serial"},
	51:  {"PPP_ETHER", "PPPoE"},
	100: {"ATM_RFC1483", "RFC 1483 LLC-encapsulated ATM"},
	101: {"RAW", "Raw IP"},
	102: {"SLIP_BSDOS", "BSD/OS SLIP"},
	104: {"C_HDLC", "Cisco HDLC"},
	105: {"IEEE802_11", "802.11"},
	106: {"ATM_CLIP", "Linux Classical IP over ATM"},
	107: {"FRELAY", "Frame Relay"},
	108: {"LOOP", "OpenBSD loopback"},
	113: {"LINUX_SLL", "Linux cooked v1"},
	114: {"LTALK", "Localtalk"},
	117: {"PFLOG", "OpenBSD pflog file"},
	119: {"PRISM_HEADER", "802.11 plus Prism header"},
	122: {"IP_OVER_FC", "RFC 2625 IP-over-Fibre Channel"},
	123: {"SUNATM", "Sun raw ATM"},
	127: {"IEEE802_11_RADIO", "802.11 plus radiotap header"},
	129: {"ARCNET_LINUX", "Linux ARCNET"},
	138: {"APPLE_IP_OVER_IEEE1394", "Apple IP-over-IEEE 1394"},
	139: {"MTP2_WITH_PHDR", "SS7 MTP2 with Pseudo-header"},
	140: {"MTP2", "SS7 MTP2"},
	141: {"MTP3", "SS7 MTP3"},
	143: {"DOCSIS", "DOCSIS"},
	165: {"BACNET_MS_TP", "BACnet MS/TP"},
	166: {"PPP_PPPD", "PPP for pppd, with direction flag"},
	192: {"PPI", "Per-Packet Information"},
	195: {"IEEE802_15_4_WITHFCS", "IEEE 802.15.4 with FCS"},
	228: {"IPV4", "Raw IPv4"},
	229: {"IPV6", "Raw IPv6"},
	276: {"LINUX_SLL2", "Linux cooked v2"},
}
