package decode

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"unicode/utf8"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// JSONOptions tunes a JSONWriter. A nil *JSONOptions means the defaults.
type JSONOptions struct {
	// Data adds a "data" key holding the captured bytes in hex.
	Data bool
}

// JSONWriter writes one JSON object per packet, one per line (JSON Lines),
// for tools such as jq. A line looks like:
//
//	{"ts":"2024-01-01T00:00:00.000001000Z","caplen":74,"len":74,"iface":0,
//	 "src":"10.0.0.1","dst":"10.0.0.2","proto":"tcp","sport":43210,"dport":80,
//	 "layers":[{"layer":"ethernet","src":"02:00:00:00:00:01",...},
//	           {"layer":"ipv4",...},{"layer":"tcp",...},{"layer":"payload","len":0}]}
//
// Top-level keys:
//   - ts: the capture time in UTC, RFC 3339 with nine fraction digits;
//   - caplen, len, iface: the captured length, wire length and interface
//     index of gopacket.CaptureInfo;
//   - src, dst: the addresses of the innermost IPv4 or IPv6 header, when
//     there is one;
//   - proto: the protocol carried by that header, by name ("tcp", "udp",
//     "icmp", "icmp6", "gre", ...), else its number as a string; "arp" for
//     ARP;
//   - sport, dport: the TCP or UDP ports, when there are;
//   - layers: the decoded layers, outermost first; each object has a
//     "layer" key naming it;
//   - truncated: true when a header claims more bytes than were captured;
//   - error: why decoding stopped early, when it did;
//   - data: the captured bytes in hex, with JSONOptions.Data.
//
// Layer names are ethernet, dot1q (one per tag), arp, ipv4, ipv6,
// ipv6-hopbyhop, ipv6-routing, ipv6-fragment, ipv6-destination, tcp, udp,
// icmp, icmp6, sll, sll2, loopback, the tunnel headers gre, erspan,
// vxlan and geneve (see json_tunnel.go), the application layers dns, http,
// tls, dhcp, dhcp6 and ntp (json_app.go, json_tls.go), the 802.11 layers
// radiotap, ppi, prism, avs, wlan and llc (json_wifi.go), and payload: what
// follows the last decoded layer, given as {"layer":"payload","len":N}. A
// layer that fails to decode is reported in the top-level error and
// counted in the payload. docs/json.md describes every layer, and
// docs/json-schema.json is their JSON Schema.
//
// A JSONWriter reuses its layer decoders and buffers, so it is not safe for
// concurrent use. In the steady state it allocates only to report a
// decode error.
type JSONWriter struct {
	w    io.Writer
	opts JSONOptions
	line []byte
	lay  []byte

	eth   layers.Ethernet
	dot1q layers.Dot1Q
	arp   layers.ARP
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	sll   layers.LinuxSLL
	sll2  layers.LinuxSLL2
	loop  layers.Loopback

	// Per-packet summary for the top-level keys.
	src, dst     netip.Addr
	proto        string
	protoNum     int
	sport, dport int
	ports        bool
	erspan       int  // ERSPAN version a GRE header implied
	wlanFCS      bool // the 802.11 frame ends with an FCS (radiotap, PPI)
	wlanPad      bool // radiotap: padding after the 802.11 header
	truncated    bool
	errLayer     string
	err          error
}

// NewJSONWriter returns a JSONWriter that writes to w. Each Write makes one
// Write call on w, so wrap w in a bufio.Writer for speed; Flush flushes it.
func NewJSONWriter(w io.Writer, opts *JSONOptions) *JSONWriter {
	j := &JSONWriter{w: w, line: make([]byte, 0, 1024), lay: make([]byte, 0, 1024)}
	if opts != nil {
		j.opts = *opts
	}
	return j
}

// SetTruncated implements gopacket.DecodeFeedback.
func (j *JSONWriter) SetTruncated() { j.truncated = true }

// Flush flushes the underlying writer if it has a Flush() error method.
func (j *JSONWriter) Flush() error {
	if f, ok := j.w.(interface{ Flush() error }); ok {
		if err := f.Flush(); err != nil {
			return fmt.Errorf("json: flush: %w", err)
		}
	}
	return nil
}

