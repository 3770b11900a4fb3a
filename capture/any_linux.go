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
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// sllLen and sll2Len are the lengths of LINUX_SLL and LINUX_SLL2 headers.
const (
	sllLen  = 16
	sll2Len = 20
)

// cookedHeaderLen is the length of the header for a cooked link type.
func cookedHeaderLen(lt layers.LinkType) int {
	if lt == layers.LinkTypeLinuxSLL2 {
		return sll2Len
	}
	return sllLen
}

// anyLinkType is the link type a capture on "any" gives its packets: the
// configured one, else the filter's if it is a cooked one, else LINUX_SLL2.
func anyLinkType(c Config) (layers.LinkType, error) {
	lt := c.AnyLinkType
	if lt == 0 {
		lt = layers.LinkTypeLinuxSLL2
		if c.Filter != nil && c.Filter.LinkType() == layers.LinkTypeLinuxSLL {
			lt = layers.LinkTypeLinuxSLL
		}
	}
	if lt != layers.LinkTypeLinuxSLL && lt != layers.LinkTypeLinuxSLL2 {
		return 0, fmt.Errorf("capture: %q gives packets a LINUX_SLL2 or LINUX_SLL header, not %v", Any, lt)
	}
	return lt, nil
}

// openAny captures on every interface as libpcap's "any" does: a
// SOCK_DGRAM packet socket bound to no interface (the kernel strips each
// interface's own link header), each packet given a LINUX_SLL2 or
// LINUX_SLL header built from the address the kernel reports with it.
// Promiscuous mode is not set, as with tcpdump -i any.
func openAny(c Config) (*Handle, error) {
	lt, err := anyLinkType(c)
	if err != nil {
		return nil, err
	}
	if c.Filter != nil && c.Filter.LinkType() != lt {
		return nil, fmt.Errorf("capture: the filter was compiled for link type %v, but %q has %v", c.Filter.LinkType(), Any, lt)
	}
	block, nblocks := ringGeometry(c)
	kprog, inKernel := cookedKernelProgram(c, lt)
	r, err := openRing(0, unix.SOCK_DGRAM, block, nblocks, c.ReadTimeout, kprog, false)
	if err != nil && c.Filter != nil && inKernel && errors.Is(err, errKernelRefused) {
		// The filter runs in user space instead (see Open).
		kprog, inKernel = cookedAcceptAll(c, lt), false
		r, err = openRing(0, unix.SOCK_DGRAM, block, nblocks, c.ReadTimeout, kprog, false)
	}
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM) {
			return nil, fmt.Errorf("capture: opening a packet socket on %q needs root or the CAP_NET_RAW capability: %w", Any, err)
		}
		return nil, fmt.Errorf("capture: %s: %w", Any, err)
	}
	h := &Handle{r: r, name: Any, snap: c.SnapLen, cooked: true, sll2: lt == layers.LinkTypeLinuxSLL2, buf: make([]byte, sll2Len+4+c.SnapLen), loIndex: loopbackIndex()}
	if !inKernel {
		h.prog = c.Filter
	}
	h.ifaces = []pcapio.Interface{{LinkType: lt, SnapLen: uint32(c.SnapLen), Name: Any, Resolution: 1}}
	return h, nil
}

// cookedKernelProgram is kernelProgram for a SOCK_DGRAM socket, whose
// filter sees packets from the network header on: the filter, compiled
// for LINUX_SLL (or LINUX_SLL2), has its loads moved 16 (20) bytes back,
// and its loads of the header's packet type and protocol turned into the
// kernel's ancillary loads of the same values (as libpcap does). A filter
// loading anything else of the header, or one the kernel would refuse,
// stays in user space only, the kernel keeping snaplen bytes of
// everything. inKernel reports whether the filter (if any) is the one
// attached.
func cookedKernelProgram(c Config, lt layers.LinkType) (prog []bpf.RawInstruction, inKernel bool) {
	if c.Filter != nil && !c.Filter.TestsVLAN() && filter.Validate(c.Filter.Raw()) == nil {
		if prog, ok := shiftCookedFor(c.Filter.Raw(), lt); ok {
			if prog = withDirection(c, prog); filter.Validate(prog) == nil {
				return prog, true
			}
		}
	}
	return cookedAcceptAll(c, lt), c.Filter == nil
}

// cookedAcceptAll is acceptAll for a SOCK_DGRAM socket: the snaplen less
// the cooked header built in front of each packet.
func cookedAcceptAll(c Config, lt layers.LinkType) []bpf.RawInstruction {
	hl := cookedHeaderLen(lt)
	return withDirection(c, []bpf.RawInstruction{{Op: 0x06, K: uint32(max(c.SnapLen-hl, 1))}})
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
	bpfH         = 0x08
	bpfB         = 0x10
	bpfRetSrcA   = 0x10
	skfAdOff     = 0xfffff000
	skfAdProto   = 0
	skfAdPktType = 4
)

// shiftCooked rewrites a program for LINUX_SLL to run on the packet without
// its SLL header; ok is false when it loads a part of the header the kernel
// has no ancillary value for.
func shiftCooked(prog []bpf.RawInstruction) ([]bpf.RawInstruction, bool) {
	return shiftCookedFor(prog, layers.LinkTypeLinuxSLL)
}

