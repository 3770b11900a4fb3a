package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// vxlanHTTPFixture writes an HTTP/1.1 connection (two requests on one
// keep-alive connection) as mirrored traffic arrives from a VXLAN
// collector: every frame inside VXLAN, and, with dup, every frame twice
// (a second mirror session with another TTL on the outer header): 14
// frames, 28 with dup; each direction carries 2 data segments.
func vxlanHTTPFixture(t *testing.T, dup bool) string {
	t.Helper()
	conv := testutil.NewTCPConv("10.1.1.1:40000", "10.2.2.2:80", time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC))
	for _, path := range []string{"/a", "/b"} {
		conv.Send(true, []byte("GET "+path+" HTTP/1.1\r\nHost: example.org\r\n\r\n"))
		conv.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	}
	conv.Close()
	wrap := func(inner []byte, ttl uint8) []byte {
		ip := outerIPv4(layers.IPProtocolUDP)
		ip.TTL = ttl
		udp := &layers.UDP{SrcPort: 40000, DstPort: 4789}
		udp.SetNetworkLayerForChecksum(ip)
		return serialize(t, ether(layers.EthernetTypeIPv4), ip, udp, &layers.VXLAN{ValidIDFlag: true, VNI: 7}, gopacket.Payload(inner))
	}
	path := filepath.Join(t.TempDir(), "vxlan-http.pcap")
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	put := func(ci gopacket.CaptureInfo, d []byte) {
		ci.CaptureLength, ci.Length = len(d), len(d)
		if err := w.WritePacket(ci, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range conv.Frames {
		put(f.CI, wrap(f.Data, 64))
		if dup {
			ci := f.CI
			ci.Timestamp = ci.Timestamp.Add(100 * time.Microsecond)
			put(ci, wrap(f.Data, 63))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHTTPStreamsDecapDedup: http and streams see the connection inside
// the tunnel only with --decap (before, they had no such flag and found
// nothing in tunnelled traffic), the filter applies to the inner packet,
// and --dedup drops the second mirror copy (no retransmissions left).
func TestHTTPStreamsDecapDedup(t *testing.T) {
	plain := vxlanHTTPFixture(t, false)
	doubled := vxlanHTTPFixture(t, true)
	tests := []struct {
		name      string
		args      []string
		lines     int    // http: transactions printed; streams --json: connections
		retrans   int64  // streams --json: client-to-server retransmissions
		stderrHas string // counts reported
	}{
		{"http without --decap finds nothing", []string{"http", "-r", plain}, 0, -1, ""},
		{"http with --decap", []string{"http", "-r", plain, "--decap"}, 2, -1, "http: decap: 14 of 14 packets were tunnelled; tunnels stripped: vxlan 14"},
		{"http filter on the inner address", []string{"http", "-r", plain, "--decap", "host 10.2.2.2"}, 2, -1, ""},
		{"http filter on the outer address sees nothing after decap", []string{"http", "-r", plain, "--decap", "host 192.168.1.1"}, 0, -1, ""},
		{"streams with --decap", []string{"streams", "-r", plain, "--decap", "--json"}, 1, 0, ""},
		{"streams sees the mirror copies as retransmissions", []string{"streams", "-r", doubled, "--decap", "--json"}, 1, 2, ""},
		{"streams with --dedup drops them", []string{"streams", "-r", doubled, "--decap", "--dedup", "--json"}, 1, 0, "streams: dedup: dropped 14 duplicates of 28 packets"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			if strings.TrimSpace(stdout) == "" {
				lines = nil
			}
			if len(lines) != tc.lines {
				t.Fatalf("%d lines, want %d\nstdout: %s\nstderr: %s", len(lines), tc.lines, stdout, stderr)
			}
			if tc.stderrHas != "" && !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderrHas, stderr)
			}
			if tc.retrans >= 0 {
				var conn struct {
					C2S struct {
						Retransmissions int64 `json:"retransmissions"`
					} `json:"client_to_server"`
				}
				if err := json.Unmarshal([]byte(lines[0]), &conn); err != nil {
					t.Fatal(err)
				}
				if conn.C2S.Retransmissions != tc.retrans {
					t.Errorf("client-to-server retransmissions %d, want %d\n%s", conn.C2S.Retransmissions, tc.retrans, lines[0])
				}
			}
		})
	}
}
