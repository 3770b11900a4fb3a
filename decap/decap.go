package decap

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// MaxDepth is the most tunnels one Strip call removes, and the default.
const MaxDepth = 8

// Default UDP destination ports of the UDP-based tunnels (IANA).
const (
	VXLANPort  = 4789
	GenevePort = 6081
)

// InnerIP says what Strip returns when the innermost payload is an IP
// packet with no link header (GRE or Geneve carrying IP, IP-in-IP, ERSPAN
// III frame type IP).
type InnerIP uint8

const (
	// InnerRaw returns the IP packet as it is, a sub-slice of the input,
	// with link type [layers.LinkTypeRaw] (LINKTYPE_RAW, 101). No copy.
	InnerRaw InnerIP = iota
	// InnerEthernet copies the IP packet behind a 14-byte Ethernet header
	// built into a buffer owned by the Decapsulator, with link type
	// Ethernet, so that it can go to the same file as Ethernet inner
	// frames. The MAC addresses are those of the last Ethernet header
	// before the IP packet (the outer frame's, or an inner bridged
	// frame's), or zero when there is none; the EtherType follows the IP
	// version. The buffer is reused by the next call.
	InnerEthernet
)

// Config chooses what a Decapsulator strips. The zero value, and a nil
// *Config, mean every kind, up to MaxDepth nested tunnels, inner IP
// returned raw, standard UDP ports.
type Config struct {
	// Depth is the most tunnels stripped from one packet, outermost
	// first; 0 means MaxDepth (strip to the innermost frame, as GopherCap
	// does by default). 1 strips only the outer tunnel.
	Depth int
	// Kinds is the set of encapsulations to strip; 0 means AllKinds.
	// Stripping stops, without error, at the first tunnel not in the set.
	Kinds KindSet
	// InnerIP chooses raw IP or a built Ethernet header for inner IP
	// packets (see InnerRaw, InnerEthernet).
	InnerIP InnerIP
	// VXLANPort and GenevePort are the UDP destination ports recognised
	// (0 means 4789 and 6081). Linux's pre-IANA VXLAN port is 8472.
	VXLANPort, GenevePort uint16
}

// A Decapsulator strips tunnel headers. Make one with New and reuse it for
// every packet; it keeps the tunnel list, the error and the Ethernet buffer
// between calls, so Strip does not allocate. It is not safe for concurrent
// use: give each goroutine its own.
type Decapsulator struct {
	depth      int
	kinds      KindSet
	innerIP    InnerIP
	vxlanPort  uint16
	genevePort uint16

	tunnels [MaxDepth]Tunnel
	err     Error
	buf     []byte
}

// New returns a Decapsulator for cfg (nil means defaults). It fails when
// Depth is negative or above MaxDepth, Kinds holds unknown bits, or InnerIP
// is not one of the listed modes.
func New(cfg *Config) (*Decapsulator, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.Depth < 0 || c.Depth > MaxDepth {
		return nil, fmt.Errorf("decap: depth %d out of range: use 1 to %d, or 0 for all", c.Depth, MaxDepth)
	}
	if c.Depth == 0 {
		c.Depth = MaxDepth
	}
	if c.Kinds&^AllKinds != 0 {
		return nil, fmt.Errorf("decap: kind set %#x has unknown kinds: build it with KindsOf", uint16(c.Kinds))
	}
	if c.Kinds == 0 {
		c.Kinds = AllKinds
	}
	if c.InnerIP > InnerEthernet {
		return nil, fmt.Errorf("decap: inner IP mode %d unknown: use InnerRaw or InnerEthernet", c.InnerIP)
	}
	if c.VXLANPort == 0 {
		c.VXLANPort = VXLANPort
	}
	if c.GenevePort == 0 {
		c.GenevePort = GenevePort
	}
	return &Decapsulator{depth: c.Depth, kinds: c.Kinds, innerIP: c.InnerIP, vxlanPort: c.VXLANPort, genevePort: c.GenevePort}, nil
}

