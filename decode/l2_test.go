package decode

import (
	"bytes"
	"encoding/hex"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// l2Case is a packet of a link type or ethertype printed by l2.go's
// dissectors, with the line tcpdump 4.99 prints for it (checked by
// writing the packets with WIREKIT_L2_PCAPS=DIR and running
// `tcpdump -n -r` on each file there).
type l2Case struct {
	name string
	lt   layers.LinkType
	data []byte
	wire int // 0: len(data)
	want string
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// icmpEcho is an IPv4 ICMP echo request from 10.0.0.1 to 10.0.0.2.
func icmpEcho(t testing.TB) []byte {
	return build(t, ip4(layers.IPProtocolICMPv4),
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1},
		gopacket.Payload(make([]byte, 16)))
}

func udp6(t testing.TB) []byte {
	ip := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: 64,
		SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}
	u := &layers.UDP{SrcPort: 1000, DstPort: 2000}
	_ = u.SetNetworkLayerForChecksum(ip)
	return build(t, ip, u, gopacket.Payload([]byte("hello")))
}

// bcmLIPacket is a UDP datagram to the lawful-intercept port with a shim
// of direction 3, type 7, subtype 1 and LI ID 0x1234.
func bcmLIPacket(t testing.TB) []byte {
	shim := []byte{0x6e, 0x40, 0x12, 0x34, 0, 0}
	return build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolUDP),
		&layers.UDP{SrcPort: 49152, DstPort: 49153}, gopacket.Payload(shim))
}

const echoLine = "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 24"

// isisLanIIH is an IS-IS L2 LAN hello from 1921.6800.1001 (a PDU with
// its common header and the fixed LAN IIH fields, no TLVs).
const isisLanIIH = "83 1b 01 00 10 01 00 00 02 192168001001 001e 001b 40 192168001001 02"

