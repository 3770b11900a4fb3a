package filter

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"github.com/gopacket/gopacket/layers"
)

// Proto is the transport protocol of a Flow.
type Proto uint8

// Transport protocols a Flow can carry, by IP protocol number.
const (
	TCP    Proto = 6
	UDP    Proto = 17
	SCTP   Proto = 132
	ICMP   Proto = 1
	ICMPv6 Proto = 58
)

// String returns the protocol's filter keyword.
func (p Proto) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case SCTP:
		return "sctp"
	case ICMP:
		return "icmp"
	case ICMPv6:
		return "icmp6"
	}
	return fmt.Sprintf("proto-%d", uint8(p))
}

// TCP flag bits, as in the TCP header's flags byte (tcp[13]).
const (
	FlagFIN uint8 = 0x01
	FlagSYN uint8 = 0x02
	FlagRST uint8 = 0x04
	FlagPSH uint8 = 0x08
	FlagACK uint8 = 0x10
	FlagURG uint8 = 0x20
	FlagECE uint8 = 0x40
	FlagCWR uint8 = 0x80
)

// Flow is what a socket listener knows about a payload: the transport, the
// two endpoints and, optionally, lower-layer details. It is matched with
// Program.MatchFlow without building a packet by hand.
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are taken as the IPv4
// addresses they carry, and the packet is IPv4: a dual-stack listener
// (net.Listen("tcp", ":port")) reports an IPv4 client as
// ::ffff:192.0.2.1, and on the wire that connection is IPv4, so "ip",
// "host 192.0.2.1" and "net 192.0.2.0/24" match it and "ip6" does not. A
// mapped address may be paired with a plain IPv4 one.
type Flow struct {
	Proto Proto
	// Src and Dst are the endpoints; both IPv4 (or IPv4-mapped) or both
	// IPv6. Ports are ignored for ICMP and ICMPv6.
	Src, Dst netip.AddrPort
	// TCPFlags is the TCP flags byte; 0 means PSH|ACK, a data segment.
	TCPFlags uint8
	// ICMPType and ICMPCode are used for ICMP and ICMPv6 (type 0 with
	// ICMP means echo reply, as on the wire).
	ICMPType, ICMPCode uint8
	// VLAN, when not 0, adds an 802.1Q tag with this ID (Ethernet only);
	// an ID above 4095 is an error, never cut to 12 bits.
	VLAN uint16
	// SrcMAC and DstMAC are the Ethernet addresses; nil means zero.
	SrcMAC, DstMAC net.HardwareAddr
}

// ErrFlow reports a Flow that cannot be turned into a packet.
var ErrFlow = errors.New("invalid flow")

// MatchFlow reports whether a packet carrying payload on flow would pass
// the filter: the packet libpcap would see is built in a pooled buffer
// (no allocation in the steady state; safe for concurrent use) in the
// program's link type, and the program runs on it; its wire length is its
// real length. A flow that cannot be built (mixed address families, an
// unknown protocol, a link type AppendFlowPacket does not build) does not
// match; MatchFlowErr says why.
func (p *Program) MatchFlow(flow Flow, payload []byte) bool {
	ok, _ := p.MatchFlowErr(flow, payload)
	return ok
}

// MatchFlowErr is MatchFlow that also says why a flow could not be
// matched: the error, from AppendFlowPacket, wraps ErrFlow and names the
// field or the link type at fault; the result is then false. A nil error
// means the program ran, whatever it decided.
func (p *Program) MatchFlowErr(flow Flow, payload []byte) (bool, error) {
	bp := flowBufs.Get().(*[]byte)
	b, err := AppendFlowPacket((*bp)[:0], p.linkType, flow, payload)
	ok := err == nil && p.exec.Run(b, uint32(len(b))) != 0
	*bp = b
	flowBufs.Put(bp)
	return ok, err
}

var flowBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// AppendFlowPacket appends to dst the bytes of a packet of link type lt
// carrying payload on flow: link header, IPv4 or IPv6 header, transport
// header with valid lengths and checksums, then the payload. Ethernet
// frames are not padded to 60 bytes: they are what a capture of a local
// socket's traffic shows, so "len" and "greater" see the real size. Supported link
// types: Ethernet, raw IP (RAW, IPV4, IPV6), Linux SLL and SLL2, and LOOP.
// Errors wrap ErrFlow.
func AppendFlowPacket(dst []byte, lt layers.LinkType, flow Flow, payload []byte) ([]byte, error) {
	src, dstIP := flow.Src.Addr().Unmap(), flow.Dst.Addr().Unmap()
	if !src.IsValid() || !dstIP.IsValid() || src.Is4() != dstIP.Is4() {
		return dst, fmt.Errorf("%w: source %v and destination %v must both be IPv4 or both IPv6", ErrFlow, flow.Src, flow.Dst)
	}
	v4 := src.Is4()
	switch flow.Proto {
	case TCP, UDP, SCTP:
	case ICMP:
		if !v4 {
			return dst, fmt.Errorf("%w: icmp needs IPv4 addresses (use ICMPv6)", ErrFlow)
		}
	case ICMPv6:
		if v4 {
			return dst, fmt.Errorf("%w: icmp6 needs IPv6 addresses", ErrFlow)
		}
	default:
		return dst, fmt.Errorf("%w: protocol %d: want tcp, udp, sctp, icmp or icmp6", ErrFlow, uint8(flow.Proto))
	}
	ethType := uint16(0x0800)
	if !v4 {
		ethType = 0x86dd
	}
	var err error
	if dst, err = appendLink(dst, lt, flow, ethType); err != nil {
		return dst, err
	}
	ipStart := len(dst)
	thLen := 8 // UDP, ICMP, ICMPv6
	switch flow.Proto {
	case TCP:
		thLen = 20
	case SCTP:
		thLen = 12
	}
	l4len := thLen + len(payload)
	if v4 {
		dst = append(dst, 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, byte(flow.Proto), 0, 0)
		binary.BigEndian.PutUint16(dst[ipStart+2:], uint16(20+l4len))
		a, b := src.As4(), dstIP.As4()
		dst = append(dst, a[:]...)
		dst = append(dst, b[:]...)
		binary.BigEndian.PutUint16(dst[ipStart+10:], ^sum16(0, dst[ipStart:ipStart+20]))
	} else {
		dst = append(dst, 0x60, 0, 0, 0, 0, 0, byte(flow.Proto), 64)
		binary.BigEndian.PutUint16(dst[ipStart+4:], uint16(l4len))
		a, b := src.As16(), dstIP.As16()
		dst = append(dst, a[:]...)
		dst = append(dst, b[:]...)
	}
	l4 := len(dst)
	sp, dp := flow.Src.Port(), flow.Dst.Port()
	switch flow.Proto {
	case TCP:
		flags := flow.TCPFlags
		if flags == 0 {
			flags = FlagPSH | FlagACK
		}
		dst = binary.BigEndian.AppendUint16(dst, sp)
		dst = binary.BigEndian.AppendUint16(dst, dp)
		dst = append(dst, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0)
	case UDP:
		dst = binary.BigEndian.AppendUint16(dst, sp)
		dst = binary.BigEndian.AppendUint16(dst, dp)
		dst = binary.BigEndian.AppendUint16(dst, uint16(l4len))
		dst = append(dst, 0, 0)
	case SCTP:
		dst = binary.BigEndian.AppendUint16(dst, sp)
		dst = binary.BigEndian.AppendUint16(dst, dp)
		dst = append(dst, 0, 0, 0, 1, 0, 0, 0, 0)
	case ICMP, ICMPv6:
		dst = append(dst, flow.ICMPType, flow.ICMPCode, 0, 0, 0, 1, 0, 1)
	}
	dst = append(dst, payload...)
	// Transport checksum (SCTP's CRC32c is left 0: filters do not read it).
	var ck uint32
	switch flow.Proto {
	case TCP, UDP, ICMPv6:
		ck = pseudoSum(dst[ipStart:], v4, byte(flow.Proto), l4len)
	}
	switch flow.Proto {
	case TCP:
		binary.BigEndian.PutUint16(dst[l4+16:], ^sum16(ck, dst[l4:]))
	case UDP:
		c := ^sum16(ck, dst[l4:])
		if c == 0 {
			c = 0xffff
		}
		binary.BigEndian.PutUint16(dst[l4+6:], c)
	case ICMP, ICMPv6:
		binary.BigEndian.PutUint16(dst[l4+2:], ^sum16(ck, dst[l4:]))
	}
	return dst, nil
}

// appendLink writes the link-layer header for lt.
func appendLink(dst []byte, lt layers.LinkType, flow Flow, ethType uint16) ([]byte, error) {
	switch lt {
	case layers.LinkTypeEthernet:
		dst = appendMAC(dst, flow.DstMAC)
		dst = appendMAC(dst, flow.SrcMAC)
		if flow.VLAN > 0x0fff {
			return dst, fmt.Errorf("%w: VLAN ID %d greater than maximum 4095", ErrFlow, flow.VLAN)
		}
		if flow.VLAN != 0 {
			dst = binary.BigEndian.AppendUint16(dst, 0x8100)
			dst = binary.BigEndian.AppendUint16(dst, flow.VLAN&0x0fff)
		}
		return binary.BigEndian.AppendUint16(dst, ethType), nil
	case layers.LinkTypeRaw, 12, 14, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		if (lt == layers.LinkTypeIPv4 && ethType != 0x0800) || (lt == layers.LinkTypeIPv6 && ethType != 0x86dd) {
			return dst, fmt.Errorf("%w: link type %v cannot carry this address family", ErrFlow, lt)
		}
	case layers.LinkTypeLinuxSLL:
		// Packet type "sent by us" (4) is what a local socket's traffic is.
		dst = append(dst, 0, 4, 0, 1, 0, 6)
		dst = appendMAC8(dst, flow.SrcMAC)
		dst = binary.BigEndian.AppendUint16(dst, ethType)
	case 276: // LINUX_SLL2
		dst = binary.BigEndian.AppendUint16(dst, ethType)
		dst = append(dst, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6)
		dst = appendMAC8(dst, flow.SrcMAC)
	case layers.LinkTypeLoop:
		af := uint32(2)
		if ethType == 0x86dd {
			af = 24 // OpenBSD's AF_INET6, as LOOP files carry it
		}
		dst = binary.BigEndian.AppendUint32(dst, af)
	default:
		return dst, fmt.Errorf("%w: link type %v is not supported for flows", ErrFlow, lt)
	}
	return dst, nil
}

func appendMAC(dst []byte, mac net.HardwareAddr) []byte {
	var m [6]byte
	copy(m[:], mac)
	return append(dst, m[:]...)
}

func appendMAC8(dst []byte, mac net.HardwareAddr) []byte {
	var m [8]byte
	copy(m[:], mac)
	return append(dst, m[:]...)
}

// sum16 adds b as big-endian 16-bit words to the running sum s and folds it.
func sum16(s uint32, b []byte) uint16 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// pseudoSum is the unfolded sum of the transport pseudo-header.
func pseudoSum(ip []byte, v4 bool, proto byte, l4len int) uint32 {
	var s uint32
	if v4 {
		s = uint32(sum16(0, ip[12:20]))
	} else {
		s = uint32(sum16(0, ip[8:40]))
	}
	return s + uint32(proto) + uint32(l4len)
}
