package decode

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// jsonTCPFrame builds an Ethernet/IPv4/TCP frame carrying payload.
func jsonTCPFrame(t testing.TB, sp, dp layers.TCPPort, payload []byte) []byte {
	t.Helper()
	return jsonSerialize(t, &layers.Ethernet{SrcMAC: jsonMacA, DstMAC: jsonMacB, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: jsonIP4A, DstIP: jsonIP4B},
		&layers.TCP{SrcPort: sp, DstPort: dp, Seq: 1, ACK: true, PSH: true, Window: 512},
		gopacket.Payload(payload))
}

// jsonUDPFrame builds an Ethernet/IPv4 or IPv6/UDP frame carrying payload.
func jsonUDPFrame(t testing.TB, v6 bool, sp, dp layers.UDPPort, payload []byte) []byte {
	t.Helper()
	udp := &layers.UDP{SrcPort: sp, DstPort: dp}
	if v6 {
		return jsonSerialize(t, &layers.Ethernet{SrcMAC: jsonMacA, DstMAC: jsonMacB, EthernetType: layers.EthernetTypeIPv6},
			&layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolUDP, SrcIP: jsonIP6A, DstIP: jsonIP6B},
			udp, gopacket.Payload(payload))
	}
	return jsonSerialize(t, &layers.Ethernet{SrcMAC: jsonMacA, DstMAC: jsonMacB, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: jsonIP4A, DstIP: jsonIP4B},
		udp, gopacket.Payload(payload))
}

// recConn records what one side of a TLS connection writes.
type recConn struct {
	net.Conn
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *recConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.out.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// jsonTLSHandshake runs a TLS handshake between crypto/tls peers over a
// pipe and returns the bytes each side wrote first: the client's
// ClientHello record and the server's first flight (ServerHello...).
func jsonTLSHandshake(t testing.TB, maxVersion uint16) (client, server []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	a, b := net.Pipe()
	ca, sb := &recConn{Conn: a}, &recConn{Conn: b}
	srv := tls.Server(sb, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		NextProtos: []string{"h2", "http/1.1"}, MaxVersion: maxVersion})
	cli := tls.Client(ca, &tls.Config{ServerName: "example.com", InsecureSkipVerify: true,
		NextProtos: []string{"h2", "http/1.1"}, MaxVersion: maxVersion})
	done := make(chan error, 1)
	go func() { done <- srv.Handshake() }()
	if err := cli.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	a.Close() // not cli.Close: its close_notify would wait for a reader
	b.Close()
	return jsonFirstFlight(ca.out.Bytes()), jsonFirstFlight(sb.out.Bytes())
}

// jsonFirstFlight returns the records before the first change_cipher_spec
// or application_data record.
func jsonFirstFlight(b []byte) []byte {
	n := 0
	for n+5 <= len(b) && b[n] == 22 {
		n += 5 + int(jsonBE16(b[n+3:]))
	}
	return b[:min(n, len(b))]
}

