package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/shard"
	"github.com/wirekit/wirekit/tarx"
)

func newTarExtractCmd(e *env) *cobra.Command {
	var (
		in, outDir, pattern                       string
		outGzip, outZstd, dryrun, overwrite, flat bool
		verbose                                   bool
		sf                                        shardFlags
	)
	c := &cobra.Command{
		Use:     "tar-extract --in-tarball FILE --out-dir DIR [--file-regexp RE] [--out-gzip | --out-zstd] [--dryrun]",
		Aliases: []string{"tarExtract"},
		Short:   "Extract selected files from a (compressed) tarball in one streaming pass",
		Long: `tar-extract reads a tarball once, from start to end, and writes only the
members whose name matches --file-regexp (all regular files without it)
under --out-dir, keeping their relative path and modification time.
Nothing else is unpacked, so a tarball far larger than the free disk
space can be mined for a few captures; "-" reads standard input.

The tarball may be plain or compressed with gzip, zstd, xz or lz4; the
compression is found from its first bytes, not its name. --out-gzip or
--out-zstd compresses each extracted file on the fly on all cores and
appends ".gz" or ".zst" to its name. --flatten puts every file directly
in --out-dir, its folders joined to its name with "-".

Safety: members with an absolute name, a ".." component, a path
through a symbolic link, or a name component over 255 bytes are refused
(exit code 1 at the end); symbolic and hard links, devices and FIFOs are
skipped; an existing file is kept unless --overwrite. Each file is
written under a temporary name and renamed when complete. Refused and
skipped members are named on stderr and extraction goes on with the next
one. --out-dir is created when the first file is written. --out-dir may be
a URL prefix (s3://, gs://, azblob://, file://): each member becomes an
object under it, published when complete and verified; an existing object
is skipped as an existing file is (see docs/tar-extract.md).

Integrity: the whole compressed stream is read and its checks verified
(gzip CRC-32 and length of every member, zstd and lz4 checksums, xz
checks). From a compressed tarball a file gets its final name only once
the check covering it has passed: the end of its gzip member, else the
end of the stream (so with one gzip member, files appear at the end).
If the check fails, the files not yet verified are removed and named on
stderr, and the exit code is 1. If the run stops early otherwise (stream
cut short, interrupted, write error), complete files are kept and their
number given.

--dryrun lists the members that would be extracted (name and size) and
the totals, and writes nothing. Listed names (and -v paths) show control
characters, bytes that are not UTF-8 and other characters that do not
print as \xNN, and a backslash as \\; messages quote names in Go syntax. On a terminal, progress (bytes of the
tarball read, files extracted, rate, time left) is drawn on stderr; a
summary line ends every run. The flag names are GopherCap's, and
'tarExtract' is accepted as the command name.`,
		Example: `  wirekit tar-extract --in-tarball dump.tar.gz --file-regexp 'pcap-2020.+\.pcap' --out-dir pcaps --out-gzip
  wirekit tar-extract --in-tarball dump.tar.zst --file-regexp '\.pcap$' --dryrun
  curl -s https://example.net/set.tar.xz | wirekit tar-extract --in-tarball - --out-dir set`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in == "" {
				return usagef("tar-extract: give the tarball with --in-tarball FILE (or - for stdin)")
			}
			if outDir == "" && !dryrun {
				return usagef("tar-extract: give the output folder with --out-dir DIR, or use --dryrun")
			}
			if outGzip && outZstd {
				return usagef("tar-extract: --out-gzip and --out-zstd cannot be used together")
			}
			opts := &tarx.Options{DryRun: dryrun, Overwrite: overwrite, Flatten: flat}
			if pattern != "" {
				re, err := regexp.Compile(pattern)
				if err != nil {
					return usagef("tar-extract: --file-regexp: %v", err)
				}
				opts.Match = re
			}
			if err := sf.parse("tar-extract"); err != nil {
				return err
			}
			if sf.on {
				// The members are known only as the stream goes by:
				// each shard reads the whole tarball and keeps the
				// members whose name hashes to it.
				s := sf.s
				opts.Keep = func(name string) bool { return shard.ByName(name, s.Count) == s.Index }
				if !dryrun {
					var err error
					if outDir, err = sf.output(cmd.Context(), e, "tar-extract", "--out-dir", outDir, ""); err != nil {
						return err
					}
				}
			}
			switch {
			case outGzip:
				opts.Compress = tarx.Gzip
			case outZstd:
				opts.Compress = tarx.Zstd
			}
			if blobio.IsURL(outDir) && !dryrun {
				o := e.folder("--out-dir", outDir)
				if err := o.check(cmd.Context()); err != nil {
					return fmt.Errorf("tar-extract: %w", err)
				}
				opts.Folder = tarFolder{o}
			}
			return runTarExtract(cmd, e, in, outDir, opts, verbose)
		},
	}
	f := c.Flags()
	f.StringVar(&in, "in-tarball", "", "tarball to read (.tar, .tar.gz, .tgz, .tar.zst, .tar.xz, .tar.lz4; - for stdin)")
	f.StringVar(&outDir, "out-dir", "", "folder to extract into (created if missing), or a URL prefix: each member becomes an object")
	f.StringVar(&pattern, "file-regexp", "", "extract only members whose name in the tarball matches this regular expression (Go syntax)")
	f.BoolVar(&outGzip, "out-gzip", false, "compress extracted files with gzip (parallel, adds .gz)")
	f.BoolVar(&outZstd, "out-zstd", false, "compress extracted files with zstd (adds .zst)")
	f.BoolVar(&dryrun, "dryrun", false, "list what would be extracted and the totals; write nothing")
	f.BoolVar(&overwrite, "overwrite", false, "replace existing files in --out-dir")
	f.BoolVar(&flat, "flatten", false, "write every file directly in --out-dir, folders joined to the name with -")
	f.BoolVarP(&verbose, "verbose", "v", false, "print the path of each extracted file")
	addShardFlags(f, &sf, false)
	return c
}

