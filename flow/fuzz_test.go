package flow

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// FuzzPacket feeds any bytes, as any of the link types the table reads,
// in one or two packets: no panic, and every keyed packet is counted in
// exactly one record.
func FuzzPacket(f *testing.F) {
	const c, s = false, true
	q := make([]byte, 40)
	seeds := [][]byte{
		tcpFrame(f, seg{c, "S", 100, 0, 0, 0, false}, 40000, 80),
		tcpFrame(f, seg{s, "PA", 501, 201, 100, 0, false}, 40000, 80),
		udpFrame(f, false, false, 40000, 53, q),
		udpFrame(f, true, true, 40000, 5000, q),
		icmpFrame(f, false, 8, 0, 1, 1, 56),
	}
	for _, sd := range appSeeds(f) {
		seeds = append(seeds, sd)
	}
	for _, sd := range seeds {
		f.Add(uint8(0), sd, 0)
		f.Add(uint8(0), sd, len(sd)/2)
		f.Add(uint8(1), sd[14:], 0)
	}
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeLinuxSLL,
		layers.LinkTypeLinuxSLL2, layers.LinkTypeNull, layers.LinkTypeIPv4, layers.LinkTypeIPv6,
		linkCHDLC, linkPPP, linkPPPoE, link80211, linkRadiotap, linkPrism, linkAVS, linkPPI}
	f.Fuzz(func(t *testing.T, link uint8, data []byte, split int) {
		lt := links[int(link)%len(links)]
		var pkts int64
		tab, err := New(&Config{MaxFlows: 1}, func(r *Record) { pkts += r.OrigPkts + r.RespPkts })
		if err != nil {
			t.Fatal(err)
		}
		parts := [][]byte{data}
		if split > 0 && split < len(data) {
			parts = [][]byte{data[:split], data[split:], data}
		}
		for i, p := range parts {
			tab.Packet(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Second), CaptureLength: len(p), Length: len(p)}, p, lt)
		}
		tab.Flush()
		st := tab.Stats()
		if pkts != st.Packets-st.Unkeyed {
			t.Fatalf("records hold %d packets, %d were keyed", pkts, st.Packets-st.Unkeyed)
		}
	})
}
