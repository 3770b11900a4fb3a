package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/decap"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/rules"
)

// batchFlags are the flags of "filter --yaml", GopherCap's filter command.
type batchFlags struct {
	yaml, input, output, suffix, dumpJSON, compress, maxmind string
	workers, decapDepth                                      int
	decap, dedup                                             bool
	sf                                                       shardFlags
}

// captureName is what "filter --yaml" takes from a directory when no
// --suffix is given: the usual capture extensions, compressed or not.
var captureName = regexp.MustCompile(`(?i)\.(pcap|pcapng|cap)(\.(gz|zst|xz|lz4))?$`)

// addBatchFlags gives the filter command GopherCap's batch flags and a RunE
// that runs the batch when --yaml is given and prints help otherwise.
func addBatchFlags(c *cobra.Command, e *env) {
	var f batchFlags
	fl := c.Flags()
	fl.StringVar(&f.yaml, "yaml", "", "batch: filter file (GopherCap's YAML: NAME: {conditions: [{kind, negate, match: [...]}]})")
	fl.StringVar(&f.input, "input", "", "batch: folder of capture files, searched recursively, or a URL prefix (s3://, gs://, azblob://, file://) listed recursively")
	fl.StringVar(&f.output, "output", "", "batch: output folder or URL prefix; each filter writes OUTPUT/NAME/<input name> (in object storage, existing objects are refused before any work)")
	fl.IntVar(&f.workers, "workers", 4, "batch: capture files filtered at once (1 to 1024)")
	fl.BoolVar(&f.decap, "decap", false, "batch: strip GRE, ERSPAN, VXLAN, GENEVE and IP-in-IP; conditions see and outputs get the inner frame")
	fl.IntVar(&f.decapDepth, "decap-depth", -1, fmt.Sprintf("batch: most tunnels stripped from a packet, 1 to %d; -1 or 0: all", decap.MaxDepth))
	fl.BoolVar(&f.dedup, "dedup", false, "batch: drop packets identical to one seen in the last 4 to 6 seconds (mirror-port copies)")
	fl.StringVar(&f.compress, "compress", "", "batch: compress outputs: gz (the default of a bare --compress, as GopherCap), zst, xz or lz4")
	fl.Lookup("compress").NoOptDefVal = "gz"
	fl.StringVar(&f.maxmind, "maxmind-asn", "", "batch: MaxMind ASN database (GeoLite2-ASN layout) for asn conditions")
	fl.StringVar(&f.suffix, "suffix", "", "batch: take the files of --input whose names end with this (default: .pcap, .pcapng, .cap, compressed or not)")
	fl.StringVar(&f.dumpJSON, "dump-json", "", "batch: take the files listed in this map (a path or URL, written by 'wirekit map') instead of --input")
	addShardFlags(fl, &f.sf, false)
	c.Long += `

With --yaml, filter runs GopherCap's batch filtering: every capture file of
--input (or of --dump-json, or given as arguments) goes through every named
filter of the YAML file, and each filter's packets go to
OUTPUT/NAME/<input name>, pcap or pcapng as the input. See
docs/gophercap-filter.md.`
	c.Args = cobra.ArbitraryArgs
	c.Use = "filter --yaml FILTERS --output DIR (--input DIR | --dump-json MAP | FILE...)"
	c.Example = `  wirekit filter --yaml filters.yml --input /data/pcap --output /data/out --workers 4 --decap --dedup --compress
  wirekit filter compile tcp dst port 21`
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if f.yaml == "" {
			if cmd.Flags().NFlag() > 0 || len(args) > 0 {
				return usagef("filter: --yaml FILTERS is needed to filter files (or use 'filter compile' or 'filter match')")
			}
			return cmd.Help()
		}
		return runBatch(cmd.Context(), e, &f, args)
	}
}

// batchJob is one input file and where each filter's packets go.
type batchJob struct {
	in      string
	size    int64
	outs    []string // per rule: the output's name in --output (NAME/stem), without .pcap/.pcapng
	compExt string   // the compression suffix, or ""
}