// Strip removes up to the configured depth of tunnel headers from a packet
// of link type linkType, outermost first.
//
// inner is a sub-slice of data (an Ethernet frame, or an IP packet with
// innerLink LinkTypeRaw), or with InnerEthernet the Decapsulator's buffer,
// valid until the next call. It ends where the carrier IP packet (or UDP
// datagram) ends, so Ethernet padding and trailers of the outer frame are
// not taken for inner data. innerCI is ci with CaptureLength = len(inner)
// and Length = the inner frame's wire length: the outer wire length (ci.Length,
// or len(data) when that is smaller) cut to the carrier's end, minus the
// stripped bytes, plus 14 for a built Ethernet header. So CaptureLength <=
// Length always, and a truncated capture stays visibly truncated.
//
// tunnels lists what was stripped, outermost first, in an array owned by
// the Decapsulator (valid until the next call; the Tunnel values can be
// copied out).
//
// A packet that is not tunnelled, or whose link type decap does not parse
// (see the package doc), comes back unchanged with no tunnels and a nil
// error. When a tunnel header is truncated, malformed, unsupported or
// fragmented, Strip stops there: the packet comes back stripped of the
// tunnels outside it (unchanged if it was the first), and err is an *Error
// saying which header, where and why; errors.Is(err, ErrTruncated) and the
// other Reason values classify it. err never means the result is unusable.
func (d *Decapsulator) Strip(linkType layers.LinkType, data []byte, ci gopacket.CaptureInfo) (inner []byte, innerCI gopacket.CaptureInfo, innerLink layers.LinkType, tunnels []Tunnel, err error) {
	inner, innerCI, innerLink = data, ci, linkType
	off, et, ok := linklayer.Network(linkType, data)
	if !ok {
		return inner, innerCI, innerLink, nil, nil
	}
	wire := max(ci.Length, len(data))
	end := wire   // wire-level end of the current innermost frame
	innerOff := 0 // start of the current innermost frame
	ethOff := -1  // last Ethernet header seen, for built headers
	rawInner := false
	if linkType == layers.LinkTypeEthernet {
		ethOff = 0
	}
	n := 0
	for n < d.depth {
		t := &d.tunnels[n]
		*t = Tunnel{}
		next, nextEt, cend, stop := d.tunnel(t, data, off, et, end)
		if stop != 0 {
			if stop == stopError {
				err = &d.err
			}
			break
		}
		t.InnerOffset = next
		n++
		innerOff, end = next, cend
		if nextEt == 0 { // an Ethernet frame
			rawInner = false
			ethOff = next
			o, e, ok := linklayer.Ethernet(data[next:])
			if !ok {
				break
			}
			off, et = next+o, e
		} else {
			rawInner = true
			off, et = next, nextEt
		}
	}
	if n == 0 {
		return inner, innerCI, innerLink, nil, err
	}
	capEnd := min(len(data), end)
	inner = data[innerOff:capEnd]
	innerCI.CaptureLength = len(inner)
	innerCI.Length = end - innerOff
	innerLink = layers.LinkTypeEthernet
	if rawInner {
		innerLink = layers.LinkTypeRaw
		if d.innerIP == InnerEthernet {
			need := 14 + len(inner)
			if cap(d.buf) < need {
				d.buf = make([]byte, need, max(need, 2048))
			}
			b := d.buf[:need]
			if ethOff >= 0 {
				copy(b[:12], data[ethOff:ethOff+12])
			} else {
				clear(b[:12])
			}
			binary.BigEndian.PutUint16(b[12:], et)
			copy(b[14:], inner)
			inner = b
			innerCI.CaptureLength = need
			innerCI.Length += 14
			innerLink = layers.LinkTypeEthernet
		}
	}
	return inner, innerCI, innerLink, d.tunnels[:n], err
}

// Why tunnel did not return a tunnel.
const (
	stopNone  = iota
	stopPlain // not a tunnel (or not one we were asked to strip)
	stopError // a tunnel whose header failed; d.err says why
)

func (d *Decapsulator) fail(k Kind, off int, r Reason, detail string) int {
	d.err = Error{Kind: k, Offset: off, Reason: r, Detail: detail}
	return stopError
}

