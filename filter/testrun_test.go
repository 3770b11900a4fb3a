package filter

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/internal/testutil"
)

// testrunDiffers names the libpcap TESTrun apply tests whose expectation
// (from libpcap master) differs from libpcap 1.10's behaviour, which is
// what wirekit follows (TestGolden checks it against tcpdump 1.10).
var testrunDiffers = map[string]string{
	"gateway_eth_ipv4_ipv6":      "libpcap 1.10 built with IPv6 refuses gateway",
	"gateway_eth_ipv4_noipv6":    "libpcap 1.10 built with IPv6 refuses gateway",
	"ip_gateway_eth_ipv4_ipv6":   "libpcap 1.10 built with IPv6 refuses gateway",
	"arp_gateway_eth_ipv4_ipv6":  "libpcap 1.10 built with IPv6 refuses gateway",
	"rarp_gateway_eth_ipv4_ipv6": "libpcap 1.10 built with IPv6 refuses gateway",
	"slip_outbound_on_invalid":   "libpcap 1.10's outbound is any SLIP direction byte but 0 (received), so it matches the invalid direction; the development branch wants 1 (sent)",
	"link_host_c0_on_arcnet":     "libpcap 1.10 reads an ARCnet address $XY as 0xd0|X (its MAC parser takes the $ for a digit)",
	"link_src_host_c0_on_arcnet": "libpcap 1.10 reads an ARCnet address $XY as 0xd0|X (its MAC parser takes the $ for a digit)",
	"link_dst_host_c0_on_arcnet": "libpcap 1.10 reads an ARCnet address $XY as 0xd0|X (its MAC parser takes the $ for a digit)",
	"link_host_not_c0_on_arcnet": "libpcap 1.10 reads an ARCnet address $XY as 0xd0|X (its MAC parser takes the $ for a digit)",
	"rfc1051_ip":                 "libpcap 1.10's ip on ARCnet also accepts RFC 1051's old type 0xf0",
	"rfc1051_arp":                "libpcap 1.10's arp on ARCnet also accepts RFC 1051's old type 0xf1",
	"csnp_C_HDLC":                "libpcap 1.10 looks for the IS-IS PDU type on Cisco HDLC one byte early, without the padding byte before the NLPID, and matches none",
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
	otherLink := map[int]int{} // DLT: tests
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("bad line %q", l)
		}
		name, file, expr, results := f[0], f[1], f[2], strings.Split(f[3], ",")
		c, ok := caps[file]
		if !ok {
			path := filepath.Join(dir, file)
			if lt, ok := pcapLinkType(path); ok {
				if _, err := newLinkInfo(lt); err != nil {
					otherLink[int(lt)]++
					continue
				}
			}
			c = readCapture(t, path)
			caps[file] = c
		}
		total++
		prog, err := Compile(expr, c.lt, c.snaplen)
		if errors.Is(err, ErrUnsupported) {
			unsupported++
			continue
		}
		if err != nil {
			if _, known := testrunDiffers[name]; !known && !refusedBy110(t, name, err) {
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
	t.Logf("libpcap apply tests: %d/%d pass, %d unsupported; on link types wirekit does not compile for: %v", pass, total, unsupported, otherLink)
}

// rejectFromMaster gives, for reject tests of what wirekit compiles as
// libpcap's development branch does (vxlan, which libpcap 1.10 does not
// know), the message TESTrun expects there.
var rejectFromMaster = map[string]string{
	"vxlan_and_protochain_4": "'protochain' not supported with variable length headers",
	"vxlan_123456789":        "VXLAN VNI 123456789 greater than maximum 16777215",
}

// dltByName maps the link-type names of tcpdump's -y to link types.
var dltByName = map[string]layers.LinkType{
	"EN10MB": layers.LinkTypeEthernet, "RAW": ltRawDLT, "IPV4": ltIPv4, "IPV6": ltIPv6,
	"LINUX_SLL": layers.LinkTypeLinuxSLL, "LINUX_SLL2": ltLinuxSLL2, "NULL": layers.LinkTypeNull,
	"LOOP": layers.LinkTypeLoop, "PPP": layers.LinkTypePPP, "PFLOG": layers.LinkTypePFLog,
	"IEEE802_11": layers.LinkTypeIEEE802_11, "IEEE802_11_RADIO": layers.LinkTypeIEEE80211Radio,
	"C_HDLC": ltCHDLC, "SLIP": layers.LinkTypeSLIP, "FDDI": layers.LinkTypeFDDI, "IEEE802": layers.LinkTypeTokenRing,
	"IP_OVER_FC": layers.LinkTypeIPOverFC, "PPP_SERIAL": layers.LinkTypePPP_HDLC, "PPP_BSDOS": ltPPPBSDOS,
	"FRELAY": ltFrelay, "ARCNET": layers.LinkTypeArcNet, "ARCNET_LINUX": ltArcLinux,
}

// TestLibpcapReject runs the reject tests of libpcap's own test suite
// (testdata/libpcap-reject.tsv, made by scripts/filter-reject.sh) for the
// link types wirekit compiles for: where libpcap 1.10 refuses, wirekit
// must refuse with the same message; where it accepts, so must wirekit.
func TestLibpcapReject(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "libpcap-reject.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var agree, total, otherLink, unsupported int
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("bad line %q", l)
		}
		name, dlt, expr, want := f[0], f[1], f[2], f[3]
		lt, ok := dltByName[dlt]
		if !ok {
			otherLink++
			continue
		}
		total++
		if m, ok := rejectFromMaster[name]; ok {
			want = "error: " + m
		}
		_, err := Compile(expr, lt, 262144)
		var se *SyntaxError
		switch {
		case errors.Is(err, ErrUnsupported):
			unsupported++
		case want == "accepted" && err == nil:
			agree++
		case want == "accepted":
			t.Errorf("%s: %s %q: libpcap 1.10 accepts, we say %v", name, dlt, expr, err)
		case err == nil:
			t.Errorf("%s: %s %q: libpcap 1.10 says %s, we accept", name, dlt, expr, want)
		case errors.As(err, &se) && "error: "+se.LibpcapMessage() == want:
			agree++
		default:
			t.Errorf("%s: %s %q: libpcap 1.10 says %s, we say %v", name, dlt, expr, want, err)
		}
	}
	t.Logf("libpcap reject tests: %d/%d agree with libpcap 1.10 (%d unsupported); %d on link types wirekit does not compile for", agree, total, unsupported, otherLink)
}

