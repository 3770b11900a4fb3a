package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ring is a TPACKET_V3 receive ring on an AF_PACKET socket, read without
// gopacket's afpacket: the reader walks a block the kernel handed over
// frame by frame with no system call and no interface call, and waits for
// the next block through Go's netpoller (the socket is non-blocking and
// registered with it through os.NewFile), so a wait parks the goroutine
// instead of blocking a thread in poll(2) and handing its P to another.
//
// Memory layout (linux/if_packet.h): the ring is nblocks blocks of
// blockSize bytes. A block starts with struct tpacket_block_desc:
//
//	0  version          u32
//	4  offset_to_priv   u32
//	8  block_status     u32   TP_STATUS_USER when user space owns it
//	12 num_pkts         u32
//	16 offset_to_first  u32
//	20 blk_len          u32
//	24 seq_num          u64
//	32 ts_first, 40 ts_last
//
// and each frame with struct tpacket3_hdr (ringFrame), the packet at
// tp_mac bytes from the frame, the next frame tp_next_offset further.
type ring struct {
	fd    int
	file  *os.File
	rc    syscall.RawConn
	mem   []byte
	bsize int
	nblk  int

	timeout time.Duration
	ready   func(uintptr) bool // for rc.Read: is block blk ours? Made once: a closure per wait would allocate

	// The interface's fate (see wait). rc.Read's callback, finding no
	// block, reads the socket's error (SO_ERROR) into sockErr. down is
	// set from the kernel's ENETDOWN until the interface is up again;
	// goneAt is when it was found gone (packets still in the block being
	// filled are read once the retire timer hands it over); ended is set
	// once that was reported.
	ifindex int
	sockErr syscall.Errno
	down    bool
	downAt  time.Time
	// downReported is set once errDown was returned for this down.
	downReported bool
	goneAt       time.Time
	ended        bool

	blk  int    // block being read or waited for
	held bool   // blk is owned by us (TP_STATUS_USER), not yet given back
	left uint32 // frames of blk not yet read
	off  int    // offset in blk of the next frame

	// stats accumulates the kernel's counters, which reset on each read.
	stats Stats

	// closed is set by close, which also puts an anonymous mapping in the
	// ring's place: a read racing with Close in another goroutine then
	// sees zeros (no block ready) where it would have faulted on unmapped
	// memory. The placeholder is unmapped when the ring is garbage (a
	// cleanup registered at open).
	closed atomic.Bool
}

// Block status bits.
const (
	tpStatusKernel = 0
	tpStatusUser   = 1
)

// Block descriptor field offsets.
const (
	bdStatus  = 8
	bdNumPkts = 12
	bdFirst   = 16
)

// tpacket3HdrLen is TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the
// struct sockaddr_ll sits in each frame.
const tpacket3HdrLen = 48

// htons converts a 16-bit value to network byte order.
func htons(v uint16) uint16 { return v<<8 | v>>8 }

// errKernelRefused marks an error attaching a filter: the kernel refused
// the program (longer than it takes, more memory than
// net.core.optmem_max allows, an instruction it does not know).
var errKernelRefused = errors.New("the kernel refused the filter program")