func TestJSONAppLayers(t *testing.T) {
	ch13, sh13 := jsonTLSHandshake(t, tls.VersionTLS13)
	_, sh12 := jsonTLSHandshake(t, tls.VersionTLS12)

	dnsAll := &layers.DNS{ID: 7, QR: true, AA: true, Questions: []layers.DNSQuestion{
		{Name: []byte("example.com"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN}},
		Answers: []layers.DNSResourceRecord{
			{Name: []byte("example.com"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 300,
				SOA: layers.DNSSOA{MName: []byte("ns.example.com"), RName: []byte("admin.example.com"),
					Serial: 2024010101, Refresh: 7200, Retry: 900, Expire: 1209600, Minimum: 300}},
			{Name: []byte("_sip._udp.example.com"), Type: layers.DNSTypeSRV, Class: layers.DNSClassIN, TTL: 60,
				SRV: layers.DNSSRV{Priority: 10, Weight: 5, Port: 5060, Name: []byte("sip.example.com")}},
			{Name: []byte("example.com"), Type: layers.DNSTypeMX, Class: layers.DNSClassIN, TTL: 60,
				MX: layers.DNSMX{Preference: 10, Name: []byte("mx.example.com")}},
			{Name: []byte("example.com"), Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 60,
				TXTs: [][]byte{[]byte("v=spf1 -all"), []byte("x")}},
			{Name: []byte("www.example.com"), Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 60,
				CNAME: []byte("example.com")},
			{Name: []byte("example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{192, 0, 2, 1}},
		}}
	mdns := &layers.DNS{QR: true, AA: true, Answers: []layers.DNSResourceRecord{
		{Name: []byte("host.local"), Type: layers.DNSTypeA, Class: layers.DNSClassIN | 0x8000, TTL: 120, IP: net.IP{192, 0, 2, 9}}}}
	dnsTCP := func(t *testing.T) []byte {
		m := jsonSerialize(t, &layers.DNS{ID: 9, RD: true, Questions: []layers.DNSQuestion{
			{Name: []byte("example.org"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN}}})
		return jsonTCPFrame(t, 40000, 53, append([]byte{byte(len(m) >> 8), byte(len(m))}, m...))
	}
	dhcp := &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6,
		Xid: 0x1234abcd, Flags: 0x8000, ClientHWAddr: jsonMacA,
		Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)}),
			layers.NewDHCPOption(layers.DHCPOptRequestIP, []byte{192, 0, 2, 50}),
			layers.NewDHCPOption(layers.DHCPOptHostname, []byte("laptop")),
			layers.NewDHCPOption(layers.DHCPOptParamsRequest, []byte{1, 3, 6, 15}),
			layers.NewDHCPOption(layers.DHCPOptLeaseTime, []byte{0, 0, 0x0e, 0x10}),
			layers.NewDHCPOption(layers.DHCPOptEnd, nil),
		}}
	dhcp6 := []byte{1, 0xab, 0xcd, 0xef, // SOLICIT, xid
		0, 1, 0, 10, 0, 3, 0, 1, 2, 0, 0, 0, 0, 1, // client-id DUID-LL
		0, 6, 0, 4, 0, 23, 0, 24, // ORO: dns-servers, domain-list
		0, 8, 0, 2, 0, 0, // elapsed time
		0, 3, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, // IA_NA iaid 1
		0, 5, 0, 24, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20, // IAADDR
		0, 24, 0, 13, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, // domain list
	}
	ntp := make([]byte, 48)
	ntp[0], ntp[1], ntp[2], ntp[3] = 0x24, 2, 6, 0xe9 // v4 server, stratum 2, poll 6, precision -23
	copy(ntp[12:], []byte{192, 0, 2, 7})
	copy(ntp[40:], []byte{0xe9, 0x3c, 0x7f, 0x00, 0x80, 0, 0, 0}) // 2024-01-01T00:00:00.5Z

	tests := []struct {
		name  string
		build func(t *testing.T) []byte
		want  map[string]any
	}{
		{"http request line and headers", func(t *testing.T) []byte {
			return jsonTCPFrame(t, 43210, 8080, []byte("POST /api/v1?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5\r\n"+
				"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
		}, map[string]any{"layers.3.layer": "http", "layers.3.type": "request", "layers.3.method": "POST",
			"layers.3.uri": "/api/v1?q=1", "layers.3.version": "HTTP/1.1", "layers.3.host": "example.com",
			"layers.3.user_agent": "curl/8.5", "layers.3.content_length": 2.0, "layers.3.complete": true,
			"layers.4.layer": "payload", "layers.4.len": 2.0}},
		{"http status line", func(t *testing.T) []byte {
			return jsonTCPFrame(t, 80, 43210, []byte("HTTP/1.0 404 Not Found\r\nServer: x\r\n"))
		}, map[string]any{"layers.3.type": "response", "layers.3.status": 404.0, "layers.3.reason": "Not Found",
			"layers.3.server": "x", "layers.3.complete": false}},
		{"http lookalike is payload", func(t *testing.T) []byte {
			return jsonTCPFrame(t, 80, 43210, []byte("GET / FTP/1.1\r\n"))
		}, map[string]any{"layers.3.layer": "payload", "layers.3.len": 15.0}},
		{"tls 1.3 client hello", func(t *testing.T) []byte { return jsonTCPFrame(t, 43210, 443, ch13) },
			map[string]any{"layers.3.layer": "tls", "layers.3.records.0.type": "handshake",
				"layers.3.records.0.messages.0.type": "client_hello", "layers.3.records.0.messages.0.version": "TLS 1.2",
				"layers.3.records.0.messages.0.sni": "example.com", "layers.3.records.0.messages.0.alpn.0": "h2",
				"layers.3.records.0.messages.0.alpn.1": "http/1.1", "layers.3.records.0.messages.0.versions.0": "TLS 1.3",
				"layers.3.records.0.messages.0.ciphers.0": jsonPresent, "layers.3.records.0.messages.0.groups.0": jsonPresent}},
		{"tls client hello cut by the segment", func(t *testing.T) []byte { return jsonTCPFrame(t, 43210, 443, ch13[:60]) },
			map[string]any{"layers.3.records.0.partial": true, "layers.3.records.0.messages.0.partial": true,
				"layers.3.records.0.messages.0.version": "TLS 1.2"}},
		{"tls 1.3 server hello", func(t *testing.T) []byte { return jsonTCPFrame(t, 443, 43210, sh13) },
			map[string]any{"layers.3.records.0.messages.0.type": "server_hello",
				"layers.3.records.0.messages.0.version": "TLS 1.3", "layers.3.records.0.messages.0.legacy_version": "TLS 1.2",
				"layers.3.records.0.messages.0.cipher_name": jsonPresent}},
		{"tls 1.2 server flight", func(t *testing.T) []byte { return jsonTCPFrame(t, 443, 43210, sh12) },
			map[string]any{"layers.3.records.0.messages.0.version": "TLS 1.2",
				"layers.3.records.0.messages.0.alpn.0": "h2", "layers.3.records.1.messages.0.type": "certificate",
				"layers.3.records.1.messages.0.certs": 1.0}},
		{"tls alert and application data", func(t *testing.T) []byte {
			return jsonTCPFrame(t, 443, 43210, []byte{21, 3, 3, 0, 2, 2, 40, 23, 3, 3, 0, 3, 1, 2, 3})
		}, map[string]any{"layers.3.records.0.type": "alert", "layers.3.records.0.level": 2.0,
			"layers.3.records.0.description": 40.0, "layers.3.records.1.type": "application_data", "layers.3.records.1.len": 3.0}},
		{"dns soa srv mx txt cname a", func(t *testing.T) []byte {
			return jsonUDPFrame(t, false, 53, 40000, jsonSerialize(t, dnsAll))
		}, map[string]any{"layers.3.layer": "dns", "layers.3.aa": true, "layers.3.questions.0.type": "SOA",
			"layers.3.answers.0.mname": "ns.example.com", "layers.3.answers.0.serial": 2024010101.0,
			"layers.3.answers.0.minimum": 300.0, "layers.3.answers.1.type": "SRV", "layers.3.answers.1.port": 5060.0,
			"layers.3.answers.1.data": "sip.example.com", "layers.3.answers.2.pref": 10.0,
			"layers.3.answers.2.data": "mx.example.com", "layers.3.answers.3.data.0": "v=spf1 -all",
			"layers.3.answers.4.data": "example.com", "layers.3.answers.5.data": "192.0.2.1",
			"layers.3.answers.5.class": "IN"}},
		{"dns response cut by the snapshot length", func(t *testing.T) []byte {
			d := jsonSerialize(t, dnsAll)
			return jsonUDPFrame(t, false, 53, 40000, d[:len(d)-20])
		}, map[string]any{"layers.3.layer": "dns", "layers.3.partial": true, "layers.3.ancount": 6.0,
			"layers.3.id": 7.0, "error": jsonPresent, "layers.3.answers.3.data.0": "v=spf1 -all",
			"layers.3.answers.4.type": "CNAME"}},
		{"dns compression loop", func(t *testing.T) []byte {
			m := []byte{0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1}
			return jsonUDPFrame(t, false, 53, 40000, m)
		}, map[string]any{"layers.3.partial": true, "layers.3.qdcount": 1.0, "error": "dns: message truncated or malformed"}},
		{"mdns cache flush", func(t *testing.T) []byte {
			return jsonUDPFrame(t, false, 5353, 5353, jsonSerialize(t, mdns))
		}, map[string]any{"layers.3.answers.0.class": "IN", "layers.3.answers.0.flush": true}},
		{"dns over tcp", dnsTCP, map[string]any{"layers.3.layer": "dns", "layers.3.id": 9.0,
			"layers.3.questions.0.name": "example.org", "layers.3.questions.0.type": "AAAA"}},
		{"dhcp request", func(t *testing.T) []byte {
			return jsonUDPFrame(t, false, 68, 67, jsonSerialize(t, dhcp))
		}, map[string]any{"layers.3.layer": "dhcp", "layers.3.op": "request", "layers.3.xid": float64(0x1234abcd),
			"layers.3.broadcast": true, "layers.3.chaddr": "02:00:00:00:00:01", "layers.3.msgtype": "REQUEST",
			"layers.3.options.1.name": "requested-ip", "layers.3.options.1.value": "192.0.2.50",
			"layers.3.options.2.value": "laptop", "layers.3.options.3.value.2": 6.0,
			"layers.3.options.4.value": 3600.0, "layers.3.options.5.name": "end"}},
		{"dhcp truncated option", func(t *testing.T) []byte {
			d := jsonSerialize(t, dhcp)
			return jsonUDPFrame(t, false, 68, 67, d[:245])
		}, map[string]any{"truncated": true, "error": jsonPresent, "layers.3.options.1.truncated": true}},
		{"dhcp option overload", func(t *testing.T) []byte {
			d := make([]byte, 300)
			d[0], d[1], d[2] = 1, 1, 6
			copy(d[108:], []byte{12, 3, 'a', 'b', 'c', 255})                       // file: hostname
			copy(d[236:], []byte{0x63, 0x82, 0x53, 0x63, 53, 1, 1, 52, 1, 1, 255}) // DISCOVER, overload file
			return jsonUDPFrame(t, false, 68, 67, d)
		}, map[string]any{"layers.3.msgtype": "DISCOVER", "layers.3.file": "", "layers.3.options.1.name": "overload",
			"layers.3.options.1.value": 1.0, "layers.3.options.3.name": "hostname", "layers.3.options.3.value": "abc",
			"layers.3.options.3.field": "file", "layers.3.options.4.field": "file"}},
		{"dhcpv6 solicit", func(t *testing.T) []byte { return jsonUDPFrame(t, true, 546, 547, dhcp6) },
			map[string]any{"layers.3.layer": "dhcp6", "layers.3.msgtype": "SOLICIT", "layers.3.xid": float64(0xabcdef),
				"layers.3.options.0.name": "client-id", "layers.3.options.0.value": "00030001020000000001",
				"layers.3.options.1.value.0": 23.0, "layers.3.options.3.iaid": 1.0,
				"layers.3.options.3.options.0.addr": "2001:db8::42", "layers.3.options.3.options.0.valid": 7200.0,
				"layers.3.options.4.value.0": "example.com"}},
		{"dhcpv6 relay-forw with the relayed solicit", func(t *testing.T) []byte {
			relay := append([]byte{12, 0}, make([]byte, 32)...)
			relay[17], relay[33] = 1, 2
			relay = append(relay, 0, 9, 0, byte(len(dhcp6)))
			return jsonUDPFrame(t, true, 547, 547, append(relay, dhcp6...))
		}, map[string]any{"layers.3.msgtype": "RELAY-FORW", "layers.3.link": "::1", "layers.3.peer": "::2",
			"layers.3.options.0.name": "relay-msg", "layers.3.options.0.message.msgtype": "SOLICIT",
			"layers.3.options.0.message.xid": float64(0xabcdef), "layers.3.options.0.message.options.3.options.0.addr": "2001:db8::42"}},
		{"ntp server", func(t *testing.T) []byte { return jsonUDPFrame(t, false, 123, 123, ntp) },
			map[string]any{"layers.3.layer": "ntp", "layers.3.version": 4.0, "layers.3.mode": "server",
				"layers.3.stratum": 2.0, "layers.3.precision": -23.0, "layers.3.refid": "192.0.2.7",
				"layers.3.ref_time": nil, "layers.3.xmit_time": "2024-01-01T00:00:00.500000000Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.build(t)
			m := jsonWriteOne(t, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)}, data, layers.LinkTypeEthernet)
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

// jsonAppPackets returns application packets of every kind the JSON
// writer decodes without gopacket (DNS, HTTP, TLS, DHCP, DHCPv6, NTP), for the
// allocation test and the fuzz seeds.
func jsonAppPackets(t testing.TB) [][]byte {
	ch, sh := jsonTLSHandshake(t, tls.VersionTLS13)
	ntp := make([]byte, 48)
	ntp[0] = 0x23
	dhcp := make([]byte, 300)
	dhcp[0], dhcp[1], dhcp[2] = 1, 1, 6
	copy(dhcp[236:], []byte{0x63, 0x82, 0x53, 0x63, 53, 1, 1, 55, 2, 1, 3, 50, 4, 10, 0, 0, 9, 255})
	dnsQ := []byte{0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0, 1, 0, 1, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0}
	dnsR := append(append([]byte{}, dnsQ[:29+4]...), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 16)
	dnsR[2], dnsR[3], dnsR[7], dnsR[11] = 0x81, 0x80, 2, 0
	return [][]byte{
		jsonUDPFrame(t, false, 40000, 53, dnsQ),
		jsonUDPFrame(t, false, 53, 40000, dnsR),
		jsonTCPFrame(t, 43210, 80, []byte("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")),
		jsonTCPFrame(t, 80, 43210, []byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
		jsonTCPFrame(t, 43210, 443, ch),
		jsonTCPFrame(t, 443, 43210, sh),
		jsonUDPFrame(t, false, 68, 67, dhcp),
		jsonUDPFrame(t, true, 546, 547, []byte{1, 0, 0, 1, 0, 8, 0, 2, 0, 0, 0, 23, 0, 16,
			0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
		jsonUDPFrame(t, false, 40000, 123, ntp),
	}
}

func TestJSONAppAllocs(t *testing.T) {
	pkts := jsonAppPackets(t)
	w := NewJSONWriter(io.Discard, nil)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		p := pkts[i%len(pkts)]
		i++
		_ = w.Write(gopacket.CaptureInfo{CaptureLength: len(p), Length: len(p)}, p, layers.LinkTypeEthernet)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per DNS, HTTP, TLS, DHCP, DHCPv6 or NTP packet, want 0", allocs)
	}
}
