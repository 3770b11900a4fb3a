package cli

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// Packets for 'filter --yaml' tests, built with gopacket's serializers.

var (
	gcMacA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xa}
	gcMacB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xb}
	gcMacC = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xc}
	gcMacD = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xd}
)

func gcSer(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func gcIP4(src, dst string, p layers.IPProtocol, ttl uint8) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

// gcUDP4 is an Ethernet/IPv4/UDP frame.
func gcUDP4(tb testing.TB, src, dst string, sport, dport layers.UDPPort, ttl uint8) []byte {
	ip := gcIP4(src, dst, layers.IPProtocolUDP, ttl)
	u := &layers.UDP{SrcPort: sport, DstPort: dport}
	u.SetNetworkLayerForChecksum(ip)
	return gcSer(tb, &layers.Ethernet{SrcMAC: gcMacA, DstMAC: gcMacB, EthernetType: layers.EthernetTypeIPv4}, ip, u, gopacket.Payload("data"))
}

// gcTCP4 is an Ethernet/IPv4/TCP frame.
func gcTCP4(tb testing.TB, src, dst string, sport, dport layers.TCPPort) []byte {
	ip := gcIP4(src, dst, layers.IPProtocolTCP, 64)
	tc := &layers.TCP{SrcPort: sport, DstPort: dport, ACK: true, Window: 1000}
	tc.SetNetworkLayerForChecksum(ip)
	return gcSer(tb, &layers.Ethernet{SrcMAC: gcMacA, DstMAC: gcMacB, EthernetType: layers.EthernetTypeIPv4}, ip, tc, gopacket.Payload("data"))
}

// gcGRE wraps an inner IPv4 packet (no link header) in Ethernet/IPv4/GRE.
func gcGRE(tb testing.TB, innerIP []byte) []byte {
	return gcSer(tb, &layers.Ethernet{SrcMAC: gcMacA, DstMAC: gcMacB, EthernetType: layers.EthernetTypeIPv4},
		gcIP4("198.51.100.1", "198.51.100.2", layers.IPProtocolGRE, 64),
		&layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(innerIP))
}

// gcVXLAN wraps an inner Ethernet frame in Ethernet/IPv4/UDP 4789/VXLAN.
func gcVXLAN(tb testing.TB, innerEth []byte) []byte {
	ip := gcIP4("198.51.100.3", "198.51.100.4", layers.IPProtocolUDP, 64)
	u := &layers.UDP{SrcPort: 50000, DstPort: 4789}
	u.SetNetworkLayerForChecksum(ip)
	return gcSer(tb, &layers.Ethernet{SrcMAC: gcMacA, DstMAC: gcMacB, EthernetType: layers.EthernetTypeIPv4},
		ip, u, &layers.VXLAN{ValidIDFlag: true, VNI: 42}, gopacket.Payload(innerEth))
}

// gcWrite writes packets of link type lt, 1 ms apart, to path.
func gcWrite(tb testing.TB, path string, lt layers.LinkType, pkts ...[]byte) {
	tb.Helper()
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: lt}}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	for i, p := range pkts {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(p), Length: len(p)}, p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

type gcPacket struct {
	data []byte
	ci   gopacket.CaptureInfo
	lt   layers.LinkType
}

// gcRead reads a capture back whole; it fails the test on any error.
func gcRead(tb testing.TB, path string) []gcPacket {
	tb.Helper()
	r, err := pcapio.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var out []gcPacket
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			if r.Err() != nil {
				tb.Fatalf("%s: %v", path, r.Err())
			}
			break
		}
		out = append(out, gcPacket{data: data, ci: ci, lt: r.LinkType()})
	}
	return out
}

