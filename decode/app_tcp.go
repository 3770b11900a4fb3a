package decode

// tcpRPC prints BGP, OpenFlow, RESP, RPC/NFS and the other TCP protocols.
func (p *Printer) tcpRPC(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}

// udpRPC prints the UDP protocols of tcpRPC's file (AFS Rx, Kerberos, RPC).
func (p *Printer) udpRPC(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}
