package decode

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linecmp"
)

// The application packets (DNS, mDNS, LLMNR, HTTP, NTP, BOOTP/DHCP,
// DHCPv6) built here are written to appCapture by
// scripts/gen-dnsapp-golden.sh, which also writes tcpdump's output for them
// to appGolden.
const (
	appCapture = "testdata/dnsapp-packets.pcap"
	appGolden  = "testdata/dnsapp-golden.txt"
)

// appFlags are the tcpdump flags the golden file holds output for.
var appFlags = []string{"", "-v", "-vv", "-vvv"}

// appPacket is one built packet: a name saying what it exercises, its
// Ethernet frame and how many bytes of it were captured (0: all).
type appPacket struct {
	name string
	data []byte
	snap int
	// terse: compared at default verbosity only (-v not printed yet).
	terse bool
}

// dnsName encodes a dotted name as labels ("" is the root).
func dnsName(s string) []byte {
	var b []byte
	for _, l := range strings.Split(s, ".") {
		if l == "" {
			continue
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

func u16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func u32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
func cat(bs ...[]byte) []byte {
	var b []byte
	for _, x := range bs {
		b = append(b, x...)
	}
	return b
}

func dnsHdr(id, flags, qd, an, ns, ar int) []byte {
	return cat(u16(id), u16(flags), u16(qd), u16(an), u16(ns), u16(ar))
}

func dnsQ(name []byte, typ, class int) []byte { return cat(name, u16(typ), u16(class)) }

func dnsRR(name []byte, typ, class, ttl int, rdata []byte) []byte {
	return cat(name, u16(typ), u16(class), u32(ttl), u16(len(rdata)), rdata)
}

// ptr is a compression pointer to offset off.
func ptr(off int) []byte { return []byte{0xc0 | byte(off>>8), byte(off)} }

func appUDP4(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP4("192.0.2.1", "192.0.2.53", layers.IPProtocolUDP)
	return build(tb, eth(layers.EthernetTypeIPv4), ip, tUDP(sp, dp, ip), gopacket.Payload(payload))
}

func appUDP6(tb testing.TB, src, dst string, sp, dp int, payload []byte) []byte {
	ip := tIP6(src, dst, layers.IPProtocolUDP)
	return build(tb, eth(layers.EthernetTypeIPv6), ip, tUDP(sp, dp, ip), gopacket.Payload(payload))
}

func appTCP4(tb testing.TB, sp, dp int, seq uint32, payload []byte) []byte {
	ip := tIP4("192.0.2.1", "192.0.2.80", layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: seq, Ack: 1000,
		ACK: true, PSH: true, Window: 512}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	return build(tb, eth(layers.EthernetTypeIPv4), ip, tcp, gopacket.Payload(payload))
}

// dnsPackets exercise the DNS printer.
func dnsPackets(tb testing.TB) []appPacket {
	www := dnsName("www.example.com")
	q := func(id, flags int, name []byte, typ int) []byte {
		return cat(dnsHdr(id, flags, 1, 0, 0, 0), dnsQ(name, typ, 1))
	}
	opt := func(size, ext, flags int, opts []byte) []byte {
		return dnsRR([]byte{0}, 41, size, ext<<24|flags, opts)
	}
	ednsQuery := cat(dnsHdr(0x1234, 0x0120, 1, 0, 0, 1), dnsQ(www, 1, 1),
		opt(4096, 0, 0x8000, cat(
			u16(10), u16(8), []byte{1, 2, 3, 4, 5, 6, 7, 8}, // COOKIE
			u16(8), u16(7), u16(1), []byte{24, 0}, []byte{198, 51, 100}, // ECS
			u16(12), u16(4), []byte{0, 0, 0, 0}, // PADDING
			u16(11), u16(2), u16(300), // KEEPALIVE
			u16(5), u16(3), []byte{8, 13, 200}, // DAU
			u16(6), u16(2), []byte{2, 9}, // DHU
			u16(9), u16(4), u32(3600), // EXPIRE
			u16(14), u16(4), u16(20326), u16(1), // KEY-TAG
			u16(3), u16(0), // NSID, empty
			u16(65001), u16(2), []byte{0xab, 0xcd}, // unknown
		)))
	// A response with one record of each decoded type; names compressed
	// to the question (offset 12).
	allTypes := cat(dnsHdr(0x2222, 0x8580, 1, 12, 1, 1), dnsQ(www, 255, 1),
		dnsRR(ptr(12), 5, 1, 300, cat([]byte{3, 'c', 'd', 'n'}, ptr(16))),
		dnsRR(ptr(12), 1, 1, 300, []byte{192, 0, 2, 10}),
		dnsRR(ptr(12), 28, 1, 300, net.ParseIP("2001:db8::10")),
		dnsRR(ptr(12), 15, 1, 300, cat(u16(10), dnsName("mx.example.com"))),
		dnsRR(ptr(12), 16, 1, 300, cat([]byte{5}, []byte("hello"), []byte{3, 'a', 0x01, 0xe9})),
		dnsRR(ptr(12), 33, 1, 300, cat(u16(1), u16(2), u16(5060), ptr(16))),
		dnsRR(ptr(12), 12, 1, 300, ptr(12)),
		dnsRR(ptr(12), 2, 1, 300, dnsName("ns1.example.com")),
		dnsRR(ptr(12), 6, 1, 300, cat(ptr(16), dnsName("hostmaster.example.com"), u32(2024010101), u32(7200), u32(3600), u32(1209600), u32(300))),
		dnsRR(ptr(12), 99, 1, 300, []byte{4, 't', 'e', 's', 't'}),
		dnsRR(ptr(12), 256, 1, 300, cat(u16(10), u16(1), []byte("https://example.com/"))),
		dnsRR(ptr(12), 38, 1, 300, cat([]byte{64}, []byte{0, 0, 0, 0, 0, 0, 0, 1}, ptr(16))),
		dnsRR(ptr(16), 6, 1, 3600, cat(dnsName("ns1.example.com"), dnsName("root.example.com"), u32(1), u32(2), u32(3), u32(4), u32(5))),
		opt(1232, 1, 0, nil)) // extended rcode: BadVers
	chaos := cat(dnsHdr(7, 0x8400, 1, 1, 0, 0), dnsQ(dnsName("version.bind"), 16, 3),
		dnsRR(ptr(12), 16, 3, 0, []byte{5, '9', '.', '1', '8', '.'}),
	)
	loop := cat(dnsHdr(9, 0x8180, 1, 1, 0, 0), dnsQ(www, 1, 1), dnsRR(ptr(33), 1, 1, 60, []byte{1, 2, 3, 4}))
	forward := cat(dnsHdr(10, 0x0100, 1, 0, 0, 0), ptr(14), []byte{0, 1, 0, 1}, www)
	selfPtr := cat(dnsHdr(11, 0x0100, 1, 0, 0, 0), ptr(12), []byte{0, 1, 0, 1})
	long := ""
	for i := 0; i < 6; i++ {
		long += strings.Repeat(string(rune('a'+i)), 50) + "."
	}
	tc := func(payload []byte) []byte { return cat(u16(len(payload)), payload) }
	full := cat(dnsHdr(0x4444, 0x8180, 1, 2, 0, 0), dnsQ(www, 1, 1),
		dnsRR(ptr(12), 1, 1, 60, []byte{192, 0, 2, 1}), dnsRR(ptr(12), 1, 1, 60, []byte{192, 0, 2, 2}))
	cutAnswers := appUDP4(tb, 53, 33333, full)
	mdnsQ := cat(dnsHdr(0, 0, 2, 0, 0, 0), dnsQ(dnsName("_http._tcp.local"), 12, 0x8001), dnsQ(dnsName("printer.local"), 1, 1))
	mdnsR := cat(dnsHdr(0, 0x8400, 0, 2, 0, 0), dnsRR(dnsName("printer.local"), 1, 0x8001, 120, []byte{192, 168, 1, 9}),
		dnsRR(dnsName("_http._tcp.local"), 12, 1, 4500, dnsName("printer._http._tcp.local")))
	// A chain of 1000 pointers, each to the one before it, from the label
	// "a" (all in a NULL record's data), named by a CNAME: every step goes
	// backwards, so decompression ends.
	head := cat(dnsHdr(0x0c0c, 0x8180, 1, 2, 0, 0), dnsQ(dnsName("x"), 1, 1))
	start := len(head) + 11
	rdata := []byte{1, 'a', 0}
	for i := 0; i < 1000; i++ {
		to := start + len(rdata) - 2 // the pointer before
		if i == 0 {
			to = start // the label
		}
		rdata = append(rdata, ptr(to)...)
	}
	lastPtr := start + len(rdata) - 2
	chainMsg := cat(head, dnsRR([]byte{0}, 10, 1, 60, rdata), dnsRR(ptr(lastPtr), 5, 1, 60, ptr(lastPtr)))
	hostile := []appPacket{
		{"dns pointer chain", appUDP4(tb, 53, 33333, chainMsg), 0, false},
		{"dns pointer past the end", appUDP4(tb, 33333, 53, cat(dnsHdr(4, 0x0100, 1, 0, 0, 0), []byte{1, 'b'}, ptr(0x3fff), u16(1), u16(1))), 0, false},
		{"dns pointer into the header", appUDP4(tb, 33333, 53, cat(dnsHdr(5, 0x0100, 1, 0, 0, 0), []byte{1, 'b'}, ptr(2), u16(1), u16(1))), 0, false},
		{"dns many questions few bytes", appUDP4(tb, 33333, 53, cat(dnsHdr(6, 0x0100, 0xffff, 0, 0, 0), dnsQ(dnsName("c"), 1, 1))), 0, false},
		{"dns many answers few bytes", appUDP4(tb, 53, 33333, cat(dnsHdr(7, 0x8180, 1, 0xffff, 0xffff, 0xffff), dnsQ(dnsName("c"), 1, 1))), 0, false},
		{"dns many records, one cut", appUDP4(tb, 53, 33333, cat(dnsHdr(8, 0x8180, 0, 3, 1, 1), dnsRR([]byte{0}, 1, 1, 1, []byte{1, 2, 3, 4}), dnsRR([]byte{0}, 1, 1, 1, []byte{1, 2, 3, 4}), []byte{0, 0, 1})), 0, false},
		{"dns opt with cut option", appUDP4(tb, 53, 33333, cat(dnsHdr(9, 0x8180, 0, 0, 0, 1), dnsRR([]byte{0}, 41, 512, 0, cat(u16(10), u16(30), []byte{1, 2})))), 0, false},
		{"dns opt with bad options", appUDP4(tb, 53, 33333, cat(dnsHdr(10, 0x8180, 0, 0, 0, 1), dnsRR([]byte{0}, 41, 512, 0, cat(
			u16(10), u16(9), make([]byte, 9), u16(8), u16(3), []byte{0, 1, 24}, u16(8), u16(8), []byte{0, 3, 8, 0, 1, 2, 3, 4},
			u16(8), u16(5), []byte{0, 1, 8, 9, 10}, u16(11), u16(1), []byte{0}, u16(9), u16(2), u16(0), u16(14), u16(3), []byte{0, 0, 0},
			u16(8), u16(20), []byte{0, 2, 128, 0}, net.ParseIP("2001:db8::1"), u16(13), u16(5), []byte{3, 'c', 'o', 'm', 0})))), 0, false},
		{"dns extended rcode badcookie", appUDP4(tb, 53, 33333, cat(dnsHdr(11, 0x8187, 0, 0, 0, 1), opt(512, 1, 0, nil))), 0, false},
		{"dns extended rcode large", appUDP4(tb, 53, 33333, cat(dnsHdr(12, 0x8181, 0, 0, 0, 1), opt(512, 0xff, 0, nil))), 0, false},
		{"dns txt cut string", appUDP4(tb, 53, 33333, cat(dnsHdr(13, 0x8180, 0, 1, 0, 0), dnsRR([]byte{0}, 16, 1, 1, []byte{9, 'a', 'b'}))), 0, false},
		{"dns a record short rdata", appUDP4(tb, 53, 33333, cat(dnsHdr(14, 0x8180, 0, 1, 0, 0), dnsRR([]byte{0}, 1, 1, 1, []byte{1, 2}))), 0, false},
		{"dns uri short rdata", appUDP4(tb, 53, 33333, cat(dnsHdr(15, 0x8180, 0, 1, 0, 0), dnsRR([]byte{0}, 256, 1, 1, []byte{0, 1, 0, 2}), []byte("xyz"))), 0, false},
		{"dns a6 bad prefix", appUDP4(tb, 53, 33333, cat(dnsHdr(16, 0x8180, 0, 2, 0, 0), dnsRR([]byte{0}, 38, 1, 1, []byte{200}), dnsRR([]byte{0}, 38, 1, 1, cat([]byte{128}, dnsName("p"))))), 0, false},
		{"dns unspeca and tsig", appUDP4(tb, 53, 33333, cat(dnsHdr(17, 0x8180, 0, 2, 0, 0), dnsRR([]byte{0}, 104, 1, 1, []byte("text\x01")),
			dnsRR([]byte{0}, 250, 255, 0, cat(dnsName("hmac-sha256"), make([]byte, 6), u16(300), u16(2), []byte{0xaa, 0xbb}, u16(17), u16(0), u16(0))))), 0, false},
	}
	return append(hostile, []appPacket{
		{"dns query A", appUDP4(tb, 33333, 53, q(0x1111, 0x0100, www, 1)), 0, false},
		{"dns query AAAA no recursion", appUDP4(tb, 33333, 53, q(0x1112, 0, www, 28)), 0, false},
		{"dns query checking disabled", appUDP4(tb, 33333, 53, q(0x1113, 0x0110, www, 1)), 0, false},
		{"dns query unknown type and class", appUDP4(tb, 33333, 53, cat(dnsHdr(5, 0x0100, 1, 0, 0, 0), dnsQ(www, 999, 77))), 0, false},
		{"dns query with edns options", appUDP4(tb, 33333, 53, ednsQuery), 0, false},
		{"dns response every type", appUDP4(tb, 53, 33333, allTypes), 0, false},
		{"dns response chaos txt", appUDP4(tb, 53, 33333, chaos), 0, false},
		{"dns response nxdomain aa tc ad", appUDP4(tb, 53, 33333, cat(dnsHdr(8, 0x87a3, 1, 0, 0, 0), dnsQ(www, 1, 1))), 0, false},
		{"dns response no ra servfail", appUDP4(tb, 53, 33333, cat(dnsHdr(8, 0x8102, 1, 0, 0, 0), dnsQ(www, 1, 1))), 0, false},
		{"dns response refused two questions", appUDP4(tb, 53, 33333, cat(dnsHdr(8, 0x8185, 2, 0, 0, 0), dnsQ(www, 1, 1), dnsQ(www, 28, 1))), 0, false},
		{"dns notify and update opcodes", appUDP4(tb, 33333, 53, cat(dnsHdr(12, 0x2400, 1, 1, 0, 0), dnsQ(www, 6, 1), dnsRR(ptr(12), 6, 1, 0, nil))), 0, false},
		{"dns update", appUDP4(tb, 33333, 53, cat(dnsHdr(13, 0x2800, 1, 0, 2, 0), dnsQ(dnsName("example.com"), 6, 1),
			dnsRR(www, 1, 1, 60, []byte{1, 2, 3, 4}), dnsRR(www, 1, 255, 0, nil))), 0, false},
		{"dns inverse query", appUDP4(tb, 33333, 53, cat(dnsHdr(14, 0x0800, 0, 1, 0, 0), dnsRR([]byte{0}, 1, 1, 0, []byte{1, 2, 3, 4}))), 0, false},
		{"dns query odd bits", appUDP4(tb, 33333, 53, cat(dnsHdr(15, 0x06c1, 1, 0, 0, 0), dnsQ(www, 1, 1))), 0, false},
		{"dns query answer count", appUDP4(tb, 33333, 53, cat(dnsHdr(16, 0x0100, 1, 1, 1, 0), dnsQ(www, 1, 1))), 0, false},
		{"dns response pointer loop", appUDP4(tb, 53, 33333, loop), 0, false},
		{"dns query forward pointer", appUDP4(tb, 33333, 53, forward), 0, false},
		{"dns query self pointer", appUDP4(tb, 33333, 53, selfPtr), 0, false},
		{"dns query long name", appUDP4(tb, 33333, 53, q(17, 0x0100, dnsName(long), 1)), 0, false},
		{"dns query bad label type", appUDP4(tb, 33333, 53, cat(dnsHdr(18, 0x0100, 1, 0, 0, 0), []byte{3, 'w', 'w', 'w', 0x80, 0}, u16(1), u16(1))), 0, false},
		{"dns query unknown extended label", appUDP4(tb, 33333, 53, cat(dnsHdr(19, 0x0100, 1, 0, 0, 0), []byte{0x42, 0}, u16(1), u16(1))), 0, false},
		{"dns query bit label", appUDP4(tb, 33333, 53, cat(dnsHdr(20, 0x0100, 1, 0, 0, 0), []byte{0x41, 12, 0xab, 0xc0, 0}, u16(12), u16(1))), 0, false},
		{"dns query control characters", appUDP4(tb, 33333, 53, q(21, 0x0100, []byte{4, 'a', 0x01, 0x7f, 0xc1, 0}, 1)), 0, false},
		{"dns query root", appUDP4(tb, 33333, 53, q(22, 0x0100, []byte{0}, 2)), 0, false},
		{"dns short message", appUDP4(tb, 33333, 53, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}), 0, false},
		{"dns header cut", appUDP4(tb, 33333, 53, q(23, 0x0100, www, 1)), 14 + 20 + 8 + 6, false},
		{"dns name cut", appUDP4(tb, 33333, 53, q(24, 0x0100, www, 1)), 14 + 20 + 8 + 12 + 6, false},
		{"dns qtype cut", appUDP4(tb, 33333, 53, q(25, 0x0100, www, 1)), 14 + 20 + 8 + 12 + 17 + 2, false},
		{"dns second answer cut", cutAnswers, len(cutAnswers) - 8, false},
		{"dns only answer header cut", cutAnswers, len(cutAnswers) - 20, false},
		{"dns answers not captured", cutAnswers, len(cutAnswers) - 32, false},
		{"dns over tcp query", appTCP4(tb, 40000, 53, 1, tc(q(0x5555, 0x0100, www, 1))), 0, false},
		{"dns over tcp response", appTCP4(tb, 53, 40000, 1, tc(full)), 0, false},
		{"dns over tcp prefix mismatch", appTCP4(tb, 40000, 53, 34, cat(u16(99), q(0x5556, 0x0100, www, 1))), 0, false},
		{"dns over tcp one byte", appTCP4(tb, 40000, 53, 70, []byte{0}), 0, false},
		{"dns over tcp short message", appTCP4(tb, 40000, 53, 71, tc([]byte{1, 2, 3})), 0, false},
		{"dns over ipv6", appUDP6(tb, "2001:db8::1", "2001:db8::53", 33333, 53, q(0x6666, 0x0100, www, 28)), 0, false},
		{"mdns query qu and qm", appUDP4(tb, 5353, 5353, mdnsQ), 0, false},
		{"mdns response cache flush", appUDP6(tb, "fe80::1", "ff02::fb", 5353, 5353, mdnsR), 0, false},
		{"llmnr query", appUDP4(tb, 33333, 5355, q(0x7777, 0, dnsName("host"), 1)), 0, false},
		{"dns source port 53 to snmp", appUDP4(tb, 53, 161, q(0x7778, 0x0100, www, 1)), 0, false},
	}...)
}

// httpPackets exercise the HTTP printer.
func httpPackets(tb testing.TB) []appPacket {
	get := []byte("GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
	return []appPacket{
		{"http get", appTCP4(tb, 40001, 80, 1, get), 0, false},
		{"http status", appTCP4(tb, 80, 40001, 1, []byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")), 0, false},
		{"http body continuation", appTCP4(tb, 80, 40001, 48, []byte("<html><body>hello</body></html>\n")), 0, false},
		{"http lowercase method on 8080", appTCP4(tb, 40002, 8080, 1, []byte("post /form HTTP/1.0\nContent-Length: 3\n\nabc")), 0, false},
		{"http webdav method", appTCP4(tb, 40003, 80, 1, []byte("PROPFIND /dav/ HTTP/1.1\r\nDepth: 1\r\n\r\n")), 0, false},
		{"http request without line end", appTCP4(tb, 40004, 80, 1, []byte("GET /partial HTTP/1.1")), 0, false},
		{"http bare carriage return", appTCP4(tb, 40005, 80, 1, []byte("GET / HTTP/1.1\rX\r\n")), 0, false},
		{"http binary after method", appTCP4(tb, 40006, 80, 1, []byte("GET /\x01 HTTP/1.1\r\n")), 0, false},
		{"http tab in line", appTCP4(tb, 40007, 80, 1, []byte("GET\t/tab HTTP/1.1\r\n\r\n")), 0, false},
		{"http capture cut in line", appTCP4(tb, 40008, 80, 1, get), 14 + 20 + 20 + 10, false},
		{"http payload not captured", appTCP4(tb, 40018, 80, 1, get), 14 + 20 + 20, false},
		{"dns over tcp payload not captured", appTCP4(tb, 40019, 53, 1, get), 14 + 20 + 20, false},
		{"http capture cut in second line", appTCP4(tb, 40009, 80, 1, get), 14 + 20 + 20 + 30, false},
		{"http status code not three digits", appTCP4(tb, 80, 40010, 1, []byte("HTTP/1.1 2000 OK\r\n\r\n")), 0, false},
		{"http long token", appTCP4(tb, 40011, 80, 1, []byte(strings.Repeat("A", 140)+" 200 x\r\n")), 0, false},
		{"http telnet port wins", appTCP4(tb, 23, 80, 1, get), 0, false},
		{"http over rtsp port", appTCP4(tb, 40012, 554, 1, get), 0, false},
		{"rtsp setup", appTCP4(tb, 40013, 554, 1, []byte("SETUP rtsp://cam/stream RTSP/1.0\r\nCSeq: 3\r\n\r\n")), 0, false},
		{"rtsp reply on 8554", appTCP4(tb, 8554, 40014, 1, []byte("RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n")), 0, false},
		{"ftp command", appTCP4(tb, 40015, 21, 1, []byte("USER anonymous\r\n")), 0, false},
		{"ftp reply binary", appTCP4(tb, 21, 40015, 1, []byte("220 \xffready\r\n")), 0, false},
		{"smtp greeting", appTCP4(tb, 25, 40016, 1, []byte("220 mail.example.com ESMTP\r\n250 ok\r\n")), 0, false},
		{"smtp before http", appTCP4(tb, 25, 80, 1, []byte("EHLO x\r\n")), 0, false},
		{"whois query", appTCP4(tb, 40017, 43, 1, []byte("example.com\r\n")), 0, false},
		{"ssh port wins over http", appTCP4(tb, 22, 8080, 1, get), 0, false},
	}
}

// ntpPacket builds an NTP time message of 48 bytes and any extra bytes.
func ntpPacket(lvm, stratum byte, poll, precision int8, refid []byte, extra ...byte) []byte {
	b := []byte{lvm, stratum, byte(poll), byte(precision)}
	b = append(b, 0, 1, 0x80, 0, 0, 0, 0x40, 0) // root delay 1.5, dispersion 0.25
	b = append(b, refid...)
	for _, ts := range [][2]int{{0xe9b8a3c0, 0x12345678}, {0xe9b8a3c1, 0}, {0xe9b8a3c1, 0x80000000}, {0xe9b8a3c0, 0xffffffff}} {
		b = append(b, u32(ts[0])...)
		b = append(b, u32(ts[1])...)
	}
	return append(b, extra...)
}

// bootpPacket builds a BOOTP message with an Ethernet client address and
// the DHCP magic cookie followed by opts.
func bootpPacket(op, htype, hlen byte, opts ...byte) []byte {
	b := make([]byte, 236)
	b[0], b[1], b[2] = op, htype, hlen
	copy(b[4:], u32(0x3903f326))
	copy(b[16:], []byte{192, 0, 2, 77})
	copy(b[28:], []byte{0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42})
	b = append(b, 99, 130, 83, 99)
	return append(b, opts...)
}

// udpPackets exercise the NTP, BOOTP/DHCP and DHCPv6 printers.
func udpPackets(tb testing.TB) []appPacket {
	client := ntpPacket(0x23, 0, 6, -20, []byte{0, 0, 0, 0})
	server := ntpPacket(0x24, 2, 10, -23, []byte{192, 0, 2, 123})
	gps := ntpPacket(0xdc, 1, -3, -30, []byte("GPS\x00"))
	auth := ntpPacket(0x19, 3, 4, -6, []byte{10, 0, 0, 1}, append(u32(7), bytes.Repeat([]byte{0xa5}, 16)...)...)
	auth20 := ntpPacket(0x19, 3, 4, -6, []byte{10, 0, 0, 1}, append(u32(8), bytes.Repeat([]byte{0x5a}, 20)...)...)
	nak := ntpPacket(0x24, 3, 4, -6, []byte{10, 0, 0, 1}, u32(0)...)
	ext := ntpPacket(0x24, 16, 40, -6, []byte{10, 0, 0, 1}, make([]byte, 12)...)
	info := ntpPacket(0x24, 62, 4, -6, []byte{10, 0, 0, 9})
	control := cat([]byte{0x16, 0x02}, u16(1), u16(0x0615), u16(0), u16(0), u16(4), []byte("ab=1"))
	controlReply := cat([]byte{0x1e, 0xc1}, u16(2), u16(0), u16(5), u16(0), u16(0))
	mode7 := cat([]byte{0x17, 0x00, 0x03, 0x2a}, make([]byte, 4))
	discover := bootpPacket(1, 1, 6, 53, 1, 1, 255)
	dhcpOpts := bootpPacket(1, 1, 6, cat(
		[]byte{0, 0, 53, 1, 3, 55, 9, 1, 3, 6, 15, 119, 252, 121, 33, 200},
		[]byte{61, 7, 1, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42}, []byte{61, 4, 0, 'i', 'd', 0x7f},
		[]byte{12, 4, 'h', 'o', 's', 't'}, []byte{81, 7, 0x15, 0, 0, 'a', '.', 'b', 'c'},
		[]byte{82, 14, 1, 4, 'e', 't', 'h', '0', 2, 2, 'r', 'i', 9, 2, 0xde, 0xad},
		[]byte{121, 14, 24, 192, 168, 1, 10, 0, 0, 1, 0, 10, 0, 0, 254},
		[]byte{77, 6, 2, 'a', 'b', 2, 'c', 'd'}, []byte{46, 1, 8}, []byte{52, 1, 3},
		[]byte{50, 4, 192, 0, 2, 9}, []byte{51, 4, 0, 0, 0x0e, 0x10}, []byte{2, 4, 0xff, 0xff, 0xf1, 0xf0},
		[]byte{57, 2, 5, 0xdc}, []byte{19, 2, 0, 7}, []byte{33, 9, 10, 0, 0, 0, 10, 0, 0, 1, 5},
		[]byte{200, 3, 1, 2, 3}, []byte{201, 2, 1, 2}, []byte{202, 4, 1, 2, 3, 4}, []byte{23, 1, 64},
		[]byte{53, 1, 99}, []byte{1, 5, 255, 255, 255, 0, 9}, []byte{255, 0, 0})...)
	offer := bootpPacket(2, 1, 6, 53, 1, 2, 54, 4, 192, 0, 2, 1, 255)
	copy(offer[8:], []byte{0, 5, 0x80, 0})
	copy(offer[16:], []byte{192, 0, 2, 77, 192, 0, 2, 1, 192, 0, 2, 254})
	offer[3] = 2
	copy(offer[44:], "boot\x01server")
	copy(offer[108:], "pxelinux.0")
	noEnd := bootpPacket(2, 1, 6)
	copy(noEnd[44:108], bytes.Repeat([]byte{'s'}, 64))
	badSpecial := bootpPacket(1, 1, 6, cat([]byte{46, 0}, []byte{81, 2, 0, 0}, []byte{61, 0},
		[]byte{82, 5, 1, 9, 'x', 'y', 'z'}, []byte{121, 3, 1, 2, 3}, []byte{121, 6, 40, 1, 2, 3, 4, 5},
		[]byte{249, 6, 24, 1, 2, 3, 4, 5}, []byte{77, 1, 0}, []byte{77, 3, 0, 1, 2}, []byte{77, 3, 5, 1, 2},
		[]byte{81, 3, 0xff, 1, 2}, []byte{255})...)
	cmu := bootpPacket(2, 1, 6)
	copy(cmu[236:], cat([]byte("CMU\x00"), []byte{3, 0, 0, 0}, []byte{255, 255, 255, 0}, []byte{10, 0, 0, 1}, []byte{10, 0, 0, 53}, make([]byte, 12), []byte{10, 0, 0, 123}, make([]byte, 4)))
	cmu = append(cmu, make([]byte, 40)...)
	other := bootpPacket(2, 1, 6)
	copy(other[236:], []byte{1, 2, 3, 4})
	solicit := cat([]byte{1, 0x12, 0x34, 0x56}, u16(8), u16(2), u16(0))
	relay := cat([]byte{12, 0}, net.ParseIP("2001:db8::1"), net.ParseIP("fe80::2"))
	opt6 := func(code int, data ...[]byte) []byte { d := cat(data...); return cat(u16(code), u16(len(d)), d) }
	solicitOpts := cat([]byte{1, 0xab, 0xcd, 0xef},
		opt6(1, u16(1), u16(1), u32(701530515), []byte{0, 0, 1, 1, 0, 0}),
		opt6(6, u16(23), u16(24), u16(999)), opt6(8, u16(300)), opt6(14),
		opt6(3, u32(7), u32(3600), u32(5400), opt6(5, net.ParseIP("2001:db8::7"), u32(7200), u32(7500))),
		opt6(15, []byte{0, 3, 'a', 'b', 'c'}), opt6(7, []byte{255}), opt6(25, u32(9), u32(0), u32(0),
			opt6(26, u32(100), u32(200), []byte{56}, net.ParseIP("2001:db8:1::"))),
		opt6(4, u32(5)), opt6(39, []byte{1, 3, 'x'}))
	advertise := cat([]byte{2, 0xab, 0xcd, 0xef},
		opt6(2, u16(2), u32(9), []byte{1, 2, 3, 4}), opt6(1, u16(3), u16(1), []byte{0, 0x0b, 0x82, 1, 2, 3}),
		opt6(13, u16(2), []byte("none")), opt6(23, net.ParseIP("2001:db8::53"), net.ParseIP("2001:db8::54")),
		opt6(24, dnsName("example.com"), dnsName("corp.example")), opt6(32, u32(86400)),
		opt6(56, u16(1), u16(16), net.ParseIP("2001:db8::123"), u16(3), u16(13), dnsName("ntp.example"), u16(9), u16(0)),
		opt6(64, []byte{4, 'a', 'f', 't', 'r', 3, 'n', 'e', 't', 0}), opt6(41, []byte("EST5EDT")),
		opt6(13, u16(300)), opt6(13, u16(77)), opt6(19, []byte{5}), opt6(19, []byte{9}), opt6(20))
	relayMsg := cat([]byte{12, 1}, net.ParseIP("2001:db8::1"), net.ParseIP("fe80::2"),
		opt6(18, []byte("eth0/1/2/3/4/5")), opt6(37, u32(9), []byte("remote-id-value")),
		opt6(9, solicitOpts[:40]), opt6(38, []byte("sub")))
	odd := cat([]byte{11, 0, 0, 1},
		opt6(1, u16(1)), opt6(2, u16(2), u32(1)), opt6(1, u16(9)), opt6(5, make([]byte, 4)), opt6(6, []byte{1}),
		opt6(7, nil), opt6(8, []byte{1}), opt6(3, u32(1)), opt6(26, make([]byte, 3)), opt6(32, u16(1)),
		opt6(11, []byte{2, 1, 0}, make([]byte, 8), []byte{'r', 'l', 'm'}, u32(0x1234), make([]byte, 16)),
		opt6(11, []byte{3, 1, 0}, make([]byte, 8), []byte{2}, make([]byte, 16)),
		opt6(11, []byte{4, 2, 1}, make([]byte, 8)), opt6(11, []byte{2, 1, 0}, make([]byte, 8), []byte{1}),
		opt6(44, []byte{1}, net.ParseIP("2001:db8::9"), opt6(1, u16(3), u16(1))), opt6(45, opt6(46, u32(5))),
		opt6(47, net.ParseIP("2001:db8::a"), []byte("relay-data-xyz")), opt6(48, make([]byte, 15)),
		opt6(64, []byte{9, 'a', 0}), opt6(112, []byte("https://mud")), opt6(200, []byte{1}))
	ntpCut := appUDP4(tb, 123, 123, server)
	return []appPacket{
		{"ntp client", appUDP4(tb, 40123, 123, client), 0, false},
		{"ntp server", appUDP4(tb, 123, 40123, server), 0, false},
		{"ntp primary gps leap", appUDP4(tb, 123, 123, gps), 0, false},
		{"ntp symmetric with md5", appUDP4(tb, 123, 123, auth), 0, false},
		{"ntp symmetric with sha1", appUDP4(tb, 123, 123, auth20), 0, false},
		{"ntp crypto nak", appUDP4(tb, 123, 123, nak), 0, false},
		{"ntp extra bytes reserved stratum", appUDP4(tb, 123, 123, ext), 0, false},
		{"ntp info query", appUDP4(tb, 123, 123, info), 0, false},
		{"ntp control request", appUDP4(tb, 40123, 123, control), 0, false},
		{"ntp control error reply", appUDP4(tb, 123, 40123, controlReply), 0, false},
		{"ntp control short", appUDP4(tb, 40123, 123, control[:8]), 0, false},
		{"ntp mode 7", appUDP4(tb, 40123, 123, mode7), 0, false},
		{"ntp short time message", appUDP4(tb, 40123, 123, client[:20]), 0, false},
		{"ntp cut in timestamps", ntpCut, len(ntpCut) - 20, false},
		{"ntp cut in precision", ntpCut, 14 + 20 + 8 + 3, false},
		{"ntp empty", appUDP4(tb, 40123, 123, nil), 0, false},
		{"bootp request", appUDP4(tb, 68, 67, discover), 0, false},
		{"bootp reply", appUDP4(tb, 67, 68, bootpPacket(2, 1, 6, 53, 1, 2, 255)), 0, false},
		{"bootp unknown op", appUDP4(tb, 68, 67, bootpPacket(7, 1, 6)), 0, false},
		{"bootp token ring request", appUDP4(tb, 68, 67, bootpPacket(1, 6, 6)), 0, false},
		{"bootp cut before hardware address", appUDP4(tb, 68, 67, discover), 14 + 20 + 8 + 30, false},
		{"bootp empty", appUDP4(tb, 68, 67, nil), 0, false},
		{"dhcp discover with options", appUDP4(tb, 68, 67, dhcpOpts), 0, false},
		{"dhcp offer with names", appUDP4(tb, 67, 68, offer), 0, false},
		{"dhcp sname without end", appUDP4(tb, 67, 68, noEnd), 0, false},
		{"dhcp options cut", appUDP4(tb, 68, 67, dhcpOpts), 14 + 20 + 8 + 250, false},
		{"dhcp bad special options", appUDP4(tb, 68, 67, badSpecial), 0, false},
		{"bootp cmu vendor area", appUDP4(tb, 67, 68, cmu), 0, false},
		{"bootp other vendor area", appUDP4(tb, 67, 68, other), 0, false},
		{"dhcp6 solicit", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, solicit), 0, false},
		{"dhcp6 relay forward", appUDP6(tb, "fe80::1", "ff02::1:2", 547, 547, relay), 0, false},
		{"dhcp6 unknown type", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, []byte{99, 0, 0, 1}), 0, false},
		{"dhcp6 short", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, []byte{1, 0, 0}), 0, false},
		{"dhcp6 solicit with options", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, solicitOpts), 0, false},
		{"dhcp6 advertise with options", appUDP6(tb, "fe80::2", "fe80::1", 547, 546, advertise), 0, false},
		{"dhcp6 relay with message", appUDP6(tb, "fe80::3", "ff02::1:2", 547, 547, relayMsg), 0, false},
		{"dhcp6 odd options", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, odd), 0, false},
		{"dhcp6 option cut", appUDP6(tb, "fe80::1", "ff02::1:2", 546, 547, cat(solicitOpts[:4], u16(1), u16(40), make([]byte, 8))), 0, false},
		{"dhcp6 relay cut", appUDP6(tb, "fe80::1", "ff02::1:2", 547, 547, relay[:20]), 0, false},
		{"dhcp6 capture cut", appUDP6(tb, "fe80::2", "fe80::1", 547, 546, advertise), 14 + 40 + 8 + 60, false},
	}
}

