package decode

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// wifiBeacon is an 802.11 beacon from 00:11:22:33:44:55 for SSID "home"
// on channel 6.
func wifiBeacon() []byte {
	b := []byte{0x80, 0, 0, 0, // beacon, no flags, duration 0
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // DA
		0, 0x11, 0x22, 0x33, 0x44, 0x55, // SA
		0, 0x11, 0x22, 0x33, 0x44, 0x55, // BSSID
		0x40, 0x13, // seq 308, frag 0
		1, 2, 3, 4, 5, 6, 7, 8, 100, 0, 0x21, 0x04, // timestamp, interval 100, capabilities
		0, 4, 'h', 'o', 'm', 'e', // SSID
		1, 1, 0x82, // rates
		3, 1, 6} // DS parameter set: channel 6
	return b
}

// jsonWifiFrame is an unprotected QoS data frame to the AP carrying IPv4/UDP.
func jsonWifiFrame(t testing.TB) []byte {
	h := []byte{0x88, 0x01, 0x2c, 0, // QoS data, To DS
		0, 0xaa, 0, 0, 0, 1, // BSSID
		0, 0xbb, 0, 0, 0, 2, // SA
		0, 0xcc, 0, 0, 0, 3, // DA
		0x10, 0, // seq 1
		5, 0, // QoS: TID 5
		0xaa, 0xaa, 3, 0, 0, 0, 0x08, 0x00} // LLC/SNAP IPv4
	return append(h, jsonSerialize(t, &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: jsonIP4A, DstIP: jsonIP4B},
		&layers.UDP{SrcPort: 1000, DstPort: 2000}, gopacket.Payload("hi"))...)
}

// wifiRadiotap is a radiotap header with TSFT, flags (FCS), rate,
// channel, antenna signal and noise and antenna.
func wifiRadiotap() []byte {
	h := make([]byte, 8, 32)
	h[0] = 0
	binary.LittleEndian.PutUint32(h[4:], 1<<0|1<<1|1<<2|1<<3|1<<5|1<<6|1<<11)
	h = append(h, 1, 0, 0, 0, 0, 0, 0, 0) // TSFT at 8
	h = append(h, 0x12)                   // flags: short preamble, FCS
	h = append(h, 108)                    // rate 54 Mb/s
	h = append(h, 0x85, 0x09, 0xa0, 0x00) // channel 2437, flags 0x00a0
	h = append(h, 0xd3, 0xa1, 1)          // signal -45, noise -95, antenna 1
	binary.LittleEndian.PutUint16(h[2:], uint16(len(h)))
	return h
}

