package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

var (
	jsonMacA = net.HardwareAddr{0x02, 0, 0, 0, 0, 1}
	jsonMacB = net.HardwareAddr{0x02, 0, 0, 0, 0, 2}
	jsonIP4A = net.IP{10, 0, 0, 1}
	jsonIP4B = net.IP{10, 0, 0, 2}
	jsonIP6A = net.ParseIP("2001:db8::1")
	jsonIP6B = net.ParseIP("2001:db8::2")
)

func jsonSerialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	for _, l := range ls {
		if c, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					_ = c.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return bytes.Clone(buf.Bytes())
}

// jsonPresent in a want table matches any value.
var jsonPresent = struct{ any }{}

// jsonGet walks a decoded JSON value along a dotted path; numbers in the path
// index arrays.
func jsonGet(v any, path string) (any, bool) {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[p]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// jsonWriteOne renders one packet and checks the line is one valid JSON
// object.
func jsonWriteOne(t *testing.T, ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) map[string]any {
	t.Helper()
	var out bytes.Buffer
	if err := NewJSONWriter(&out, nil).Write(ci, data, lt); err != nil {
		t.Fatalf("Write: %v", err)
	}
	line := out.Bytes()
	if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
		t.Fatalf("want exactly one line, got %q", line)
	}
	if !json.Valid(line) {
		t.Fatalf("invalid JSON: %s", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("unmarshal: %v: %s", err, line)
	}
	return m
}

func TestJSONLayers(t *testing.T) {
	eth := func(et layers.EthernetType) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: jsonMacA, DstMAC: jsonMacB, EthernetType: et}
	}
	v4 := func(p layers.IPProtocol) *layers.IPv4 {
		return &layers.IPv4{Version: 4, TTL: 64, Id: 7, Protocol: p, SrcIP: jsonIP4A, DstIP: jsonIP4B, Flags: layers.IPv4DontFragment}
	}
	v6 := func(p layers.IPProtocol) *layers.IPv6 {
		return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: p, SrcIP: jsonIP6A, DstIP: jsonIP6B}
	}
	syn := &layers.TCP{SrcPort: 43210, DstPort: 80, Seq: 1000, SYN: true, Window: 64240,
		Options: []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
			{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
			{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: []byte{0, 0, 0, 5, 0, 0, 0, 0}},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
		}}
	dnsQ := &layers.DNS{ID: 0x1234, RD: true, Questions: []layers.DNSQuestion{
		{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	dnsR := &layers.DNS{ID: 0x1234, QR: true, RD: true, RA: true, ResponseCode: layers.DNSResponseCodeNXDomain,
		Questions: []layers.DNSQuestion{{Name: []byte("a\"b\\c.example"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN}},
		Answers: []layers.DNSResourceRecord{{Name: []byte("x.example"), Type: layers.DNSTypeAAAA,
			Class: layers.DNSClassIN, TTL: 60, IP: jsonIP6B}}}
	udp53 := &layers.UDP{SrcPort: 40000, DstPort: 53}
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest,
		SourceHwAddress: jsonMacA, SourceProtAddress: jsonIP4A, DstHwAddress: make([]byte, 6), DstProtAddress: jsonIP4B}
	payload := gopacket.Payload([]byte("hello"))

	tcpFrame := func(t *testing.T) []byte {
		return jsonSerialize(t, eth(layers.EthernetTypeIPv4), v4(layers.IPProtocolTCP), syn)
	}
	tests := []struct {
		name  string
		lt    layers.LinkType
		build func(t *testing.T) []byte
		cut   int // bytes to drop from the end
		want  map[string]any
	}{
		{"ethernet ipv4 tcp syn", layers.LinkTypeEthernet, tcpFrame, 0, map[string]any{
			"src": "10.0.0.1", "dst": "10.0.0.2", "proto": "tcp", "sport": 43210.0, "dport": 80.0,
			"layers.0.layer": "ethernet", "layers.0.src": "02:00:00:00:00:01", "layers.0.type": "IPv4",
			"layers.1.layer": "ipv4", "layers.1.ttl": 64.0, "layers.1.id": 7.0, "layers.1.proto": 6.0,
			"layers.1.flags.0": "DF", "layers.1.len": 60.0,
			"layers.2.layer": "tcp", "layers.2.seq": 1000.0, "layers.2.flags.0": "SYN", "layers.2.win": 64240.0,
			"layers.2.options.0.kind": "mss", "layers.2.options.0.value": 1460.0,
			"layers.2.options.1.kind": "sackOK", "layers.2.options.2.val": 5.0,
			"layers.2.options.4.kind": "wscale", "layers.2.options.4.value": 7.0,
			"layers.3.layer": "payload", "layers.3.len": 0.0,
		}},
		{"truncated tcp", layers.LinkTypeEthernet, tcpFrame, 30, map[string]any{
			"layers.1.layer": "ipv4", "truncated": true, "layers.2.layer": "payload", "layers.2.len": 10.0,
			"error": jsonPresent,
		}},
		{"truncated ethernet", layers.LinkTypeEthernet, tcpFrame, 65, map[string]any{
			"layers.0.layer": "payload", "layers.0.len": 9.0,
		}},
		{"qinq ipv6 udp dns query", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, eth(layers.EthernetTypeQinQ),
				&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
				&layers.Dot1Q{VLANIdentifier: 200, Priority: 5, Type: layers.EthernetTypeIPv6},
				v6(layers.IPProtocolUDP), udp53, dnsQ)
		}, 0, map[string]any{
			"src": "2001:db8::1", "proto": "udp", "dport": 53.0,
			"layers.0.type": "802.1ad", "layers.1.layer": "dot1q", "layers.1.vlan": 100.0, "layers.1.type": "802.1Q",
			"layers.2.vlan": 200.0, "layers.2.prio": 5.0, "layers.3.layer": "ipv6", "layers.3.hlim": 64.0,
			"layers.4.layer": "udp", "layers.5.layer": "dns", "layers.5.id": 4660.0, "layers.5.qr": false,
			"layers.5.questions.0.name": "www.example.com", "layers.5.questions.0.type": "A",
		}},
		{"dns response escaped name", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, eth(layers.EthernetTypeIPv4), v4(layers.IPProtocolUDP),
				&layers.UDP{SrcPort: 53, DstPort: 40000}, dnsR)
		}, 0, map[string]any{
			"layers.3.rcode": "NXDOMAIN", "layers.3.questions.0.name": "a\"b\\c.example",
			"layers.3.answers.0.data": "2001:db8::2", "layers.3.answers.0.ttl": 60.0,
		}},
		{"arp request", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, &layers.Ethernet{SrcMAC: jsonMacA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP}, arp)
		}, 0, map[string]any{
			"proto": "arp", "layers.1.layer": "arp", "layers.1.op": "request",
			"layers.1.spa": "10.0.0.1", "layers.1.tpa": "10.0.0.2", "layers.1.sha": "02:00:00:00:00:01",
		}},
		{"icmp echo", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, eth(layers.EthernetTypeIPv4), v4(layers.IPProtocolICMPv4),
				&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 9, Seq: 3}, payload)
		}, 0, map[string]any{
			"proto": "icmp", "layers.2.layer": "icmp", "layers.2.kind": "echo request", "layers.2.id": 9.0,
			"layers.2.seq": 3.0, "layers.3.layer": "payload", "layers.3.len": 5.0,
		}},
		{"icmp6 neighbor solicitation", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, eth(layers.EthernetTypeIPv6), v6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)},
				&layers.ICMPv6NeighborSolicitation{TargetAddress: jsonIP6B})
		}, 0, map[string]any{
			"proto": "icmp6", "layers.2.kind": "neighbor solicitation", "layers.2.target": "2001:db8::2",
		}},
		{"ipv6 hop-by-hop and fragment", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			// Built without gopacket's Ethernet, which would pad the frame.
			b := append([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd}, jsonSerialize(t, v6(layers.IPProtocolIPv6HopByHop))...)
			// Hop-by-hop (8 bytes, PadN) then a non-first fragment of UDP.
			b = append(b, byte(layers.IPProtocolIPv6Fragment), 0, 1, 4, 0, 0, 0, 0)
			b = append(b, byte(layers.IPProtocolUDP), 0, 0x00, 0x19, 0, 0, 0, 42, 1, 2, 3, 4)
			be := b[14+4:]
			be[0], be[1] = 0, 20
			return b
		}, 0, map[string]any{
			"proto": "udp", "layers.1.layer": "ipv6", "layers.2.layer": "ipv6-hopbyhop",
			"layers.3.layer": "ipv6-fragment", "layers.3.offset": 24.0, "layers.3.more": true, "layers.3.id": 42.0,
			"layers.4.layer": "payload", "layers.4.len": 4.0,
		}},
		{"unknown ethertype", layers.LinkTypeEthernet, func(t *testing.T) []byte {
			return jsonSerialize(t, eth(0x88b5), payload)
		}, 0, map[string]any{"layers.0.type": "0x88b5", "layers.1.layer": "payload", "layers.1.len": 46.0}}, // padded to 60 bytes
		{"linux sll", layers.LinkTypeLinuxSLL, func(t *testing.T) []byte {
			h := []byte{0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00}
			return append(h, jsonSerialize(t, v4(layers.IPProtocolTCP), syn)...)
		}, 0, map[string]any{"layers.0.layer": "sll", "layers.0.pkttype": 4.0, "layers.0.type": "IPv4",
			"layers.1.layer": "ipv4", "layers.2.layer": "tcp"}},
		{"linux sll2", layers.LinkTypeLinuxSLL2, func(t *testing.T) []byte {
			h := []byte{0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}
			return append(h, jsonSerialize(t, v6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}, payload)...)
		}, 0, map[string]any{"layers.0.layer": "sll2", "layers.0.ifindex": 3.0, "layers.0.type": "IPv6",
			"layers.2.layer": "udp", "layers.3.len": 5.0}},
		{"null loopback", layers.LinkTypeNull, func(t *testing.T) []byte {
			return append([]byte{2, 0, 0, 0}, jsonSerialize(t, v4(layers.IPProtocolTCP), syn)...)
		}, 0, map[string]any{"layers.0.layer": "loopback", "layers.0.family": 2.0, "layers.1.layer": "ipv4"}},
		{"raw ip", layers.LinkTypeRaw, func(t *testing.T) []byte {
			return jsonSerialize(t, v6(layers.IPProtocolTCP), syn)
		}, 0, map[string]any{"layers.0.layer": "ipv6", "sport": 43210.0}},
		{"unknown link type", 147, func(t *testing.T) []byte { return []byte{1, 2, 3} }, 0,
			map[string]any{"layers.0.layer": "payload", "layers.0.len": 3.0}},
		{"empty", layers.LinkTypeEthernet, func(t *testing.T) []byte { return nil }, 0,
			map[string]any{"caplen": 0.0}},
	}
	ts := time.Date(2024, 1, 1, 0, 0, 0, 1000, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.build(t)
			data = data[:len(data)-tt.cut]
			ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data) + tt.cut, InterfaceIndex: 1}
			m := jsonWriteOne(t, ci, data, tt.lt)
			if m["ts"] != "2024-01-01T00:00:00.000001000Z" || m["iface"] != 1.0 || m["len"] != float64(ci.Length) {
				t.Errorf("ts/iface/len: %v %v %v", m["ts"], m["iface"], m["len"])
			}
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

