package decode

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
)

// jsonFuzzLinkTypes are the link types the fuzzer picks from by index.
var jsonFuzzLinkTypes = []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL,
	layers.LinkTypeLinuxSLL2, layers.LinkTypeNull, layers.LinkTypeLoop, layers.LinkTypeRaw,
	layers.LinkTypeIPv4, layers.LinkTypeIPv6, 147, layers.LinkTypeIEEE802_11,
	layers.LinkTypeIEEE80211Radio, 192, layers.LinkTypePrismHeader, 163}

// FuzzJSONWriter checks that any bytes under any link type give exactly one
// line of valid JSON, and never a panic.
func FuzzJSONWriter(f *testing.F) {
	n := 0
	_ = synth.Generate(synth.Config{Seed: 9, Packets: 200}, func(ci gopacket.CaptureInfo, data []byte) error {
		if n%10 == 0 {
			f.Add(uint8(0), bytes.Clone(data))
			if len(data) > 14 {
				f.Add(uint8(5), bytes.Clone(data[14:]))
			}
		}
		n++
		return nil
	})
	for _, pk := range tunnelPackets(f) {
		f.Add(uint8(0), pk.data) // GRE, ERSPAN, VXLAN, Geneve, IP in IP
	}
	for _, p := range jsonAppPackets(f) {
		f.Add(uint8(0), p) // DNS, HTTP, TLS, DHCP, DHCPv6, NTP
	}
	for _, p := range jsonWifiPackets(f) {
		for i, lt := range jsonFuzzLinkTypes {
			if lt == p.lt {
				f.Add(uint8(i), p.data) // 802.11 bare, radiotap, PPI, AVS, Prism
			}
		}
	}
	f.Add(uint8(1), []byte{0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x86, 0xdd, 0x60})
	f.Add(uint8(3), []byte{2, 0, 0, 0, 0x45})
	var out bytes.Buffer
	w := NewJSONWriter(&out, &JSONOptions{Data: true})
	f.Fuzz(func(t *testing.T, lt uint8, data []byte) {
		out.Reset()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
		if err := w.Write(ci, data, jsonFuzzLinkTypes[int(lt)%len(jsonFuzzLinkTypes)]); err != nil {
			t.Fatalf("Write: %v", err)
		}
		line := out.Bytes()
		if bytes.IndexByte(line, '\n') != len(line)-1 {
			t.Fatalf("not one line: %q", line)
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("invalid JSON: %v: %s", err, line)
		}
		if _, ok := m["layers"].([]any); !ok {
			t.Fatalf("no layers array: %s", line)
		}
	})
}