// shiftCookedFor is shiftCooked for LINUX_SLL or LINUX_SLL2 (lt). In an
// SLL header the packet type is the half-word at 0 and the protocol the
// half-word at 14; in an SLL2 header the protocol is the half-word at 0
// and the packet type the byte at 10. The SLL2 interface index (word at
// 4) is not mapped to the kernel's SKF_AD_IFINDEX: that is the device
// the packet is on now, the header's the one it came in by.
func shiftCookedFor(prog []bpf.RawInstruction, lt layers.LinkType) ([]bpf.RawInstruction, bool) {
	hl := uint32(cookedHeaderLen(lt))
	sll2 := lt == layers.LinkTypeLinuxSLL2
	out := slices.Clone(prog)
	for i := range out {
		ins := &out[i]
		class, mode, size := ins.Op&bpfClassMask, ins.Op&bpfModeMask, ins.Op&bpfSizeMask
		switch {
		case class == bpfLD && (mode == bpfABS || mode == bpfIND), class == bpfLDX && mode == bpfMSH:
			abs := class == bpfLD && mode == bpfABS
			switch {
			case ins.K >= 0x80000000:
				return nil, false // already special: leave the program alone
			case ins.K >= hl:
				ins.K -= hl
			case abs && !sll2 && size == bpfH && ins.K == 0, abs && sll2 && size == bpfB && ins.K == 10:
				ins.K = skfAdOff + skfAdPktType
			case abs && !sll2 && size == bpfH && ins.K == 14, abs && sll2 && size == bpfH && ins.K == 0:
				ins.K = skfAdOff + skfAdProto
			default:
				return nil, false
			}
		case class == bpfRET && ins.Op&bpfRetSrcA == 0 && ins.K > hl:
			ins.K -= hl // the kernel counts from the network header
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

// Ring frame status bits (linux/if_packet.h).
const (
	tpStatusVLANValid     = 0x10
	tpStatusVLANTPIDValid = 0x40
)

// cook puts a LINUX_SLL header in front of a packet read on "any", from the
// sockaddr_ll the kernel stored in the packet's ring frame, and re-inserts
// a VLAN tag the kernel took off (as libpcap does: after the SLL header,
// whose protocol field becomes the tag's TPID). The result is in h.buf;
// ci's lengths are adjusted.
func (h *Handle) cook(fr *ringFrame, data []byte, ci *gopacket.CaptureInfo) ([]byte, error) {
	sll := &fr.Addr
	if sll.Family != syscall.AF_PACKET {
		return nil, fmt.Errorf("capture: %s: the packet ring's layout is not the one expected (address family %d)", Any, sll.Family)
	}
	if h.sll2 {
		return h.cook2(sll, data, ci), nil
	}
	b := h.buf[:sllLen]
	binary.BigEndian.PutUint16(b[0:], uint16(sll.Pkttype))
	binary.BigEndian.PutUint16(b[2:], sll.Hatype)
	binary.BigEndian.PutUint16(b[4:], uint16(sll.Halen))
	copy(b[6:14], sll.Addr[:])
	if sll.Halen < 8 {
		clear(b[6+sll.Halen : 14])
	}
	// sll_protocol is in network byte order in memory.
	proto := *(*[2]byte)(unsafe.Pointer(&sll.Protocol))
	b[14], b[15] = proto[0], proto[1]
	if fr.Status&tpStatusVLANValid != 0 {
		tpid := uint16(0x8100)
		if fr.Status&tpStatusVLANTPIDValid != 0 {
			tpid = fr.VLANTPID
		}
		b = h.buf[:sllLen+4]
		binary.BigEndian.PutUint16(b[14:], tpid)
		binary.BigEndian.PutUint16(b[16:], uint16(fr.VLANTCI))
		b[18], b[19] = proto[0], proto[1]
	}
	n := copy(h.buf[len(b):], data)
	out := h.buf[:len(b)+n]
	ci.Length += len(b)
	ci.CaptureLength = len(out)
	return out, nil
}

// cook2 puts a LINUX_SLL2 header in front of a packet read on "any":
// protocol, two reserved zero bytes, interface index, hardware type,
// packet type, address length and 8 bytes of address (zero-padded), all
// from the packet's sockaddr_ll. A VLAN tag the kernel took off is not put
// back: libpcap 1.10 does not either for LINUX_SLL2 (it has no offset to
// insert it at).
func (h *Handle) cook2(sll *sockaddrLL, data []byte, ci *gopacket.CaptureInfo) []byte {
	b := h.buf[:sll2Len]
	proto := *(*[2]byte)(unsafe.Pointer(&sll.Protocol)) // network byte order in memory
	b[0], b[1], b[2], b[3] = proto[0], proto[1], 0, 0
	binary.BigEndian.PutUint32(b[4:], uint32(sll.Ifindex))
	binary.BigEndian.PutUint16(b[8:], sll.Hatype)
	b[10], b[11] = sll.Pkttype, sll.Halen
	copy(b[12:20], sll.Addr[:])
	if sll.Halen < 8 {
		clear(b[12+sll.Halen : 20])
	}
	n := copy(h.buf[sll2Len:], data)
	ci.Length += sll2Len
	ci.CaptureLength = sll2Len + n
	return h.buf[:sll2Len+n]
}
