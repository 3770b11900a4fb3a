package decap

import (
	"encoding/binary"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// GRE flags and fields (RFC 2784, RFC 2890; R, s and Recur from RFC 1701).
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|C|R|K|S|s|Recur|  Flags  | Ver |         Protocol Type         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|      Checksum (optional)      |       Reserved1 (Optional)    |
//	|                         Key (optional)                        |
//	|                 Sequence Number (Optional)                    |
const (
	greChecksum = 0x8000
	greRouting  = 0x4000
	greKey      = 0x2000
	greSeq      = 0x1000
	greVersion  = 0x0007

	protoTEB       = 0x6558 // transparent Ethernet bridging
	protoERSPAN    = 0x88be // ERSPAN types I and II
	protoERSPANIII = 0x22eb
)

// gre parses a GRE header at p and what it carries.
func (d *Decapsulator) gre(data []byte, t *Tunnel, p, cend int, frag bool) (int, uint16, int, int) {
	t.Kind = GRE
	if len(data) < p+4 {
		if !d.kinds.Has(GRE) {
			return 0, 0, 0, stopPlain
		}
		if frag {
			return 0, 0, 0, d.fail(GRE, p, ErrFragmented, "carrier IP packet is a fragment")
		}
		return 0, 0, 0, d.fail(GRE, p, ErrTruncated, "GRE header cut by the capture")
	}
	flags := binary.BigEndian.Uint16(data[p:])
	pt := binary.BigEndian.Uint16(data[p+2:])
	switch pt {
	case protoERSPAN:
		t.Kind = ERSPANI
		if flags&greSeq != 0 {
			t.Kind = ERSPANII
		}
	case protoERSPANIII:
		t.Kind = ERSPANIII
	}
	if !d.kinds.Has(t.Kind) {
		return 0, 0, 0, stopPlain
	}
	if frag {
		return 0, 0, 0, d.fail(t.Kind, p, ErrFragmented, "carrier IP packet is a fragment")
	}
	if flags&greVersion != 0 {
		return 0, 0, 0, d.fail(t.Kind, p, ErrUnsupported, "GRE version is not 0 (version 1 is PPTP's enhanced GRE)")
	}
	if flags&greRouting != 0 {
		return 0, 0, 0, d.fail(t.Kind, p, ErrUnsupported, "GRE routing present (RFC 1701 source routing)")
	}
	hl := 4
	if flags&greChecksum != 0 {
		hl += 4
	}
	if flags&greKey != 0 {
		if len(data) >= p+hl+4 {
			t.ID, t.HasID = binary.BigEndian.Uint32(data[p+hl:]), true
		}
		hl += 4
	}
	if flags&greSeq != 0 {
		hl += 4
	}
	if len(data) < p+hl {
		return 0, 0, 0, d.fail(t.Kind, p, ErrTruncated, "GRE optional fields cut by the capture")
	}
	q := p + hl
	switch pt {
	case linklayer.EtherTypeIPv4, linklayer.EtherTypeIPv6:
		if s := d.checkIP(data, t.Kind, p, q, cend, pt); s != 0 {
			return 0, 0, 0, s
		}
		return q, pt, cend, stopNone
	case protoTEB:
		if s := d.checkEthernet(data, t.Kind, p, q, cend); s != 0 {
			return 0, 0, 0, s
		}
		return q, 0, cend, stopNone
	case protoERSPAN:
		if t.Kind == ERSPANI {
			// Type I: no ERSPAN header, the mirrored frame follows.
			t.HasID, t.ID = false, 0
			if s := d.checkEthernet(data, t.Kind, p, q, cend); s != 0 {
				return 0, 0, 0, s
			}
			return q, 0, cend, stopNone
		}
		return d.erspanII(data, t, q, cend)
	case protoERSPANIII:
		return d.erspanIII(data, t, q, cend)
	}
	return 0, 0, 0, d.fail(GRE, p, ErrUnsupported, "GRE protocol type is not IPv4, IPv6, Ethernet or ERSPAN")
}

// erspanII parses the ERSPAN type II header at q.
//
//	|  Ver  |          VLAN         | COS | En|T|    Session ID     |
//	|      Reserved         |                  Index                |
func (d *Decapsulator) erspanII(data []byte, t *Tunnel, q, cend int) (int, uint16, int, int) {
	if len(data) < q+8 {
		return 0, 0, 0, d.fail(ERSPANII, q, ErrTruncated, "ERSPAN II header cut by the capture")
	}
	if data[q]>>4 != 1 {
		return 0, 0, 0, d.fail(ERSPANII, q, ErrMalformed, "ERSPAN II version is not 1")
	}
	w := binary.BigEndian.Uint16(data[q+2:])
	t.ID, t.HasID, t.Truncated = uint32(w&0x03ff), true, w&0x0400 != 0
	next := q + 8
	if s := d.checkEthernet(data, ERSPANII, q, next, cend); s != 0 {
		return 0, 0, 0, s
	}
	return next, 0, cend, stopNone
}

// erspanIII parses the ERSPAN type III header at q, and the 8-byte
// platform-specific subheader after it when the O flag is set.
//
//	|  Ver  |          VLAN         | COS |BSO|T|     Session ID    |
//	|                          Timestamp                            |
//	|             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
func (d *Decapsulator) erspanIII(data []byte, t *Tunnel, q, cend int) (int, uint16, int, int) {
	if len(data) < q+12 {
		return 0, 0, 0, d.fail(ERSPANIII, q, ErrTruncated, "ERSPAN III header cut by the capture")
	}
	if data[q]>>4 != 2 {
		return 0, 0, 0, d.fail(ERSPANIII, q, ErrMalformed, "ERSPAN III version is not 2")
	}
	w := binary.BigEndian.Uint16(data[q+2:])
	t.ID, t.HasID, t.Truncated = uint32(w&0x03ff), true, w&0x0400 != 0
	w2 := binary.BigEndian.Uint16(data[q+10:])
	next := q + 12
	if w2&1 != 0 {
		next += 8
		if len(data) < next {
			return 0, 0, 0, d.fail(ERSPANIII, q, ErrTruncated, "ERSPAN III platform-specific subheader cut by the capture")
		}
	}
	switch ft := (w2 >> 10) & 0x1f; ft {
	case 0: // Ethernet frame
		if s := d.checkEthernet(data, ERSPANIII, q, next, cend); s != 0 {
			return 0, 0, 0, s
		}
		return next, 0, cend, stopNone
	case 2: // IP packet
		if len(data) <= next || next >= cend {
			return 0, 0, 0, d.checkEthernet(data, ERSPANIII, q, next, cend)
		}
		et := uint16(linklayer.EtherTypeIPv4)
		switch data[next] >> 4 {
		case 4:
		case 6:
			et = linklayer.EtherTypeIPv6
		default:
			return 0, 0, 0, d.fail(ERSPANIII, q, ErrMalformed, "ERSPAN III frame type IP but no IPv4 or IPv6 packet follows")
		}
		return next, et, cend, stopNone
	}
	return 0, 0, 0, d.fail(ERSPANIII, q, ErrUnsupported, "ERSPAN III frame type is neither Ethernet (0) nor IP (2)")
}

// vxlan parses the VXLAN header at q (RFC 7348).
//
//	|R|R|R|R|I|R|R|R|            Reserved                           |
//	|                VXLAN Network Identifier (VNI) |   Reserved    |
func (d *Decapsulator) vxlan(data []byte, t *Tunnel, q, cend int) (int, uint16, int, int) {
	if len(data) < q+8 {
		return 0, 0, 0, d.fail(VXLAN, q, ErrTruncated, "VXLAN header cut by the capture")
	}
	if data[q]&0x08 == 0 {
		return 0, 0, 0, d.fail(VXLAN, q, ErrMalformed, "VXLAN I flag (valid VNI) not set")
	}
	t.ID, t.HasID = binary.BigEndian.Uint32(data[q+4:])>>8, true
	next := q + 8
	if s := d.checkEthernet(data, VXLAN, q, next, cend); s != 0 {
		return 0, 0, 0, s
	}
	return next, 0, cend, stopNone
}

// geneve parses the Geneve header and its options at q (RFC 8926).
//
//	|Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
//	|        Virtual Network Identifier (VNI)       |    Reserved   |
//	|                    Variable-Length Options                    |
func (d *Decapsulator) geneve(data []byte, t *Tunnel, q, cend int) (int, uint16, int, int) {
	if len(data) < q+8 {
		return 0, 0, 0, d.fail(Geneve, q, ErrTruncated, "Geneve header cut by the capture")
	}
	if data[q]>>6 != 0 {
		return 0, 0, 0, d.fail(Geneve, q, ErrUnsupported, "Geneve version is not 0")
	}
	t.ID, t.HasID = binary.BigEndian.Uint32(data[q+4:])>>8, true
	next := q + 8 + int(data[q]&0x3f)*4
	if len(data) < next {
		return 0, 0, 0, d.fail(Geneve, q, ErrTruncated, "Geneve options cut by the capture")
	}
	switch pt := binary.BigEndian.Uint16(data[q+2:]); pt {
	case protoTEB:
		if s := d.checkEthernet(data, Geneve, q, next, cend); s != 0 {
			return 0, 0, 0, s
		}
		return next, 0, cend, stopNone
	case linklayer.EtherTypeIPv4, linklayer.EtherTypeIPv6:
		if s := d.checkIP(data, Geneve, q, next, cend, pt); s != 0 {
			return 0, 0, 0, s
		}
		return next, pt, cend, stopNone
	}
	return 0, 0, 0, d.fail(Geneve, q, ErrUnsupported, "Geneve protocol type is not Ethernet, IPv4 or IPv6")
}
