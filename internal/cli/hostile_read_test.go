package cli

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

// twoLinkPcapng writes a pcapng file with an Ethernet and a raw IP
// interface: TCP to port 80 then 22 on each, alternating interfaces.
func twoLinkPcapng(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := pcapio.NewPcapNGWriter(&b, []pcapio.Interface{
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535},
		{LinkType: layers.LinkTypeRaw, SnapLen: 65535},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(1700000000, 0)
	i := 0
	for _, port := range []uint16{80, 22} {
		for iface, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw} {
			flow := filter.Flow{Proto: filter.TCP,
				Src: netip.MustParseAddrPort("10.0.0.1:40000"),
				Dst: netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), port)}
			data, err := filter.AppendFlowPacket(nil, lt, flow, []byte("x"))
			if err != nil {
				t.Fatal(err)
			}
			ci := gopacket.CaptureInfo{Timestamp: ts.Add(time.Duration(i) * time.Second), CaptureLength: len(data), Length: len(data), InterfaceIndex: iface}
			if err := w.WritePacket(ci, data); err != nil {
				t.Fatal(err)
			}
			i++
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileRead keeps the read cases of issue 13 (items 14 and 17) that
// must not come back: damaged files end with an error naming the file and
// offset after printing the packets before it (the library used to repeat
// the error for ever, hanging gopacket's loop), and a filter on a pcapng
// with several link types is compiled per link type in the library, with
// an error naming the link type it does not compile for.
func TestHostileRead(t *testing.T) {
	good := twoLinkPcapng(t)
	badTrail := bytes.Clone(good)
	binary.LittleEndian.PutUint32(badTrail[len(badTrail)-4:], 8)
	tests := []struct {
		name      string
		file      []byte
		expr      string
		code      int
		lines     int      // packets printed
		stderrHas []string // substrings of stderr
	}{
		{"filter matches on both link types of a pcapng", good, "tcp dst port 80", 0, 2, nil},
		{"filter that does not compile for the second link type names it", good, "ether src 00:00:00:00:00:00", 2, 1, []string{"link type Raw", "ether src"}},
		{"truncated pcapng prints the packets before and names the offset", good[:len(good)-9], "", 1, 3, []string{"in.pcapng", "offset", "truncated"}},
		{"corrupt pcapng block (not a truncation) names the offset", badTrail, "", 1, 3, []string{"in.pcapng", "offset", "trailing length"}},
		{"truncated pcapng with a filter", good[:len(good)-9], "tcp", 1, 3, []string{"offset", "truncated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.pcapng")
			if err := os.WriteFile(path, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"read", "-r", path}
			if tc.expr != "" {
				args = append(args, tc.expr)
			}
			code, stdout, stderr := run(t, nil, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if n := strings.Count(stdout, "\n"); n != tc.lines {
				t.Errorf("%d packets printed, want %d:\n%s", n, tc.lines, stdout)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not say %q: %s", s, stderr)
				}
			}
		})
	}
}