// appPackets are all the packets of appCapture.
func appPackets(tb testing.TB) []appPacket {
	return append(append(dnsPackets(tb), httpPackets(tb)...), udpPackets(tb)...)
}

func appFrame(pk appPacket) []byte {
	if pk.snap > 0 && pk.snap < len(pk.data) {
		return pk.data[:pk.snap]
	}
	return pk.data
}

// TestAppPortOrder checks the dissectors here leave a datagram or segment
// to the one tcpdump picks first when its other port is another
// protocol's: those print on other branches.
func TestAppPortOrder(t *testing.T) {
	p := NewPrinter(io.Discard, nil)
	h := &ipHdr{}
	payload := make([]byte, 64)
	for _, c := range []struct {
		name   string
		tcp    bool
		sp, dp int
		mine   bool
	}{
		{"udp snmp before ntp", false, 161, 123, false},
		{"udp tftp before bootp", false, 69, 67, false},
		{"udp timed before bootp", false, 525, 68, false},
		{"udp isakmp before ntp", false, 500, 123, false},
		{"udp rx before dhcp6", false, 7001, 547, false},
		{"udp ripng before dhcp6", false, 521, 546, false},
		{"udp dns before snmp", false, 53, 161, true},
		{"udp mdns before tftp", false, 5353, 69, true},
		{"udp bootp before ntp", false, 67, 123, true},
		{"udp ntp before l2tp", false, 123, 1701, true},
		{"udp dhcp6 before babel", false, 547, 6696, true},
		{"udp llmnr is plain udp", false, 5355, 40000, false},
		{"tcp telnet before http", true, 23, 80, false},
		{"tcp bgp before http", true, 179, 80, false},
		{"tcp resp before ftp", true, 6379, 21, false},
		{"tcp smtp before bgp", true, 25, 179, true},
		{"tcp http before dns", true, 80, 53, true},
		{"tcp dns", true, 40000, 53, true},
		{"tcp unknown ports", true, 40000, 40001, false},
	} {
		var ok bool
		if c.tcp {
			_, ok = p.tcpDNS(nil, payload, len(payload), c.sp, c.dp, h)
		} else {
			_, ok = p.udpDNS(nil, payload, len(payload), c.sp, c.dp, h)
		}
		if ok != c.mine {
			t.Errorf("%s (ports %d > %d): claimed %v, want %v", c.name, c.sp, c.dp, ok, c.mine)
		}
	}
}

