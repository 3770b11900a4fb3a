package tables

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestParseHeadersCuts checks that a frame cut anywhere gives what its
// whole headers allow and nothing invented: ports only when the transport
// header's first four bytes are there, flags only with TCP's fourteen.
func TestParseHeadersCuts(t *testing.T) {
	frame := []byte{
		// Ethernet with an 802.1Q tag (VLAN 5), IPv4
		0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x81, 0x00, 0x00, 0x05, 0x08, 0x00,
		// IPv4: 20 bytes, TCP, 10.0.0.1 > 10.0.0.2
		0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		// TCP 1234 > 80, flags SYN
		0x04, 0xd2, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0,
	}
	const ipAt, tcpAt = 18, 38
	for cut := 0; cut <= len(frame); cut++ {
		var h headers
		parseHeaders(layers.LinkTypeEthernet, frame[:cut], &h)
		wantIP := cut >= ipAt+20
		if h.src.IsValid() != wantIP || h.hasProto != wantIP {
			t.Errorf("cut at %d: address %v, protocol %v; want both %v", cut, h.src, h.hasProto, wantIP)
		}
		if want := cut >= tcpAt+4; h.hasPorts != want || want && (h.sport != 1234 || h.dport != 80) {
			t.Errorf("cut at %d: ports %v %d>%d, want %v 1234>80", cut, h.hasPorts, h.sport, h.dport, want)
		}
		if want := cut >= tcpAt+14; h.hasFlags != want || want && h.tcpFlags != 2 {
			t.Errorf("cut at %d: flags %v %#x, want %v 0x02", cut, h.hasFlags, h.tcpFlags, want)
		}
		if want := cut >= ipAt; h.hasVLAN != want || want && h.vlan != 5 {
			t.Errorf("cut at %d: vlan %v %d, want %v 5", cut, h.hasVLAN, h.vlan, want)
		}
	}
	// A later fragment has no ports.
	frag := append([]byte(nil), frame...)
	frag[ipAt+6], frag[ipAt+7] = 0, 10
	var h headers
	parseHeaders(layers.LinkTypeEthernet, frag, &h)
	if h.hasPorts || !h.hasProto {
		t.Errorf("IPv4 fragment at offset 80: ports %v protocol %v, want no ports and the protocol", h.hasPorts, h.hasProto)
	}
}

// FuzzParseHeaders checks that any bytes on any link type neither panic
// nor give facts that contradict each other.
func FuzzParseHeaders(f *testing.F) {
	f.Add(uint8(1), []byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 0, 64})
	f.Add(uint8(101), []byte{0x60, 0, 0, 0, 0, 16, 44, 64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 0, 1, 0, 0, 0, 0, 0, 53, 0, 53})
	f.Add(uint8(113), make([]byte, 40))
	f.Add(uint8(0), []byte{2, 0, 0, 0, 0x45, 0, 0, 20})
	f.Fuzz(func(t *testing.T, lt uint8, data []byte) {
		var h headers
		parseHeaders(layers.LinkType(lt), data, &h)
		if h.hasPorts && !h.hasProto || h.hasFlags && h.proto != 6 || h.src.IsValid() != h.dst.IsValid() || h.hasProto && !h.src.IsValid() {
			t.Fatalf("contradicting facts: %+v", h)
		}
	})
}
