package tables

import (
	"encoding/binary"
	"net/netip"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// headers holds what the packet index records of a packet's headers; the
// has* fields say which are known.
type headers struct {
	etherType          uint16
	vlan               uint16
	src, dst           netip.Addr
	proto              uint8
	sport, dport       uint16
	tcpFlags           uint8
	hasEther, hasVLAN  bool
	hasProto, hasPorts bool
	hasFlags           bool
}

// maxIPv6Ext bounds the IPv6 extension headers skipped to the transport.
const maxIPv6Ext = 8

// parseHeaders reads the outermost network and transport headers of a
// frame of link type lt into h, at fixed offsets: it never allocates and
// never reads past data, whatever the bytes. Tunnels are not entered; a
// fragment other than the first has no ports.
func parseHeaders(lt layers.LinkType, data []byte, h *headers) {
	*h = headers{}
	off, et, ok := linklayer.Network(lt, data)
	if !ok {
		return
	}
	h.etherType, h.hasEther = et, true
	if lt == layers.LinkTypeEthernet && len(data) >= 16 {
		switch binary.BigEndian.Uint16(data[12:]) {
		case 0x8100, 0x88a8, 0x9100:
			h.vlan, h.hasVLAN = binary.BigEndian.Uint16(data[14:])&0x0fff, true
		}
	}
	d := data[off:]
	switch et {
	case linklayer.EtherTypeIPv4:
		if len(d) < 20 || d[0]>>4 != 4 {
			return
		}
		ihl := int(d[0]&0x0f) * 4
		h.src = netip.AddrFrom4([4]byte(d[12:16]))
		h.dst = netip.AddrFrom4([4]byte(d[16:20]))
		h.proto, h.hasProto = d[9], true
		if ihl < 20 || ihl > len(d) || binary.BigEndian.Uint16(d[6:])&0x1fff != 0 {
			return
		}
		transport(d[ihl:], h)
	case linklayer.EtherTypeIPv6:
		if len(d) < 40 || d[0]>>4 != 6 {
			return
		}
		h.src = netip.AddrFrom16([16]byte(d[8:24]))
		h.dst = netip.AddrFrom16([16]byte(d[24:40]))
		next, p := d[6], d[40:]
		for range maxIPv6Ext {
			switch next {
			case 0, 43, 60: // hop-by-hop, routing, destination options
				if len(p) < 8 {
					h.proto, h.hasProto = next, true
					return
				}
				n := (int(p[1]) + 1) * 8
				if n > len(p) {
					h.proto, h.hasProto = next, true
					return
				}
				next, p = p[0], p[n:]
				continue
			case 44: // fragment
				if len(p) < 8 {
					h.proto, h.hasProto = next, true
					return
				}
				if binary.BigEndian.Uint16(p[2:])&0xfff8 != 0 {
					h.proto, h.hasProto = p[0], true
					return
				}
				next, p = p[0], p[8:]
				continue
			case 51: // authentication header
				if len(p) < 8 {
					h.proto, h.hasProto = next, true
					return
				}
				n := (int(p[1]) + 2) * 4
				if n > len(p) {
					h.proto, h.hasProto = next, true
					return
				}
				next, p = p[0], p[n:]
				continue
			}
			break
		}
		h.proto, h.hasProto = next, true
		transport(p, h)
	}
}

// transport reads the ports (TCP, UDP, UDP-Lite, SCTP) and TCP's flags.
func transport(p []byte, h *headers) {
	switch h.proto {
	case 6, 17, 132, 136:
	default:
		return
	}
	if len(p) < 4 {
		return
	}
	h.sport, h.dport, h.hasPorts = binary.BigEndian.Uint16(p), binary.BigEndian.Uint16(p[2:]), true
	if h.proto == 6 && len(p) >= 14 {
		h.tcpFlags, h.hasFlags = p[13], true
	}
}
