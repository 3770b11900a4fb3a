package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// Handle is a live capture on one interface. It is a pcapio.Source and a
// gopacket.ZeroCopyPacketDataSource: reads return ErrTimeout when
// Config.ReadTimeout passes with no packet, so a loop can check for
// cancellation, and io.EOF once Close has run, so
// gopacket.NewPacketSource(h, h.LinkType()).Packets() ends when another
// goroutine closes the Handle. A Handle is not safe for concurrent reads;
// Inject and Close may be called from another goroutine.
type Handle struct {
	r    *ring
	name string
	mtu  int
	snap int
	// prog is the filter when it must run in user space: the kernel
	// could not run it (see kernelProgram). A filter attached in the
	// kernel is not run again: the socket receives nothing before it is
	// attached (see openRing).
	prog   *filter.Program
	ifaces []pcapio.Interface
	// cooked is set on "any": packets come without their link header
	// and get a LINUX_SLL header built in buf, or a LINUX_SLL2 one when
	// sll2 is set.
	cooked bool
	sll2   bool
	// loIndex is the loopback interface's index (-1: none): as libpcap
	// does, packets sent on it are skipped, since each also comes back
	// as received.
	loIndex int32
	// buf holds a packet whose VLAN tag is put back, or with an SLL
	// header in front.
	buf []byte
	// meta is the kernel's metadata of the packet being filtered in user
	// space, for a filter compiled with filter.Options.Live that tests
	// inbound, outbound or ifindex (see filter.Meta); kept here so that
	// passing it does not allocate.
	meta filter.Meta
}

var _ pcapio.Source = (*Handle)(nil)

// Open starts capturing on the named interface. Errors say what to do: an
// unknown name lists the interfaces that exist, a permission error names
// CAP_NET_RAW, and an interface that is down says so.
func Open(name string, cfg *Config) (*Handle, error) {
	c := cfg.withDefaults()
	if name == Any {
		return openAny(c)
	}
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("capture: no interface %q (interfaces here: %s)", name, interfaceNames())
	}
	if ifc.Flags&net.FlagUp == 0 {
		return nil, fmt.Errorf("capture: interface %s is down (bring it up with 'ip link set %s up')", name, name)
	}
	lt, err := linkTypeOf(ifc)
	if err != nil {
		return nil, err
	}
	if c.Filter != nil && c.Filter.LinkType() != lt {
		return nil, fmt.Errorf("capture: the filter was compiled for link type %v, but %s has %v", c.Filter.LinkType(), name, lt)
	}
	block, nblocks := ringGeometry(c)
	kprog, inKernel := kernelProgram(c)
	r, err := openRing(ifc.Index, unix.SOCK_RAW, block, nblocks, c.ReadTimeout, kprog, !c.NoPromiscuous)
	if err != nil && c.Filter != nil && inKernel && errors.Is(err, errKernelRefused) {
		// The filter runs in user space instead, as one the kernel
		// cannot run at all does.
		kprog, inKernel = acceptAll(c), false
		r, err = openRing(ifc.Index, unix.SOCK_RAW, block, nblocks, c.ReadTimeout, kprog, !c.NoPromiscuous)
	}
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM) {
			return nil, fmt.Errorf("capture: opening a packet socket on %s needs root or the CAP_NET_RAW capability: %w", name, err)
		}
		return nil, fmt.Errorf("capture: %s: %w", name, err)
	}
	h := &Handle{r: r, name: name, mtu: ifc.MTU, snap: c.SnapLen, buf: make([]byte, c.SnapLen+4), loIndex: loopbackIndex()}
	if !inKernel {
		h.prog = c.Filter
	}
	h.ifaces = []pcapio.Interface{{LinkType: lt, SnapLen: uint32(c.SnapLen), Name: name, Resolution: 1}} // TPACKET_V3 stamps in ns
	return h, nil
}

// kernelProgram is what the socket runs: the filter, or "accept snaplen
// bytes" without one. A filter that tests VLAN tags stays in user space
// only: the kernel hands socket filters packets whose tag the NIC or the
// stack already removed, so the offsets would be wrong there. So does a
// program the kernel would refuse (protochain's loop jumps backward).
// inKernel reports whether the filter (if any) is the one attached.
func kernelProgram(c Config) (prog []bpf.RawInstruction, inKernel bool) {
	if c.Filter == nil {
		return acceptAll(c), true
	}
	// Validated with the direction test in front: a program near the
	// kernel's 4096 instructions may pass alone and not with it.
	if prog := withDirection(c, c.Filter.Raw()); !c.Filter.TestsVLAN() && filter.Validate(prog) == nil {
		return prog, true
	}
	return acceptAll(c), false
}

