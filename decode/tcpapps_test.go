package decode

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tcpappsCapture is the capture of generated packets of the TCP and RPC
// protocols (OpenFlow, BGP, RESP, AFS Rx, Kerberos, Sun RPC, L2TP...) that
// scripts/gen-tcpapps-golden.sh runs tcpdump on.
const tcpappsCapture = "testdata/tcpapps.pcap"

// tcpappsGolden is tcpdump's output on tcpappsCapture.
const tcpappsGolden = "testdata/tcpapps-golden.txt"

// tcpappPacket is one generated packet: a name saying what it exercises, its
// Ethernet frame and how many bytes of it were captured (0: all).
type tcpappPacket struct {
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

// appUDP builds an IPv4 UDP datagram from 10.1.0.1 port sp to 10.1.0.2
// port dp carrying payload.
func appUDP(tb testing.TB, sp, dp int, payload []byte) []byte {
	return appUDPFrom(tb, "10.1.0.1", "10.1.0.2", sp, dp, payload)
}

// appUDPFrom builds an IPv4 UDP datagram from src port sp to dst port dp.
func appUDPFrom(tb testing.TB, src, dst string, sp, dp int, payload []byte) []byte {
	ip := tIP4(src, dst, layers.IPProtocolUDP)
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

// ip6ZeroLen builds an IPv6 UDP datagram whose payload length field is 0
// with no jumbo payload option (as BIG TCP captures show).
func ip6ZeroLen(tb testing.TB) []byte {
	ip := tIP6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP)
	d := appSer(tb, tEther(layers.EthernetTypeIPv6), ip, tUDP(40000, 4789, ip), gopacket.Payload("payload"))
	d[14+4], d[14+5] = 0, 0
	return d
}

// cat concatenates byte slices.

// u16 and u32 are big-endian encodings.
func tu16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func tu32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// ofMsg builds an OpenFlow message of version v and type t whose header
// announces length n (0: the real length) followed by body.
func ofMsg(v, t byte, n int, xid uint32, body []byte) []byte {
	if n == 0 {
		n = 8 + len(body)
	}
	return cat([]byte{v, t}, tu16(uint16(n)), tu32(xid), body)
}

// rxHdr builds an Rx header: call number, sequence, type, flags and
// service ID.
func rxHdr(call, seq uint32, typ, flags byte, service uint16) []byte {
	return cat(tu32(0x12345678), tu32(0xabcd0001), tu32(call), tu32(seq), tu32(seq), []byte{typ, flags, 0, 2}, tu16(0), tu16(service))
}

// words encodes 32-bit words.
func words(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// xdrStr encodes an XDR counted string, padded to 4 bytes.
func xdrStr(s string) []byte {
	b := cat(tu32(uint32(len(s))), []byte(s))
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// vecStr encodes a string one character per 32-bit word, n words.
func vecStr(s string, n int) []byte {
	b := make([]byte, 4*n)
	for i := 0; i < len(s) && i < n; i++ {
		b[4*i+3] = s[i]
	}
	return b
}

// rxPackets are the AFS Rx packets of the generated capture: calls to each
// service with their replies (the printer names a reply from its call).
func rxPackets(tb testing.TB) []tcpappPacket {
	const cli, srv = 7001, 7000
	udp := func(sp, dp int, parts ...[]byte) []byte { return appUDP(tb, sp, dp, cat(parts...)) }
	call := func(dp int, n uint32, service uint16, parts ...[]byte) []byte {
		return udp(1799, dp, cat(rxHdr(n, 1, 1, 1, service), cat(parts...)))
	}
	reply := func(sp int, n uint32, typ byte, service uint16, parts ...[]byte) []byte {
		return appUDPFrom(tb, "10.1.0.2", "10.1.0.1", sp, 1799, cat(rxHdr(n, 1, typ, 0, service), cat(parts...)))
	}
	fid := words(536871098, 1, 1)
	store := words(1|4|8|1024, 942356784, 0, 100, 0o40755, 0)
	acl := xdrStr("2 1\nsystem:administrators 127\nsystem:anyuser 9\nbaduser 2\n")
	entry8 := cat(vecStr("root.cell", 65), words(0, 2), words(0x83970192, 0x8397013c, 0, 0, 0, 0, 0, 0),
		words(0, 30, 0, 0, 0, 0, 0, 0), make([]byte, 32), words(536870915, 536870916, 536870917))
	entry13 := cat(vecStr("users.x", 65), words(1), words(0x8397013b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		words(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), make([]byte, 52), words(536871098, 536871099, 536871100))
	const rxh = 14 + 20 + 8 + 28
	fetch := call(srv, 10, 1, words(130), fid, words(0, 65536))
	return []tcpappPacket{
		{"rx fs call fetch-data", fetch, 0},
		{"rx fs reply fetch-data named from its call", reply(srv, 10, 1, 1, make([]byte, 40)), 0},
		{"rx data continuation prints no call", udp(srv, cli, rxHdr(10, 2, 1, 0, 1), make([]byte, 40)), 0},
		{"rx fs call fetch-status", call(srv, 11, 1, words(132), fid), 0},
		{"rx fs abort no such vnode", reply(srv, 11, 4, 1, words(102)), 0},
		{"rx fs call makedir with store status", call(srv, 12, 1, words(141), fid, xdrStr("tmpdir"), store), 0},
		{"rx fs reply makedir new fid", reply(srv, 12, 1, 1, words(536871098, 677, 1097448)), 0},
		{"rx fs call symlink", call(srv, 13, 1, words(139), fid, xdrStr("rotcel"), xdrStr("#root.cell.")), 0},
		{"rx fs abort restarting fileserver", reply(srv, 13, 4, 1, words(0xffffff9c)), 0},
		{"rx fs call rename", call(srv, 14, 1, words(138), fid, xdrStr("a"), fid, xdrStr("b\x01\xe9")), 0},
		{"rx fs abort unknown error", reply(srv, 14, 4, 1, words(5)), 0},
		{"rx fs call store-acl", call(srv, 15, 1, words(134), fid, acl), 0},
		{"rx fs call fetch-acl", call(srv, 16, 1, words(131), fid), 0},
		{"rx fs reply fetch-acl", reply(srv, 16, 1, 1, acl), 0},
		{"rx fs call bulk-stat", call(srv, 17, 1, words(155, 2), fid, fid), 0},
		{"rx fs call bulk-stat none", call(srv, 18, 1, words(155, 0)), 0},
		{"rx fs call fetch-data-64", call(srv, 19, 1, words(65537), fid, words(1, 2, 0, 65536)), 0},
		{"rx fs call store-data", call(srv, 20, 1, words(133), fid, store, words(0, 10, 10)), 0},
		{"rx fs call get-time and reply", call(srv, 21, 1, words(153)), 0},
		{"rx fs reply get-time", reply(srv, 21, 1, 1, words(942356784)), 0},
		{"rx fs reply of a strange type", reply(srv, 21, 4+3, 1, words(1)), 0},
		{"rx fs call unknown opcode", call(srv, 22, 1, words(999)), 0},
		{"rx fs call name longer than allowed", call(srv, 23, 1, words(136), fid, tu32(300), make([]byte, 300)), 0},
		{"rx fs call name cut by the capture", call(srv, 24, 1, words(136), fid, xdrStr("abcdefgh")), rxh + 4 + 12 + 4 + 3},
		{"rx fs call fid cut by the capture", call(srv, 25, 1, words(132), fid), rxh + 4 + 8},
		{"rx fs call opcode not captured", call(srv, 26, 1, words(132), fid), rxh + 2},
		{"rx fs call offset not captured", fetch, rxh + 4 + 12 + 2},
		{"rx cb call callback", call(cli, 30, 1, words(204, 2), fid, fid, words(1, 1, 942356784, 1)), 0},
		{"rx cb call probe", call(cli, 31, 1, words(206)), 0},
		{"rx cb abort", reply(cli, 31, 4, 1, words(0xfffffffe)), 0},
		{"rx cb call probeuuid", call(cli, 32, 1, words(214, 0x01020304, 0x0506, 0x0708, 9, 10, 11, 12, 13, 14, 15, 16)), 0},
		{"rx pt call name-to-id", call(7002, 40, 1, words(504, 2), vecStr("nneul", 64), vecStr("system:administrators", 64)), 0},
		{"rx pt reply name-to-id", reply(7002, 40, 1, 1, words(2, 5879, 0xffffff34)), 0},
		{"rx pt call id-to-name", call(7002, 41, 1, words(505, 2, 0xffffff34, 5113)), 0},
		{"rx pt reply id-to-name", reply(7002, 41, 1, 1, words(1), vecStr("rms", 64)), 0},
		{"rx pt call id-to-name none", call(7002, 42, 1, words(505, 0)), 0},
		{"rx pt reply id-to-name none", reply(7002, 42, 1, 1, words(0)), 0},
		{"rx pt call same-mbr-of", call(7002, 43, 1, words(515, 5879, 0xffffff34)), 0},
		{"rx pt reply list-max", reply(7002, 43, 1, 1, words(1, 2)), 0},
		{"rx pt call list-elements cut in the names", call(7002, 44, 1, words(504, 1), vecStr("x", 64)), rxh + 8 + 100},
		{"rx pt ubik call disk-lock", call(7002, 45, 1, words(20002, 1, 2, 3, 4, 5, 2)), 0},
		{"rx vldb ubik call vote-beacon", call(7003, 46, 1, words(10000, 1, 942356784, 1, 2, 3, 4)), 0},
		{"rx vldb ubik reply vote yes", reply(7003, 46, 4, 1, words(942356784)), 0},
		{"rx vldb call get-entry-by-name", call(7003, 47, 1, words(504), xdrStr("root.cell")), 0},
		{"rx vldb reply get-entry-by-name", reply(7003, 47, 1, 1, entry8), 0},
		{"rx vldb call get-entry-by-id-n", call(7003, 48, 1, words(518, 536871098, 1)), 0},
		{"rx vldb reply get-entry-by-id-n", reply(7003, 48, 1, 1, entry13), 0},
		{"rx vldb call get-entry-by-id-n error", call(7003, 49, 1, words(518, 5, 7)), 0},
		{"rx vldb reply errcode", reply(7003, 49, 4, 1, words(363524)), 0},
		{"rx vldb reply cut in the servers", reply(7003, 48, 1, 1, entry8), rxh + 260 + 4 + 8},
		{"rx kauth call authenticate", call(7004, 50, 1, words(21), xdrStr("admin"), xdrStr("")), 0},
		{"rx kauth reply authenticate", reply(7004, 50, 4, 1, words(180490)), 0},
		{"rx kauth call get-ticket", call(7004, 51, 1, words(23, 3), xdrStr("CELL"), xdrStr("tkt"), xdrStr("afs"), xdrStr("")), 0},
		{"rx vol call list-one-volume", call(7005, 60, 1, words(121, 1, 536871098)), 0},
		{"rx vol reply list-one-volume", reply(7005, 60, 1, 1, words(1), vecStr("users.nneul", 32), words(536871098), make([]byte, 84)), 0},
		{"rx vol call forward", call(7005, 61, 1, words(103, 5, 942356784, 1, 2, 3, 0xffffffff)), 0},
		{"rx vol reply get-status", call(7005, 62, 1, words(113)), 0},
		{"rx vol reply get-status data", reply(7005, 62, 1, 1, words(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 942356784, 0, 1, 2, 3, 4)), 0},
		{"rx bos call create-bnode", call(7007, 70, 1, words(80), xdrStr("simple"), xdrStr("ptserver")), 0},
		{"rx bos reply errcode", reply(7007, 70, 4, 1, words(1)), 0},
		{"rx ack ranges", udp(cli, srv, rxHdr(10, 0, 2, 0, 1), tu16(0), tu16(0), tu32(5), tu32(4), tu32(2576), []byte{8, 9}, []byte{1, 1, 0, 1, 0, 0, 1, 1, 1}, make([]byte, 3), words(1444, 1444, 32, 4)), 0},
		{"rx ack unknown reason no acks", udp(cli, srv, rxHdr(10, 0, 2, 0x20, 1), tu16(0), tu16(0), tu32(2), tu32(1), tu32(1), []byte{42, 0}), 0},
		{"rx ack cut in its header", udp(cli, srv, rxHdr(10, 0, 2, 0, 1), tu16(0), tu16(0), tu32(2), tu32(1), tu32(1), []byte{1, 0}), rxh + 10},
		{"rx ack cut in its acks", udp(cli, srv, rxHdr(10, 0, 2, 0, 1), tu16(0), tu16(0), tu32(2), tu32(1), tu32(1), []byte{1, 4}, []byte{1, 1, 1, 1}), rxh + 19},
		{"rx header cut", udp(cli, srv, rxHdr(10, 0, 2, 0, 1)), rxh - 1},
		{"rx unknown type and challenge", udp(srv, cli, rxHdr(10, 0, 11, 0, 1), make([]byte, 8)), 0},
		{"rx challenge", udp(7003, 1792, rxHdr(10, 0, 6, 0, 1), make([]byte, 16)), 0},
		{"rx port above the services", udp(7009, 1792, rxHdr(10, 1, 1, 1, 1), words(1)), 0},
	}
}

// krbPackets are Kerberos 4 and 5 datagrams.
func krbPackets(tb testing.TB) []tcpappPacket {
	udp := func(sp, dp int, parts ...[]byte) []byte { return appUDP(tb, sp, dp, cat(parts...)) }
	names := []byte("user\x00inst\x00REALM\x00")
	return []tcpappPacket{
		{"krb v4 kdc request big-endian", udp(1025, 88, []byte{4, 2}, names, tu32(0), []byte{96}, []byte("krbtgt\x00REALM\x00")), 0},
		{"krb v4 kdc request little-endian", udp(1025, 750, []byte{4, 3}, names, tu32(0), []byte{12}, []byte("rcmd\x00host\x00")), 0},
		{"krb v4 kdc reply", udp(88, 1025, []byte{4, 4}, names, make([]byte, 10), tu16(300)), 0},
		{"krb v4 kdc reply little-endian length", udp(88, 1025, []byte{4, 5}, names, make([]byte, 10), []byte{0x2c, 1}), 0},
		{"krb v4 error reply", udp(88, 1025, []byte{4, 10}, names, tu32(0), tu16(8), tu16(0), []byte("who?\x00")), 0},
		{"krb v4 error reply unknown code", udp(88, 1025, []byte{4, 10}, names, tu32(0), tu16(77), tu16(0), []byte("x\x00")), 0},
		{"krb v4 appl request", udp(1025, 88, []byte{4, 6, 0, 0, 3}, []byte("REALM\x00"), []byte{7, 9}), 0},
		{"krb v4 unknown type", udp(1025, 88, []byte{4, 0x7e}), 0},
		{"krb v4 type without a name", udp(1025, 88, []byte{4, 0x20}), 0},
		{"krb v4 name without its nul", udp(1025, 88, []byte{4, 2}, []byte("user")), 0},
		{"krb v4 kdc request cut before the lifetime", udp(1025, 88, []byte{4, 2}, names, tu32(0)), 0},
		{"krb v4 control characters in a name", udp(1025, 88, []byte{4, 2}, []byte("u\x01\xff\x00i\x00r\x00"), tu32(0), []byte{1}, []byte("a\x00b\x00")), 0},
		{"krb v5 as-req", udp(1025, 88, []byte{0x6a, 0x81, 0x90}), 0},
		{"krb v2", udp(1025, 88, []byte{2, 0}), 0},
		{"someip notification", udp(30490, 31490, tu16(0xffff), tu16(0x8100), tu32(48), tu16(0), tu16(0), []byte{1, 1, 2, 0}, make([]byte, 40)), 0},
		{"someip request", udp(56001, 30490, tu16(1), tu16(2), tu32(8), tu16(8), tu16(5), []byte{1, 1, 0, 4}), 0},
		{"someip unknown type and code", udp(56001, 30490, tu16(1), tu16(2), tu32(8), tu16(8), tu16(5), []byte{1, 1, 0x55, 0x40}), 0},
		{"someip too short", udp(56001, 30490, tu16(1), tu16(2), tu32(8)), 0},
		{"someip cut by the capture", udp(56001, 30490, tu16(1), tu16(2), tu32(8), tu16(8), tu16(5), []byte{1, 1, 0, 4}), 14 + 20 + 8 + 13},
		{"krb unknown version prints nothing", udp(1025, 88, []byte{0x30, 0}), 0},
	}
}

// l2tpAVP encodes an L2TP AVP (mandatory bit set) of type t.
func l2tpAVPBytes(flags uint16, vendor, t uint16, v []byte) []byte {
	return cat(tu16(flags|uint16(6+len(v))), tu16(vendor), tu16(t), v)
}

// l2tpPackets are L2TP control and data messages.
func l2tpPackets(tb testing.TB) []tcpappPacket {
	udp := func(parts ...[]byte) []byte { return appUDP(tb, 1701, 1701, cat(parts...)) }
	ctl := func(avps ...[]byte) []byte {
		body := cat(avps...)
		return udp(tu16(0xc802), tu16(uint16(12+len(body))), tu16(5), tu16(0), tu16(1), tu16(2), body)
	}
	m := uint16(0x8000)
	ppp := []byte{0xff, 0x03, 0x00, 0x21}
	inner := appSer(tb, tIP4("192.168.1.1", "192.168.1.2", layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1})
	return []tcpappPacket{
		{"l2tp sccrq", ctl(l2tpAVPBytes(m, 0, 0, tu16(1)), l2tpAVPBytes(m, 0, 2, []byte{1, 0}), l2tpAVPBytes(m, 0, 3, tu32(3)),
			l2tpAVPBytes(0, 0, 4, tu32(3)), l2tpAVPBytes(0, 0, 5, []byte{1, 2, 3, 4, 5, 6, 7, 8}), l2tpAVPBytes(0, 0, 6, tu16(0x1120)),
			l2tpAVPBytes(m, 0, 7, []byte("lac\x01")), l2tpAVPBytes(0, 0, 8, []byte("vendor")), l2tpAVPBytes(m, 0, 9, tu16(5)),
			l2tpAVPBytes(m, 0, 10, tu16(4))), 0},
		{"l2tp stopccn result and errors", ctl(l2tpAVPBytes(m, 0, 0, tu16(4)), l2tpAVPBytes(m, 0, 1, cat(tu16(2), tu16(6), []byte("bye"))),
			l2tpAVPBytes(m, 0, 1, tu16(1)), l2tpAVPBytes(m, 0, 1, []byte{0, 1, 0}), l2tpAVPBytes(m, 0, 12, []byte{0, 16, 3, 'x'}),
			l2tpAVPBytes(m, 0, 13, make([]byte, 16)), l2tpAVPBytes(m, 0, 15, tu32(77)), l2tpAVPBytes(m, 0, 18, tu32(1)),
			l2tpAVPBytes(m, 0, 19, tu32(2)), l2tpAVPBytes(m, 0, 20, nil), l2tpAVPBytes(m, 0, 29, tu16(2)), l2tpAVPBytes(m, 0, 29, tu16(9)),
			l2tpAVPBytes(m, 0, 32, tu16(0x1234)), l2tpAVPBytes(m, 0, 34, cat(tu16(0), words(1, 2, 3, 4, 5, 6))),
			l2tpAVPBytes(m, 0, 35, cat(tu16(0), words(0xffffffff, 0))), l2tpAVPBytes(m, 0, 39, nil),
			l2tpAVPBytes(m, 0, 46, []byte{0, 1, 0, 2, 1, 'o', 'k'}), l2tpAVPBytes(m, 0, 46, []byte{0, 1, 0, 2, 9}), l2tpAVPBytes(m, 0, 0, tu16(99))), 0},
		{"l2tp short avp values", ctl(l2tpAVPBytes(m, 0, 0, nil), l2tpAVPBytes(m, 0, 2, nil), l2tpAVPBytes(m, 0, 3, nil),
			l2tpAVPBytes(m, 0, 5, nil), l2tpAVPBytes(m, 0, 6, nil), l2tpAVPBytes(m, 0, 12, nil), l2tpAVPBytes(m, 0, 13, nil),
			l2tpAVPBytes(m, 0, 15, nil), l2tpAVPBytes(m, 0, 34, tu16(0)), l2tpAVPBytes(m, 0, 35, cat(tu16(0), tu32(1))), l2tpAVPBytes(m, 0, 46, nil)), 0},
		{"l2tp hidden vendor and unknown avps", ctl(l2tpAVPBytes(m|0x4000, 0, 7, []byte("secret")), l2tpAVPBytes(0, 9, 7, []byte{0xde, 0xad}),
			l2tpAVPBytes(0, 0, 200, []byte{1})), 0},
		{"l2tp avp longer than the message", ctl(l2tpAVPBytes(m, 0, 0, tu16(1)), cat(tu16(0x8040), tu16(0), tu16(7))), 0},
		{"l2tp avp length below six", ctl(cat(tu16(0x8004), tu16(0), tu16(7))), 0},
		{"l2tp zlb with sequence numbers", udp(tu16(0xc802), tu16(12), tu16(5), tu16(0), tu16(3), tu16(4)), 0},
		{"l2tp control without length", udp(tu16(0x8002), tu16(5), tu16(0)), 0},
		{"l2tp length larger than packet", udp(tu16(0xc802), tu16(200), tu16(5), tu16(0), tu16(1), tu16(2)), 0},
		{"l2tp length smaller than header", udp(tu16(0xc802), tu16(4), tu16(5), tu16(0), tu16(1), tu16(2)), 0},
		{"l2tp data with offset and ppp ip", udp(tu16(0x0202), tu16(5), tu16(9), tu16(2), []byte{0, 0}, ppp, inner), 0},
		{"l2tp data with priority", udp(tu16(0x0102), tu16(5), tu16(9), ppp, inner), 0},
		{"l2f", udp(tu16(0x0001), make([]byte, 8)), 0},
		{"l2tp unknown version", udp(tu16(0x0003), make([]byte, 8)), 0},
		{"l2tp header cut", udp(tu16(0xc802), tu16(12)), 0},
	}
}

// pptpPackets are PPTP control messages of every type.
func pptpPackets(tb testing.TB) []tcpappPacket {
	msg := func(ct uint16, body ...[]byte) []byte {
		b := cat(body...)
		return appTCP(tb, 40010, 1723, cat(tu16(uint16(12+len(b))), tu16(1), tu32(0x1a2b3c4d), tu16(ct), tu16(0), b))
	}
	name := func(s string, n int) []byte { b := make([]byte, n); copy(b, s); return b }
	return []tcpappPacket{
		{"pptp sccrq", msg(1, tu16(0x100), tu16(0), tu32(3), tu32(3), tu16(0), tu16(2160), name("host", 64), name("Microsoft\x01", 64)), 0},
		{"pptp sccrp", msg(2, tu16(0x100), []byte{1, 0}, tu32(2), tu32(1), tu16(1), tu16(1), name("local", 64), name("MoretonBay", 64)), 0},
		{"pptp stopccrq", msg(3, []byte{2, 1}, tu16(0)), 0},
		{"pptp stopccrp", msg(4, []byte{1, 9}, tu16(5)), 0},
		{"pptp echorq", msg(5, tu32(77)), 0},
		{"pptp echorp", msg(6, tu32(77), []byte{2, 6}, tu16(0)), 0},
		{"pptp ocrq", msg(7, tu16(1), tu16(30760), tu32(300), tu32(100000000), tu32(3), tu32(3), tu16(64), tu16(0), tu16(4), tu16(0), name("5551234", 64), name("", 64)), 0},
		{"pptp ocrp", msg(8, tu16(1), tu16(2), []byte{7, 0}, tu16(0), tu32(100000000), tu16(64), tu16(0), tu32(0)), 0},
		{"pptp icrq", msg(9, tu16(1), tu16(2), tu32(9), tu32(4), tu16(3), tu16(20), name("123456", 64), name("9876", 64), name("sub", 64)), 0},
		{"pptp icrp", msg(10, tu16(1), tu16(2), []byte{4, 0}, tu16(64), tu16(0), tu16(0)), 0},
		{"pptp iccn", msg(11, tu16(2), tu16(0), tu32(64000), tu16(64), tu16(0), tu32(1)), 0},
		{"pptp ccrq", msg(12, tu16(2), tu16(1)), 0},
		{"pptp cdn", msg(13, tu16(2), []byte{4, 0}, tu16(0), tu16(0), name("stats", 128)), 0},
		{"pptp wen", msg(14, tu16(2), tu16(0), words(1, 2, 3, 4, 5, 6)), 0},
		{"pptp sli", msg(15, tu16(0), tu16(0), words(0xffffffff, 0xffffffff)), 0},
		{"pptp unknown type", msg(16), 0},
		{"pptp bad magic", appTCP(tb, 40010, 1723, cat(tu16(16), tu16(3), tu32(0xdeadbeef), tu16(5), tu16(7), tu32(1))), 0},
		{"pptp cut in a name", msg(1, tu16(0x100), tu16(0), tu32(3), tu32(3), tu16(0), tu16(2160), name("host", 64), name("Microsoft", 64)), 14 + 20 + 20 + 12 + 16 + 2},
		{"pptp cut in the header", msg(5, tu32(77)), 14 + 20 + 20 + 6},
	}
}

// nfsPackets are NFS calls and their replies over UDP and TCP, versions 2
// and 3, with file handles of several layouts.
func nfsPackets(tb testing.TB) []tcpappPacket {
	cred := cat(tu32(1), tu32(24), tu32(0), xdrStr("ab"), tu32(0), tu32(0), tu32(0)) // AUTH_UNIX
	call := func(xid, vers, proc uint32, args ...[]byte) []byte {
		msg := cat(words(xid, 0, 2, 100003, vers, proc), cred, tu32(0), tu32(0), cat(args...))
		return appUDPFrom(tb, "10.1.0.1", "10.1.0.2", 800, 2049, msg)
	}
	reply := func(xid uint32, res ...[]byte) []byte {
		msg := cat(words(xid, 1, 0, 0, 0, 0), cat(res...))
		return appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, msg)
	}
	tcpCall := func(xid, vers, proc uint32, args ...[]byte) []byte {
		msg := cat(words(xid, 0, 2, 100003, vers, proc), cred, tu32(0), tu32(0), cat(args...))
		ip := tIP4("10.1.0.1", "10.1.0.2", layers.IPProtocolTCP)
		t := &layers.TCP{SrcPort: 900, DstPort: 2049, Seq: 1, Ack: 1, PSH: true, ACK: true, Window: 512}
		_ = t.SetNetworkLayerForChecksum(ip)
		return appSer(tb, tEther(layers.EthernetTypeIPv4), ip, t, gopacket.Payload(cat(tu32(0x80000000|uint32(len(msg))), msg)))
	}
	fhBSD := cat(tu32(32), []byte{5, 0, 0, 0, 1, 2, 0, 0, 9, 9, 9, 9, 0x10, 0x20, 0, 0}, make([]byte, 16))
	fhUnknown := cat(tu32(32), []byte{0xf0, 0xc8, 0x62, 0xc6, 0, 0, 0x10, 0, 0, 0, 0, 0, 0x14, 0xab, 2, 0}, bytes.Repeat([]byte{0xaa}, 16))
	fhAuspex := cat(tu32(16), []byte{0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 77})
	fhSun5 := cat(tu32(28), []byte{0x01, 0x02, 0x03, 0x04, 0, 0, 0, 9, 0, 10, 0, 0, 0, 0, 1, 0}, make([]byte, 12))
	fhVMS := cat(tu32(28), []byte("\x01DKA100\x00\x00\x00\x00\x00\x00\x00"), make([]byte, 8), []byte{0, 0, 1, 2, 3, 4})
	fhShort := cat(tu32(8), make([]byte, 8))
	fhV2 := []byte{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	fattr3 := words(1, 0o644, 1, 0, 0xfffffffe, 0, 1234, 0, 4096, 0, 0, 0, 7, 0, 99, 100, 5, 200, 6, 300, 7000)
	fattr2 := words(2, 0o40755, 2, 0, 0, 512, 4096, 0, 1, 7, 42, 100, 5, 200, 6, 300, 7)
	post := cat(tu32(1), fattr3)
	pre := cat(tu32(1), words(0, 100, 1, 2, 3, 4))
	sattr := words(1, 0o600, 1, 10, 1, 20, 0, 2, 5, 6, 2, 7, 8)
	return []tcpappPacket{
		{"nfs v3 getattr", call(1, 3, 1, fhBSD), 0},
		{"nfs v3 getattr reply", reply(1, tu32(0), fattr3), 0},
		{"nfs v3 lookup", call(2, 3, 3, fhUnknown, xdrStr("file.txt")), 0},
		{"nfs v3 lookup reply", reply(2, tu32(0), fhAuspex, post, post), 0},
		{"nfs v3 lookup reply error", call(3, 3, 3, fhSun5, xdrStr("x")), 0},
		{"nfs v3 lookup reply noent", reply(3, tu32(2), post), 0},
		{"nfs v3 access", call(4, 3, 4, fhVMS, tu32(0x1f)), 0},
		{"nfs v3 access reply", reply(4, tu32(0), post, tu32(0x1f)), 0},
		{"nfs v3 access full", call(5, 3, 4, fhBSD, tu32(0x3f)), 0},
		{"nfs v3 access other bits", call(6, 3, 4, fhBSD, tu32(0x40)), 0},
		{"nfs v3 read", call(7, 3, 6, fhBSD, tu32(0), tu32(4096), tu32(8192)), 0},
		{"nfs v3 read reply", reply(7, tu32(0), post, tu32(8192), tu32(1)), 0},
		{"nfs v3 write", call(8, 3, 7, fhBSD, tu32(1), tu32(0), tu32(100), tu32(2), tu32(100)), 0},
		{"nfs v3 write reply", reply(8, tu32(0), pre, post, tu32(100), tu32(2), tu32(0xdead), tu32(0xbeef)), 0},
		{"nfs v3 create", call(9, 3, 8, fhBSD, xdrStr("new")), 0},
		{"nfs v3 create reply", reply(9, tu32(0), tu32(1), fhBSD, post, pre, post), 0},
		{"nfs v3 symlink", call(10, 3, 10, fhBSD, xdrStr("ln"), sattr, xdrStr("/target")), 0},
		{"nfs v3 mknod", call(11, 3, 11, fhBSD, xdrStr("dev"), tu32(4), sattr, tu32(1), tu32(3)), 0},
		{"nfs v3 mknod reply error", reply(11, tu32(13), pre, post), 0},
		{"nfs v3 remove", call(12, 3, 12, fhBSD, xdrStr("old")), 0},
		{"nfs v3 remove reply", reply(12, tu32(0), pre, post), 0},
		{"nfs v3 rename", call(13, 3, 14, fhBSD, xdrStr("a"), fhUnknown, xdrStr("b")), 0},
		{"nfs v3 rename reply", reply(13, tu32(0), pre, post, pre, post), 0},
		{"nfs v3 link", call(14, 3, 15, fhBSD, fhBSD, xdrStr("l")), 0},
		{"nfs v3 link reply", reply(14, tu32(0), post, pre, post), 0},
		{"nfs v3 readdir", call(15, 3, 16, fhBSD, tu32(0xffffffff), tu32(0xffffffff), tu32(1), tu32(2), tu32(4096)), 0},
		{"nfs v3 readdir reply", reply(15, tu32(0), post, tu32(1), tu32(2)), 0},
		{"nfs v3 readdirplus", call(16, 3, 17, fhBSD, tu32(0), tu32(0), tu32(1), tu32(2), tu32(512), tu32(4096)), 0},
		{"nfs v3 fsstat", call(17, 3, 18, fhBSD), 0},
		{"nfs v3 fsstat reply", reply(17, tu32(0), post, words(0, 1000, 0, 500, 0, 400, 0, 10, 0, 5, 0, 4, 60)), 0},
		{"nfs v3 fsinfo", call(18, 3, 19, fhBSD), 0},
		{"nfs v3 fsinfo reply", reply(18, tu32(0), post, words(65536, 32768, 512, 65536, 32768, 512, 4096, 0xffffffff, 0xffffffff, 1, 0, 27)), 0},
		{"nfs v3 pathconf", call(19, 3, 20, fhBSD), 0},
		{"nfs v3 pathconf reply", reply(19, tu32(0), post, words(32000, 255, 1, 1, 0, 1)), 0},
		{"nfs v3 commit", call(20, 3, 21, fhBSD, tu32(0), tu32(0), tu32(0)), 0},
		{"nfs v3 commit reply", reply(20, tu32(0), pre, post, tu32(1), tu32(2)), 0},
		{"nfs v3 setattr reply", call(21, 3, 2, fhBSD, sattr), 0},
		{"nfs v3 setattr reply data", reply(21, tu32(0), pre, post), 0},
		{"nfs v3 readlink", call(22, 3, 5, fhBSD), 0},
		{"nfs v3 readlink reply", reply(22, tu32(0), post, xdrStr("/x/y")), 0},
		{"nfs v3 mkdir reply without handle", call(23, 3, 9, fhBSD, xdrStr("d")), 0},
		{"nfs v3 mkdir reply no handle", reply(23, tu32(0), tu32(0)), 0},
		{"nfs null", call(24, 3, 0), 0},
		{"nfs null reply", reply(24), 0},
		{"nfs unknown proc", call(25, 3, 40), 0},
		{"nfs v2 read", call(30, 2, 6, fhV2, tu32(0), tu32(4096), tu32(0)), 0},
		{"nfs v2 read reply", reply(30, tu32(0), fattr2), 0},
		{"nfs v2 write", call(31, 2, 8, fhV2, tu32(1), tu32(0), tu32(10), tu32(10)), 0},
		{"nfs v2 lookup", call(32, 2, 4, fhV2, xdrStr("etc")), 0},
		{"nfs v2 lookup reply", reply(32, tu32(0), fhV2, fattr2), 0},
		{"nfs v2 readdir", call(33, 2, 16, fhV2, tu32(0), tu32(1024)), 0},
		{"nfs v2 readdir reply", reply(33, tu32(0), tu32(0x10), tu32(3), tu32(1)), 0},
		{"nfs v2 statfs reply", call(34, 2, 17, fhV2), 0},
		{"nfs v2 statfs reply data", reply(34, tu32(0), words(8192, 4096, 1000, 500, 400)), 0},
		{"nfs v2 getattr reply stale", call(35, 2, 1, fhV2), 0},
		{"nfs v2 getattr reply error", reply(35, tu32(70)), 0},
		{"nfs v2 noop", call(36, 2, 3, fhV2), 0},
		{"nfs reply unmatched", reply(99, tu32(0), fattr3), 0},
		{"nfs reply proc unavailable", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 1, 0, 0, 0, 3)), 0},
		{"nfs reply denied rpc mismatch", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 1, 1, 0, 2, 2)), 0},
		{"nfs reply denied auth", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 1, 1, 1, 1)), 0},
		{"nfs reply denied unknown", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 1, 1, 7)), 0},
		{"nfs reply unknown status", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 1, 5)), 0},
		{"nfs call from the nfs port is not nfs", appUDPFrom(tb, "10.1.0.2", "10.1.0.1", 2049, 800, words(1, 0, 2, 100003)), 0},
		{"nfs call cut before its procedure", call(40, 3, 1, fhBSD), 14 + 20 + 8 + 22},
		{"nfs call cut in the credentials", call(41, 3, 1, fhBSD), 14 + 20 + 8 + 40},
		{"nfs call cut in the handle", call(42, 3, 1, fhBSD), 14 + 20 + 8 + 70},
		{"nfs lookup name cut", call(43, 3, 3, fhBSD, xdrStr("abcdefgh")), 14 + 20 + 8 + 60 + 36 + 4 + 3},
		{"nfs name that cannot be padded", call(44, 3, 3, fhBSD, tu32(0xfffffffe)), 0},
		{"nfs handle shorter than four words", call(45, 3, 1, fhShort), 0},
		{"nfs credentials longer than the message", call(46, 3, 1), 0},
		{"nfs getattr reply cut in the attributes", call(47, 3, 1, fhBSD), 0},
		{"nfs getattr reply cut", reply(47, tu32(0), fattr3), 14 + 20 + 8 + 24 + 4 + 22},
		{"nfs over tcp write", tcpCall(50, 3, 7, fhUnknown, tu32(0), tu32(0), tu32(16), tu32(0), tu32(16), make([]byte, 16)), 0},
		{"nfs over tcp cut before the direction", tcpCall(51, 3, 7, fhUnknown), 14 + 20 + 20 + 10},
	}
}