// tunnel looks at the network-layer header at off (EtherType et) in a
// frame whose wire-level end is end. When it carries a tunnel to strip, it
// returns the tunnel, the offset of the inner frame, the inner EtherType
// (0 for an Ethernet frame) and the carrier's wire-level end.
func (d *Decapsulator) tunnel(t *Tunnel, data []byte, off int, et uint16, end int) (next int, nextEt uint16, cend int, stop int) {
	var proto byte
	var p int // transport header offset
	var frag, firstFrag bool
	cend = end
	switch et {
	case linklayer.EtherTypeIPv4:
		if len(data) < off+20 || data[off]>>4 != 4 {
			return 0, 0, 0, stopPlain
		}
		ihl := int(data[off]&0x0f) * 4
		if ihl < 20 || len(data) < off+ihl {
			return 0, 0, 0, stopPlain
		}
		tot := int(binary.BigEndian.Uint16(data[off+2:]))
		if tot >= ihl && off+tot <= end {
			cend = off + tot
		} else if tot != 0 && tot < ihl {
			return 0, 0, 0, stopPlain
		}
		fo := binary.BigEndian.Uint16(data[off+6:])
		frag = fo&0x3fff != 0
		firstFrag = fo&0x1fff == 0
		proto = data[off+9]
		p = off + ihl
		t.Src = netip.AddrFrom4([4]byte(data[off+12 : off+16]))
		t.Dst = netip.AddrFrom4([4]byte(data[off+16 : off+20]))
		if proto == 51 && !frag { // authentication header, as in IPv6 below
			if len(data) < p+2 {
				return 0, 0, 0, stopPlain
			}
			proto, p = data[p], p+(int(data[p+1])+2)*4
		}
	case linklayer.EtherTypeIPv6:
		if len(data) < off+40 || data[off]>>4 != 6 {
			return 0, 0, 0, stopPlain
		}
		pl := int(binary.BigEndian.Uint16(data[off+4:]))
		if pl != 0 && off+40+pl <= end {
			cend = off + 40 + pl
		}
		t.Src = netip.AddrFrom16([16]byte(data[off+8 : off+24]))
		t.Dst = netip.AddrFrom16([16]byte(data[off+24 : off+40]))
		proto = data[off+6]
		p = off + 40
		firstFrag = true
	ext:
		for range 8 {
			switch proto {
			case 0, 43, 60: // hop-by-hop, routing, destination options
				if len(data) < p+2 {
					return 0, 0, 0, stopPlain
				}
				proto, p = data[p], p+(int(data[p+1])+1)*8
			case 51: // authentication header
				if len(data) < p+2 {
					return 0, 0, 0, stopPlain
				}
				proto, p = data[p], p+(int(data[p+1])+2)*4
			case 44: // fragment
				if len(data) < p+8 {
					return 0, 0, 0, stopPlain
				}
				fo := binary.BigEndian.Uint16(data[p+2:])
				frag = fo&0xfff9 != 0
				firstFrag = fo&0xfff8 == 0
				proto, p = data[p], p+8
			default:
				break ext
			}
		}
	default:
		return 0, 0, 0, stopPlain
	}
	t.Offset = off

	switch proto {
	case 47:
		return d.gre(data, t, p, cend, frag)
	case 4, 41:
		t.Kind, nextEt = IPIP, linklayer.EtherTypeIPv4
		if proto == 41 {
			t.Kind, nextEt = IP6IP, linklayer.EtherTypeIPv6
		}
		if !d.kinds.Has(t.Kind) {
			return 0, 0, 0, stopPlain
		}
		if frag {
			return 0, 0, 0, d.fail(t.Kind, off, ErrFragmented, "carrier IP packet is a fragment")
		}
		if s := d.checkIP(data, t.Kind, off, p, cend, nextEt); s != 0 {
			return 0, 0, 0, s
		}
		return p, nextEt, cend, stopNone
	case 17:
		if !firstFrag || len(data) < p+4 {
			return 0, 0, 0, stopPlain
		}
		dport := binary.BigEndian.Uint16(data[p+2:])
		switch {
		case dport == d.vxlanPort && d.kinds.Has(VXLAN):
			t.Kind = VXLAN
		case dport == d.genevePort && d.kinds.Has(Geneve):
			t.Kind = Geneve
		default:
			return 0, 0, 0, stopPlain
		}
		if frag {
			return 0, 0, 0, d.fail(t.Kind, off, ErrFragmented, "carrier IP packet is a fragment")
		}
		if len(data) < p+8 {
			return 0, 0, 0, d.fail(t.Kind, p, ErrTruncated, "UDP header cut by the capture")
		}
		if ul := int(binary.BigEndian.Uint16(data[p+4:])); ul >= 8 && p+ul <= cend {
			cend = p + ul
		}
		q := p + 8
		if t.Kind == VXLAN {
			return d.vxlan(data, t, q, cend)
		}
		return d.geneve(data, t, q, cend)
	}
	return 0, 0, 0, stopPlain
}

// checkIP checks that an inner IP packet of EtherType et starts at next.
func (d *Decapsulator) checkIP(data []byte, k Kind, hdr, next, cend int, et uint16) int {
	if next >= cend {
		return d.fail(k, hdr, ErrMalformed, "inner packet starts past the carrier's end")
	}
	if len(data) <= next {
		return d.fail(k, hdr, ErrTruncated, "no byte of the inner packet captured")
	}
	want := byte(4)
	if et == linklayer.EtherTypeIPv6 {
		want = 6
	}
	if data[next]>>4 != want {
		return d.fail(k, hdr, ErrMalformed, "inner IP version does not match the protocol type")
	}
	return stopNone
}

// checkEthernet checks that an inner Ethernet frame starts at next.
func (d *Decapsulator) checkEthernet(data []byte, k Kind, hdr, next, cend int) int {
	if next >= cend {
		return d.fail(k, hdr, ErrMalformed, "inner frame starts past the carrier's end")
	}
	if len(data) <= next {
		return d.fail(k, hdr, ErrTruncated, "no byte of the inner frame captured")
	}
	return stopNone
}
