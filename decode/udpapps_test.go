package decode

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
)

// udpAppsCapture holds the packets of udpAppsPackets, which
// scripts/gen-udpapps-golden.sh runs tcpdump on.
const udpAppsCapture = "testdata/udpapps.pcap"

// udpAppsPacket is one generated packet of the protocols of app_udp.go: a
// name saying what it exercises and its Ethernet frame.
type udpAppsPacket struct {
	name string
	data []byte
	snap int // bytes captured; 0: all
	// v says the printer knows what tcpdump -v adds for this packet;
	// the -v comparison skips the others.
	v bool
}

// uaHex decodes hex digits, ignoring spaces, for payloads written as the
// protocol's fields.
func uaHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// uaSer serializes layers with lengths and checksums computed.
func uaSer(tb testing.TB, ls ...gopacket.SerializableLayer) []byte {
	tb.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		tb.Fatalf("serialize: %v", err)
	}
	return bytes.Clone(buf.Bytes())
}

// uaUDP4 builds an Ethernet/IPv4/UDP frame from 10.0.0.1 port sp to
// 10.0.0.2 port dp.
func uaUDP4(tb testing.TB, sp, dp int, payload []byte) []byte {
	return uaUDP4From(tb, "10.0.0.1", "10.0.0.2", sp, dp, payload)
}

// uaUDP4From builds an Ethernet/IPv4/UDP frame from src port sp to dst
// port dp.
func uaUDP4From(tb testing.TB, src, dst string, sp, dp int, payload []byte) []byte {
	ip := tIP4(src, dst, layers.IPProtocolUDP)
	return uaSer(tb, tEther(layers.EthernetTypeIPv4), ip, tUDP(sp, dp, ip), gopacket.Payload(payload))
}

// uaUDP6 builds an Ethernet/IPv6/UDP frame from port sp to port dp.
func uaUDP6(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP)
	return uaSer(tb, tEther(layers.EthernetTypeIPv6), ip, tUDP(sp, dp, ip), gopacket.Payload(payload))
}

// uaTCP4 builds an Ethernet/IPv4/TCP frame (flags PSH|ACK) from port sp to
// port dp.
func uaTCP4(tb testing.TB, sp, dp int, payload []byte) []byte {
	ip := tIP4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: 1000, Ack: 2000,
		PSH: true, ACK: true, Window: 512}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	return uaSer(tb, tEther(layers.EthernetTypeIPv4), ip, tcp, gopacket.Payload(payload))
}

// uaEther builds an Ethernet frame of type et.
func uaEther(tb testing.TB, et layers.EthernetType, payload []byte) []byte {
	return uaSer(tb, tEther(et), gopacket.Payload(payload))
}

// PTP messages (34-byte header, then the body).
const (
	uaPTPSync = "00 02 002c 00 00 0200 0000000000000000 00000000 7cfe90fffef950b4 0001 0084 00 00 000000000001 00000002"
	uaPTPResp = "09 02 0036 2c 00 0400 00000000 8cc3 0000 00000000 0200fffe00000100 0001 0084 03 7f" +
		" 00005a679089 0ecca2a5 7cfe90fffef950b4 0001"
	uaPTPAnnounce = "0b 02 0040 00 00 0000 0000000000000000 00000000 0200fffe00000100 0001 0216 05 01" +
		" 000000000000 00000000 0024 00 80 f8 fe ffff 80 0200fffe00000100 0000 a0 00"
	uaPTPMgmt = "0d 02 0048 00 00 0000 0000000000000000 00000000 000000fffe000011 0001 0000 04 7f" +
		" ffffffffffffffff ffff 01 00 0000 0000 00000000000000000000000000000000"
	uaPTPPdelay = "02 12 0036 00 00 0000 0000000000000000 00000000 7cfe90fffef950b4 0001 0009 05 7f" +
		" 000000000000 00000000 00000000000000000000"
)

// Babel packets.
const (
	uaBabelHello  = "2a02 0010 0406 0000 1234 0190 0506 0000 0100 0190"
	uaBabelUpdate = "2a02 002a 060a 0000 0000 0000 0000 0001" +
		" 080d 0180 1800 0190 0001 0010 c0a801 080d 01c1 1800 0190 0002 0010 c0a802" +
		" 1104 0000 0001 1002 abcd"
)

// Babel packets for -v: acknowledgments, hello, IHU, router id, next hop,
// updates whose prefixes omit bytes of earlier ones, requests, TS/PC,
// MAC, PC, challenges and an unknown type; source-specific TLVs; and
// sub-TLVs.
const (
	uaBabelVerbose = "2a0200e001040000000002060000123401900302abcd0406800000070000050a010001000190c0a80101051602000060" +
		"006420010db8000000000000000000000001050e0300006000640000000000000001060a000001020304050607080706" +
		"0100c0a8010107020000080d01801800ffff00050010c0a801080b018018020190000600100208120280400001900007" +
		"001020010db800010000080a0000000000000000000009050118c0a801090200000a1101180009020001020304050607" +
		"08c0a8010b06000500000064100200001106000000090000120400000000130200001400"
	uaBabelSS = "2a0200320d0e01081800019000010010c0a8010a0e07011808c0a8010a0e030000000f12011800090208010203040506" +
		"0708c0a8010a"
	uaBabelSub = "2a020063040c0000000101900304000000640514000001000190030800000064000000c801008100080f000000000190" +
		"00010010020300ff05080d00000000019000010010020000040b00000002019002030102030810000000000190000100" +
		"10030400000001"
)

// uaHSRP is an HSRP hello: active, hellotime 3 s, holdtime 10 s, group 1,
// auth "cisco", address 192.168.0.1.
const uaHSRP = "00 00 10 03 0a 64 01 00 636973636f000000 c0a80001"

// uaBFD is a BFD v1 control packet: state up, detect multiplier 3,
// intervals 1 s.
const uaBFD = "20 c0 03 18 00000001 00000002 000f4240 000f4240 00000000"

// IKEv1 main mode: the initiator's first packet and the responder's.
const (
	uaIKEv1I = "1111111111111111 0000000000000000 01 10 02 00 00000000 0000001c"
	uaIKEv1R = "1111111111111111 2222222222222222 01 10 02 00 00000000 0000001c"
)

