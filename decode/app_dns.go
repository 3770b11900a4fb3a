package decode

// udpDNS prints DNS, mDNS, LLMNR, NTP, DHCP/BOOTP and DHCPv6 over UDP.
func (p *Printer) udpDNS(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}

// tcpDNS prints DNS over TCP and HTTP request and status lines.
func (p *Printer) tcpDNS(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}
