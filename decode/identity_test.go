package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/linecmp"
	"github.com/wirekit/wirekit/internal/testutil"
)

// Floors for TestCorpusIdentity: raise them as the printer learns
// protocols, never lower them. identityFloor is the share (percent) of
// tcpdump's lines over every packet of the corpus's tcpdump folder that
// the printer reproduces; unsupportedCeiling bounds the UNSUPPORTED lines.
const (
	identityFloor      = 62.4
	unsupportedCeiling = 220
)

// TestCorpusIdentity prints every packet of ../shared/corpus/tcpdump and
// compares each packet's lines with tcpdump's (testdata/corpus-tcpdump.tsv.gz,
// written by scripts/tcpdump-identity.sh -write-golden). It fails when the
// share of identical lines falls below identityFloor, when UNSUPPORTED
// lines exceed unsupportedCeiling, or when a file panics the printer.
func TestCorpusIdentity(t *testing.T) {
	corpus := testutil.CorpusDir(t)
	f, err := os.Open(filepath.Join("testdata", "corpus-tcpdump.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := linecmp.ReadGolden(f, f.Name())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	files := make([]string, 0, len(want))
	for rel := range want {
		files = append(files, rel)
	}
	sort.Strings(files)
	var all linecmp.Tally
	fam := linecmp.Families{}
	unsupported := 0
	var out bytes.Buffer
	for _, rel := range files {
		out.Reset()
		printCapture(t, filepath.Join(corpus, rel), &out)
		got := linecmp.SplitPackets(out.Bytes())
		for i, wp := range want[rel] {
			if len(wp) == 0 {
				continue
			}
			var gp []string
			if i < len(got) {
				gp = got[i]
			}
			all.Add(wp, gp)
			fam.Add(wp, gp)
		}
		unsupported += strings.Count(out.String(), "UNSUPPORTED")
	}
	var tab bytes.Buffer
	fam.Write(&tab)
	t.Logf("per family:\n%s", tab.String())
	t.Logf("lines identical to tcpdump -n: %d of %d (%.1f%%); packets identical: %d of %d; UNSUPPORTED lines: %d",
		all.Same, all.Lines, all.Share(), all.PacketsSame, all.Packets, unsupported)
	if all.Share() < identityFloor {
		t.Errorf("identity %.1f%% is below the floor %.1f%%", all.Share(), identityFloor)
	}
	if unsupported > unsupportedCeiling {
		t.Errorf("%d UNSUPPORTED lines, more than the ceiling %d", unsupported, unsupportedCeiling)
	}
}

// printCapture prints every packet of path as `wirekit read` does (UTC),
// stopping at the first read error, as tcpdump does.
func printCapture(t *testing.T, path string, w *bytes.Buffer) {
	t.Helper()
	r, ltOf, err := openCapture(path)
	if err != nil {
		return
	}
	defer r.Close()
	pr := NewPrinter(w, &Options{Location: time.UTC})
	defer func() {
		if v := recover(); v != nil {
			t.Errorf("%s: printer panicked: %v", path, v)
		}
	}()
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		if err := pr.Print(ci, data, ltOf(ci)); err != nil {
			t.Fatal(err)
		}
	}
	pr.Flush()
}
