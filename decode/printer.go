package decode

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TimeStyle selects how a line's timestamp is printed, as tcpdump's -t flags.
type TimeStyle int

// Timestamp styles.
const (
	TimeDefault    TimeStyle = iota // 12:00:00.000001 (time of day)
	TimeNone                        // -t: no timestamp
	TimeEpoch                       // -tt: 1700000000.000001
	TimeDelta                       // -ttt: " 00:00:00.000001" since the previous packet
	TimeDate                        // -tttt: 2023-11-14 22:13:20.000001
	TimeSinceFirst                  // -ttttt: " 00:00:00.000001" since the first packet
)

// HexStyle selects the packet dump printed after each line, as tcpdump's
// -x, -xx, -X, -XX and -A flags.
type HexStyle int

// Dump styles. The non-"Link" forms start at the network layer; the Link
// forms include the link-level header.
const (
	HexNone      HexStyle = iota
	HexBytes              // -x: hex
	HexBytesLink          // -xx: hex, with the link header
	HexASCII              // -X: hex and ASCII
	HexASCIILink          // -XX: hex and ASCII, with the link header
	ASCII                 // -A: printable ASCII, other bytes as '.'
	ASCIILink             // -AA (tcpdump -A -e style): ASCII with the link header
)

// Options are the printing options; the zero value is `tcpdump -n`.
type Options struct {
	Link        bool           // -e: print the link-level header
	Verbose     int            // -v (1), -vv (2): IP details and checksums
	Time        TimeStyle      // timestamp style
	Nano        bool           // nanosecond precision (tcpdump --nano)
	AbsoluteSeq bool           // -S: absolute TCP sequence numbers
	Hex         HexStyle       // packet dump after each line
	Location    *time.Location // time zone of printed times; nil is time.Local
	// InterfaceName, when set, names the interface of a LINUX_SLL2
	// packet's index, as tcpdump does on a live capture ("" or nil:
	// "?", as for a file, whose indexes belong to another machine).
	InterfaceName func(index int) string
}

// DefaultMaxConns bounds the TCP relative-sequence table: when it is full,
// the table is cleared and connections are learnt again.
const DefaultMaxConns = 1 << 16

// Printer writes one tcpdump-style line per packet. It is not safe for
// concurrent use; call Flush when done.
type Printer struct {
	w     *bufio.Writer
	opts  Options
	loc   *time.Location
	buf   []byte
	first time.Time
	prev  time.Time
	seen  bool
	seqs  tcpSeqTable
	// dump is a payload no dissector understood, dumped after the
	// line as tcpdump's default printer does (unless a -x style dump
	// is on, or dumpAlways says the link type itself is unsupported).
	dump       []byte
	dumpAlways bool
	// nest counts the tunnels the packet being printed is inside.
	nest int
	// ike remembers IKEv1 initiators (isakmp.go).
	ike ikeCookies
	// rpc remembers the calls of RPC-style protocols (AFS Rx) so that
	// their replies can be named, as tcpdump does.
	rpc rpcState
	// l2 is what layer-2 dissectors need to know of the frame (l2.go).
	l2 l2State
}

// NewPrinter returns a Printer writing to w; opts nil means the defaults.
func NewPrinter(w io.Writer, opts *Options) *Printer {
	p := &Printer{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 4096)}
	if opts != nil {
		p.opts = *opts
	}
	p.loc = p.opts.Location
	if p.loc == nil {
		p.loc = time.Local
	}
	p.seqs.max = DefaultMaxConns
	return p
}

// Flush writes any buffered output to the underlying writer.
func (p *Printer) Flush() error {
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("decode: flush: %w", err)
	}
	return nil
}

// Print formats one packet: ci is its capture metadata (ci.Length is the
// length on the wire; 0 means len(data)), data the captured bytes and lt the
// link type of the interface it came from. Malformed packets are printed,
// not reported; the error is the writer's.
func (p *Printer) Print(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) error {
	wire := ci.Length
	if wire < len(data) {
		wire = len(data)
	}
	b := p.buf[:0]
	if bad := invalidHeader(b, len(data), ci.Length); len(bad) > 0 {
		b = append(bad, "]\n"...)
	} else {
		b = p.appendTime(b, ci.Timestamp)
		p.dump, p.dumpAlways, p.nest, p.l2 = nil, false, 0, l2State{}
		var net int
		b, net = p.appendLink(b, data, wire, lt)
		b = append(b, '\n')
		if p.dump != nil && (p.dumpAlways || p.opts.Hex == HexNone) {
			b = appendHexDump(b, p.dump, true)
		}
		if p.opts.Hex != HexNone {
			b = p.appendDump(b, data, net)
		}
	}
	p.buf = b
	if _, err := p.w.Write(b); err != nil {
		return fmt.Errorf("decode: write: %w", err)
	}
	return nil
}

