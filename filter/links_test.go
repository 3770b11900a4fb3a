package filter

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// linksDiffer lists, by expression, where tcpdump -d (which compiles
// as for a live capture: pcap_open_dead has no file) and wirekit (which
// compiles for captures read from files, as tcpdump -r does) part on the
// link types of testdata/libpcap-links.tsv; the reason for each was
// checked with tcpdump 4.99.3 -r on a capture of the link type.
var linksDiffer = map[string]string{
	"inbound":   "live only: libpcap loads the kernel's packet type; on a savefile it refuses, as wirekit does",
	"outbound":  "live only: libpcap loads the kernel's packet type; on a savefile it refuses, as wirekit does",
	"ifindex 1": "live only: libpcap loads the kernel's interface index; on a savefile it refuses, as wirekit does",
}

// TestLibpcapLinks compiles a battery of expressions on every link type
// of codegen_other.go that tcpdump knows by name, and checks wirekit's
// unoptimized program against libpcap 1.10's (testdata/libpcap-links.tsv,
// made by scripts/filter-links.sh), instruction for instruction, or its
// error message against libpcap's.
func TestLibpcapLinks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "libpcap-links.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var total, same, refused, differ, layout int
	types := map[string]bool{}
	// refDiffers: for the reference link types EN10MB, IEEE802_11_RADIO
	// and NULL, the expressions whose wirekit code is not libpcap's
	// unoptimized code (wirekit's own layout, as testdata/layout-differs.txt
	// lists for Ethernet, or the order its scratch registers are taken in
	// on radiotap, or NULL's IPv6 values for files and constant false as
	// a jump); on the link types laid out as these, such differences
	// are wirekit's layout too, checked for verdicts by TestGolden, not
	// instruction for instruction.
	refDiffers := map[string]map[string]bool{"EN10MB": {}, "IEEE802_11_RADIO": {}, "NULL": {}}
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("libpcap-links.tsv:%d: want 4 fields", i+1)
		}
		name, expr, want := f[0], f[2], f[3]
		v, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("libpcap-links.tsv:%d: %v", i+1, err)
		}
		lt := layers.LinkType(v)
		if refDiffers[name] == nil {
			types[name] = true
			total++
		}
		prog, err := CompileWith(expr, lt, 262144, &Options{NoOptimize: true})
		got := ""
		var se *SyntaxError
		switch {
		case errors.As(err, &se):
			got = "error: " + se.LibpcapMessage()
			if errors.Is(err, ErrUnsupported) {
				got = "unsupported: " + err.Error()
			}
		case err != nil:
			got = "error: " + err.Error()
		default:
			d, _ := Format(prog, "d")
			got = normCode(d)
		}
		if ref := refDiffers[name]; ref != nil {
			if got != want {
				ref[expr] = true
			}
			continue
		}
		if got == want {
			if strings.HasPrefix(want, "error: ") {
				refused++
			} else {
				same++
			}
			continue
		}
		if why, ok := linksDiffer[expr]; ok && strings.HasPrefix(got, "error: ") {
			// The message must be libpcap's for a savefile.
			if d, _ := otherDescription(lt); got != "error: "+strings.Split(expr, " ")[0]+" not supported on "+d+" when reading savefiles" &&
				got != "error: inbound/outbound not supported on "+d+" when reading savefiles" {
				t.Errorf("%s %q: %s, we say %s", name, expr, why, got)
			}
			differ++
			continue
		}
		ref := "EN10MB"
		switch {
		case isWlanOther(lt):
			ref = "IEEE802_11_RADIO"
		case lt == ltENC:
			ref = "NULL"
		}
		if refDiffers[ref][expr] && !strings.HasPrefix(want, "error: ") && !strings.HasPrefix(got, "error: ") {
			layout++
			continue
		}
		t.Errorf("%s %q:\n libpcap: %s\n wirekit: %s", name, expr, want, got)
	}
	t.Logf("%d link types, %d expressions: %d compiled as libpcap 1.10's unoptimized code, %d refused with its message, "+
		"%d laid out as wirekit lays them out on Ethernet too, %d listed differences (live vs savefile)",
		len(types), total, same, refused, layout, differ)
}

func init() {
	// tcpdump's names for the link types of codegen_other.go, for the
	// accept and reject tests of libpcap's suite.
	for lt, o := range otherLinks {
		dltByName[o.name] = lt
	}
}