// tcpappsPackets builds the packets of testdata/tcpapps.pcap; the same
// function checks the committed file is what it would write.
func tcpappsPackets(tb testing.TB) []tcpappPacket {
	tb.Helper()
	tcp := func(sp, dp int, payload ...[]byte) []byte { return appTCP(tb, sp, dp, cat(payload...)) }
	const hdr = 14 + 20 + 20 // Ethernet, IPv4, TCP
	ofMany := tcp(40000, 6633, ofMsg(1, 0, 0, 1, nil), ofMsg(1, 14, 0, 2, make([]byte, 64)),
		ofMsg(4, 18, 0, 3, make([]byte, 8)), ofMsg(4, 29, 0, 4, make([]byte, 8)))
	return append([]tcpappPacket{
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
		{"bgp keepalive", tcp(40002, 179, bytes.Repeat([]byte{0xff}, 16), tu16(19), []byte{4}), 0},
		{"ssh banner with crlf", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), 0},
		{"ssh banner with lf", tcp(22, 40003, []byte("SSH-2.0-srv\nmore")), 0},
		{"ssh banner without end of line", tcp(40003, 22, []byte("SSH-2.0-partial")), 0},
		{"ssh banner cr at the payload end", tcp(40003, 22, []byte("SSH-2.0-x\r")), 0},
		{"ssh banner cr then other", tcp(40003, 22, []byte("SSH-2.0-x\rz\n")), 0},
		{"ssh binary after the prefix", tcp(40003, 22, []byte("SSH-\x01\n")), 0},
		{"ssh not a banner", tcp(40003, 22, []byte("\x00\x00\x01\x0c\x0a\x14")), 0},
		{"ssh banner cut by the capture", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), hdr + 10},
		{"ssh payload not captured", tcp(40003, 22, []byte("SSH-2.0-OpenSSH_9.6\r\n")), hdr},
		{"resp pipelined arrays", tcp(40006, 6379, []byte("*2\r\n$4\r\nINCR\r\n$1\r\nz\r\n*2\r\n$4\r\nINCR\r\n$1\r\nz\r\n")), 0},
		{"resp simple error integer", tcp(6379, 40006, []byte("+OK\r\n-ERR no\x01\r\n:42\r\n")), 0},
		{"resp null empty and special lengths", tcp(6379, 40006, []byte("$-1\r\n$0\r\n\r\n*-1\r\n*0\r\n$99999999999\r\n$-5\r\n$x\r\n*3x\r\n:1\r\n")), 0},
		{"resp length cr without lf", tcp(6379, 40006, []byte("$3\rab\r\n")), 0},
		{"resp inline commands", tcp(40006, 6379, []byte("PING\r\nPING\n\nECHO a b\r")), 0},
		{"resp inline without end of line", tcp(40006, 6379, []byte("PING")), 0},
		{"resp bulk string past the segment", tcp(40006, 6379, []byte("*1\r\n$10\r\nabc")), 0},
		{"resp bulk string cut by the capture", tcp(40006, 6379, []byte("*1\r\n$10\r\nabcdefghij\r\n")), hdr + 9},
		{"resp length cut by the capture", tcp(40006, 6379, []byte("$1234\r\n")), hdr + 3},
		{"resp simple string without crlf", tcp(6379, 40006, []byte("+OK")), 0},
		{"resp only line ends", tcp(6379, 40006, []byte("\r\n")), 0},
		{"resp nested arrays", tcp(6379, 40006, []byte("*1\r\n*2\r\n:1\r\n*1\r\n+x\r\n")), 0},
		{"whois query", tcp(40007, 43, []byte("example.com\r\n")), 0},
		{"whois reply lines", tcp(43, 40007, []byte("% IANA WHOIS server\n%\tinfo\r\n\r\ndomain: EXAMPLE\nrest")), 0},
		{"whois binary", tcp(43, 40007, []byte("abc\x01def\n")), 0},
		{"whois cr then other", tcp(43, 40007, []byte("abc\rdef\n")), 0},
		{"whois cr at the end", tcp(43, 40007, []byte("abc\r")), 0},
		{"whois line cut by the capture", tcp(43, 40007, []byte("abcdefgh\n")), hdr + 4},
		{"rpki-rtr", tcp(40004, 323, []byte{1, 2, 0, 0, 0, 0, 0, 8}), 0},
		{"rpki-rtr pdus", tcp(323, 40004, []byte{0, 0, 0x12, 0x34, 0, 0, 0, 12, 0, 0, 0, 7}, []byte{0, 3, 0, 9, 0, 0, 0, 8},
			[]byte{0, 4, 0, 0, 0, 0, 0, 20, 1, 24, 32, 0, 192, 0, 2, 0, 0, 0, 0xfd, 0xe8},
			[]byte{0, 6, 0, 0, 0, 0, 0, 32, 0, 48, 64, 0}, []byte{0x20, 1, 0x0d, 0xb8}, make([]byte, 12), tu32(65000),
			[]byte{0, 7, 0x12, 0x34, 0, 0, 0, 12, 0, 0, 0, 8}, []byte{0, 2, 0, 0, 0, 0, 0, 8}, []byte{0, 8, 0, 0, 0, 0, 0, 8}), 0},
		{"rpki-rtr error report with encapsulated pdu", tcp(323, 40004, []byte{0, 10, 0, 5, 0, 0, 0, 32, 0, 0, 0, 8},
			[]byte{0, 1, 0, 0, 0, 0, 0, 8}, tu32(8), []byte("bad\x01type")), 0},
		{"rpki-rtr unknown type and version", tcp(323, 40004, []byte{0, 42, 0, 0, 0, 0, 0, 10, 0xab, 0xcd}, []byte{2, 0, 0, 0}), 0},
		{"rpki-rtr invalid lengths", tcp(323, 40004, []byte{0, 0, 0, 0, 0, 0, 0, 9, 1}), 0},
		{"rpki-rtr too few bytes", tcp(323, 40004, []byte{0, 0, 0, 0}), 0},
		{"rpki-rtr pdu cut by the capture", tcp(323, 40004, []byte{0, 4, 0, 0, 0, 0, 0, 20, 1, 24, 32, 0, 192, 0, 2, 0, 0, 0, 0xfd, 0xe8}), hdr + 14},
		{"ipv6 payload length zero without jumbo option", ip6ZeroLen(tb), 0},
		{"tcp options cut by the capture", tcpOpts(tb, 40005, 80, []byte("GET / HTTP/1.1\r\n")), 14 + 20 + 22},
	}, slices.Concat(rxPackets(tb), krbPackets(tb), l2tpPackets(tb), pptpPackets(tb), nfsPackets(tb))...)
}