func l2Cases(t testing.TB) []l2Case {
	echo, v6 := icmpEcho(t), udp6(t)
	return []l2Case{
		{name: "chdlc/slarp keepalive", lt: linkTypeCHDLC,
			data: unhex(t, "8f008035 00000002 00000011 00000010 ffff 00100000 0000"),
			want: "SLARP (length: 20), keepalive: mineseen=0x00000011, yourseen=0x00000010, reliability=0xffff, link uptime=0d0h17m28s"},
		{name: "chdlc/slarp reply", lt: linkTypeCHDLC,
			data: unhex(t, "8f008035 00000001 0a000001 ffffff00 0000 00000000"),
			want: "SLARP (length: 18), reply 10.0.0.1/255.255.255.0"},
		{name: "chdlc/ipv4", lt: linkTypeCHDLC, data: cat(unhex(t, "0f000800"), echo), want: echoLine},
		{name: "chdlc/unknown protocol", lt: linkTypeCHDLC, data: unhex(t, "0f001234 0000"),
			want: "unknown CHDLC protocol (0x1234)"},
		{name: "chdlc/isis with fudge byte", lt: linkTypeCHDLC, data: cat(unhex(t, "0f00fefe 00"), unhex(t, isisLanIIH)),
			want: "IS-IS, L2 Lan IIH, src-id 1921.6800.1001, lan-id 1921.6800.1001.02, prio 64, length 27"},
		{name: "chdlc/truncated", lt: linkTypeCHDLC, data: unhex(t, "0f00"), want: " [|chdlc]"},
		{name: "fr/cisco ipv6", lt: linkTypeFrameRelay, data: cat(unhex(t, "48e1 86dd"), v6),
			want: "IP6 2001:db8::1.1000 > 2001:db8::2.2000: UDP, length 5"},
		{name: "fr/nlpid ipv4", lt: linkTypeFrameRelay, data: cat(unhex(t, "4811 03cc"), echo), want: echoLine},
		{name: "fr/nlpid isis", lt: linkTypeFrameRelay, data: cat(unhex(t, "4811 03"), unhex(t, isisLanIIH)),
			want: "IS-IS, L2 Lan IIH, src-id 1921.6800.1001, lan-id 1921.6800.1001.02, prio 64, length 27"},
		{name: "fr/invalid address", lt: linkTypeFrameRelay, data: unhex(t, "8100 03cc"), want: "Q.922, invalid address"},
		{name: "fr/unknown nlpid and flags", lt: linkTypeFrameRelay, data: unhex(t, "4a0f 0377 0102"),
			want: "Q.922, hdr-len 2, DLCI 288, Flags [C!, DE, BECN, FECN], NLPID unknown (0x77), length 6: \n\t0x0000:  0102                                     .."},
		{name: "ppp/ipv4", lt: linkTypePPP, data: cat(unhex(t, "ff030021"), echo), want: echoLine},
		{name: "ppp/mpls", lt: linkTypePPP, data: cat(unhex(t, "ff030281 00064140"), echo),
			want: "MPLS (label 100, tc 0, [S], ttl 64) " + echoLine},
		{name: "ppp/lcp", lt: linkTypePPP, data: unhex(t, "ff03c021 0101000a 0506 01020304"),
			want: "LCP, Conf-Request (0x01), id 1, length 12"},
		{name: "ppp/mlppp", lt: linkTypePPP, data: unhex(t, "ff03003d c0010203"),
			want: "MLPPP, seq 0x001, Flags [begin, end], length 4"},
		{name: "ppp/mlppp truncated", lt: linkTypePPP, data: unhex(t, "ff03003d 30"), want: "MLPPP, [|mlppp]"},
		{name: "ppp/unknown", lt: linkTypePPP, data: unhex(t, "ff03abcd 01"),
			want: "unknown PPP protocol (0x00ab) \n\t0x0000:  cd01"},
		{name: "ipoib/ipv4", lt: linkTypeIPoIB, data: cat(make([]byte, 40), unhex(t, "08000000"), echo), want: echoLine},
		{name: "ipnet/ipv4", lt: linkTypeIPNet, data: cat(unhex(t, "0102000000000030 00000002 00000000 ffffffff 00000000"), echo), want: echoLine},
		{name: "arcnet/rfc1201 ipv4", lt: linkTypeARCnetLinux, data: cat(unhex(t, "01020000 d4 00 0001"), echo), want: echoLine},
		{name: "arcnet/rfc1051 ipv4", lt: linkTypeARCnetLinux, data: cat(unhex(t, "01020000 f0"), echo), want: echoLine},
		{name: "dsa/forward", lt: linkTypeDSA, data: cat(unhex(t, "001122334455 66778899aabb c0100539 0800"), echo),
			want: "DSA Forward port 0.2, VLAN 1337u, " + echoLine},
		{name: "dsa/from cpu tagged", lt: linkTypeDSA, data: cat(unhex(t, "001122334455 66778899aabb 61180005 0800"), echo),
			want: "DSA CPU > port 1.3, VLAN 5t, " + echoLine},
		{name: "edsa/forward", lt: linkTypeEDSA, data: cat(unhex(t, "001122334455 66778899aabb dada0000 c0080000 0800"), echo),
			want: "EDSA 0xdada, Forward port 0.1, VLAN 0u, " + echoLine},
		{name: "brcm/ingress", lt: linkTypeDSABrcm, data: cat(unhex(t, "001122334455 66778899aabb 20000080 0800"), echo),
			want: "BRCM tag OP: IG, TC: 0, TE: None, TS: 0, DST map: 0x0080, " + echoLine},
		{name: "brcm/egress", lt: linkTypeDSABrcm, data: cat(unhex(t, "001122334455 66778899aabb 00002003 0800"), echo),
			want: "BRCM tag OP: EG, CID: 0, RC: exception, TC: 0, port: 3, " + echoLine},
		{name: "ether/stp config", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c2000000 001122334455 0026 424203 0000 00 00 01 8001001122334455 00000004 8002001122334456 8003 0100 1400 0200 0f00"),
			want: "STP 802.1d, Config, Flags [Topology change], bridge-id 8002.00:11:22:33:44:56.8003, length 35"},
		{name: "ether/rstp", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c2000000 001122334455 0027 424203 0000 02 02 3c 8001001122334455 00000004 8002001122334456 8003 0100 1400 0200 0f00 00"),
			want: "STP 802.1w, Rapid STP, Flags [Learn, Forward], bridge-id 8002.00:11:22:33:44:56.8003, length 36"},
		{name: "ether/stp truncated", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c2000000 001122334455 0026 424203 0000 00"), wire: 52,
			want: "STP 802.1d [|stp]"},
		{name: "ether/lldp with system name", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c200000e 001122334455 88cc 0207 04001122334455 0403 0565 30 0602 0078 0a03 737731 0000"),
			want: "LLDP, length 25: sw1"},
		{name: "ether/cdp", lt: layers.LinkTypeEthernet,
			data: unhex(t, "01000ccccccc 001122334455 001b aaaa03 00000c 2000 02b4 0000 0001 0007 737731 0003 0008 6574 6830"),
			want: "CDPv2, ttl: 180s, Device-ID 'sw1'\n\t  0x0000:  6574 6830, length 19"},
		{name: "ether/udld", lt: layers.LinkTypeEthernet,
			data: unhex(t, "01000ccccccc 001122334455 000e aaaa03 00000c 0111 2101 0000 0000"),
			want: "UDLDv1, Code Probe message (1), Flags [RT] (0x01), length 6"},
		{name: "ether/dtp", lt: layers.LinkTypeEthernet,
			data: unhex(t, "01000ccccccc 001122334455 000d aaaa03 00000c 2004 01 0001 0005 00"),
			want: "DTPv1, length 5"},
		{name: "ether/unknown snap", lt: layers.LinkTypeEthernet,
			data: unhex(t, "01000ccccccc 001122334455 000a aaaa03 00000c 0003 0102"),
			want: "00:11:22:33:44:55 > 01:00:0c:cc:cc:cc SNAP, oui Cisco (0x00000c), pid Unknown (0x0003), length 2: \n\t0x0000:  aaaa 0300 000c 0003 0102                 ..........\n"},
		{name: "ether/llc information frame", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 0008 4410 0034 01020304"),
			want: "00:11:22:33:44:55 Unknown SSAP 0x10 > 66:77:88:99:aa:bb Unknown DSAP 0x44 Information, send seq 0, rcv seq 26, Flags [Command], length 8\n\t0x0000:  4410 0034 0102 0304                      D..4....\n"},
		{name: "ether/lacp", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c2000002 001122334455 8809 0101 0114 0000"),
			want: "LACPv1, length 6"},
		{name: "ether/eapol start", lt: layers.LinkTypeEthernet,
			data: unhex(t, "0180c2000003 001122334455 888e 01010000"),
			want: "EAPOL start (1) v1, len 0"},
		{name: "ether/aoe response", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 88a2 1800 0001 01 01 00000001"),
			want: "AoE length 10, Ver 1, Flags: [Response]"},
		{name: "ether/ipx netbios raw 802.3", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 0022 ffff 0022 00 14 00000000 ffffffffffff 0455 0a0b0c0d 001122334455 0455 01020304"),
			want: "IPX 0a0b0c0d.00:11:22:33:44:55.0455 > 00000000.ff:ff:ff:ff:ff:ff.0455: ipx-netbios 4"},
		{name: "ether/pppoe session lcp", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 8864 1100 0017 000a c021 0901 0008 01020304"),
			want: "PPPoE  [ses 0x17] LCP, Echo-Request (0x09), id 1, length 10"},
		{name: "ether/pppoe padi", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 8863 1109 0000 000a 0101 0000 0120 0002 05dc"),
			want: "PPPoE PADI [Service-Name] [PPP-Max-Payload 0x05DC]"},
		{name: "ether/loopback reply", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 9000 0000 0100 0700 55555555"),
			want: "Loopback, skipCount 0, Reply, receipt number 7, data (4 octets)"},
		{name: "ether/mpls", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "66778899aabb 001122334455 8847 00010040 00064140"), echo),
			want: "MPLS (label 16, tc 0, ttl 64) (label 100, tc 0, [S], ttl 64) " + echoLine},
		{name: "ether/arp unknown operation", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 0806 0001 0800 0604 0042 001122334455 0a000001 000000000000 0a000002"),
			want: "ARP, Unknown (66) \n\t0x0000:  0001 0800 0604 0042 0011 2233 4455 0a00  .......B..\"3DU..\n\t0x0010:  0001 0000 0000 0000 0a00 0002            ............\n"},
		{name: "ether/bcm-li-shim", lt: layers.LinkTypeEthernet, data: bcmLIPacket(t),
			want: "IP 10.0.0.1.49152 > 10.0.0.2.49153: BCM-LI-SHIM: direction ingress, pkt-type ethernet, pkt-subtype single VLAN tag, li-id 4660"},
		{name: "vsock/connect", lt: linkTypeVSock,
			data: unhex(t, "0300000000000000 0200000000000000 00040000 d2040000 0100 0200 0400 0000 01020304"),
			want: "VIRTIO 3.1024 > 2.1234 CONNECT, length 36"},
		{name: "slip/ipv4", lt: linkTypeSLIP, data: cat(make([]byte, 16), echo), want: echoLine},
		{name: "slip/bad version", lt: linkTypeSLIP, data: cat(make([]byte, 16), unhex(t, "e7e7")), want: "ip v14"},
		{name: "nflog/ipv4", lt: linkTypeNFLog,
			data: cat(unhex(t, "02000014 0800 0100 08000127 0500 0a00 00000000"), []byte{byte(len(echo) + 4), 0, 9, 0}, echo),
			want: echoLine},
		{name: "pktap/ethernet", lt: linkTypePKTAP,
			data: cat(unhex(t, "6c000000 01000000 01000000"), make([]byte, 96), unhex(t, "66778899aabb 001122334455 0800"), echo),
			want: echoLine},
		{name: "pktap/short packet", lt: linkTypePKTAP, data: unhex(t, "00000000 01000000 01000000 0000"),
			want: " (packet too short, 14 < 108) (invalid)"},
		{name: "pktap/short header", lt: linkTypePKTAP, data: unhex(t, "00000000 01000000 01000000 0000"), wire: 200,
			want: " (pkt_len too small, 0 < 108) (invalid)"},
		{name: "sunatm/oam truncated", lt: linkTypeSunATM, data: unhex(t, "30000003"), want: " [|oam]"},
		{name: "ether/geonet beacon", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 8947 0010 0000 0000 0001 0000001122334455 00000001 00000064 000000c8 0000 0000 00000000"),
			want: "GeoNet src:00:11:22:33:44:55; v:0 NH:0-Any HT:1-0-Beacon HopLim:1 Payload:0 GN_ADDR:00:00:00:11:22:33:44:55 lat:100 lon:200"},
		{name: "ether/geonet btp cam", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "ffffffffffff 001122334455 8947 0151 0000 0008 0002 0000001122334455 00000001 00000064 000000c8 0000 0000 00000000"),
				make([]byte, 32), unhex(t, "07d0 07d1 0100 0000")),
			want: "GeoNet src:00:11:22:33:44:55; v:0 NH:1-BTP-A HT:5-1-TopoScopeBcast-MH HopLim:2 Payload:8 GN_ADDR:00:00:00:11:22:33:44:55 lat:100 lon:200; BTP Dst:2000 Src:2001; ItsPduHeader v:1 t:0-CAM"},
		{name: "ether/calm fast", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 1111 0102 0000"),
			want: "CALM FAST src:00:11:22:33:44:55; SrcNwref:1; DstNwref:2; "},
		{name: "ether/decnet endnode hello", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ab0000030000 aa0004000504 6003 2200 0d 020000 aa0004000504 03 3240 00 0000000000000000 aa0004000108 0f00 00 02 aaaa"),
			want: "endnode-hello endnode vers 2 eco 0 ueco 0 src 1.5 blksize 16434 rtr 2.1 hello 15 data 2"},
		{name: "ether/decnet data", lt: layers.LinkTypeEthernet,
			data: unhex(t, "aa0004000504 aa0004000108 6003 1200 02 0504 0108 00 60 0420 0320 0180 02a0 0300 414243"),
			want: "2.1 > 1.5 18 data 8195>8196 ack 1 oack 2 seg 3 "},
		{name: "ether/decnet disconnect", lt: layers.LinkTypeEthernet,
			data: unhex(t, "aa0004000504 aa0004000108 6003 0d00 02 0504 0108 00 48 0420 0320 2a00"),
			want: "2.1 > 1.5 13 disconn-confirm 8195>8196 disconnect complete "},
		{name: "ether/tipc named", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 88ca 41420028 40100000 00000000 01001002 00000064 000000c8 01001002 01001003 00000000 00000000"),
			want: "TIPC v2.0 1.1.2:100 > 1.1.3:200, headerlength 40 bytes, MessageSize 40 bytes, Low Importance Data payload, messageType NAMED_MSG"},
		{name: "ether/tipc conn", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 88ca 46c00018 00000000 00000000 01001002 00000064 000000c8"),
			want: "TIPC v2.0 1.1.2:100 > 200, headerlength 24 bytes, MessageSize 24 bytes, Critical Importance Data payload, messageType CONN_MSG"},
		{name: "ether/arista 64-bit timestamp", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "000000000001 001122334455 d28b 0001 0110 5cee ed57 384f59c8 0800"), echo),
			want: "ethertype Arista Vendor Specific Protocol (0xd28b), length 72: SubType Timestamp (0x0001), Timescale UTC (1), Format 64-bit (1), HwInfo R/R2 (0), Timestamp 2019-05-29 20:36:39.944724424: " + echoLine},
		{name: "ether/arista 48-bit timestamp vlan", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "000000000001 001122334455 d28b 0001 0021 ed95 18152474 8100 0064 0800"), echo),
			want: "ethertype Arista Vendor Specific Protocol (0xd28b), length 74: SubType Timestamp (0x0001), Timescale TAI (0), Format 48-bit (2), HwInfo R3 (1), Timestamp 60821.404038772: " + echoLine},
		{name: "juniper ether/extensions", lt: linkTypeJuniperEther,
			data: cat(unhex(t, "4d474385 0004 01020a0b 66778899aabb 001122334455 0800"), echo), want: echoLine},
		{name: "juniper ether/bad extension", lt: linkTypeJuniperEther,
			data: unhex(t, "4d474385 0004 0130 0000 66778899aabb 001122334455 0800"),
			want: " [extension_length 4 < 50] (invalid)"},
		{name: "juniper es/truncated", lt: linkTypeJuniperES, data: unhex(t, "4d474330 30"), want: " [|juniper_es]"},
		{name: "mfr/control hello", lt: linkTypeMFR, data: unhex(t, "e10006 00"),
			want: "FRF.16 Control, Flags [Begin, End, Control], Remove Link, length 4"},
		{name: "mfr/control flags on a fragment", lt: linkTypeMFR, data: unhex(t, "e006 0000"),
			want: "FRF.16 Frag, seq 6, Flags [Begin, End, Control]\n\t0x0000:  e006 0000"},
		{name: "mfr/first fragment", lt: linkTypeMFR, data: cat(unhex(t, "c201 4811 03cc"), echo),
			want: "FRF.16 Frag, seq 257, Flags [Begin, End], " + echoLine},
		{name: "fr/snap ipv4", lt: linkTypeFrameRelay, data: cat(unhex(t, "4811 0380 000000 0800"), echo), want: echoLine},
		{name: "ether/aarp who-has", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 80f3 0001 809b 06 04 0001 001122334455 00ff0102 000000000000 00ff0107"),
			want: "aarp who-has 65281.7 tell 65281.2"},
		{name: "ether/aarp truncated", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 001122334455 80f3 0001"), want: "aarp  [|aarp]"},
		{name: "arcnet/appletalk short", lt: linkTypeARCnetLinux, data: unhex(t, "01020000 dd 00 0001 0102"),
			want: "AT  [|ddp 2]"},
		{name: "arcnet/appletalk truncated", lt: linkTypeARCnetLinux, data: unhex(t, "01020000 dd 00 0001 0102"), wire: 100,
			want: "AT  [|ddp]"},
		{name: "ether/macsec integrity only", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "66778899aabb 001122334455 88e5 2000 00000044 0011223344550001 0800"), echo, make([]byte, 16)),
			want: echoLine},
		{name: "ether/macsec encrypted", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 88e5 2c00 00000048 0011223344550001 0102030405060708090a0b0c0d0e0f1011"),
			want: "00:11:22:33:44:55 > 66:77:88:99:aa:bb 802.1AE MACsec, an 0, pn 72, flags ECI, sci 0011223344550001, \n\t0x0000:  0102 0304 0506 0708 090a 0b0c 0d0e 0f10  ................\n\t0x0010:  11                                       .\n"},
		{name: "ether/macsec truncated", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 88e5 2000 0000003e"), want: " [|macsec]"},
		{name: "ether/ms nlb heartbeat", lt: layers.LinkTypeEthernet,
			data: unhex(t, "ffffffffffff 0202c0a86450 886f bf01dec0 06020000 02000000 c0a86450 c0a86452"),
			want: "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80, host IP: 192.168.100.82"},
		{name: "802.15.4/beacon truncated", lt: linkType802154, data: unhex(t, "80eb cdab ffff cd"),
			want: "IEEE 802.15.4 Beacon packet v2 abcd:ffff < -:[ERROR: Truncated before dst_addr]"},
		{name: "802.15.4/data truncated", lt: linkType802154, data: unhex(t, "21ec 01 4d"),
			want: "IEEE 802.15.4 Data packet v2 [ERROR: Truncated before dst_pan]"},
		{name: "802.15.4/data", lt: linkType802154, data: unhex(t, "4188 05 3412 ffff 0100 6162 0000"),
			want: "IEEE 802.15.4 Data packet v0 1234:ffff < -:0001 \n\t0x0000:  6162 0000                                ab..\n"},
		{name: "ether/clnp echo request", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 fefe 00 81 11 01 20 1e 0013 0000 03 490001 03 490002 0000"),
			want: "CLNP, 49.0002 > 49.0001, Echo Request, length 19"},
		{name: "ether/clnp truncated", lt: layers.LinkTypeEthernet,
			data: unhex(t, "66778899aabb 001122334455 fefe 00 81 fc 01 20 1e 0014 0000 10 4900"), wire: 400,
			want: "CLNP [|clnp]"},
		{name: "ether/nsh ipv4", lt: layers.LinkTypeEthernet,
			data: cat(unhex(t, "66778899aabb 001122334455 894f 0002 0101 00030907"), echo),
			want: "NSH, flags [none], service-path-id 0x000309, service-index 0x7: " + echoLine},
		{name: "brcm prepend/egress", lt: linkTypeDSABrcmPrepend, data: cat(unhex(t, "00002003 001122334455 66778899aabb 0800"), echo),
			want: echoLine},
	}
}

