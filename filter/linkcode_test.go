package filter

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// moreDLTs maps tcpdump's names of the link types of codegen_linkmore.go
// to the numbers a capture file records.
var moreDLTs = map[string]layers.LinkType{
	"SUNATM": ltSunATM, "ATM_RFC1483": ltATMRFC1483, "ATM_CLIP": ltATMCLIP, "MTP2": ltMTP2,
	"MTP2_WITH_PHDR": ltMTP2Phdr, "MTP3": ltMTP3, "BACNET_MS_TP": ltBACnetMSTP, "LTALK": ltLTalk,
	"APPLE_IP_OVER_IEEE1394": ltIPOver1394, "SLIP_BSDOS": ltSLIPBSDOS, "PPP_PPPD": ltPPPPPPD,
}

// constBranch matches libpcap's gen_true and gen_false blocks (ld #0 or
// ld #1, then jeq #0), which wirekit lays out as a ja.
var constBranch = regexp.MustCompile(`ld #0x[01] \| \(\d+\) jeq #0x0 `)

// TestLinkCode compiles, on each link type of codegen_linkmore.go, the
// expressions of testdata/linkcode.tsv (made by scripts/filter-linkcode.sh
// with libpcap 1.10.3) unoptimized: wirekit's program must be libpcap's
// instruction for instruction, and where libpcap refuses, wirekit must
// refuse with its message. Two layout differences that are not the link
// type's are allowed: the expression's code differs from libpcap's on
// Ethernet too (the file has EN10MB rows for reference; see
// layout-differs.txt for why), libpcap's code has a constant branch
// (gen_true, gen_false) where wirekit's has a ja, or the program is
// libpcap's with its two returns swapped (a negated program, where
// libpcap puts ret #0 first).
func TestLinkCode(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "linkcode.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	etherDiffers := map[string]bool{}
	var same, asEther, constJa, notFirst int
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("bad line %q", l)
		}
		dlt, expr, want := f[0], f[1], f[2]
		lt, ok := moreDLTs[dlt]
		if dlt == "EN10MB" {
			lt, ok = layers.LinkTypeEthernet, true
		}
		if !ok {
			t.Fatalf("unknown link type %s", dlt)
		}
		seen[dlt]++
		prog, err := CompileWith(expr, lt, 262144, &Options{NoOptimize: true})
		msg, refused := strings.CutPrefix(want, "error: ")
		var se *SyntaxError
		switch {
		case refused && err == nil:
			t.Errorf("%s %q: libpcap 1.10 says %s, we compile it", dlt, expr, msg)
		case refused && !(errors.As(err, &se) && se.LibpcapMessage() == msg):
			t.Errorf("%s %q: libpcap 1.10 says %s, we say %v", dlt, expr, msg, err)
		case refused:
			same++
		case err != nil:
			t.Errorf("%s %q: libpcap 1.10 compiles it, we say %v", dlt, expr, err)
		default:
			d, _ := Format(prog, "d")
			got := normCode(d)
			switch {
			case got == want:
				same++
			case dlt == "EN10MB":
				etherDiffers[expr] = true
			case etherDiffers[expr]:
				asEther++
			case constJa1(got, want):
				constJa++
			case swapRets(want) == got:
				notFirst++
			default:
				t.Errorf("%s %q: not libpcap 1.10's code:\n got: %s\nwant: %s", dlt, expr, got, want)
			}
		}
	}
	for name := range moreDLTs {
		if seen[name] == 0 {
			t.Errorf("no expression on %s", name)
		}
	}
	t.Logf("%d rows as libpcap 1.10 compiles them (code or message); %d laid out differently as on Ethernet; %d with a ja for libpcap's constant branch; %d negated with the returns in the other order",
		same, asEther, constJa, notFirst)
}

// swapRets returns the -d text code (as normCode gives it) with its last
// two instructions, and the jumps to them, swapped.
func swapRets(code string) string {
	ins := strings.Split(code, " | ")
	n := len(ins)
	if n < 2 {
		return code
	}
	a, b := fmt.Sprintf("(%03d) ", n-2), fmt.Sprintf("(%03d) ", n-1)
	ins[n-2], ins[n-1] = a+strings.TrimPrefix(ins[n-1], b), b+strings.TrimPrefix(ins[n-2], a)
	swap := strings.NewReplacer(fmt.Sprintf("jt %d ", n-2), fmt.Sprintf("jt %d ", n-1), fmt.Sprintf("jt %d ", n-1), fmt.Sprintf("jt %d ", n-2))
	for i := range ins[:n-2] {
		in := ins[i] + " "
		in = swap.Replace(in)
		if j := strings.LastIndex(in, "jf "); j >= 0 {
			switch in[j+3:] {
			case fmt.Sprintf("%d ", n-2):
				in = in[:j] + fmt.Sprintf("jf %d ", n-1)
			case fmt.Sprintf("%d ", n-1):
				in = in[:j] + fmt.Sprintf("jf %d ", n-2)
			}
		}
		ins[i] = strings.TrimSuffix(in, " ")
	}
	return strings.Join(ins, " | ")
}