// Payloads of the routing and signalling protocols.
const (
	uaAHCP         = "2b 01 0101 00000001 0102030405060708 0102030405060708 02 00 0004 0000 0000"
	uaHNCP         = "0003 0008 00000001 00000002 0005 0004 01020304 0005 0004 01020304 0004 0004 01020304"
	uaLDP          = "0001 001e 0a000001 0000 0100 0014 00000001 0400 0004 000f 0000 0401 0004 0a000001"
	uaLISPRegister = "32 00 00 02 0000000000000001 0001 0004 01020304" +
		" 00000e10 01 20 00 00 0000 0001 0a1e0164 01 01 00 00 0005 0001 14140801" +
		" 00000e10 02 20 00 00 0000 0001 0a1e0160 01 01 00 00 0005 0001 14140802 01 01 00 00 0005 0001 14140803" +
		" 9787ad753caf58a713fa6920e6d27a8f 0000000000000007"
	uaLSPPing   = "0001 0000 01 02 00 00 00000007 00000009 0000000000000000 0000000000000000"
	uaSIPInvite = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060\r\n" +
		"Max-Forwards: 70\r\nCall-ID: a84b4c76e66710\r\n\r\n"
)

// uaBER encodes a BER element: tag, definite length (long form above 127
// bytes), contents.
func uaBER(tag byte, content ...[]byte) []byte {
	c := bytes.Join(content, nil)
	out := []byte{tag}
	switch n := len(c); {
	case n < 128:
		out = append(out, byte(n))
	case n < 256:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, c...)
}

// uaSNMP builds an SNMP v1/v2c message: version, community, PDU of type
// tag (0xa0 + PDU number) with request id 7, error status and index, and
// the variable bindings.
func uaSNMP(version byte, community string, tag byte, status, index byte, binds ...[]byte) []byte {
	return uaBER(0x30, uaBER(0x02, []byte{version}), uaBER(0x04, []byte(community)),
		uaBER(tag, uaBER(0x02, []byte{7}), uaBER(0x02, []byte{status}), uaBER(0x02, []byte{index}),
			uaBER(0x30, binds...)))
}

// uaBind is a variable binding of OID oid (encoded) to value.
func uaBind(oid string, value []byte) []byte {
	o, _ := hex.DecodeString(oid)
	return uaBER(0x30, uaBER(0x06, o), value)
}

// sysDescr.0 and a longer OID with multi-byte sub-identifiers.
const (
	uaOIDSysDescr = "2b06010201010100"
	uaOIDLong     = "2b0601040182b90601872f00"
)

var uaNull = []byte{0x05, 0x00}

