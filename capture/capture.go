package capture

import (
	"errors"
	"io"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// Any is the pseudo-interface that captures on every interface at once,
// as libpcap's "any": packets get a LINUX_SLL2 header (or LINUX_SLL, see
// Config.AnyLinkType) in place of their own link header.
const Any = "any"

// ErrNotSupported is returned on systems without AF_PACKET.
var ErrNotSupported = errors.New("live capture needs Linux AF_PACKET: not supported on this system")

// ErrTimeout is returned by a read when Config.ReadTimeout passes with no
// packet; the caller may read again. It is a net.Error whose Timeout and
// Temporary methods report true, so code that tests for timeouts the way
// the standard library's network reads are tested recognises it:
// errors.Is(err, ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded) and
// errors.As(err, &netErr) with netErr.Timeout() all hold. gopacket's
// PacketSource checks the last of these: it retries after a timeout, and
// ends at io.EOF, which reads return once the Handle is closed.
var ErrTimeout error = timeoutError{}

// timeoutError is the type of ErrTimeout.
type timeoutError struct{}

var _ net.Error = timeoutError{}

func (timeoutError) Error() string   { return "capture: read timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// Is makes a read timeout match os.ErrDeadlineExceeded, the standard
// library's "a deadline passed".
func (timeoutError) Is(target error) bool { return target == os.ErrDeadlineExceeded }

// ErrInterfaceDown is matched (errors.Is) by the *InterfaceError a read
// returns when the interface captured on goes down ("ip link set dev X
// down"). Such an error also matches ErrTimeout and is a timeout
// (Timeout reports true): as libpcap 1.10 does, the capture goes on, and
// packets come again once the interface is up.
var ErrInterfaceDown = errors.New("interface went down")

// ErrInterfaceGone is matched (errors.Is) by the *InterfaceError a read
// returns when the interface captured on is deleted or moved to another
// network namespace: the capture has ended. Such an error also matches
// io.ErrUnexpectedEOF, so gopacket's PacketSource ends there too.
var ErrInterfaceGone = errors.New("interface disappeared")

// InterfaceError is returned by a read when the interface captured on goes
// down or away; the kernel reports both as ENETDOWN (Err). Gone, the
// capture has ended: the read returns it once the packets the interface
// sent before it went are read, and later reads return io.EOF. Down, the
// read returns it once the interface has been down for a moment, then
// again each time a read times out while it stays down; it is a read
// timeout (errors.Is(err, ErrTimeout), Timeout() true), so loops that
// retry timeouts wait for the interface to come back, as tcpdump does.
type InterfaceError struct {
	// Name is the interface's name.
	Name string
	// Gone is set when the interface was deleted or moved to another
	// network namespace; else it is down.
	Gone bool
	// Err is the kernel's report (syscall.ENETDOWN).
	Err error
}

// Error says what happened to which interface.
func (e *InterfaceError) Error() string {
	if e.Gone {
		return "capture: interface " + e.Name + " disappeared (deleted, or moved to another network namespace)"
	}
	return "capture: interface " + e.Name + " went down"
}

// Unwrap returns the kernel's report.
func (e *InterfaceError) Unwrap() error { return e.Err }

// Is matches ErrInterfaceGone and io.ErrUnexpectedEOF when the interface
// is gone, ErrInterfaceDown and ErrTimeout when it is down.
func (e *InterfaceError) Is(target error) bool {
	switch target {
	case ErrInterfaceGone, io.ErrUnexpectedEOF:
		return e.Gone
	case ErrInterfaceDown, ErrTimeout:
		return !e.Gone
	}
	return false
}

// Timeout reports whether the read may be retried: the interface is down,
// not gone.
func (e *InterfaceError) Timeout() bool { return !e.Gone }

// Temporary is Timeout.
func (e *InterfaceError) Temporary() bool { return !e.Gone }

// BlockForever, as Config.ReadTimeout, makes a read wait until a packet
// comes, the Handle is closed or the interface goes away: it never returns
// ErrTimeout (gopacket/pcap's BlockForever). Any negative ReadTimeout
// means the same.
const BlockForever time.Duration = -1

// Config tunes a capture; a nil *Config means the defaults.
type Config struct {
	// SnapLen is the most bytes kept of each packet (default 262144).
	SnapLen int
	// NoPromiscuous leaves the interface out of promiscuous mode
	// (tcpdump -p); by default it is put in it, as tcpdump does.
	NoPromiscuous bool
	// Filter, when set, is attached in the kernel and applied in user
	// space. It must be compiled for the interface's link type, and with
	// filter.Options.Live for inbound, outbound and ifindex on link
	// types whose header does not record them (Ethernet): those read
	// the kernel's metadata of the packet, which the kernel gives the
	// attached program and the user-space run gets from each frame.
	Filter *filter.Program
	// RingMB is the size of the receive ring in MiB (default 32).
	RingMB int
	// RingKiB, when above 0, is the size of the receive ring in KiB
	// instead (tcpdump -B), rounded up to whole ring blocks (1 MiB, or
	// smaller so that a small ring has 8 of them).
	RingKiB int
	// ReadTimeout bounds how long a read waits for a packet (0: the
	// default, 100ms); a read that times out returns ErrTimeout.
	// BlockForever (or any negative value) makes reads wait with no
	// bound; Close still ends them.
	ReadTimeout time.Duration
	// Direction keeps only packets received (In) or sent (Out) by this
	// host; the zero value keeps both. It is applied in the kernel.
	Direction Direction
	// AnyLinkType is the link type of packets captured on Any:
	// layers.LinkTypeLinuxSLL2 (libpcap 1.10's default, tcpdump -y
	// LINUX_SLL2) or layers.LinkTypeLinuxSLL (tcpdump -y LINUX_SLL). The
	// zero value means the Filter's link type when it is one of those, else
	// LINUX_SLL2. Other interfaces ignore it.
	AnyLinkType layers.LinkType
}

// Direction selects received or sent packets (tcpdump -Q).
type Direction int

// Directions.
const (
	InOut Direction = iota // both
	In                     // received by this host
	Out                    // sent by this host
)

// Stats are the kernel's counters for a capture socket.
type Stats struct {
	// Received counts packets that passed the kernel filter.
	Received uint64
	// Dropped counts packets the ring had no room for.
	Dropped uint64
}

func (c *Config) withDefaults() Config {
	out := Config{}
	if c != nil {
		out = *c
	}
	if out.SnapLen <= 0 || out.SnapLen > 262144 {
		out.SnapLen = 262144
	}
	if out.RingMB <= 0 {
		out.RingMB = 32
	}
	if out.RingKiB <= 0 {
		out.RingKiB = out.RingMB << 10
	}
	switch {
	case out.ReadTimeout == 0:
		out.ReadTimeout = 100 * time.Millisecond
	case out.ReadTimeout < 0:
		out.ReadTimeout = BlockForever
	}
	return out
}
