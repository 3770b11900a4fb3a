package decode

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Protocol names used by Stack, as tshark's protocol hierarchy
// statistics ('tshark -z io,phs') name them.
const (
	ProtoEth    = "eth"
	ProtoVLAN   = "vlan"
	ProtoQinQ   = "ieee8021ad" // an 802.1ad (0x88a8) service tag
	ProtoSLL    = "sll"
	ProtoNull   = "null"
	ProtoIP     = "ip"
	ProtoIPv6   = "ipv6"
	ProtoARP    = "arp"
	ProtoTCP    = "tcp"
	ProtoUDP    = "udp"
	ProtoICMP   = "icmp"
	ProtoICMPv6 = "icmpv6"
	ProtoSCTP   = "sctp"
	ProtoGRE    = "gre"
	ProtoIGMP   = "igmp"
	ProtoHTTP   = "http"
	ProtoTLS    = "tls"
	ProtoDNS    = "dns"
	ProtoSSH    = "ssh"
	ProtoData   = "data"
	ProtoLLC    = "llc"
)

// maxStack bounds the protocols Stack returns, so that a hostile packet of
// nested tags cannot make it loop long.
const maxStack = 12

// Stack is what Decode found in one packet: the names of its protocols,
// outermost first, and, for TCP, the flags and window that TCP health
// counts need. Reuse one Stack for every packet: Decode resets it.
type Stack struct {
	// Names lists the protocols, outermost first, as tshark's protocol
	// hierarchy statistics ('tshark -z io,phs') name them: for example
	// eth, ip, tcp, http. The names are the Proto constants.
	Names []string
	// TCP is set when the packet holds a whole TCP header (of the first
	// IP header met); TCPFlags holds its flags byte (FIN 0x01, SYN 0x02,
	// RST 0x04, PSH 0x08, ACK 0x10...) and TCPWindow its window field.
	TCP       bool
	TCPFlags  uint8
	TCPWindow uint16
}

// TCP flag bits of Stack.TCPFlags.
const (
	TCPFin = 0x01
	TCPSyn = 0x02
	TCPRst = 0x04
	TCPAck = 0x10
)

// Decode fills s from the packet data of link type lt. It reads
// the link layer (Ethernet with 802.1Q/802.1ad tags, Linux SLL and SLL2,
// BSD NULL/LOOP, raw IP), ARP, IPv4, IPv6 (extension headers stepped
// over), TCP, UDP, ICMP, ICMPv6, SCTP, GRE and IGMP, and names the
// application in a TCP or UDP payload by its content: http (a request line
// or a status line), tls (a TLS record header), ssh (an SSH- banner), dns
// (a DNS header on port 53 or 5353), else data, as tshark does for payload
// it does not dissect. IP fragments after the first stop at ip or ipv6.
//
// Decode never fails: a packet cut short, or of a link type it does not
// read, stops the list where the bytes end. The names are constants, so
// Decode does not allocate once Names has room for them.
func (s *Stack) Decode(data []byte, lt layers.LinkType) {
	s.Names, s.TCP, s.TCPFlags, s.TCPWindow = s.Names[:0], false, 0, 0
	s.Names = s.decode(s.Names, data, lt)
}

func (s *Stack) decode(dst []string, data []byte, lt layers.LinkType) []string {
	switch lt {
	case layers.LinkTypeEthernet:
		return s.stackEther(append(dst, ProtoEth), data)
	case layers.LinkTypeLinuxSLL:
		dst = append(dst, ProtoSLL)
		if len(data) < 16 {
			return dst
		}
		return s.stackEtherType(dst, data[16:], binary.BigEndian.Uint16(data[14:16]))
	case layers.LinkType(276): // LINUX_SLL2
		dst = append(dst, ProtoSLL)
		if len(data) < 20 {
			return dst
		}
		return s.stackEtherType(dst, data[20:], binary.BigEndian.Uint16(data[0:2]))
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		dst = append(dst, ProtoNull)
		if len(data) < 4 {
			return dst
		}
		fam := binary.LittleEndian.Uint32(data[:4])
		if lt == layers.LinkTypeLoop || fam > 0xffff {
			fam = binary.BigEndian.Uint32(data[:4])
		}
		switch fam {
		case 2:
			return s.stackIPv4(dst, data[4:])
		case 24, 28, 30:
			return s.stackIPv6(dst, data[4:])
		}
		return dst
	case layers.LinkTypeRaw, layers.LinkType(12), layers.LinkType(228), layers.LinkType(229):
		return s.stackRawIP(dst, data)
	}
	return dst
}

func (s *Stack) stackRawIP(dst []string, data []byte) []string {
	if len(data) == 0 {
		return dst
	}
	switch data[0] >> 4 {
	case 4:
		return s.stackIPv4(dst, data)
	case 6:
		return s.stackIPv6(dst, data)
	}
	return dst
}

func (s *Stack) stackEther(dst []string, data []byte) []string {
	if len(data) < 14 {
		return dst
	}
	et := binary.BigEndian.Uint16(data[12:14])
	if et <= 1500 { // 802.3 length: LLC follows
		return append(dst, ProtoLLC)
	}
	return s.stackEtherType(dst, data[14:], et)
}

