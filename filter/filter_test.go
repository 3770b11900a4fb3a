package filter

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		expr        string
		msg         string
		col         int // 1-based column of the offending token
		unsupported bool
	}{
		{"10.0.0.1", "syntax error", 1, false},
		{"tcp port 80 or", "syntax error", 15, false},
		{"host foo", "unknown host 'foo'", 6, false},
		{"tcp and port foo", "unknown port 'foo'", 14, false},
		{"port 70000", "illegal port number 70000 > 65535", 6, false},
		{"ip[1:3] = 1", "data size must be 1, 2, or 4", 1, false},
		{"ip and net 10.0.0.1/8", "non-network bits set in \"10.0.0.1/8\"", 12, false},
		{"net 10.0.0.0/33", "mask length must be <= 32", 5, false},
		{"tcp and 80", "syntax error in filter expression", 9, false},
		{"4294967296", "number 4294967296 overflows 32 bits", 1, false},
		{"0778", "number 0778 contains non-octal digit", 1, false},
		{"ip host 1::2", "'ip' modifier applied to ip6 host", 9, false},
		{"len / 0 = 1", "division by zero", 5, false},
		{"vlan 5000", "VLAN tag 5000 greater than maximum 4095", 1, false},
		{"mpls and vlan", "no VLAN match after MPLS", 10, false},
		{"(tcp", "syntax error", 5, false},
		{"tcp @", "syntax error", 5, false},
		{"inbound", "inbound/outbound not supported on Ethernet when reading savefiles", 1, false},
		{"tcp protochain 6", "bad protocol applied for 'protochain'", 16, false},
		{"llc foo", "unknown LLC type name \"foo\"", 1, false},
		{"ip and iso proto \\foo", "unknown osi proto 'foo'", 18, false},
		{"clnp proto 1", "'clnp proto' is not supported", 12, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := Compile(tt.expr, layers.LinkTypeEthernet, 65535)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if !strings.Contains(se.Msg, tt.msg) || (!tt.unsupported && se.Msg != tt.msg) {
				t.Errorf("Msg = %q, want %q", se.Msg, tt.msg)
			}
			if se.Pos+1 != tt.col {
				t.Errorf("column = %d, want %d", se.Pos+1, tt.col)
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", got, tt.unsupported)
			}
		})
	}
}

func TestUnsupportedLinkType(t *testing.T) {
	_, err := Compile("ip", layers.LinkType(65000), 65535) // no such link type
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
}

func ipv4Packet(src, dst [4]byte) []byte {
	p := make([]byte, 34)
	p[12], p[13] = 0x08, 0x00
	p[14] = 0x45
	copy(p[26:], src[:])
	copy(p[30:], dst[:])
	return p
}

// TestLongJumps compiles an expression whose program needs jumps longer
// than a conditional jump's 255 and checks the trampolines.
func TestLongJumps(t *testing.T) {
	var parts []string
	for i := 1; i <= 120; i++ {
		parts = append(parts, fmt.Sprintf("host 10.0.%d.%d", i/200, i%200))
	}
	expr := "(" + strings.Join(parts, " or ") + ") and not host 10.0.0.7"
	p, err := Compile(expr, layers.LinkTypeEthernet, 65535)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.raw) < 300 {
		t.Fatalf("program has %d instructions; the test needs > 255", len(p.raw))
	}
	if err := Validate(p.raw); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src, dst [4]byte
		want     bool
	}{
		{[4]byte{10, 0, 0, 1}, [4]byte{1, 1, 1, 1}, true},
		{[4]byte{1, 1, 1, 1}, [4]byte{10, 0, 0, 120}, true},
		{[4]byte{10, 0, 0, 7}, [4]byte{10, 0, 0, 8}, false},
		{[4]byte{10, 0, 0, 121}, [4]byte{1, 1, 1, 1}, false},
		{[4]byte{9, 9, 9, 9}, [4]byte{8, 8, 8, 8}, false},
	}
	for _, tt := range tests {
		if got := p.Matches(gopacket.CaptureInfo{}, ipv4Packet(tt.src, tt.dst)); got != tt.want {
			t.Errorf("%v -> %v: Matches = %v, want %v", tt.src, tt.dst, got, tt.want)
		}
	}
}

