package cli

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/pcapio"
)

// suriT0 is when the generated capture starts.
var suriT0 = time.Unix(1700000000, 0).UTC()

// suriPkt is one generated packet: when, which flow, the bytes.
type suriPkt struct {
	ts   time.Time
	flow string
	data []byte
}

func exSer(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var nl gopacket.NetworkLayer
	for _, l := range ls {
		switch v := l.(type) {
		case *layers.IPv4:
			nl = v
		case *layers.TCP:
			v.SetNetworkLayerForChecksum(nl)
		case *layers.UDP:
			v.SetNetworkLayerForChecksum(nl)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func ethL(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: et}
}

func ip4L(src, dst string, p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: p, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

// innerTCP is an IPv4+TCP packet (no link header) from a:ap to b:bp.
func innerTCP(t *testing.T, a string, ap int, b string, bp int, seq uint32) []byte {
	return exSer(t, ip4L(a, b, layers.IPProtocolTCP), &layers.TCP{SrcPort: layers.TCPPort(ap), DstPort: layers.TCPPort(bp), Seq: seq, ACK: true, Window: 1000}, gopacket.Payload(fmt.Sprintf("seq%d", seq)))
}

func plainTCP(t *testing.T, a string, ap int, b string, bp int, seq uint32) []byte {
	return exSer(t, ethL(layers.EthernetTypeIPv4), gopacket.Payload(innerTCP(t, a, ap, b, bp, seq)))
}

func plainUDP(t *testing.T, a string, ap int, b string, bp int, n int) []byte {
	ip := ip4L(a, b, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(ap), DstPort: layers.UDPPort(bp)}
	return exSer(t, ethL(layers.EthernetTypeIPv4), ip, u, gopacket.Payload(fmt.Sprintf("udp%d", n)))
}

// greTCP carries innerTCP in GRE between outer addresses oa and ob.
func greTCP(t *testing.T, oa, ob, a string, ap int, b string, bp int, seq uint32) []byte {
	return exSer(t, ethL(layers.EthernetTypeIPv4), ip4L(oa, ob, layers.IPProtocolGRE), &layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(innerTCP(t, a, ap, b, bp, seq)))
}

// vxlanUDP carries an Ethernet+IPv4+UDP frame in VXLAN (UDP 4789).
func vxlanUDP(t *testing.T, oa, ob, a string, ap int, b string, bp int, n int) []byte {
	inner := plainUDP(t, a, ap, b, bp, n)
	ip := ip4L(oa, ob, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: 50000, DstPort: 4789}
	return exSer(t, ethL(layers.EthernetTypeIPv4), ip, u, &layers.VXLAN{ValidIDFlag: true, VNI: 42}, gopacket.Payload(inner))
}

// suricataLogs writes the packets as Suricata's pcap-log multi mode
// would with `threads` capture threads: packet i goes to thread i%threads
// (so every flow is split across the threads' files), and each thread
// starts a new file pcap.<thread>.<unix seconds> every `rotate`.
func suricataLogs(t *testing.T, dir string, pkts []suriPkt, threads int, rotate time.Duration) {
	t.Helper()
	sort.SliceStable(pkts, func(i, j int) bool { return pkts[i].ts.Before(pkts[j].ts) })
	type key struct {
		thread int
		start  int64
	}
	ws := map[key]*pcapio.FileWriter{}
	for i, p := range pkts {
		th := i % threads
		start := p.ts.Truncate(rotate).Unix()
		k := key{th, start}
		w := ws[k]
		if w == nil {
			var err error
			w, err = pcapio.Create(filepath.Join(dir, fmt.Sprintf("pcap.%d.%d", th+1, start)),
				[]pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ws[k] = w
		}
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data)}, p.data); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range ws {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// suriSet builds the test capture: flows "tcp", "udp", "gre" and "vxlan"
// that the events name, and decoys that must not be taken: the tcp flow's
// 5-tuple inside GRE, the gre flow's inner 5-tuple untunnelled, the gre
// flow's inner 5-tuple in another tunnel, the tcp flow's 5-tuple an hour
// later, and unrelated traffic.
func suriSet(t *testing.T) []suriPkt {
	var pkts []suriPkt
	at := func(ms int) time.Time { return suriT0.Add(time.Duration(ms) * time.Millisecond) }
	for i := range 40 {
		ms := i * 900 // 0 .. 35.1 s: every flow crosses several 10 s files
		seq := uint32(i)
		c2s := i%2 == 0
		pick := func(a, b []byte) []byte {
			if c2s {
				return a
			}
			return b
		}
		pkts = append(pkts,
			suriPkt{at(ms), "tcp", pick(plainTCP(t, "10.0.0.1", 40001, "10.0.0.2", 80, seq), plainTCP(t, "10.0.0.2", 80, "10.0.0.1", 40001, seq))},
			suriPkt{at(ms + 10), "udp", pick(plainUDP(t, "10.0.0.3", 5353, "10.0.0.4", 53, i), plainUDP(t, "10.0.0.4", 53, "10.0.0.3", 5353, i))},
			suriPkt{at(ms + 20), "gre", pick(greTCP(t, "192.0.2.1", "192.0.2.2", "172.16.0.1", 1234, "172.16.0.2", 443, seq), greTCP(t, "192.0.2.2", "192.0.2.1", "172.16.0.2", 443, "172.16.0.1", 1234, seq))},
			suriPkt{at(ms + 30), "vxlan", pick(vxlanUDP(t, "198.51.100.1", "198.51.100.2", "172.16.1.1", 999, "172.16.1.2", 53, i), vxlanUDP(t, "198.51.100.2", "198.51.100.1", "172.16.1.2", 53, "172.16.1.1", 999, i))},
			suriPkt{at(ms + 40), "decoy", greTCP(t, "192.0.2.7", "192.0.2.8", "10.0.0.1", 40001, "10.0.0.2", 80, seq)},
			suriPkt{at(ms + 50), "decoy", plainTCP(t, "172.16.0.1", 1234, "172.16.0.2", 443, seq)},
			suriPkt{at(ms + 60), "decoy", greTCP(t, "192.0.2.9", "192.0.2.2", "172.16.0.1", 1234, "172.16.0.2", 443, seq)},
			suriPkt{at(ms + 70), "decoy", plainTCP(t, "10.9.9.9", 1000+i, "10.0.0.2", 80, seq)},
			suriPkt{at(ms + 3600_000), "decoy", plainTCP(t, "10.0.0.1", 40001, "10.0.0.2", 80, seq)},
		)
	}
	// The tcp flow's 5-tuple again after its flow.end, in a file the flow
	// spans: only the events without flow.end may take it.
	pkts = append(pkts, suriPkt{at(35500), "tcplate", plainTCP(t, "10.0.0.1", 40001, "10.0.0.2", 80, 999)})
	return pkts
}

const suriEvents = `{"timestamp":"2023-11-14T22:13:30.000000+0000","flow_id":111,"event_type":"alert","src_ip":"10.0.0.2","src_port":80,"dest_ip":"10.0.0.1","dest_port":40001,"proto":"TCP","flow":{"start":"2023-11-14T22:13:20.000000+0000"}}
{"timestamp":"2023-11-14T22:13:31.000000+0000","flow_id":222,"event_type":"alert","src_ip":"10.0.0.3","src_port":5353,"dest_ip":"10.0.0.4","dest_port":53,"proto":"UDP"}
{"timestamp":"2023-11-14T22:13:32.000000+0000","flow_id":333,"event_type":"alert","src_ip":"172.16.0.1","src_port":1234,"dest_ip":"172.16.0.2","dest_port":443,"proto":"TCP","tunnel":{"src_ip":"192.0.2.1","dest_ip":"192.0.2.2","proto":"GRE","depth":1}}
{"timestamp":"2023-11-14T22:13:33.000000+0000","flow_id":444,"event_type":"alert","src_ip":"172.16.1.2","src_port":53,"dest_ip":"172.16.1.1","dest_port":999,"proto":"UDP","tunnel":{"src_ip":"198.51.100.1","src_port":50000,"dest_ip":"198.51.100.2","dest_port":4789,"proto":"UDP","depth":1}}
{"timestamp":"2023-11-14T22:13:34.000000+0000","flow_id":111,"event_type":"flow","src_ip":"10.0.0.1","src_port":40001,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","flow":{"start":"2023-11-14T22:13:20.000000+0000","end":"2023-11-14T22:13:55.200000+0000"}}
`

// readCapture returns a capture's packets as "unixnano:hex" strings.
func readCapture(t *testing.T, path string) []string {
	t.Helper()
	r, err := pcapio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		out = append(out, fmt.Sprintf("%d:%x", ci.Timestamp.UnixNano(), data))
	}
	return out
}

// wantFlow lists the packets of flow ("a+b" for the packets of a and b).
func wantFlow(pkts []suriPkt, flow string) []string {
	var out []string
	for _, p := range pkts {
		if strings.Contains("+"+flow+"+", "+"+p.flow+"+") {
			out = append(out, fmt.Sprintf("%d:%x", p.ts.UnixNano(), p.data))
		}
	}
	sort.Strings(out)
	return out
}

func checkFlowFile(t *testing.T, path string, pkts []suriPkt, flow string) {
	t.Helper()
	got := readCapture(t, path)
	// Output must be in time order, and hold exactly the flow's packets.
	if !sort.StringsAreSorted(got) {
		t.Errorf("%s: packets not in time order", path)
	}
	want := wantFlow(pkts, flow)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: %d packets, want the %d of flow %s", path, len(got), len(want), flow)
	}
}

func TestExtractSuricataLogs(t *testing.T) {
	dir := t.TempDir()
	pkts := suriSet(t)
	suricataLogs(t, dir, pkts, 3, 10*time.Second)
	if names, _ := filepath.Glob(filepath.Join(dir, "pcap.*")); len(names) < 12 {
		t.Fatalf("only %d files generated", len(names))
	}
	events := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(events, []byte(suriEvents), 0o644); err != nil {
		t.Fatal(err)
	}
	mapFile := filepath.Join(t.TempDir(), "map.json")
	if code, _, stderr := run(t, nil, "map", "--dir-src", dir, "--dump-json", mapFile); code != 0 {
		t.Fatalf("map: %s", stderr)
	}
	flows := map[string]string{"111": "tcp", "222": "udp", "333": "gre", "444": "vxlan"}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"dir and file format, compiled filter", []string{"--dir-pcap", dir, "--file-format", "pcap.%n.%t"}},
		{"skip-bpf decodes each packet", []string{"--dir-pcap", dir, "--skip-bpf"}},
		{"every file of the folder, times read from the files", []string{"--dir-pcap", dir, "--file-format", ""}},
		{"map instead of a folder", []string{"--dump-json", mapFile}},
		{"files as arguments", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"extract", "--event", events, "--dump-pcap", filepath.Join(out, "flow-%f.pcap")}, tc.args...)
			if tc.args == nil {
				names, _ := filepath.Glob(filepath.Join(dir, "pcap.*"))
				args = append(args, names...)
			}
			code, _, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for id, flow := range flows {
				checkFlowFile(t, filepath.Join(out, "flow-"+id+".pcap"), pkts, flow)
			}
			if ents, _ := os.ReadDir(out); len(ents) != len(flows) {
				t.Errorf("%d files written, want %d", len(ents), len(flows))
			}
		})
	}
}

