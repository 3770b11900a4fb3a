package decode

// Well-known ports of the protocols this file's dissectors print, and of
// those tcpdump tries before them (a packet between port 69 and port 123
// is TFTP to tcpdump, so it is not NTP here either).
const (
	portDNS     = 53
	portMDNS    = 5353
	portBOOTPS  = 67
	portBOOTPC  = 68
	portNTP     = 123
	portDHCP6C  = 546
	portDHCP6S  = 547
	portHTTP    = 80
	portHTTPAlt = 8080
)

func eitherPort(sp, dp, port int) bool { return sp == port || dp == port }

// udpBeforeBOOTP reports ports tcpdump's udp_print dispatches on before
// BOOTP (timed, TFTP); udpBeforeNTP those between BOOTP and NTP (RIP,
// AODV, ISAKMP, SNMP); udpBeforeDHCP6 those between NTP and DHCPv6
// (Kerberos, L2TP, NetBIOS, VAT, Zephyr, Rx, RIPng).
func udpBeforeBOOTP(sp, dp int) bool {
	return eitherPort(sp, dp, 525) || eitherPort(sp, dp, 69)
}

func udpBeforeNTP(sp, dp int) bool {
	for _, port := range [...]int{520, 654, 500, 4500, 7500, 8500, 161, 162} {
		if eitherPort(sp, dp, port) {
			return true
		}
	}
	return false
}

func udpBeforeDHCP6(sp, dp int) bool {
	for _, port := range [...]int{88, 750, 1701, 137, 138, 2103, 2104, 521} {
		if eitherPort(sp, dp, port) {
			return true
		}
	}
	return dp == 3456 || (sp >= 7000 && sp <= 7009) || (dp >= 7000 && dp <= 7009)
}

// udpDNS prints DNS, mDNS, LLMNR, NTP, DHCP/BOOTP and DHCPv6 over UDP.
// tcpdump 4.99 prints LLMNR (port 5355) as plain UDP, and so does this.
func (p *Printer) udpDNS(b, d []byte, ulen, sp, dp int, h *ipHdr) ([]byte, bool) {
	switch {
	case eitherPort(sp, dp, portDNS):
		return p.appendDNS(b, d, ulen, false, false), true
	case eitherPort(sp, dp, portMDNS):
		return p.appendDNS(b, d, ulen, false, true), true
	case udpBeforeBOOTP(sp, dp):
		return b, false
	case eitherPort(sp, dp, portBOOTPS) || eitherPort(sp, dp, portBOOTPC):
		return p.appendBOOTP(b, d, ulen), true
	case udpBeforeNTP(sp, dp):
		return b, false
	case eitherPort(sp, dp, portNTP):
		return p.appendNTP(b, d, ulen), true
	case udpBeforeDHCP6(sp, dp):
		return b, false
	case eitherPort(sp, dp, portDHCP6C) || eitherPort(sp, dp, portDHCP6S):
		return p.appendDHCP6(b, d, ulen), true
	}
	return b, false
}

// tcpDNS prints DNS over TCP, and HTTP, RTSP, FTP, SMTP and whois lines,
// choosing by port in tcpdump's order; telnet and the protocols tcpdump
// tries between SMTP and FTP are left to other dissectors.
func (p *Printer) tcpDNS(b, d []byte, plen, sp, dp int, h *ipHdr) ([]byte, bool) {
	switch {
	case eitherPort(sp, dp, 23):
		return b, false
	case eitherPort(sp, dp, 25):
		return p.appendTxtProto(append(b, ": "...), d, plen, "smtp", nil), true
	case eitherPort(sp, dp, 43):
		return p.appendTxtProto(append(b, ": "...), d, plen, "whois", nil), true
	}
	for _, port := range [...]int{179, 1723, 6379, 22, 139, 445, 10288, 6633, 6653} {
		if eitherPort(sp, dp, port) {
			return b, false
		}
	}
	switch {
	case eitherPort(sp, dp, 21):
		return p.appendTxtProto(append(b, ": "...), d, plen, "ftp", nil), true
	case eitherPort(sp, dp, portHTTP) || eitherPort(sp, dp, portHTTPAlt):
		return p.appendTxtProto(append(b, ": "...), d, plen, "http", httpMethods[:]), true
	case eitherPort(sp, dp, 554) || eitherPort(sp, dp, 8554):
		return p.appendTxtProto(append(b, ": "...), d, plen, "rtsp", rtspMethods[:]), true
	case eitherPort(sp, dp, portDNS):
		return p.appendDNS(b, d, plen, true, false), true
	}
	return b, false
}