// maxSnapLen is libpcap's MAXIMUM_SNAPLEN: tcpdump rejects records
// claiming more.
const maxSnapLen = 262144

// invalidHeader appends tcpdump's "[Invalid header: ..." complaint (without
// the closing bracket) about a record's lengths, or nothing when they are
// sane. wire 0 means the caller did not say, and is not an error.
func invalidHeader(b []byte, caplen, wire int) []byte {
	n := len(b)
	add := func(s string) {
		if len(b) == n {
			b = append(b, "[Invalid header:"...)
		} else {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	if caplen == 0 {
		add(" caplen==0")
	}
	if wire != 0 && wire < caplen {
		add(" len(")
		b = appendInt(b, wire)
		b = append(b, ") < caplen("...)
		b = appendInt(b, caplen)
		b = append(b, ')')
	}
	if caplen > maxSnapLen {
		add(" caplen(")
		b = appendInt(b, caplen)
		b = append(b, ") > 262144"...)
	}
	if wire > maxSnapLen {
		add(" len(")
		b = appendInt(b, wire)
		b = append(b, ") > 262144"...)
	}
	return b
}

// appendTime appends the timestamp and its trailing space.
func (p *Printer) appendTime(b []byte, t time.Time) []byte {
	if !p.seen {
		p.first, p.prev, p.seen = t, t, true
	}
	switch p.opts.Time {
	case TimeNone:
		return b
	case TimeEpoch:
		sec, ns := t.Unix(), t.Nanosecond()
		if sec < 0 {
			b = append(b, '-')
			sec = -sec
		}
		b = appendUint(b, uint64(sec))
		b = p.appendFrac(b, ns)
	case TimeDelta, TimeSinceFirst:
		ref := p.prev
		if p.opts.Time == TimeSinceFirst {
			ref = p.first
		}
		d := t.Sub(ref)
		if !p.opts.Nano {
			// tcpdump subtracts microsecond timestamps.
			d = t.Truncate(time.Microsecond).Sub(ref.Truncate(time.Microsecond))
		}
		b = append(b, ' ')
		if d < 0 {
			b[len(b)-1] = '-'
			d = -d
		}
		sec := int64(d / time.Second)
		b = appendClock(b, int(sec/3600), int(sec/60%60), int(sec%60))
		b = p.appendFrac(b, int(d%time.Second))
	case TimeDate:
		t = t.In(p.loc)
		y, mo, d := t.Date()
		b = appendPad(b, y, 4)
		b = append(b, '-')
		b = appendPad(b, int(mo), 2)
		b = append(b, '-')
		b = appendPad(b, d, 2)
		b = append(b, ' ')
		h, m, s := t.Clock()
		b = appendClock(b, h, m, s)
		b = p.appendFrac(b, t.Nanosecond())
	default:
		t = t.In(p.loc)
		h, m, s := t.Clock()
		b = appendClock(b, h, m, s)
		b = p.appendFrac(b, t.Nanosecond())
	}
	p.prev = t
	return append(b, ' ')
}

func (p *Printer) appendFrac(b []byte, ns int) []byte {
	b = append(b, '.')
	if p.opts.Nano {
		return appendPad(b, ns, 9)
	}
	return appendPad(b, ns/1000, 6)
}

func appendClock(b []byte, h, m, s int) []byte {
	b = appendPad(b, h, 2)
	b = append(b, ':')
	b = appendPad(b, m, 2)
	b = append(b, ':')
	return appendPad(b, s, 2)
}

// appendPad appends a non-negative v zero-padded to width digits.
func appendPad(b []byte, v, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	for n := len(tmp) - i; n < width; n++ {
		b = append(b, '0')
	}
	return append(b, tmp[i:]...)
}