func TestMatchesUsesWireLength(t *testing.T) {
	p := MustCompile("greater 100", layers.LinkTypeEthernet, 65535)
	data := make([]byte, 60)
	if p.Matches(gopacket.CaptureInfo{}, data) {
		t.Error("60-byte packet with Length 0 matched 'greater 100'")
	}
	if !p.Matches(gopacket.CaptureInfo{CaptureLength: 60, Length: 1500}, data) {
		t.Error("60 of 1500 bytes captured: 'greater 100' should use the wire length")
	}
	if got := p.Run(data, 1500); got != 65535 {
		t.Errorf("Run = %d, want the snaplen 65535", got)
	}
}

func TestEmptyExpressionAcceptsAll(t *testing.T) {
	p := MustCompile("", layers.LinkTypeEthernet, 96)
	if got := p.Run(nil, 0); got != 96 {
		t.Errorf("Run = %d, want 96", got)
	}
}

func TestInstructionsRoundTrip(t *testing.T) {
	p := MustCompile("tcp dst port 21 and ip[2:2] * 2 - len < 10", layers.LinkTypeEthernet, 65535)
	insns := p.Instructions()
	raw, err := bpf.Assemble(insns)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(raw) != fmt.Sprint(p.Raw()) {
		t.Errorf("Assemble(Instructions()) != Raw()")
	}
	// x/net/bpf's VM must agree with ours.
	vm, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatal(err)
	}
	pkt := ipv4Packet([4]byte{1, 2, 3, 4}, [4]byte{5, 6, 7, 8})
	n, _ := vm.Run(pkt)
	if uint32(n) != p.Run(pkt, len(pkt)) {
		t.Errorf("x/net/bpf VM says %d, ours %d", n, p.Run(pkt, len(pkt)))
	}
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	p := MustCompile("tcp dst port 21 or (vlan and udp)", layers.LinkTypeEthernet, 65535)
	pkt := ipv4Packet([4]byte{1, 2, 3, 4}, [4]byte{5, 6, 7, 8})
	ci := gopacket.CaptureInfo{Length: len(pkt), CaptureLength: len(pkt)}
	if n := testing.AllocsPerRun(100, func() { p.Matches(ci, pkt) }); n != 0 {
		t.Errorf("Matches allocates %v times per call", n)
	}
}