// acceptDiffers lists the accept tests of libpcap's suite whose libpcap
// 1.10 answer (tcpdump -d, which compiles as for a live capture) wirekit
// does not give, with the reason, checked with tcpdump 4.99.3 -r on a
// capture of the link type (testdata/golden.tsv has its error).
var acceptDiffers = map[string]string{
	"inbound_DSA_TAG_BRCM":  "live only: libpcap loads the kernel's packet type; reading a file it refuses, as wirekit does",
	"outbound_DSA_TAG_BRCM": "live only: libpcap loads the kernel's packet type; reading a file it refuses, as wirekit does",
	"inbound_DSA_TAG_DSA":   "live only: libpcap loads the kernel's packet type; reading a file it refuses, as wirekit does",
	"outbound_DSA_TAG_DSA":  "live only: libpcap loads the kernel's packet type; reading a file it refuses, as wirekit does",
}

// refusedBy110 reports whether libpcap 1.10 refuses the apply test name
// of libpcap's suite (which expects its development branch) with the
// message err gives (testdata/libpcap-apply-110.tsv, made by
// scripts/filter-apply110.sh with tcpdump -r on the test's capture).
func refusedBy110(tb testing.TB, name string, err error) bool {
	tb.Helper()
	b, rerr := os.ReadFile(filepath.Join("testdata", "libpcap-apply-110.tsv"))
	if rerr != nil {
		tb.Fatal(rerr)
	}
	var se *SyntaxError
	if !errors.As(err, &se) || errors.Is(err, ErrUnsupported) {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 4 && f[0] == name {
			return f[3] == "error: "+se.LibpcapMessage()
		}
	}
	return false
}

