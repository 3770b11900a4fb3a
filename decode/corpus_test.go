package decode

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// corpusFloor is the lowest acceptable share of plain lines matching
// tcpdump; raise it as the printer improves.
const corpusFloor = 0.98

// plainRE recognises tcpdump lines this package promises to reproduce:
// IPv4/IPv6 TCP, UDP without a dissector, ICMP, ICMPv6 and ARP. Group 1
// names the protocol.
var plainRE = regexp.MustCompile(`^[0-9:.]+ (?:IP6? (?:truncated-ip6? - \d+ bytes missing! ?)?\S+ > \S+: (Flags \[|UDP, length \d+$|ICMP6?[ ,])|(ARP), )`)

var lengthRE = regexp.MustCompile(`, length \d+`)

// supportedLink reports the link types the printer dissects; the corpus
// comparison skips packets of others.
func supportedLink(lt layers.LinkType) bool {
	switch lt {
	case layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, linkTypeSLL2, layers.LinkTypeNull,
		layers.LinkTypeLoop, layers.LinkTypeRaw, linkTypeRawOpenBSD, linkTypeRawBSD,
		linkTypeIPv4, linkTypeIPv6:
		return true
	}
	return false
}

type goldenLine struct {
	idx  int
	line string
}

func readGolden(t *testing.T) (map[string][]goldenLine, []string) {
	f, err := os.Open(filepath.Join("testdata", "tcpdump-golden.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string][]goldenLine{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		n, _ := strconv.Atoi(parts[1])
		if _, ok := m[parts[0]]; !ok {
			order = append(order, parts[0])
		}
		m[parts[0]] = append(m[parts[0]], goldenLine{n, parts[2]})
	}
	return m, order
}

type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	Close() error
}

// openCapture opens a capture with pcapio and returns a per-packet link
// type function (pcapng interfaces may differ).
func openCapture(path string) (packetReader, func(ci gopacket.CaptureInfo) layers.LinkType, error) {
	r, err := pcapio.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return r, func(ci gopacket.CaptureInfo) layers.LinkType {
		if ifs := r.Interfaces(); ci.InterfaceIndex < len(ifs) {
			return ifs[ci.InterfaceIndex].LinkType
		}
		return r.LinkType()
	}, nil
}

// expected cuts tcpdump's line after the transport's "length N".
func expected(line string) string {
	if loc := lengthRE.FindStringIndex(line); loc != nil {
		return line[:loc[1]]
	}
	return line
}

func TestCorpusMatchesTcpdump(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	golden, order := readGolden(t)
	type stat struct{ total, ok int }
	perProto := map[string]*stat{}
	perFile := map[string]*stat{}
	var total, ok int
	var buf bytes.Buffer
	shown := 0
	for _, rel := range order {
		lines := golden[rel]
		want := map[int]string{}
		for _, g := range lines {
			m := plainRE.FindStringSubmatch(g.line)
			if m == nil {
				continue
			}
			want[g.idx] = g.line
		}
		if len(want) == 0 {
			continue
		}
		r, ltOf, err := openCapture(filepath.Join(corpus, rel))
		if err != nil {
			continue
		}
		pr := NewPrinter(&buf, &Options{Location: time.UTC})
		for i := 1; ; i++ {
			data, ci, err := r.ReadPacketData()
			if err != nil {
				if !errors.Is(err, io.EOF) && len(want) > 0 {
					t.Logf("%s: packet %d: %v", rel, i, err)
				}
				break
			}
			lt := ltOf(ci)
			if !supportedLink(lt) {
				continue
			}
			buf.Reset()
			if err := pr.Print(ci, data, lt); err != nil {
				t.Fatal(err)
			}
			pr.Flush()
			w, has := want[i]
			if !has {
				continue
			}
			proto := plainRE.FindStringSubmatch(w)
			name := proto[1] + proto[2]
			name = strings.TrimRight(strings.Fields(name + " x")[0], ",[")
			if name == "Flags" {
				name = "TCP"
			}
			if perProto[name] == nil {
				perProto[name] = &stat{}
			}
			if perFile[rel] == nil {
				perFile[rel] = &stat{}
			}
			// The golden file holds each packet's first line only.
			first, _, _ := strings.Cut(buf.String(), "\n")
			got := expected(first)
			exp := expected(w)
			total++
			perProto[name].total++
			perFile[rel].total++
			if got == exp {
				ok++
				perProto[name].ok++
				perFile[rel].ok++
			} else if shown < 40 {
				shown++
				t.Logf("%s #%d:\n got %s\nwant %s", rel, i, got, exp)
			}
		}
		r.Close()
	}
	if total == 0 {
		t.Fatal("no plain lines compared")
	}
	for name, s := range perProto {
		t.Logf("%-6s %5d/%5d %.1f%%", name, s.ok, s.total, 100*float64(s.ok)/float64(s.total))
	}
	var files []string
	for f, s := range perFile {
		if s.ok < s.total {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := perFile[files[i]], perFile[files[j]]
		return a.total-a.ok > b.total-b.ok
	})
	for _, f := range files[:min(10, len(files))] {
		t.Logf("worst: %s %d/%d", f, perFile[f].ok, perFile[f].total)
	}
	rate := float64(ok) / float64(total)
	t.Logf("plain lines matching tcpdump: %d/%d = %.2f%%", ok, total, 100*rate)
	if rate < corpusFloor {
		t.Errorf("match rate %.2f%% below floor %.0f%%", 100*rate, 100*corpusFloor)
	}
}