// ruleTotals sums one filter's results over the files.
type ruleTotals struct {
	files, in, out, bytes atomic.Int64
}

func runBatch(ctx context.Context, e *env, f *batchFlags, args []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if f.output == "" {
		return usagef("filter: --output DIR is needed: each filter writes its files to DIR/NAME")
	}
	if f.workers < 1 || f.workers > 1024 {
		return usagef("filter: --workers %d: use 1 to 1024", f.workers)
	}
	if f.decapDepth < -1 || f.decapDepth > decap.MaxDepth {
		return usagef("filter: --decap-depth %d: use 1 to %d, or -1 or 0 for all", f.decapDepth, decap.MaxDepth)
	}
	var compExt string
	switch strings.TrimPrefix(strings.ToLower(f.compress), ".") {
	case "", "false": // GopherCap's compress is a bool: its config files say false
	case "gz", "gzip", "true":
		compExt = ".gz"
	case "zst", "zstd":
		compExt = ".zst"
	case "xz":
		compExt = ".xz"
	case "lz4":
		compExt = ".lz4"
	default:
		return usagef("filter: --compress %q: use gz, zst, xz or lz4 (or GopherCap's true and false)", f.compress)
	}
	if f.dumpJSON != "" && (f.input != "" || len(args) > 0) {
		return usagef("filter: give the inputs either with --dump-json or with --input and file arguments, not both")
	}
	if f.dumpJSON == "" && f.input == "" && len(args) == 0 {
		return usagef("filter: no inputs: give --input DIR, --dump-json MAP or capture files")
	}
	data, err := e.readAll(f.yaml)
	if err != nil {
		return usagef("filter: --yaml: %w", err)
	}
	rs, err := rules.Parse(data)
	if err != nil {
		return usagef("filter: --yaml %s: %w", f.yaml, err)
	}
	var ropts rules.Options
	if f.maxmind != "" {
		db, err := rules.OpenASN(f.maxmind)
		if err != nil {
			return usagef("filter: --maxmind-asn: %w", err)
		}
		defer db.Close()
		ropts.ASN = db
	}
	ms := make([]*rules.Matcher, len(rs))
	for i, r := range rs {
		if ms[i], err = rules.Compile(r, &ropts); err != nil {
			return usagef("filter: --yaml %s: %w", f.yaml, err)
		}
	}
	if err := f.sf.parse("filter"); err != nil {
		return err
	}
	list, err := batchInputs(ctx, e, f, args)
	if err != nil {
		return fmt.Errorf("filter: %w", err)
	}
	inputs := f.sf.pick(list) // all of them when not sharded
	if f.sf.on {
		if len(inputs) == 0 {
			f.sf.noFilesNote(e, "filter", len(list))
			return nil
		}
		if f.output, err = f.sf.output(ctx, e, "filter", "--output", f.output, ""); err != nil {
			return err
		}
	}
	sizes := make(map[string]int64, len(list))
	for _, in := range list {
		sizes[in.name] = in.size
	}
	outDir := e.folder("--output", f.output)
	jobs, err := planBatch(outDir.path, compExt, rs, inputs, sizes)
	if err != nil {
		return err
	}
	if outDir.isURL() {
		// Objects are never replaced: refuse before any work, naming
		// them, rather than fail file by file.
		var names []string
		for _, j := range jobs {
			for _, o := range j.outs {
				names = append(names, o+".pcap"+compExt, o+".pcapng"+compExt)
			}
		}
		have, err := outDir.existing(ctx, names)
		if err != nil {
			return fmt.Errorf("filter: %w", err)
		}
		if len(have) > 0 {
			return fmt.Errorf("filter: --output %s: %d outputs already exist (%s): %w: objects are never replaced; remove them or write to another prefix", f.output, len(have), strings.Join(have[:min(len(have), 3)], ", "), blobio.ErrExists)
		}
	} else {
		for _, r := range rs {
			if err := os.MkdirAll(filepath.Join(f.output, r.Name), 0o755); err != nil {
				return fmt.Errorf("filter: --output: %w", err)
			}
		}
	}

	totals := make([]ruleTotals, len(rs))
	var (
		mu       sync.Mutex
		failures []string
		dups     atomic.Int64
		tunnels  atomic.Int64
		done     atomic.Int64
		doneB    atomic.Int64
		allBytes int64
	)
	for _, j := range jobs {
		allBytes += j.size
	}
	prog := newProgress(e.stderr)
	work := make(chan *batchJob)
	var wg sync.WaitGroup
	for range min(f.workers, len(jobs)) {
		wg.Go(func() {
			w := &batchWorker{e: e, out: outDir, ms: ms, totals: totals, inner: innerFlags{decap: f.decap, depth: f.decapDepth, dedup: f.dedup}}
			for j := range work {
				err := w.run(ctx, j)
				dups.Add(w.dups)
				tunnels.Add(w.tunnels)
				if err != nil && ctx.Err() == nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
				}
				n := done.Add(1)
				b := doneB.Add(j.size)
				if prog != nil {
					prog.update(dataset.Progress{Files: len(jobs), FilesDone: int(n), Bytes: allBytes, BytesDone: b})
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	prog.finish()

	for i, r := range rs {
		t := &totals[i]
		fmt.Fprintf(e.stdout, "%s: %d files, %d of %d packets, %d bytes written to %s\n",
			r.Name, t.files.Load(), t.out.Load(), t.in.Load(), t.bytes.Load(), outDir.path(r.Name))
	}
	if f.decap {
		fmt.Fprintf(e.stdout, "decap: %d packets were tunnelled\n", tunnels.Load())
	}
	if f.dedup {
		fmt.Fprintf(e.stdout, "dedup: %d duplicate packets dropped\n", dups.Load())
	}
	if err := interrupted(ctx, "filter", "%d of %d files done; the outputs of the files being read hold the packets read so far, as valid captures", done.Load(), len(jobs)); err != nil {
		return err
	}
	if len(failures) > 0 {
		for _, s := range failures {
			fmt.Fprintln(e.stderr, "filter:", s)
		}
		return fmt.Errorf("filter: %d of %d files failed (listed above); the packets read from them before the fault were written", len(failures), len(jobs))
	}
	return nil
}

// batchInputs lists the capture files to filter, with their sizes (for
// --shard and progress): from the map of --dump-json (a path or URL), or
// from --input and the arguments, each a file or a folder (a local one
// searched recursively, or an object storage URL prefix listed, as map and
// read take them).
func batchInputs(ctx context.Context, e *env, f *batchFlags, args []string) ([]inputFile, error) {
	if f.dumpJSON != "" {
		set, err := e.loadMap(ctx, f.dumpJSON)
		if err != nil {
			return nil, fmt.Errorf("--dump-json: %w", err)
		}
		if len(set.Files) == 0 {
			return nil, fmt.Errorf("--dump-json %s: the map lists no files: %w", f.dumpJSON, dataset.ErrNoFiles)
		}
		out := make([]inputFile, len(set.Files))
		for i, fl := range set.Files {
			out[i] = inputFile{fl.Path, fl.FileSize}
		}
		return out, nil
	}
	roots := args
	if f.input != "" {
		roots = append([]string{f.input}, args...)
	}
	sel := &dataset.Select{Suffix: f.suffix}
	if f.suffix == "" {
		sel.Regexp = captureName
	}
	keep := func(name string) bool {
		return strings.HasSuffix(name, sel.Suffix) && (sel.Regexp == nil || sel.Regexp.MatchString(name))
	}
	var local, urls []string
	for _, root := range roots {
		if blobio.IsURL(root) {
			urls = append(urls, root)
		} else {
			local = append(local, root)
		}
	}
	var out []inputFile
	if len(local) > 0 {
		paths, err := dataset.Discover(local, sel)
		if err != nil && !(errors.Is(err, dataset.ErrNoFiles) && len(urls) > 0) {
			return nil, err
		}
		for _, p := range paths {
			var size int64
			if st, err := os.Stat(p); err == nil {
				size = st.Size()
			}
			out = append(out, inputFile{p, size})
		}
	}
	if len(urls) > 0 {
		// Each prefix must hold a capture file: expandInputs says which
		// does not.
		files, err := e.expandInputs(ctx, urls, keep)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	// An output folder inside an input folder holds the outputs of an
	// earlier run: they are not inputs.
	if f.input != "" {
		keep := out[:0]
		for _, in := range out {
			if !inside(in.name, f.output) {
				keep = append(keep, in)
			}
		}
		out = keep
		if len(out) == 0 {
			return nil, fmt.Errorf("--input %s: no capture files outside --output %s: %w", f.input, f.output, dataset.ErrNoFiles)
		}
	}
	return out, nil
}

// inside reports whether the file (path or URL) is in the folder dir.
func inside(file, dir string) bool {
	if blobio.IsURL(file) != blobio.IsURL(dir) {
		return false
	}
	if blobio.IsURL(dir) {
		d := strings.TrimSuffix(urlKey(dir), "/") + "/"
		return strings.HasPrefix(urlKey(file), d)
	}
	outAbs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	a, err := filepath.Abs(file)
	return err == nil && strings.HasPrefix(a, outAbs+string(filepath.Separator))
}

// outputName is the name of an input's output: the input's base name
// without its compression suffix, with .pcap or .pcapng for the format.
func outputName(in string, pcapng bool, compExt string) string {
	base := blobio.Base(in)
	if b, _, err := pcapio.SplitCompression(base); err == nil {
		base = b
	}
	lower := strings.ToLower(base)
	for _, ext := range []string{".pcapng", ".pcap", ".cap"} {
		if strings.HasSuffix(lower, ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	if pcapng {
		return base + ".pcapng" + compExt
	}
	return base + ".pcap" + compExt
}

// planBatch names every output (pathOf turns an output's name into its
// path or URL) and refuses two inputs that would write the same output, or
// an output that is an input.
func planBatch(pathOf func(string) string, compExt string, rs []rules.Rule, inputs []string, sizes map[string]int64) ([]*batchJob, error) {
	jobs := make([]*batchJob, 0, len(inputs))
	owner := make(map[string]string)
	for _, in := range inputs {
		j := &batchJob{in: in, compExt: compExt, size: sizes[in]}
		// The format is known when the file is opened: run adds the
		// extension.
		base := outputName(in, false, "")
		if prev, ok := owner[base]; ok {
			return nil, usagef("filter: inputs %s and %s would both write %s in each filter's folder: rename one, or filter them in two runs", prev, in, base)
		}
		owner[base] = in
		for _, r := range rs {
			out := r.Name + "/" + strings.TrimSuffix(base, ".pcap")
			if err := checkNotInput("filter", "--output", pathOf(out+".pcap"+compExt), inputs); err != nil {
				return nil, err
			}
			if err := checkNotInput("filter", "--output", pathOf(out+".pcapng"+compExt), inputs); err != nil {
				return nil, err
			}
			j.outs = append(j.outs, out)
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// batchWorker filters files one at a time. Tunnels and duplicates are
// handled by the same stage as read's --decap and --dedup, made anew for
// each file (duplicates are looked for within a file, as GopherCap does).
type batchWorker struct {
	e      *env
	out    *folderOutput // --output
	ms     []*rules.Matcher
	totals []ruleTotals
	inner  innerFlags

	dups, tunnels int64 // of the last file
}

// batchOut is one filter's output for the file being read.
type batchOut struct {
	w      *pcapio.FileWriter
	path   string
	ifaces map[ifaceKey]int
	err    error
	n      int64
	bytes  int64
}

type ifaceKey struct {
	idx int
	lt  layers.LinkType
}

// run filters one file into every filter's output. Outputs are closed as
// valid captures of what was read whatever happens: on a damaged input, a
// failed output, or an interruption.
func (w *batchWorker) run(ctx context.Context, j *batchJob) (err error) {
	w.dups, w.tunnels = 0, 0
	r, err := w.e.openCapture(ctx, j.in)
	if err != nil {
		return fmt.Errorf("%w (file skipped)", err) // the error names the file
	}
	defer r.Close()
	ifaces := r.Interfaces()
	first := pcapio.Interface{LinkType: r.LinkType()}
	if len(ifaces) > 0 {
		first = ifaces[0]
	}
	pcapng := r.Format() == pcapio.FormatPcapNG || (w.inner.decap && first.LinkType != layers.LinkTypeEthernet)
	opts := &pcapio.WriteOptions{Nanosecond: first.Resolution == time.Nanosecond}
	outs := make([]*batchOut, len(w.ms))
	defer func() {
		for i, o := range outs {
			if o == nil {
				continue
			}
			// Interrupted too: a local file or an object is kept
			// as a valid capture of what was read.
			if cerr := o.w.Close(); cerr != nil && o.err == nil {
				o.err = cerr
			}
			if o.err != nil && err == nil {
				err = fmt.Errorf("%s: output %s: %w", j.in, o.path, o.err)
			}
			t := &w.totals[i]
			t.files.Add(1)
			t.out.Add(o.n)
			t.bytes.Add(o.bytes)
		}
	}()
	for i, stem := range j.outs {
		name := stem + ".pcap" + j.compExt
		if pcapng {
			name = stem + ".pcapng" + j.compExt
		}
		path := w.out.path(name)
		out, err := w.out.create(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", j.in, err)
		}
		fw, err := pcapio.CreateOutput(out, nameOf(path), []pcapio.Interface{first}, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", j.in, err)
		}
		outs[i] = &batchOut{w: fw, path: path, ifaces: map[ifaceKey]int{{0, first.LinkType}: 0}}
	}
	st, err := w.inner.stage() // the flags were checked before any file
	if err != nil {
		return fmt.Errorf("%s: %w", j.in, err)
	}
	if st != nil {
		defer func() { w.dups, w.tunnels = st.dups, st.stripped }()
	}
	progs := make(map[layers.LinkType][]*rules.Program)
	var in int64
	defer func() {
		for i := range w.totals {
			w.totals[i].in.Add(in)
		}
	}()
	for {
		if in&1023 == 0 && ctx.Err() != nil {
			return nil
		}
		data, ci, rerr := r.ZeroCopyReadPacketData()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("%w (the %d packets before it were filtered)", rerr, in)
		}
		in++
		lt := r.LinkType()
		if ci.InterfaceIndex < len(ifaces) {
			lt = ifaces[ci.InterfaceIndex].LinkType
		}
		if st != nil {
			var keep bool
			if data, ci, lt, keep = st.apply(lt, data, ci); !keep {
				continue
			}
		}
		ps, ok := progs[lt]
		if !ok {
			ps = make([]*rules.Program, len(w.ms))
			for i, m := range w.ms {
				if ps[i], err = m.Program(lt); err != nil {
					return fmt.Errorf("%s: %w", j.in, err)
				}
			}
			progs[lt] = ps
		}
		for i, p := range ps {
			o := outs[i]
			if o.err != nil || !p.Match(ci, data) {
				continue
			}
			o.write(ci, data, lt, ifaces)
		}
	}
	if r.Err() != nil {
		return fmt.Errorf("%w (the %d packets before it were filtered)", r.Err(), in)
	}
	return nil
}

// write writes one packet, adding an interface for a link type or input
// interface not seen yet.
func (o *batchOut) write(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType, ifaces []pcapio.Interface) {
	k := ifaceKey{ci.InterfaceIndex, lt}
	idx, ok := o.ifaces[k]
	if !ok {
		ifc := pcapio.Interface{LinkType: lt}
		if ci.InterfaceIndex < len(ifaces) {
			ifc = ifaces[ci.InterfaceIndex]
			ifc.LinkType = lt
		}
		var err error
		if idx, err = o.w.AddInterface(ifc); err != nil {
			o.err = err
			return
		}
		o.ifaces[k] = idx
	}
	ci.InterfaceIndex = idx
	if err := o.w.WritePacket(ci, data); err != nil {
		o.err = err
		return
	}
	o.n++
	o.bytes += int64(len(data))
}