// udpAppsPackets builds the packets of testdata/udpapps.pcap; the same
// function checks the committed file is what it would write.
func udpAppsPackets(tb testing.TB) []udpAppsPacket {
	tb.Helper()
	h := func(s string) []byte { return uaHex(tb, s) }
	ptpSync := uaUDP4(tb, 319, 319, h(uaPTPSync))
	ptpEth := uaEther(tb, 0x88f7, h(uaPTPAnnounce))
	babelUpd := uaUDP6(tb, 6696, 6696, h(uaBabelUpdate))
	return []udpAppsPacket{
		{"ptp sync over udp", ptpSync, 0, true},
		{"ptp delay resp over udp", uaUDP4(tb, 320, 320, h(uaPTPResp)), 0, true},
		{"ptp announce over udp ipv6", uaUDP6(tb, 320, 320, h(uaPTPAnnounce)), 0, true},
		{"ptp management", uaUDP4(tb, 320, 320, h(uaPTPMgmt)), 0, true},
		{"ptp peer delay req v2.1 prints the minor version", uaUDP4(tb, 319, 319, h(uaPTPPdelay)), 0, true},
		{"ptp flags: one bit of the unknown mask is not unknown", uaUDP4(tb, 319, 319, h("00 02 002c 00 00 0040"+uaPTPSync[21:])), 0, true},
		{"ptp flags: every bit of the unknown mask", uaUDP4(tb, 319, 319, h("00 02 002c 00 00 18c5"+uaPTPSync[21:])), 0, true},
		{"ptp version 1", uaUDP4(tb, 319, 319, h("0001"+strings.Repeat("00", 40))), 0, true},
		{"ptp shorter than its header", uaUDP4(tb, 319, 319, h("0002 002c")), 0, true},
		{"ptp cut in clock identity", ptpSync, 14 + 20 + 8 + 24, true},
		{"ptp cut in timestamp", ptpSync, 14 + 20 + 8 + 38, true},
		{"ptp over ethernet", ptpEth, 0, true},
		{"ptp over ethernet cut in announce", ptpEth, 14 + 34 + 14, true},
		{"babel hello ihu", uaUDP6(tb, 6696, 6696, h(uaBabelHello)), 0, true},
		{"babel update flags and trailer", babelUpd, 0, true},
		{"babel cut in a tlv", babelUpd, 14 + 40 + 8 + 4 + 20, true},
		{"babel bad magic", uaUDP6(tb, 6696, 6696, h("2b02 0000")), 0, true},
		{"babel version 1", uaUDP4(tb, 6697, 6697, h("2a01 0000")), 0, true},
		{"babel body longer than packet", uaUDP4(tb, 6697, 6697, h("2a02 0100 0000")), 0, true},
		{"babel tlv overruns body", uaUDP6(tb, 6696, 6696, h("2a02 0004 0404 0000 0000")), 0, true},
		{"babel short update", uaUDP6(tb, 6696, 6696, h("2a02 0006 0804 0000 0000")), 0, true},
		{"babel verbose tlvs", uaUDP6(tb, 6696, 6696, h(uaBabelVerbose)), 0, true},
		{"babel source-specific tlvs", uaUDP6(tb, 6696, 6696, h(uaBabelSS)), 0, true},
		{"babel sub-tlvs", uaUDP6(tb, 6696, 6696, h(uaBabelSub)), 0, true},
		{"babel hmac digest past the tlv cut", uaUDP6(tb, 6696, 6696, h("2a02 0014 0c12 0001 00112233445566778899aabbccddeeff")), 0, true},
		{"babel bad next hop", uaUDP6(tb, 6696, 6696, h("2a02 0004 0702 0900")), 0, true},
		{"hsrp hello active", uaUDP4(tb, 1985, 1985, h(uaHSRP)), 0, true},
		{"hsrp coup with reserved set and auth bytes", uaUDP4(tb, 1985, 1985, h("00 01 08 03 0a 64 02 07 41 42 0a 81 00 00 00 00 c0a80001")), 0, true},
		{"hsrp unknown op cut before address", uaUDP4(tb, 1985, 1985, h("00 03 00 03 0a 64 02 00 636973636f000000")), 0, true},
		{"hsrp version 1", uaUDP4(tb, 1985, 1985, h("01 00 10 03 0a 64 01 00 636973636f000000 c0a80001")), 0, true},
		{"bfd v1 control", uaUDP4(tb, 49200, 3784, h(uaBFD)), 0, true},
		{"bfd v1 multihop poll", uaUDP4(tb, 49200, 4784, h("20 e8 03 18 00000001 00000002 000f4240 000f4240 00000000")), 0, true},
		{"bfd v1 lag admin down diag 7", uaUDP6(tb, 49200, 6784, h("27 00 03 18 00000001 00000000 000f4240 000f4240 00000000")), 0, true},
		{"bfd v1 simple password", uaUDP4(tb, 49200, 3784, h("20 44 03 20 00000001 00000002 000f4240 000f4240 00000000 01 08 05 73656372 6574")), 0, true},
		{"bfd v1 keyed md5", uaUDP4(tb, 49200, 3784, h("20 44 03 30 00000001 00000002 000f4240 000f4240 00000000 02 18 01 00 0000002a"+strings.Repeat("ab", 16))), 0, true},
		{"bfd v1 keyed sha1 bad length", uaUDP4(tb, 49200, 3784, h("20 44 03 30 00000001 00000002 000f4240 000f4240 00000000 04 18 01 00 0000002a"+strings.Repeat("ab", 16))), 0, true},
		{"bfd v1 sha1 hash cut", uaUDP4(tb, 49200, 3784, h("20 44 03 34 00000001 00000002 000f4240 000f4240 00000000 05 1c 01 00 0000002a"+strings.Repeat("cd", 20))), 14 + 20 + 8 + 40, true},
		{"bfd v0 flags", uaUDP4(tb, 49200, 3784, h("01 c4 03 18 00000001 00000002 000f4240 000f4240 00000000 02 18 01 00 00000001"+strings.Repeat("00", 16))), 0, true},
		{"bfd version 2", uaUDP4(tb, 49200, 3784, h("40 c0 03 18 00000001 00000002 000f4240 000f4240 00000000")), 0, true},
		{"bfd echo", uaUDP4(tb, 3785, 3785, h("0102030405060708")), 0, true},
		{"bfd header cut", uaUDP4(tb, 49200, 3784, h(uaBFD)), 14 + 20 + 8 + 20, true},
		{"bfd from port 3784 is not bfd", uaUDP4(tb, 3784, 49200, h(uaBFD)), 0, true},
		{"bcm li ipv4", uaUDP4(tb, 49152, 49153, append(h("a8 80 00 2a"), uaUDP4(tb, 1000, 2000, []byte("hi"))[14:]...)), 0, true},
		{"bcm li ethernet", uaUDP4(tb, 49152, 49153, append(h("4e 00 00 2a"), uaUDP4(tb, 1000, 2000, []byte("hi"))...)), 0, true},
		{"bcm li undecided ipv6", uaUDP4(tb, 49152, 49153, append(h("68 80 00 2a"), uaUDP6(tb, 1000, 2000, []byte("hi"))[14:]...)), 0, true},
		{"bcm li undecided unknown", uaUDP4(tb, 49152, 49153, h("68 80 00 2a 00 00")), 0, true},
		{"bcm li unknown type", uaUDP4(tb, 49152, 49153, h("fe c0 00 2a 00 00")), 0, true},
		{"bcm li short", uaUDP4(tb, 49152, 49153, h("68 80")), 0, true},
		{"ikev1 ident from the initiator", uaUDP4(tb, 500, 500, h(uaIKEv1I)), 0, false},
		{"ikev1 ident from the responder", uaUDP4From(tb, "10.0.0.2", "10.0.0.1", 500, 500, h(uaIKEv1R)), 0, false},
		{"ikev1 quick mode encrypted from the initiator", uaUDP4(tb, 500, 500, h("1111111111111111 2222222222222222 08 10 20 01 0000abcd 0000001c")), 0, false},
		{"ikev1 from a third address", uaUDP4From(tb, "10.0.0.3", "10.0.0.1", 500, 500, h("1111111111111111 2222222222222222 08 10 05 03 0000abcd 0000001c")), 0, false},
		{"ikev1 unknown cookie", uaUDP4(tb, 500, 500, h("3333333333333333 2222222222222222 08 10 10 04 0000abcd 0000001c")), 0, false},
		{"ikev2 init", uaUDP6(tb, 500, 500, h("4444444444444444 0000000000000000 21 20 22 08 00000000 0000001c")), 0, false},
		{"ikev2 child sa response", uaUDP4(tb, 500, 500, h("4444444444444444 5555555555555555 2e 20 24 20 00000002 0000001c")), 0, false},
		{"ikev2 unknown exchange", uaUDP4(tb, 500, 500, h("4444444444444444 5555555555555555 2e 20 28 10 00000002 0000001c")), 0, false},
		{"isakmp version 3", uaUDP4(tb, 500, 500, h("4444444444444444 5555555555555555 2e 30 28 10 00000002 0000001c")), 0, false},
		{"isakmp header cut", uaUDP4(tb, 500, 500, h(uaIKEv1I)), 14 + 20 + 8 + 20, true},
		{"isakmp on port 7500", uaUDP4(tb, 7500, 7501, h(uaIKEv1I)), 0, false},
		{"nat-t keep-alive", uaUDP4(tb, 4500, 4500, h("ff")), 0, true},
		{"nat-t ike", uaUDP4(tb, 4500, 4500, h("00000000 6666666666666666 0000000000000000 01 10 02 00 00000000 0000001c")), 0, false},
		{"nat-t esp", uaUDP4(tb, 4500, 4500, h("12345678 00000003 0102030405060708")), 0, true},
		{"nat-t esp cut", uaUDP4(tb, 4500, 4500, h("12345678 00000003 0102030405060708")), 14 + 20 + 8 + 6, true},
		{"nat-t short", uaUDP4(tb, 4500, 4500, h("0102")), 0, true},
		{"sflow v5 ipv4 agent", uaUDP4(tb, 40000, 6343, h("00000005 00000001 0a000001 00000003 00000010 00001000 00000000")), 0, false},
		{"sflow v5 ipv6 agent", uaUDP6(tb, 40000, 6343, h("00000005 00000002 20010db8000000000000000000000001 00000000 00000010 00001000 00000000")), 0, false},
		{"sflow version 4", uaUDP4(tb, 40000, 6343, h("00000004 00000001 0a000001 00000003 00000010 00001000 00000000")), 0, true},
		{"sflow shorter than its header", uaUDP4(tb, 40000, 6343, h("00000005 00000001")), 0, true},
		{"sflow header cut", uaUDP4(tb, 40000, 6343, h("00000005 00000001 0a000001 00000003 00000010 00001000 00000000")), 14 + 20 + 8 + 20, true},
		{"radius access request", uaUDP4(tb, 40000, 1812, h("01 2a 0020"+strings.Repeat("11", 16)+"0106 75736572")), 0, false},
		{"radius coa ack on 3799", uaUDP4(tb, 3799, 40000, h("2c 07 0014"+strings.Repeat("22", 16))), 0, false},
		{"radius length above the datagram", uaUDP4(tb, 1645, 40000, h("0b 07 0100"+strings.Repeat("22", 16))), 0, false},
		{"radius unknown code with short length", uaUDP4(tb, 1813, 40000, h("63 07 0010"+strings.Repeat("22", 16))), 0, true},
		{"radius cut", uaUDP4(tb, 1812, 40000, h("01 07 0014"+strings.Repeat("22", 16))), 14 + 20 + 8 + 10, true},
		{"ripv2 response", uaUDP4(tb, 520, 520, h("02 02 0000 0002 0000 c0a80100 ffffff00 00000000 00000001")), 0, true},
		{"ripv1 request", uaUDP4(tb, 520, 520, h("01 01 0000 0000 0000 00000000 00000000 00000000 00000010")), 0, true},
		{"rip unknown command", uaUDP4(tb, 520, 520, h("09 02 0000")), 0, true},
		{"rip version 0 dumps the packet", uaUDP4(tb, 520, 520, h("01 00 0000 0102 0304 0506 0708 090a 0b0c 0d0e 0f10 1112")), 0, true},
		{"ripv2 simple password and routes", uaUDP4(tb, 520, 520, h("02 02 0000 ffff 0002 73656372657400000000000000000000"+
			" 0002 0007 0a000000 ff000000 0a000001 00000002 0000 0000 00000000 00000000 00000000 00000010")), 0, true},
		{"ripv2 md5 header and trailer", uaUDP4(tb, 520, 520, h("02 02 0000 ffff 0003 0030 01 10 00000005 00000000 00000000"+
			" 0002 0000 c0a80000 ffff0f00 00000000 00000003 ffff 0001 00112233445566778899aabbccddeeff")), 0, true},
		{"ripv2 other family and unknown auth", uaUDP4(tb, 520, 520, h("02 02 0000 0006 0000 01020304050607080910111213141516"+
			" ffff 0009 0102030405")), 0, true},
		{"ripv1 other family and must-be-zero set", uaUDP4(tb, 520, 520, h("02 01 0000 0007 0000 01020304050607080910111213141516"+
			" 0002 0001 0a000000 00000000 00000000 00000001 0000 0000 0a000000 00000000 00000000 00000001")), 0, true},
		{"ripv1 trailing bytes", uaUDP4(tb, 520, 520, h("02 01 0000 0002 0000 0a000000 00000000 00000000 00000001 0002")), 0, true},
		{"ripv2 password cut", uaUDP4(tb, 520, 520, h("02 02 0000 ffff 0002 73656372657400000000000000000000")), 14 + 20 + 8 + 12, true},
		{"rip trace on", uaUDP4(tb, 520, 520, h("03 01 0000 2f746d70")), 0, true},
		{"rip poll", uaUDP4(tb, 520, 520, h("05 01 0000")), 0, true},
		{"ripv3 response", uaUDP4(tb, 520, 520, h("02 03 0000")), 0, true},
		{"rip shorter than its header", uaUDP4(tb, 520, 520, h("0102")), 0, true},
		{"ripng response", uaUDP6(tb, 521, 521, h("02 01 0000 20010db8000100000000000000000000 0007 30 02 20010db8000200000000000000000000 0000 40 10")), 0, true},
		{"ripng request dump", uaUDP6(tb, 521, 521, h("01 01 0000 00000000000000000000000000000000 0000 00 10")), 0, true},
		{"ripng request odd length", uaUDP6(tb, 521, 521, h("01 01 0000 20010db8000100000000000000000000 0000 30 01 0102")), 0, true},
		{"ripng version 2", uaUDP6(tb, 521, 521, h("02 02 0000")), 0, true},
		{"ripng unknown command", uaUDP6(tb, 521, 521, h("05 01 0000")), 0, true},
		{"ripng entry cut", uaUDP6(tb, 521, 521, h("02 01 0000 20010db8000100000000000000000000 0007 30 02")), 14 + 40 + 8 + 14, true},
		{"ahcp version 1", uaUDP6(tb, 5359, 5359, h(uaAHCP)), 0, true},
		{"ahcp bad magic", uaUDP6(tb, 5359, 5359, h("2a 01 00")), 0, true},
		{"ahcp version 2", uaUDP6(tb, 5359, 5359, h("2b 02 00 00")), 0, true},
		{"ahcp short header", uaUDP6(tb, 5359, 5359, h("2b 01 0000 0000")), 0, true},
		{"ahcp body longer than packet", uaUDP6(tb, 5359, 5359, h("2b 01 0101 00000001 0102030405060708 0102030405060708 02 00 0010")), 0, true},
		{"ahcp body cut", uaUDP6(tb, 5359, 5359, h(uaAHCP)), 14 + 40 + 8 + 26, true},
		{"hncp node endpoint and node states", uaUDP6(tb, 8231, 8231, h(uaHNCP)), 0, false},
		{"hncp ranges", uaUDP6(tb, 8231, 8231, h("0000 0000 0100 0000 0300 0000 0006 0000 ffff 0000")), 0, false},
		{"hncp tlv beyond length", uaUDP6(tb, 8231, 8231, h("0003 0008 00000001 00000002 0004 0010 0000")), 0, false},
		{"hncp cut", uaUDP6(tb, 8231, 8231, h(uaHNCP)), 14 + 40 + 8 + 14, false},
		{"ldp hello over udp", uaUDP4(tb, 646, 646, h(uaLDP)), 0, false},
		{"ldp version 2", uaUDP4(tb, 646, 646, h("0002 001e 0a000001 0000 0100 0014 00000001 0400 0004 000f 0000")), 0, false},
		{"ldp short pdu length", uaUDP4(tb, 646, 646, h("0001 0004 0a000001 0000 0100 0014 00000001 0400 0004 000f 0000")), 0, false},
		{"ldp too short to print", uaUDP4(tb, 646, 646, h("0001 001e 0a000001 0000 0100 0014")), 0, true},
		{"ldp over tcp", uaTCP4(tb, 40000, 646, h(uaLDP)), 0, false},
		{"lsp ping echo request", uaUDP4(tb, 3503, 3503, h(uaLSPPing)), 0, false},
		{"lsp ping version 2", uaUDP4(tb, 3503, 3503, h("0002"+uaLSPPing[4:])), 0, true},
		{"lsp ping too short", uaUDP4(tb, 3503, 3503, h("0001 0000 01 02 00 00")), 0, true},
		{"lsp ping cut", uaUDP4(tb, 3503, 3503, h(uaLSPPing)), 14 + 20 + 8 + 20, true},
		{"tftp read request with options", uaUDP4(tb, 40000, 69, []byte("\x00\x01file1\x00octet\x00blksize\x001428\x00")), 0, true},
		{"tftp write request control char", uaUDP4(tb, 40000, 69, []byte("\x00\x02a\x01b\x00netascii\x00")), 0, true},
		{"tftp data", uaUDP4(tb, 69, 40000, []byte("\x00\x03\x00\x07hello")), 0, true},
		{"tftp ack", uaUDP4(tb, 40000, 69, []byte("\x00\x04\x00\x07")), 0, true},
		{"tftp error", uaUDP4(tb, 69, 40000, []byte("\x00\x05\x00\x01File not found\x00")), 0, true},
		{"tftp unknown error code", uaUDP4(tb, 69, 40000, []byte("\x00\x05\x00\x09oops\x00")), 0, true},
		{"tftp oack", uaUDP4(tb, 69, 40000, []byte("\x00\x06blksize\x001428\x00")), 0, true},
		{"tftp unknown opcode", uaUDP4(tb, 69, 40000, []byte("\x00\x09xx")), 0, true},
		{"tftp file name without nul", uaUDP4(tb, 40000, 69, []byte("\x00\x01file1")), 0, true},
		{"tftp one byte", uaUDP4(tb, 40000, 69, []byte("\x00")), 0, true},
		{"syslog", uaUDP4(tb, 40000, 514, []byte("<34>Oct 11 22:14:15 mymachine su: 'su root' failed")), 0, true},
		{"syslog local7 debug", uaUDP4(tb, 40000, 514, []byte("<191>hello\x01")), 0, true},
		{"syslog no priority", uaUDP4(tb, 40000, 514, []byte("hello")), 0, true},
		{"syslog four digits", uaUDP4(tb, 40000, 514, []byte("<1234>x")), 0, true},
		{"syslog unknown facility", uaUDP4(tb, 40000, 514, []byte("<999>x")), 0, true},
		{"sip invite", uaUDP4(tb, 5060, 5060, []byte(uaSIPInvite)), 0, true},
		{"sip status", uaUDP4(tb, 5060, 5060, []byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nContent-Length: 0\r\n\r\n")), 0, true},
		{"sip lower case method", uaUDP4(tb, 5060, 5060, []byte("register sip:example.com SIP/2.0\r\n\r\n")), 0, true},
		{"sip not a request", uaUDP4(tb, 5060, 5060, []byte("hello world\r\n")), 0, true},
		{"sip binary", uaUDP4(tb, 5060, 5060, []byte{0, 1, 2, 3}), 0, true},
		{"sip line without end", uaUDP4(tb, 5060, 5060, []byte("OPTIONS sip:x SIP/2.0")), 0, true},
		{"sip cut", uaUDP4(tb, 5060, 5060, []byte(uaSIPInvite)), 14 + 20 + 8 + 20, true},
		{"snmp v1 get public", uaUDP4(tb, 40000, 161, uaSNMP(0, "public", 0xa0, 0, 0, uaBind(uaOIDSysDescr, uaNull))), 0, true},
		{"snmp v2c response values", uaUDP4(tb, 161, 40000, uaSNMP(1, "private", 0xa2, 0, 0,
			uaBind(uaOIDSysDescr, uaBER(0x04, []byte("Linux box"))),
			uaBind(uaOIDLong, uaBER(0x02, []byte{0xff, 0x38})),
			uaBind(uaOIDSysDescr, uaBER(0x41, []byte{0x01, 0x00, 0x00})),
			uaBind(uaOIDSysDescr, uaBER(0x42, []byte{0x05})),
			uaBind(uaOIDSysDescr, uaBER(0x43, []byte{0x00, 0xbc, 0x61, 0x4e})),
			uaBind(uaOIDSysDescr, uaBER(0x40, []byte{192, 168, 1, 1})),
			uaBind(uaOIDSysDescr, uaBER(0x46, []byte{0x01, 0, 0, 0, 0, 0, 0, 0, 1})),
			uaBind(uaOIDSysDescr, uaBER(0x06, []byte{0x2b, 6, 1})),
			uaBind(uaOIDSysDescr, uaNull),
			uaBind(uaOIDSysDescr, []byte{0x80, 0x00}),
			uaBind(uaOIDSysDescr, []byte{0x82, 0x00}),
			uaBind(uaOIDSysDescr, uaBER(0x04, []byte{0x00, 0x1b, 0xff})),
			uaBind(uaOIDSysDescr, uaBER(0x44, []byte{0x01, 0x02})),
		)), 0, true},
		{"snmp v1 response error", uaUDP4(tb, 161, 40000, uaSNMP(0, "public", 0xa2, 2, 1, uaBind(uaOIDSysDescr, uaNull))), 0, true},
		{"snmp v2c getbulk", uaUDP4(tb, 40000, 161, uaSNMP(1, "public", 0xa5, 0, 10, uaBind(uaOIDSysDescr, uaNull))), 0, true},
		{"snmp v2c getnext with error status", uaUDP4(tb, 40000, 161, uaSNMP(1, "public", 0xa1, 5, 0, uaBind(uaOIDSysDescr, uaBER(0x02, []byte{1})))), 0, true},
		{"snmp v2c set", uaUDP4(tb, 40000, 161, uaSNMP(1, "secret\x01", 0xa3, 0, 0, uaBind(uaOIDSysDescr, uaBER(0x04, []byte("x"))))), 0, true},
		{"snmp v1 trap enterprise specific", uaUDP4(tb, 40000, 162, uaBER(0x30, uaBER(0x02, []byte{0}), uaBER(0x04, []byte("public")),
			uaBER(0xa4, uaBER(0x06, []byte{0x2b, 6, 1, 4, 1, 0x82, 0x37}), uaBER(0x40, []byte{10, 0, 0, 1}),
				uaBER(0x02, []byte{6}), uaBER(0x02, []byte{42}), uaBER(0x43, []byte{0x12, 0x34}),
				uaBER(0x30, uaBind(uaOIDSysDescr, uaBER(0x04, []byte("up"))))))), 0, true},
		{"snmp v1 trap link down", uaUDP4(tb, 40000, 162, uaBER(0x30, uaBER(0x02, []byte{0}), uaBER(0x04, []byte("public")),
			uaBER(0xa4, uaBER(0x06, []byte{0x2b, 6, 1, 4, 1}), uaBER(0x40, []byte{10, 0, 0, 1}),
				uaBER(0x02, []byte{2}), uaBER(0x02, []byte{3}), uaBER(0x43, []byte{0x12, 0x34}),
				uaBER(0x30)))), 0, true},
		{"snmp v2c trap", uaUDP4(tb, 40000, 162, uaSNMP(1, "public", 0xa7, 0, 0,
			uaBind("2b06010201010300", uaBER(0x43, []byte{0x10})), uaBind("2b0601060301010401", uaBER(0x06, []byte{0x2b, 6, 1, 6, 3, 1, 1, 5, 1})))), 0, true},
		{"snmp v2 pdu in v1 message", uaUDP4(tb, 40000, 161, uaSNMP(0, "public", 0xa5, 0, 10, uaBind(uaOIDSysDescr, uaNull))), 0, true},
		{"snmp v1 pdu in v2 message", uaUDP4(tb, 40000, 162, uaSNMP(1, "public", 0xa4, 0, 0)), 0, true},
		{"snmp v3 report", uaUDP4(tb, 161, 40000, uaBER(0x30, uaBER(0x02, []byte{3}),
			uaBER(0x30, uaBER(0x02, []byte{0x12, 0x34}), uaBER(0x02, []byte{0x05, 0xdc}), uaBER(0x04, []byte{0x04}), uaBER(0x02, []byte{3})),
			uaBER(0x04, uaBER(0x30, uaBER(0x04, []byte{0x80, 0, 0x1f, 0x88}), uaBER(0x02, []byte{2}), uaBER(0x02, []byte{0x10}),
				uaBER(0x04, []byte("user")), uaBER(0x04), uaBER(0x04))),
			uaBER(0x30, uaBER(0x04, []byte{0x80, 0, 0x1f, 0x88}), uaBER(0x04),
				uaBER(0xa8, uaBER(0x02, []byte{7}), uaBER(0x02, []byte{0}), uaBER(0x02, []byte{0}),
					uaBER(0x30, uaBind("2b060106030f010104", uaBER(0x41, []byte{3}))))))), 0, true},
		{"snmp v3 bad flags", uaUDP4(tb, 161, 40000, uaBER(0x30, uaBER(0x02, []byte{3}),
			uaBER(0x30, uaBER(0x02, []byte{1}), uaBER(0x02, []byte{0x05, 0xdc}), uaBER(0x04, []byte{0x02}), uaBER(0x02, []byte{3})))), 0, true},
		{"snmp v3 other security model", uaUDP4(tb, 161, 40000, uaBER(0x30, uaBER(0x02, []byte{3}),
			uaBER(0x30, uaBER(0x02, []byte{1}), uaBER(0x02, []byte{0x05, 0xdc}), uaBER(0x04, []byte{0x00}), uaBER(0x02, []byte{2})))), 0, true},
		{"snmp version 5", uaUDP4(tb, 40000, 161, uaSNMP(5, "public", 0xa0, 0, 0)), 0, true},
		{"snmp not a sequence", uaUDP4(tb, 40000, 161, uaBER(0x04, []byte("hello"))), 0, true},
		{"snmp long form lengths", uaUDP4(tb, 40000, 161, uaSNMP(1, strings.Repeat("c", 130), 0xa0, 0, 0, uaBind(uaOIDSysDescr, uaNull))), 0, true},
		{"snmp length beyond the datagram", uaUDP4(tb, 40000, 161, []byte{0x30, 0x20, 0x02, 0x01, 0x00}), 0, true},
		{"snmp unknown tag", uaUDP4(tb, 40000, 161, []byte{0x30, 0x05, 0x02, 0x01, 0x00, 0x1f, 0x81}), 0, true},
		{"snmp application tag 5", uaUDP4(tb, 40000, 161, uaSNMP(1, "public", 0xa2, 0, 0, uaBind(uaOIDSysDescr, uaBER(0x45, []byte{1})))), 0, true},
		{"snmp cut in the varbinds", uaUDP4(tb, 161, 40000, uaSNMP(1, "private", 0xa2, 0, 0, uaBind(uaOIDSysDescr, uaBER(0x04, []byte("Linux box"))))), 14 + 20 + 8 + 30, true},
		{"snmp cut in a tag", uaUDP4(tb, 161, 40000, uaSNMP(1, "private", 0xa2, 0, 0, uaBind(uaOIDSysDescr, uaNull))), 14 + 20 + 8 + 5, true},
		{"quic initial long header on 443 (tcpdump 4.99 has no quic printer)", uaUDP4(tb, 40000, 443,
			h("c3 00000001 08 0102030405060708 00 00 4004 00000000"+strings.Repeat("00", 40))), 0, true},
		{"someip notification", uaUDP4(tb, 30490, 31490, h("ffff8100 00000040 00000000 01 01 02 00"+strings.Repeat("00", 56))), 0, true},
		{"someip request unknown code", uaUDP4(tb, 56001, 30490, h("00010002 00000008 00080005 01 01 01 20 00000000")), 0, true},
		{"someip short", uaUDP4(tb, 56001, 30490, h("00010002 00000008")), 0, true},
		{"someip cut", uaUDP4(tb, 56001, 30490, h("00010002 00000008 00080005 01 01 77 20 00000000")), 14 + 20 + 8 + 14, true},
		{"lwapp data", uaUDP4(tb, 20105, 12222, h("00 00 0018 0000"+strings.Repeat("00", 24))), 0, true},
		{"lwapp control to the controller", uaUDP4(tb, 20105, 12223, h("0102030405060708 07 01 0010 0000"+strings.Repeat("00", 16))), 0, true},
		{"lwapp control from the controller", uaUDP4(tb, 12223, 20105, h("04 01 0010 0000"+strings.Repeat("00", 16))), 0, true},
		{"lwapp control messages past the pdu", uaUDP4(tb, 20105, 12223, h("0102030405060708 07 01 000c 0000 16 05 0004 00000001 0a0b0c0d")), 0, true},
		{"lwapp data shorter than its header", uaUDP4(tb, 20105, 12222, h("08 00 0004 0000")), 0, true},
		{"lwapp version 1", uaUDP4(tb, 20105, 12222, h("40 00 0018 0000")), 0, true},
		{"lwapp short", uaUDP4(tb, 20105, 12222, h("00 00 0018")), 0, true},
		{"olsr ipv4", uaUDP4(tb, 698, 698, h("0018 0202 01 00 0000 0a000001 0000 0000"+strings.Repeat("00", 8))), 0, true},
		{"olsr ipv6 packet length below udp", uaUDP6(tb, 698, 698, h("0008 0203"+strings.Repeat("00", 12))), 0, false},
		{"olsr short", uaUDP4(tb, 698, 698, h("0008")), 0, true},
		{"vqp request join port", uaUDP4(tb, 40000, 1589, h("01 01 00 02 00000001 00000c01 0004 0a000001")), 0, true},
		{"vqp unknown type and error", uaUDP4(tb, 1589, 40000, h("01 7f 1f 00 00000001")), 0, true},
		{"vqp objects", uaUDP4(tb, 40000, 1589, h("01 01 00 06 00000002 00000c01 0004 0a000001 00000c02 0005 4661302f31"+
			" 00000c03 0004 76310001 00000c08 0006 020000000001 00000c09 0002 abcd 00000c06 0005 0200000000")), 0, true},
		{"vqp object cut", uaUDP4(tb, 40000, 1589, h("01 01 00 01 00000002 00000c02 0005 4661302f31")), 14 + 20 + 8 + 16, true},
		{"vqp empty object ends", uaUDP4(tb, 40000, 1589, h("01 01 00 02 00000002 00000c02 0000 00000c02 0001 41")), 0, true},
		{"vqp version 2", uaUDP4(tb, 1589, 40000, h("02 01 00 00 00000001")), 0, true},
		{"vqp short", uaUDP4(tb, 1589, 40000, h("01 01 00 00")), 0, true},
		{"lmp config", uaUDP4(tb, 701, 701, h("1000 00 01 0008 0000")), 0, false},
		{"lmp service config nack", uaUDP4(tb, 701, 701, h("1000 00 34 0008 0000")), 0, false},
		{"lmp unknown type", uaUDP4(tb, 701, 701, h("1000 00 f9 0008 0000")), 0, false},
		{"lmp version 2", uaUDP4(tb, 701, 701, h("2000 00 01 0008 0000")), 0, true},
		{"lisp map register with xtr id", uaUDP4(tb, 4342, 4342, h(uaLISPRegister)), 0, true},
		{"lisp map notify with data after the records", uaUDP4(tb, 4342, 4342, h("40 00 00 01 0000000000000001 0001 0000"+
			" 00000e10 01 20 00 00 0000 0001 0a1e0164 01 01 00 00 0005 0001 14140801 deadbeef")), 0, true},
		{"lisp map register ipv6 eid and locator", uaUDP6(tb, 4342, 4342, h("30 00 00 01 0000000000000001 0001 0000"+
			" 00000e10 01 50 00 00 0000 0002 20010db885a3000000008a2e03707334 01 01 00 00 0005 0002 20010db8000000000000000000000001")), 0, true},
		{"lisp map register without records", uaUDP4(tb, 4342, 4342, h("30 00 00 00 0000000000000001 0001 0000")), 0, true},
		{"lisp map register xtr id missing", uaUDP4(tb, 4342, 4342, h("32 00 00 01 0000000000000001 0001 0000"+
			" 00000e10 01 20 00 00 0000 0001 0a1e0164 01 01 00 00 0005 0001 14140801")), 0, true},
		{"lisp map request", uaUDP4(tb, 4342, 4342, h("10 00 00 01 0000000000000001 0001 0000")), 0, true},
		{"lisp unknown type", uaUDP4(tb, 4342, 4342, h("f0 00 00 01 0000000000000001 0001 0000")), 0, true},
		{"lisp record cut", uaUDP4(tb, 4342, 4342, h(uaLISPRegister)), 14 + 20 + 8 + 30, true},
		{"lisp header cut", uaUDP4(tb, 4342, 4342, h(uaLISPRegister)), 14 + 20 + 8 + 10, true},
		{"hsrp from port 1985 is not hsrp", uaUDP4(tb, 1985, 2000, h(uaHSRP)), 0, true},
	}
}

// TestWriteUDPAppsCapture rewrites testdata/udpapps.pcap when
// WIREKIT_WRITE_UDPAPPS=1 (scripts/gen-udpapps-golden.sh sets it), and
// otherwise checks the committed file holds exactly the generated packets.
func TestWriteUDPAppsCapture(t *testing.T) {
	pkts := udpAppsPackets(t)
	checkGeneratedCapture(t, udpAppsCapture, layers.LinkTypeEthernet, "WIREKIT_WRITE_UDPAPPS", "scripts/gen-udpapps-golden.sh",
		len(pkts), func(i int) ([]byte, int) { return snapped(pkts[i].data, pkts[i].snap) })
}

// TestUDPAppsMatchTcpdump prints testdata/udpapps.pcap with each set of
// flags of testdata/udpapps-golden.txt and compares the output with
// tcpdump's, packet by packet, naming the packet that differs. With -v it
// skips the packets whose -v output is not implemented (v false), unless
// WIREKIT_UDPAPPS_ALLV=1 (to list the packets still to do).
func TestUDPAppsMatchTcpdump(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "udpapps-golden.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type block struct {
		flags string
		want  []string
	}
	var blocks []*block
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			flags, _, _ := strings.Cut(line[4:], "\t")
			blocks = append(blocks, &block{flags: flags})
		case strings.HasPrefix(line, "#"):
		case len(blocks) > 0:
			blocks[len(blocks)-1].want = append(blocks[len(blocks)-1].want, line)
		}
	}
	if len(blocks) == 0 {
		t.Fatal("no blocks in udpapps-golden.txt")
	}
	pkts := udpAppsPackets(t)
	for _, bl := range blocks {
		t.Run("flags "+bl.flags, func(t *testing.T) {
			want := splitAtStamps(bl.want)
			if len(want) != len(pkts) {
				t.Fatalf("golden has %d packets, the generator %d: run scripts/gen-udpapps-golden.sh", len(want), len(pkts))
			}
			o := tcpdumpFlags(t, bl.flags)
			var out bytes.Buffer
			p := NewPrinter(&out, &o)
			for i, pk := range pkts {
				t.Run(pk.name, func(t *testing.T) {
					if o.Verbose > 0 && !pk.v && os.Getenv("WIREKIT_UDPAPPS_ALLV") == "" {
						t.Skip("-v output not implemented for this packet")
					}
					out.Reset()
					d := pk.data
					if pk.snap > 0 {
						d = d[:pk.snap]
					}
					ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0).UTC(), CaptureLength: len(d), Length: len(pk.data)}
					if err := p.Print(ci, d, layers.LinkTypeEthernet); err != nil {
						t.Fatal(err)
					}
					if err := p.Flush(); err != nil {
						t.Fatal(err)
					}
					got := strings.TrimSuffix(out.String(), "\n")
					if w := strings.Join(want[i], "\n"); got != w {
						t.Errorf("tcpdump -n %s differs:\n got %s\nwant %s", bl.flags, got, w)
					}
				})
			}
		})
	}
}

