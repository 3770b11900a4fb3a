package decap

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

type stripCase struct {
	name      string
	cfg       *Config
	link      layers.LinkType
	data      []byte
	wire      int // ci.Length; 0 means len(data)
	want      []byte
	wantLink  layers.LinkType
	wantWire  int // expected innerCI.Length; 0 means len(want)
	kinds     []Kind
	ids       []uint32 // expected IDs (only checked when non-nil)
	wantErr   error
	truncated bool
}

func stripCases(tb testing.TB) []stripCase {
	in4, in6, inEth := innerIP4(tb), innerIP6(tb), innerEth(tb)
	plain := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolUDP), udp(53), payload)

	greKey := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4, ChecksumPresent: true, KeyPresent: true, Key: 0x01020304, SeqPresent: true, Seq: 9}, in4)
	erspan2 := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeERSPAN, SeqPresent: true, Seq: 1},
		cat(ser(tb, &layers.ERSPANII{Version: 1, SessionID: 0x155, Index: 7}), inEth))
	erspan2T := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeERSPAN, SeqPresent: true, Seq: 1},
		cat(ser(tb, &layers.ERSPANII{Version: 1, SessionID: 3, IsTruncated: true}), inEth))
	erspan1 := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeERSPAN}, inEth)
	erspan3Eth := greOverIP4(tb, &layers.GRE{Protocol: 0x22eb, SeqPresent: true, Seq: 5}, cat(erspan3(0x2aa, 0, false), inEth))
	erspan3O := greOverIP4(tb, &layers.GRE{Protocol: 0x22eb, SeqPresent: true, Seq: 5}, cat(erspan3(1, 0, true), inEth))
	erspan3IP := greOverIP4(tb, &layers.GRE{Protocol: 0x22eb, SeqPresent: true, Seq: 5}, cat(erspan3(1, 2, false), in6))

	vx := vxlanOverIP4(tb, 4242, inEth)
	vx6 := ser(tb, eth(layers.EthernetTypeIPv6), ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP), udp(4789),
		&layers.VXLAN{ValidIDFlag: true, VNI: 77}, gopacket.Payload(inEth))
	gnv := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolUDP), udp(6081),
		&layers.Geneve{Protocol: layers.EthernetTypeTransparentEthernetBridging, VNI: 0xabcdef,
			Options: []*layers.GeneveOption{{Class: 0x0102, Type: 3, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}}}}, gopacket.Payload(inEth))
	gnvIP := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolUDP), udp(6081),
		&layers.Geneve{Protocol: layers.EthernetTypeIPv4, VNI: 9}, gopacket.Payload(in4))

	ipip := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolIPv4), gopacket.Payload(in4))
	sixin4 := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolIPv6), gopacket.Payload(in6))
	sixin6 := ser(tb, eth(layers.EthernetTypeIPv6), ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6), gopacket.Payload(in6))
	fourin6 := ser(tb, eth(layers.EthernetTypeIPv6), ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv4), gopacket.Payload(in4))
	// IPv6 with a destination-options header before GRE.
	dstopt := []byte{byte(layers.IPProtocolGRE), 0, 1, 4, 0, 0, 0, 0}
	greExt6 := ser(tb, eth(layers.EthernetTypeIPv6), ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6Destination),
		gopacket.Payload(cat(dstopt, ser(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4}), in4)))

	// Outer link types other than plain Ethernet.
	greRaw := ser(tb, ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(in4))
	qinq := ser(tb, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeQinQ},
		&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q}, &layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeIPv4},
		ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeTransparentEthernetBridging}, gopacket.Payload(inEth))
	sll := cat([]byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0, 0x08, 0x00}, greRaw)
	sll2 := cat([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0xa, 0, 0}, greRaw)
	null := cat([]byte{2, 0, 0, 0}, greRaw)
	loop := cat([]byte{0, 0, 0, 2}, greRaw)

	// Nesting: VXLAN whose inner frame carries GRE carrying IPv4.
	greInEth := ser(tb, &layers.Ethernet{SrcMAC: macC, DstMAC: macD, EthernetType: layers.EthernetTypeIPv4},
		ip4("172.16.0.1", "172.16.0.2", layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(in4))
	nested := vxlanOverIP4(tb, 1, greInEth)

	// The outer frame padded after the IP packet, as on a short frame.
	padded := cat(ipip, make([]byte, 30))
	// Captured with a snap length: the inner packet is cut.
	cut := erspan2[:len(erspan2)-10]

	// Malformed tunnels.
	greV1 := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4, Version: 1}, in4)
	greRoute := append([]byte(nil), greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4}, in4)...)
	greRoute[34] |= 0x40
	grePPP := greOverIP4(tb, &layers.GRE{Protocol: 0x880b}, in4)
	greShort := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4, KeyPresent: true, Key: 1}, nil)[:40]
	greWrongVer := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeIPv4}, in6)
	erspan2Ver := greOverIP4(tb, &layers.GRE{Protocol: layers.EthernetTypeERSPAN, SeqPresent: true},
		cat(ser(tb, &layers.ERSPANII{Version: 2, SessionID: 1}), inEth))
	erspan3FT := greOverIP4(tb, &layers.GRE{Protocol: 0x22eb, SeqPresent: true}, cat(erspan3(1, 5, false), inEth))
	vxNoI := ser(tb, eth(layers.EthernetTypeIPv4), ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolUDP), udp(4789),
		&layers.VXLAN{VNI: 1}, gopacket.Payload(inEth))
	gnvShort := gnv[:14+20+8+10]
	frag := append([]byte(nil), greKey...)
	frag[14+6] = 0x20 // MF
	vxEmpty := vxlanOverIP4(tb, 1, nil)

	ci := func(d []byte) int { return len(d) }
	_ = ci
	return []stripCase{
		{name: "plain UDP is not a tunnel", link: layers.LinkTypeEthernet, data: plain, want: plain, wantLink: layers.LinkTypeEthernet},
		{name: "GRE with checksum key and sequence to IPv4", link: layers.LinkTypeEthernet, data: greKey, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}, ids: []uint32{0x01020304}},
		{name: "ERSPAN II to Ethernet with session id", link: layers.LinkTypeEthernet, data: erspan2, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANII}, ids: []uint32{0x155}},
		{name: "ERSPAN II T flag reported", link: layers.LinkTypeEthernet, data: erspan2T, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANII}, truncated: true},
		{name: "ERSPAN I is GRE 0x88be without sequence", link: layers.LinkTypeEthernet, data: erspan1, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANI}},
		{name: "ERSPAN III Ethernet", link: layers.LinkTypeEthernet, data: erspan3Eth, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANIII}, ids: []uint32{0x2aa}},
		{name: "ERSPAN III with platform subheader", link: layers.LinkTypeEthernet, data: erspan3O, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANIII}},
		{name: "ERSPAN III frame type IP", link: layers.LinkTypeEthernet, data: erspan3IP, want: in6, wantLink: layers.LinkTypeRaw, kinds: []Kind{ERSPANIII}},
		{name: "VXLAN over IPv4", link: layers.LinkTypeEthernet, data: vx, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{VXLAN}, ids: []uint32{4242}},
		{name: "VXLAN over IPv6", link: layers.LinkTypeEthernet, data: vx6, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{VXLAN}, ids: []uint32{77}},
		{name: "VXLAN on another port is not stripped by default", link: layers.LinkTypeEthernet, data: vx, cfg: &Config{VXLANPort: 8472}, want: vx, wantLink: layers.LinkTypeEthernet},
		{name: "Geneve with options to Ethernet", link: layers.LinkTypeEthernet, data: gnv, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{Geneve}, ids: []uint32{0xabcdef}},
		{name: "Geneve to IPv4", link: layers.LinkTypeEthernet, data: gnvIP, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{Geneve}, ids: []uint32{9}},
		{name: "IPv4 in IPv4", link: layers.LinkTypeEthernet, data: ipip, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{IPIP}},
		{name: "IPv6 in IPv4", link: layers.LinkTypeEthernet, data: sixin4, want: in6, wantLink: layers.LinkTypeRaw, kinds: []Kind{IP6IP}},
		{name: "IPv6 in IPv6", link: layers.LinkTypeEthernet, data: sixin6, want: in6, wantLink: layers.LinkTypeRaw, kinds: []Kind{IP6IP}},
		{name: "IPv4 in IPv6", link: layers.LinkTypeEthernet, data: fourin6, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{IPIP}},
		{name: "GRE after IPv6 destination options", link: layers.LinkTypeEthernet, data: greExt6, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "outer raw IP", link: layers.LinkTypeRaw, data: greRaw, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "outer QinQ tags", link: layers.LinkTypeEthernet, data: qinq, want: inEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{GRE}},
		{name: "outer Linux cooked v1", link: layers.LinkTypeLinuxSLL, data: sll, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "outer Linux cooked v2", link: layers.LinkTypeLinuxSLL2, data: sll2, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "outer BSD null", link: layers.LinkTypeNull, data: null, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "outer BSD loop", link: layers.LinkTypeLoop, data: loop, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{GRE}},
		{name: "nested VXLAN then GRE to the innermost", link: layers.LinkTypeEthernet, data: nested, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{VXLAN, GRE}, ids: []uint32{1, 0}},
		{name: "nested with depth 1 stops after VXLAN", cfg: &Config{Depth: 1}, link: layers.LinkTypeEthernet, data: nested, want: greInEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{VXLAN}},
		{name: "nested with GRE not in the kinds stops after VXLAN", cfg: &Config{Kinds: KindsOf(VXLAN)}, link: layers.LinkTypeEthernet, data: nested, want: greInEth, wantLink: layers.LinkTypeEthernet, kinds: []Kind{VXLAN}},
		{name: "kinds without VXLAN leave the packet", cfg: &Config{Kinds: KindsOf(GRE)}, link: layers.LinkTypeEthernet, data: nested, want: nested, wantLink: layers.LinkTypeEthernet},
		{name: "Ethernet padding after the carrier is not inner data", link: layers.LinkTypeEthernet, data: padded, want: in4, wantLink: layers.LinkTypeRaw, kinds: []Kind{IPIP}},
		{name: "snap length cut keeps the inner wire length", link: layers.LinkTypeEthernet, data: cut, wire: len(erspan2), want: inEth[:len(inEth)-10], wantWire: len(inEth), wantLink: layers.LinkTypeEthernet, kinds: []Kind{ERSPANII}},

		{name: "GRE version 1 is unsupported", link: layers.LinkTypeEthernet, data: greV1, want: greV1, wantLink: layers.LinkTypeEthernet, wantErr: ErrUnsupported},
		{name: "GRE routing is unsupported", link: layers.LinkTypeEthernet, data: greRoute, want: greRoute, wantLink: layers.LinkTypeEthernet, wantErr: ErrUnsupported},
		{name: "GRE carrying PPP is unsupported", link: layers.LinkTypeEthernet, data: grePPP, want: grePPP, wantLink: layers.LinkTypeEthernet, wantErr: ErrUnsupported},
		{name: "GRE key cut by the capture", link: layers.LinkTypeEthernet, data: greShort, wire: 100, want: greShort, wantWire: 100, wantLink: layers.LinkTypeEthernet, wantErr: ErrTruncated},
		{name: "GRE IPv4 type carrying IPv6 is malformed", link: layers.LinkTypeEthernet, data: greWrongVer, want: greWrongVer, wantLink: layers.LinkTypeEthernet, wantErr: ErrMalformed},
		{name: "ERSPAN II version 2 is malformed", link: layers.LinkTypeEthernet, data: erspan2Ver, want: erspan2Ver, wantLink: layers.LinkTypeEthernet, wantErr: ErrMalformed},
		{name: "ERSPAN III frame type 5 is unsupported", link: layers.LinkTypeEthernet, data: erspan3FT, want: erspan3FT, wantLink: layers.LinkTypeEthernet, wantErr: ErrUnsupported},
		{name: "VXLAN without I flag is malformed", link: layers.LinkTypeEthernet, data: vxNoI, want: vxNoI, wantLink: layers.LinkTypeEthernet, wantErr: ErrMalformed},
		{name: "Geneve options cut by the capture", link: layers.LinkTypeEthernet, data: gnvShort, wire: len(gnv), want: gnvShort, wantWire: len(gnv), wantLink: layers.LinkTypeEthernet, wantErr: ErrTruncated},
		{name: "GRE in an IPv4 fragment", link: layers.LinkTypeEthernet, data: frag, want: frag, wantLink: layers.LinkTypeEthernet, wantErr: ErrFragmented},
		{name: "VXLAN with nothing inside", link: layers.LinkTypeEthernet, data: vxEmpty, want: vxEmpty, wantLink: layers.LinkTypeEthernet, wantErr: ErrMalformed},
		{name: "nested: outer stripped, inner GRE version 1 reported", link: layers.LinkTypeEthernet,
			data: vxlanOverIP4(tb, 5, cat(eth(0).SrcMAC, eth(0).DstMAC, []byte{8, 0}, greV1[14:])),
			want: cat(eth(0).SrcMAC, eth(0).DstMAC, []byte{8, 0}, greV1[14:]), wantLink: layers.LinkTypeEthernet, kinds: []Kind{VXLAN}, wantErr: ErrUnsupported},
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range stripCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			wire := tc.wire
			if wire == 0 {
				wire = len(tc.data)
			}
			ci := gopacket.CaptureInfo{CaptureLength: len(tc.data), Length: wire, InterfaceIndex: 3}
			inner, ici, link, tunnels, err := d.Strip(tc.link, tc.data, ci)
			if tc.wantErr == nil && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			if !bytes.Equal(inner, tc.want) {
				t.Fatalf("inner =\n%x\nwant\n%x", inner, tc.want)
			}
			if link != tc.wantLink {
				t.Errorf("link = %v, want %v", link, tc.wantLink)
			}
			wantWire := tc.wantWire
			if wantWire == 0 {
				wantWire = len(tc.want)
			}
			if ici.CaptureLength != len(inner) || ici.Length != wantWire || ici.InterfaceIndex != 3 {
				t.Errorf("inner CaptureInfo = caplen %d length %d if %d, want %d %d 3", ici.CaptureLength, ici.Length, ici.InterfaceIndex, len(inner), wantWire)
			}
			if len(tunnels) != len(tc.kinds) {
				t.Fatalf("tunnels = %+v, want kinds %v", tunnels, tc.kinds)
			}
			for i, k := range tc.kinds {
				if tunnels[i].Kind != k {
					t.Errorf("tunnel %d kind = %v, want %v", i, tunnels[i].Kind, k)
				}
				if tc.ids != nil && tunnels[i].ID != tc.ids[i] {
					t.Errorf("tunnel %d id = %#x, want %#x", i, tunnels[i].ID, tc.ids[i])
				}
				if !tunnels[i].Src.IsValid() || !tunnels[i].Dst.IsValid() {
					t.Errorf("tunnel %d has no outer addresses", i)
				}
			}
			if tc.truncated && !tunnels[0].Truncated {
				t.Errorf("ERSPAN T flag not reported")
			}
		})
	}
}

