package decode

// TCP and UDP ports of the protocols tcpRPC and udpRPC print, as tcpdump's
// tcp_print and udp_print know them.
const (
	portSSH         = 22
	portBGP         = 179
	portRPKIRTR     = 323
	portRedis       = 6379
	portPPTP        = 1723
	portOpenFlowOld = 6633
	portOpenFlow    = 6653
	portKerberos    = 88
	portKerberosSec = 750
	portL2TP        = 1701
)

// tcpRPC prints WHOIS, BGP, PPTP, RESP (Redis), SSH identification lines,
// OpenFlow, RPKI-RTR and NFS over TCP, tried by port in tcpdump's order.
func (p *Printer) tcpRPC(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	port := func(n int) bool { return sp == n || dp == n }
	switch {
	case port(portWHOIS):
		return whois(b, d, plen, p.opts.Verbose), true
	case port(portBGP):
		// At default verbosity tcpdump names BGP and says no more.
		return append(b, ": BGP"...), true
	case port(portPPTP):
		return pptp(b, d, p.opts.Verbose), true
	case port(portRedis):
		return resp(b, d, plen), true
	case port(portSSH):
		return sshVersion(b, d, plen), true
	case port(portOpenFlowOld), port(portOpenFlow):
		return openflow(b, d, plen), true
	case port(portRPKIRTR):
		return rpkiRTR(b, d, plen, p.opts.Verbose), true
	case port(portNFS):
		return p.tcpNFS(b, d, plen, sp, dp, h), true
	}
	return b, false
}

// rpcState is what the RPC-style printers remember between packets.
type rpcState struct {
	rx  rxCache
	nfs nfsXidMap
}

// udpRPC prints Kerberos, L2TP and AFS Rx over UDP, tried by
// port in tcpdump's order (NFS over UDP is tried earlier, by udpNFS).
func (p *Printer) udpRPC(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	port := func(n int) bool { return sp == n || dp == n }
	switch {
	case port(portKerberos), port(portKerberosSec):
		return krb(b, d), true
	case port(portL2TP):
		return p.l2tp(b, d, ulen), true
	case (sp >= 7000 && sp <= 7009) || (dp >= 7000 && dp <= 7009):
		return p.rx(b, d, ulen, sp, dp, h), true
	}
	return b, false
}

// sshVersion prints an SSH identification line ("SSH-2.0-..." up to its LF
// or CR LF) as ": SSH: line"; other payloads print nothing, and a line cut
// by the capture prints [|ssh].
func sshVersion(b, d []byte, plen int) []byte {
	const pre = "SSH-"
	for i := 0; i < len(pre); i++ {
		if i >= len(d) {
			return appendTrunc(b, "ssh")
		}
		if d[i] != pre[i] {
			return b
		}
	}
	for i := len(pre); i < plen; i++ {
		if i >= len(d) {
			return appendTrunc(b, "ssh")
		}
		c := d[i]
		switch {
		case c == '\n':
		case c == '\r':
			if i+1 >= plen {
				return b
			}
			if i+1 >= len(d) {
				return appendTrunc(b, "ssh")
			}
			if d[i+1] != '\n' {
				return b
			}
		case c < 0x20 || c > 0x7e:
			return b
		default:
			continue
		}
		b = append(b, ": SSH: "...)
		return append(b, d[:i]...)
	}
	return b
}