func gcWriteFile(tb testing.TB, path, text string) string {
	tb.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestFilterBatchGopherCapCommandLine runs a GopherCap filter YAML file
// with GopherCap's own command line and checks every output.
func TestFilterBatchGopherCapCommandLine(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "day2"), 0o755)
	gcWrite(t, filepath.Join(in, "a.pcap"), layers.LinkTypeEthernet,
		gcUDP4(t, "10.0.0.1", "8.8.8.8", 5000, 53, 64),
		gcTCP4(t, "10.0.0.1", "192.0.2.9", 40000, 22),
		gcTCP4(t, "172.16.0.1", "192.0.2.9", 40000, 443),
	)
	gcWrite(t, filepath.Join(in, "day2", "b.pcap"), layers.LinkTypeEthernet,
		gcTCP4(t, "10.5.5.5", "192.0.2.9", 40001, 80),
	)
	gcWriteFile(t, filepath.Join(in, "notes.txt"), "not a capture")
	yml := gcWriteFile(t, filepath.Join(dir, "filters.yml"), `# GopherCap layout
internal-no-dns:
  conditions:
    - kind: subnet
      negate: false
      match:
        - 10.0.0.0/8
    - kind: port
      negate: true
      match:
        - 53/udp
tls:
  conditions:
    - kind: port
      match: ["443/tcp"]
`)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := run(t, nil, "filter", "--yaml", yml, "--input", in, "--output", out, "--workers", "2", "--compress", "--decap", "--decap-depth", "-1", "--dedup")
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, tc := range []struct {
		path  string
		ports []layers.TCPPort
	}{
		{"internal-no-dns/a.pcap.gz", []layers.TCPPort{22}},
		{"internal-no-dns/b.pcap.gz", []layers.TCPPort{80}},
		{"tls/a.pcap.gz", []layers.TCPPort{443}},
		{"tls/b.pcap.gz", nil},
	} {
		got := gcRead(t, filepath.Join(out, tc.path))
		if len(got) != len(tc.ports) {
			t.Errorf("%s: %d packets, want %d", tc.path, len(got), len(tc.ports))
			continue
		}
		for i, p := range got {
			pk := gopacket.NewPacket(p.data, p.lt, gopacket.Default)
			tcp, _ := pk.Layer(layers.LayerTypeTCP).(*layers.TCP)
			if tcp == nil || tcp.DstPort != tc.ports[i] {
				t.Errorf("%s: packet %d is %v, want TCP port %d", tc.path, i, pk, tc.ports[i])
			}
		}
	}
	for _, want := range []string{"internal-no-dns: 2 files, 2 of 4 packets", "tls: 2 files, 1 of 4 packets", "dedup: 0 duplicate packets dropped"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

// TestFilterBatchDecap: with --decap the conditions see the inner packet
// of GRE and VXLAN tunnels and the outputs hold the inner frames, as
// Ethernet, with caplen and length consistent; without it, only the
// outer headers count and the packets are written as they came.
func TestFilterBatchDecap(t *testing.T) {
	dir := t.TempDir()
	innerIP := func(src, dst string) []byte {
		ip := gcIP4(src, dst, layers.IPProtocolUDP, 64)
		u := &layers.UDP{SrcPort: 1111, DstPort: 2222}
		u.SetNetworkLayerForChecksum(ip)
		return gcSer(t, ip, u, gopacket.Payload("inner"))
	}
	innerEth := gcSer(t, &layers.Ethernet{SrcMAC: gcMacC, DstMAC: gcMacD, EthernetType: layers.EthernetTypeIPv4},
		gopacket.Payload(innerIP("10.20.0.1", "10.20.0.2")))
	in := filepath.Join(dir, "tun.pcap")
	gcWrite(t, in, layers.LinkTypeEthernet,
		gcGRE(t, innerIP("10.10.0.1", "10.10.0.2")),
		gcVXLAN(t, innerEth),
		gcUDP4(t, "10.30.0.1", "10.30.0.2", 1111, 2222, 64),
	)
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), `
inner:
  conditions:
    - kind: subnet
      match: [10.10.0.0/16, 10.20.0.0/16]
outer:
  conditions:
    - kind: subnet
      match: [198.51.100.0/24]
port:
  conditions:
    - kind: port
      match: [2222/udp]
inner-mac:
  conditions:
    - kind: ether
      match: ["02:00:00:00:00:0c"]
`)
	for _, tc := range []struct {
		name  string
		decap bool
		want  map[string]int
	}{
		{"without decap", false, map[string]int{"inner": 0, "outer": 2, "port": 1, "inner-mac": 0}},
		{"with decap", true, map[string]int{"inner": 2, "outer": 0, "port": 3, "inner-mac": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := []string{"filter", "--yaml", yml, "--output", out, in}
			if tc.decap {
				args = append(args, "--decap")
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			for name, n := range tc.want {
				got := gcRead(t, filepath.Join(out, name, "tun.pcap"))
				if len(got) != n {
					t.Errorf("%s: %d packets, want %d", name, len(got), n)
				}
				for _, p := range got {
					if p.lt != layers.LinkTypeEthernet || p.ci.CaptureLength != len(p.data) || p.ci.Length != len(p.data) {
						t.Errorf("%s: link type %v, caplen %d, len %d, %d bytes", name, p.lt, p.ci.CaptureLength, p.ci.Length, len(p.data))
					}
					pk := gopacket.NewPacket(p.data, p.lt, gopacket.Default)
					ip, _ := pk.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
					if tc.decap && name == "inner" && (ip == nil || !strings.HasPrefix(ip.SrcIP.String(), "10.")) {
						t.Errorf("inner: packet %v is not an inner frame", pk)
					}
					if tc.decap && (pk.Layer(layers.LayerTypeGRE) != nil || pk.Layer(layers.LayerTypeVXLAN) != nil) {
						t.Errorf("%s: tunnel header left in %v", name, pk)
					}
				}
			}
			if tc.decap && !strings.Contains(stdout, "decap: 2 packets were tunnelled") {
				t.Errorf("summary:\n%s", stdout)
			}
		})
	}
}

