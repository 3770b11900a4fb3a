package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gophercapYAML is a filter file in GopherCap's layout (its README's
// example, with every kind it knows but asn).
const gophercapYAML = `
filter1:
  conditions:
    - kind: subnet
      match:
        - 10.0.0.0/8
        - 192.168.0.0/16
    - kind: port
      negate: true
      match:
        - 22/tcp
        - 53/udp
filter2:
  conditions:
    - kind: ether
      match: ["02:00:00:00:00:0a"]
    - kind: raw
      match: ["tcp"]
`

func TestParseGopherCapFile(t *testing.T) {
	rs, err := Parse([]byte(gophercapYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Name != "filter1" || rs[1].Name != "filter2" {
		t.Fatalf("rules %+v: want filter1 and filter2, sorted", rs)
	}
	c := rs[0].Conditions[1]
	if c.Kind != KindPort || !c.Negate || len(c.Match) != 2 {
		t.Errorf("filter1 condition 2 = %+v", c)
	}
	e, err := rs[0].Expr()
	if err != nil {
		t.Fatal(err)
	}
	want := "((ip net 10.0.0.0/8) or (ip net 192.168.0.0/16)) and not ((tcp port 22) or (udp port 53))"
	if e != want {
		t.Errorf("expression\n got %s\nwant %s", e, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"empty file", "", "no filters"},
		{"not a map", "- a\n- b\n", "cannot unmarshal"},
		{"unknown field in a filter", "f: {conditons: []}\n", "conditons"},
		{"unknown field in a condition", "f: {conditions: [{kind: port, match: [1], negated: true}]}\n", "negated"},
		{"no conditions", "f: {conditions: []}\n", "no conditions"},
		{"kind missing", "f: {conditions: [{match: [1]}]}\n", "kind missing"},
		{"unknown kind", "f: {conditions: [{kind: host, match: [1]}]}\n", "unknown kind"},
		{"no match values", "f: {conditions: [{kind: port}]}\n", "no match values"},
		{"subnet not a network", "f: {conditions: [{kind: subnet, match: [10.0.0/8]}]}\n", "want a network"},
		{"subnet with a zone", "f: {conditions: [{kind: subnet, match: [\"fe80::1%eth0\"]}]}\n", "zone"},
		{"port above 65535", "f: {conditions: [{kind: port, match: [70000/tcp]}]}\n", "0 to 65535"},
		{"port with an unknown protocol", "f: {conditions: [{kind: port, match: [80/sctp]}]}\n", "want tcp or udp"},
		{"port negative", "f: {conditions: [{kind: port, match: [\"-1\"]}]}\n", "0 to 65535"},
		{"ether not a MAC", "f: {conditions: [{kind: ether, match: [\"02:00:00:00:00\"]}]}\n", "MAC"},
		{"ether 8-byte EUI-64", "f: {conditions: [{kind: ether, match: [\"02:00:00:00:00:00:00:01\"]}]}\n", "6-byte"},
		{"asn not a number", "f: {conditions: [{kind: asn, match: [AS64512]}]}\n", "AS number"},
		{"raw empty", "f: {conditions: [{kind: raw, match: [\"\"]}]}\n", "empty expression"},
		{"name with a slash", "../x: {conditions: [{kind: port, match: [1]}]}\n", "must not contain /"},
		{"name dot-dot", "'..': {conditions: [{kind: port, match: [1]}]}\n", "must not be empty"},
		{"tab indentation", "f:\n\tconditions: []\n", "yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := Parse([]byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error; rules %+v", rs)
			}
			if rs != nil {
				t.Errorf("rules %+v with error", rs)
			}
			if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want ErrSyntax and %q", err, tc.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule Rule
		want string
		is   error
	}{
		{"bpf that does not compile", Rule{Name: "f", Conditions: []Condition{{Kind: KindBPF, Match: []string{"tcp port"}}}}, "column", nil},
		{"raw that does not compile", Rule{Name: "f", Conditions: []Condition{{Kind: KindRaw, Match: []string{"host nosuchhost.invalid"}}}}, `"f"`, nil},
		{"asn without a database", Rule{Name: "f", Conditions: []Condition{{Kind: KindASN, Match: []string{"64512"}}}}, "MaxMind", ErrASN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Compile(tc.rule, nil)
			if err == nil || m != nil {
				t.Fatalf("Compile = %v, %v: want an error", m, err)
			}
			if !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("error %q: want %q", err, tc.want)
			}
		})
	}
}

func cond(k Kind, neg bool, match ...string) Condition {
	return Condition{Kind: k, Negate: neg, Match: match}
}