func TestStripOuterAddressesAndOffsets(t *testing.T) {
	data := greOverIP4(t, &layers.GRE{Protocol: layers.EthernetTypeIPv4}, innerIP4(t))
	d, _ := New(nil)
	_, _, _, tunnels, err := d.Strip(layers.LinkTypeEthernet, data, gopacket.CaptureInfo{Length: len(data)})
	if err != nil || len(tunnels) != 1 {
		t.Fatalf("tunnels %v err %v", tunnels, err)
	}
	want := Tunnel{Kind: GRE, Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.2"), Offset: 14, InnerOffset: 38}
	if tunnels[0] != want {
		t.Errorf("tunnel = %+v, want %+v", tunnels[0], want)
	}
}

func TestStripInnerEthernet(t *testing.T) {
	in4 := innerIP4(t)
	cases := []struct {
		name    string
		link    layers.LinkType
		data    []byte
		wantMAC []byte
	}{
		{"MACs from the outer frame", layers.LinkTypeEthernet, greOverIP4(t, &layers.GRE{Protocol: layers.EthernetTypeIPv4}, in4), cat(macB, macA)},
		{"zero MACs with no outer Ethernet", layers.LinkTypeRaw,
			ser(t, ip4("192.0.2.1", "192.0.2.2", layers.IPProtocolIPv4), gopacket.Payload(in4)), make([]byte, 12)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := New(&Config{InnerIP: InnerEthernet})
			inner, ci, link, _, err := d.Strip(tc.link, tc.data, gopacket.CaptureInfo{Length: len(tc.data)})
			if err != nil {
				t.Fatal(err)
			}
			want := cat(tc.wantMAC, []byte{8, 0}, in4)
			if link != layers.LinkTypeEthernet || !bytes.Equal(inner, want) || ci.CaptureLength != len(want) || ci.Length != len(want) {
				t.Fatalf("got link %v caplen %d len %d\n%x\nwant\n%x", link, ci.CaptureLength, ci.Length, inner, want)
			}
			p := gopacket.NewPacket(inner, layers.LayerTypeEthernet, gopacket.Default)
			if p.ErrorLayer() != nil || p.Layer(layers.LayerTypeUDP) == nil {
				t.Errorf("built frame does not decode: %v", p)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"negative depth", Config{Depth: -1}},
		{"depth above MaxDepth", Config{Depth: MaxDepth + 1}},
		{"unknown kind bits", Config{Kinds: 1 << 15}},
		{"unknown inner IP mode", Config{InnerIP: 9}},
	} {
		if _, err := New(&tc.cfg); err == nil {
			t.Errorf("%s: New accepted %+v", tc.name, tc.cfg)
		}
	}
}

func TestKindNames(t *testing.T) {
	for k := Kind(1); k < numKinds; k++ {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseKind("mpls"); err == nil {
		t.Error("ParseKind accepted mpls")
	}
}

func TestTunnelJSON(t *testing.T) {
	in := Tunnel{Kind: VXLAN, HasID: true, ID: 42, Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("2001:db8::2"), Offset: 14, InnerOffset: 50}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Kind":"vxlan","HasID":true,"Truncated":false,"ID":42,"Src":"192.0.2.1","Dst":"2001:db8::2","Offset":14,"InnerOffset":50}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var out Tunnel
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v", out, err)
	}
	if _, err := json.Marshal(Tunnel{}); err == nil {
		t.Error("a zero Kind marshalled")
	}
}
