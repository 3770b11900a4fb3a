package filter

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// testrunDiffers names the libpcap TESTrun apply tests whose expectation
// (from libpcap master) differs from libpcap 1.10's behaviour, which is
// what wirekit follows (TestGolden checks it against tcpdump 1.10).
var testrunDiffers = map[string]string{
	"vxlan":                      "vxlan is a keyword only after libpcap 1.10",
	"vxlan_100":                  "vxlan is a keyword only after libpcap 1.10",
	"vxlan_101":                  "vxlan is a keyword only after libpcap 1.10",
	"vxlan_and_icmp_reply":       "vxlan is a keyword only after libpcap 1.10",
	"gateway_eth_ipv4_ipv6":      "libpcap 1.10 built with IPv6 refuses gateway",
	"gateway_eth_ipv4_noipv6":    "libpcap 1.10 built with IPv6 refuses gateway",
	"ip_gateway_eth_ipv4_ipv6":   "libpcap 1.10 built with IPv6 refuses gateway",
	"arp_gateway_eth_ipv4_ipv6":  "libpcap 1.10 built with IPv6 refuses gateway",
	"rarp_gateway_eth_ipv4_ipv6": "libpcap 1.10 built with IPv6 refuses gateway",
}

// TestLibpcapApply runs the apply tests of libpcap's own test suite
// (testdata/libpcap-apply.tsv, made by scripts/filter-testrun.sh) on the
// shared corpus.
func TestLibpcapApply(t *testing.T) {
	dir := testutil.CorpusDir(t, "libpcap-filter")
	b, err := os.ReadFile(filepath.Join("testdata", "libpcap-apply.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	caps := map[string]capture{}
	var pass, unsupported, total int
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("bad line %q", l)
		}
		name, file, expr, results := f[0], f[1], f[2], strings.Split(f[3], ",")
		total++
		c, ok := caps[file]
		if !ok {
			c = readCapture(t, filepath.Join(dir, file))
			caps[file] = c
		}
		prog, err := Compile(expr, c.lt, c.snaplen)
		if errors.Is(err, ErrUnsupported) {
			unsupported++
			continue
		}
		if err != nil {
			if _, known := testrunDiffers[name]; !known {
				t.Errorf("%s: %q: %v", name, expr, err)
			}
			continue
		}
		if len(results) != len(c.pkts) {
			t.Errorf("%s: %d results for %d packets", name, len(results), len(c.pkts))
			continue
		}
		ok = true
		for i, p := range c.pkts {
			if prog.Matches(p.ci, p.data) != (results[i] != "0") {
				ok = false
			}
		}
		switch _, known := testrunDiffers[name]; {
		case ok:
			pass++
		case !known:
			t.Errorf("%s: %q on %s: verdicts differ from libpcap's expected %v", name, expr, file, results)
		}
	}
	t.Logf("libpcap apply tests (EN10MB): %d/%d pass, %d unsupported", pass, total, unsupported)
}
