package filter

import (
	"errors"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestCompileRejectsAll checks that the optimizing Compile refuses, with
// libpcap's message, what libpcap's optimizer refuses (the examples of
// libpcap's reject tests), compiles what it does not refuse even when
// wirekit's optimizer proves more, and that NoOptimize and AllowRejectAll
// give the program.
func TestCompileRejectsAll(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lt      layers.LinkType
		expr    string
		rejects bool
	}{
		{"ip6 and igmp on IPV4 can never match", ltIPv4, "ip6 and igmp", true},
		{"arp host on RAW can never match", ltRawDLT, "arp host 1.2.3.4", true},
		{"link proto stp on RAW can never match", ltRawDLT, `link proto \stp`, true},
		{"not ip and ip6 on IPV4 can never match", ltIPv4, "not ip and ip6", true},
		{"arp and port on Ethernet can never match", layers.LinkTypeEthernet, "arp and port 80", true},
		{"constant false", layers.LinkTypeEthernet, "1 = 0", true},
		{"ip and ip6 on Ethernet", layers.LinkTypeEthernet, "ip and ip6", true},
		// ip on ARCnet is one of two types, then ip6's type is tested
		// after other tests: libpcap's and_pullup brings it up.
		{"icmp and port 80 on ARCnet", layers.LinkTypeArcNet, "icmp and port 80", true},
		{"ip, a test, then ip6 on ARCnet", layers.LinkTypeArcNet, "ip and link[5] = 1 and ip6", true},
		{"icmp and port 53 on BSD/OS PPP", ltPPPBSDOS, "icmp and port 53", true},
		// Known difference: libpcap's and_pullup does not bring up the
		// arithmetic form of link[2] = 0xc4, and libpcap compiles it.
		{"ip, a test, then link[2] on ARCnet (an arithmetic test)", layers.LinkTypeArcNet, "ip and link[15] = 1 and link[2] = 0xc4", true},
		{"tcp on Ethernet can match", layers.LinkTypeEthernet, "tcp", false},
		{"ip6 on IPV6 can match", ltIPv6, "ip6 and tcp", false},
		// A byte is never 256, which wirekit's optimizer knows and
		// libpcap's does not: libpcap 1.10 compiles these.
		{"proto 256 refused only from load bounds", ltRawDLT, "proto 256", false},
		{"byte 1 = 256 refused only from load bounds", ltIPv4, "byte 1 = 256", false},
		{"link proto 1500 on Ethernet (an LLC SAP byte)", layers.LinkTypeEthernet, "link proto 1500", false},
		// 0x8847 > 1500 decides "llc" after "mpls" for wirekit only.
		{"mpls and llc decided by a jeq fact on a jgt", layers.LinkTypeEthernet, "mpls and llc", false},
		// 802.11's header length merges two values; libpcap does not
		// compare loads through it.
		{"ip and ip6 through 802.11's variable header", layers.LinkTypeIEEE802_11, "ip6 and host 10.0.0.1", false},
		// Geneve's offsets merge its IPv4 and IPv6 ways: libpcap does
		// not compare loads through them either.
		{"udp and tcp after geneve", layers.LinkTypeEthernet, "geneve and udp and tcp", false},
		{"udp and tcp without geneve", layers.LinkTypeEthernet, "udp and tcp", true},
		// Known differences (filter's doc): ldh [12] = 0x86dd is known
		// on both ways into "pppoes", from tests made after they
		// parted, which libpcap's optimizer (dominating edges only)
		// does not use; it compiles this.
		{"a test known on both ways of an or, not before it", layers.LinkTypeEthernet, "byte 1 > 213 and icmp6 || ip6 and udp and byte 10 = 205 && pppoes 4660", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.expr, tc.lt, 0)
			var se *SyntaxError
			switch {
			case tc.rejects && !errors.Is(err, ErrRejectsAll):
				t.Fatalf("Compile(%q) = %v, want ErrRejectsAll", tc.expr, err)
			case tc.rejects && (!errors.As(err, &se) || se.LibpcapMessage() != "expression rejects all packets" || err.Error() != "expression rejects all packets"):
				t.Fatalf("Compile(%q): error %q is not libpcap's message", tc.expr, err)
			case !tc.rejects && err != nil:
				t.Fatalf("Compile(%q) = %v, want a program (libpcap 1.10 compiles it)", tc.expr, err)
			}
			for _, o := range []Options{{NoOptimize: true}, {AllowRejectAll: true}} {
				p, err := CompileWith(tc.expr, tc.lt, 0, &o)
				if err != nil {
					t.Fatalf("CompileWith(%q, %+v) = %v, want a program", tc.expr, o, err)
				}
				if tc.rejects && o.AllowRejectAll && (len(p.raw) != 1 || p.raw[0].Op != opRetK || p.raw[0].K != 0) {
					t.Errorf("CompileWith(%q, AllowRejectAll) = %v, want a lone ret #0", tc.expr, p.raw)
				}
			}
		})
	}
}