// constJa1 reports whether got differs from libpcap's want in having a ja
// where libpcap has a constant branch.
func constJa1(got, want string) bool {
	return constBranch.MatchString(want) && strings.Contains(got, " ja ")
}

// TestLibpcapAcceptLinkCode checks the programs of the TESTrun accept
// tests (testdata/libpcap-accept.tsv) on the link types of
// codegen_linkmore.go: libpcap 1.10's unoptimized code, instruction for
// instruction, but for TestLinkCode's two layout differences (a ja for a
// constant branch, the returns of a negated program swapped). What
// libpcap refuses, TestLibpcapAccept checks.
func TestLibpcapAcceptLinkCode(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "libpcap-accept.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var n, same, layout int
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 6 || strings.HasPrefix(l, "#") {
			continue
		}
		name, dlt, expr, want := f[0], f[1], f[3], f[4]
		lt, ok := moreDLTs[dlt]
		if !ok || strings.HasPrefix(want, "error: ") {
			continue
		}
		n++
		p, err := CompileWith(expr, lt, 262144, &Options{NoOptimize: true})
		if err != nil {
			t.Errorf("%s: %s %q: %v", name, dlt, expr, err)
			continue
		}
		d, _ := Format(p, "d")
		switch got := normCode(d); {
		case got == want:
			same++
		case constJa1(got, want) || swapRets(want) == got:
			layout++
		default:
			t.Errorf("%s: %s %q: not libpcap 1.10's code:\n got: %s\nwant: %s", name, dlt, expr, got, want)
		}
	}
	if n == 0 {
		t.Fatal("no accept test on these link types")
	}
	t.Logf("%d accept tests compiled: %d as libpcap 1.10's unoptimized code, %d with one of its two layout differences", n, same, layout)
}

// The TESTrun tests (testrun_test.go) run on these link types too, with
// the apply tests where libpcap 1.10 (checked with tcpdump 4.99.3 on the
// corpus captures) gives other verdicts than TESTrun, which expects the
// development branch's.
func init() {
	for name, lt := range moreDLTs {
		dltByName[name] = lt
	}
	ne := "libpcap 1.10 compiles an MTP3 field's != as == (gen_ncmp reverses only > and >=); the development branch negates it"
	aid := "libpcap 1.10 has no MS/TP addresses: 'aid supported only on ARCnet'"
	for name, why := range map[string]string{
		"dpc_ne_0": ne, "opc_ne_0": ne, "sls_ne_9": ne,
		"mstp_link_host": aid, "mstp_link_src_host": aid, "mstp_link_dst_host": aid, "mstp_link_src_and_dst_host": aid,
		"mstp_link_broadcast": "libpcap 1.10 has no MS/TP broadcast: 'not a broadcast link'",
	} {
		testrunDiffers[name] = why
	}
}

// The rows of golden-linkmore.tsv where libpcap's optimizer changes its
// verdict are checked against its unoptimized verdicts
// (testdata/unopt-linkmore.tsv, made by scripts/filter-golden-linkmore.sh),
// as optimizerDrops does for golden.tsv.
func init() {
	b, err := os.ReadFile(filepath.Join("testdata", "unopt-linkmore.tsv"))
	if err != nil {
		panic(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if l == "" || strings.HasPrefix(l, "#") || len(f) != 3 {
			continue
		}
		keep := []int{}
		for _, s := range strings.Split(strings.TrimPrefix(f[2], "match:"), ",") {
			if n, err := strconv.Atoi(s); err == nil {
				keep = append(keep, n)
			}
		}
		optimizerDrops[[2]string{f[0], f[1]}] = keep
	}
}

// TestGoldenReadsLinkMore: TestGolden checks the rows of
// golden-linkmore.tsv, on every capture of these link types.
func TestGoldenReadsLinkMore(t *testing.T) {
	n := map[string]int{}
	for _, r := range readGolden(t) {
		n[r.file]++
	}
	for _, name := range []string{"synth-sunatm.pcap", "synth-atm-rfc1483.pcap", "synth-atm-clip.pcap",
		"synth-mtp2.pcap", "synth-mtp2-phdr.pcap", "synth-mtp3.pcap", "synth-bacnet.pcap", "synth-ltalk.pcap",
		"synth-ipoieee1394.pcap", "synth-slip-bsdos.pcap", "synth-ppp-pppd.pcap",
		"corpus:isup_load_generator.pcap", "corpus:mstp_20140225214217.pcap"} {
		if n[name] == 0 {
			t.Errorf("no golden row on %s", name)
		}
	}
}