// pcapLinkType reads the link type of a classic pcap file from its header;
// ok is false for other files.
func pcapLinkType(path string) (layers.LinkType, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var h [24]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return 0, false
	}
	switch {
	case h[0] == 0xd4 && h[1] == 0xc3 || h[0] == 0x4d && h[1] == 0x3c:
		return layers.LinkType(binary.LittleEndian.Uint16(h[20:])), true
	case h[0] == 0xa1:
		return layers.LinkType(binary.BigEndian.Uint16(h[22:])), true
	}
	return 0, false
}

// normCode is Format's -d text as libpcap-accept.tsv writes code: one
// instruction per " | ", whitespace collapsed.
func normCode(d string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(d), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(lines, " | ")
}

// TestLibpcapAccept runs the accept tests of libpcap's own test suite
// (testdata/libpcap-accept.tsv, made by scripts/filter-accept.sh) for the
// link types wirekit compiles for: what libpcap 1.10 compiles, wirekit
// must compile; what it refuses, wirekit must refuse with its message
// unless wirekit follows libpcap's development branch there (vxlan). It
// reports how many programs are instruction for instruction libpcap 1.10's
// or the development branch's unoptimized code.
func TestLibpcapAccept(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "libpcap-accept.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var total, compiled, same110, sameMaster, withMaster, refused, refusedAgree, masterOnly, otherLink int
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 6 {
			t.Fatalf("bad line %q", l)
		}
		name, dlt, expr, v110, master := f[0], f[1], f[3], f[4], f[5]
		lt, ok := dltByName[dlt]
		if !ok {
			otherLink++
			continue
		}
		snaplen, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatal(err)
		}
		total++
		prog, err := CompileWith(expr, lt, snaplen, &Options{NoOptimize: true})
		msg, refusedBy110 := strings.CutPrefix(v110, "error: ")
		switch {
		case refusedBy110 && err == nil:
			if strings.Contains(expr, "vxlan") {
				masterOnly++
				continue
			}
			t.Errorf("%s: %s %q: libpcap 1.10 says %s, we compile it", name, dlt, expr, msg)
			continue
		case refusedBy110:
			refused++
			var se *SyntaxError
			if errors.As(err, &se) && se.LibpcapMessage() == msg {
				refusedAgree++
			} else {
				t.Errorf("%s: %s %q: libpcap 1.10 says %s, we say %v", name, dlt, expr, msg, err)
			}
			continue
		case err != nil:
			if _, ok := acceptDiffers[name]; ok {
				continue
			}
			t.Errorf("%s: %s %q: libpcap 1.10 compiles it, we say %v", name, dlt, expr, err)
			continue
		}
		compiled++
		d, _ := Format(prog, "d")
		got := normCode(d)
		if got == v110 {
			same110++
		}
		if master != "-" {
			withMaster++
			if got == master {
				sameMaster++
			}
		}
	}
	t.Logf("libpcap accept tests on supported link types: %d expressions; %d compiled as libpcap 1.10 does "+
		"(%d instruction for instruction its unoptimized code, %d of %d the development branch's); "+
		"%d refused by libpcap 1.10 (%d with its message); %d vxlan ones compiled as the development branch does; %d on other link types",
		total, compiled, same110, sameMaster, withMaster, refused, refusedAgree, masterOnly, otherLink)
}
