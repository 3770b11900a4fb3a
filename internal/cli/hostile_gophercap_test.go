package cli

import (
	"fmt"
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

// Hostile and GopherCap-specific inputs (issue 14 item 5): GopherCap
// command lines and configuration files that wirekit once refused or
// misread, bad configuration files, and tunnelled and mirrored traffic
// for read --decap/--dedup. Keep them here so that they cannot come back.

var (
	macA = net.HardwareAddr{0, 1, 2, 3, 4, 5}
	macB = net.HardwareAddr{0, 1, 2, 3, 4, 6}
)

// innerIPv4 returns the layers of a UDP packet between 10.0.0.1 and dst
// with the given TTL.
func innerIPv4(dst string, ttl uint8) []gopacket.SerializableLayer {
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Protocol: layers.IPProtocolUDP, SrcIP: net.IPv4(10, 0, 0, 1), DstIP: net.ParseIP(dst)}
	udp := &layers.UDP{SrcPort: 5000, DstPort: 9999}
	udp.SetNetworkLayerForChecksum(ip)
	return []gopacket.SerializableLayer{ip, udp, gopacket.Payload("inner payload")}
}

func outerIPv4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: net.IPv4(192, 168, 1, 1), DstIP: net.IPv4(192, 168, 1, 2)}
}

func ether(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
}

