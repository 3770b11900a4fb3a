package decap

import (
	"bufio"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// knownDifferences are the frames, by file name prefix and tshark protocol
// chain (a substring of frame.protocols), where tshark's innermost IP header
// is not the one decap leaves, and why. Every other frame must agree.
var knownDifferences = []struct{ file, chain, why string }{
	{"", ":gre:cmd:", "GRE carrying Cisco MetaData (0x8909) is not stripped: unsupported protocol type"},
	{"", ":gre:nhrp:", "NHRP (GRE 0x2001) is a protocol, not a tunnel; tshark shows the packet quoted in an NHRP error"},
	{"", ":gre:ip:tcp:nbss", "WCCP redirect (GRE 0x883e, a 4-byte WCCP header before IPv4) is not stripped"},
	{"", ":avsp:", "Arista's vendor EtherType header (0xd28b) is not a link type decap parses"},
	{"", ":mpls:", "MPLS is not stripped"},
	{"", ":ipcomp:", "IP payload compression: tshark decompresses, decap does not"},
	{"", ":udp:nsh:", "VXLAN-GPE (UDP 4790) carrying NSH is not stripped"},
	{"tcpdump/bigtcp-", "", "Linux BIG TCP/GSO packets captured before segmentation have IP total (payload) length 0 and UDP length 0: " +
		"tshark and tcpdump stop at UDP, decap takes the lengths from the capture and strips the VXLAN/Geneve header (correctly: the inner frames are whole)"},
}

// TestCorpusInnerAddresses strips every frame of the tunnel captures in the
// shared corpus and compares the innermost IP addresses with tshark's
// (decap/testdata/corpus_inner.tsv, from scripts/gen-decap-golden.sh).
func TestCorpusInnerAddresses(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	golden, err := os.Open(filepath.Join("testdata", "corpus_inner.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer golden.Close()
	type row struct{ src, dst, chain string }
	want := map[string][]row{} // file -> rows by frame
	var order []string
	sc := bufio.NewScanner(golden)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			t.Fatalf("golden line %q: want 5 fields", sc.Text())
		}
		if _, ok := want[f[0]]; !ok {
			order = append(order, f[0])
		}
		want[f[0]] = append(want[f[0]], row{f[2], f[3], f[4]})
	}
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var agree, known, stripped int
	reasons := map[string]int{}
	for _, name := range order {
		r, err := pcapio.Open(filepath.Join(corpus, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, w := range want[name] {
			data, ci, err := r.ReadPacketData()
			if errors.Is(err, io.EOF) {
				t.Errorf("%s: %d frames, tshark read %d", name, i, len(want[name]))
				break
			}
			if err != nil {
				t.Logf("%s: frame %d: %v (tshark read %d frames)", name, i+1, err, len(want[name]))
				break
			}
			inner, ici, link, tunnels, serr := d.Strip(r.LinkType(), data, ci)
			if serr != nil {
				var e *Error
				errors.As(serr, &e)
				reasons[e.Kind.String()+": "+e.Detail]++
			}
			if len(tunnels) > 0 {
				stripped++
			}
			if ici.CaptureLength != len(inner) || ici.CaptureLength > ici.Length {
				t.Errorf("%s: frame %d: inner caplen %d, len(inner) %d, length %d", name, i+1, ici.CaptureLength, len(inner), ici.Length)
			}
			// tshark's innermost IP header is the inner packet's, or when the
			// inner frame has no IP, the last carrier's.
			src, dst := addrs(link, inner)
			if src == "-" && len(tunnels) > 0 {
				src, dst = tunnels[len(tunnels)-1].Src.String(), tunnels[len(tunnels)-1].Dst.String()
			}
			if src == w.src && dst == w.dst {
				agree++
				continue
			}
			why := ""
			for _, k := range knownDifferences {
				if strings.HasPrefix(name, k.file) && strings.Contains(w.chain, k.chain) {
					why = k.why
				}
			}
			if why != "" {
				known++
				continue
			}
			t.Errorf("%s: frame %d (%s): decap leaves %s > %s (%d tunnels, err %v), tshark's innermost is %s > %s",
				name, i+1, w.chain, src, dst, len(tunnels), serr, w.src, w.dst)
		}
		r.Close()
	}
	t.Logf("%d frames agree with tshark, %d differ for a listed reason; %d stripped", agree, known, stripped)
	for r, n := range reasons {
		t.Logf("not stripped, %d frames: %s", n, r)
	}
}

// addrs returns the addresses of the first IP header of a frame, or "-".
func addrs(link layers.LinkType, frame []byte) (src, dst string) {
	off, et, ok := linklayer.Network(link, frame)
	if !ok {
		return "-", "-"
	}
	switch {
	case et == linklayer.EtherTypeIPv4 && len(frame) >= off+20 && frame[off]>>4 == 4:
		return netip.AddrFrom4([4]byte(frame[off+12:])).String(), netip.AddrFrom4([4]byte(frame[off+16:])).String()
	case et == linklayer.EtherTypeIPv6 && len(frame) >= off+40 && frame[off]>>4 == 6:
		return netip.AddrFrom16([16]byte(frame[off+8:])).String(), netip.AddrFrom16([16]byte(frame[off+24:])).String()
	}
	return "-", "-"
}