// TestUDPAppsCorpusVerbose prints the corpus captures of
// testdata/udpapps-corpus-golden.txt with tcpdump's flags (-v) and checks
// every line is tcpdump's.
func TestUDPAppsCorpusVerbose(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	blocks := readGoldenBlocks(t, "udpapps-corpus-golden.txt")
	for _, bl := range blocks {
		t.Run(bl.flags+" "+bl.file, func(t *testing.T) {
			r, ltOf, err := openCapture(filepath.Join(corpus, bl.file))
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
			for i, w := range bl.want {
				if i >= len(got) || got[i] != w {
					var g string
					if i < len(got) {
						g = got[i]
					}
					t.Fatalf("tcpdump -n %s -r %s: line %d differs:\n got %s\nwant %s", bl.flags, bl.file, i+1, g, w)
				}
			}
		})
	}
}

// splitAtStamps groups golden lines into packets: a line starting with a
// time of day opens a packet.
func splitAtStamps(lines []string) [][]string {
	var pkts [][]string
	for _, l := range lines {
		if len(l) > 9 && l[2] == ':' && l[5] == ':' && l[8] == '.' || len(pkts) == 0 {
			pkts = append(pkts, []string{l})
			continue
		}
		pkts[len(pkts)-1] = append(pkts[len(pkts)-1], l)
	}
	return pkts
}

