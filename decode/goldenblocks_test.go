package decode

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// goldenBlock is one block of a golden file written by the scripts in
// scripts/: a line "### FLAGS<TAB>FILE", then tcpdump's output for FILE
// printed with FLAGS, one line each.
type goldenBlock struct {
	flags, file string
	want        []string
}

// readGoldenBlocks reads testdata/name; comment lines (#) outside blocks
// are skipped. It fails the test when the file has no block.
func readGoldenBlocks(t testing.TB, name string) []*goldenBlock {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []*goldenBlock
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			flags, file, _ := strings.Cut(line[4:], "\t")
			blocks = append(blocks, &goldenBlock{flags: flags, file: file})
		case strings.HasPrefix(line, "#"):
		case len(blocks) > 0:
			blocks[len(blocks)-1].want = append(blocks[len(blocks)-1].want, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(blocks) == 0 {
		t.Fatalf("no blocks in %s", name)
	}
	return blocks
}

// checkGeneratedCapture writes n generated packets as a pcap of link type
// lt (pkt gives packet i's captured bytes and wire length; packets are one
// second apart from 1700000000). When the environment variable env is "1"
// (script sets it) it rewrites path; otherwise it fails when path does not
// hold exactly those bytes.
func checkGeneratedCapture(t *testing.T, path string, lt layers.LinkType, env, script string, n int, pkt func(i int) ([]byte, int)) {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, lt); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		data, wire := pkt(i)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0).UTC(), CaptureLength: len(data), Length: wire}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if os.Getenv(env) == "1" {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, buf.Bytes()) {
		t.Errorf("%s is stale: run %s", path, script)
	}
}

// snapped is a generated packet cut to snap bytes (0: whole), and its
// length on the wire.
func snapped(data []byte, snap int) ([]byte, int) {
	if snap > 0 && snap < len(data) {
		return data[:snap], len(data)
	}
	return data, len(data)
}