// acceptAll is the kernel program without a filter (or with one that
// runs in user space): keep snaplen bytes of every packet, in the
// direction asked.
func acceptAll(c Config) []bpf.RawInstruction {
	return withDirection(c, []bpf.RawInstruction{{Op: 0x06, K: uint32(c.SnapLen)}})
}

// withDirection puts the direction test in front of prog: load the packet
// type the kernel keeps beside the packet (SKF_AD_PKTTYPE) and reject the
// other way.
func withDirection(c Config, prog []bpf.RawInstruction) []bpf.RawInstruction {
	const loadPktType, outgoing = 0xfffff000 + 4, 4 // SKF_AD_OFF + SKF_AD_PKTTYPE, PACKET_OUTGOING
	switch c.Direction {
	case In: // outgoing: reject
		prog = append([]bpf.RawInstruction{{Op: 0x20, K: loadPktType}, {Op: 0x15, Jt: 0, Jf: 1, K: outgoing}, {Op: 0x06, K: 0}}, prog...)
	case Out: // not outgoing: reject
		prog = append([]bpf.RawInstruction{{Op: 0x20, K: loadPktType}, {Op: 0x15, Jt: 1, Jf: 0, K: outgoing}, {Op: 0x06, K: 0}}, prog...)
	}
	return prog
}

// linkTypeOf maps an interface to the link type its frames carry.
func linkTypeOf(ifc *net.Interface) (layers.LinkType, error) {
	if ifc.Flags&net.FlagLoopback != 0 || len(ifc.HardwareAddr) == 6 {
		return layers.LinkTypeEthernet, nil
	}
	// Interfaces that carry IP packets with no link header at all (tun
	// devices, WireGuard, IP-in-IP and SIT tunnels): raw IP, as libpcap
	// gives them.
	switch arphrd(ifc.Name) {
	case arphrdNone, arphrdTunnel, arphrdTunnel6, arphrdSIT:
		return layers.LinkTypeRaw, nil
	}
	return 0, fmt.Errorf("capture: interface %s has neither an Ethernet header nor none at all (hardware type %d); capture it through %q", ifc.Name, arphrd(ifc.Name), Any)
}

// deviceLinkType is linkTypeOf for Devices: 0 when Open would refuse the
// interface.
func deviceLinkType(ifc *net.Interface) layers.LinkType {
	lt, err := linkTypeOf(ifc)
	if err != nil {
		return 0
	}
	return lt
}

// Hardware types (linux/if_arp.h) of interfaces whose packets start with
// the IP header.
const (
	arphrdTunnel  = 768 // IP-in-IP
	arphrdTunnel6 = 769 // IPv6-in-IPv6
	arphrdSIT     = 776 // IPv6-in-IPv4
	arphrdNone    = 0xfffe
)

// arphrd returns the interface's hardware type from sysfs, or -1.
func arphrd(name string) int {
	b, err := os.ReadFile("/sys/class/net/" + name + "/type")
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return -1
	}
	return n
}

// LinkTypeOf returns the link type of packets captured on the named
// interface, to compile a filter for it: LINUX_SLL2 for "any" (unless
// Config.AnyLinkType asks for LINUX_SLL).
func LinkTypeOf(name string) (layers.LinkType, error) {
	if name == Any {
		return layers.LinkTypeLinuxSLL2, nil
	}
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return 0, fmt.Errorf("capture: no interface %q (interfaces here: %s)", name, interfaceNames())
	}
	return linkTypeOf(ifc)
}

// loopbackIndex is the index of the interface named "lo", or -1 (as
// libpcap looks it up).
func loopbackIndex() int32 {
	if ifc, err := net.InterfaceByName("lo"); err == nil {
		return int32(ifc.Index)
	}
	return -1
}

func interfaceNames() string {
	ifs, err := net.Interfaces()
	if err != nil {
		return "unknown"
	}
	var names []string
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	return strings.Join(names, ", ")
}

