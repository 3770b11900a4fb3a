package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"syscall"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/afpacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// Lengths of the LINUX_SLL and LINUX_SLL2 headers.
const (
	sllLen  = 16
	sll2Len = 20
)

// openAny captures on every interface as libpcap's "any" does: a
// SOCK_DGRAM packet socket bound to no interface (the kernel strips each
// interface's own link header), each packet given a LINUX_SLL2 header (or
// LINUX_SLL) built from the address the kernel reports with it.
// Promiscuous mode is not set, as with tcpdump -i any.
func openAny(c Config) (*Handle, error) {
	lt := layers.LinkTypeLinuxSLL2
	switch c.LinkType {
	case 0, layers.LinkTypeLinuxSLL2:
	case layers.LinkTypeLinuxSLL:
		lt = c.LinkType
	default:
		return nil, fmt.Errorf("capture: %q has link types LINUX_SLL2 and LINUX_SLL, not %v", Any, c.LinkType)
	}
	if c.Filter != nil && c.Filter.LinkType() != lt {
		return nil, fmt.Errorf("capture: the filter was compiled for link type %v, but %q has %v", c.Filter.LinkType(), Any, lt)
	}
	block, nblocks := ringGeometry(c)
	tp, err := afpacket.NewTPacket(
		afpacket.OptInterface(""),
		afpacket.SocketDgram,
		afpacket.OptFrameSize(1<<16),
		afpacket.OptBlockSize(block),
		afpacket.OptNumBlocks(nblocks),
		afpacket.OptPollTimeout(c.ReadTimeout),
		afpacket.OptBlockTimeout(blockTimeout(c)),
		afpacket.OptAddVLANHeader(false), // it would go at the Ethernet offset; cook puts it after the SLL header
		afpacket.TPacketVersion3,
	)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM) {
			return nil, fmt.Errorf("capture: opening a packet socket on %q needs root or the CAP_NET_RAW capability: %w", Any, err)
		}
		return nil, fmt.Errorf("capture: %s: %w", Any, err)
	}
	h := &Handle{tp: tp, name: Any, snap: c.SnapLen, prog: c.Filter, cooked: true, buf: make([]byte, sll2Len+4+c.SnapLen)}
	h.ifaces = []pcapio.Interface{{LinkType: lt, SnapLen: uint32(c.SnapLen), Name: Any, Resolution: 1}}
	if err := tp.SetBPF(cookedKernelProgram(c, lt)); err != nil {
		tp.Close()
		return nil, fmt.Errorf("capture: %s: attaching the filter: %w", Any, err)
	}
	if err := tp.InitSocketStats(); err != nil {
		tp.Close()
		return nil, fmt.Errorf("capture: %s: %w", Any, err)
	}
	return h, nil
}

// cookedKernelProgram is kernelProgram for a SOCK_DGRAM socket, whose
// filter sees packets from the network header on: the filter, compiled
// for LINUX_SLL or LINUX_SLL2 (lt), has its loads moved back by the
// header's length, and its loads of the header's fields the kernel keeps
// beside each packet turned into the kernel's ancillary loads of the same
// values (as libpcap does). A filter loading anything else of the header,
// or one the kernel would refuse, stays in user space only, the kernel
// keeping snaplen bytes of everything.
func cookedKernelProgram(c Config, lt layers.LinkType) []bpf.RawInstruction {
	if c.Filter != nil && !containsVLAN(c.Filter.String()) && filter.Validate(c.Filter.Raw()) == nil {
		if prog, ok := shiftCooked(c.Filter.Raw(), lt); ok {
			return withDirection(c, prog)
		}
	}
	return withDirection(c, []bpf.RawInstruction{{Op: 0x06, K: uint32(max(c.SnapLen-cookedLen(lt), 1))}})
}

// cookedLen is the length of the header of a cooked link type.
func cookedLen(lt layers.LinkType) int {
	if lt == layers.LinkTypeLinuxSLL {
		return sllLen
	}
	return sll2Len
}

// Classic BPF opcode parts and ancillary load offsets.
const (
	bpfClassMask = 0x07
	bpfLD        = 0x00
	bpfLDX       = 0x01
	bpfRET       = 0x06
	bpfModeMask  = 0xe0
	bpfABS       = 0x20
	bpfIND       = 0x40
	bpfMSH       = 0xa0
	bpfSizeMask  = 0x18
	bpfW         = 0x00
	bpfH         = 0x08
	bpfB         = 0x10
	bpfRetSrcA   = 0x10
	skfAdOff     = 0xfffff000
	skfAdProto   = 0
	skfAdPktType = 4
	skfAdIfindex = 8
	skfAdHatype  = 28
)

// ancillary maps the fields of a cooked header that the kernel keeps
// beside each packet, by (offset, load size), to its ancillary load.
var ancillary = map[layers.LinkType]map[[2]uint32]uint32{
	layers.LinkTypeLinuxSLL: {
		{0, bpfH}:  skfAdPktType, // sll_pkttype
		{14, bpfH}: skfAdProto,   // sll_protocol
	},
	layers.LinkTypeLinuxSLL2: {
		{0, bpfH}:  skfAdProto,   // sll2_protocol
		{4, bpfW}:  skfAdIfindex, // sll2_if_index
		{8, bpfH}:  skfAdHatype,  // sll2_hatype
		{10, bpfB}: skfAdPktType, // sll2_pkttype
	},
}

