package decode

// udpMisc prints the other UDP protocols: SNMP, Syslog, SIP, TFTP, RIP,
// BFD, HSRP, PTP, ISAKMP, RADIUS, sFlow, Babel, QUIC, L2TP...
func (p *Printer) udpMisc(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}

// tcpMisc prints the other protocols over TCP that udpMisc's file knows
// (LDP...).
func (p *Printer) tcpMisc(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}

// etherMisc prints the Ethernet payloads of udpMisc's protocols (PTP).
func (p *Printer) etherMisc(b, d []byte, length int, et uint16) ([]byte, bool) {
	return b, false
}
