package filter

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
