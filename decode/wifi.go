package decode

import "github.com/gopacket/gopacket/layers"

// linkWifi prints IEEE 802.11 frames, bare or behind radiotap, PPI, Prism
// or AVS headers; it returns the network-layer offset.
func (p *Printer) linkWifi(b, d []byte, wire int, lt layers.LinkType) ([]byte, int, bool) {
	return b, 0, false
}
