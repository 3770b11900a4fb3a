package decode

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// tcpdumpFlags maps the tcpdump flags used in testdata/tcpdump-opts.txt to
// Options.
func tcpdumpFlags(t *testing.T, flags string) Options {
	o := Options{Location: time.UTC}
	for _, f := range strings.Fields(flags) {
		switch f {
		case "-e":
			o.Link = true
		case "-v":
			o.Verbose = 1
		case "-vv":
			o.Verbose = 2
		case "-S":
			o.AbsoluteSeq = true
		case "-x":
			o.Hex = HexBytes
		case "-xx":
			o.Hex = HexBytesLink
		case "-X":
			o.Hex = HexASCII
		case "-XX":
			o.Hex = HexASCIILink
		case "-A":
			o.Hex = ASCII
		case "-t":
			o.Time = TimeNone
		case "-tt":
			o.Time = TimeEpoch
		case "-ttt":
			o.Time = TimeDelta
		case "-tttt":
			o.Time = TimeDate
		case "-ttttt":
			o.Time = TimeSinceFirst
		case "--nano":
			o.Nano = true
		default:
			t.Fatalf("unknown tcpdump flag %q", f)
		}
	}
	return o
}

// TestOptionsMatchTcpdump compares the whole output, dumps included, for
// each printing option over captures fully within the printer's scope.
func TestOptionsMatchTcpdump(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	blocks := readGoldenBlocks(t, "tcpdump-opts.txt")
	for _, bl := range blocks {
		t.Run(bl.flags+" "+filepath.Base(bl.file), func(t *testing.T) {
			r, ltOf, err := openCapture(filepath.Join(corpus, bl.file))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var out bytes.Buffer
			o := tcpdumpFlags(t, bl.flags)
			p := NewPrinter(&out, &o)
			for range 15 {
				data, ci, err := r.ReadPacketData()
				if err != nil {
					break
				}
				if err := p.Print(ci, data, ltOf(ci)); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			got, want := strings.Split(out.String(), "\n"), append(append([]string(nil), bl.want...), "")
			for i := range max(len(got), len(want)) {
				var g, w string
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Fatalf("tcpdump -n %s -r %s: line %d:\n got %q\nwant %q", bl.flags, bl.file, i+1, g, w)
				}
			}
		})
	}
}