// ZeroCopyReadPacketData returns the next packet that passes the filter;
// its bytes are valid until the next read. It returns ErrTimeout when no
// packet came within the read timeout, and io.EOF (unwrapped) once Close
// has run, also to a read waiting when Close is called. When the interface
// goes down or away it returns an *InterfaceError (see there). It does not
// allocate.
func (h *Handle) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		fr, data, err := h.r.next()
		if err != nil {
			switch err {
			case ErrTimeout, io.EOF:
				return nil, gopacket.CaptureInfo{}, err
			case errDown, errGone:
				return nil, gopacket.CaptureInfo{}, &InterfaceError{Name: h.name, Gone: err == errGone, Err: syscall.ENETDOWN}
			}
			return nil, gopacket.CaptureInfo{}, fmt.Errorf("capture: %s: %w", h.name, err)
		}
		if fr.Addr.Pkttype == unix.PACKET_OUTGOING && fr.Addr.Ifindex == h.loIndex {
			continue
		}
		ci := gopacket.CaptureInfo{
			Timestamp:     time.Unix(int64(fr.Sec), int64(fr.Nsec)),
			CaptureLength: len(data),
			Length:        int(fr.Len),
		}
		switch {
		case h.cooked:
			if data, err = h.cook(fr, data, &ci); err != nil {
				return nil, ci, err
			}
		case fr.Status&tpStatusVLANValid != 0 && len(data) >= 12 && h.ifaces[0].LinkType == layers.LinkTypeEthernet:
			data = h.addVLAN(fr, data, &ci)
		}
		if len(data) > h.snap {
			data = data[:h.snap]
			ci.CaptureLength = h.snap
		}
		if h.prog != nil {
			h.meta = filter.Meta{PktType: fr.Addr.Pkttype, IfIndex: uint32(fr.Addr.Ifindex)}
			if !h.prog.MatchesMeta(ci, data, &h.meta) {
				continue
			}
		}
		return data, ci, nil
	}
}

// addVLAN puts back, after the MAC addresses, the 802.1Q tag the NIC or
// the kernel took off (as libpcap does): TPID from the frame header when
// the kernel says it is valid, else 0x8100. The result is in h.buf.
func (h *Handle) addVLAN(fr *ringFrame, data []byte, ci *gopacket.CaptureInfo) []byte {
	tpid := uint16(0x8100)
	if fr.Status&tpStatusVLANTPIDValid != 0 {
		tpid = fr.VLANTPID
	}
	b := h.buf[:min(len(data)+4, len(h.buf))]
	copy(b, data[:12])
	binary.BigEndian.PutUint16(b[12:], tpid)
	binary.BigEndian.PutUint16(b[14:], uint16(fr.VLANTCI))
	copy(b[16:], data[12:])
	ci.Length += 4
	ci.CaptureLength = len(b)
	return b
}

// ReadPacketData is ZeroCopyReadPacketData with a copy the caller owns.
func (h *Handle) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := h.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// LinkType returns the interface's link type.
func (h *Handle) LinkType() layers.LinkType { return h.ifaces[0].LinkType }

// Interfaces returns the one interface captured on.
func (h *Handle) Interfaces() []pcapio.Interface { return h.ifaces }

// Stats returns the kernel's counters since Open.
func (h *Handle) Stats() (Stats, error) {
	st, err := h.r.readStats()
	if err != nil {
		return Stats{}, fmt.Errorf("capture: %s: statistics: %w", h.name, err)
	}
	return st, nil
}

// Inject sends one frame, link header included, out of the interface. A
// frame longer than the MTU plus the link header is refused with a clear
// error rather than the kernel's "message too long".
func (h *Handle) Inject(data []byte) error {
	if h.cooked {
		return fmt.Errorf("capture: cannot inject on %q: name one interface", Any)
	}
	max := h.mtu + 14
	switch {
	case h.ifaces[0].LinkType == layers.LinkTypeRaw:
		max = h.mtu // no link header
	case len(data) >= 16 && data[12] == 0x81 && data[13] == 0x00:
		max += 4
	}
	if len(data) > max {
		return fmt.Errorf("capture: %s: frame of %d bytes exceeds the interface MTU %d plus its %d-byte link header", h.name, len(data), h.mtu, max-h.mtu)
	}
	if err := h.r.write(data); err != nil {
		return fmt.Errorf("capture: %s: inject: %w", h.name, err)
	}
	return nil
}

// Close stops the capture and releases the ring. It may be called while
// another goroutine reads: that read returns io.EOF (at once if it waits
// for packets), as do all reads after it. The bytes of the last read are
// not valid after Close (they read as zeros). Calling Close again does
// nothing.
func (h *Handle) Close() error {
	if err := h.r.close(); err != nil {
		return fmt.Errorf("capture: %s: close: %w", h.name, err)
	}
	return nil
}

// ringGeometry splits the ring into TPACKET_V3 blocks: 1 MiB blocks when
// the ring holds at least 8 of them, else halved (down to 64 KiB, the
// frame size) until it does. The kernel hands user space whole blocks:
// with 2 blocks of 1 MiB in a 2 MiB ring wirekit dropped 0.2% at ~390k
// frames/s where 8 of 256 KiB dropped none; big blocks cost less CPU per
// packet (fewer wake-ups), so they are kept when the ring is large.
func ringGeometry(c Config) (block, n int) {
	total := c.RingKiB << 10
	block = 1 << 20
	for block > 64<<10 && total/block < 8 {
		block >>= 1
	}
	return block, max(1, (total+block-1)/block)
}