// Write writes the line for one packet of link type lt. Bad packet bytes
// never make it fail: they show in the line's error key. It fails only when
// the underlying writer does.
func (j *JSONWriter) Write(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) error {
	j.src, j.dst = netip.Addr{}, netip.Addr{}
	j.proto, j.protoNum, j.ports, j.truncated = "", -1, false, false
	j.errLayer, j.err = "", nil
	j.wlanFCS, j.wlanPad = false, false
	j.lay = j.lay[:0]
	j.decode(data, lt)

	b := append(j.line[:0], `{"ts":"`...)
	b = ci.Timestamp.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000000Z07:00")
	b = append(b, `","caplen":`...)
	b = strconv.AppendInt(b, int64(ci.CaptureLength), 10)
	b = append(b, `,"len":`...)
	b = strconv.AppendInt(b, int64(ci.Length), 10)
	b = append(b, `,"iface":`...)
	b = strconv.AppendInt(b, int64(ci.InterfaceIndex), 10)
	if j.src.IsValid() {
		b = jsonAddr(b, "src", j.src)
		b = jsonAddr(b, "dst", j.dst)
	}
	if j.proto != "" {
		b = jsonStr(b, "proto", j.proto)
	} else if j.protoNum >= 0 {
		b = append(b, `,"proto":"`...)
		b = strconv.AppendInt(b, int64(j.protoNum), 10)
		b = append(b, '"')
	}
	if j.ports {
		b = jsonInt(b, "sport", j.sport)
		b = jsonInt(b, "dport", j.dport)
	}
	b = append(b, `,"layers":[`...)
	b = append(b, j.lay...)
	b = append(b, ']')
	if j.truncated {
		b = append(b, `,"truncated":true`...)
	}
	if j.err != nil {
		b = append(b, `,"error":`...)
		b = jsonString(b, j.errLayer+": "+j.err.Error())
	}
	if j.opts.Data {
		b = append(b, `,"data":"`...)
		b = hex.AppendEncode(b, data)
		b = append(b, '"')
	}
	b = append(b, "}\n"...)
	j.line = b
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("json: write: %w", err)
	}
	return nil
}

// jsonStep names the next header to decode.
type jsonStep uint8

const (
	jsonStepPayload jsonStep = iota
	jsonStepEthernet
	jsonStepDot1Q
	jsonStepARP
	jsonStepIPv4
	jsonStepIPv6
	jsonStepIPv6Ext
	jsonStepTCP
	jsonStepUDP
	jsonStepICMPv4
	jsonStepICMPv6
	jsonStepDNS
	jsonStepSLL
	jsonStepSLL2
	jsonStepLoopback
	jsonStepRawIP
	jsonStepGRE
	jsonStepVXLAN
	jsonStepGeneve
	jsonStepERSPAN
	// Application and 802.11 steps: see json_app.go, json_tls.go and
	// json_wifi.go.
	jsonStepDNSTCP
	jsonStepHTTP
	jsonStepTLS
	jsonStepDHCP
	jsonStepDHCP6
	jsonStepNTP
	jsonStepRadiotap
	jsonStepPPI
	jsonStepPrism
	jsonStepAVS
	jsonStepWLAN
	jsonStepLLC
)

// jsonFirstSteps maps the link types the writer decodes to their first
// header; DLT_RAW is 12 or 14 depending on the OS that wrote the file.
var jsonFirstSteps = map[layers.LinkType]jsonStep{layers.LinkTypeEthernet: jsonStepEthernet,
	layers.LinkTypeLinuxSLL: jsonStepSLL, layers.LinkTypeLinuxSLL2: jsonStepSLL2,
	layers.LinkTypeNull: jsonStepLoopback, layers.LinkTypeLoop: jsonStepLoopback,
	layers.LinkTypeRaw: jsonStepRawIP, 12: jsonStepRawIP, 14: jsonStepRawIP,
	layers.LinkTypeIPv4: jsonStepIPv4, layers.LinkTypeIPv6: jsonStepIPv6,
	layers.LinkTypeIEEE802_11: jsonStepWLAN, layers.LinkTypeIEEE80211Radio: jsonStepRadiotap,
	192: jsonStepPPI, layers.LinkTypePrismHeader: jsonStepPrism, 163: jsonStepAVS}

