package decode

// The dispatch points for application and other protocols. Each calls the
// dissectors of several files in a fixed order; a dissector returns false
// when the packet is not its own, and the next one is tried. (Direct calls:
// a table of method values would allocate per packet.)

// udpApp prints the payload d of a UDP datagram from port sp to port dp
// (ulen is the UDP payload length) when a dissector claims it.
func (p *Printer) udpApp(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	if t, ok := p.udpL2(b, d, ulen, sp, dp); ok {
		return t, true
	}
	if t, ok := p.udpDNS(b, d, ulen, sp, dp, h); ok {
		return t, true
	}
	if t, ok := p.udpMisc(b, d, ulen, sp, dp, h); ok {
		return t, true
	}
	return p.udpRPC(b, d, ulen, sp, dp, h)
}

// tcpApp appends what a dissector prints after a TCP segment's ", length
// N" for its payload d (plen bytes on the wire).
func (p *Printer) tcpApp(b, d []byte, plen, sp, dp int, h *ipHdr) []byte {
	if t, ok := p.tcpDNS(b, d, plen, sp, dp, h); ok {
		return t
	}
	if t, ok := p.tcpRPC(b, d, plen, sp, dp, h); ok {
		return t
	}
	t, _ := p.tcpMisc(b, d, plen, sp, dp, h)
	return t
}
