package capture

import (
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestDevicesLinkTypes: Devices reports for each device the link type Open
// gives its packets (LinkTypeOf), not a guess of its own: LINUX_SLL2 for
// "any" (it said LINUX_SLL), RAW for a tun device (it said 0, printed as
// "Null"), Ethernet for loopback and veth.
func TestDevicesLinkTypes(t *testing.T) {
	n := testutil.NewVethNS(t)
	tun, _ := makeTun(t)
	devs, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Device{}
	for _, d := range devs {
		byName[d.Name] = d
	}
	for _, tc := range []struct {
		name, dev string
		want      layers.LinkType
	}{
		{"any is not LINUX_SLL2 as Open uses", Any, layers.LinkTypeLinuxSLL2},
		{"tun is not RAW as Open uses", tun, layers.LinkTypeRaw},
		{"veth is not Ethernet", n.Host, layers.LinkTypeEthernet},
		{"loopback is not Ethernet", "lo", layers.LinkTypeEthernet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := byName[tc.dev]
			if !ok {
				t.Fatalf("%s not listed", tc.dev)
			}
			if d.LinkType != tc.want {
				t.Errorf("Devices says %v for %s, want %v", d.LinkType, tc.dev, tc.want)
			}
			if lt, err := LinkTypeOf(tc.dev); err != nil || lt != d.LinkType {
				t.Errorf("LinkTypeOf(%s) = %v, %v; Devices says %v", tc.dev, lt, err, d.LinkType)
			}
		})
	}
	// Every device: what Devices says is what Open would use, or 0 when
	// Open refuses the interface.
	for _, d := range devs {
		lt, err := LinkTypeOf(d.Name)
		if err != nil {
			lt = 0
		}
		if d.LinkType != lt {
			t.Errorf("%s: Devices says %v, LinkTypeOf %v (%v)", d.Name, d.LinkType, lt, err)
		}
	}
}