func jsonEtherStep(t layers.EthernetType) jsonStep {
	switch t {
	case layers.EthernetTypeIPv4:
		return jsonStepIPv4
	case layers.EthernetTypeIPv6:
		return jsonStepIPv6
	case layers.EthernetTypeARP:
		return jsonStepARP
	case layers.EthernetTypeDot1Q, layers.EthernetTypeQinQ, 0x9100:
		return jsonStepDot1Q
	}
	return jsonStepPayload
}

// ipStep names the header after an IP header (or extension) with next
// header value p, and records p as the packet's protocol.
func (j *JSONWriter) ipStep(p layers.IPProtocol) jsonStep {
	switch p {
	case layers.IPProtocolIPv6HopByHop, layers.IPProtocolIPv6Routing,
		layers.IPProtocolIPv6Fragment, layers.IPProtocolIPv6Destination:
		return jsonStepIPv6Ext
	}
	j.protoNum, j.proto = int(p), jsonProtoNames[p]
	switch p {
	case layers.IPProtocolTCP:
		return jsonStepTCP
	case layers.IPProtocolUDP:
		return jsonStepUDP
	case layers.IPProtocolICMPv4:
		return jsonStepICMPv4
	case layers.IPProtocolICMPv6:
		return jsonStepICMPv6
	case layers.IPProtocolIPv4:
		return jsonStepIPv4
	case layers.IPProtocolIPv6:
		return jsonStepIPv6
	case layers.IPProtocolGRE:
		return jsonStepGRE
	}
	return jsonStepPayload
}

// jsonMaxLayers bounds decoding of crafted packets with endless tags or
// tunnels.
const jsonMaxLayers = 32

