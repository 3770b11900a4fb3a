package filter

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestMatchFlowErr: MatchFlow's false for a flow it could not build was
// indistinguishable from a filter that rejected the packet; MatchFlowErr
// says why, and is nil whenever the program ran.
func TestMatchFlowErr(t *testing.T) {
	v4 := netip.MustParseAddrPort("10.0.0.1:1")
	v6 := netip.MustParseAddrPort("[::1]:21")
	tests := []struct {
		name   string
		lt     layers.LinkType
		expr   string
		f      Flow
		want   bool
		errHas string // "" means no error
	}{
		{"program ran and accepted", layers.LinkTypeEthernet, "tcp", Flow{Proto: TCP, Src: v4, Dst: v4}, true, ""},
		{"program ran and rejected", layers.LinkTypeEthernet, "udp", Flow{Proto: TCP, Src: v4, Dst: v4}, false, ""},
		{"mixed families names both", layers.LinkTypeEthernet, "tcp", Flow{Proto: TCP, Src: v4, Dst: v6}, false, "must both be IPv4 or both IPv6"},
		{"unknown protocol", layers.LinkTypeEthernet, "ip", Flow{Proto: 99, Src: v4, Dst: v4}, false, "protocol 99"},
		{"link type without flows", layers.LinkTypeFDDI, "tcp", Flow{Proto: TCP, Src: v4, Dst: v4}, false, "link type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := MustCompile(tc.expr, tc.lt, 65535)
			ok, err := p.MatchFlowErr(tc.f, []byte("x"))
			if ok != tc.want {
				t.Errorf("match %v, want %v", ok, tc.want)
			}
			switch {
			case tc.errHas == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.errHas != "" && (!errors.Is(err, ErrFlow) || !strings.Contains(err.Error(), tc.errHas)):
				t.Errorf("error %v, want ErrFlow saying %q", err, tc.errHas)
			}
			if p.MatchFlow(tc.f, []byte("x")) != ok {
				t.Errorf("MatchFlow disagrees with MatchFlowErr")
			}
		})
	}
}

// TestFlowIPv4Mapped: a dual-stack listener reports IPv4 peers as
// ::ffff:a.b.c.d; such a flow is an IPv4 packet, as on the wire.
func TestFlowIPv4Mapped(t *testing.T) {
	mapped := Flow{Proto: TCP,
		Src: netip.MustParseAddrPort("[::ffff:192.0.2.1]:3345"),
		Dst: netip.MustParseAddrPort("[::ffff:127.0.0.1]:21")}
	half := mapped
	half.Dst = netip.MustParseAddrPort("127.0.0.1:21")
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"ip", true},
		{"ip6", false},
		{"host 192.0.2.1", true},
		{"src net 192.0.2.0/24 and dst host 127.0.0.1", true},
		{"tcp dst port 21", true},
		{"ip6 host ::ffff:192.0.2.1", false},
	} {
		for name, f := range map[string]Flow{"both mapped": mapped, "mapped and plain": half} {
			ok, err := MustCompile(tc.expr, layers.LinkTypeEthernet, 65535).MatchFlowErr(f, nil)
			if ok != tc.want || err != nil {
				t.Errorf("%s: %q: %v, %v; want %v", name, tc.expr, ok, err, tc.want)
			}
		}
	}
}
