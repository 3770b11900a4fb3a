package decode

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestJSONTunnelLayers checks the JSON writer lists tunnel headers as
// layers, in order, and goes on into the packet they carry.
func TestJSONTunnelLayers(t *testing.T) {
	want := map[string]string{
		"gre plain":                         "ethernet ipv4 gre ipv4 icmp payload",
		"gre key and seq":                   "ethernet ipv4 gre ipv4 icmp payload",
		"gre teb":                           "ethernet ipv4 gre ethernet ipv4 icmp payload",
		"gre ipv6 over ipv6":                "ethernet ipv6 gre ipv6 udp payload",
		"gre unknown protocol":              "ethernet ipv4 gre payload",
		"erspan ii":                         "ethernet ipv4 gre erspan ethernet ipv4 icmp payload",
		"erspan iii":                        "ethernet ipv4 gre erspan ethernet ipv4 icmp payload",
		"vxlan":                             "ethernet ipv4 udp vxlan ethernet ipv4 icmp payload",
		"vxlan over ipv6":                   "ethernet ipv6 udp vxlan ethernet ipv4 icmp payload",
		"geneve no options":                 "ethernet ipv4 udp geneve ethernet ipv4 icmp payload",
		"geneve options":                    "ethernet ipv4 udp geneve ipv4 icmp payload",
		"6in4":                              "ethernet ipv4 ipv6 udp payload",
		"vxlan in gre":                      "ethernet ipv4 gre ipv4 udp vxlan ethernet ipv4 icmp payload",
		"geneve in ipip":                    "ethernet ipv4 ipv4 udp geneve ipv4 icmp payload",
		"gre truncated in key":              "ethernet ipv4 payload",
		"vxlan header cut":                  "ethernet ipv4 udp payload",
		"geneve options longer than packet": "ethernet ipv4 udp payload",
	}
	var out bytes.Buffer
	w := NewJSONWriter(&out, nil)
	seen := 0
	for _, pk := range tunnelPackets(t) {
		exp, ok := want[pk.name]
		if !ok {
			continue
		}
		seen++
		out.Reset()
		d := pk.data
		if pk.snap > 0 {
			d = d[:pk.snap]
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(d), Length: len(pk.data)}
		if err := w.Write(ci, d, layers.LinkTypeEthernet); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		var m struct {
			Layers []map[string]any `json:"layers"`
			Sport  *int             `json:"sport"`
		}
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v: %s", pk.name, err, out.Bytes())
		}
		var names []string
		for _, l := range m.Layers {
			names = append(names, l["layer"].(string))
		}
		if got := strings.Join(names, " "); got != exp {
			t.Errorf("%s: layers %q, want %q", pk.name, got, exp)
		}
		if (pk.name == "vxlan" || pk.name == "vxlan over ipv6") && m.Sport != nil {
			t.Errorf("%s: top-level sport %d is the outer UDP port of an inner ICMP packet", pk.name, *m.Sport)
		}
		if pk.name == "gre key and seq" && !bytes.Contains(out.Bytes(), []byte(`{"layer":"gre","version":0,"type":"IPv4","key":3735928559,"seq":1}`)) {
			t.Errorf("%s: gre layer wrong: %s", pk.name, out.Bytes())
		}
		if pk.name == "geneve options" && !bytes.Contains(out.Bytes(), []byte(`{"layer":"geneve","vni":11,"type":"IPv4","optlen":8,"oam":false,"critical":true}`)) {
			t.Errorf("%s: geneve layer wrong: %s", pk.name, out.Bytes())
		}
	}
	if seen != len(want) {
		t.Errorf("%d of %d named packets found in tunnelPackets", seen, len(want))
	}
}