func (j *JSONWriter) decode(data []byte, lt layers.LinkType) {
	next := jsonFirstSteps[lt] // jsonStepPayload when unknown
	var extNext layers.IPProtocol
	fragmented := false
	for n := 0; next != jsonStepPayload && n < jsonMaxLayers; n++ {
		if len(data) == 0 {
			break
		}
		if fragmented && next >= jsonStepTCP && next <= jsonStepDNS {
			break // a later fragment: no transport header here
		}
		var err error
		switch next {
		case jsonStepEthernet:
			if err = j.eth.DecodeFromBytes(data, j); err == nil {
				j.ethernet()
				next, data = jsonEtherStep(j.eth.EthernetType), j.eth.Payload
				if j.eth.EthernetType < 0x0600 {
					next = jsonStepPayload
				}
			}
		case jsonStepDot1Q:
			if err = j.dot1q.DecodeFromBytes(data, j); err == nil {
				d := &j.dot1q
				b := append(j.open("dot1q"), `,"vlan":`...)
				b = strconv.AppendUint(b, uint64(d.VLANIdentifier), 10)
				b = jsonInt(b, "prio", int(d.Priority))
				b = jsonBool(b, "dei", d.DropEligible)
				j.lay = append(jsonEtherType(b, "type", d.Type), '}')
				next, data = jsonEtherStep(d.Type), d.Payload
			}
		case jsonStepARP:
			if err = j.arp.DecodeFromBytes(data, j); err == nil {
				j.arpLayer()
				next, data = jsonStepPayload, j.arp.Payload
			}
		case jsonStepIPv4:
			if err = j.ip4.DecodeFromBytes(data, j); err == nil {
				j.ipv4Layer()
				fragmented = j.ip4.FragOffset != 0
				next, data = j.ipStep(j.ip4.Protocol), j.ip4.Payload
				extNext = j.ip4.Protocol
			}
		case jsonStepIPv6:
			if err = j.ip6.DecodeFromBytes(data, j); err == nil {
				j.ipv6Layer()
				data, extNext = j.ip6.Payload, j.ip6.NextHeader
				if j.ip6.HopByHop != nil {
					extNext = j.ip6.HopByHop.NextHeader
				}
				next = j.ipStep(extNext)
			}
		case jsonStepIPv6Ext:
			var adv int
			var nh layers.IPProtocol
			adv, nh, err = j.ipv6Ext(extNext, data, &fragmented)
			if err == nil {
				data, extNext = data[adv:], nh
				next = j.ipStep(nh)
				if fragmented {
					next = jsonStepPayload
				}
			}
		case jsonStepTCP:
			if err = j.tcp.DecodeFromBytes(data, j); err == nil {
				j.tcpLayer()
				next, data = j.tcpAppStep(j.tcp.Payload), j.tcp.Payload
				if next == jsonStepPayload {
					j.payload(len(data))
					data = nil
				}
			}
		case jsonStepUDP:
			if err = j.udp.DecodeFromBytes(data, j); err == nil {
				u := &j.udp
				j.sport, j.dport, j.ports = int(u.SrcPort), int(u.DstPort), true
				b := jsonInt(j.open("udp"), "sport", int(u.SrcPort))
				b = jsonInt(b, "dport", int(u.DstPort))
				j.lay = append(jsonInt(b, "len", int(u.Length)), '}')
				next, data = jsonStepPayload, u.Payload
				if t := jsonUDPTunnel(u.SrcPort, u.DstPort); t != jsonStepPayload {
					next = t
				} else if jsonDNSPort(u.SrcPort) || jsonDNSPort(u.DstPort) {
					next = jsonStepDNS
				} else if a := jsonUDPApp(u.SrcPort, u.DstPort, data); a != jsonStepPayload {
					next = a
				} else {
					j.payload(len(data))
					data = nil
				}
			}
		case jsonStepICMPv4:
			if err = j.icmp4.DecodeFromBytes(data, j); err == nil {
				j.icmpv4Layer()
				next, data = jsonStepPayload, j.icmp4.Payload
			}
		case jsonStepICMPv6:
			if err = j.icmp6.DecodeFromBytes(data, j); err == nil {
				j.icmpv6Layer()
				next, data = jsonStepPayload, j.icmp6.Payload
			}
		case jsonStepDNS:
			var wrote bool
			if wrote, err = j.dnsDecode(data); wrote {
				data = nil
				if err == nil {
					next = jsonStepPayload
				}
			}
		case jsonStepSLL:
			if err = j.sll.DecodeFromBytes(data, j); err == nil {
				s := &j.sll
				b := jsonInt(j.open("sll"), "pkttype", int(s.PacketType))
				b = jsonInt(b, "hatype", int(s.AddrType))
				b = jsonMAC(b, "addr", s.Addr)
				j.lay = append(jsonEtherType(b, "type", s.EthernetType), '}')
				next, data = jsonEtherStep(s.EthernetType), s.Payload
			}
		case jsonStepSLL2:
			if err = j.sll2.DecodeFromBytes(data, j); err == nil {
				s := &j.sll2
				b := jsonInt(j.open("sll2"), "pkttype", int(s.PacketType))
				b = jsonInt(b, "ifindex", int(s.InterfaceIndex))
				b = jsonInt(b, "hatype", int(s.ARPHardwareType))
				b = jsonMAC(b, "addr", s.Addr)
				j.lay = append(jsonEtherType(b, "type", s.ProtocolType), '}')
				next, data = jsonEtherStep(s.ProtocolType), s.Payload
			}
		case jsonStepLoopback:
			if err = j.loop.DecodeFromBytes(data, j); err == nil {
				b := jsonInt(j.open("loopback"), "family", int(j.loop.Family))
				j.lay = append(b, '}')
				next, data = jsonStepPayload, j.loop.Payload
				switch j.loop.Family {
				case layers.ProtocolFamilyIPv4:
					next = jsonStepIPv4
				case layers.ProtocolFamilyIPv6BSD, layers.ProtocolFamilyIPv6FreeBSD,
					layers.ProtocolFamilyIPv6Darwin, layers.ProtocolFamilyIPv6Linux:
					next = jsonStepIPv6
				}
			}
		case jsonStepRawIP:
			next = jsonStepPayload
			switch data[0] >> 4 {
			case 4:
				next = jsonStepIPv4
			case 6:
				next = jsonStepIPv6
			}
		case jsonStepGRE, jsonStepVXLAN, jsonStepGeneve, jsonStepERSPAN:
			next, data, err = j.tunnelStep(next, data)
		case jsonStepRadiotap, jsonStepPPI, jsonStepPrism, jsonStepAVS, jsonStepWLAN, jsonStepLLC:
			next, data, err = j.wifiStep(next, data)
		default:
			next, data, err = j.appStep(next, data)
		}
		if err != nil {
			j.errLayer, j.err = jsonStepNames[next], err
			break
		}
	}
	if len(data) > 0 {
		j.payload(len(data))
	}
}

