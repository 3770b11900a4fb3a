package eve

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/decap"
	"github.com/wirekit/wirekit/filter"
)

// MatchConfig tunes a Matcher; nil means the defaults.
type MatchConfig struct {
	// Decode matches by decoding every packet with gopacket's layers
	// instead of running a compiled filter (GopherCap's --skip-bpf). It
	// is slower; both accept the same packets except IP fragments after
	// the first, which neither sees ports in.
	Decode bool
}

// Matcher says whether a captured packet belongs to an event's flow: same
// protocol, addresses and ports, in either direction. For an event with a
// Tunnel, only tunnelled packets match: the tunnels are stripped with
// package decap (to the innermost frame), the inner packet must be the
// flow, and the outermost carrier's addresses must be the tunnel's (either
// direction). A Matcher is not safe for concurrent use.
type Matcher struct {
	ev     Event
	expr   string
	decode bool
	progs  map[layers.LinkType]*filter.Program
	bad    map[layers.LinkType]error
	dc     *decap.Decapsulator
}

// NewMatcher returns a Matcher for ev. It fails for an event whose
// protocol cannot be matched (an empty proto).
func NewMatcher(ev Event, cfg *MatchConfig) (*Matcher, error) {
	expr, err := FilterExpr(ev)
	if err != nil {
		return nil, err
	}
	m := &Matcher{ev: ev, expr: expr, progs: map[layers.LinkType]*filter.Program{}, bad: map[layers.LinkType]error{}}
	if cfg != nil {
		m.decode = cfg.Decode
	}
	if ev.Tunnel != nil {
		if m.dc, err = decap.New(nil); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Filter returns the pcap-filter expression that selects the flow's
// packets (of the inner frame, for a tunnelled event).
func (m *Matcher) Filter() string { return m.expr }

// FilterExpr returns the pcap-filter expression for ev's flow, both
// directions: for TCP, UDP and SCTP addresses and ports, for other
// protocols addresses and the protocol. It fails when ev has no proto.
func FilterExpr(ev Event) (string, error) {
	a, b := ev.Src.String(), ev.Dst.String()
	hosts := fmt.Sprintf("host %s and host %s", a, b)
	if ev.Src == ev.Dst {
		hosts = fmt.Sprintf("src host %s and dst host %s", a, b)
	}
	switch ev.Proto {
	case "TCP", "UDP", "SCTP":
		p := map[string]string{"TCP": "tcp", "UDP": "udp", "SCTP": "sctp"}[ev.Proto]
		return fmt.Sprintf("%s and ((src host %s and src port %d and dst host %s and dst port %d) or (src host %s and src port %d and dst host %s and dst port %d))",
			p, a, ev.SrcPort, b, ev.DstPort, b, ev.DstPort, a, ev.SrcPort), nil
	case "ICMP":
		return "icmp and " + hosts, nil
	case "IPV6-ICMP", "ICMPV6":
		return "icmp6 and " + hosts, nil
	case "":
		return "", fmt.Errorf("event has no proto: cannot tell its packets")
	}
	n, err := protoNumber(ev.Proto)
	if err != nil {
		return "", err
	}
	if ev.Src.Is4() {
		return fmt.Sprintf("ip proto %d and %s", n, hosts), nil
	}
	return fmt.Sprintf("ip6 proto %d and %s", n, hosts), nil
}

// Match reports whether the packet data of link type lt belongs to the
// flow. An error is returned only when the filter cannot be compiled for
// lt (a link type without IP); Match then keeps returning it for lt.
func (m *Matcher) Match(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) (bool, error) {
	if m.dc != nil {
		inner, ici, ilt, tunnels, _ := m.dc.Strip(lt, data, ci)
		if len(tunnels) == 0 || !m.carrier(tunnels[0]) {
			return false, nil
		}
		lt, data, ci = ilt, inner, ici
	}
	if m.decode {
		return m.decoded(lt, data), nil
	}
	p, ok := m.progs[lt]
	if !ok {
		if err := m.bad[lt]; err != nil {
			return false, err
		}
		var err error
		// An expression that can match no packet of lt (an IPv4 flow
		// on a link type without IPv4) gives a program matching none.
		p, err = filter.CompileWith(m.expr, lt, 262144, &filter.Options{AllowRejectAll: true})
		if err != nil {
			m.bad[lt] = fmt.Errorf("filter %q for link type %v: %w", m.expr, lt, err)
			return false, m.bad[lt]
		}
		m.progs[lt] = p
	}
	return p.Matches(ci, data), nil
}

// carrier reports whether the outermost tunnel joins the event's tunnel
// endpoints.
func (m *Matcher) carrier(t decap.Tunnel) bool {
	a, b := m.ev.Tunnel.Src, m.ev.Tunnel.Dst
	s, d := t.Src.Unmap(), t.Dst.Unmap()
	return (s == a && d == b) || (s == b && d == a)
}

// decoded matches with gopacket's decoders (MatchConfig.Decode).
func (m *Matcher) decoded(lt layers.LinkType, data []byte) bool {
	var first gopacket.Decoder = lt
	if lt == layers.LinkTypeRaw || lt == 12 || lt == layers.LinkTypeIPv4 || lt == layers.LinkTypeIPv6 {
		if len(data) == 0 {
			return false
		}
		first = layers.LayerTypeIPv4
		if data[0]>>4 == 6 {
			first = layers.LayerTypeIPv6
		}
	}
	pkt := gopacket.NewPacket(data, first, gopacket.NoCopy)
	var src, dst netip.Addr
	var proto uint8
	switch ip := pkt.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(ip.SrcIP.To4())
		dst, _ = netip.AddrFromSlice(ip.DstIP.To4())
		proto = uint8(ip.Protocol)
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
		proto = uint8(ip.NextHeader)
	default:
		return false
	}
	ev := m.ev
	fwd := src == ev.Src && dst == ev.Dst
	rev := src == ev.Dst && dst == ev.Src
	if !fwd && !rev {
		return false
	}
	var sp, dp uint16
	switch ev.Proto {
	case "TCP":
		t, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok {
			return false
		}
		sp, dp = uint16(t.SrcPort), uint16(t.DstPort)
	case "UDP":
		u, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if !ok {
			return false
		}
		sp, dp = uint16(u.SrcPort), uint16(u.DstPort)
	case "SCTP":
		s, ok := pkt.Layer(layers.LayerTypeSCTP).(*layers.SCTP)
		if !ok {
			return false
		}
		sp, dp = uint16(s.SrcPort), uint16(s.DstPort)
	case "ICMP":
		return pkt.Layer(layers.LayerTypeICMPv4) != nil
	case "IPV6-ICMP", "ICMPV6":
		return pkt.Layer(layers.LayerTypeICMPv6) != nil
	default:
		n, err := protoNumber(ev.Proto)
		return err == nil && n == proto
	}
	return (fwd && sp == ev.SrcPort && dp == ev.DstPort) || (rev && sp == ev.DstPort && dp == ev.SrcPort)
}

// protoNames are the other IP protocols Suricata names in EVE.
var protoNames = map[string]uint8{"IGMP": 2, "GRE": 47, "ESP": 50, "AH": 51, "OSPF": 89, "PIM": 103, "VRRP": 112}

// protoNumber reads an EVE proto that is not TCP, UDP, SCTP or ICMP.
func protoNumber(p string) (uint8, error) {
	if n, ok := protoNames[p]; ok {
		return n, nil
	}
	n, err := strconv.ParseUint(p, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("proto %q: wirekit matches TCP, UDP, SCTP, ICMP, IPv6-ICMP, IGMP, GRE, ESP, AH, OSPF, PIM, VRRP or a protocol number", p)
	}
	return uint8(n), nil
}
