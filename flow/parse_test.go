package flow

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestLinkTypes checks that a UDP packet is keyed the same behind each
// link header the table reads, and that VLAN tags and MACs are recorded.
func TestLinkTypes(t *testing.T) {
	eth := udpFrame(t, false, false, 40000, 5000, make([]byte, 10))
	ip := eth[14:]
	ip6 := udpFrame(t, true, false, 40000, 5000, make([]byte, 10))[14:]
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tagged := cat(eth[:12], []byte{0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8}, eth[12:])
	cases := []struct {
		name  string
		lt    layers.LinkType
		data  []byte
		want  string
		vlans int
	}{
		{"Ethernet", layers.LinkTypeEthernet, eth, "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"Ethernet QinQ 100/200", layers.LinkTypeEthernet, tagged, "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 2},
		{"raw IPv4", layers.LinkTypeRaw, ip, "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"raw IPv6", layers.LinkTypeRaw, ip6, "udp [2001:db8::1]:40000 > [2001:db8::2]:5000 S0 D", 0},
		{"Linux SLL", layers.LinkTypeLinuxSLL, cat(make([]byte, 14), []byte{8, 0}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"BSD NULL", layers.LinkTypeNull, cat([]byte{2, 0, 0, 0}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"Cisco HDLC", linkCHDLC, cat([]byte{0x0f, 0, 8, 0}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"PPP with address and control", linkPPP, cat([]byte{0xff, 3, 0, 0x21}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"PPP IPv6, no address", linkPPPSerial, cat([]byte{0, 0x57}, ip6), "udp [2001:db8::1]:40000 > [2001:db8::2]:5000 S0 D", 0},
		{"PPPoE session on Ethernet", layers.LinkTypeEthernet, cat(eth[:12], []byte{0x88, 0x64, 0x11, 0, 0, 1, 0, 0, 0, 0x21}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"MPLS two labels on Ethernet", layers.LinkTypeEthernet, cat(eth[:12], []byte{0x88, 0x47, 0, 0x01, 0x00, 0x40, 0, 0x02, 0x01, 0x40}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"802.11 QoS data with LLC/SNAP behind radiotap", linkRadiotap, cat([]byte{0, 0, 8, 0, 0, 0, 0, 0}, []byte{0x88, 0x01}, make([]byte, 22), []byte{0, 0}, []byte{0xaa, 0xaa, 3, 0, 0, 0, 8, 0}, ip), "udp 10.0.0.1:40000 > 10.0.0.2:5000 S0 D", 0},
		{"ARP by MAC pair", layers.LinkTypeEthernet, cat(eth[:12], []byte{8, 6}, make([]byte, 28)), "arp invalid AddrPort > invalid AddrPort OTH ", 0},
	}
	for _, tc := range cases {
		var got []Record
		tab, err := New(nil, func(r *Record) { got = append(got, *r) })
		if err != nil {
			t.Fatal(err)
		}
		tab.Packet(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(tc.data), Length: len(tc.data)}, tc.data, tc.lt)
		tab.Flush()
		if len(got) != 1 {
			t.Errorf("%s: %d records, want 1", tc.name, len(got))
			continue
		}
		if l := recordLine(&got[0]); l != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, l, tc.want)
		}
		if got[0].VLANs != tc.vlans || (tc.vlans == 2 && (got[0].VLAN != 100 || got[0].InnerVLAN != 200)) {
			t.Errorf("%s: VLANs %d (%d, %d), want %d", tc.name, got[0].VLANs, got[0].VLAN, got[0].InnerVLAN, tc.vlans)
		}
		if tc.lt == layers.LinkTypeEthernet && (!got[0].HasMAC || MAC(got[0].OrigMAC) != "02:00:00:00:00:01") {
			t.Errorf("%s: originator MAC %v %s, want 02:00:00:00:00:01", tc.name, got[0].HasMAC, MAC(got[0].OrigMAC))
		}
	}
}

// TestFragments checks that an IPv4 fragment after the first, which has no
// ports, is counted in an address-pair conversation with no TCP state.
func TestFragments(t *testing.T) {
	first := tcpFrame(t, seg{false, "PA", 1, 1, 100, 0, false}, 40000, 80)
	first[14+6] = 0x20 // MF
	later := append([]byte(nil), first...)
	later[14+6], later[14+7] = 0x00, 0x10 // offset 128 bytes, last fragment
	recs := collect(t, nil, [][]byte{first, later})
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (the first fragment's ports, the later fragment's address pair)", len(recs))
	}
	if l := recordLine(&recs[0]); l != "tcp 10.0.0.1:40000 > 10.0.0.2:80 OTH D" {
		t.Errorf("first fragment: %q", l)
	}
	if l := recordLine(&recs[1]); l != "tcp 10.0.0.1:0 > 10.0.0.2:0 OTH " || recs[1].OrigBytes != 120 {
		t.Errorf("later fragment: %q with %d bytes, want no history and its 120 IP payload bytes", l, recs[1].OrigBytes)
	}
}
