package filter

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// realPacket builds the packet of a flow with gopacket's serializer, an
// independent construction to check AppendFlowPacket against.
func realPacket(t *testing.T, f Flow, payload []byte) []byte {
	t.Helper()
	var ls []gopacket.SerializableLayer
	et := layers.EthernetTypeIPv4
	if f.Src.Addr().Is6() {
		et = layers.EthernetTypeIPv6
	}
	src, dst := f.SrcMAC, f.DstMAC
	if src == nil {
		src = make(net.HardwareAddr, 6)
	}
	if dst == nil {
		dst = make(net.HardwareAddr, 6)
	}
	eth := &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: et}
	ls = append(ls, eth)
	if f.VLAN != 0 {
		eth.EthernetType = layers.EthernetTypeDot1Q
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: f.VLAN, Type: et})
	}
	var netl gopacket.NetworkLayer
	if et == layers.EthernetTypeIPv4 {
		ip := &layers.IPv4{Version: 4, TTL: 64, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocol(f.Proto),
			SrcIP: f.Src.Addr().AsSlice(), DstIP: f.Dst.Addr().AsSlice()}
		netl = ip
		ls = append(ls, ip)
	} else {
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocol(f.Proto),
			SrcIP: f.Src.Addr().AsSlice(), DstIP: f.Dst.Addr().AsSlice()}
		netl = ip
		ls = append(ls, ip)
	}
	switch f.Proto {
	case TCP:
		flags := f.TCPFlags
		if flags == 0 {
			flags = FlagPSH | FlagACK
		}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(f.Src.Port()), DstPort: layers.TCPPort(f.Dst.Port()), Seq: 1, Ack: 1, Window: 0xffff,
			FIN: flags&FlagFIN != 0, SYN: flags&FlagSYN != 0, RST: flags&FlagRST != 0, PSH: flags&FlagPSH != 0,
			ACK: flags&FlagACK != 0, URG: flags&FlagURG != 0, ECE: flags&FlagECE != 0, CWR: flags&FlagCWR != 0}
		tcp.SetNetworkLayerForChecksum(netl)
		ls = append(ls, tcp)
	case UDP:
		udp := &layers.UDP{SrcPort: layers.UDPPort(f.Src.Port()), DstPort: layers.UDPPort(f.Dst.Port())}
		udp.SetNetworkLayerForChecksum(netl)
		ls = append(ls, udp)
	case SCTP:
		ls = append(ls, &layers.SCTP{SrcPort: layers.SCTPPort(f.Src.Port()), DstPort: layers.SCTPPort(f.Dst.Port()), VerificationTag: 1})
	case ICMP:
		ls = append(ls, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(f.ICMPType, f.ICMPCode), Id: 1, Seq: 1})
	case ICMPv6:
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(f.ICMPType, f.ICMPCode)}
		ic.SetNetworkLayerForChecksum(netl)
		ls = append(ls, ic, gopacket.Payload([]byte{0, 1, 0, 1}))
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	// gopacket pads Ethernet to the 60-byte minimum; a captured local
	// packet is not padded, and neither is a flow's: cut the padding.
	b := buf.Bytes()
	hdr := 14
	if f.VLAN != 0 {
		hdr = 18
	}
	if et == layers.EthernetTypeIPv4 {
		return b[:hdr+(int(b[hdr+2])<<8|int(b[hdr+3]))]
	}
	return b[:hdr+40+(int(b[hdr+4])<<8|int(b[hdr+5]))]
}

