package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// tunnelTimeRE is the time of day starting a packet's first line; the CLI
// prints local time, the golden UTC.
var tunnelTimeRE = regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6} `)

// tunnelTimeLineRE finds the first line of each packet in read's output.
var tunnelTimeLineRE = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{6} `)

// TestReadTunnels keeps `wirekit read` printing tunnelled packets as
// tcpdump -n does without --decap (issue 14 item 2, issue 15 item 1): the
// generated tunnel capture, hostile packets included (GRE, VXLAN and Geneve
// headers cut short, bad Geneve option lengths, 20 nested IP-in-IP
// headers), prints every packet, exits 0, and each line equals tcpdump's
// from decode/testdata/tunnel-golden.txt (time of day aside). Before, such
// packets printed as "ip-proto-47" or "UDP, length N".
func TestReadTunnels(t *testing.T) {
	root := testutil.RepoRoot(t)
	f, err := os.Open(filepath.Join(root, "decode", "testdata", "tunnel-golden.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "### ") {
			in = line == "### \ttestdata/tunnels.pcap"
			continue
		}
		if in && !strings.HasPrefix(line, "#") {
			want = append(want, tunnelTimeRE.ReplaceAllString(line, ""))
		}
	}
	if len(want) == 0 {
		t.Fatal("no default block for testdata/tunnels.pcap in tunnel-golden.txt")
	}
	code, stdout, stderr := run(t, nil, "read", "-r", filepath.Join(root, "decode", "testdata", "tunnels.pcap"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(got) != len(want) {
		t.Errorf("%d lines, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if g := tunnelTimeRE.ReplaceAllString(got[i], ""); g != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, g, want[i])
		}
	}
}
