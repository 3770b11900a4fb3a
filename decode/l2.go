package decode

import "github.com/gopacket/gopacket/layers"

// etherL2 prints Ethernet payloads other than IP and ARP: LLC/SNAP, STP,
// CDP, LLDP, slow protocols, MPLS, PPPoE...
func (p *Printer) etherL2(b, d []byte, length int, et uint16) ([]byte, bool) {
	return b, false
}

// linkL2 prints link types other than 802.11 that appendLink does not
// (PPP, Cisco HDLC, Frame Relay...); it returns the network-layer offset.
func (p *Printer) linkL2(b, d []byte, wire int, lt layers.LinkType) ([]byte, int, bool) {
	return b, 0, false
}