func serialize(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// tunnelFixture writes an Ethernet capture of: a plain packet to
// 10.0.0.2; the same inner packet to 10.0.0.3 in GRE, in VXLAN (a mirror
// copy, TTL changed) and in ERSPAN II (another copy); a packet to
// 10.0.0.4 in VXLAN; and the plain packet again with another TTL (a mirror
// copy). It returns its path.
func tunnelFixture(t *testing.T) string {
	t.Helper()
	plain := func(ttl uint8) []byte {
		return serialize(t, append([]gopacket.SerializableLayer{ether(layers.EthernetTypeIPv4)}, innerIPv4("10.0.0.2", ttl)...)...)
	}
	gre := serialize(t, append([]gopacket.SerializableLayer{ether(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
		&layers.GRE{Protocol: layers.EthernetTypeIPv4}}, innerIPv4("10.0.0.3", 64)...)...)
	vxlan := func(dst string, ttl uint8) []byte {
		udp := &layers.UDP{SrcPort: 40000, DstPort: 4789}
		ip := outerIPv4(layers.IPProtocolUDP)
		udp.SetNetworkLayerForChecksum(ip)
		return serialize(t, append([]gopacket.SerializableLayer{ether(layers.EthernetTypeIPv4), ip, udp,
			&layers.VXLAN{ValidIDFlag: true, VNI: 42}, ether(layers.EthernetTypeIPv4)}, innerIPv4(dst, ttl)...)...)
	}
	erspan := serialize(t, append([]gopacket.SerializableLayer{ether(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
		&layers.GRE{Protocol: layers.EthernetTypeERSPAN, SeqPresent: true, Seq: 1},
		&layers.ERSPANII{Version: 1, SessionID: 7}, ether(layers.EthernetTypeIPv4)}, innerIPv4("10.0.0.3", 62)...)...)
	frames := [][]byte{plain(64), gre, vxlan("10.0.0.3", 63), erspan, vxlan("10.0.0.4", 64), plain(63)}
	path := filepath.Join(t.TempDir(), "mirror.pcap")
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC)
	for i, d := range frames {
		ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(d), Length: len(d)}
		if err := w.WritePacket(ci, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadDecapDedup: with --decap the filter and -w see the inner packet
// (before, 'host 10.0.0.3' matched nothing in tunnelled traffic); with
// --dedup the mirror copies are dropped; stderr has the counts.
func TestReadDecapDedup(t *testing.T) {
	in := tunnelFixture(t)
	tests := []struct {
		name      string
		args      []string
		lines     int      // printed packets (or written, with -w)
		stderrHas []string // counts reported
	}{
		{"without --decap the filter sees the outer packet", []string{"host 10.0.0.3"}, 0, nil},
		{"decap lets the filter see inner addresses", []string{"--decap", "host 10.0.0.3"}, 3,
			[]string{"read: decap: 4 of 6 packets were tunnelled; tunnels stripped: gre 1, erspan2 1, vxlan 2; 0 tunnel headers left in place"}},
		{"decap depth 1 strips the outer tunnel", []string{"--decap", "--decap-depth", "1", "udp port 9999"}, 6, []string{"4 of 6 packets were tunnelled"}},
		{"decap depth -1 is all, as GopherCap's default", []string{"--decap", "--decap-depth", "-1", "host 10.0.0.4"}, 1, nil},
		{"dedup drops the plain mirror copy", []string{"--dedup"}, 5, []string{"read: dedup: dropped 1 duplicates of 6 packets"}},
		{"decap then dedup drops copies from different tunnels", []string{"--decap", "--dedup"}, 3, []string{"read: dedup: dropped 3 duplicates of 6 packets"}},
		{"decap dedup and a filter", []string{"--decap", "--dedup", "host 10.0.0.3"}, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, append([]string{"read", "-r", in}, tc.args...)...)
			// A packet's first line starts with its time; a VXLAN
			// packet prints its inner frame on a second line, as tcpdump.
			got := len(tunnelTimeLineRE.FindAllStringIndex(stdout, -1))
			if code != 0 || got != tc.lines {
				t.Fatalf("exit %d, %d packets printed, want %d\nstdout: %s\nstderr: %s", code, got, tc.lines, stdout, stderr)
			}
			for _, want := range tc.stderrHas {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			// -w writes the same packets, inner frames, one link type.
			out := filepath.Join(t.TempDir(), "inner.pcap")
			code, stdout, stderr = run(t, nil, append([]string{"read", "-r", in, "-w", out}, tc.args...)...)
			if code != 0 {
				t.Fatalf("-w: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			src, err := pcapio.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			n := 0
			for {
				data, ci, err := src.ReadPacketData()
				if err != nil {
					break
				}
				n++
				if ci.CaptureLength != len(data) || ci.Length < ci.CaptureLength {
					t.Errorf("packet %d: caplen %d, len %d, %d bytes", n, ci.CaptureLength, ci.Length, len(data))
				}
				p := gopacket.NewPacket(data, src.LinkType(), gopacket.Default)
				if p.ErrorLayer() != nil {
					t.Errorf("packet %d does not decode: %v", n, p.ErrorLayer().Error())
				}
				if tc.args[0] == "--decap" && tc.lines > 0 {
					if ip, ok := p.NetworkLayer().(*layers.IPv4); !ok || !ip.SrcIP.Equal(net.IPv4(10, 0, 0, 1)) {
						t.Errorf("packet %d written is not the inner packet: %v", n, p)
					}
				}
			}
			if n != tc.lines || src.LinkType() != layers.LinkTypeEthernet {
				t.Errorf("-w wrote %d packets of link type %v, want %d Ethernet", n, src.LinkType(), tc.lines)
			}
		})
	}
}

// TestHostileGopherCapFlags: GopherCap flags with values wirekit cannot
// honour are usage errors (exit 2) naming the flag and what it accepts;
// nothing is sent or written.
func TestHostileGopherCapFlags(t *testing.T) {
	_, paths, _ := replayFixture(t)
	in := tunnelFixture(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"time in neither RFC 3339 nor GopherCap's form", []string{"replay", "--null", "--time-from", "2024/01/02 15:04", paths[0]},
			`replay: --time-from "2024/01/02 15:04": want an RFC 3339 time`},
		{"GopherCap time with a zone suffix", []string{"replay", "--null", "--time-to", "2024-01-02 15:04:05 CET", paths[0]}, "GopherCap's form 2024-03-01 10:00:00 (UTC)"},
		{"negative --skip-mtu", []string{"replay", "--null", "--skip-mtu", "-1", paths[0]}, "--skip-mtu -1: want a frame size"},
		{"--skip-ooo with --reorder", []string{"replay", "--null", "--skip-ooo", "--reorder", paths[0]}, "--skip-ooo and --reorder exclude each other"},
		{"decap depth beyond the decap package", []string{"read", "-r", in, "--decap", "--decap-depth", "9"}, "--decap-depth 9: want 1 to 8"},
		{"decap depth without --decap", []string{"read", "-r", in, "--decap-depth", "2"}, "--decap-depth needs --decap"},
		{"no map and no GopherCap default map", []string{"replay", "--null"}, "GopherCap's default map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stderr with %q", code, ExitUsage, stdout, stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("output despite the usage error: %s", stdout)
			}
		})
	}
}

// TestHostileConfig: configuration files that are not GopherCap's layout,
// or hold values a flag refuses, are usage errors naming the file, the
// line or key and the flag, before anything is read or written.
func TestHostileConfig(t *testing.T) {
	_, paths, _ := replayFixture(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		cfg  string
		want string
	}{
		{"missing file", filepath.Join(dir, "nope.yml"), "nope.yml: open"},
		{"not YAML", write("bad.yml", "replay:\n  loop: [1\n"), "bad.yml: not GopherCap's YAML layout: yaml: line"},
		{"unknown key", write("unknown.yml", "replay:\n  loop:\n    cuont: 3\n"), "unknown key(s) replay.loop.cuont: 'wirekit exampleConfig' prints every key"},
		{"list where a value belongs", write("list.yml", "global:\n  file:\n    regexp: [a, b]\n"), "key global.file.regexp: a list where a single value belongs"},
		{"value the flag refuses", write("value.yml", "replay:\n  loop:\n    count: many\n"), `key replay.loop.count (flag --loop-count): "many"`},
		{"bad duration", write("dur.yml", "replay:\n  time:\n    scale:\n      duration: soon\n"), "key replay.time.scale.duration (flag --time-scale-duration)"},
		{"a top-level scalar", write("scalar.yml", "just text\n"), "not GopherCap's YAML layout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, "--config", tc.cfg, "replay", "--null", paths[0])
			if code != ExitUsage || !strings.Contains(stderr, "wirekit: --config "+tc.cfg) || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stderr with %q", code, ExitUsage, stdout, stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("output despite the usage error: %s", stdout)
			}
		})
	}
	// An empty file, and empty keys, change nothing.
	for _, text := range []string{"", "replay:\n  loop:\n    count:\n"} {
		p := write("empty.yml", text)
		if code, stdout, stderr := run(t, nil, "--config", p, "replay", "--null", "--topspeed", paths[0]); code != 0 || !strings.Contains(stdout, "sent 200 packets") {
			t.Errorf("config %q: exit %d\nstdout: %s\nstderr: %s", text, code, stdout, stderr)
		}
	}
	// exampleConfig into a folder that does not exist fails and says where.
	bad := filepath.Join(dir, "no", "such", "example.yml")
	if code, _, stderr := run(t, nil, "--config", bad, "exampleConfig"); code != ExitFailure || !strings.Contains(stderr, bad) {
		t.Errorf("exampleConfig to %s: exit %d: %s", bad, code, stderr)
	}
}