// TestOtherLinkVerdicts runs programs for the link types of
// codegen_other.go on packets built by hand, each case naming what it
// shows.
func TestOtherLinkVerdicts(t *testing.T) {
	ip4 := []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 1, 2, 3, 4}
	ether := append([]byte{1, 2, 3, 4, 5, 6, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x08, 0x00}, ip4...)
	// An 802.11 data frame to DS with SNAP and IPv4.
	wlan := append([]byte{0x08, 0x01, 0, 0, 2, 0, 0, 0, 0, 1, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 1, 2, 3, 4, 5, 6, 0, 0,
		0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00}, ip4...)
	prism := append(make([]byte, 144), wlan...)
	avs := append([]byte{0x80, 0x21, 0x10, 0x01, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0}, wlan...)
	ppi := func(dlt byte) []byte { return append([]byte{0, 0, 8, 0, dlt, 0, 0, 0}, wlan...) }
	juniper := func(magic byte, flags byte) []byte { return append([]byte{0x4d, 0x47, magic, flags}, ip4...) }
	ipnet := func(family, dir byte) []byte {
		return append([]byte{1, family, 0, dir, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ip4...)
	}
	for _, c := range []struct {
		name string
		lt   layers.LinkType
		expr string
		pkt  []byte
		want bool
	}{
		{"prism: ip after the 144-byte header", ltPrism, "ip host 1.2.3.4", prism, true},
		{"prism: an AVS cookie gives the header's length", ltPrism, "ip host 1.2.3.4", avs, true},
		{"prism: wlan addresses after the header", ltPrism, "wlan src 0a:0b:0c:0d:0e:0f", prism, true},
		{"avs: ip after the header length at 4", ltAVS, "udp and dst 1.2.3.4", avs, true},
		{"avs: wrong address", ltAVS, "dst 1.2.3.5", avs, false},
		{"ppi: ip after the PPI header", ltPPI, "ip dst 1.2.3.4", ppi(105), true},
		{"ppi: a DLT other than 802.11 rejects", ltPPI, "ip dst 1.2.3.4", ppi(1), false},
		{"ppi: raw length tests check the DLT too", ltPPI, "len > 1", ppi(1), false},
		{"netanalyzer: Ethernet after 4 bytes", ltNetAn, "ether src 0a:0b:0c:0d:0e:0f and ip dst 1.2.3.4", append([]byte{0, 0, 0, 0}, ether...), true},
		{"netanalyzer transparent: after 12 bytes", ltNetAnTr, "ip dst 1.2.3.4", append(make([]byte, 12), ether...), true},
		{"netanalyzer: not at offset 0", ltNetAn, "ip dst 1.2.3.4", ether, false},
		{"ipnet: IPv4 family", ltIPNET, "ip and dst 1.2.3.4", ipnet(2, 2), true},
		{"ipnet: IPv6 family is not ip", ltIPNET, "ip", ipnet(26, 2), false},
		{"ipnet: inbound", ltIPNET, "inbound", ipnet(2, 2), true},
		{"ipnet: outbound", ltIPNET, "outbound", ipnet(2, 2), false},
		{"juniper mfr: magic number", 134, "ip", juniper(0x43, 1), true},
		{"juniper mfr: bad magic number", 134, "ip", juniper(0x44, 1), false},
		{"juniper mfr: payload at 4", 134, "ip and dst 1.2.3.4", juniper(0x43, 1), true},
		{"juniper mfr: inbound flag", 134, "inbound", juniper(0x43, 1), true},
		{"juniper mfr: outbound flag", 134, "outbound", juniper(0x43, 0), true},
		{"juniper mfr: inbound is not outbound", 134, "outbound", juniper(0x43, 1), false},
		{"enc: little-endian AF_INET", ltENC, "ip dst 1.2.3.4", append([]byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ip4...), true},
		{"enc: AF_INET6 is not ip", ltENC, "ip", append([]byte{24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ip4...), false},
		{"symantec firewall: type at 6, IP at 44", 99, "ip dst 1.2.3.4", append(append(make([]byte, 6), append([]byte{8, 0}, make([]byte, 36)...)...), ip4...), true},
		{"netbsd hdlc: as Cisco HDLC", ltNetBSDHDLC, "ip dst 1.2.3.4", append([]byte{0x0f, 0, 8, 0}, ip4...), true},
		{"dsa brcm: raw link tests", 281, "link[0] = 1 and len = 34", ether, true},
		{"user0: raw link tests", 147, "link[1:2] = 0x203", ether, true},
	} {
		prog, err := Compile(c.expr, c.lt, 262144)
		if err != nil {
			t.Errorf("%s: %q: %v", c.name, c.expr, err)
			continue
		}
		if got := prog.Matches(gopacket.CaptureInfo{}, c.pkt); got != c.want {
			t.Errorf("%s: %q: got %v, want %v", c.name, c.expr, got, c.want)
		}
	}
}

// TestOtherLinkErrors checks libpcap 1.10's messages (tcpdump -d -y) in
// cases the battery of TestLibpcapLinks does not reach.
func TestOtherLinkErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		lt   layers.LinkType
		expr string
		want string
	}{
		{"netanalyzer: after pppoes the link layer is PPP's", ltNetAn, "pppoes and llc", "'llc' not supported for PPP"},
		{"netanalyzer: llc names the pseudo-header", ltNetAn, "llc", "'llc' not supported for Ethernet with Hilscher netANALYZER pseudo-header"},
		{"netbsd hdlc: described by number", ltNetBSDHDLC, "vlan", "no VLAN support for DLT 112"},
		{"ppi: no vlan", ltPPI, "vlan", "no VLAN support for Per-Packet Information"},
		{"ppi: no radio header", ltPPI, "radio[0] = 1", "radio information not present in capture"},
		{"juniper pic peer: not one of the Juniper types", 174, "ip", "Juniper PIC Peer link-layer type filtering not implemented"},
		{"mfr: its own refusal", 182, "ip", "Multi-link Frame Relay link-layer type filtering not implemented"},
		{"usb: refused by family", 189, "arp", "USB link-layer type filtering not implemented"},
		{"dsa: no MPLS", 284, "mpls", "no MPLS support for Marvell DSA"},
	} {
		_, err := Compile(c.expr, c.lt, 262144)
		var se *SyntaxError
		if !errors.As(err, &se) || errors.Is(err, ErrUnsupported) || se.LibpcapMessage() != c.want {
			t.Errorf("%s: %q: got %v, want %q", c.name, c.expr, err, c.want)
		}
	}
}