// openRing makes a packet socket of sockType (SOCK_RAW or SOCK_DGRAM)
// with a TPACKET_V3 ring of nblk blocks of bsize bytes, attaches prog and,
// unless noPromisc or ifindex is 0, joins promiscuous mode; then binds it
// to ifindex (0: every interface). The socket is made with protocol 0, so
// it receives nothing until that bind: every packet that reaches the ring
// has passed prog, none was queued before it was attached.
func openRing(ifindex, sockType, bsize, nblk int, retire time.Duration, prog []bpf.RawInstruction, promisc bool) (*ring, error) {
	fd, err := unix.Socket(unix.AF_PACKET, sockType|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("packet socket: %w", err)
	}
	r := &ring{fd: fd, bsize: bsize, nblk: nblk, timeout: retire, ifindex: ifindex} // before retire is changed: negative blocks forever
	fail := func(what string, err error) (*ring, error) {
		if r.mem != nil {
			unix.Munmap(r.mem)
		}
		unix.Close(fd)
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return fail("TPACKET_V3", err)
	}
	// The kernel's retire timer is periodic, and (as af_packet.c reads) a
	// block that became current between two ticks is closed only at the
	// second: up to twice the period. At half the read timeout, a read that
	// times out has seen the packets that came before its wait began.
	// (gopacket's 64 ms period against a 50 ms read timeout made a test
	// lose the frames of its last block.) Reads that block forever get the
	// period of the default timeout, so a lone packet still comes at once.
	if retire < 0 {
		retire = 100 * time.Millisecond
	}
	tov := max(1, min(retire.Milliseconds()/2, 1000))
	req := unix.TpacketReq3{
		Block_size:     uint32(bsize),
		Block_nr:       uint32(nblk),
		Frame_size:     1 << 16,
		Frame_nr:       uint32(bsize / (1 << 16) * nblk),
		Retire_blk_tov: uint32(tov),
	}
	if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return fail(fmt.Sprintf("receive ring of %d blocks of %d bytes", nblk, bsize), err)
	}
	r.mem, err = unix.Mmap(fd, 0, bsize*nblk, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fail("mapping the receive ring", err)
	}
	if len(prog) > 0 {
		ins := make([]unix.SockFilter, len(prog))
		for i, p := range prog {
			ins[i] = unix.SockFilter{Code: p.Op, Jt: p.Jt, Jf: p.Jf, K: p.K}
		}
		if len(ins) > 0xffff { // sock_fprog's length is 16 bits: never cut it
			return fail("attaching the filter", fmt.Errorf("%w: %d instructions", errKernelRefused, len(ins)))
		}
		fp := unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]}
		if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fp); err != nil {
			return fail("attaching the filter", fmt.Errorf("%w: %w", errKernelRefused, err))
		}
	}
	if promisc && ifindex != 0 {
		mr := unix.PacketMreq{Ifindex: int32(ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, &mr); err != nil {
			return fail("promiscuous mode", err)
		}
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifindex}); err != nil {
		return fail("bind", err)
	}
	// Nothing was counted before the bind, but start from zero anyway.
	if _, err := unix.GetsockoptTpacketStatsV3(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS); err != nil {
		return fail("statistics", err)
	}
	r.file = os.NewFile(uintptr(fd), "packet")
	rc, err := r.file.SyscallConn()
	if err != nil {
		r.file.Close()
		unix.Munmap(r.mem)
		return nil, fmt.Errorf("registering the socket with the poller: %w", err)
	}
	r.rc = rc
	r.ready = func(fd uintptr) bool {
		if atomic.LoadUint32(r.status(r.blk))&tpStatusUser != 0 {
			return true
		}
		// No block: the kernel may have reported an error (POLLERR). It
		// is read on the first call of each wait too, since rc.Read
		// forgets a wake-up that came while nothing waited: one system
		// call per wait, not per packet.
		if e, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR); err == nil && e != 0 {
			r.sockErr = syscall.Errno(e)
			return true
		}
		return false
	}
	runtime.AddCleanup(r, func(mem []byte) { unix.Munmap(mem) }, r.mem)
	return r, nil
}

// status is the block's status word, shared with the kernel.
func (r *ring) status(blk int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[blk*r.bsize+bdStatus]))
}

