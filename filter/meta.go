package filter

import "github.com/gopacket/gopacket"

// Linux socket filters read the kernel's metadata of a packet, beside its
// bytes, with absolute loads at negative offsets (SKF_AD_OFF, -0x1000 as
// an unsigned 32-bit offset, plus the field's number): the value loaded
// is the field's whole value, whatever the size of the load. Programs
// compiled with Options.Live use two of them, as libpcap does on Linux.
const (
	skfAdOff     = 0xfffff000 // SKF_AD_OFF
	skfAdPktType = 4          // SKF_AD_PKTTYPE: the packet type (sll_pkttype)
	skfAdIfIndex = 8          // SKF_AD_IFINDEX: the interface's index
)

// PacketOutgoing is the packet type of a packet the host sent
// (PACKET_OUTGOING in Linux's sll_pkttype); the others were received:
// 0 for this host, 1 broadcast, 2 multicast, 3 for another host.
const PacketOutgoing = 4

// Meta is what the Linux kernel knows of a packet beside its bytes, which
// a socket filter reads with ancillary loads (SKF_AD_PKTTYPE and
// SKF_AD_IFINDEX), and which programs compiled with Options.Live test for
// inbound, outbound and ifindex. A capture on an AF_PACKET socket has it
// in each frame's sockaddr_ll; package capture passes it when a filter
// runs in user space.
type Meta struct {
	// PktType is the packet type, sll_pkttype: PacketOutgoing for a
	// packet the host sent, below it for one it received.
	PktType uint8
	// IfIndex is the index of the interface the packet was seen on.
	IfIndex uint32
}

// ancillary tells whether an absolute load at k reads the kernel's
// metadata rather than the packet.
func ancillary(k uint32) bool { return k >= skfAdOff }

// load returns the metadata an ancillary load at k reads; ok is false
// for fields Meta does not hold (and for a nil m), which then reject the
// packet as a load outside it does.
func (m *Meta) load(k uint32) (uint32, bool) {
	if m == nil {
		return 0, false
	}
	switch k - skfAdOff {
	case skfAdPktType:
		return uint32(m.PktType), true
	case skfAdIfIndex:
		return m.IfIndex, true
	}
	return 0, false
}

// MatchesMeta is Matches for a packet with its kernel metadata, which
// the ancillary loads of a program compiled with Options.Live read
// (Matches gives them none: such loads then reject the packet, as
// libpcap's bpf_filter does). It does not allocate.
func (p *Program) MatchesMeta(ci gopacket.CaptureInfo, data []byte, m *Meta) bool {
	wire := uint32(ci.Length)
	if ci.Length <= 0 {
		wire = uint32(len(data))
	}
	return p.exec.RunMeta(data, wire, m) != 0
}

// RunMeta is Run with the packet's kernel metadata for ancillary loads
// (SKF_AD_PKTTYPE, SKF_AD_IFINDEX; see Meta); m may be nil, and other
// ancillary loads reject the packet. It does not allocate.
func (e *Executor) RunMeta(pkt []byte, wire uint32, m *Meta) uint32 {
	return e.entry(e, pkt, wire, nil, m)
}

// UsesMeta tells whether the program reads the kernel's metadata of a
// packet (a program compiled with Options.Live for inbound, outbound or
// ifindex on a link type whose header does not record them): a kernel
// runs it as is, and in user space it needs MatchesMeta.
func (p *Program) UsesMeta() bool {
	for _, in := range p.raw {
		switch in.Op {
		case opLdW, opLdH, opLdB:
			if ancillary(in.K) {
				return true
			}
		}
	}
	return false
}
