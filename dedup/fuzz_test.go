package dedup

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// FuzzDuplicate checks, for any bytes and link type: no panic; a fresh
// Deduper never calls the first packet a duplicate; a second identical
// packet is one whenever the first was compared; and for an IPv4 packet a
// copy with another TTL and checksum is one too.
func FuzzDuplicate(f *testing.F) {
	f.Add(uint8(0), pkt4(f, macA, macB, 64, 0, "seed"), false)
	f.Add(uint8(0), pkt6(f, 1, "seed six"), true)
	f.Add(uint8(0), arp(f), true)
	f.Add(uint8(1), pkt4(f, macA, macB, 64, 0, "seed")[14:], false)
	f.Add(uint8(2), append([]byte{2, 0, 0, 0}, pkt6(f, 1, "null")[14:]...), false)
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeNull,
		layers.LinkTypeLoop, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeIEEE802_11}
	f.Fuzz(func(t *testing.T, link uint8, data []byte, nonIP bool) {
		lt := links[int(link)%len(links)]
		d, err := New(&Config{MaxEntries: 64, NonIP: nonIP})
		if err != nil {
			t.Fatal(err)
		}
		ci := gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(data), Length: len(data)}
		if d.Duplicate(lt, data, ci) {
			t.Fatal("first packet called a duplicate")
		}
		compared := d.Stats().Skipped == 0
		if got := d.Duplicate(lt, data, ci); got != compared {
			t.Fatalf("identical second packet: duplicate = %v, compared = %v", got, compared)
		}
		off, et, ok := linklayer.Network(lt, data)
		if ok && et == linklayer.EtherTypeIPv4 && len(data) >= off+20 && compared && data[off]>>4 == 4 && data[off]&0xf >= 5 {
			c := append([]byte(nil), data...)
			c[off+8]--
			c[off+10] ^= 0x5a
			if !d.Duplicate(lt, c, ci) {
				t.Fatal("copy with another TTL and checksum not called a duplicate")
			}
		}
	})
}
