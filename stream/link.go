package stream

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Link-layer header types wirekit reads TCP from, beyond those gopacket
// names.
const (
	linkTypeLinuxSLL2  layers.LinkType = 276
	linkTypeIPv4       layers.LinkType = 228
	linkTypeIPv6       layers.LinkType = 229
	linkTypeRawOpenBSD layers.LinkType = 14
)

// ipStart returns the offset of the IP header in a packet of link type lt,
// or -1 when the packet is not IPv4 or IPv6 (or the link type is not one
// this package reads: Ethernet with 802.1Q/802.1ad tags, Linux cooked SLL
// and SLL2, BSD loopback NULL/LOOP, raw IP).
func ipStart(lt layers.LinkType, d []byte) int {
	switch lt {
	case layers.LinkTypeEthernet:
		if len(d) < 14 {
			return -1
		}
		off, et := 14, binary.BigEndian.Uint16(d[12:])
		for (et == 0x8100 || et == 0x88a8 || et == 0x9100) && len(d) >= off+4 {
			et = binary.BigEndian.Uint16(d[off+2:])
			off += 4
		}
		return etherIP(et, off)
	case layers.LinkTypeLinuxSLL:
		if len(d) < 16 {
			return -1
		}
		return etherIP(binary.BigEndian.Uint16(d[14:]), 16)
	case linkTypeLinuxSLL2:
		if len(d) < 20 {
			return -1
		}
		return etherIP(binary.BigEndian.Uint16(d[0:]), 20)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(d) < 4 {
			return -1
		}
		// The address family is in the writer's byte order (NULL) or
		// big-endian (LOOP); the IP version nibble decides.
		return rawIP(d, 4)
	case layers.LinkTypeRaw, linkTypeRawOpenBSD, linkTypeIPv4, linkTypeIPv6, 12:
		return rawIP(d, 0)
	}
	return -1
}

func etherIP(et uint16, off int) int {
	if et == 0x0800 || et == 0x86dd {
		return off
	}
	return -1
}

func rawIP(d []byte, off int) int {
	if len(d) <= off {
		return -1
	}
	if v := d[off] >> 4; v == 4 || v == 6 {
		return off
	}
	return -1
}

// tcpSegment locates the TCP header of an IP packet starting at d[0]. It
// returns the network addresses, the TCP bytes (cut to the IP length, so
// link padding is not taken as payload) and whether the packet is an
// unfragmented TCP segment. Fragments and malformed headers give ok false.
func tcpSegment(d []byte) (src, dst []byte, seg []byte, frag, ok bool) {
	if len(d) < 1 {
		return nil, nil, nil, false, false
	}
	switch d[0] >> 4 {
	case 4:
		if len(d) < 20 {
			return nil, nil, nil, false, false
		}
		hl := int(d[0]&0x0f) * 4
		tot := int(binary.BigEndian.Uint16(d[2:]))
		if hl < 20 || tot < hl || len(d) < hl {
			return nil, nil, nil, false, false
		}
		if ff := binary.BigEndian.Uint16(d[6:]); ff&0x3fff != 0 { // MF or offset
			return nil, nil, nil, true, false
		}
		if d[9] != 6 {
			return nil, nil, nil, false, false
		}
		end := min(tot, len(d))
		return d[12:16], d[16:20], d[hl:end], false, true
	case 6:
		if len(d) < 40 {
			return nil, nil, nil, false, false
		}
		plen := int(binary.BigEndian.Uint16(d[4:]))
		end := min(40+plen, len(d))
		next, off := d[6], 40
		for {
			switch next {
			case 6:
				return d[8:24], d[24:40], d[off:end], false, true
			case 0, 43, 60: // hop-by-hop, routing, destination options
				if end < off+8 {
					return nil, nil, nil, false, false
				}
				next = d[off]
				off += 8 + int(d[off+1])*8
				if off > end {
					return nil, nil, nil, false, false
				}
			case 44:
				return nil, nil, nil, true, false
			default:
				return nil, nil, nil, false, false
			}
		}
	}
	return nil, nil, nil, false, false
}
