package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"
)

// Writer injects frames, link header included, out of one interface in
// batches: Write copies each frame into a slot of a preallocated buffer,
// and when Batch frames are queued (or on Flush) one sendmmsg(2) call on an
// AF_PACKET socket sends them all. The socket is bound to the interface
// with protocol 0, so it receives nothing. Steady-state writes do not
// allocate. A Writer is not safe for concurrent use.
type Writer struct {
	fd    int
	name  string
	mtu   int
	lt    layers.LinkType
	slot  int // bytes per frame slot
	buf   []byte
	iov   []unix.Iovec
	hdrs  []mmsghdr
	n     int // frames queued
	stats WriterStats

	// TX ring (WriterConfig.TxRing): frames are written into the mapped
	// ring and a send(2) with no data tells the kernel to send them.
	ring      []byte
	frameSize int
	frames    int
	cur       int
	batch     int
}

// tpacket2_hdr: tp_status at 0, tp_len at 4; the frame's data starts at
// TPACKET_ALIGN(sizeof(struct tpacket2_hdr)) = 32 (the kernel's
// tp_hdrlen minus sizeof(struct sockaddr_ll)).
const ringDataOff = 32

// mmsghdr is struct mmsghdr of <sys/socket.h>; Go pads it to the
// alignment of Msghdr as C does.
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
}

// NewWriter opens an injection socket on the named interface. It fails
// with the same advice as Open: an unknown name lists the interfaces, a
// down interface says how to bring it up, a permission error names
// CAP_NET_RAW.
func NewWriter(name string, cfg *WriterConfig) (*Writer, error) {
	c := cfg.withDefaults()
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
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, unix.EPERM) {
			return nil, fmt.Errorf("capture: injecting on %s needs root or the CAP_NET_RAW capability: %w", name, err)
		}
		return nil, fmt.Errorf("capture: %s: packet socket: %w", name, err)
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifc.Index}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("capture: %s: bind: %w", name, err)
	}
	if c.QdiscBypass {
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("capture: %s: qdisc bypass: %w", name, err)
		}
	}
	w := &Writer{fd: fd, name: name, mtu: ifc.MTU, lt: lt, slot: ifc.MTU + 14 + 8, batch: c.Batch}
	if c.TxRing {
		if err := w.setupRing(c); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("capture: %s: TX ring: %w", name, err)
		}
		return w, nil
	}
	w.buf = make([]byte, c.Batch*w.slot)
	w.iov = make([]unix.Iovec, c.Batch)
	w.hdrs = make([]mmsghdr, c.Batch)
	for i := range w.hdrs {
		w.iov[i].Base = &w.buf[i*w.slot]
		w.hdrs[i].hdr.Iov = &w.iov[i]
		w.hdrs[i].hdr.SetIovlen(1)
	}
	return w, nil
}

// Write queues a copy of frame and sends the batch once it is full; the
// caller may reuse frame at once. A frame longer than the MTU plus its
// link header (14 bytes, 18 for an 802.1Q-tagged frame, as the kernel
// allows) is refused with an error
// wrapping ErrFrameTooLong that names both, and one shorter than an
// Ethernet header with an error; nothing is queued then. A
// failed send returns the kernel's error; the frames of that batch not yet
// accepted are dropped.
func (w *Writer) Write(frame []byte) error {
	if w.fd < 0 {
		return fmt.Errorf("capture: %s: write after Close", w.name)
	}
	if len(frame) < 14 {
		return fmt.Errorf("capture: %s: frame of %d bytes is shorter than an Ethernet header", w.name, len(frame))
	}
	if max := w.MaxFrame(frame); len(frame) > max {
		return fmt.Errorf("capture: %s: frame of %d bytes exceeds the interface MTU %d plus its %d-byte link header: %w", w.name, len(frame), w.mtu, max-w.mtu, ErrFrameTooLong)
	}
	if w.ring != nil {
		return w.writeRing(frame)
	}
	i := w.n
	copy(w.buf[i*w.slot:], frame)
	w.iov[i].SetLen(len(frame))
	w.n++
	if w.n == len(w.hdrs) {
		return w.Flush()
	}
	return nil
}

// MaxFrame is the longest frame Write accepts with the link header frame
// starts with: the MTU plus 14 bytes, plus 4 when the outer ethertype is
// 802.1Q (the kernel allows no more, even for QinQ).
func (w *Writer) MaxFrame(frame []byte) int { return w.mtu + linkHeaderLen(frame) }