// TestExtractGopherCapEvent: GopherCap's case: one event, pretty-printed,
// with capture_file naming a file of the set; no --dir-pcap.
func TestExtractGopherCapEvent(t *testing.T) {
	dir := t.TempDir()
	pkts := suriSet(t)
	suricataLogs(t, dir, pkts, 2, 10*time.Second)
	names, _ := filepath.Glob(filepath.Join(dir, "pcap.*"))
	ev := fmt.Sprintf(`{
  "timestamp": "2023-11-14T22:13:32.000000+0000",
  "flow_id": 333,
  "capture_file": %q,
  "event_type": "alert",
  "src_ip": "172.16.0.1", "src_port": 1234,
  "dest_ip": "172.16.0.2", "dest_port": 443,
  "proto": "TCP",
  "tunnel": {"src_ip": "192.0.2.1", "dest_ip": "192.0.2.2", "proto": "GRE", "depth": 1}
}
`, names[0])
	events := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(events, []byte(ev), 0o644)
	out := filepath.Join(t.TempDir(), "event.pcap")
	code, _, stderr := run(t, nil, "extract", "--event", events, "--dump-pcap", out, "--file-format", "pcap.%n.%t")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkFlowFile(t, out, pkts, "gre")
}

func TestEve2Filter(t *testing.T) {
	in := suriEvents + `{"timestamp":"2023-11-14T22:13:35.000000+0000","flow_id":222,"event_type":"alert","src_ip":"10.0.0.3","src_port":5353,"dest_ip":"10.0.0.4","dest_port":53,"proto":"UDP"}
{"timestamp":"2023-11-14T22:13:36.000000+0000","flow_id":555,"event_type":"alert","src_ip":"2001:db8::1","dest_ip":"2001:db8::2","proto":"IPv6-ICMP"}
`
	evePath := filepath.Join(t.TempDir(), "eve.json")
	os.WriteFile(evePath, []byte(in), 0o644)
	out := filepath.Join(t.TempDir(), "f.yaml")
	code, _, stderr := run(t, nil, "eve2filter", "--path-eve", evePath, "--path-filter", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := parseFilterYAML(t, string(b))
	want := map[string][]string{
		"111": {"subnet:10.0.0.2/32", "subnet:10.0.0.1/32", "port:80/tcp", "port:40001/tcp"},
		"222": {"subnet:10.0.0.3/32", "subnet:10.0.0.4/32", "port:5353/udp", "port:53/udp"},
		"333": {"subnet:172.16.0.1/32", "subnet:172.16.0.2/32", "port:1234/tcp", "port:443/tcp"},
		"444": {"subnet:172.16.1.2/32", "subnet:172.16.1.1/32", "port:53/udp", "port:999/udp"},
		"555": {"subnet:2001:db8::1/128", "subnet:2001:db8::2/128"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v\nYAML:\n%s", got, want, b)
	}
}

// parseFilterYAML reads back the block YAML eve2filter writes (GopherCap's
// layout: NAME: conditions: [{kind, match: [...]}]) strictly, line by line.
func parseFilterYAML(t *testing.T, s string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var name, kind string
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, `"`) && strings.HasSuffix(l, `":`):
			name = strings.Trim(l, `":`)
			out[name] = nil
		case l == "  conditions:":
		case strings.HasPrefix(l, "  - kind: "):
			kind = strings.TrimPrefix(l, "  - kind: ")
		case l == "    match:":
		case strings.HasPrefix(l, `    - "`) && strings.HasSuffix(l, `"`):
			out[name] = append(out[name], kind+":"+strings.Trim(strings.TrimPrefix(l, "    - "), `"`))
		default:
			t.Fatalf("YAML line %d unexpected: %q", n, l)
		}
	}
	return out
}

