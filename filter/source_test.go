package filter_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// ipTCP serializes an IPv4 TCP segment to port dport, with an Ethernet
// header when eth is set.
func ipTCP(t *testing.T, eth bool, dport int) []byte {
	t.Helper()
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(10, 0, 0, 1), DstIP: net.IPv4(10, 0, 0, 2)}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: layers.TCPPort(dport), ACK: true, Window: 100}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	ls := []gopacket.SerializableLayer{ip, tcp}
	if eth {
		ls = append([]gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1},
			DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}}, ls...)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// twoLinkTypes is a pcapng file with an Ethernet and a raw IP interface,
// and a packet to port 80 and one to port 22 on each.
func twoLinkTypes(t *testing.T) []byte {
	var b bytes.Buffer
	w, err := pcapio.NewPcapNGWriter(&b, []pcapio.Interface{
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535},
		{LinkType: layers.LinkTypeRaw, SnapLen: 65535},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(1700000000, 0)
	for i, p := range []struct {
		iface int
		port  int
	}{{0, 80}, {1, 80}, {0, 22}, {1, 22}} {
		data := ipTCP(t, p.iface == 0, p.port)
		ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Second), CaptureLength: len(data), Length: len(data), InterfaceIndex: p.iface}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSourceFilter(t *testing.T) {
	file := twoLinkTypes(t)
	tests := []struct {
		name    string
		expr    string
		want    []bool // per packet
		openErr bool   // NewSourceFilter refuses the expression
		matchAt int    // index of the packet whose Match fails (-1: none)
	}{
		{"port filter matches on both link types", "tcp dst port 80", []bool{true, true, false, false}, false, -1},
		{"negation on both link types", "not port 80", []bool{false, false, true, true}, false, -1},
		{"syntax error is reported before reading", "tcp dst port", nil, true, -1},
		{"ether on the raw IP interface names the link type", "ether host 02:00:00:00:00:01", []bool{true}, false, 1},
		// arp can match nothing on raw IP: there it matches nothing,
		// rather than Compile's "expression rejects all packets".
		{"arp on the raw IP interface matches nothing there", "arp", []bool{false, false, false, false}, false, -1},
		{"rejects all packets on the first link type is refused", "arp and port 80", nil, true, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := pcapio.NewReader(bytes.NewReader(file), "two.pcapng")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			f, err := filter.NewSourceFilter(tc.expr, r, nil)
			if tc.openErr {
				var se *filter.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("NewSourceFilter: %v, want a *SyntaxError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []bool
			for i := 0; ; i++ {
				data, ci, err := r.ZeroCopyReadPacketData()
				if err != nil {
					break
				}
				ok, err := f.Match(ci, data)
				if i == tc.matchAt {
					var se *filter.SyntaxError
					if err == nil || !errors.As(err, &se) || !bytes.Contains([]byte(err.Error()), []byte("link type Raw")) {
						t.Fatalf("packet %d: Match error %v, want a *SyntaxError naming link type Raw", i, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
				got = append(got, ok)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("matches %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("packet %d (interface %d): match %v, want %v", i, i%2, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestSourceFilterNullByteOrder: a big-endian pcap of link type NULL gets
// a program compiled for big-endian address families, as libpcap does.
func TestSourceFilterNullByteOrder(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(order.String(), func(t *testing.T) {
			var b bytes.Buffer
			h := make([]byte, 24)
			order.PutUint32(h, 0xa1b2c3d4)
			order.PutUint16(h[4:], 2)
			order.PutUint16(h[6:], 4)
			order.PutUint32(h[16:], 65535)
			order.PutUint32(h[20:], 0) // NULL
			b.Write(h)
			pkt := make([]byte, 4)
			order.PutUint32(pkt, 2) // AF_INET in the writer's order
			pkt = append(pkt, ipTCP(t, false, 80)...)
			rec := make([]byte, 16)
			order.PutUint32(rec[8:], uint32(len(pkt)))
			order.PutUint32(rec[12:], uint32(len(pkt)))
			b.Write(rec)
			b.Write(pkt)
			r, err := pcapio.NewReader(&b, "null.pcap")
			if err != nil {
				t.Fatal(err)
			}
			f, err := filter.NewSourceFilter("ip and tcp port 80", r, nil)
			if err != nil {
				t.Fatal(err)
			}
			data, ci, err := r.ZeroCopyReadPacketData()
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := f.Match(ci, data); !ok || err != nil {
				t.Errorf("Match = %v, %v; want true (address family in the file's byte order)", ok, err)
			}
		})
	}
}

func TestSourceFilterMatchDoesNotAllocate(t *testing.T) {
	r, err := pcapio.NewReader(bytes.NewReader(twoLinkTypes(t)), "two.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	f, err := filter.NewSourceFilter("tcp port 80", r, nil)
	if err != nil {
		t.Fatal(err)
	}
	d0, c0, _ := r.ReadPacketData()
	d1, c1, _ := r.ReadPacketData()
	f.Match(c1, d1) // compiles for RAW
	if n := testing.AllocsPerRun(100, func() {
		f.Match(c0, d0)
		f.Match(c1, d1)
	}); n != 0 {
		t.Errorf("Match allocates %.1f times per run, want 0", n)
	}
}