// TestFilterBatchDedup: mirror copies (same IP packet, TTL changed by a
// hop) are dropped with --dedup and kept without it.
func TestFilterBatchDedup(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "mirror.pcap")
	a := gcUDP4(t, "10.0.0.1", "10.0.0.2", 1, 2, 64)
	aHop := gcUDP4(t, "10.0.0.1", "10.0.0.2", 1, 2, 63)
	b := gcUDP4(t, "10.0.0.1", "10.0.0.2", 1, 3, 64)
	gcWrite(t, in, layers.LinkTypeEthernet, a, a, aHop, b, b)
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "all:\n  conditions:\n    - kind: subnet\n      match: [10.0.0.0/8]\n")
	for _, tc := range []struct {
		name  string
		dedup bool
		want  int
	}{
		{"without dedup every copy is kept", false, 5},
		{"with dedup one of each is kept", true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := []string{"filter", "--yaml", yml, "--output", out, in}
			if tc.dedup {
				args = append(args, "--dedup")
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			if got := gcRead(t, filepath.Join(out, "all", "mirror.pcap")); len(got) != tc.want {
				t.Errorf("%d packets, want %d", len(got), tc.want)
			}
			if tc.dedup && !strings.Contains(stdout, "dedup: 3 duplicate packets dropped") {
				t.Errorf("summary:\n%s", stdout)
			}
		})
	}
}

// TestFilterBatchInputs: inputs by folder with --suffix, as arguments, and
// from a map; pcapng in gives pcapng out; compression suffixes.
func TestFilterBatchInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	p := gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2)
	gcWrite(t, filepath.Join(in, "a.pcap"), layers.LinkTypeEthernet, p)
	gcWrite(t, filepath.Join(in, "b.pcapng.zst"), layers.LinkTypeEthernet, p, p)
	gcWrite(t, filepath.Join(in, "pcap.1.1767366245"), layers.LinkTypeEthernet, p)
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "f:\n  conditions:\n    - kind: bpf\n      match: [tcp]\n")
	mapPath := filepath.Join(dir, "map.json")
	if code, _, stderr := run(t, nil, "map", "--dir-src", in, "--dump-json", mapPath); code != 0 {
		t.Fatalf("map: %s", stderr)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		files map[string]int
	}{
		{"folder: capture names only", []string{"--input", in}, map[string]int{"a.pcap": 1, "b.pcapng": 2}},
		{"folder with GopherCap's --suffix", []string{"--input", in, "--suffix", "pcap"}, map[string]int{"a.pcap": 1}},
		{"Suricata names by suffix", []string{"--input", in, "--suffix", "5"}, map[string]int{"pcap.1.1767366245.pcap": 1}},
		{"files as arguments", []string{filepath.Join(in, "b.pcapng.zst"), filepath.Join(in, "pcap.1.1767366245")}, map[string]int{"b.pcapng": 2, "pcap.1.1767366245.pcap": 1}},
		{"map", []string{"--dump-json", mapPath}, map[string]int{"a.pcap": 1, "b.pcapng": 2, "pcap.1.1767366245.pcap": 1}},
		{"compress zst", []string{"--input", in, "--compress=zst"}, map[string]int{"a.pcap.zst": 1, "b.pcapng.zst": 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := run(t, nil, append([]string{"filter", "--yaml", yml, "--output", out}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			ents, _ := os.ReadDir(filepath.Join(out, "f"))
			if len(ents) != len(tc.files) {
				t.Errorf("outputs %v, want %v", ents, tc.files)
			}
			for name, n := range tc.files {
				path := filepath.Join(out, "f", name)
				got := gcRead(t, path)
				if len(got) != n {
					t.Errorf("%s: %d packets, want %d", name, len(got), n)
				}
				r, err := pcapio.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				wantNG := strings.Contains(name, ".pcapng")
				if (r.Format() == pcapio.FormatPcapNG) != wantNG {
					t.Errorf("%s: format %v", name, r.Format())
				}
				r.Close()
			}
		})
	}
}

// TestFilterParentCommand: 'filter' alone prints help, and its
// subcommands work as before.
func TestFilterParentCommand(t *testing.T) {
	code, stdout, _ := run(t, nil, "filter")
	if code != 0 || !strings.Contains(stdout, "compile") || !strings.Contains(stdout, "--yaml") {
		t.Errorf("filter: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := run(t, nil, "filter", "compile", "-y", "RAW", "udp")
	if code != 0 || !strings.Contains(stdout, "ret") {
		t.Errorf("filter compile: exit %d\n%s%s", code, stdout, stderr)
	}
}