// payload adds the payload pseudo-layer of n bytes.
func (j *JSONWriter) payload(n int) {
	j.lay = append(jsonInt(append(j.sep(), `{"layer":"payload"`...), "len", n), '}')
}

// sep returns the layers buffer ready for one more element.
func (j *JSONWriter) sep() []byte {
	if len(j.lay) > 0 {
		return append(j.lay, ',')
	}
	return j.lay
}

// open starts a layer object.
func (j *JSONWriter) open(name string) []byte {
	b := append(j.sep(), `{"layer":"`...)
	b = append(b, name...)
	return append(b, '"')
}

func (j *JSONWriter) ethernet() {
	e := &j.eth
	b := jsonMAC(j.open("ethernet"), "src", e.SrcMAC)
	b = jsonMAC(b, "dst", e.DstMAC)
	if e.EthernetType < 0x0600 {
		b = jsonInt(b, "length", int(e.Length))
	} else {
		b = jsonEtherType(b, "type", e.EthernetType)
	}
	j.lay = append(b, '}')
}

func (j *JSONWriter) arpLayer() {
	a := &j.arp
	j.proto, j.protoNum = "arp", -1
	b := j.open("arp")
	switch a.Operation {
	case layers.ARPRequest:
		b = jsonStr(b, "op", "request")
	case layers.ARPReply:
		b = jsonStr(b, "op", "reply")
	default:
		b = jsonInt(b, "op", int(a.Operation))
	}
	b = jsonInt(b, "htype", int(a.AddrType))
	b = jsonEtherType(b, "ptype", a.Protocol)
	b = jsonMAC(b, "sha", a.SourceHwAddress)
	b = jsonProtAddr(b, "spa", a.SourceProtAddress)
	b = jsonMAC(b, "tha", a.DstHwAddress)
	b = jsonProtAddr(b, "tpa", a.DstProtAddress)
	j.lay = append(b, '}')
}

func (j *JSONWriter) ipv4Layer() {
	ip := &j.ip4
	src, _ := netip.AddrFromSlice(ip.SrcIP.To4())
	dst, _ := netip.AddrFromSlice(ip.DstIP.To4())
	j.src, j.dst = src, dst
	b := jsonAddr(j.open("ipv4"), "src", src)
	b = jsonAddr(b, "dst", dst)
	b = jsonInt(b, "ttl", int(ip.TTL))
	b = jsonInt(b, "id", int(ip.Id))
	b = jsonInt(b, "proto", int(ip.Protocol))
	b = jsonInt(b, "len", int(ip.Length))
	b = jsonInt(b, "hlen", int(ip.IHL)*4)
	b = jsonInt(b, "tos", int(ip.TOS))
	b = jsonFlags(b, "flags", uint16(ip.Flags), []string{"MF", "DF", "RB"})
	b = jsonInt(b, "frag", int(ip.FragOffset)*8)
	b = jsonInt(b, "csum", int(ip.Checksum))
	if len(ip.Options) > 0 {
		b = jsonInt(b, "options", len(ip.Options))
	}
	j.lay = append(b, '}')
}

func (j *JSONWriter) ipv6Layer() {
	ip := &j.ip6
	src, _ := netip.AddrFromSlice(ip.SrcIP.To16())
	dst, _ := netip.AddrFromSlice(ip.DstIP.To16())
	j.src, j.dst = src, dst
	b := jsonAddr(j.open("ipv6"), "src", src)
	b = jsonAddr(b, "dst", dst)
	b = jsonInt(b, "hlim", int(ip.HopLimit))
	b = jsonInt(b, "next", int(ip.NextHeader))
	b = jsonInt(b, "plen", int(ip.Length))
	b = jsonInt(b, "tc", int(ip.TrafficClass))
	b = jsonInt(b, "flow", int(ip.FlowLabel))
	b = append(b, '}')
	if h := ip.HopByHop; h != nil {
		b = append(b, `,{"layer":"ipv6-hopbyhop"`...)
		b = jsonInt(b, "next", int(h.NextHeader))
		b = jsonInt(b, "len", h.ActualLength)
		b = jsonInt(b, "options", len(h.Options))
		b = append(b, '}')
	}
	j.lay = b
}

