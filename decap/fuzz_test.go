package decap

import (
	"testing"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// FuzzStrip checks, for any bytes and outer link type: no panic; the inner
// capture length is len(inner) and never above the inner wire length;
// inner is a sub-slice of the input (or of the Decapsulator's buffer when
// an Ethernet header was built); each tunnel's offsets lie inside the data;
// a nil error with no tunnels means the input came back unchanged.
func FuzzStrip(f *testing.F) {
	for _, tc := range stripCases(f) {
		f.Add(uint16(tc.link), tc.data, uint16(len(tc.data)), uint8(0))
		f.Add(uint16(tc.link), tc.data, uint16(len(tc.data)/2), uint8(1))
	}
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeLinuxSLL,
		layers.LinkTypeLinuxSLL2, layers.LinkTypeNull, layers.LinkTypeLoop, layers.LinkTypeIPv4, layers.LinkTypeIPv6}
	f.Fuzz(func(t *testing.T, link uint16, data []byte, snap uint16, mode uint8) {
		lt := links[int(link)%len(links)]
		cfg := &Config{InnerIP: InnerIP(mode & 1), Depth: int(mode>>1) % (MaxDepth + 1)}
		d, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		wire := len(data)
		if int(snap) < len(data) {
			data = data[:snap]
		}
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: wire}
		inner, ici, innerLink, tunnels, err := d.Strip(lt, data, ci)
		if ici.CaptureLength != len(inner) {
			t.Fatalf("CaptureLength %d != len(inner) %d", ici.CaptureLength, len(inner))
		}
		if ici.CaptureLength > ici.Length {
			t.Fatalf("CaptureLength %d > Length %d", ici.CaptureLength, ici.Length)
		}
		if len(tunnels) > cfg.Depth && cfg.Depth != 0 {
			t.Fatalf("%d tunnels stripped with depth %d", len(tunnels), cfg.Depth)
		}
		if len(tunnels) == 0 {
			if unsafe.SliceData(inner) != unsafe.SliceData(data) || len(inner) != len(data) || innerLink != lt || ici.Length != ci.Length {
				t.Fatalf("nothing stripped (err %v) but the packet changed", err)
			}
			return
		}
		if !within(inner, data) && !within(inner, d.buf) {
			t.Fatalf("inner is neither in the input nor in the decapsulator's buffer")
		}
		for _, tn := range tunnels {
			if tn.Offset < 0 || tn.InnerOffset <= tn.Offset || tn.InnerOffset >= len(data) {
				t.Fatalf("tunnel %+v offsets outside the data (len %d)", tn, len(data))
			}
		}
	})
}

// within reports whether s lies inside the memory of b.
func within(s, b []byte) bool {
	if len(s) == 0 {
		return true
	}
	if cap(b) == 0 {
		return false
	}
	sp := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	bp := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return sp >= bp && sp+uintptr(len(s)) <= bp+uintptr(cap(b))
}

func TestStripDoesNotAllocate(t *testing.T) {
	for _, mode := range []InnerIP{InnerRaw, InnerEthernet} {
		d, _ := New(&Config{InnerIP: mode})
		for _, tc := range stripCases(t) {
			ci := gopacket.CaptureInfo{CaptureLength: len(tc.data), Length: len(tc.data)}
			d.Strip(tc.link, tc.data, ci) // grow the Ethernet buffer once
			allocs := testing.AllocsPerRun(100, func() { d.Strip(tc.link, tc.data, ci) })
			if allocs != 0 {
				t.Errorf("mode %d, %s: %v allocations per Strip", mode, tc.name, allocs)
			}
		}
	}
}

func BenchmarkStrip(b *testing.B) {
	all := stripCases(b)
	pick := map[string]bool{
		"plain UDP is not a tunnel":                  true,
		"ERSPAN II to Ethernet with session id":      true,
		"VXLAN over IPv4":                            true,
		"nested VXLAN then GRE to the innermost":     true,
		"GRE with checksum key and sequence to IPv4": true,
	}
	for _, tc := range all {
		if !pick[tc.name] {
			continue
		}
		b.Run(tc.name, func(b *testing.B) {
			d, _ := New(nil)
			ci := gopacket.CaptureInfo{CaptureLength: len(tc.data), Length: len(tc.data)}
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for b.Loop() {
				d.Strip(tc.link, tc.data, ci)
			}
		})
	}
}
