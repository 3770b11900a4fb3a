package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/tables"
)

// saveMap writes the map to a local path or URL through createOutput.
func saveMap(ctx context.Context, e *env, set *dataset.Set, name string) error {
	out, err := e.createOutput(ctx, "--dump-json", name)
	if err != nil {
		return err
	}
	if err := set.Encode(out); err != nil {
		out.Abort()
		return fmt.Errorf("--dump-json %s: %w", name, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("--dump-json %s: %w", name, err)
	}
	return nil
}

func newMapCmd(e *env) *cobra.Command {
	var (
		dirSrc   string
		suffix   string
		reText   string
		workers  int
		dumpJSON string
		parquet  string
		sf       shardFlags
	)
	c := &cobra.Command{
		Use:   "map --dir-src DIR (--dump-json OUT | --parquet OUT) [--file-suffix S] [--file-regexp RE] [--file-workers N] [FILE...]",
		Short: "Map a set of capture files: per-file span, counts and sizes, as JSON",
		Long: `map reads every capture file of a set (record headers only, no decoding) and
writes, as JSON, each file's format, link types, snap length, first and last
timestamp, duration, packets, captured and wire bytes, largest packet,
out-of-order count, average rates and delay from the start of the set. The
flag and field names are GopherCap's, so its users can switch binaries.

DIR is searched recursively; FILE arguments are mapped whatever their names.
A damaged file keeps what was read before the damage, gets an "error" field,
and the set goes on; map then exits 1 after writing the map. The JSON is
written to a temporary file, then renamed ("-" writes it to standard
output, and the summary to stderr). An output that is one of the input
files is refused. On SIGINT or SIGTERM no map is written (exit 130 or 143).

Files read at once are bounded by the limit on open files (ulimit -n),
whatever --file-workers says. An error that is not the file's (out of
file descriptors or memory, permission denied) is never recorded as
damage: map stops with a message and writes no map.

--parquet OUT writes the map as a Parquet table too, one row per file
with the JSON's fields (times as timestamps, durations in nanoseconds;
docs/parquet.md lists the columns), for Spark, Trino or DuckDB. It goes
beside --dump-json (give both to get both), through a temporary file
renamed at the end; an OUT that already exists is refused.

Without --dump-json (and without --parquet) the map goes where GopherCap
puts it, /tmp/mapped-files.json (a note on stderr says so), and replay
without --dump-json or files reads it from there.`,
		Example: `  wirekit map --dir-src /data/pcap --file-suffix pcap --dump-json map.json
  wirekit map --dir-src /data --file-regexp 'eth0-.*\.pcap(\.gz)?$' --file-workers 8 --dump-json map.json
  wirekit map --dump-json map.json a.pcap b.pcapng.zst
  wirekit map --dir-src /data/pcap --dump-json map.json --parquet map.parquet
  wirekit map info capture.pcap`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sf.parse("map"); err != nil {
				return err
			}
			if dumpJSON == "" && parquet == "" {
				if sf.on {
					return usagef("map: --shard needs --dump-json DIR: each shard writes DIR/shard=I/map.json")
				}
				dumpJSON = gopherCapDumpJSON
				fmt.Fprintf(e.stderr, "wirekit: map: no --dump-json given: writing the map to %s, GopherCap's default\n", dumpJSON)
			}
			roots := args
			if dirSrc != "" {
				roots = append([]string{dirSrc}, args...)
			}
			if len(roots) == 0 && sf.inputMap == "" {
				return usagef("map: give a directory with --dir-src DIR or capture files as arguments")
			}
			if len(roots) > 0 && sf.inputMap != "" {
				return usagef("map: give the inputs either with --input-map or with --dir-src and file arguments, not both")
			}
			sel := &dataset.Select{Suffix: suffix}
			if reText != "" {
				re, err := regexp.Compile(reText)
				if err != nil {
					return usagef("map: --file-regexp %q: %v", reText, err)
				}
				sel.Regexp = re
			}
			ctx := cmd.Context()
			remote := blobio.IsURL(dumpJSON) || sf.inputMap != "" || anyURL(roots)
			var paths []string
			cfg := &dataset.Config{Workers: workers}
			if !remote && !sf.on {
				var err error
				if paths, err = dataset.Discover(roots, sel); err != nil {
					return fmt.Errorf("map: %w", err)
				}
			} else {
				files, err := sf.mapInputs(ctx, e)
				if err == nil && files == nil {
					files, err = e.expandInputs(ctx, roots, func(p string) bool {
						return strings.HasSuffix(p, suffix) && (sel.Regexp == nil || sel.Regexp.MatchString(p))
					})
				}
				if err != nil {
					return fmt.Errorf("map: %w", err)
				}
				paths = sf.pick(files)
				cfg.Sizes = map[string]int64{}
				for _, f := range files {
					cfg.Sizes[f.name] = f.size
				}
				cfg.Open = e.openFile
				if sf.on && len(paths) == 0 {
					sf.noFilesNote(e, "map", len(files))
				}
				if dumpJSON, err = sf.output(ctx, e, "map", "--dump-json", dumpJSON, "map.json"); err != nil {
					return err
				}
			}
			if err := checkNotInput("map", "--dump-json", dumpJSON, append(paths, roots...)); err != nil {
				return err
			}
			var table *tableOutput
			if parquet != "" {
				pq, err := sf.tableOutput(ctx, e, "map", "--parquet", parquet)
				if err != nil {
					return err
				}
				if pq == dumpJSON {
					return usagef("map: --dump-json and --parquet are both %s: give two names", pq)
				}
				if table, err = openTable(ctx, e, "map", "--parquet", pq); err != nil {
					return err
				}
				defer table.abort() // after commit, a no-op
			}
			bar := newProgress(e.stderr)
			if bar != nil {
				cfg.Progress = bar.update
			}
			set, err := dataset.Scan(ctx, paths, cfg)
			bar.finish()
			if err != nil {
				if note := interrupted(ctx, "map", "no map written (%s left as it was): a map of part of the set would make replay leave out the rest", dumpJSON); note != nil {
					return note
				}
				return fmt.Errorf("map: %w", err)
			}
			for _, f := range set.Files {
				if f.Error != "" {
					fmt.Fprintf(e.stderr, "wirekit: map: warning: %s: %s (kept %d packets read before it)\n", f.Path, f.Error, f.Packets)
				}
			}
			summary, where := e.stdout, dumpJSON
			switch dumpJSON {
			case "":
				where = parquet
			case "-":
				where = "standard output"
				if err := set.Encode(e.stdout); err != nil {
					return fmt.Errorf("map: %w", err)
				}
				summary = e.stderr // stdout carries the map
			default:
				if remote || sf.on {
					if err := saveMap(ctx, e, set, dumpJSON); err != nil {
						return fmt.Errorf("map: %w", err)
					}
				} else if err := set.Save(dumpJSON); err != nil {
					return fmt.Errorf("map: %w", err)
				}
			}
			if table != nil {
				mw := tables.NewMapWriter(table.bw, tableOptions())
				table.close, table.rows = mw.Close, mw.Rows
				for i := range set.Files {
					if err := mw.Write(&set.Files[i]); err != nil {
						break // Close returns it
					}
				}
				if err := table.commit(); err != nil {
					return fmt.Errorf("map: %w", err)
				}
				if dumpJSON != "" {
					where += " and " + parquet
				}
			}
			fmt.Fprintf(summary, "mapped %d files (%d damaged), %d packets, %s to %s (%s), to %s\n",
				len(set.Files), set.Errors, set.Packets, stamp(set.Beginning), stamp(set.End), set.Duration, where)
			if set.Errors > 0 {
				// The map is written and records the damage; the exit
				// status says that the set is not whole.
				return fmt.Errorf("map: %d of %d files are damaged or not captures (listed above; the map keeps what was read before the damage, with an \"error\" field)", set.Errors, len(set.Files))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&dirSrc, "dir-src", "", "directory to search recursively for capture files")
	f.StringVar(&suffix, "file-suffix", "", "keep only files whose name ends with this (for example pcap or .pcap.gz)")
	f.StringVar(&reText, "file-regexp", "", "keep only files whose path matches this regular expression (Go syntax)")
	f.IntVar(&workers, "file-workers", 4, "files read at once; less than 1 reads all files at once")
	f.StringVar(&dumpJSON, "dump-json", "", "write the map to this JSON file or URL (- for stdout; default /tmp/mapped-files.json, as GopherCap, unless --parquet is given; with --shard a folder: DIR/shard=I/map.json)")
	addShardFlags(f, &sf, true)
	f.StringVar(&parquet, "parquet", "", "also write the map as a Parquet table (one row per file) to this new file or object URL")
	c.AddCommand(newInfoCmd(e))
	return c
}

// newInfoCmd is 'wirekit map info' (also 'wirekit info').
func newInfoCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "info FILE...",
		Short: "Print what map finds in each capture file, capinfos-style",
		Long: `info prints, for each capture file, what 'wirekit map' records: format and
compression, link types, snap length, packets, sizes, first and last
timestamp, duration, rates and out-of-order count. It exits 1 when a file is
damaged or cannot be read, after printing what was read.`,
		Example: `  wirekit info capture.pcap
  wirekit map info a.pcapng.zst b.pcap.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := 0
			for i, p := range args {
				f, err := scanOne(cmd.Context(), e, p)
				var ee *dataset.EnvironmentError
				if errors.As(err, &ee) {
					// Not the file's fault: nothing to show about it.
					fmt.Fprintf(e.stderr, "wirekit: info: %v\n", err)
					failed++
					continue
				}
				if i > 0 {
					fmt.Fprintln(e.stdout)
				}
				writeInfo(e.stdout, f)
				if err != nil {
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("info: %d of %d files are damaged or unreadable (see their Error line, or the message above)", failed, len(args))
			}
			return nil
		},
	}
}

// writeInfo prints one file's map as aligned "Name: value" lines.
func writeInfo(w io.Writer, f dataset.File) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	line := func(k, format string, a ...any) { fmt.Fprintf(tw, "%s:\t"+format+"\n", append([]any{k}, a...)...) }
	line("File name", "%s", f.Path)
	line("File format", "%s (compression: %s)", f.Format, f.Compression)
	line("Link types", "%v", f.LinkTypes)
	line("Snapshot length", "%d", f.Snaplen)
	line("Number of packets", "%d", f.Packets)
	line("File size", "%d bytes", f.FileSize)
	line("Data size", "%d bytes captured, %d bytes on the wire", f.Size, f.WireBytes)
	line("Largest packet", "%d bytes", f.MaxPacketSize)
	line("First packet time", "%s", stamp(f.Beginning))
	line("Last packet time", "%s", stamp(f.End))
	line("Capture duration", "%s", f.Duration)
	line("Average packet rate", "%.2f packets/s", f.PPS)
	line("Average data rate", "%.0f bits/s", f.BitsPerSecond)
	line("Out-of-order packets", "%d", f.OutOfOrder)
	if f.NoTimestamp > 0 {
		line("Packets without time", "%d", f.NoTimestamp)
	}
	if f.Error != "" {
		line("Error", "%s", f.Error)
	}
	tw.Flush()
}

// stamp formats a timestamp to the nanosecond in UTC, "n/a" when zero.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "n/a"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000000000 UTC")
}

// progress draws a one-line progress report on a terminal: files and
// bytes done, rate and ETA, redrawn at most every drawEvery.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

const drawEvery = 100 * time.Millisecond

// newProgress returns nil unless w is a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

func (p *progress) update(pr dataset.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < drawEvery && pr.FilesDone < pr.Files {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(pr.BytesDone) / max(el, 1e-9)
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(pr.Bytes-pr.BytesDone) / rate * float64(time.Second))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%d/%d files, %.1f of %.1f MB, %.0f MB/s, ETA %s   ",
		pr.FilesDone, pr.Files, float64(pr.BytesDone)/1e6, float64(pr.Bytes)/1e6, rate/1e6, eta)
	p.drawn = true
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// scanOne maps one capture, a local path or an object storage URL, as
// dataset.ScanFile does: the error says what ended the scan early.
func scanOne(ctx context.Context, e *env, p string) (dataset.File, error) {
	if !blobio.IsURL(p) {
		return dataset.ScanFile(ctx, p)
	}
	set, err := dataset.Scan(ctx, []string{p}, &dataset.Config{Open: e.openFile})
	if err != nil {
		return dataset.File{Path: p, Error: err.Error()}, err
	}
	f := set.Files[0]
	if f.Error != "" {
		return f, errors.New(f.Error)
	}
	return f, nil
}