func TestExtractNameSpans(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		files        []string
		want         []string // path:beginning-end (Unix seconds; 0 = open end)
		rest         []string
	}{
		{"threads follow their own files", "pcap.%n.%t",
			[]string{"d/pcap.1.100", "d/pcap.2.105", "d/pcap.1.110", "d/pcap.2.200", "d/pcap.1.120"},
			[]string{"d/pcap.1.100:99-111", "d/pcap.1.110:109-121", "d/pcap.1.120:119-0", "d/pcap.2.105:104-201", "d/pcap.2.200:199-0"}, nil},
		{"usec timestamps and compression suffixes", "log.%i.%t.pcap",
			[]string{"log.3.100.500000.pcap.gz", "log.3.101.250000.pcap"},
			[]string{"log.3.100.500000.pcap.gz:99-102", "log.3.101.250000.pcap:100-0"}, nil},
		{"no thread in the name: one sequence", "log.%t.pcap",
			[]string{"log.100.pcap", "log.90.pcap"},
			[]string{"log.100.pcap:99-0", "log.90.pcap:89-101"}, nil},
		{"names that do not match are read instead", "pcap.%n.%t",
			[]string{"pcap.1.100", "pcap.1.x", "other.pcap"},
			[]string{"pcap.1.100:99-0"}, []string{"pcap.1.x", "other.pcap"}},
		{"no %t: every file is read", "pcap.%n",
			[]string{"pcap.1", "pcap.2"}, nil, []string{"pcap.1", "pcap.2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			re, err := fileFormatRegexp(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			spans, rest := nameSpans(re, tc.files)
			var got []string
			for _, s := range spans {
				end := s.End.Unix()
				if s.End.Year() == 9999 {
					end = 0
				}
				got = append(got, fmt.Sprintf("%s:%d-%d", s.Path, s.Beginning.Unix(), end))
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || fmt.Sprint(rest) != fmt.Sprint(tc.rest) {
				t.Fatalf("spans %v rest %v, want %v and %v", got, rest, tc.want, tc.rest)
			}
		})
	}
}

