package filter

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestLiveDirection checks inbound, outbound and ifindex compiled for a
// live capture (Options.Live): the kernel's packet type and interface
// index, read from the Meta given to MatchesMeta, decide; without Live
// they are refused on Ethernet with libpcap's message; link types whose
// header records the direction keep testing it.
func TestLiveDirection(t *testing.T) {
	eth := make([]byte, 60)
	eth[12], eth[13] = 0x08, 0x00 // IPv4
	in := &Meta{PktType: 0, IfIndex: 3}
	bcast := &Meta{PktType: 1, IfIndex: 3}
	out := &Meta{PktType: PacketOutgoing, IfIndex: 3}
	other := &Meta{PktType: PacketOutgoing, IfIndex: 7}
	for _, tc := range []struct {
		name string
		expr string
		meta *Meta
		want bool
	}{
		{"inbound matches a received packet", "inbound", in, true},
		{"inbound matches a received broadcast", "inbound", bcast, true},
		{"inbound rejects a sent packet", "inbound", out, false},
		{"outbound matches a sent packet", "outbound", out, true},
		{"outbound rejects a received packet", "outbound", in, false},
		{"not outbound is inbound", "not outbound", in, true},
		{"inbound and ip on a received IPv4 packet", "inbound and ip", in, true},
		{"outbound and ip6 on a sent IPv4 packet", "outbound and ip6", out, false},
		{"ifindex matches the interface", "ifindex 3", in, true},
		{"ifindex rejects another interface", "ifindex 3", other, false},
		{"outbound and ifindex 7", "outbound and ifindex 7", other, true},
		{"no metadata: inbound rejects", "inbound", nil, false},
		{"no metadata: outbound rejects", "outbound", nil, false},
		{"no metadata: ifindex rejects", "ifindex 3", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, noOpt := range []bool{false, true} {
				p, err := CompileWith(tc.expr, layers.LinkTypeEthernet, 0, &Options{Live: true, NoOptimize: noOpt})
				if err != nil {
					t.Fatalf("%q (NoOptimize %v): %v", tc.expr, noOpt, err)
				}
				if !p.UsesMeta() {
					t.Errorf("%q: UsesMeta is false", tc.expr)
				}
				if got := p.MatchesMeta(gopacket.CaptureInfo{}, eth, tc.meta); got != tc.want {
					t.Errorf("%q (NoOptimize %v) with %+v: MatchesMeta = %v, want %v", tc.expr, noOpt, tc.meta, got, tc.want)
				}
				if tc.meta == nil && p.Matches(gopacket.CaptureInfo{}, eth) {
					t.Errorf("%q: Matches (no metadata) accepts", tc.expr)
				}
			}
		})
	}
}

// TestLiveSavefileErrors checks that without Options.Live the direction
// and interface tests are refused where libpcap refuses them for files,
// and that link types whose header has them ignore Live.
func TestLiveSavefileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, expr, msg string
	}{
		{"inbound on an Ethernet file", "inbound", "inbound/outbound not supported on Ethernet when reading savefiles"},
		{"outbound on an Ethernet file", "outbound", "inbound/outbound not supported on Ethernet when reading savefiles"},
		{"ifindex on an Ethernet file", "ifindex 1", "ifindex not supported on Ethernet when reading savefiles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.expr, layers.LinkTypeEthernet, 0)
			var se *SyntaxError
			if !errors.As(err, &se) || se.LibpcapMessage() != tc.msg {
				t.Fatalf("Compile(%q) = %v, want %q", tc.expr, err, tc.msg)
			}
		})
	}
	// LINUX_SLL: the header's packet type, live or not.
	sll := make([]byte, 40)
	sll[1] = PacketOutgoing
	for _, live := range []bool{false, true} {
		p, err := CompileWith("outbound", layers.LinkTypeLinuxSLL, 0, &Options{Live: live})
		if err != nil {
			t.Fatal(err)
		}
		if p.UsesMeta() || !p.Matches(gopacket.CaptureInfo{}, sll) {
			t.Errorf("outbound on LINUX_SLL (Live %v): UsesMeta %v, want the header's packet type tested", live, p.UsesMeta())
		}
	}
}

