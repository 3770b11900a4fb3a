package setgen_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/wirekit/wirekit/internal/setgen"
)

// Two workers rotating files every 30 s, the second file of worker 1
// missing: the truth lists the gap it leaves.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "setgen")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tr, err := setgen.Write(setgen.Config{Dir: dir, Workers: 2, Files: 3, FileSpan: 30 * time.Second, Packets: 100,
		Missing: []setgen.Edit{{Worker: 1, File: 1}}})
	if err != nil {
		log.Fatal(err)
	}
	g := tr.Gaps[0]
	fmt.Printf("%d files; gap in worker %d of %s\n", len(tr.Files), g.Worker, g.To.Sub(g.From))
	// Output:
	// 5 files; gap in worker 1 of 30.001s
}