// TestReplayDecapDedup: replay --decap sends the inner frames, --out-bpf
// then sees the inner packet, and --dedup drops the mirror copies across
// tunnels; the counts are in the summary.
func TestReplayDecapDedup(t *testing.T) {
	in := tunnelFixture(t)
	tests := []struct {
		name    string
		args    []string
		packets int
		has     []string
	}{
		{"decap", []string{"--decap"}, 6, []string{"replay: decap: 4 of 6 packets were tunnelled"}},
		{"decap with an inner --out-bpf", []string{"--decap", "--out-bpf", "host 10.0.0.4"}, 5, []string{"filtered 1 by --out-bpf"}},
		{"dedup alone", []string{"--dedup"}, 5, []string{"replay: dedup: dropped 1 duplicates of 6 packets"}},
		{"decap and dedup", []string{"--decap", "--dedup"}, 3, []string{"replay: dedup: dropped 3 duplicates of 6 packets"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.pcap")
			code, stdout, stderr := run(t, nil, append([]string{"replay", "--topspeed", "-w", out, in}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			for _, want := range tc.has {
				if !strings.Contains(stdout, want) {
					t.Errorf("summary lacks %q:\n%s", want, stdout)
				}
			}
			got := readAll(t, func() (pcapio.Source, error) { return pcapio.Open(out) })
			if len(got) != tc.packets {
				t.Fatalf("%d packets written, want %d\nstdout: %s", len(got), tc.packets, stdout)
			}
			if tc.args[0] == "--decap" {
				for i, p := range got {
					pk := gopacket.NewPacket([]byte(p.data), layers.LinkTypeEthernet, gopacket.Default)
					if ip, ok := pk.NetworkLayer().(*layers.IPv4); !ok || !ip.SrcIP.Equal(net.IPv4(10, 0, 0, 1)) {
						t.Errorf("packet %d sent is not the inner packet: %v", i, pk)
					}
				}
			}
		})
	}
}

// TestReadDecapRawToPcap: on a raw-IP capture, GRE carrying Ethernet
// (transparent bridging) gives inner frames of another link type. Written
// to a .pcap (one link type) they used to fail the write part-way and lose
// the output; now they are written whole and counted, and .pcapng gets the
// inner frames on an interface of their own.
func TestReadDecapRawToPcap(t *testing.T) {
	teb := serialize(t, append([]gopacket.SerializableLayer{outerIPv4(layers.IPProtocolGRE),
		&layers.GRE{Protocol: layers.EthernetTypeTransparentEthernetBridging}, ether(layers.EthernetTypeIPv4)}, innerIPv4("10.0.0.3", 64)...)...)
	plain := serialize(t, innerIPv4("10.0.0.2", 64)...)
	in := filepath.Join(t.TempDir(), "raw.pcap")
	w, err := pcapio.Create(in, []pcapio.Interface{{LinkType: layers.LinkTypeRaw, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range [][]byte{plain, teb, plain} {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)*1000), CaptureLength: len(d), Length: len(d)}
		if err := w.WritePacket(ci, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		out       string
		stderrHas string
		links     []layers.LinkType // of the packets written, in order
	}{
		{"pcap keeps the tunnelled packet whole", "inner.pcap", "1 tunnelled packets written whole",
			[]layers.LinkType{layers.LinkTypeRaw, layers.LinkTypeRaw, layers.LinkTypeRaw}},
		{"pcapng gets the inner frame", "inner.pcapng", "1 of 3 packets were tunnelled",
			[]layers.LinkType{layers.LinkTypeRaw, layers.LinkTypeEthernet, layers.LinkTypeRaw}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.out)
			code, stdout, stderr := run(t, nil, "read", "-r", in, "--decap", "-w", out)
			if code != 0 || !strings.Contains(stderr, tc.stderrHas) {
				t.Fatalf("exit %d, want 0 and stderr with %q\nstdout: %s\nstderr: %s", code, tc.stderrHas, stdout, stderr)
			}
			src, err := pcapio.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			var got []layers.LinkType
			for {
				_, ci, err := src.ReadPacketData()
				if err != nil {
					break
				}
				ifs := src.Interfaces() // pcapng declares interfaces as it goes
				lt := src.LinkType()
				if ci.InterfaceIndex < len(ifs) {
					lt = ifs[ci.InterfaceIndex].LinkType
				}
				got = append(got, lt)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.links) {
				t.Errorf("link types written %v, want %v", got, tc.links)
			}
		})
	}
}