// TestWriteAppCapture rewrites appCapture when WIREKIT_WRITE_DNSAPP=1
// (scripts/gen-dnsapp-golden.sh sets it), and otherwise checks the
// committed file holds exactly the built packets.
func TestWriteAppCapture(t *testing.T) {
	pkts := appPackets(t)
	checkGeneratedCapture(t, appCapture, layers.LinkTypeEthernet, "WIREKIT_WRITE_DNSAPP", "scripts/gen-dnsapp-golden.sh",
		len(pkts), func(i int) ([]byte, int) { return appFrame(pkts[i]), len(pkts[i].data) })
}

// readAppGolden returns tcpdump's lines per flags and packet.
func readAppGolden(t *testing.T) map[string][][]string {
	f, err := os.Open(appGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks := map[string][]byte{}
	flags := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			flags = strings.TrimSpace(line[4:])
			blocks[flags] = []byte{}
		case strings.HasPrefix(line, "#"):
		default:
			blocks[flags] = append(append(blocks[flags], line...), '\n')
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	for fl, b := range blocks {
		out[fl] = linecmp.SplitNumbered(b)
	}
	return out
}

// TestAppPacketsMatchTcpdump prints every built application packet at
// each verbosity of the golden file and compares its lines with
// tcpdump's.
func TestAppPacketsMatchTcpdump(t *testing.T) {
	want := readAppGolden(t)
	pkts := appPackets(t)
	for _, fl := range appFlags {
		w, ok := want[fl]
		if !ok {
			t.Fatalf("%s has no block for flags %q: run scripts/gen-dnsapp-golden.sh", appGolden, fl)
		}
		if len(w) != len(pkts) {
			t.Fatalf("flags %q: %d packets in %s, %d built: run scripts/gen-dnsapp-golden.sh", fl, len(w), appGolden, len(pkts))
		}
		var o Options
		if fl == "-vvv" {
			o = Options{Location: time.UTC, Verbose: 3}
		} else {
			o = tcpdumpFlags(t, fl)
		}
		var out bytes.Buffer
		p := NewPrinter(&out, &o)
		for i, pk := range pkts {
			out.Reset()
			data := appFrame(pk)
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0).UTC(), CaptureLength: len(data), Length: len(pk.data)}
			if err := p.Print(ci, data, layers.LinkTypeEthernet); err != nil {
				t.Fatal(err)
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if pk.terse && fl != "" {
				continue
			}
			if strings.Join(got, "\n") != strings.Join(w[i], "\n") {
				t.Errorf("tcpdump -n %s, packet %d (%s):\n got %s\nwant %s", fl, i+1, pk.name,
					strings.Join(got, "\n     "), strings.Join(w[i], "\n     "))
			}
		}
	}
}

