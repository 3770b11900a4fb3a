package cli

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/internal/memprep"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/report"
)

func newReportCmd(e *env) *cobra.Command {
	var (
		files   []string
		mapPath string
		out     string
		title   string
		suffix  string
		reText  string
		points  int
		top     int
		minGap  time.Duration
		workers int
	)
	c := &cobra.Command{
		Use:   "report (-r FILE... | --dump-json MAP | DIR...) -o report.html",
		Short: "Write one self-contained HTML page that shows a capture or a whole set at a glance",
		Long: `report reads a capture, or a whole set of them, and writes one HTML page
that opens offline in any browser (everything inlined, nothing fetched):

  - the set's timeline: one lane per file, grouped into the sequential
    series the files form (found from their time spans, not their names),
    gaps and overlaps marked, each file's name, span, packets and size on
    hover;
  - traffic over time: packets/s and bits/s stacked by protocol, with zoom
    on the time axis (drag; double-click to reset);
  - the protocol hierarchy, as 'tshark -z io,phs';
  - top talkers and conversations (as 'wirekit flows');
  - TCP health over time: retransmissions and out-of-order segments (as
    'wirekit streams'), resets, zero windows;
  - HTTP, when there is some: transactions over time by status class,
    latency percentiles per host and path template (/users/{id}), as
    'wirekit http' finds them.

Inputs: -r FILE (repeat it), directories searched recursively (as 'wirekit
map --dir-src'), or --dump-json MAP, a map written by 'wirekit map', whose
files are then read without mapping them again. Files are first mapped
(record headers only), then their packets read once in global timestamp
order, each file open only while the reading is inside its span, so memory
stays bounded however big the set is. A damaged file keeps what was read
before the damage, is named on the page and on stderr, and report exits 1
after writing the page. The page is written to a temporary file and renamed
when complete.`,
		Example: `  wirekit report -r capture.pcap -o report.html
  wirekit report /data/pcap -o set.html --file-suffix pcap.gz
  wirekit map --dir-src /data/pcap --dump-json map.json && wirekit report --dump-json map.json -o set.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if out == "" {
				return usagef("report: give the page to write with -o FILE (for example -o report.html)")
			}
			n := 0
			for _, given := range []bool{len(files) > 0, mapPath != "", len(args) > 0} {
				if given {
					n++
				}
			}
			switch {
			case n == 0:
				return usagef("report: no input: give capture files with -r FILE, directories as arguments, or a map with --dump-json MAP")
			case n > 1:
				return usagef("report: give one kind of input: -r FILE..., DIR..., or --dump-json MAP")
			}
			_ = memprep.ForLargeHeap() // reassembly and per-host tables: a large heap
			if points < 10 || points > 5000 {
				return usagef("report: --points %d: must be between 10 and 5000", points)
			}
			if top < 1 {
				return usagef("report: --top %d: must be 1 or more", top)
			}
			var set *dataset.Set
			var inputs []string
			if mapPath != "" {
				s, err := e.loadMap(ctx, mapPath)
				if err != nil {
					return fmt.Errorf("report: --dump-json %s: %w (write one with 'wirekit map')", mapPath, err)
				}
				if len(s.Files) == 0 {
					return fmt.Errorf("report: --dump-json %s: the map lists no file", mapPath)
				}
				set = s
				for _, f := range s.Files {
					inputs = append(inputs, f.Path)
				}
				inputs = append(inputs, mapPath)
			} else {
				paths := files
				if len(args) > 0 {
					sel := &dataset.Select{Suffix: suffix}
					if reText != "" {
						re, err := regexp.Compile(reText)
						if err != nil {
							return usagef("report: --file-regexp %q: %v", reText, err)
						}
						sel.Regexp = re
					}
					var err error
					paths, err = discoverInputs(ctx, e, args, sel)
					if err != nil {
						return fmt.Errorf("report: %w", err)
					}
					if len(paths) == 0 {
						return fmt.Errorf("report: no capture file found under %v", args)
					}
				}
				for _, p := range paths {
					if p == "-" {
						return usagef("report: -r -: standard input cannot be read (the report maps its files first); write it to a file")
					}
				}
				inputs = paths
				if err := checkNotInput("report", "-o", out, append(paths, args...)); err != nil {
					return err
				}
				dcfg := &dataset.Config{Workers: workers, Open: e.urlOpener(paths)}
				bar := newProgress(e.stderr)
				if bar != nil {
					dcfg.Progress = bar.update
				}
				s, err := dataset.Scan(ctx, paths, dcfg)
				bar.finish()
				if err != nil {
					if note := interrupted(ctx, "report", "no page written (%s left as it was)", out); note != nil {
						return note
					}
					return fmt.Errorf("report: %w", err)
				}
				set = s
			}
			if err := checkNotInput("report", "-o", out, inputs); err != nil {
				return err
			}
			cfg := &report.Config{Title: title, Points: points, Top: top, Open: func(p string) (*pcapio.Reader, error) { return e.openCapture(ctx, p) }}
			if minGap > 0 {
				cfg.Timeline = &report.TimelineConfig{MinGap: minGap}
			}
			if newProgress(e.stderr) != nil {
				var last time.Time
				cfg.Progress = func(n int64) {
					if now := time.Now(); now.Sub(last) >= drawEvery {
						last = now
						fmt.Fprintf(e.stderr, "\r%d of %d packets read   ", n, set.Packets)
					}
				}
			}
			r, err := report.Build(ctx, set, cfg)
			if cfg.Progress != nil {
				fmt.Fprintln(e.stderr)
			}
			if err != nil {
				if note := interrupted(ctx, "report", "no page written (%s left as it was)", out); note != nil {
					return note
				}
				return err
			}
			// A file the map found damaged fails the same way when read:
			// it is named once.
			var damaged []string
			for _, f := range set.Files {
				if f.Error != "" {
					damaged = append(damaged, f.Path)
					msg := f.Error
					if !strings.Contains(msg, f.Path) {
						msg = f.Path + ": " + msg
					}
					fmt.Fprintf(e.stderr, "wirekit: report: warning: %s (kept %d packets read before it)\n", msg, f.Packets)
				}
			}
		errors:
			for _, m := range r.Errors {
				for _, p := range damaged {
					if strings.Contains(m, p) {
						continue errors
					}
				}
				fmt.Fprintf(e.stderr, "wirekit: report: warning: %s\n", m)
			}
			w, err := e.createOutput(ctx, "-o", out)
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			defer w.Abort()
			cw := &countingWriter{w: w}
			if err := r.WriteHTML(cw); err != nil {
				return fmt.Errorf("report: -o %s: %w", out, err)
			}
			if err := w.Close(); err != nil {
				return fmt.Errorf("report: -o %s: %w", out, err)
			}
			size := cw.n
			gaps, overlaps := 0, 0
			for _, s := range r.Timeline.Series {
				gaps += len(s.Gaps)
				overlaps += len(s.Overlaps)
			}
			http := int64(0)
			if r.HTTP != nil {
				http = r.HTTP.Transactions
			}
			fmt.Fprintf(e.stdout, "report of %d files (%d series, %d gaps, %d overlaps), %d packets, %d conversations, %d HTTP transactions, to %s (%d bytes)\n",
				len(set.Files), len(r.Timeline.Series), gaps, overlaps, r.Packets, r.Flows, http, out, size)
			if set.Errors > 0 || len(r.Errors) > 0 {
				return fmt.Errorf("report: %d files are damaged or unreadable (named above; the page shows what was read before the damage)", max(set.Errors, len(r.Errors)))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&files, "read", "r", nil, "capture file to read (repeat for a set)")
	f.StringVar(&mapPath, "dump-json", "", "read the set a map from 'wirekit map' lists")
	f.StringVarP(&out, "output", "o", "", "write the HTML page to this file")
	f.StringVar(&title, "title", "", "the page's title (default \"wirekit report\")")
	f.StringVar(&suffix, "file-suffix", "", "with DIR: keep only files whose name ends with this")
	f.StringVar(&reText, "file-regexp", "", "with DIR: keep only files whose path matches this regular expression")
	f.IntVar(&points, "points", report.DefaultPoints, "time steps of the charts over time (10 to 5000)")
	f.IntVar(&top, "top", report.DefaultTop, "talkers and conversations listed")
	f.DurationVar(&minGap, "min-gap", 0, "shortest time between files of a series shown as a gap (default 1s, or 10x the median time between packets)")
	f.IntVar(&workers, "file-workers", 4, "files mapped at once")
	return c
}

// discoverInputs finds the capture files under roots, local folders as
// dataset.Discover does, URL prefixes listed in object storage.
// A nil sel keeps every file.
func discoverInputs(ctx context.Context, e *env, roots []string, sel *dataset.Select) ([]string, error) {
	if !anyURL(roots) {
		return dataset.Discover(roots, sel)
	}
	var keep func(string) bool
	if sel != nil {
		keep = func(p string) bool {
			return (sel.Suffix == "" || strings.HasSuffix(blobio.Base(p), sel.Suffix)) && (sel.Regexp == nil || sel.Regexp.MatchString(p))
		}
	}
	files, err := e.expandInputs(ctx, roots, keep)
	if err != nil {
		return nil, err
	}
	return inputNames(files), nil
}

// inputNames are the names of files.
func inputNames(files []inputFile) []string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.name
	}
	return names
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
