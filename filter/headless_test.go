package filter_test

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
)

// TestHeadlessBPFOnSocket is the "headless BPF" program of issue 13, on
// public API only: a TCP server matches what each accepted connection
// sends against tcpdump filters, with no packet built by hand. The
// connection's endpoints and the bytes read become a filter.Flow and a
// payload. It runs on an IPv4 listener and on a dual-stack one, whose IPv4
// peers show as IPv4-mapped addresses (::ffff:127.0.0.1).
func TestHeadlessBPFOnSocket(t *testing.T) {
	for _, network := range []struct{ name, listen, dial string }{
		{"ipv4 listener", "127.0.0.1:0", "127.0.0.1"},
		{"dual-stack listener, ipv4 client", "[::]:0", "127.0.0.1"},
		{"dual-stack listener, ipv6 client", "[::]:0", "::1"},
	} {
		t.Run(network.name, func(t *testing.T) {
			if probe, err := net.Listen("tcp", net.JoinHostPort(network.dial, "0")); err != nil {
				t.Skipf("no %s on this host: %v", network.dial, err)
			} else {
				probe.Close()
			}
			ln, err := net.Listen("tcp", network.listen)
			if err != nil {
				t.Skipf("cannot listen on %s: %v", network.listen, err)
			}
			defer ln.Close()
			port := ln.Addr().(*net.TCPAddr).Port
			v6 := network.dial == "::1"
			for _, tc := range []struct {
				name    string
				expr    string
				payload string
				want    bool
			}{
				{"dst port", fmt.Sprintf("tcp dst port %d", port), "USER anonymous\r\n", true},
				{"other dst port", fmt.Sprintf("tcp dst port %d", port+1), "USER anonymous\r\n", false},
				{"payload starts with USER", fmt.Sprintf("ip and tcp dst port %d and tcp[((tcp[12]&0xf0)>>2):4] = 0x55534552", port), "USER anonymous\r\n", !v6},
				{"payload does not start with USER", fmt.Sprintf("tcp dst port %d and tcp[((tcp[12]&0xf0)>>2):4] = 0x55534552", port), "HELO example\r\n", false},
				{"ip6 payload bytes", fmt.Sprintf("ip6 and tcp dst port %d and ip6[60:4] = 0x55534552", port), "USER x", v6},
				{"address family", "ip", "x", !v6},
				{"loopback host", "host 127.0.0.1 or host ::1", "x", true},
				{"length is 54 bytes of IPv4 headers and the payload", "len = 64", "0123456789", !v6},
				{"length is 74 bytes of IPv6 headers and the payload", "len = 84", "0123456789", v6},
				{"greater sees the real length", "greater 60", "0123456789", true},
				{"src port is the client's ephemeral port", "tcp src portrange 1024-65535", "x", true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					prog, err := filter.NewBPF(layers.LinkTypeEthernet, 65535, tc.expr)
					if err != nil {
						t.Fatal(err)
					}
					go func() {
						c, err := net.Dial("tcp", net.JoinHostPort(network.dial, fmt.Sprint(port)))
						if err != nil {
							return // Accept times out and the test fails
						}
						c.Write([]byte(tc.payload))
						c.Close()
					}()
					ln.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
					conn, err := ln.Accept()
					if err != nil {
						t.Fatal(err)
					}
					defer conn.Close()
					payload, err := io.ReadAll(conn)
					if err != nil {
						t.Fatal(err)
					}
					flow := filter.Flow{
						Proto: filter.TCP,
						Src:   conn.RemoteAddr().(*net.TCPAddr).AddrPort(),
						Dst:   conn.LocalAddr().(*net.TCPAddr).AddrPort(),
					}
					if network.dial == "127.0.0.1" && network.listen == "[::]:0" && !flow.Src.Addr().Is4In6() {
						t.Logf("the dual-stack listener reported %v (not IPv4-mapped)", flow.Src)
					}
					ok, err := prog.MatchFlowErr(flow, payload)
					if err != nil {
						t.Fatalf("flow %+v: %v", flow, err)
					}
					if ok != tc.want {
						t.Errorf("%q on %v -> %v with %q: %v, want %v", tc.expr, flow.Src, flow.Dst, payload, ok, tc.want)
					}
				})
			}
		})
	}
}
