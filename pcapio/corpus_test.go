package pcapio_test

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// golden is one row of testdata/corpus_counts.tsv.
type golden struct {
	tcpdump  int
	capinfos int // -1 when capinfos could not read the file
	tdErr    string
}

func loadGolden(t *testing.T) map[string]golden {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus_counts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]golden{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 4 {
			t.Fatalf("corpus_counts.tsv:%d: %d columns, want 4", line, len(col))
		}
		g := golden{capinfos: -1}
		g.tcpdump, _ = strconv.Atoi(col[1])
		if n, err := strconv.Atoi(col[2]); err == nil {
			g.capinfos = n
		}
		if col[3] != "ok" {
			g.tdErr = strings.TrimPrefix(col[3], "error ")
		}
		m[col[0]] = g
	}
	return m
}

// readAll counts the packets of a file and returns the error that ended it
// (nil at a clean end).
func readAll(path string) (int, error) {
	r, err := pcapio.Open(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		data, ci, err := r.ZeroCopyReadPacketData()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if ci.CaptureLength != len(data) {
			return n, errors.New("CaptureLength differs from len(data)")
		}
		n++
	}
}

// TestCorpus reads every capture of the shared corpus: no panic, and the
// packet counts of libpcap (tcpdump) — or, where libpcap refuses a valid
// pcapng feature (interfaces with different link types or snap lengths),
// of capinfos.
func TestCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t)
	want := loadGolden(t)
	agree, viaCapinfos, checked := 0, 0, 0
	for rel, g := range want {
		n, err := readAll(filepath.Join(dir, rel))
		checked++
		var fe *pcapio.FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Errorf("%s: error is not a *FormatError: %v", rel, err)
		}
		switch {
		case g.tdErr == "" && err == nil && n == g.tcpdump:
			agree++
		case g.tdErr != "" && err != nil && n == g.tcpdump:
			agree++ // both stop on damage after the same packets
		case g.tdErr != "" && err == nil && n == g.capinfos && libpcapLimit(g.tdErr):
			viaCapinfos++
		default:
			t.Errorf("%s: read %d packets, err %v; tcpdump read %d (error %q), capinfos %d", rel, n, err, g.tcpdump, g.tdErr, g.capinfos)
		}
	}
	t.Logf("%d corpus files: %d agree with tcpdump, %d with capinfos where libpcap 1.10 refuses a valid pcapng", checked, agree, viaCapinfos)
}

// libpcapLimit reports tcpdump errors that come from libpcap 1.10 not
// supporting valid pcapng files (all interfaces must share link type and
// snap length), where capinfos is the oracle instead.
func libpcapLimit(msg string) bool {
	return strings.Contains(msg, "different from the") || strings.Contains(msg, "no Interface Description Blocks")
}

// TestCorpusFilesListed makes sure the golden table covers the corpus.
func TestCorpusFilesListed(t *testing.T) {
	dir := testutil.CorpusDir(t)
	want := loadGolden(t)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(d.Name(), ".pcap") && !strings.HasSuffix(d.Name(), ".cap") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if _, ok := want[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s is not in testdata/corpus_counts.tsv: rerun scripts/gen-corpus-golden.sh", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
