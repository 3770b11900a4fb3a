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

// sllLen is the length of a LINUX_SLL header.
const sllLen = 16

// openAny captures on every interface as libpcap's "any" does: a
// SOCK_DGRAM packet socket bound to no interface (the kernel strips each
// interface's own link header), each packet given a LINUX_SLL header built
// from the address the kernel reports with it. Promiscuous mode is not
// set, as with tcpdump -i any.
func openAny(c Config) (*Handle, error) {
	lt := layers.LinkTypeLinuxSLL
	if c.Filter != nil && c.Filter.LinkType() != lt {
		return nil, fmt.Errorf("capture: the filter was compiled for link type %v, but %q has %v", c.Filter.LinkType(), Any, lt)
	}
	block, nblocks := ringGeometry(c)
	kprog, inKernel := cookedKernelProgram(c)
	r, err := openRing(0, unix.SOCK_DGRAM, block, nblocks, c.ReadTimeout, kprog, false)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM) {
			return nil, fmt.Errorf("capture: opening a packet socket on %q needs root or the CAP_NET_RAW capability: %w", Any, err)
		}
		return nil, fmt.Errorf("capture: %s: %w", Any, err)
	}
	h := &Handle{r: r, name: Any, snap: c.SnapLen, cooked: true, buf: make([]byte, sllLen+4+c.SnapLen)}
	if !inKernel {
		h.prog = c.Filter
	}
	h.ifaces = []pcapio.Interface{{LinkType: lt, SnapLen: uint32(c.SnapLen), Name: Any, Resolution: 1}}
	return h, nil
}

// cookedKernelProgram is kernelProgram for a SOCK_DGRAM socket, whose
// filter sees packets from the network header on: the filter, compiled
// for LINUX_SLL, has its loads moved 16 bytes back, and its loads of the
// SLL packet type and protocol turned into the kernel's ancillary loads
// of the same values (as libpcap does). A filter loading anything else of
// the SLL header, or one the kernel would refuse, stays in user space
// only, the kernel keeping snaplen bytes of everything. inKernel reports
// whether the filter (if any) is the one attached.
func cookedKernelProgram(c Config) (prog []bpf.RawInstruction, inKernel bool) {
	if c.Filter != nil && !containsVLAN(c.Filter.String()) && filter.Validate(c.Filter.Raw()) == nil {
		if prog, ok := shiftCooked(c.Filter.Raw()); ok {
			return withDirection(c, prog), true
		}
	}
	return withDirection(c, []bpf.RawInstruction{{Op: 0x06, K: uint32(max(c.SnapLen-sllLen, 1))}}), c.Filter == nil
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
	bpfRetSrcA   = 0x10
	skfAdOff     = 0xfffff000
	skfAdProto   = 0
	skfAdPktType = 4
)

// shiftCooked rewrites a program for LINUX_SLL to run on the packet without
// its SLL header; ok is false when it loads a part of the header the kernel
// has no ancillary value for.
func shiftCooked(prog []bpf.RawInstruction) ([]bpf.RawInstruction, bool) {
	out := slices.Clone(prog)
	for i := range out {
		ins := &out[i]
		class, mode := ins.Op&bpfClassMask, ins.Op&bpfModeMask
		switch {
		case class == bpfLD && (mode == bpfABS || mode == bpfIND), class == bpfLDX && mode == bpfMSH:
			switch {
			case ins.K >= 0x80000000:
				return nil, false // already special: leave the program alone
			case ins.K >= sllLen:
				ins.K -= sllLen
			case class == bpfLD && mode == bpfABS && ins.Op&bpfSizeMask == bpfH && ins.K == 0:
				ins.K = skfAdOff + skfAdPktType
			case class == bpfLD && mode == bpfABS && ins.Op&bpfSizeMask == bpfH && ins.K == 14:
				ins.K = skfAdOff + skfAdProto
			default:
				return nil, false
			}
		case class == bpfRET && ins.Op&bpfRetSrcA == 0 && ins.K > sllLen:
			ins.K -= sllLen // the kernel counts from the network header
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