func TestOtherLinkTypes(t *testing.T) {
	ip4 := ipv4Packet([4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2})[14:]
	sll := append(make([]byte, 16), ip4...)
	sll[14], sll[15] = 0x08, 0x00
	sll2 := append(make([]byte, 20), ip4...)
	sll2[0], sll2[1] = 0x08, 0x00
	loop := append([]byte{0, 0, 0, 2}, ip4...)
	nullLE := append([]byte{2, 0, 0, 0}, ip4...)
	null6BE := append([]byte{0, 0, 0, 30}, make([]byte, 40)...)
	null6BE[4] = 0x60
	ppp := append([]byte{0xff, 0x03, 0, 0x21}, ip4...)
	pppoe := append([]byte{0x11, 0, 0, 1, 0, byte(len(ip4) + 2), 0, 0x21}, ip4...)
	tests := []struct {
		lt        layers.LinkType
		pkt       []byte
		expr      string
		bigEndian bool // Options.NullBigEndian
		want      bool
	}{
		{layers.LinkTypeRaw, ip4, "ip and host 10.0.0.1", false, true},
		{layers.LinkTypeRaw, ip4, "ip6", false, false},
		{layers.LinkTypeRaw, ip4, "arp", false, false},
		{ltIPv4, ip4, "src 10.0.0.1", false, true},
		{ltIPv6, ip4, "ip", false, false},
		{layers.LinkTypeLinuxSLL, sll, "dst host 10.0.0.2", false, true},
		{layers.LinkTypeLinuxSLL, sll, "ip6", false, false},
		{ltLinuxSLL2, sll2, "ip src 10.0.0.1", false, true},
		{layers.LinkTypeLoop, loop, "ip and dst 10.0.0.2", false, true},
		{layers.LinkTypeLoop, loop, "ip6", false, false},
		{layers.LinkTypeNull, nullLE, "ip and src 10.0.0.1", false, true},
		{layers.LinkTypeNull, nullLE, "ip", true, false},
		{layers.LinkTypeNull, loop, "ip", true, true},
		{layers.LinkTypeNull, loop, "ip", false, false},
		{layers.LinkTypeNull, null6BE, "ip6", true, true},
		{layers.LinkTypeNull, null6BE, "ip6", false, false},
		{layers.LinkTypeNull, nullLE, "arp", false, false},
		{layers.LinkTypePPP, ppp, "ip and dst 10.0.0.2", false, true},
		{layers.LinkTypePPP, ppp, "ip6", false, false},
		{ltPPPEther, pppoe, "ip and dst 10.0.0.2", false, true},
		{ltPPPEther, pppoe, "link proto 0x21 and not ip6", false, true},
	}
	for _, tt := range tests {
		// AllowRejectAll: some of these can match nothing on their link
		// type, which is what they check.
		p, err := CompileWith(tt.expr, tt.lt, 65535, &Options{NullBigEndian: tt.bigEndian, AllowRejectAll: true})
		if err != nil {
			t.Errorf("%v %q: %v", tt.lt, tt.expr, err)
			continue
		}
		if got := p.Matches(gopacket.CaptureInfo{}, tt.pkt); got != tt.want {
			t.Errorf("%v %q (big-endian %v): Matches = %v, want %v", tt.lt, tt.expr, tt.bigEndian, got, tt.want)
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"tcp dst port 21", "host 10.0.0.1 or 10.0.0.2", "ip[2:2] % 3 ^ 1 > len",
		"vlan 100 and mpls and ip6 net 2001:db8::/32", "not (arp or ether src 00:11:22:33:44:55)",
		"tcp[tcpflags] & (tcp-syn|tcp-ack) != 0", "((1))", "pppoes 3 and udp portrange 1-1024",
		"geneve 10 and ether host 1:2:3:4:5:6", "ip6 protochain 6", "wlan ta 1:2:3:4:5:6 and type data subtype qos-data",
		"radio[2:2] = 8 and ifname em0", "decnet src 1.2 or byte 1 & 2", "link host $c0 or iso proto 0x83",
		"llc u and wlan dir fromds", "outbound and juniper", "iso proto 0x83 and link[3] & 1 = 1",
		"fddi src 1:2:3:4:5:6 and llc i", "tr multicast or clnp", "inbound and ip6 multicast",
		"lane and ether host 1:2:3:4:5:6 or vpi > 3", "sio (1 or 2) and hsls != 3 or hlssu", "connectmsg or oamf4sc and llc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeIEEE80211Radio, layers.LinkTypePFLog, layers.LinkTypeLinuxSLL,
			ltCHDLC, layers.LinkTypeSLIP, layers.LinkTypeFDDI, layers.LinkTypeTokenRing, layers.LinkTypeIPOverFC,
			ltPPPBSDOS, ltFrelay, layers.LinkTypeArcNet, ltSunATM, ltATMRFC1483, ltATMCLIP, ltMTP2, ltMTP2Phdr, ltMTP3,
			ltBACnetMSTP, ltLTalk, ltIPOver1394, ltSLIPBSDOS, ltPPPPPPD,
			ltPrism, ltAVS, ltPPI, ltNetAn, ltNetAnTr, ltIPNET, ltENC, 99, ltNetBSDHDLC, 132, 134, 178, 182, 281, 147} {
			p, err := Compile(expr, lt, 65535)
			if (p == nil) == (err == nil) {
				t.Fatalf("Compile(%q, %v): program %v, error %v: want exactly one", expr, lt, p != nil, err)
			}
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(expr) {
					t.Fatalf("Compile(%q, %v): error %v is not a *SyntaxError with a position in the expression", expr, lt, err)
				}
				continue
			}
			if err := validate(p.raw, true, 0); err != nil {
				t.Fatalf("Compile(%q, %v): invalid program: %v", expr, lt, err)
			}
			p.Run(make([]byte, 64), 64)
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	for _, expr := range []string{"tcp dst port 21", "host 10.0.0.1 and (tcp port 80 or 443) and not net 192.168.0.0/16"} {
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(expr, layers.LinkTypeEthernet, 65535); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestProtochainLoop checks the backward jump of protochain: the program
// follows a chain, it is refused by kernel validation, tcpdump -d prints
// the jump's target, and a chain that points at itself (which libpcap
// would follow forever) ends with a reject.
func TestProtochainLoop(t *testing.T) {
	p, err := Compile("ip protochain 6", layers.LinkTypeEthernet, 65535)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(p.raw); !errors.Is(err, ErrBadJump) {
		t.Errorf("Validate = %v, want ErrBadJump (kernels refuse backward jumps)", err)
	}
	if d, _ := Format(p, "d"); !strings.Contains(d, "ja       4\n") {
		t.Errorf("tcpdump -d form lacks the backward \"ja 4\":\n%s", d)
	}
	ah := func(next, length byte) []byte { return []byte{next, length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0} }
	ip := func(proto byte, rest ...byte) []byte {
		pkt := ipv4Packet([4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2})
		pkt[23] = proto
		return append(pkt, rest...)
	}
	tcpHdr := make([]byte, 20)
	for _, c := range []struct {
		name string
		pkt  []byte
		want bool
	}{
		{"tcp directly", ip(6, tcpHdr...), true},
		{"ah then tcp", ip(51, append(ah(6, 1), tcpHdr...)...), true},
		{"ah then udp", ip(51, append(ah(17, 1), tcpHdr...)...), false},
		{"ah pointing at itself", ip(51, ah(51, 3)...), false},
		{"ah truncated", ip(51, 51), false},
		{"ah then ah: libpcap's AH step leaves X at the AH length alone", ip(51, append(ah(51, 2), ah(6, 1)...)...), false},
	} {
		if got := p.Run(c.pkt, len(c.pkt)) != 0; got != c.want {
			t.Errorf("%s: executor says %v, want %v", c.name, got, c.want)
		}
		if got := run(p.raw, c.pkt, uint32(len(c.pkt))) != 0; got != c.want {
			t.Errorf("%s: interpreter says %v, want %v", c.name, got, c.want)
		}
	}
}

// TestReadsUnsetScratch checks the analysis on programs whose scratch
// reads are or are not preceded by a store on every path.
func TestReadsUnsetScratch(t *testing.T) {
	for _, c := range []struct {
		expr string
		lt   layers.LinkType
		want bool
	}{
		{"tcp port 80", layers.LinkTypeEthernet, false},
		{"len + 1 > 10", layers.LinkTypeEthernet, false},
		{"ip protochain 6", layers.LinkTypeEthernet, false},
		{"geneve and ip", layers.LinkTypeEthernet, false},
		{"geneve or ip", layers.LinkTypeEthernet, true}, // ip reads Geneve's offsets when geneve failed
		{"tcp port 80", layers.LinkTypePFLog, false},
		{"not geneve", layers.LinkTypePFLog, true},
		{"wlan src 1:2:3:4:5:6 and ip", layers.LinkTypeIEEE80211Radio, false},
	} {
		p, err := Compile(c.expr, c.lt, 65535)
		if err != nil {
			t.Fatalf("%q: %v", c.expr, err)
		}
		if got := p.ReadsUnsetScratch(); got != c.want {
			t.Errorf("%q on %v: ReadsUnsetScratch = %v, want %v", c.expr, c.lt, got, c.want)
		}
	}
}

func TestTestsVLAN(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"tcp port 80", false},
		{"vlan", true},
		{"vlan 100 and tcp", true},
		{"not vlan", true},
		{"ether[12:2] = 0x8100", false},
		{"mpls and ip", false},
		{"geneve and vlan 5", true},
	} {
		p, err := Compile(tc.expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		if p.TestsVLAN() != tc.want {
			t.Errorf("%q: TestsVLAN %v, want %v", tc.expr, p.TestsVLAN(), tc.want)
		}
	}
}
