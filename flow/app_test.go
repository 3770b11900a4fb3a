package flow

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// tlsHello builds a TLS handshake record holding a ClientHello (typ 1)
// with the server name and ALPN protocols given, or a ServerHello (typ 2)
// choosing alpn[0].
func tlsHello(typ byte, sni string, alpn ...string) []byte {
	be16 := func(b []byte, v int) []byte { return append(b, byte(v>>8), byte(v)) }
	var ext []byte
	if sni != "" {
		ext = be16(ext, 0)
		ext = be16(ext, len(sni)+5)
		ext = be16(ext, len(sni)+3)
		ext = append(ext, 0)
		ext = be16(ext, len(sni))
		ext = append(ext, sni...)
	}
	if len(alpn) > 0 {
		var list []byte
		for _, p := range alpn {
			list = append(append(list, byte(len(p))), p...)
		}
		ext = be16(ext, 16)
		ext = be16(ext, len(list)+2)
		ext = be16(ext, len(list))
		ext = append(ext, list...)
	}
	body := []byte{3, 3}
	body = append(body, make([]byte, 32)...) // random
	body = append(body, 0)                   // session id
	if typ == 1 {
		body = append(body, 0, 2, 0x13, 0x01, 1, 0) // one cipher suite, null compression
	} else {
		body = append(body, 0x13, 0x01, 0)
	}
	body = be16(body, len(ext))
	body = append(body, ext...)
	hs := append([]byte{typ, 0, byte(len(body) >> 8), byte(len(body))}, body...)
	rec := []byte{22, 3, 1}
	rec = be16(rec, len(hs))
	return append(rec, hs...)
}

// dnsQuery builds a DNS query message for name.
func dnsQuery(tb testing.TB, name string) []byte {
	tb.Helper()
	d := &layers.DNS{ID: 0x1234, RD: true, Questions: []layers.DNSQuestion{{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	buf := gopacket.NewSerializeBuffer()
	if err := d.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		tb.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// dataSeg is a TCP payload segment carrying b.
func dataSeg(tb testing.TB, fromServer bool, seq uint32, b []byte, cport, sport uint16) []byte {
	tb.Helper()
	f := tcpFrame(tb, seg{fromServer, "PA", seq, 1, len(b), 0, false}, cport, sport)
	copy(f[len(f)-len(b):], b)
	return f
}

// appSeeds are packets carrying application payloads, for the fuzz test.
func appSeeds(tb testing.TB) [][]byte {
	q := dnsQuery(tb, "www.example.com")
	tcpDNS := binary.BigEndian.AppendUint16(nil, uint16(len(q)))
	return [][]byte{
		udpFrame(tb, false, false, 40000, 5353, q),
		dataSeg(tb, false, 1, append(tcpDNS, q...), 40000, 5353),
		dataSeg(tb, false, 1, tlsHello(1, "example.org", "h2", "http/1.1"), 40000, 8443),
		dataSeg(tb, true, 1, tlsHello(2, "", "h2"), 40000, 8443),
		dataSeg(tb, false, 1, []byte("GET /x HTTP/1.1\r\nHost: web.example\r\nAccept: */*\r\n\r\n"), 40000, 8080),
	}
}

// TestServices checks service detection by content on ports that do not
// name the service, and the facts taken.
func TestServices(t *testing.T) {
	q := dnsQuery(t, "www.example.com")
	tcpDNS := append(binary.BigEndian.AppendUint16(nil, uint16(len(q))), q...)
	dhcp := make([]byte, 300)
	dhcp[0], dhcp[1] = 1, 1
	binary.BigEndian.PutUint32(dhcp[236:], 0x63825363)
	cases := []struct {
		name    string
		frames  [][]byte
		service string
		query   string
		sni     string
		alpn    string
		host    string
	}{
		{"DNS over UDP on a high port", [][]byte{udpFrame(t, false, false, 40000, 5300, q)}, "dns", "www.example.com", "", "", ""},
		{"DNS over TCP with its length prefix", [][]byte{dataSeg(t, false, 1, tcpDNS, 40000, 5300)}, "dns", "www.example.com", "", "", ""},
		{"TLS ClientHello then ServerHello: SNI, ALPN chosen",
			[][]byte{dataSeg(t, false, 1, tlsHello(1, "example.org", "h2", "http/1.1"), 40000, 9000), dataSeg(t, true, 1, tlsHello(2, "", "h2"), 40000, 9000)},
			"ssl", "", "example.org", "h2", ""},
		{"TLS ClientHello alone: the ALPN offers",
			[][]byte{dataSeg(t, false, 1, tlsHello(1, "a.example", "h2", "http/1.1"), 40000, 9000)},
			"ssl", "", "a.example", "h2,http/1.1", ""},
		{"HTTP request on port 9000 with Host",
			[][]byte{dataSeg(t, false, 1, []byte("POST /api HTTP/1.1\r\nhost: api.example\r\n\r\n"), 40000, 9000),
				dataSeg(t, true, 1, []byte("HTTP/1.1 200 OK\r\n\r\n"), 40000, 9000)},
			"http", "", "", "", "api.example"},
		{"SSH banner", [][]byte{dataSeg(t, true, 1, []byte("SSH-2.0-OpenSSH_9.6\r\n"), 40000, 2222)}, "ssh", "", "", "", ""},
		{"SMTP banner and EHLO",
			[][]byte{tcpFrame(t, seg{false, "S", 0, 0, 0, 0, false}, 40000, 2525), dataSeg(t, true, 1, []byte("220 mail.example ESMTP\r\n"), 40000, 2525), dataSeg(t, false, 1, []byte("EHLO me\r\n"), 40000, 2525)},
			"smtp", "", "", "", ""},
		{"FTP banner and USER",
			[][]byte{tcpFrame(t, seg{false, "S", 0, 0, 0, 0, false}, 40000, 2121), dataSeg(t, true, 1, []byte("220 ftp ready\r\n"), 40000, 2121), dataSeg(t, false, 1, []byte("USER anonymous\r\n"), 40000, 2121)},
			"ftp", "", "", "", ""},
		{"DHCP by its magic cookie", [][]byte{udpFrame(t, false, false, 68, 67, dhcp)}, "dhcp", "", "", "", ""},
		{"port 53 with random bytes is not DNS", [][]byte{udpFrame(t, false, false, 40000, 53, []byte("hello, this is not a DNS message"))}, "", "", "", "", ""},
		{"port 80 with no request line is not HTTP", [][]byte{dataSeg(t, false, 1, []byte("hello there\r\n"), 40000, 80)}, "", "", "", "", ""},
		{"TLS record cut after its header is not SSL", [][]byte{dataSeg(t, false, 1, tlsHello(1, "x.example")[:8], 40000, 443)}, "", "", "", "", ""},
	}
	for _, tc := range cases {
		recs := collect(t, nil, tc.frames)
		if len(recs) != 1 {
			t.Errorf("%s: %d records, want 1", tc.name, len(recs))
			continue
		}
		r := recs[0]
		if r.Service != tc.service || r.DNSQuery != tc.query || r.ServerName != tc.sni || r.ALPN != tc.alpn || r.HTTPHost != tc.host {
			t.Errorf("%s: service %q query %q sni %q alpn %q host %q; want %q %q %q %q %q", tc.name,
				r.Service, r.DNSQuery, r.ServerName, r.ALPN, r.HTTPHost, tc.service, tc.query, tc.sni, tc.alpn, tc.host)
		}
	}
}