// stackEtherType reads the payload of an EtherType, stepping over VLAN
// tags.
func (s *Stack) stackEtherType(dst []string, d []byte, et uint16) []string {
	for len(dst) < maxStack {
		switch et {
		case 0x8100, 0x88a8, 0x9100:
			if et == 0x88a8 {
				dst = append(dst, ProtoQinQ)
			} else {
				dst = append(dst, ProtoVLAN)
			}
			if len(d) < 4 {
				return dst
			}
			et = binary.BigEndian.Uint16(d[2:4])
			d = d[4:]
			continue
		case 0x0800:
			return s.stackIPv4(dst, d)
		case 0x86dd:
			return s.stackIPv6(dst, d)
		case 0x0806:
			return append(dst, ProtoARP)
		}
		return dst
	}
	return dst
}

func (s *Stack) stackIPv4(dst []string, d []byte) []string {
	dst = append(dst, ProtoIP)
	if len(d) < 20 || d[0]>>4 != 4 {
		return dst
	}
	ihl := int(d[0]&15) * 4
	if ihl < 20 || len(d) < ihl {
		return dst
	}
	if binary.BigEndian.Uint16(d[6:8])&0x1fff != 0 {
		return dst // a fragment after the first: no transport header
	}
	end := int(binary.BigEndian.Uint16(d[2:4]))
	if end < ihl || end > len(d) {
		end = len(d) // cut by the snap length, or a bad length: what is there
	}
	return s.stackTransport(dst, d[ihl:end], d[9], 0)
}

func (s *Stack) stackIPv6(dst []string, d []byte) []string {
	dst = append(dst, ProtoIPv6)
	if len(d) < 40 || d[0]>>4 != 6 {
		return dst
	}
	next := d[6]
	end := 40 + int(binary.BigEndian.Uint16(d[4:6]))
	if end > len(d) || end == 40 && next != 59 {
		end = len(d)
	}
	p := d[40:end]
	for range 8 {
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(p) < 8 {
				return dst
			}
			n := (int(p[1]) + 1) * 8
			if len(p) < n {
				return dst
			}
			next, p = p[0], p[n:]
			continue
		case 44: // fragment
			if len(p) < 8 {
				return dst
			}
			if binary.BigEndian.Uint16(p[2:4])&0xfff8 != 0 {
				return dst
			}
			next, p = p[0], p[8:]
			continue
		}
		break
	}
	return s.stackTransport(dst, p, next, 6)
}

func (s *Stack) stackTransport(dst []string, p []byte, proto uint8, family int) []string {
	switch proto {
	case 6:
		dst = append(dst, ProtoTCP)
		if len(p) < 20 {
			return dst
		}
		off := int(p[12]>>4) * 4
		if !s.TCP {
			s.TCP, s.TCPFlags, s.TCPWindow = true, p[13], binary.BigEndian.Uint16(p[14:16])
		}
		if off < 20 || off > len(p) {
			return dst
		}
		return stackApp(dst, p[off:], binary.BigEndian.Uint16(p[0:2]), binary.BigEndian.Uint16(p[2:4]), false)
	case 17:
		dst = append(dst, ProtoUDP)
		if len(p) < 8 {
			return dst
		}
		return stackApp(dst, p[8:], binary.BigEndian.Uint16(p[0:2]), binary.BigEndian.Uint16(p[2:4]), true)
	case 1:
		if family == 6 {
			return dst
		}
		return append(dst, ProtoICMP)
	case 58:
		return append(dst, ProtoICMPv6)
	case 132:
		return append(dst, ProtoSCTP)
	case 47:
		return append(dst, ProtoGRE)
	case 2:
		return append(dst, ProtoIGMP)
	case 4:
		return s.stackIPv4(dst, p)
	case 41:
		return s.stackIPv6(dst, p)
	}
	return dst
}

// stackApp names the application in a transport payload by its content.
func stackApp(dst []string, p []byte, sport, dport uint16, udp bool) []string {
	if len(p) == 0 {
		return dst
	}
	if udp {
		if (sport == 53 || dport == 53 || sport == 5353 || dport == 5353) && len(p) >= 12 {
			return append(dst, ProtoDNS)
		}
		return append(dst, ProtoData)
	}
	switch {
	case isHTTPStart(p):
		return append(dst, ProtoHTTP)
	case len(p) >= 5 && p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4:
		return append(dst, ProtoTLS)
	case len(p) >= 4 && string(p[:4]) == "SSH-":
		return append(dst, ProtoSSH)
	case (sport == 53 || dport == 53) && len(p) >= 14:
		return append(dst, ProtoDNS)
	}
	return append(dst, ProtoData)
}

var httpStarts = [...]string{"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "HTTP/1."}

// isHTTPStart reports whether p begins with an HTTP/1.x request or status
// line.
func isHTTPStart(p []byte) bool {
	for _, s := range httpStarts {
		if len(p) >= len(s) && string(p[:len(s)]) == s {
			return true
		}
	}
	return false
}