func TestJSONStringEscape(t *testing.T) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f\x7f", "\xff\xfe", "héllo ✓", "a\u2028b"} {
		b := jsonString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%q: %s is not a JSON string: %v", s, b, err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); got != want && !strings.Contains(s, "\xff") {
			t.Errorf("%q: round trip gave %q", s, got)
		}
	}
}

func TestJSONOptionsAndErrors(t *testing.T) {
	var out bytes.Buffer
	w := NewJSONWriter(&out, &JSONOptions{Data: true})
	if err := w.Write(gopacket.CaptureInfo{CaptureLength: 2, Length: 2}, []byte{0xab, 0xcd}, 147); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"data":"abcd"`) {
		t.Errorf("no data key: %s", out.String())
	}
	boom := errors.New("boom")
	w = NewJSONWriter(jsonFailWriter{boom}, nil)
	if err := w.Write(gopacket.CaptureInfo{}, nil, layers.LinkTypeEthernet); !errors.Is(err, boom) {
		t.Errorf("write error: got %v", err)
	}
}

type jsonFailWriter struct{ err error }

func (f jsonFailWriter) Write([]byte) (int, error) { return 0, f.err }

// TestJSONSynth checks every packet of a synthetic capture gives a valid
// line whose top-level keys agree with the layers.
func TestJSONSynth(t *testing.T) {
	var out bytes.Buffer
	w := NewJSONWriter(&out, nil)
	err := synth.Generate(synth.Config{Seed: 3, Packets: 5000}, func(ci gopacket.CaptureInfo, data []byte) error {
		return w.Write(ci, data, layers.LinkTypeEthernet)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		if _, bad := m["error"]; bad {
			t.Errorf("line %d: decode error in a valid packet: %s", i+1, line)
		}
	}
}

func TestJSONAllocs(t *testing.T) {
	var pkts [][]byte
	_ = synth.Generate(synth.Config{Seed: 1, Packets: 300, Mix: synth.Mix{TCP: 1, ARP: 1, ICMP: 1, ICMPv6: 1, DNS: 1}},
		func(ci gopacket.CaptureInfo, data []byte) error { pkts = append(pkts, bytes.Clone(data)); return nil })
	w := NewJSONWriter(io.Discard, nil)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		p := pkts[i%len(pkts)]
		i++
		_ = w.Write(gopacket.CaptureInfo{CaptureLength: len(p), Length: len(p)}, p, layers.LinkTypeEthernet)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per packet, want 0", allocs)
	}
}

// TestJSONCorpus renders every packet of the shared tcpdump corpus and,
// where gopacket decodes only layers this writer knows, checks ports,
// addresses and TCP sequence numbers agree with gopacket's. It reads the
// files with pcapio.
func TestJSONCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t, "tcpdump")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[gopacket.LayerType]bool{layers.LayerTypeEthernet: true, layers.LayerTypeDot1Q: true,
		layers.LayerTypeIPv4: true, layers.LayerTypeIPv6: true, layers.LayerTypeTCP: true,
		layers.LayerTypeUDP: true, gopacket.LayerTypePayload: true}
	var out bytes.Buffer
	total, opened, compared := 0, 0, 0
	for _, path := range files {
		name := filepath.Base(path)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		src, lt, err := jsonOpenCapture(f)
		if err != nil {
			f.Close()
			continue // not a capture pcapio reads
		}
		opened++
		w := NewJSONWriter(&out, nil)
		for n := 0; n < 5000; n++ {
			data, ci, err := src.ReadPacketData()
			if err != nil {
				break
			}
			out.Reset()
			if err := w.Write(ci, data, lt); err != nil {
				t.Fatalf("%s: packet %d: %v", name, n+1, err)
			}
			var m map[string]any
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				t.Fatalf("%s: packet %d: invalid JSON: %v: %s", name, n+1, err, out.Bytes())
			}
			total++
			if lt != layers.LinkTypeEthernet {
				continue
			}
			pk := gopacket.NewPacket(data, lt, gopacket.NoCopy)
			tl := pk.TransportLayer()
			all := tl != nil && pk.ErrorLayer() == nil
			for _, l := range pk.Layers() {
				all = all && known[l.LayerType()]
			}
			if !all {
				continue
			}
			sport, dport := tl.TransportFlow().Endpoints()
			if got := fmt.Sprint(m["sport"], "-", m["dport"]); got != sport.String()+"-"+dport.String() {
				t.Errorf("%s: packet %d: ports %s, gopacket says %v-%v", name, n+1, got, sport, dport)
			}
			src, dst := pk.NetworkLayer().NetworkFlow().Endpoints()
			if got := fmt.Sprint(m["src"], " ", m["dst"]); got != src.String()+" "+dst.String() {
				t.Errorf("%s: packet %d: addresses %s, gopacket says %v %v", name, n+1, got, src, dst)
			}
			if tcp, ok := tl.(*layers.TCP); ok {
				seq, _ := jsonGet(m, "layers."+strconv.Itoa(len(pk.Layers())-2)+".seq")
				if len(tcp.Payload) == 0 {
					seq, _ = jsonGet(m, "layers."+strconv.Itoa(len(pk.Layers())-1)+".seq")
				}
				if seq != float64(tcp.Seq) {
					t.Errorf("%s: packet %d: seq %v, gopacket says %d", name, n+1, seq, tcp.Seq)
				}
			}
			compared++
		}
		f.Close()
	}
	if total == 0 {
		t.Fatal("no packet read from the corpus")
	}
	t.Logf("%d packets from %d of %d files; ports compared with gopacket on %d", total, opened, len(files), compared)
}

func jsonOpenCapture(r io.Reader) (gopacket.PacketDataSource, layers.LinkType, error) {
	src, err := pcapio.NewReader(r, "corpus")
	if err != nil {
		return nil, 0, err
	}
	return src, src.LinkType(), nil
}

func BenchmarkJSONWriter(b *testing.B) {
	for _, bc := range []struct {
		name string
		mix  synth.Mix
	}{{"mix", synth.Mix{}}, {"tcp", synth.Mix{TCP: 1}}, {"dns", synth.Mix{DNS: 1}}} {
		b.Run(bc.name, func(b *testing.B) {
			var pkts [][]byte
			var size int64
			_ = synth.Generate(synth.Config{Seed: 1, Packets: 10000, Mix: bc.mix}, func(ci gopacket.CaptureInfo, data []byte) error {
				pkts = append(pkts, bytes.Clone(data))
				size += int64(len(data))
				return nil
			})
			w := NewJSONWriter(io.Discard, nil)
			b.ReportAllocs()
			b.SetBytes(size / int64(len(pkts)))
			i := 0
			for b.Loop() {
				p := pkts[i%len(pkts)]
				i++
				_ = w.Write(gopacket.CaptureInfo{CaptureLength: len(p), Length: len(p)}, p, layers.LinkTypeEthernet)
			}
		})
	}
}

func ExampleJSONWriter() {
	// An ARP request, as captured on Ethernet.
	frame := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06, // Ethernet
		0, 1, 0x08, 0, 6, 4, 0, 1, // ARP: Ethernet/IPv4, request
		0x02, 0, 0, 0, 0, 1, 10, 0, 0, 1, // sender
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2, // target
	}
	ci := gopacket.CaptureInfo{Timestamp: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		CaptureLength: len(frame), Length: len(frame)}
	w := NewJSONWriter(os.Stdout, nil)
	if err := w.Write(ci, frame, layers.LinkTypeEthernet); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"ts":"2024-01-01T00:00:00.000000000Z","caplen":42,"len":42,"iface":0,"proto":"arp","layers":[{"layer":"ethernet","src":"02:00:00:00:00:01","dst":"ff:ff:ff:ff:ff:ff","type":"ARP"},{"layer":"arp","op":"request","htype":1,"ptype":"IPv4","sha":"02:00:00:00:00:01","spa":"10.0.0.1","tha":"00:00:00:00:00:00","tpa":"10.0.0.2"}]}
}