// otherOptimizerDrops are more rows for optimizerDrops: on the Juniper
// captures, libpcap's optimizer removes loads that short packets end
// before (the magic number's test then decides), so its optimized program
// accepts packets its unoptimized one rejects; wirekit keeps the loads.
// The packets are those "tcpdump -O -r CAPTURE -w OUT -- EXPR" keeps
// (tcpdump 4.99.3, libpcap 1.10.3).
var otherOptimizerDrops = map[[2]string][]int{
	{"net ::/0", "synth-juniper-mfr.pcap"}:                       {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"net 0.0.0.0/0", "synth-juniper-mfr.pcap"}:                  {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"port 80 or arp", "synth-juniper-mfr.pcap"}:                 {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"port 80 or ip6", "synth-juniper-mfr.pcap"}:                 {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"host 10.0.0.2 or arp", "synth-juniper-mfr.pcap"}:           {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"host 10.0.0.2 or ip6", "synth-juniper-mfr.pcap"}:           {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"net 10.0.0.0/8 or arp", "synth-juniper-mfr.pcap"}:          {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"net 10.0.0.0/8 or ip6", "synth-juniper-mfr.pcap"}:          {0, 1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 67, 68, 69, 70, 71, 72, 75, 76, 77, 78},
	{"net ::/0", "synth-juniper-ggsn.pcap"}:                      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"net 0.0.0.0/0", "synth-juniper-ggsn.pcap"}:                 {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"port 80 or arp", "synth-juniper-ggsn.pcap"}:                {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"port 80 or ip6", "synth-juniper-ggsn.pcap"}:                {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"host 10.0.0.2 or arp", "synth-juniper-ggsn.pcap"}:          {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"host 10.0.0.2 or ip6", "synth-juniper-ggsn.pcap"}:          {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"net 10.0.0.0/8 or arp", "synth-juniper-ggsn.pcap"}:         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"net 10.0.0.0/8 or ip6", "synth-juniper-ggsn.pcap"}:         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 75, 76, 77, 78},
	{"net ::/0", "tcpdump:juniper_es_oobr.pcap"}:                 {},
	{"net 0.0.0.0/0", "tcpdump:juniper_es_oobr.pcap"}:            {},
	{"ip[2:2] > 100", "tcpdump:juniper_es_oobr.pcap"}:            {},
	{"ip[2:2] / 2 > 20", "tcpdump:juniper_es_oobr.pcap"}:         {},
	{"ip[2:2] ^ 0xff > 0", "tcpdump:juniper_es_oobr.pcap"}:       {},
	{"ip[2:2] - 20 > 0", "tcpdump:juniper_es_oobr.pcap"}:         {},
	{"ip[2:2] * 2 - 40 > 20", "tcpdump:juniper_es_oobr.pcap"}:    {},
	{"len > ip[2:2]", "tcpdump:juniper_es_oobr.pcap"}:            {},
	{"ip[2:2] < len", "tcpdump:juniper_es_oobr.pcap"}:            {},
	{"ip and ip[6] & 0x20 != 0", "tcpdump:juniper_es_oobr.pcap"}: {},
	{"port 80 or arp", "tcpdump:juniper_es_oobr.pcap"}:           {},
	{"port 80 or ip6", "tcpdump:juniper_es_oobr.pcap"}:           {},
	{"host 10.0.0.2 or arp", "tcpdump:juniper_es_oobr.pcap"}:     {},
	{"host 10.0.0.2 or ip6", "tcpdump:juniper_es_oobr.pcap"}:     {},
	{"net 10.0.0.0/8 or arp", "tcpdump:juniper_es_oobr.pcap"}:    {},
	{"net 10.0.0.0/8 or ip6", "tcpdump:juniper_es_oobr.pcap"}:    {},
	{"ip6[4:2] > 20", "tcpdump:juniper_es_oobr.pcap"}:            {},
	{"net ::/0", "tcpdump:hoobr_juniper.pcap"}:                   {},
	{"net 0.0.0.0/0", "tcpdump:hoobr_juniper.pcap"}:              {},
	{"port 80 or arp", "tcpdump:hoobr_juniper.pcap"}:             {},
	{"port 80 or ip6", "tcpdump:hoobr_juniper.pcap"}:             {},
	{"host 10.0.0.2 or arp", "tcpdump:hoobr_juniper.pcap"}:       {},
	{"host 10.0.0.2 or ip6", "tcpdump:hoobr_juniper.pcap"}:       {},
	{"net 10.0.0.0/8 or arp", "tcpdump:hoobr_juniper.pcap"}:      {},
	{"net 10.0.0.0/8 or ip6", "tcpdump:hoobr_juniper.pcap"}:      {},
}

func init() {
	for k, v := range otherOptimizerDrops {
		optimizerDrops[k] = v
	}
}

// otherLinkHeader is linkHeader for the link types of codegen_other.go
// whose link-layer header does not start the packet: after the Prism,
// AVS or PPI header, after netANALYZER's pseudo-header. ok is false for
// the others.
func otherLinkHeader(lt layers.LinkType, pkt []byte) (hdr []byte, ok bool) {
	n := 0
	switch lt {
	case ltPrism:
		n = 144
		if len(pkt) >= 8 && binary.BigEndian.Uint32(pkt)&0xfffff000 == 0x80211000 {
			n = int(binary.BigEndian.Uint32(pkt[4:]))
		}
	case ltAVS:
		if len(pkt) < 8 {
			return nil, true
		}
		n = int(binary.BigEndian.Uint32(pkt[4:]))
	case ltPPI:
		if len(pkt) < 8 || binary.LittleEndian.Uint32(pkt[4:]) != 105 {
			return nil, true // the program's DLT check rejects it
		}
		n = int(binary.LittleEndian.Uint16(pkt[2:]))
	case ltNetAn:
		n = 4
	case ltNetAnTr:
		n = 12
	default:
		return nil, false
	}
	if n > len(pkt) {
		return nil, true
	}
	return pkt[n:], true
}
