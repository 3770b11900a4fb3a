// Package linklayer finds where the network layer starts in a captured frame
// for the link types wirekit's packet-level packages share (Ethernet with
// 802.1Q/802.1ad tags, raw IP, Linux cooked v1 and v2, BSD null/loopback). It
// is a leaf: it reads bytes at fixed offsets, never allocates, and never
// panics on short input.
package linklayer

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// EtherType values this package reports.
const (
	EtherTypeIPv4 = 0x0800
	EtherTypeIPv6 = 0x86dd
)

// MaxVLANTags is how many stacked 802.1Q/802.1ad tags [Network] and
// [Ethernet] skip before giving up.
const MaxVLANTags = 8

// Network returns the offset of the network-layer header in data for the
// given link type and its EtherType (for raw IP and null/loopback links it is
// inferred from the IP version or the address family). ok is false when the
// link header is truncated or the link type is not one of those listed in
// the package doc; off and etherType are then zero.
func Network(lt layers.LinkType, data []byte) (off int, etherType uint16, ok bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		return Ethernet(data)
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
		// 12 and 14 are DLT_RAW's values on some BSDs, seen in old files.
		if len(data) < 1 {
			return 0, 0, false
		}
		switch data[0] >> 4 {
		case 4:
			return 0, EtherTypeIPv4, true
		case 6:
			return 0, EtherTypeIPv6, true
		}
		return 0, 0, false
	case layers.LinkTypeLinuxSLL:
		if len(data) < 16 {
			return 0, 0, false
		}
		return 16, binary.BigEndian.Uint16(data[14:]), true
	case layers.LinkTypeLinuxSLL2:
		if len(data) < 20 {
			return 0, 0, false
		}
		return 20, binary.BigEndian.Uint16(data[0:]), true
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(data) < 4 {
			return 0, 0, false
		}
		// The family is in the writer's byte order for NULL and in network
		// order for LOOP; the values of interest fit in one byte, so look
		// at whichever end holds it.
		if data[1] != 0 || data[2] != 0 || (data[0] != 0 && data[3] != 0) {
			return 0, 0, false
		}
		fam := data[0] | data[3]
		switch fam {
		case 2:
			return 4, EtherTypeIPv4, true
		case 10, 24, 28, 30: // Linux, NetBSD/OpenBSD, FreeBSD, Darwin AF_INET6
			return 4, EtherTypeIPv6, true
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// Ethernet returns the offset just past an Ethernet II header and up to
// [MaxVLANTags] 802.1Q (0x8100), 802.1ad (0x88a8) or old QinQ (0x9100)
// tags, and the EtherType found there. ok is false when the frame is too
// short, carries more tags than that, or is 802.3 with a length field.
func Ethernet(data []byte) (off int, etherType uint16, ok bool) {
	if len(data) < 14 {
		return 0, 0, false
	}
	off = 12
	for i := 0; ; i++ {
		et := binary.BigEndian.Uint16(data[off:])
		switch et {
		case 0x8100, 0x88a8, 0x9100:
			if i == MaxVLANTags || len(data) < off+6 {
				return 0, 0, false
			}
			off += 4
			continue
		}
		if et < 0x0600 {
			return 0, 0, false
		}
		return off + 2, et, true
	}
}