// shiftCooked rewrites a program for LINUX_SLL or LINUX_SLL2 (lt) to run
// on the packet without that header; ok is false when it loads a part of
// the header the kernel has no ancillary value for.
func shiftCooked(prog []bpf.RawInstruction, lt layers.LinkType) ([]bpf.RawInstruction, bool) {
	hdr := uint32(cookedLen(lt))
	out := slices.Clone(prog)
	for i := range out {
		ins := &out[i]
		class, mode := ins.Op&bpfClassMask, ins.Op&bpfModeMask
		switch {
		case class == bpfLD && (mode == bpfABS || mode == bpfIND), class == bpfLDX && mode == bpfMSH:
			switch {
			case ins.K >= 0x80000000:
				return nil, false // already special: leave the program alone
			case ins.K >= hdr:
				ins.K -= hdr
			case class == bpfLD && mode == bpfABS:
				ad, ok := ancillary[lt][[2]uint32{ins.K, uint32(ins.Op & bpfSizeMask)}]
				if !ok {
					return nil, false
				}
				ins.K = skfAdOff + ad
			default:
				return nil, false
			}
		case class == bpfRET && ins.Op&bpfRetSrcA == 0 && ins.K > hdr:
			ins.K -= hdr // the kernel counts from the network header
		}
	}
	return out, true
}

// ringFrame is the start of a TPACKET_V3 ring frame: struct tpacket3_hdr
// (48 bytes with its padding), then struct sockaddr_ll.
type ringFrame struct {
	NextOffset uint32
	Sec, Nsec  uint32
	Snaplen    uint32
	Len        uint32
	Status     uint32
	Mac, Net   uint16
	RxHash     uint32
	VLANTCI    uint32
	VLANTPID   uint16
	_          [2 + 8]byte
	Addr       sockaddrLL
}

// sockaddrLL is the kernel's struct sockaddr_ll.
type sockaddrLL struct {
	Family   uint16
	Protocol uint16 // network byte order
	Ifindex  int32
	Hatype   uint16
	Pkttype  uint8
	Halen    uint8
	Addr     [8]byte
}

// dgramMac is where a SOCK_DGRAM packet's data starts in its TPACKET_V3
// frame: TPACKET_ALIGN(TPACKET3_HDRLEN) + 16 (the kernel's tpacket_rcv,
// with no reserve). cook checks the frame's own tp_mac against it.
const dgramMac = 96

// Ring frame status bits (linux/if_packet.h).
const (
	tpStatusVLANValid     = 0x10
	tpStatusVLANTPIDValid = 0x40
)

// cook puts a LINUX_SLL2 or LINUX_SLL header in front of a packet read on
// "any", from the sockaddr_ll the kernel stored in the packet's ring
// frame, and re-inserts a VLAN tag the kernel took off: after the header,
// whose protocol field becomes the tag's TPID. libpcap 1.10 does that for
// LINUX_SLL but drops the tag with LINUX_SLL2; wirekit keeps it in both.
// The result is in h.buf; ci's lengths are adjusted.
func (h *Handle) cook(data []byte, ci *gopacket.CaptureInfo) ([]byte, error) {
	if cap(data) == 0 {
		return nil, fmt.Errorf("capture: %s: a packet without data", Any)
	}
	// gopacket's afpacket hands out the ring bytes themselves: the frame
	// header is dgramMac bytes before them.
	fr := (*ringFrame)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(data)), -dgramMac))
	sll := fr.Addr
	if fr.Mac != dgramMac || int(fr.Snaplen) != len(data) || sll.Family != syscall.AF_PACKET || int(sll.Ifindex) != ci.InterfaceIndex {
		return nil, fmt.Errorf("capture: %s: the packet ring's layout is not the one expected (data at %d, %d bytes, address family %d, interface %d for a packet of %d bytes on interface %d)",
			Any, fr.Mac, fr.Snaplen, sll.Family, sll.Ifindex, len(data), ci.InterfaceIndex)
	}
	// sll_protocol is in network byte order in memory.
	proto := *(*[2]byte)(unsafe.Pointer(&sll.Protocol))
	var b []byte
	var protoAt int // where the header's protocol field is
	if h.ifaces[0].LinkType == layers.LinkTypeLinuxSLL {
		b = h.buf[:sllLen]
		binary.BigEndian.PutUint16(b[0:], uint16(sll.Pkttype))
		binary.BigEndian.PutUint16(b[2:], sll.Hatype)
		binary.BigEndian.PutUint16(b[4:], uint16(sll.Halen))
		copy(b[6:14], sll.Addr[:])
		if sll.Halen < 8 {
			clear(b[6+sll.Halen : 14])
		}
		protoAt = 14
	} else {
		b = h.buf[:sll2Len]
		clear(b[2:4])
		binary.BigEndian.PutUint32(b[4:], uint32(sll.Ifindex))
		binary.BigEndian.PutUint16(b[8:], sll.Hatype)
		b[10], b[11] = sll.Pkttype, sll.Halen
		copy(b[12:20], sll.Addr[:])
		if sll.Halen < 8 {
			clear(b[12+sll.Halen : 20])
		}
	}
	b[protoAt], b[protoAt+1] = proto[0], proto[1]
	if fr.Status&tpStatusVLANValid != 0 {
		tpid := uint16(0x8100)
		if fr.Status&tpStatusVLANTPIDValid != 0 {
			tpid = fr.VLANTPID
		}
		binary.BigEndian.PutUint16(b[protoAt:], tpid)
		n := len(b)
		b = h.buf[:n+4]
		binary.BigEndian.PutUint16(b[n:], uint16(fr.VLANTCI))
		b[n+2], b[n+3] = proto[0], proto[1]
	}
	n := copy(h.buf[len(b):], data)
	out := h.buf[:len(b)+n]
	ci.Length += len(b)
	ci.CaptureLength = len(out)
	return out, nil
}