var flowCases = []Flow{
	{Proto: TCP, Src: netip.MustParseAddrPort("127.0.0.1:3345"), Dst: netip.MustParseAddrPort("127.0.0.1:21")},
	{Proto: TCP, Src: netip.MustParseAddrPort("10.0.0.1:40000"), Dst: netip.MustParseAddrPort("192.0.2.7:80"), TCPFlags: FlagSYN},
	{Proto: TCP, Src: netip.MustParseAddrPort("[2001:db8::1]:5555"), Dst: netip.MustParseAddrPort("[2001:db8::2]:21"), TCPFlags: FlagSYN | FlagACK},
	{Proto: UDP, Src: netip.MustParseAddrPort("10.1.2.3:5353"), Dst: netip.MustParseAddrPort("224.0.0.251:53")},
	{Proto: UDP, Src: netip.MustParseAddrPort("[fe80::1]:546"), Dst: netip.MustParseAddrPort("[ff02::1:2]:547")},
	{Proto: SCTP, Src: netip.MustParseAddrPort("10.0.0.9:2905"), Dst: netip.MustParseAddrPort("10.0.0.10:2905")},
	{Proto: ICMP, Src: netip.MustParseAddrPort("10.0.0.1:0"), Dst: netip.MustParseAddrPort("10.0.0.2:0"), ICMPType: 8},
	{Proto: ICMPv6, Src: netip.MustParseAddrPort("[2001:db8::1]:0"), Dst: netip.MustParseAddrPort("[2001:db8::2]:0"), ICMPType: 128},
	{Proto: TCP, Src: netip.MustParseAddrPort("10.0.0.1:1234"), Dst: netip.MustParseAddrPort("10.0.0.2:21"), VLAN: 42,
		SrcMAC: net.HardwareAddr{0, 0x11, 0x22, 0x33, 0x44, 0x55}, DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	{Proto: UDP, Src: netip.MustParseAddrPort("[2001:db8::9]:123"), Dst: netip.MustParseAddrPort("[2001:db8::a]:123"), VLAN: 7},
}

var flowExprs = []string{
	"tcp dst port 21", "tcp port 21 or udp port 53", "host 127.0.0.1", "src net 10.0.0.0/8", "dst host 2001:db8::2",
	"ip6 and tcp", "udp and dst portrange 500-600", "sctp", "icmp[icmptype] = icmp-echo", "icmp6 and ip6[40] = 128",
	"tcp[tcpflags] & tcp-syn != 0", "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn|tcp-ack", "vlan 42 and tcp dst port 21",
	"vlan and udp port 123", "ether host 00:11:22:33:44:55", "ether broadcast", "multicast", "ip multicast",
	"greater 60", "less 80", "len >= 70", "not tcp", "port 53 and not src host 10.1.2.3", "ip[8] = 64", "ip6[7] = 64",
	"tcp[4:4] = 1 and tcp[14:2] = 0xffff", "udp[4:2] = 8", "tcp src port 3345 and tcp dst port 21",
}

// TestMatchFlowEqualsRealPacket: the headless verdict equals the verdict on
// a packet serialized by gopacket with the same fields, on Ethernet.
func TestMatchFlowEqualsRealPacket(t *testing.T) {
	payloads := [][]byte{nil, []byte("USER anonymous\r\n")}
	matched := 0
	for _, expr := range flowExprs {
		prog, err := Compile(expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			t.Fatalf("%q: %v", expr, err)
		}
		for i, f := range flowCases {
			for _, pl := range payloads {
				real := realPacket(t, f, pl)
				want := prog.Matches(gopacket.CaptureInfo{}, real)
				if got := prog.MatchFlow(f, pl); got != want {
					t.Errorf("%q on flow %d (%v %v > %v, %d payload bytes): MatchFlow %v, real packet %v", expr, i, f.Proto, f.Src, f.Dst, len(pl), got, want)
				}
				if want {
					matched++
				}
			}
		}
	}
	if matched == 0 || matched == len(flowExprs)*len(flowCases)*len(payloads) {
		t.Fatalf("%d matches: the table does not discriminate", matched)
	}
}

// TestAppendFlowPacketBytes: for Ethernet the built bytes are exactly
// gopacket's (checksums included), except the SCTP checksum we leave 0.
func TestAppendFlowPacketBytes(t *testing.T) {
	for i, f := range flowCases {
		if f.Proto == SCTP {
			continue
		}
		got, err := AppendFlowPacket(nil, layers.LinkTypeEthernet, f, []byte("xyz"))
		if err != nil {
			t.Fatal(err)
		}
		if want := realPacket(t, f, []byte("xyz")); string(got) != string(want) {
			t.Errorf("flow %d (%v %v > %v):\n got % x\nwant % x", i, f.Proto, f.Src, f.Dst, got, want)
		}
	}
}

// TestMatchFlowLinkTypes: on each supported link type, the typical
// expressions give the same verdict as on Ethernet.
func TestMatchFlowLinkTypes(t *testing.T) {
	for _, lt := range []layers.LinkType{layers.LinkTypeRaw, layers.LinkTypeLinuxSLL, 276, layers.LinkTypeLoop} {
		for _, expr := range []string{"tcp dst port 21", "ip6 and tcp", "udp port 53", "host 10.0.0.2", "icmp6"} {
			eth := MustCompile(expr, layers.LinkTypeEthernet, 65535)
			prog, err := Compile(expr, lt, 65535)
			if err != nil {
				t.Fatalf("%v %q: %v", lt, expr, err)
			}
			for i, f := range flowCases {
				if f.VLAN != 0 {
					continue
				}
				if got, want := prog.MatchFlow(f, nil), eth.MatchFlow(f, nil); got != want {
					t.Errorf("%v %q flow %d: %v, Ethernet says %v", lt, expr, i, got, want)
				}
			}
		}
	}
}

func TestAppendFlowPacketErrors(t *testing.T) {
	v4 := netip.MustParseAddrPort("10.0.0.1:1")
	v6 := netip.MustParseAddrPort("[::1]:1")
	tests := []struct {
		name string
		lt   layers.LinkType
		f    Flow
	}{
		{"mixed families", layers.LinkTypeEthernet, Flow{Proto: TCP, Src: v4, Dst: v6}},
		{"no addresses", layers.LinkTypeEthernet, Flow{Proto: TCP}},
		{"unknown proto", layers.LinkTypeEthernet, Flow{Proto: 99, Src: v4, Dst: v4}},
		{"icmp over v6", layers.LinkTypeEthernet, Flow{Proto: ICMP, Src: v6, Dst: v6}},
		{"icmp6 over v4", layers.LinkTypeEthernet, Flow{Proto: ICMPv6, Src: v4, Dst: v4}},
		{"ipv4 link with v6", layers.LinkTypeIPv4, Flow{Proto: TCP, Src: v6, Dst: v6}},
		{"unsupported link", layers.LinkTypeFDDI, Flow{Proto: TCP, Src: v4, Dst: v4}},
	}
	for _, tc := range tests {
		if _, err := AppendFlowPacket(nil, tc.lt, tc.f, nil); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if MustCompile("tcp", layers.LinkTypeEthernet, 100).MatchFlow(tests[0].f, nil) {
		t.Errorf("an invalid flow matched")
	}
}

func TestMatchFlowNoAllocsConcurrent(t *testing.T) {
	prog := MustCompile("tcp dst port 21", layers.LinkTypeEthernet, 65535)
	f := flowCases[0]
	payload := []byte("USER anonymous\r\n")
	prog.MatchFlow(f, payload)
	if a := testing.AllocsPerRun(200, func() { prog.MatchFlow(f, payload) }); a != 0 && !raceEnabled {
		t.Errorf("%v allocs per MatchFlow, want 0", a)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				f := f
				f.Dst = netip.AddrPortFrom(f.Dst.Addr(), uint16(20+(g+i)%2))
				if got, want := prog.MatchFlow(f, payload), f.Dst.Port() == 21; got != want {
					panic(fmt.Sprintf("goroutine %d: port %d: %v", g, f.Dst.Port(), got))
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkMatchFlow(b *testing.B) {
	prog := MustCompile("tcp dst port 21", layers.LinkTypeEthernet, 65535)
	f := flowCases[0]
	payload := []byte("USER anonymous\r\n")
	b.ReportAllocs()
	for b.Loop() {
		prog.MatchFlow(f, payload)
	}
}
