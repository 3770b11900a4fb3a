package linklayer

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

func TestNetwork(t *testing.T) {
	ip4 := []byte{0x45, 0, 0, 20}
	ip6 := []byte{0x60, 0, 0, 0}
	eth := func(tags ...uint16) []byte {
		b := make([]byte, 12)
		for _, tag := range tags {
			b = append(b, byte(tag>>8), byte(tag), 0, 1)
		}
		return append(append(b, 0x08, 0x00), ip4...)
	}
	cases := []struct {
		name string
		lt   layers.LinkType
		data []byte
		off  int
		et   uint16
		ok   bool
	}{
		{"Ethernet IPv4", layers.LinkTypeEthernet, eth(), 14, EtherTypeIPv4, true},
		{"Ethernet with one 802.1Q tag", layers.LinkTypeEthernet, eth(0x8100), 18, EtherTypeIPv4, true},
		{"Ethernet QinQ", layers.LinkTypeEthernet, eth(0x88a8, 0x8100), 22, EtherTypeIPv4, true},
		{"Ethernet with nine tags is refused", layers.LinkTypeEthernet, eth(0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x8100), 0, 0, false},
		{"Ethernet tag cut short is refused", layers.LinkTypeEthernet, eth(0x8100)[:15], 0, 0, false},
		{"802.3 length field is refused", layers.LinkTypeEthernet, append(make([]byte, 12), 0x00, 0x40, 0xaa), 0, 0, false},
		{"short Ethernet is refused", layers.LinkTypeEthernet, make([]byte, 13), 0, 0, false},
		{"raw IPv4", layers.LinkTypeRaw, ip4, 0, EtherTypeIPv4, true},
		{"raw IPv6", layers.LinkTypeIPv6, ip6, 0, EtherTypeIPv6, true},
		{"raw with version 5 is refused", layers.LinkTypeRaw, []byte{0x50}, 0, 0, false},
		{"raw empty is refused", layers.LinkTypeRaw, nil, 0, 0, false},
		{"SLL", layers.LinkTypeLinuxSLL, append(make([]byte, 14), 0x86, 0xdd), 16, EtherTypeIPv6, true},
		{"SLL2", layers.LinkTypeLinuxSLL2, append([]byte{0x08, 0}, make([]byte, 18)...), 20, EtherTypeIPv4, true},
		{"SLL cut short is refused", layers.LinkTypeLinuxSLL, make([]byte, 15), 0, 0, false},
		{"NULL little-endian IPv4", layers.LinkTypeNull, []byte{2, 0, 0, 0}, 4, EtherTypeIPv4, true},
		{"NULL big-endian IPv6 (Darwin)", layers.LinkTypeNull, []byte{0, 0, 0, 30}, 4, EtherTypeIPv6, true},
		{"LOOP IPv6 (FreeBSD)", layers.LinkTypeLoop, []byte{0, 0, 0, 28}, 4, EtherTypeIPv6, true},
		{"NULL with a middle byte set is refused", layers.LinkTypeNull, []byte{2, 1, 0, 0}, 0, 0, false},
		{"NULL with unknown family is refused", layers.LinkTypeNull, []byte{7, 0, 0, 0}, 0, 0, false},
		{"unknown link type", layers.LinkTypeIEEE802_11, eth(), 0, 0, false},
	}
	for _, tc := range cases {
		off, et, ok := Network(tc.lt, tc.data)
		if off != tc.off || et != tc.et || ok != tc.ok {
			t.Errorf("%s: Network = %d, %#x, %v; want %d, %#x, %v", tc.name, off, et, ok, tc.off, tc.et, tc.ok)
		}
	}
}