// TestPrintUDPAppsAllocs checks printing the generated packets allocates
// nothing per packet, at each verbosity and with -e.
func TestPrintUDPAppsAllocs(t *testing.T) {
	pkts := udpAppsPackets(t)
	for _, o := range []Options{{}, {Verbose: 1}, {Verbose: 2}, {Link: true}} {
		o.Location = time.UTC
		p := NewPrinter(io.Discard, &o)
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
			t.Errorf("verbose %d link %v: Print allocates %.1f times per %d packets", o.Verbose, o.Link, n, len(pkts))
		}
	}
}

// FuzzPrintUDPApps checks that any bytes, seeded with the generated
// packets, print without a panic and end with a new line. mode selects the
// verbosity and whether the bytes are an Ethernet frame or a raw IP packet.
func FuzzPrintUDPApps(f *testing.F) {
	for _, pk := range udpAppsPackets(f) {
		f.Add(uint8(0), pk.data)
		f.Add(uint8(1), pk.data[14:])
	}
	var out bytes.Buffer
	ps := [3]*Printer{}
	for v := range ps {
		ps[v] = NewPrinter(&out, &Options{Location: time.UTC, Verbose: v})
	}
	f.Fuzz(func(t *testing.T, mode uint8, data []byte) {
		lt := layers.LinkTypeEthernet
		if mode&1 != 0 {
			lt = layers.LinkTypeRaw
		}
		p := ps[int(mode>>1)%len(ps)]
		out.Reset()
		ci := gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}
		if err := p.Print(ci, data, lt); err != nil {
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