// TestLiveMatchesTcpdump compares the programs with tcpdump -d -i lo
// (libpcap compiling for a live Linux capture on loopback, whose link
// type is Ethernet), when tcpdump is installed and may open lo. A lone
// "inbound" is left out: like every expression that is one negated test
// ("not ip"), wirekit lays it out with the two returns the other way
// round.
func TestLiveMatchesTcpdump(t *testing.T) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump not installed (scripts/test-deps.sh installs it)")
	}
	for _, expr := range []string{"outbound", "ifindex 3", "inbound and ip", "not inbound", "outbound or tcp port 80", "ifindex 1 and outbound"} {
		t.Run(expr, func(t *testing.T) {
			cmd := exec.Command("tcpdump", "-d", "-i", "lo", expr)
			b, err := cmd.Output()
			if err != nil {
				t.Skipf("tcpdump -d -i lo %q: %v (needs root or CAP_NET_RAW)", expr, err)
			}
			p, err := CompileWith(expr, layers.LinkTypeEthernet, 0, &Options{Live: true})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := Format(p, "d")
			if normCode(got) != normCode(string(b)) {
				t.Errorf("%q:\nwirekit:\n%s\ntcpdump -d -i lo:\n%s", expr, got, b)
			}
			// The unoptimized code too.
			b, err = exec.Command("tcpdump", "-O", "-d", "-i", "lo", expr).Output()
			if err != nil {
				t.Fatal(err)
			}
			p, _ = CompileWith(expr, layers.LinkTypeEthernet, 0, &Options{Live: true, NoOptimize: true})
			if got, _ := Format(p, "d"); normCode(got) != normCode(string(b)) {
				t.Errorf("%q unoptimized:\nwirekit:\n%s\ntcpdump -O -d -i lo:\n%s", expr, got, b)
			}
		})
	}
}

// TestMatchesMetaDoesNotAllocate keeps the live user-space path free of
// allocations.
func TestMatchesMetaDoesNotAllocate(t *testing.T) {
	p, err := CompileWith("inbound and tcp port 80 or ifindex 4", layers.LinkTypeEthernet, 0, &Options{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	pkt := make([]byte, 60)
	m := &Meta{IfIndex: 4}
	if n := testing.AllocsPerRun(100, func() { p.MatchesMeta(gopacket.CaptureInfo{}, pkt, m) }); n != 0 {
		t.Errorf("MatchesMeta allocates %v times per packet", n)
	}
}

// TestFormatAncillary checks libpcap's names for the kernel metadata
// loads in tcpdump -d text.
func TestFormatAncillary(t *testing.T) {
	p, err := CompileWith("inbound or ifindex 2", layers.LinkTypeEthernet, 0, &Options{Live: true, NoOptimize: true})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Format(p, "d")
	if !strings.Contains(d, "ldh      [type]") || !strings.Contains(d, "ld       [ifidx]") {
		t.Errorf("tcpdump -d text lacks [type] or [ifidx]:\n%s", d)
	}
}

// FuzzCompileLive compiles expressions for a live capture and checks that
// the optimized and unoptimized programs give the same verdict, with and
// without the kernel's metadata (the optimizer must neither drop an
// ancillary load nor take it for a bound on the packet's length).
func FuzzCompileLive(f *testing.F) {
	for _, s := range []string{"inbound", "outbound and tcp", "ifindex 2 or ether[20] = 1", "not inbound and ip[0] & 0xf = 5",
		"outbound and outbound", "inbound and not inbound", "ether[100] = 1 and outbound or ifindex 1"} {
		f.Add(s, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0, 0x45}, uint8(0), uint32(2))
	}
	f.Fuzz(func(t *testing.T, expr string, pkt []byte, pktType uint8, ifindex uint32) {
		p, err := CompileWith(expr, layers.LinkTypeEthernet, 65535, &Options{Live: true, AllowRejectAll: true})
		if err != nil {
			return
		}
		u, err := CompileWith(expr, layers.LinkTypeEthernet, 65535, &Options{Live: true, NoOptimize: true})
		if err != nil {
			t.Fatalf("%q compiles optimized, not unoptimized: %v", expr, err)
		}
		for _, m := range []*Meta{nil, {PktType: pktType, IfIndex: ifindex}} {
			ci := gopacket.CaptureInfo{}
			if a, b := p.MatchesMeta(ci, pkt, m), u.MatchesMeta(ci, pkt, m); a != b {
				t.Fatalf("%q on %x with %+v: optimized %v, unoptimized %v", expr, pkt, m, a, b)
			}
		}
	})
}