func TestJSONWifiLayers(t *testing.T) {
	fcs := []byte{0xde, 0xad, 0xbe, 0xef}
	prism := func() []byte {
		h := make([]byte, 144)
		binary.LittleEndian.PutUint32(h, 0x41)
		binary.LittleEndian.PutUint32(h[4:], 144)
		copy(h[8:], "wlan0")
		for i, v := range []uint32{0, 0, 11, 40, 0, 0xffffffce, 0xffffffa6, 22, 0, 100} {
			binary.LittleEndian.PutUint32(h[24+12*i+8:], v)
		}
		return h
	}
	avs := func() []byte {
		h := make([]byte, 64)
		be := binary.BigEndian
		be.PutUint32(h, 0x80211001)
		be.PutUint32(h[4:], 64)
		be.PutUint32(h[24:], 4)          // phytype
		be.PutUint32(h[28:], 1)          // channel
		be.PutUint32(h[32:], 540)        // 54 Mb/s in 100 kb/s
		be.PutUint32(h[44:], 2)          // ssi type dBm
		be.PutUint32(h[48:], 0xffffffd8) // -40
		be.PutUint32(h[52:], 0xffffffa6) // -90
		return h
	}
	ppi := func() []byte {
		h := make([]byte, 8+4+20)
		h[2] = byte(len(h))
		binary.LittleEndian.PutUint32(h[4:], 105)
		binary.LittleEndian.PutUint16(h[8:], 2)
		binary.LittleEndian.PutUint16(h[10:], 20)
		f := h[12:]
		binary.LittleEndian.PutUint16(f[10:], 12)   // 6 Mb/s
		binary.LittleEndian.PutUint16(f[12:], 5180) // channel 36
		f[18], f[19] = 0xc4, 0xa0                   // -60, -96
		return h
	}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	tests := []struct {
		name string
		lt   layers.LinkType
		data func(t *testing.T) []byte
		want map[string]any
	}{
		{"bare 802.11 beacon", layers.LinkTypeIEEE802_11, func(t *testing.T) []byte { return wifiBeacon() }, map[string]any{
			"layers.0.layer": "wlan", "layers.0.type": "management", "layers.0.subtype": "beacon",
			"layers.0.da": "ff:ff:ff:ff:ff:ff", "layers.0.sa": "00:11:22:33:44:55", "layers.0.bssid": "00:11:22:33:44:55",
			"layers.0.seq": 308.0, "layers.0.interval": 100.0, "layers.0.ssid": "home", "layers.0.ds_channel": 6.0}},
		{"radiotap with fcs then beacon", layers.LinkTypeIEEE80211Radio, func(t *testing.T) []byte {
			return cat(wifiRadiotap(), wifiBeacon(), fcs)
		}, map[string]any{"layers.0.layer": "radiotap", "layers.0.tsft": 1.0, "layers.0.flags.0": "short-preamble",
			"layers.0.flags.1": "fcs", "layers.0.rate": 54.0, "layers.0.freq": 2437.0, "layers.0.channel": 6.0,
			"layers.0.signal": -45.0, "layers.0.noise": -95.0, "layers.0.antenna": 1.0,
			"layers.1.layer": "wlan", "layers.1.ssid": "home", "layers.1.ds_channel": 6.0}},
		{"radiotap data frame to ipv4 udp", layers.LinkTypeIEEE80211Radio, func(t *testing.T) []byte {
			return cat(wifiRadiotap(), jsonWifiFrame(t), fcs)
		}, map[string]any{"src": "10.0.0.1", "proto": "udp", "dport": 2000.0,
			"layers.1.subtype": "qos-data", "layers.1.flags.0": "to-ds", "layers.1.bssid": "00:aa:00:00:00:01",
			"layers.1.sa": "00:bb:00:00:00:02", "layers.1.da": "00:cc:00:00:00:03", "layers.1.tid": 5.0,
			"layers.2.layer": "llc", "layers.2.type": "IPv4", "layers.3.layer": "ipv4", "layers.4.layer": "udp",
			"layers.5.layer": "payload", "layers.5.len": 2.0}},
		{"ppi 802.11-common", 192, func(t *testing.T) []byte { return cat(ppi(), wifiBeacon()) }, map[string]any{
			"layers.0.layer": "ppi", "layers.0.dlt": 105.0, "layers.0.rate": 6.0, "layers.0.freq": 5180.0,
			"layers.0.channel": 36.0, "layers.0.signal": -60.0, "layers.0.noise": -96.0, "layers.1.subtype": "beacon"}},
		{"prism", layers.LinkTypePrismHeader, func(t *testing.T) []byte { return cat(prism(), wifiBeacon()) }, map[string]any{
			"layers.0.layer": "prism", "layers.0.devname": "wlan0", "layers.0.channel": 11.0, "layers.0.rssi": 40.0,
			"layers.0.signal": -50.0, "layers.0.noise": -90.0, "layers.0.rate": 11.0, "layers.1.ssid": "home"}},
		{"avs", 163, func(t *testing.T) []byte { return cat(avs(), wifiBeacon()) }, map[string]any{
			"layers.0.layer": "avs", "layers.0.channel": 1.0, "layers.0.rate": 54.0, "layers.0.signal": -40.0,
			"layers.0.noise": -90.0, "layers.1.subtype": "beacon"}},
		{"avs behind link type prism", layers.LinkTypePrismHeader, func(t *testing.T) []byte { return cat(avs(), wifiBeacon()) },
			map[string]any{"layers.0.layer": "avs", "layers.1.layer": "wlan"}},
		{"control rts and ack", layers.LinkTypeIEEE802_11, func(t *testing.T) []byte {
			return []byte{0xb4, 0, 0x10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
		}, map[string]any{"layers.0.type": "control", "layers.0.subtype": "rts", "layers.0.ra": "01:02:03:04:05:06",
			"layers.0.ta": "07:08:09:0a:0b:0c"}},
		{"deauth reason", layers.LinkTypeIEEE802_11, func(t *testing.T) []byte {
			b := wifiBeacon()[:24]
			b[0] = 0xc0
			return append(b, 7, 0)
		}, map[string]any{"layers.0.subtype": "deauth", "layers.0.reason": 7.0}},
		{"wds four addresses", layers.LinkTypeIEEE802_11, func(t *testing.T) []byte {
			b := make([]byte, 30)
			b[0], b[1] = 0x08, 0x03
			b[9], b[15], b[21], b[29] = 1, 2, 3, 4 // addresses 1 to 4
			return b
		}, map[string]any{"layers.0.ra": "00:00:00:00:00:01", "layers.0.ta": "00:00:00:00:00:02",
			"layers.0.da": "00:00:00:00:00:03", "layers.0.sa": "00:00:00:00:00:04"}},
		{"truncated radiotap", layers.LinkTypeIEEE80211Radio, func(t *testing.T) []byte { return wifiRadiotap()[:12] },
			map[string]any{"truncated": true, "error": jsonPresent, "layers.0.layer": "payload"}},
		{"truncated beacon tags", layers.LinkTypeIEEE802_11, func(t *testing.T) []byte { return wifiBeacon()[:39] },
			map[string]any{"layers.0.tags_truncated": true, "truncated": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			m := jsonWriteOne(t, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, data, tt.lt)
			for path, want := range tt.want {
				got, ok := jsonGet(m, path)
				if !ok || (got != want && want != jsonPresent) {
					line, _ := json.Marshal(m)
					t.Errorf("%s = %#v, want %#v\n%s", path, got, want, line)
				}
			}
		})
	}
}

// jsonWifiPackets returns 802.11 packets under each capture header, for
// the allocation test and the fuzz seeds.
func jsonWifiPackets(t testing.TB) []struct {
	lt   layers.LinkType
	data []byte
} {
	rt := func(f []byte) []byte { return append(wifiRadiotap(), append(f, 0, 0, 0, 0)...) }
	return []struct {
		lt   layers.LinkType
		data []byte
	}{
		{layers.LinkTypeIEEE802_11, wifiBeacon()},
		{layers.LinkTypeIEEE80211Radio, rt(wifiBeacon())},
		{layers.LinkTypeIEEE80211Radio, rt(jsonWifiFrame(t))},
		{192, append([]byte{0, 0, 8, 0, 105, 0, 0, 0}, wifiBeacon()...)},
		{163, append(append([]byte{0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64}, make([]byte, 56)...), wifiBeacon()...)},
		{layers.LinkTypePrismHeader, append(make([]byte, 144), wifiBeacon()...)},
	}
}

func TestJSONWifiAllocs(t *testing.T) {
	pkts := jsonWifiPackets(t)
	w := NewJSONWriter(io.Discard, nil)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		p := pkts[i%len(pkts)]
		i++
		_ = w.Write(gopacket.CaptureInfo{CaptureLength: len(p.data), Length: len(p.data)}, p.data, p.lt)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per 802.11 packet, want 0", allocs)
	}
}