var errJSONShortExt = fmt.Errorf("truncated: %w", io.ErrUnexpectedEOF)

// ipv6Ext decodes the IPv6 extension header of type t at the start of
// data and returns its length and next header.
func (j *JSONWriter) ipv6Ext(t layers.IPProtocol, data []byte, fragmented *bool) (int, layers.IPProtocol, error) {
	if len(data) < 8 {
		j.truncated = true
		return 0, 0, errJSONShortExt
	}
	nh := layers.IPProtocol(data[0])
	n := (int(data[1]) + 1) * 8
	name := "ipv6-destination"
	switch t {
	case layers.IPProtocolIPv6HopByHop:
		name = "ipv6-hopbyhop"
	case layers.IPProtocolIPv6Routing:
		name = "ipv6-routing"
	case layers.IPProtocolIPv6Fragment:
		name, n = "ipv6-fragment", 8
	}
	if n > len(data) {
		j.truncated = true
		return 0, 0, errJSONShortExt
	}
	b := jsonInt(j.open(name), "next", int(nh))
	b = jsonInt(b, "len", n)
	switch t {
	case layers.IPProtocolIPv6Routing:
		b = jsonInt(b, "type", int(data[2]))
		b = jsonInt(b, "segleft", int(data[3]))
	case layers.IPProtocolIPv6Fragment:
		off := int(jsonBE16(data[2:]) >> 3)
		more := data[3]&1 != 0
		b = jsonInt(b, "offset", off*8)
		b = jsonBool(b, "more", more)
		b = jsonInt(b, "id", int(jsonBE32(data[4:])))
		if off != 0 {
			*fragmented = true
		}
	}
	j.lay = append(b, '}')
	return n, nh, nil
}