func runTarExtract(cmd *cobra.Command, e *env, in, outDir string, opts *tarx.Options, verbose bool) error {
	var (
		src   io.Reader = e.stdin
		name            = "standard input"
		total int64     = -1
	)
	if in != "-" {
		fh, err := e.openFile(cmd.Context(), in)
		if err != nil {
			return fmt.Errorf("tar-extract: %w", err)
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
			total = st.Size()
		}
		src, name = fh, in
	}
	cr := &atomicCounter{r: src}
	var done atomic.Int64
	var firstErr error
	opts.OnMember = func(m *tarx.Member) {
		switch m.Action {
		case tarx.Listed:
			fmt.Fprintf(e.stdout, "%s\t%d\n", escapeText(m.Name), m.Size)
		case tarx.Extracted:
			done.Add(1)
			if verbose {
				fmt.Fprintln(e.stdout, escapeText(m.Path))
			}
		case tarx.Skipped:
			hint := ""
			if errors.Is(m.Reason, tarx.ErrExists) {
				hint = " (--overwrite replaces it)"
			}
			fmt.Fprintf(e.stderr, "wirekit: tar-extract: %s: member %q skipped: %v%s\n", name, m.Name, m.Reason, hint)
		case tarx.Refused:
			fmt.Fprintf(e.stderr, "wirekit: tar-extract: %s: member %q refused: %v\n", name, m.Name, m.Reason)
		case tarx.Discarded:
			fmt.Fprintf(e.stderr, "wirekit: tar-extract: %s: member %q not kept: its bytes were not yet verified when the compressed stream was found damaged\n", name, m.Name)
		}
	}
	pr := newTarProgress(e.stderr, cr, &done, total)
	start := time.Now()
	sum, err := tarx.Extract(cmd.Context(), cr, outDir, opts)
	pr.stop()
	el := time.Since(start)
	verb := "extracted"
	if opts.DryRun {
		verb = "to extract"
	}
	fmt.Fprintf(e.stdout, "tar-extract: %d files %s (%s", sum.Extracted, verb, tarHumanSize(sum.Bytes))
	if !opts.DryRun && opts.Compress != tarx.None {
		fmt.Fprintf(e.stdout, ", %s written", tarHumanSize(sum.Written))
	}
	fmt.Fprintf(e.stdout, "), %d skipped, %d refused, ", sum.Skipped, sum.Refused)
	if sum.Discarded > 0 {
		fmt.Fprintf(e.stdout, "%d discarded as damaged, ", sum.Discarded)
	}
	if sum.Unverified > 0 {
		fmt.Fprintf(e.stdout, "%d not verified, ", sum.Unverified)
	}
	fmt.Fprintf(e.stdout, "%d members read, %s of tarball in %s (%s/s)\n",
		sum.Members, tarHumanSize(cr.n.Load()), el.Round(time.Millisecond),
		tarHumanSize(int64(float64(cr.n.Load())/max(el.Seconds(), 1e-9))))
	if err != nil {
		if sum.Unverified > 0 {
			fmt.Fprintf(e.stderr, "wirekit: tar-extract: %s: %d extracted files were kept without their integrity check, which comes later in the stream (complete, and nothing shows them wrong)\n", name, sum.Unverified)
		}
		return fmt.Errorf("tar-extract: %s: %w", name, err)
	}
	if sum.Refused > 0 {
		firstErr = fmt.Errorf("tar-extract: %s: %d members refused (named above)", name, sum.Refused)
	}
	return firstErr
}