// TestMatch checks every kind, with and without negate, on Ethernet
// packets (one VLAN-tagged), and on raw IP where ether cannot apply.
func TestMatch(t *testing.T) {
	p := testPackets(t)
	eth, raw := layers.LinkTypeEthernet, layers.LinkTypeRaw
	for _, tc := range []struct {
		name  string
		conds []Condition
		lt    layers.LinkType
		pkt   []byte
		want  bool
	}{
		{"subnet src matches", []Condition{cond(KindSubnet, false, "10.0.0.0/8")}, eth, p.tcp4, true},
		{"subnet dst matches", []Condition{cond(KindSubnet, false, "192.0.2.0/24")}, eth, p.tcp4, true},
		{"subnet other network", []Condition{cond(KindSubnet, false, "10.2.0.0/16")}, eth, p.tcp4, false},
		{"subnet negated", []Condition{cond(KindSubnet, true, "10.0.0.0/8")}, eth, p.tcp4, false},
		{"subnet host bits set are masked", []Condition{cond(KindSubnet, false, "10.1.2.3/8")}, eth, p.tcp4, true},
		{"subnet bare address is a host", []Condition{cond(KindSubnet, false, "192.0.2.1")}, eth, p.tcp4, true},
		{"subnet behind a VLAN tag", []Condition{cond(KindSubnet, false, "172.16.0.0/12")}, eth, p.udp4vlan, true},
		{"subnet negated behind a VLAN tag", []Condition{cond(KindSubnet, true, "172.16.0.0/12")}, eth, p.udp4vlan, false},
		{"subnet behind two VLAN tags", []Condition{cond(KindSubnet, false, "172.16.0.0/12")}, eth, p.udp4qinq, true},
		{"subnet negated behind two VLAN tags", []Condition{cond(KindSubnet, true, "172.16.0.0/12")}, eth, p.udp4qinq, false},
		{"subnet IPv6", []Condition{cond(KindSubnet, false, "2001:db8:1::/48")}, eth, p.tcp6, true},
		{"subnet IPv6 does not match IPv4", []Condition{cond(KindSubnet, false, "2001:db8::/32")}, eth, p.tcp4, false},
		{"subnet IPv4 on raw IP", []Condition{cond(KindSubnet, false, "10.8.0.0/16")}, raw, p.raw4, true},
		{"subnet not ARP", []Condition{cond(KindSubnet, false, "10.0.0.0/8")}, eth, p.arp, false},
		{"port dst tcp", []Condition{cond(KindPort, false, "80/tcp")}, eth, p.tcp4, true},
		{"port src tcp IPv6", []Condition{cond(KindPort, false, "443/tcp")}, eth, p.tcp6, true},
		{"port udp is not tcp", []Condition{cond(KindPort, false, "80/udp")}, eth, p.tcp4, false},
		{"port udp behind a VLAN tag", []Condition{cond(KindPort, false, "53/udp")}, eth, p.udp4vlan, true},
		{"port without protocol", []Condition{cond(KindPort, false, "53")}, eth, p.udp4vlan, true},
		{"port negated", []Condition{cond(KindPort, true, "22/tcp", "80/tcp")}, eth, p.tcp4, false},
		{"port negated no hit", []Condition{cond(KindPort, true, "22/tcp")}, eth, p.tcp4, true},
		{"ether src", []Condition{cond(KindEther, false, "02:00:00:00:00:0a")}, eth, p.tcp4, true},
		{"ether dst upper case and dashes", []Condition{cond(KindEther, false, "02-00-00-00-00-0B")}, eth, p.tcp4, true},
		{"ether other", []Condition{cond(KindEther, false, "02:00:00:00:00:0c")}, eth, p.tcp4, false},
		{"ether on raw IP is false", []Condition{cond(KindEther, false, "02:00:00:00:00:0a")}, raw, p.raw4, false},
		{"ether negated on raw IP is true", []Condition{cond(KindEther, true, "02:00:00:00:00:0a")}, raw, p.raw4, true},
		{"raw expression", []Condition{cond(KindRaw, false, "tcp[tcpflags] & tcp-syn != 0")}, eth, p.tcp4, true},
		{"raw expressions are ORed", []Condition{cond(KindRaw, false, "udp", "arp")}, eth, p.arp, true},
		{"bpf negated", []Condition{cond(KindBPF, true, "arp")}, eth, p.arp, false},
		{"bpf with vlan does not shift the subnet condition", []Condition{cond(KindBPF, false, "vlan 7"), cond(KindSubnet, false, "172.16.0.0/12")}, eth, p.udp4vlan, true},
		{"bpf with vlan on an untagged packet", []Condition{cond(KindSubnet, false, "10.0.0.0/8"), cond(KindBPF, true, "vlan")}, eth, p.tcp4, true},
		{"conditions are ANDed", []Condition{cond(KindSubnet, false, "10.0.0.0/8"), cond(KindPort, false, "22/tcp")}, eth, p.tcp4, false},
		{"conditions all hold", []Condition{cond(KindSubnet, false, "10.0.0.0/8"), cond(KindPort, false, "80/tcp"), cond(KindEther, true, "02:00:00:00:00:0c")}, eth, p.tcp4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Compile(Rule{Name: "t", Conditions: tc.conds}, nil)
			if err != nil {
				t.Fatal(err)
			}
			prog, err := m.Program(tc.lt)
			if err != nil {
				t.Fatal(err)
			}
			ci := gopacket.CaptureInfo{CaptureLength: len(tc.pkt), Length: len(tc.pkt)}
			if got := prog.Match(ci, tc.pkt); got != tc.want {
				t.Errorf("Match = %v, want %v (program %s)", got, tc.want, prog)
			}
		})
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	p := testPackets(t)
	rs, err := Parse([]byte(gophercapYAML))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(rs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := m.Program(layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	ci := gopacket.CaptureInfo{CaptureLength: len(p.tcp4), Length: len(p.tcp4)}
	if n := testing.AllocsPerRun(100, func() { prog.Match(ci, p.tcp4) }); n != 0 {
		t.Errorf("Match allocates %v times per packet", n)
	}
}

func BenchmarkMatch(b *testing.B) {
	p := testPackets(b)
	rs, err := Parse([]byte(gophercapYAML))
	if err != nil {
		b.Fatal(err)
	}
	m, _ := Compile(rs[0], nil)
	prog, _ := m.Program(layers.LinkTypeEthernet)
	ci := gopacket.CaptureInfo{CaptureLength: len(p.tcp4), Length: len(p.tcp4)}
	b.ReportAllocs()
	for b.Loop() {
		prog.Match(ci, p.tcp4)
	}
}
