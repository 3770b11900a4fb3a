package filter

import (
	"encoding/binary"
	"fmt"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// SourceFilter applies one filter expression to the packets of a
// pcapio.Source whose interfaces may have different link types (a pcapng
// file with several interfaces, a merge of files): it compiles the
// expression once for each link type, the first time a packet of that link
// type comes, and keeps the programs. It is what "wirekit read EXPR" does.
// A SourceFilter is not safe for concurrent use; a *Program is.
type SourceFilter struct {
	src     pcapio.Source
	expr    string
	snaplen int
	opts    *Options
	progs   map[layers.LinkType]*Program
	last    *Program
}

// NewSourceFilter compiles expr for src's first interface now, so that a
// bad expression is reported before any packet is read, and returns a
// SourceFilter that compiles it for the other link types as they come. The
// programs accept with the first interface's snapshot length (262144 when
// it has none), as libpcap's do.
//
// opts nil means the defaults, except that a source reporting big-endian
// byte order (a *pcapio.Reader of a big-endian file) gets NullBigEndian,
// as libpcap compiles for the file's byte order; a merge is taken as
// little-endian.
//
// The error is Compile's (a *SyntaxError, wrapping ErrUnsupported for
// constructs not compiled yet, ErrRejectsAll for an expression that can
// match none of its packets) for the first interface's link type.
func NewSourceFilter(expr string, src pcapio.Source, opts *Options) (*SourceFilter, error) {
	if opts == nil {
		opts = &Options{}
		if bo, ok := src.(interface{ ByteOrder() binary.ByteOrder }); ok && bo.ByteOrder() == binary.BigEndian {
			opts.NullBigEndian = true
		}
	}
	f := &SourceFilter{src: src, expr: expr, snaplen: 262144, opts: opts, progs: map[layers.LinkType]*Program{}}
	if ifs := src.Interfaces(); len(ifs) > 0 && ifs[0].SnapLen > 0 {
		f.snaplen = int(ifs[0].SnapLen)
	}
	p, err := CompileWith(expr, src.LinkType(), f.snaplen, opts)
	if err != nil {
		return nil, err
	}
	f.progs[src.LinkType()], f.last = p, p
	return f, nil
}

// Program returns the program for link type lt, compiling it the first
// time. The error says which link type the expression does not compile for
// and wraps Compile's error.
func (f *SourceFilter) Program(lt layers.LinkType) (*Program, error) {
	if f.last != nil && f.last.linkType == lt {
		return f.last, nil
	}
	p, ok := f.progs[lt]
	if !ok {
		// A link type met after the first gets a program that matches
		// nothing where the expression can match none of its packets,
		// rather than an error for every packet.
		o := *f.opts
		o.AllowRejectAll = true
		var err error
		p, err = CompileWith(f.expr, lt, f.snaplen, &o)
		if err != nil {
			return nil, fmt.Errorf("link type %s (%d): %w", lt, int(lt), err)
		}
		f.progs[lt] = p
	}
	f.last = p
	return p, nil
}

// LinkType returns the link type of the interface a packet of the source
// came from (ci.InterfaceIndex into its Interfaces, else its LinkType).
func (f *SourceFilter) LinkType(ci gopacket.CaptureInfo) layers.LinkType {
	if ifs := f.src.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
		return ifs[ci.InterfaceIndex].LinkType
	}
	return f.src.LinkType()
}

// Match reports whether a packet just read from the source passes the
// filter, with the program for its interface's link type (see
// Program.Matches for ci.Length). The error, when the expression does not
// compile for that link type, is Program's; the packet then does not
// match. Match does not allocate once every link type has its program.
func (f *SourceFilter) Match(ci gopacket.CaptureInfo, data []byte) (bool, error) {
	p, err := f.Program(f.LinkType(ci))
	if err != nil {
		return false, err
	}
	return p.Matches(ci, data), nil
}

// String returns the expression.
func (f *SourceFilter) String() string { return f.expr }
