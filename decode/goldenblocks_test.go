package decode

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