// TestL2PrintLink checks frames whose -e line tcpdump prints with the LLC
// and SNAP headers.
func TestL2PrintLink(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"stp", unhex(t, "0180c2000000 001122334455 0026 424203 0000 00 00 01 8001001122334455 00000004 8002001122334456 8003 0100 1400 0200 0f00"),
			"00:11:22:33:44:55 > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [Topology change], bridge-id 8002.00:11:22:33:44:56.8003, length 35"},
		{"dtp", unhex(t, "01000ccccccc 001122334455 000d aaaa03 00000c 2004 01 0001 0005 00"),
			"00:11:22:33:44:55 > 01:00:0c:cc:cc:cc, 802.3, length 13: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco (0x00000c), pid DTP (0x2004), length 5: DTPv1, length 5"},
		{"vlan stp", unhex(t, "0180c2000000 001122334455 8100 e000 0026 424203 0000 00 00 01 8001001122334455 00000004 8002001122334456 8003 0100 1400 0200 0f00"),
			"00:11:22:33:44:55 > 01:80:c2:00:00:00, ethertype 802.1Q (0x8100), length 56: vlan 0, p 7, 802.3LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [Topology change], bridge-id 8002.00:11:22:33:44:56.8003, length 35"},
	}
	for _, c := range cases {
		got := printOne(t, Options{Link: true}, c.data, layers.LinkTypeEthernet)
		got = strings.TrimSuffix(got[strings.IndexByte(got, ' ')+1:], "\n")
		if got != c.want {
			t.Errorf("%s -e:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestL2Print checks each l2Case's line (without its timestamp).
func TestL2Print(t *testing.T) {
	for _, c := range l2Cases(t) {
		got := printWire(t, c.data, c.wire, c.lt)
		got = got[strings.IndexByte(got, ' ')+1:]
		if !strings.HasSuffix(c.want, "\n") {
			got = strings.TrimSuffix(got, "\n")
		}
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func printWire(t *testing.T, data []byte, wire int, lt layers.LinkType) string {
	t.Helper()
	var out bytes.Buffer
	p := NewPrinter(&out, &Options{Location: time.UTC})
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: max(wire, len(data))}
	if err := p.Print(ci, data, lt); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestL2NestBound checks that frames nesting layer-2 headers (here NSH
// carrying Ethernet carrying NSH...) stop at maxL2Depth.
func TestL2NestBound(t *testing.T) {
	frame := unhex(t, "66778899aabb 001122334455 894f 0002 0103 00030907")
	var data []byte
	for range 50 {
		data = append(data, frame...)
	}
	got := printOne(t, Options{}, data, layers.LinkTypeEthernet)
	if n := strings.Count(got, "NSH"); n != maxL2Depth {
		t.Errorf("printed %d NSH headers, want %d: %s", n, maxL2Depth, got)
	}
	if !strings.Contains(got, "[|ether]") {
		t.Errorf("no truncation mark after %d levels: %s", maxL2Depth, got)
	}
}

// TestWriteL2Captures writes each l2Case to DIR/NN.pcap when
// WIREKIT_L2_PCAPS=DIR, so that tcpdump can confirm the wanted lines.
func TestWriteL2Captures(t *testing.T) {
	dir := os.Getenv("WIREKIT_L2_PCAPS")
	if dir == "" {
		t.Skip("WIREKIT_L2_PCAPS not set")
	}
	for i, c := range l2Cases(t) {
		var buf bytes.Buffer
		w := pcapgo.NewWriter(&buf)
		if err := w.WriteFileHeader(65535, c.lt); err != nil {
			t.Fatal(err)
		}
		ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(c.data), Length: max(c.wire, len(c.data))}
		if err := w.WritePacket(ci, c.data); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, strings.ReplaceAll(c.name, "/", "_")+".pcap")
		_ = i
		if err := os.WriteFile(strings.ReplaceAll(name, " ", "-"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestL2Allocs prints every l2Case with no allocation once warm.
func TestL2Allocs(t *testing.T) {
	cs := l2Cases(t)
	p := NewPrinter(io.Discard, &Options{Location: time.UTC})
	ci := gopacket.CaptureInfo{Timestamp: ts}
	for _, c := range cs {
		_ = p.Print(ci, c.data, c.lt)
	}
	n := testing.AllocsPerRun(100, func() {
		for _, c := range cs {
			_ = p.Print(ci, c.data, c.lt)
		}
	})
	if n != 0 {
		t.Errorf("Print allocates %.1f times per %d layer-2 packets", n, len(cs))
	}
}

// FuzzPrintL2 feeds the layer-2 cases, cut and mutated, to every link type
// l2.go prints, with and without -e and -v.
func FuzzPrintL2(f *testing.F) {
	cs := l2Cases(f)
	lts := make([]layers.LinkType, 0, len(cs))
	for _, c := range cs {
		f.Add(c.data, uint8(len(lts)))
		lts = append(lts, c.lt)
	}
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		for _, o := range []Options{{}, {Link: true, Verbose: 2}} {
			p := NewPrinter(io.Discard, &o)
			lt := lts[int(sel)%len(lts)]
			if err := p.Print(gopacket.CaptureInfo{Timestamp: ts, Length: len(data)}, data, lt); err != nil {
				t.Fatal(err)
			}
		}
	})
}