// TestWriteTcpappsCapture rewrites testdata/tcpapps.pcap when
// WIREKIT_WRITE_TCPAPPS=1 (scripts/gen-tcpapps-golden.sh sets it), and
// otherwise checks the committed file holds exactly the generated packets.
func TestWriteTcpappsCapture(t *testing.T) {
	pkts := tcpappsPackets(t)
	checkGeneratedCapture(t, tcpappsCapture, layers.LinkTypeEthernet, "WIREKIT_WRITE_TCPAPPS", "scripts/gen-tcpapps-golden.sh",
		len(pkts), func(i int) ([]byte, int) { return snapped(pkts[i].data, pkts[i].snap) })
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
		flags, file, only string
		want              []string
	}
	var blocks []*block
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			f := strings.Split(line[4:], "\t")
			bl := &block{flags: f[0], file: f[1]}
			if len(f) > 2 {
				bl.only = f[2]
			}
			blocks = append(blocks, bl)
		case strings.HasPrefix(line, "#"):
		case len(blocks) > 0:
			blocks[len(blocks)-1].want = append(blocks[len(blocks)-1].want, line)
		}
	}
	if len(blocks) == 0 {
		t.Fatalf("no blocks in %s", tcpappsGolden)
	}
	all := tcpappsPackets(t)
	for _, bl := range blocks {
		t.Run(bl.flags+" "+bl.file+" "+bl.only, func(t *testing.T) {
			// A block with a third field holds tcpdump's lines for the
			// packets whose name starts with it (a filter in the script).
			var names []tcpappPacket
			for _, pk := range all {
				if strings.HasPrefix(pk.name, bl.only) {
					names = append(names, pk)
				}
			}
			r, ltOf, err := openCapture(filepath.FromSlash(bl.file))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var out bytes.Buffer
			o := tcpdumpFlags(t, bl.flags)
			p := NewPrinter(&out, &o)
			for i := 0; ; i++ {
				data, ci, err := r.ReadPacketData()
				if err != nil {
					break
				}
				if !strings.HasPrefix(all[i].name, bl.only) {
					continue
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
				if w != "" && !strings.HasPrefix(w, "\t") && !strings.HasPrefix(w, " ") {
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
