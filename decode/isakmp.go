package decode

import "bytes"

// ISAKMP/IKE (RFC 2408, RFC 7296) over UDP 500 (and 7500, 8500), and the
// NAT-traversal encapsulation of UDP 4500 (RFC 3948: keep-alives, IKE
// after a zero non-ESP marker, or ESP), printed as tcpdump prints them at
// default verbosity: phase, side, exchange type and flags.
//
// The 28-byte header:
//
//	+-------------------+-------------------+----+------+-------+-------+---------+---------+
//	| initiator cookie 8 | responder cookie 8 | np | vers | etype | flags | msgid 4 | length 4 |
//	+-------------------+-------------------+----+------+-------+-------+---------+---------+

var isakmpExchanges = [38]string{0: "none", 1: "base", 2: "ident", 3: "auth", 4: "agg", 5: "inf",
	32: "oakley-quick", 33: "oakley-newgroup", 34: "ikev2_init", 35: "ikev2_auth",
	36: "child_sa", 37: "inf2"}

// ikeCookieSlots is how many IKEv1 initiators tcpdump remembers.
const ikeCookieSlots = 20

// ikeCookies remembers the addresses of IKEv1 exchanges' initiators by
// initiator cookie, so that later packets are marked I (from the
// initiator) or R (from the responder), as tcpdump does. It is a ring of
// fixed size: no allocation.
type ikeCookies struct {
	slot [ikeCookieSlots]struct {
		cookie       [8]byte
		version      uint8 // 4 or 6; 0: never recorded
		iaddr, raddr [16]byte
	}
	next int
}

func (c *ikeCookies) find(ck []byte) int {
	for i := range c.slot {
		if bytes.Equal(c.slot[i].cookie[:], ck) {
			return i
		}
	}
	return -1
}

func (c *ikeCookies) record(ck []byte, h *ipHdr) {
	if i := c.find(ck); i >= 0 {
		c.next = (i + 1) % ikeCookieSlots
		return
	}
	s := &c.slot[c.next]
	s.version = 4
	if h.v6 {
		s.version = 6
	}
	copy(s.iaddr[:], h.src)
	copy(s.raddr[:], h.dst)
	copy(s.cookie[:], ck)
	c.next = (c.next + 1) % ikeCookieSlots
}

// side reports whether the packet comes from slot i's initiator
// (initiator true) or responder.
func (c *ikeCookies) side(i int, h *ipHdr, initiator bool) bool {
	s := &c.slot[i]
	v, n := uint8(4), 4
	if h.v6 {
		v, n = 6, 16
	}
	if s.version != v || len(h.src) < n {
		return false
	}
	if initiator {
		return bytes.Equal(h.src[:n], s.iaddr[:n])
	}
	return bytes.Equal(h.src[:n], s.raddr[:n])
}

// isakmp prints an ISAKMP message d (length bytes on the wire).
func (p *Printer) isakmp(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 28 {
		return appendTrunc(b, "isakmp")
	}
	b = append(b, "isakmp:"...)
	etype, flags := d[18], d[19]
	phase1 := be32(d[20:]) == 0
	switch d[17] >> 4 {
	case 1:
		if phase1 {
			b = append(b, " phase 1"...)
		} else {
			b = append(b, " phase 2/others"...)
		}
		ck := d[:8]
		if i := p.ike.find(ck); i < 0 {
			if isZero(d[8:16]) {
				b = append(b, " I"...)
				p.ike.record(ck, h)
			} else {
				b = append(b, " ?"...)
			}
		} else if p.ike.side(i, h, true) {
			b = append(b, " I"...)
		} else if p.ike.side(i, h, false) {
			b = append(b, " R"...)
		} else {
			b = append(b, " ?"...)
		}
		b = appendIKEExchange(b, etype)
		if flags != 0 {
			b = append(b, '[')
			if flags&0x01 != 0 {
				b = append(b, 'E')
			}
			if flags&0x02 != 0 {
				b = append(b, 'C')
			}
			b = append(b, ']')
		}
	case 2:
		if phase1 {
			b = append(b, " parent_sa"...)
		} else {
			b = append(b, " child_sa "...)
		}
		b = appendIKEExchange(b, etype)
		if flags != 0 {
			b = append(b, '[')
			if flags&0x08 != 0 {
				b = append(b, 'I')
			}
			if flags&0x10 != 0 {
				b = append(b, 'V')
			}
			if flags&0x20 != 0 {
				b = append(b, 'R')
			}
			b = append(b, ']')
		}
	}
	return b
}

func appendIKEExchange(b []byte, etype byte) []byte {
	b = append(b, ' ')
	if int(etype) < len(isakmpExchanges) && isakmpExchanges[etype] != "" {
		return append(b, isakmpExchanges[etype]...)
	}
	b = append(b, '#')
	return appendUint(b, uint64(etype))
}

func isZero(d []byte) bool {
	for _, c := range d {
		if c != 0 {
			return false
		}
	}
	return true
}

// isakmpNATT prints a datagram of UDP port 4500 (RFC 3948).
func (p *Printer) isakmpNATT(b, d []byte, length int, h *ipHdr) []byte {
	if length == 1 && len(d) >= 1 && d[0] == 0xff {
		return append(b, "isakmp-nat-keep-alive"...)
	}
	if length < 4 || len(d) < 4 {
		return appendTrunc(b, "isakmp_rfc3948")
	}
	if be32(d) == 0 {
		b = append(b, "NONESP-encap: "...)
		return p.isakmp(b, d[4:], length-4, h)
	}
	b = append(b, "UDP-encap: "...)
	if len(d) < 8 {
		return appendTrunc(b, "esp")
	}
	b = append(b, "ESP(spi=0x"...)
	b = appendHex(b, uint64(be32(d)), 8)
	b = append(b, ",seq=0x"...)
	b = appendHex(b, uint64(be32(d[4:])), 1)
	b = append(b, "), length "...)
	return appendInt(b, length)
}