// extract and eve2filter with everything in object storage (the
// in-process S3 endpoint and file://): Suricata's log folder as a prefix,
// the events, the map and the flows' captures as URLs, and a missing
// --event named in the error.
func TestExtractURL(t *testing.T) {
	dir := t.TempDir()
	pkts := suriSet(t)
	suricataLogs(t, dir, pkts, 3, 10*time.Second)
	names, _ := filepath.Glob(filepath.Join(dir, "pcap.*"))
	flows := map[string]string{"111": "tcp", "222": "udp", "333": "gre", "444": "vxlan"}
	for _, b := range storeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			s := blobio.NewStore()
			defer s.Close()
			for _, n := range names {
				data, _ := os.ReadFile(n)
				putObject(t, s, b.url("logs/"+filepath.Base(n)), data)
			}
			putObject(t, s, b.url("eve.json"), []byte(suriEvents))
			mustRun(t, "map", "--dir-src", b.url("logs/"), "--dump-json", b.url("map.json"))
			for i, args := range [][]string{
				{"--dir-pcap", b.url("logs/"), "--file-format", "pcap.%n.%t"},
				{"--dump-json", b.url("map.json")},
			} {
				out := func(name string) string { return b.url(fmt.Sprintf("out%d/%s", i, name)) }
				mustRun(t, append([]string{"extract", "--event", b.url("eve.json"), "--dump-pcap", out("flow-%f.pcap")}, args...)...)
				local := t.TempDir()
				for id, flow := range flows {
					p := filepath.Join(local, "flow-"+id+".pcap")
					os.WriteFile(p, getObject(t, s, out("flow-"+id+".pcap")), 0o644)
					checkFlowFile(t, p, pkts, flow)
				}
			}
			mustRun(t, "eve2filter", "--path-eve", b.url("eve.json"), "--path-filter", b.url("filters.yaml"))
			if got := parseFilterYAML(t, string(getObject(t, s, b.url("filters.yaml")))); len(got) == 0 {
				t.Error("eve2filter --path-filter URL: no filter written")
			}
			code, _, stderr := run(t, nil, "extract", "--event", b.url("nope.json"), "--dir-pcap", b.url("logs/"), "--dump-pcap", b.url("x/f-%f.pcap"))
			if code != 1 || !strings.Contains(stderr, "--event") || !strings.Contains(stderr, "nope.json") {
				t.Errorf("missing --event: exit %d, %q", code, stderr)
			}
		})
	}
}