// TestPrintAppAllocs checks printing the application packets allocates
// nothing per packet, at every verbosity.
func TestPrintAppAllocs(t *testing.T) {
	pkts := appPackets(t)
	for _, v := range []int{0, 1, 2, 3} {
		p := NewPrinter(io.Discard, &Options{Location: time.UTC, Verbose: v})
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0)}
		print := func() {
			for _, pk := range pkts {
				ci.Length = len(pk.data)
				_ = p.Print(ci, appFrame(pk), layers.LinkTypeEthernet)
			}
		}
		print()
		if n := testing.AllocsPerRun(100, print); n != 0 {
			t.Errorf("verbose %d: Print allocates %.1f times per %d application packets", v, n, len(pkts))
		}
	}
}

// FuzzPrintApp checks that any payload on the application ports (DNS
// names with pointer loops, cut records, HTTP lines...), seeded with the
// built packets, prints without a panic and ends its line.
func FuzzPrintApp(f *testing.F) {
	for _, pk := range appPackets(f) {
		f.Add(uint8(0), appFrame(pk))
	}
	var out bytes.Buffer
	var ps [4]*Printer
	for v := range ps {
		ps[v] = NewPrinter(&out, &Options{Location: time.UTC, Verbose: v})
	}
	f.Fuzz(func(t *testing.T, mode uint8, data []byte) {
		p := ps[int(mode)%len(ps)]
		out.Reset()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data) + int(mode>>2)}
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

// FuzzPrintAppPayload feeds any payload to each application dissector
// behind valid Ethernet, IPv4 and UDP or TCP headers, at every verbosity,
// so that the fuzzer works on DNS names (pointer loops), records, options
// and text lines rather than on the headers before them.
func FuzzPrintAppPayload(f *testing.F) {
	type port struct {
		tcp    bool
		sp, dp int
	}
	ports := []port{{false, 33333, 53}, {false, 5353, 5353}, {false, 68, 67}, {false, 123, 123},
		{false, 546, 547}, {true, 40000, 80}, {true, 40000, 53}, {true, 25, 40000}}
	heads := make([][]byte, len(ports))
	for i, pt := range ports {
		if pt.tcp {
			heads[i] = appTCP4(f, pt.sp, pt.dp, 1, nil)
		} else {
			heads[i] = appUDP4(f, pt.sp, pt.dp, nil)
		}
	}
	for _, pk := range appPackets(f) {
		d := appFrame(pk)
		if len(d) > 42 {
			f.Add(uint8(0), d[42:])
		}
	}
	var out bytes.Buffer
	var ps [4]*Printer
	for v := range ps {
		ps[v] = NewPrinter(&out, &Options{Location: time.UTC, Verbose: v})
	}
	var frame []byte
	f.Fuzz(func(t *testing.T, sel uint8, payload []byte) {
		if len(payload) > 60000 {
			return
		}
		i := int(sel) % len(ports)
		frame = append(append(frame[:0], heads[i]...), payload...)
		binary.BigEndian.PutUint16(frame[14+2:], uint16(len(frame)-14))
		if !ports[i].tcp {
			binary.BigEndian.PutUint16(frame[14+20+4:], uint16(len(frame)-14-20))
		}
		p := ps[int(sel>>3)%len(ps)]
		out.Reset()
		snap := len(frame)
		if sel&0x20 != 0 && len(payload) > 0 {
			snap -= int(payload[0]) % (len(payload) + 1)
		}
		ci := gopacket.CaptureInfo{CaptureLength: snap, Length: len(frame)}
		if err := p.Print(ci, frame[:snap], layers.LinkTypeEthernet); err != nil {
			t.Fatalf("Print: %v", err)
		}
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			t.Fatalf("output does not end a line: %q", out.Bytes())
		}
	})
}
