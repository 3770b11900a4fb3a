package decode

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linecmp"
	"github.com/wirekit/wirekit/internal/synth"
)

// The generated-mix test: tcpdump's lines for `wirekit gen --seed S
// --packets genPackets` are in testdata/dnsapp-gen-golden.txt.gz, written
// by scripts/gen-dnsapp-golden.sh.
const (
	genGolden  = "testdata/dnsapp-gen-golden.txt.gz"
	genPackets = 6000
	// genLongLine: longer lines are kept in the golden file as a hash.
	genLongLine = 256
	// genFloor is the share (percent) of lines that must be identical,
	// over the families not in genPending.
	genFloor = 99.9
	// genTotalFloor is the share over every line, pending families
	// included; raise it as they are printed.
	genTotalFloor = 99.9
)

var genSeeds = []int64{1, 7, 42}

// genPending are families of the gen mix whose dissector lives on another
// branch (RESP, port 6379); drop them once it is merged.
var genPending = map[string]bool{}

// genLine is how a line is kept in the golden file: itself, or a hash of
// it and its family when it is long.
func genLine(line string) string {
	if len(line) <= genLongLine {
		return line
	}
	sum := sha256.Sum256([]byte(line))
	return "#sha256 " + hex.EncodeToString(sum[:8]) + " " + linecmp.Family(line)
}

// genPrint prints the generated capture of one seed and returns its lines.
func genPrint(t *testing.T, seed int64) []string {
	t.Helper()
	var out bytes.Buffer
	p := NewPrinter(&out, &Options{Location: time.UTC})
	err := synth.Generate(synth.Config{Seed: seed, Packets: genPackets}, func(ci gopacket.CaptureInfo, data []byte) error {
		return p.Print(ci, data, layers.LinkTypeEthernet)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
}

// readGenGolden returns tcpdump's lines per seed.
func readGenGolden(t *testing.T) map[int64][]string {
	f, err := os.Open(genGolden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]string{}
	seed := int64(-1)
	sc := bufio.NewScanner(z)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### seed "):
			if seed, err = strconv.ParseInt(line[len("### seed "):], 10, 64); err != nil {
				t.Fatalf("%s: %q: %v", genGolden, line, err)
			}
		case strings.HasPrefix(line, "# "):
		case seed >= 0:
			want[seed] = append(want[seed], line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestGenMatchesTcpdump prints the captures `wirekit gen` makes for
// several seeds and compares them line by line with tcpdump -n's output:
// at least genFloor percent identical outside the pending families, and
// genTotalFloor percent in all.
//
// With WIREKIT_GEN_TCPDUMP=DIR (scripts/gen-dnsapp-golden.sh) it writes
// the golden file from DIR/SEED.txt, tcpdump's output for each seed.
func TestGenMatchesTcpdump(t *testing.T) {
	if dir := os.Getenv("WIREKIT_GEN_TCPDUMP"); dir != "" {
		writeGenGolden(t, dir)
		return
	}
	want := readGenGolden(t)
	fam := linecmp.Families{}
	var all, kept linecmp.Tally
	for _, seed := range genSeeds {
		w := want[seed]
		if len(w) == 0 {
			t.Fatalf("%s has no lines for seed %d: run scripts/gen-dnsapp-golden.sh", genGolden, seed)
		}
		got := genPrint(t, seed)
		if len(got) != len(w) {
			t.Errorf("seed %d: %d lines, tcpdump printed %d (internal/synth changed? run scripts/gen-dnsapp-golden.sh)", seed, len(got), len(w))
		}
		shown := 0
		for i, wl := range w {
			g := ""
			if i < len(got) {
				g = genLine(got[i])
			}
			f := linecmp.Family(wl)
			if strings.HasPrefix(wl, "#sha256 ") {
				f = wl[strings.LastIndexByte(wl, ' ')+1:]
			}
			one := []string{wl}
			tl := fam[f]
			if tl == nil {
				tl = &linecmp.Tally{}
				fam[f] = tl
			}
			tl.Add(one, []string{g})
			all.Add(one, []string{g})
			if !genPending[f] {
				kept.Add(one, []string{g})
				if g != wl && shown < 5 {
					shown++
					t.Errorf("seed %d line %d [%s]:\n got %s\nwant %s", seed, i+1, f, g, wl)
				}
			}
		}
	}
	var b strings.Builder
	fam.Write(&b)
	t.Logf("per family:\n%s", b.String())
	t.Logf("identical: %.2f%% of all lines, %.2f%% outside %v", all.Share(), kept.Share(), genPendingNames())
	if kept.Share() < genFloor {
		t.Errorf("%.2f%% of lines identical outside %v, want at least %.1f%%", kept.Share(), genPendingNames(), genFloor)
	}
	if all.Share() < genTotalFloor {
		t.Errorf("%.2f%% of all lines identical, want at least %.1f%%", all.Share(), genTotalFloor)
	}
}

func genPendingNames() []string {
	var s []string
	for f := range genPending {
		s = append(s, f)
	}
	sort.Strings(s)
	return s
}

func writeGenGolden(t *testing.T, dir string) {
	var buf bytes.Buffer
	z, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	fmt.Fprintf(z, "# Generated by scripts/gen-dnsapp-golden.sh; DO NOT EDIT.\n")
	fmt.Fprintf(z, "# Command: wirekit gen -w g.pcap --packets %d --seed SEED; TZ=UTC tcpdump -n -r g.pcap\n", genPackets)
	fmt.Fprintf(z, "# Lines longer than %d bytes are kept as '#sha256 <first 8 bytes of the SHA-256 in hex> <family>'.\n", genLongLine)
	if v, err := os.ReadFile(filepath.Join(dir, "version")); err == nil {
		fmt.Fprintf(z, "# Tool: %s\n", strings.Join(strings.Fields(string(v)), " "))
	}
	for _, seed := range genSeeds {
		text, err := os.ReadFile(filepath.Join(dir, strconv.FormatInt(seed, 10)+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(z, "### seed %d\n", seed)
		for _, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
			fmt.Fprintln(z, genLine(line))
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(genGolden, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