// tarFolder gives tar-extract's members to a folderOutput (--out-dir as a
// URL prefix: each member an object published when complete and
// verified).
type tarFolder struct{ o *folderOutput }

// Create starts the object of a member. Its upload is not cancelled by a
// signal: tarx aborts the member in progress and publishes those complete
// (as it keeps them in a local folder). An existing object is refused
// with tarx.ErrExists unless overwrite.
func (t tarFolder) Create(ctx context.Context, name string, overwrite bool) (tarx.FolderFile, error) {
	ctx = context.WithoutCancel(ctx)
	var out pcapio.Output
	var err error
	if overwrite {
		out, err = t.o.createOver(ctx, name)
	} else {
		out, err = t.o.create(ctx, name)
	}
	if errors.Is(err, blobio.ErrExists) {
		return nil, fmt.Errorf("%w: %w", tarx.ErrExists, err)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tarHumanSize formats a byte count with a decimal unit.
func tarHumanSize(n int64) string {
	const units = "kMGTPE"
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n)/1000, 0
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, units[i])
}

// atomicCounter counts the bytes read from the tarball, for progress.
type atomicCounter struct {
	r io.Reader
	n atomic.Int64
}

func (c *atomicCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// tarProgress redraws one progress line on a terminal every 250 ms.
type tarProgress struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

// newTarProgress starts drawing on w if w is a terminal; otherwise it does
// nothing.
func newTarProgress(w io.Writer, cr *atomicCounter, done *atomic.Int64, total int64) *tarProgress {
	p := &tarProgress{quit: make(chan struct{})}
	f, ok := w.(*os.File)
	if !ok {
		return p
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return p
	}
	start := time.Now()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		drawn := false
		for {
			select {
			case <-p.quit:
				if drawn {
					fmt.Fprintln(w)
				}
				return
			case <-t.C:
			}
			n := cr.n.Load()
			el := time.Since(start).Seconds()
			rate := float64(n) / max(el, 1e-9)
			line := fmt.Sprintf("\r%s read", tarHumanSize(n))
			if total > 0 {
				eta := "?"
				if rate > 0 {
					eta = time.Duration(float64(total-n) / rate * float64(time.Second)).Round(time.Second).String()
				}
				line = fmt.Sprintf("\r%s of %s read (%.0f%%)", tarHumanSize(n), tarHumanSize(total), 100*float64(n)/float64(total))
				line += fmt.Sprintf(", %d files, %s/s, ETA %s   ", done.Load(), tarHumanSize(int64(rate)), eta)
			} else {
				line += fmt.Sprintf(", %d files, %s/s   ", done.Load(), tarHumanSize(int64(rate)))
			}
			fmt.Fprint(w, line)
			drawn = true
		}
	}()
	return p
}

func (p *tarProgress) stop() {
	close(p.quit)
	p.wg.Wait()
}
