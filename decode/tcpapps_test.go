package decode

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// tcpappsCapture is the capture of generated packets of the TCP and RPC
// protocols (OpenFlow, BGP, RESP, AFS Rx, Kerberos, Sun RPC, L2TP...) that
// scripts/gen-tcpapps-golden.sh runs tcpdump on.
const tcpappsCapture = "testdata/tcpapps.pcap"

// tcpappsGolden is tcpdump's output on tcpappsCapture.
const tcpappsGolden = "testdata/tcpapps-golden.txt"

// appPacket is one generated packet: a name saying what it exercises, its
// Ethernet frame and how many bytes of it were captured (0: all).
type appPacket struct {
	name string
	data []byte
	snap int
}

// appSer serializes layers into an Ethernet frame with lengths and
// checksums computed.
func appSer(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return bytes.Clone(buf.Bytes())
}

// appTCP builds an IPv4 TCP segment (PSH, ACK) from port sp to port dp
// carrying payload.
func appTCP(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP4("10.1.0.1", "10.1.0.2", layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: 1000, Ack: 2000,
		PSH: true, ACK: true, Window: 512}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	return appSer(tb, tEther(layers.EthernetTypeIPv4), ip, tcp, gopacket.Payload(payload))
}

// appUDP builds an IPv4 UDP datagram from port sp to port dp carrying
// payload.
func appUDP(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP4("10.1.0.1", "10.1.0.2", layers.IPProtocolUDP)
	return appSer(tb, tEther(layers.EthernetTypeIPv4), ip, tUDP(sp, dp, ip), gopacket.Payload(payload))
}

// tcpOpts builds a TCP segment whose header carries an end-of-list option
// (24 bytes of header).
func tcpOpts(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP4("10.1.0.1", "10.1.0.2", layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: 1000, Ack: 2000,
		PSH: true, ACK: true, Window: 512, Options: []layers.TCPOption{{OptionType: layers.TCPOptionKindEndList}}}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	return appSer(tb, tEther(layers.EthernetTypeIPv4), ip, tcp, gopacket.Payload(payload))
}

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// u16 and u32 are big-endian encodings.
func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// ofMsg builds an OpenFlow message of version v and type t whose header
// announces length n (0: the real length) followed by body.
func ofMsg(v, t byte, n int, xid uint32, body []byte) []byte {
	if n == 0 {
		n = 8 + len(body)
	}
	return cat([]byte{v, t}, u16(uint16(n)), u32(xid), body)
}

// tcpappsPackets builds the packets of testdata/tcpapps.pcap; the same
// function checks the committed file is what it would write.
func tcpappsPackets(tb testing.TB) []appPacket {
	tb.Helper()
	tcp := func(sp, dp int, payload ...[]byte) []byte { return appTCP(tb, sp, dp, cat(payload...)) }
	const hdr = 14 + 20 + 20 // Ethernet, IPv4, TCP
	ofMany := tcp(40000, 6633, ofMsg(1, 0, 0, 1, nil), ofMsg(1, 14, 0, 2, make([]byte, 64)),
		ofMsg(4, 18, 0, 3, make([]byte, 8)), ofMsg(4, 29, 0, 4, make([]byte, 8)))
	return []appPacket{
		{"openflow 1.0 hello", tcp(40000, 6633, ofMsg(1, 0, 0, 0xf1c0ecd6, nil)), 0},
		{"openflow 1.0 and 1.3 messages in one segment", ofMany, 0},
		{"openflow 1.3 on the iana port", tcp(6653, 40001, ofMsg(4, 4, 0, 9, make([]byte, 8)), ofMsg(4, 19, 0, 10, make([]byte, 16))), 0},
		{"openflow unknown version and type", tcp(40000, 6633, ofMsg(0x5c, 0x1e, 0, 5, nil), ofMsg(2, 0, 0, 6, nil), ofMsg(1, 22, 0, 7, nil)), 0},
		{"openflow message longer than the segment", tcp(40000, 6633, ofMsg(1, 0, 0, 1, nil), ofMsg(1, 17, 200, 8, make([]byte, 20))), 0},
		{"openflow length below the header is invalid", tcp(40000, 6633, ofMsg(1, 0, 4, 1, nil), ofMsg(1, 0, 0, 2, nil)), 0},
		{"openflow invalid length in a cut capture", tcp(40000, 6633, ofMsg(1, 0, 0, 1, nil), ofMsg(1, 0, 2, 2, nil), make([]byte, 16)), hdr + 20},
		{"openflow partial header at the segment end", tcp(40000, 6633, ofMsg(1, 2, 0, 1, nil), []byte{1, 3, 0}), 0},
		{"openflow partial header in a cut capture", tcp(40000, 6633, ofMsg(1, 2, 0, 1, nil), []byte{1, 3, 0}), hdr + 10},
		{"openflow capture cut in the xid", ofMany, hdr + 8 + 6},
		{"openflow capture cut in a body", ofMany, hdr + 8 + 20},
		{"openflow capture cut after the version", ofMany, hdr + 8 + 1},
		{"bgp keepalive", tcp(40002, 179, bytes.Repeat([]byte{0xff}, 16), u16(19), []byte{4}), 0},
		{"ssh banner with crlf", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), 0},
		{"ssh banner with lf", tcp(22, 40003, []byte("SSH-2.0-srv\nmore")), 0},
		{"ssh banner without end of line", tcp(40003, 22, []byte("SSH-2.0-partial")), 0},
		{"ssh banner cr at the payload end", tcp(40003, 22, []byte("SSH-2.0-x\r")), 0},
		{"ssh banner cr then other", tcp(40003, 22, []byte("SSH-2.0-x\rz\n")), 0},
		{"ssh binary after the prefix", tcp(40003, 22, []byte("SSH-\x01\n")), 0},
		{"ssh not a banner", tcp(40003, 22, []byte("\x00\x00\x01\x0c\x0a\x14")), 0},
		{"ssh banner cut by the capture", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), hdr + 10},
		{"ssh payload not captured", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), hdr},
		{"rpki-rtr", tcp(40004, 323, []byte{1, 2, 0, 0, 0, 0, 0, 8}), 0},
		{"tcp options cut by the capture", tcpOpts(tb, 40005, 80, []byte("GET / HTTP/1.1\r\n")), 14 + 20 + 22},
	}
}