func (j *JSONWriter) tcpLayer() {
	t := &j.tcp
	j.sport, j.dport, j.ports = int(t.SrcPort), int(t.DstPort), true
	b := jsonInt(j.open("tcp"), "sport", int(t.SrcPort))
	b = jsonInt(b, "dport", int(t.DstPort))
	b = jsonInt(b, "seq", int(t.Seq))
	b = jsonInt(b, "ack", int(t.Ack))
	fl := uint16(t.Contents[13])
	if len(t.Contents) > 12 {
		fl |= uint16(t.Contents[12]&1) << 8
	}
	b = jsonFlags(b, "flags", fl, []string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS"})
	b = jsonInt(b, "win", int(t.Window))
	b = jsonInt(b, "hlen", int(t.DataOffset)*4)
	b = jsonInt(b, "csum", int(t.Checksum))
	if t.URG {
		b = jsonInt(b, "urp", int(t.Urgent))
	}
	b = append(b, `,"options":[`...)
	for i, o := range t.Options {
		if i > 0 {
			b = append(b, ',')
		}
		d := o.OptionData
		switch {
		case o.OptionType == layers.TCPOptionKindNop:
			b = append(b, `{"kind":"nop"}`...)
		case o.OptionType == layers.TCPOptionKindEndList:
			b = append(b, `{"kind":"eol"}`...)
		case o.OptionType == layers.TCPOptionKindMSS && len(d) == 2:
			b = append(jsonInt(append(b, `{"kind":"mss"`...), "value", int(jsonBE16(d))), '}')
		case o.OptionType == layers.TCPOptionKindWindowScale && len(d) == 1:
			b = append(jsonInt(append(b, `{"kind":"wscale"`...), "value", int(d[0])), '}')
		case o.OptionType == layers.TCPOptionKindSACKPermitted:
			b = append(b, `{"kind":"sackOK"}`...)
		case o.OptionType == layers.TCPOptionKindTimestamps && len(d) == 8:
			b = jsonInt(append(b, `{"kind":"ts"`...), "val", int(jsonBE32(d)))
			b = append(jsonInt(b, "ecr", int(jsonBE32(d[4:]))), '}')
		case o.OptionType == layers.TCPOptionKindSACK && len(d)%8 == 0:
			b = append(b, `{"kind":"sack","blocks":[`...)
			for k := 0; k+8 <= len(d); k += 8 {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = strconv.AppendUint(b, uint64(jsonBE32(d[k:])), 10)
				b = append(b, ',')
				b = strconv.AppendUint(b, uint64(jsonBE32(d[k+4:])), 10)
				b = append(b, ']')
			}
			b = append(b, "]}"...)
		default:
			b = append(b, `{"kind":`...)
			b = strconv.AppendUint(b, uint64(o.OptionType), 10)
			b = append(jsonInt(b, "len", len(d)), '}')
		}
	}
	j.lay = append(b, "]}"...)
}

func (j *JSONWriter) icmpv4Layer() {
	c := &j.icmp4
	typ, code := c.TypeCode.Type(), c.TypeCode.Code()
	b := jsonInt(j.open("icmp"), "type", int(typ))
	b = jsonInt(b, "code", int(code))
	if name := jsonICMP4Names[typ]; name != "" {
		b = jsonStr(b, "kind", name)
	}
	switch typ {
	case layers.ICMPv4TypeEchoRequest, layers.ICMPv4TypeEchoReply,
		layers.ICMPv4TypeTimestampRequest, layers.ICMPv4TypeTimestampReply:
		b = jsonInt(b, "id", int(c.Id))
		b = jsonInt(b, "seq", int(c.Seq))
	}
	b = jsonInt(b, "csum", int(c.Checksum))
	j.lay = append(b, '}')
}

var jsonICMP4Names = [256]string{0: "echo reply", 3: "destination unreachable", 4: "source quench",
	5: "redirect", 8: "echo request", 9: "router advertisement", 10: "router solicitation",
	11: "time exceeded", 12: "parameter problem", 13: "timestamp request", 14: "timestamp reply"}

var jsonICMP6Names = [256]string{1: "destination unreachable", 2: "packet too big", 3: "time exceeded",
	4: "parameter problem", 128: "echo request", 129: "echo reply", 130: "multicast listener query",
	131: "multicast listener report", 132: "multicast listener done", 133: "router solicitation",
	134: "router advertisement", 135: "neighbor solicitation", 136: "neighbor advertisement",
	137: "redirect", 143: "multicast listener report v2"}

func (j *JSONWriter) icmpv6Layer() {
	c := &j.icmp6
	typ, code := c.TypeCode.Type(), c.TypeCode.Code()
	b := jsonInt(j.open("icmp6"), "type", int(typ))
	b = jsonInt(b, "code", int(code))
	if name := jsonICMP6Names[typ]; name != "" {
		b = jsonStr(b, "kind", name)
	}
	p := c.Payload
	switch typ {
	case layers.ICMPv6TypeEchoRequest, layers.ICMPv6TypeEchoReply:
		if len(p) >= 4 {
			b = jsonInt(b, "id", int(jsonBE16(p)))
			b = jsonInt(b, "seq", int(jsonBE16(p[2:])))
		}
	case layers.ICMPv6TypeNeighborSolicitation, layers.ICMPv6TypeNeighborAdvertisement:
		if len(p) >= 20 {
			b = jsonAddr(b, "target", netip.AddrFrom16([16]byte(p[4:20])))
		}
	}
	b = jsonInt(b, "csum", int(c.Checksum))
	j.lay = append(b, '}')
}

func jsonDNSPort(p layers.UDPPort) bool { return p == 53 || p == 5353 || p == 5355 }

var jsonStepNames = [...]string{jsonStepPayload: "payload", jsonStepEthernet: "ethernet", jsonStepDot1Q: "dot1q",
	jsonStepARP: "arp", jsonStepIPv4: "ipv4", jsonStepIPv6: "ipv6", jsonStepIPv6Ext: "ipv6 extension header",
	jsonStepTCP: "tcp", jsonStepUDP: "udp", jsonStepICMPv4: "icmp", jsonStepICMPv6: "icmp6", jsonStepDNS: "dns",
	jsonStepSLL: "sll", jsonStepSLL2: "sll2", jsonStepLoopback: "loopback", jsonStepRawIP: "raw ip",
	jsonStepGRE: "gre", jsonStepVXLAN: "vxlan", jsonStepGeneve: "geneve", jsonStepERSPAN: "erspan",
	jsonStepDNSTCP: "dns", jsonStepHTTP: "http", jsonStepTLS: "tls", jsonStepDHCP: "dhcp", jsonStepDHCP6: "dhcp6",
	jsonStepNTP: "ntp", jsonStepRadiotap: "radiotap", jsonStepPPI: "ppi", jsonStepPrism: "prism", jsonStepAVS: "avs",
	jsonStepWLAN: "wlan", jsonStepLLC: "llc"}

var jsonProtoNames = [256]string{1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 17: "udp", 41: "ipv6",
	47: "gre", 50: "esp", 51: "ah", 58: "icmp6", 89: "ospf", 103: "pim", 112: "vrrp", 132: "sctp"}

var jsonEtherNames = map[layers.EthernetType]string{0x0800: "IPv4", 0x86dd: "IPv6", 0x0806: "ARP",
	0x8100: "802.1Q", 0x88a8: "802.1ad", 0x9100: "QinQ", 0x8847: "MPLS", 0x8848: "MPLS-multicast",
	0x88cc: "LLDP", 0x8863: "PPPoE-discovery", 0x8864: "PPPoE", 0x888e: "EAPOL", 0x8035: "RARP",
	0x88e5: "MACsec", 0x88f7: "PTP", 0x8809: "slow-protocols"}

// jsonEtherType appends an EtherType by name, or as "0x88cc" when it has
// none.
func jsonEtherType(b []byte, k string, t layers.EthernetType) []byte {
	if name, ok := jsonEtherNames[t]; ok {
		return jsonStr(b, k, name)
	}
	const digits = "0123456789abcdef"
	b = append(jsonKey(b, k), '"', '0', 'x')
	return append(b, digits[t>>12], digits[t>>8&15], digits[t>>4&15], digits[t&15], '"')
}

func jsonBE16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func jsonBE32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// jsonFlags appends k as the list of the names whose bit is set in v,
// bit 0 first.
func jsonFlags(b []byte, k string, v uint16, names []string) []byte {
	b = append(jsonKey(b, k), '[')
	first := true
	for i, name := range names {
		if v&(1<<i) != 0 {
			if !first {
				b = append(b, ',')
			}
			b, first = append(append(append(b, '"'), name...), '"'), false
		}
	}
	return append(b, ']')
}

func jsonKey(b []byte, k string) []byte {
	b = append(b, ',', '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func jsonInt(b []byte, k string, v int) []byte {
	return strconv.AppendInt(jsonKey(b, k), int64(v), 10)
}

func jsonBool(b []byte, k string, v bool) []byte {
	return strconv.AppendBool(jsonKey(b, k), v)
}

// jsonStr appends a key and a string value known to need no escaping.
func jsonStr(b []byte, k, v string) []byte {
	b = append(jsonKey(b, k), '"')
	b = append(b, v...)
	return append(b, '"')
}

func jsonAddr(b []byte, k string, a netip.Addr) []byte {
	b = append(jsonKey(b, k), '"')
	b = a.AppendTo(b)
	return append(b, '"')
}

// jsonMAC appends a hardware address as colon-separated hex, whatever
// its length.
func jsonMAC(b []byte, k string, mac []byte) []byte {
	const digits = "0123456789abcdef"
	b = append(jsonKey(b, k), '"')
	for i, x := range mac {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[x>>4], digits[x&15])
	}
	return append(b, '"')
}

// jsonProtAddr appends an ARP protocol address: an IP address when it
// has 4 or 16 bytes, else hex.
func jsonProtAddr(b []byte, k string, p []byte) []byte {
	if a, ok := netip.AddrFromSlice(p); ok {
		return jsonAddr(b, k, a)
	}
	return jsonMAC(b, k, p)
}

func jsonString(b []byte, s string) []byte { return jsonBytes(b, []byte(s)) }

// jsonBytes appends s as a JSON string: quotes, backslashes and control
// characters (C0, DEL and C1) escaped, invalid UTF-8 replaced by U+FFFD.
func jsonBytes(b []byte, s []byte) []byte {
	return append(jsonEscape(append(b, '"'), s), '"')
}

// jsonEscape appends s escaped as the inside of a JSON string (see
// jsonBytes).
func jsonEscape(b []byte, s []byte) []byte {
	const digits = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', digits[c>>4], digits[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else if r <= 0x9f {
			// C1 controls (CSI is U+009B): escaped, as a terminal may act
			// on them.
			b = append(b, '\\', 'u', '0', '0', digits[r>>4], digits[r&15])
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

var _ gopacket.DecodeFeedback = (*JSONWriter)(nil)