// next returns the next frame's header and its packet bytes (valid until
// the next call), waiting at most r.timeout for a block (with no bound when
// it is negative); it returns ErrTimeout when none came, and io.EOF once
// close has run.
func (r *ring) next() (*ringFrame, []byte, error) {
	if r.closed.Load() {
		return nil, nil, io.EOF
	}
	for r.left == 0 {
		if r.held {
			// Its count is cleared before it is given back, so that
			// pending sees no packets in a block the kernel has not
			// reopened yet.
			binary.NativeEndian.PutUint32(r.mem[r.blk*r.bsize+bdNumPkts:], 0)
			atomic.StoreUint32(r.status(r.blk), tpStatusKernel)
			r.held = false
			r.blk++
			if r.blk == r.nblk {
				r.blk = 0
			}
		}
		if atomic.LoadUint32(r.status(r.blk))&tpStatusUser == 0 {
			if err := r.wait(); err != nil {
				return nil, nil, err
			}
			continue
		}
		b := r.blk * r.bsize
		r.held = true
		r.left = binary.NativeEndian.Uint32(r.mem[b+bdNumPkts:])
		r.off = int(binary.NativeEndian.Uint32(r.mem[b+bdFirst:]))
	}
	b := r.blk * r.bsize
	if r.off < 0 || r.off+tpacket3HdrLen+int(unsafe.Sizeof(sockaddrLL{})) > r.bsize {
		return nil, nil, fmt.Errorf("ring block %d: frame at offset %d outside the block", r.blk, r.off)
	}
	fr := (*ringFrame)(unsafe.Pointer(&r.mem[b+r.off]))
	start, end := r.off+int(fr.Mac), r.off+int(fr.Mac)+int(fr.Snaplen)
	if end > r.bsize {
		return nil, nil, fmt.Errorf("ring block %d: packet at %d of %d bytes outside the block", r.blk, start, fr.Snaplen)
	}
	if r.closed.Load() { // Close ran in another goroutine: fr may be zeros
		return nil, nil, io.EOF
	}
	r.left--
	r.off += int(fr.NextOffset)
	return fr, r.mem[b+start : b+end : b+end], nil
}

// errDown and errGone are returned by next when the interface went down,
// or away (deleted, or moved to another network namespace); the Handle
// makes an *InterfaceError of them.
var (
	errDown = errors.New("interface down")
	errGone = errors.New("interface gone")
)

// downPoll is how often a ring whose interface is down checks whether it
// came back or went away: the kernel wakes the reader (POLLERR, with
// ENETDOWN) when the interface goes down, but not when it is then
// deleted, nor when it comes back up. downGrace is how long it waits
// after the kernel said "down" before it reports it, looking every
// downGracePoll: a deletion is first a "down", and is seen as one a few
// milliseconds later (more on a loaded machine).
const (
	downPoll      = 100 * time.Millisecond
	downGrace     = 200 * time.Millisecond
	downGracePoll = 10 * time.Millisecond
	// goneDrain bounds the wait for the packets an interface that went
	// away left in the block being filled (the retire timer hands it
	// over within two periods, 100 ms by default).
	goneDrain = time.Second
)

// wait parks until the socket is readable and the current block is ours,
// or the timeout passes (never, when it is negative). It watches the
// interface as libpcap 1.10 does: a wake-up with no block reads the
// socket's error; ENETDOWN means the interface went down or away, told
// apart by the interface index the socket is bound to (-1 once the
// interface is unregistered, which follows the "down" of a deletion by a
// few milliseconds, with no wake-up). Down, it returns errDown once
// downGrace has passed with the interface still there, then whenever a
// read timeout passes while it is down; gone, errGone once the packets it
// had sent are read, then io.EOF.
func (r *ring) wait() error {
	if r.ended {
		return io.EOF
	}
	var deadline time.Time // zero: none
	if r.timeout >= 0 {
		deadline = time.Now().Add(r.timeout)
	}
	for {
		d := deadline
		var check time.Time // when to look at the interface again
		switch {
		case !r.goneAt.IsZero():
			// The retire timer hands over a partly filled block within
			// two periods (later on a loaded machine): read what the
			// interface sent before it went, if the block holds any.
			if atomic.LoadUint32(r.status(r.blk))&tpStatusUser != 0 {
				return nil
			}
			if !r.pending() || !time.Now().Before(r.goneAt.Add(goneDrain)) {
				r.ended = true
				return errGone
			}
			check = time.Now().Add(downGracePoll)
		case r.down && !r.downReported:
			check = time.Now().Add(downGracePoll)
			if end := r.downAt.Add(downGrace); end.Before(check) {
				check = end
			}
		case r.down:
			check = time.Now().Add(downPoll)
		}
		if !check.IsZero() && (d.IsZero() || check.Before(d)) {
			d = check
		}
		err := r.file.SetReadDeadline(d)
		if err == nil {
			err = r.rc.Read(r.ready)
		}
		if r.closed.Load() {
			return io.EOF
		}
		if r.sockErr == 0 && err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			// An event the poller reports as an error alone (EPOLLERR):
			// the socket's error says what it was.
			if r.sockErr = r.socketError(); r.sockErr == 0 {
				return err
			}
		}
		if e := r.sockErr; e != 0 {
			r.sockErr = 0
			if e != syscall.ENETDOWN {
				return fmt.Errorf("packet socket error: %w", e)
			}
			if !r.down {
				r.down, r.downReported, r.downAt = true, false, time.Now()
			}
			r.checkGone()
			continue
		}
		if err == nil {
			return nil // a block
		}
		// A deadline passed: the read's, or a check of the interface's.
		if !r.goneAt.IsZero() {
			continue
		}
		if r.down {
			switch {
			case r.checkGone():
				continue
			case r.isUp():
				r.down = false
			case !r.downReported && !time.Now().Before(r.downAt.Add(downGrace)):
				r.downReported = true
				return errDown
			}
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			if r.down && r.downReported {
				return errDown
			}
			return ErrTimeout
		}
	}
}