// TestWriteTcpappsCapture rewrites testdata/tcpapps.pcap when
// WIREKIT_WRITE_TCPAPPS=1 (scripts/gen-tcpapps-golden.sh sets it), and
// otherwise checks the committed file holds exactly the generated packets.
func TestWriteTcpappsCapture(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, p := range tcpappsPackets(t) {
		data := p.data
		if p.snap > 0 {
			data = data[:p.snap]
		}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0).UTC(), CaptureLength: len(data), Length: len(p.data)}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if os.Getenv("WIREKIT_WRITE_TCPAPPS") == "1" {
		if err := os.WriteFile(tcpappsCapture, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(tcpappsCapture)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, buf.Bytes()) {
		t.Fatalf("%s is stale: run scripts/gen-tcpapps-golden.sh", tcpappsCapture)
	}
}

// TestTcpappsMatchTcpdump prints the generated capture with each set of
// flags of testdata/tcpapps-golden.txt and compares every line with
// tcpdump's, naming the packet of the first difference.
func TestTcpappsMatchTcpdump(t *testing.T) {
	f, err := os.Open(tcpappsGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type block struct {
		flags, file string
		want        []string
	}
	var blocks []*block
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			flags, file, _ := strings.Cut(line[4:], "\t")
			blocks = append(blocks, &block{flags: flags, file: file})
		case strings.HasPrefix(line, "#"):
		case len(blocks) > 0:
			blocks[len(blocks)-1].want = append(blocks[len(blocks)-1].want, line)
		}
	}
	if len(blocks) == 0 {
		t.Fatalf("no blocks in %s", tcpappsGolden)
	}
	names := tcpappsPackets(t)
	for _, bl := range blocks {
		t.Run(bl.flags+" "+bl.file, func(t *testing.T) {
			r, ltOf, err := openCapture(filepath.FromSlash(bl.file))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var out bytes.Buffer
			o := tcpdumpFlags(t, bl.flags)
			p := NewPrinter(&out, &o)
			for {
				data, ci, err := r.ReadPacketData()
				if err != nil {
					break
				}
				if err := p.Print(ci, data, ltOf(ci)); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			pkt := -1
			for i, w := range bl.want {
				if !strings.HasPrefix(w, "\t") && !strings.HasPrefix(w, " ") {
					pkt++
				}
				var g string
				if i < len(got) {
					g = got[i]
				}
				if g != w {
					name := "?"
					if pkt >= 0 && pkt < len(names) {
						name = names[pkt].name
					}
					t.Errorf("packet %d (%s), line %d:\n got %s\nwant %s", pkt+1, name, i+1, g, w)
				}
			}
			if len(got) != len(bl.want) {
				t.Errorf("%d lines, tcpdump printed %d", len(got), len(bl.want))
			}
		})
	}
}

// TestPrintTcpappsAllocs checks printing the generated packets allocates
// nothing per packet.
func TestPrintTcpappsAllocs(t *testing.T) {
	pkts := tcpappsPackets(t)
	for _, v := range []int{0, 1, 2} {
		p := NewPrinter(io.Discard, &Options{Location: time.UTC, Verbose: v})
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0)}
		print := func() {
			for _, pk := range pkts {
				d := pk.data
				if pk.snap > 0 {
					d = d[:pk.snap]
				}
				ci.Length = len(pk.data)
				_ = p.Print(ci, d, layers.LinkTypeEthernet)
			}
		}
		print()
		if n := testing.AllocsPerRun(100, print); n != 0 {
			t.Errorf("verbose %d: Print allocates %.1f times per %d packets", v, n, len(pkts))
		}
	}
}

// FuzzPrintTcpapps checks that any bytes, seeded with the generated
// packets, print without a panic and end with a new line, at every
// verbosity.
func FuzzPrintTcpapps(f *testing.F) {
	for _, pk := range tcpappsPackets(f) {
		f.Add(uint8(0), pk.data)
	}
	var out bytes.Buffer
	ps := [3]*Printer{}
	for v := range ps {
		ps[v] = NewPrinter(&out, &Options{Location: time.UTC, Verbose: v})
	}
	f.Fuzz(func(t *testing.T, mode uint8, data []byte) {
		p := ps[int(mode)%len(ps)]
		out.Reset()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
		if err := p.Print(ci, data, layers.LinkTypeEthernet); err != nil {
			t.Fatalf("Print: %v", err)
		}
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		if len(data) > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			t.Fatalf("output does not end a line: %q", out.Bytes())
		}
	})
}
