// Command setgen writes a generated capture set for 'wirekit report' demos
// and measurements: N workers each rotating their own files in one folder,
// with holes and overlaps, synthetic traffic (internal/synth) and HTTP
// transactions of known hosts, paths and statuses (internal/setgen).
//
//	setgen -dir DIR [-workers 4] [-files 6] [-span 1m] [-packets 5000 | -size 64MB] [-http 40] [-holes] [-seed 1]
//
// -holes puts one hole (a file begins 20 s late), one missing file and one
// overlap (a file begins 6 s early) in the set. It prints each file, and
// the gaps and overlaps the set holds.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wirekit/wirekit/internal/setgen"
)

func main() {
	cfg := setgen.Config{}
	var size string
	var holes bool
	flag.StringVar(&cfg.Dir, "dir", "", "directory to write the set into")
	flag.IntVar(&cfg.Workers, "workers", 4, "capture workers (series)")
	flag.IntVar(&cfg.Files, "files", 6, "files per worker")
	flag.DurationVar(&cfg.FileSpan, "span", time.Minute, "time each file covers")
	flag.IntVar(&cfg.Packets, "packets", 5000, "synthetic packets per file")
	flag.StringVar(&size, "size", "", "synthetic bytes per file instead of -packets (for example 64MB)")
	flag.IntVar(&cfg.HTTP, "http", 40, "HTTP transactions per file")
	flag.BoolVar(&holes, "holes", true, "put a hole, a missing file and an overlap in the set")
	flag.Int64Var(&cfg.Seed, "seed", 1, "seed: the same seed gives the same set")
	flag.Parse()
	if cfg.Dir == "" {
		fmt.Fprintln(os.Stderr, "setgen: give the output directory with -dir DIR")
		os.Exit(2)
	}
	if size != "" {
		n, err := parseSize(size)
		if err != nil {
			fmt.Fprintf(os.Stderr, "setgen: -size %q: %v\n", size, err)
			os.Exit(2)
		}
		cfg.Bytes = n
	}
	cfg.Offset = cfg.FileSpan / time.Duration(max(cfg.Workers, 1)) / 3
	if holes && cfg.Files >= 4 {
		cfg.Holes = []setgen.Edit{{Worker: 0, File: 2, By: 20 * time.Second}}
		cfg.Missing = []setgen.Edit{{Worker: cfg.Workers - 1, File: 1}}
		cfg.Overlaps = []setgen.Edit{{Worker: cfg.Workers / 2, File: 3, By: 6 * time.Second}}
	}
	tr, err := setgen.Write(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "setgen: %v\n", err)
		os.Exit(1)
	}
	for _, f := range tr.Files {
		fmt.Printf("%s worker %d file %d %s to %s %d packets\n", f.Path, f.Worker, f.Index, f.Beginning.Format(time.RFC3339Nano), f.End.Format(time.RFC3339Nano), f.Packets)
	}
	for _, g := range tr.Gaps {
		fmt.Printf("gap worker %d %s to %s\n", g.Worker, g.From.Format(time.RFC3339Nano), g.To.Format(time.RFC3339Nano))
	}
	for _, o := range tr.Overlaps {
		fmt.Printf("overlap worker %d %s to %s\n", o.Worker, o.From.Format(time.RFC3339Nano), o.To.Format(time.RFC3339Nano))
	}
}

func parseSize(s string) (int64, error) {
	mul := int64(1)
	u := strings.ToUpper(s)
	for _, x := range []struct {
		suf string
		m   int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(u, x.suf) {
			mul, u = x.m, strings.TrimSuffix(u, x.suf)
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size such as 64MB")
	}
	return n * mul, nil
}