// Flush sends the queued frames, retrying those the kernel refuses
// because the device queue is full.
func (w *Writer) Flush() error {
	if w.ring != nil {
		return w.kick()
	}
	off, busy := 0, 0
	for off < w.n {
		r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(w.fd), uintptr(unsafe.Pointer(&w.hdrs[off])), uintptr(w.n-off), 0, 0, 0)
		if errno != 0 {
			switch errno {
			case unix.ENOBUFS, unix.EAGAIN, unix.EINTR:
				w.stats.Retries++
				busy++
				if busy > 8 {
					time.Sleep(20 * time.Microsecond)
				} else {
					runtime.Gosched()
				}
				continue
			}
			w.n = 0
			return fmt.Errorf("capture: %s: inject: %w", w.name, errno)
		}
		busy = 0
		for i := off; i < off+int(r); i++ {
			w.stats.Bytes += uint64(w.iov[i].Len)
		}
		w.stats.Frames += uint64(r)
		w.stats.Calls++
		off += int(r)
	}
	w.n = 0
	return nil
}

// MTU returns the interface's MTU when the Writer was made.
func (w *Writer) MTU() int { return w.mtu }

// LinkType is the link type of the frames the interface carries.
func (w *Writer) LinkType() layers.LinkType { return w.lt }

// Stats returns the counts so far.
func (w *Writer) Stats() WriterStats { return w.stats }

// Close sends what is queued and closes the socket; it returns the
// send's error, if any. Calling Close again does nothing.
func (w *Writer) Close() error {
	if w.fd < 0 {
		return nil
	}
	err := w.Flush()
	if w.ring != nil {
		// Let the kernel finish the frames in flight (at most a second)
		// before the ring goes away.
		deadline := time.Now().Add(time.Second)
		for i := 0; i < w.frames && time.Now().Before(deadline); {
			if s := atomic.LoadUint32(w.status(i)); s == unix.TP_STATUS_SEND_REQUEST || s == unix.TP_STATUS_SENDING {
				time.Sleep(50 * time.Microsecond)
				continue
			}
			i++
		}
		unix.Munmap(w.ring)
		w.ring = nil
	}
	unix.Close(w.fd)
	w.fd = -1
	return err
}

// setupRing maps a TPACKET_V2 TX ring of at least 256 frames, each big
// enough for the MTU plus a tagged Ethernet header.
func (w *Writer) setupRing(c WriterConfig) error {
	if err := unix.SetsockoptInt(w.fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V2); err != nil {
		return err
	}
	fs := 1 << 11
	for fs < ringDataOff+w.slot {
		fs <<= 1
	}
	block := max(fs, 1<<16)
	nframes := max(256, 4*c.Batch)
	blocks := (nframes*fs + block - 1) / block
	req := unix.TpacketReq{Block_size: uint32(block), Block_nr: uint32(blocks), Frame_size: uint32(fs), Frame_nr: uint32(blocks * block / fs)}
	if err := unix.SetsockoptTpacketReq(w.fd, unix.SOL_PACKET, unix.PACKET_TX_RING, &req); err != nil {
		return err
	}
	ring, err := unix.Mmap(w.fd, 0, block*blocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return err
	}
	w.ring, w.frameSize, w.frames = ring, fs, int(req.Frame_nr)
	return nil
}

func (w *Writer) status(i int) *uint32 {
	return (*uint32)(unsafe.Pointer(&w.ring[i*w.frameSize]))
}

// writeRing puts frame in the next ring slot, waiting for the kernel to
// free it when the ring is full.
func (w *Writer) writeRing(frame []byte) error {
	st := w.status(w.cur)
	for spins := 0; ; spins++ {
		s := atomic.LoadUint32(st)
		if s == unix.TP_STATUS_AVAILABLE {
			break
		}
		if s == unix.TP_STATUS_WRONG_FORMAT {
			return fmt.Errorf("capture: %s: inject: the kernel refused a frame as malformed", w.name)
		}
		if s == unix.TP_STATUS_SEND_REQUEST {
			if err := w.kick(); err != nil {
				return err
			}
			continue
		}
		if spins > 8 {
			time.Sleep(20 * time.Microsecond)
		} else {
			runtime.Gosched()
		}
	}
	off := w.cur * w.frameSize
	copy(w.ring[off+ringDataOff:], frame)
	*(*uint32)(unsafe.Pointer(&w.ring[off+4])) = uint32(len(frame))
	atomic.StoreUint32(st, unix.TP_STATUS_SEND_REQUEST)
	w.cur = (w.cur + 1) % w.frames
	w.n++
	w.stats.Frames++
	w.stats.Bytes += uint64(len(frame))
	if w.n >= w.batch {
		return w.kick()
	}
	return nil
}

// kick asks the kernel to send the frames marked in the ring.
func (w *Writer) kick() error {
	if w.n == 0 {
		return nil
	}
	for busy := 0; ; busy++ {
		_, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(w.fd), 0, 0, unix.MSG_DONTWAIT, 0, 0)
		switch errno {
		case 0:
			w.n = 0
			w.stats.Calls++
			return nil
		case unix.ENOBUFS, unix.EAGAIN, unix.EINTR:
			w.stats.Retries++
			if busy > 8 {
				time.Sleep(20 * time.Microsecond)
			} else {
				runtime.Gosched()
			}
		default:
			w.n = 0
			return fmt.Errorf("capture: %s: inject: %w", w.name, errno)
		}
	}
}