// socketError reads (and clears) the socket's pending error.
func (r *ring) socketError() syscall.Errno {
	var e int
	var err error
	if cerr := r.rc.Control(func(fd uintptr) { e, err = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR) }); cerr != nil || err != nil {
		return 0
	}
	return syscall.Errno(e)
}

// pending reports whether the block waited for holds packets the kernel
// has not handed over yet (next clears the count of a block it gives
// back).
func (r *ring) pending() bool {
	return atomic.LoadUint32((*uint32)(unsafe.Pointer(&r.mem[r.blk*r.bsize+bdNumPkts]))) != 0
}

// checkGone reports whether the interface the socket was bound to is
// gone: the kernel sets the socket's interface index to -1 when it
// unregisters the interface. It notes when it found it.
func (r *ring) checkGone() bool {
	if r.ifindex == 0 {
		return false
	}
	gone := false
	r.rc.Control(func(fd uintptr) {
		sa, err := unix.Getsockname(int(fd))
		if ll, ok := sa.(*unix.SockaddrLinklayer); err == nil && ok && ll.Ifindex == -1 {
			gone = true
		}
	})
	if gone && r.goneAt.IsZero() {
		r.goneAt = time.Now()
	}
	return gone
}

// isUp reports whether the interface is up (the kernel then delivers its
// packets to the socket again).
func (r *ring) isUp() bool {
	ifc, err := net.InterfaceByIndex(r.ifindex)
	return err == nil && ifc.Flags&net.FlagUp != 0
}

// readStats adds the kernel's counters since the last call to r.stats.
func (r *ring) readStats() (Stats, error) {
	if r.closed.Load() {
		return r.stats, nil
	}
	var st *unix.TpacketStatsV3
	var err error
	cerr := r.rc.Control(func(fd uintptr) {
		st, err = unix.GetsockoptTpacketStatsV3(int(fd), unix.SOL_PACKET, unix.PACKET_STATISTICS)
	})
	if cerr != nil {
		return r.stats, cerr
	}
	if err != nil {
		return r.stats, err
	}
	r.stats.Received += uint64(st.Packets)
	r.stats.Dropped += uint64(st.Drops)
	return r.stats, nil
}

// write sends one frame on the socket, waiting through the poller when
// its send buffer is full.
func (r *ring) write(frame []byte) error {
	var err error
	werr := r.rc.Write(func(fd uintptr) bool {
		_, err = unix.Write(int(fd), frame)
		return !errors.Is(err, unix.EAGAIN)
	})
	if werr != nil {
		return werr
	}
	return err
}

// close replaces the ring's mapping with an anonymous one of the same
// size (MAP_FIXED: one step, never a hole; writable, since a racing read
// may give a block back) and closes the socket,
// waking a read that waits; the kernel frees the ring then.
func (r *ring) close() error {
	if r.closed.Swap(true) {
		return nil
	}
	_, merr := unix.MmapPtr(-1, 0, unsafe.Pointer(unsafe.SliceData(r.mem)), uintptr(len(r.mem)),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED|unix.MAP_NORESERVE)
	if err := r.file.Close(); err != nil {
		return err
	}
	if merr != nil {
		return fmt.Errorf("replacing the ring's mapping: %w", merr)
	}
	return nil
}
