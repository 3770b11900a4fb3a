package cli

import (
	"fmt"

	"github.com/gopacket/gopacket/layers"
)

// dltNames holds tcpdump's name and description for the link types a
// reader of captures meets most, so "reading from file" lines look the same.
var dltNames = map[layers.LinkType][2]string{
	0:   {"NULL", "BSD loopback"},
	1:   {"EN10MB", "Ethernet"},
	6:   {"IEEE802", "Token ring"},
	7:   {"ARCNET", "BSD ARCNET"},
	8:   {"SLIP", "SLIP"},
	9:   {"PPP", "PPP"},
	10:  {"FDDI", "FDDI"},
	12:  {"RAW", "Raw IP"},
	16:  {"PPP_BSDOS", "BSD/OS PPP"},
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

// linkTypeName formats a link type as tcpdump does: "EN10MB (Ethernet)".
func linkTypeName(lt layers.LinkType) string {
	if n, ok := dltNames[lt]; ok {
		return fmt.Sprintf("%s (%s)", n[0], n[1])
	}
	return fmt.Sprintf("%d (%s)", int(lt), lt.String())
}
