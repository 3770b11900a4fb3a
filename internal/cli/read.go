package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/decode"
	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
)

type readFlags struct {
	files    []string
	out      string
	count    int
	numeric  bool
	link     bool
	hex      int
	hexASCII int
	ascii    bool
	verbose  int
	tstyle   int
	absSeq   bool
	json     bool
	nano     bool
	rotateMB int
	ringN    int
	rotateS  int
	// ifName names interfaces by index when printing a live capture.
	ifName func(index int) string
	// inner is --decap, --decap-depth and --dedup (read only).
	inner innerFlags
	// index is --index, the Parquet packet index; offsets is --offsets
	// (read only).
	index, offsets string
	// sf is --shard and --input-map (read only).
	sf shardFlags
}

func newReadCmd(e *env) *cobra.Command {
	f := &readFlags{}
	c := &cobra.Command{
		Use:   "read -r FILE [-r FILE...] [-w OUT] [--index OUT] [--offsets LIST|@FILE] [-c N] [flags] [EXPR]",
		Short: "Print, convert or merge capture files, like tcpdump -r",
		Long: `read prints one tcpdump-style line per packet (always numeric, as tcpdump -n),
or writes the packets to another capture file with -w.

Input files may be pcap (microsecond or nanosecond, either byte order) or
pcapng (any number of sections and interfaces), plain or compressed with
gzip, zstd, lz4 or xz: the format is found from the file's first bytes, not
its name. "-" reads standard input. Several -r files are merged into one
stream in timestamp order, as mergecap does, except that packets with the
same timestamp come in the order the files were given (mergecap takes the
last file first) and a file's own out-of-order packets are put in order
within a window of 1024 packets.

-w writes classic pcap, or pcapng when OUT ends in .pcapng; a further .gz,
.zst, .xz or .lz4 compresses it (other compression suffixes, such as .bz2,
are refused). A new or regular file is written to a temporary file and
appears under its name only when closed; a device, FIFO, /dev/stdout or
/dev/fd/N is written in place, and a symbolic link is kept, its target
written. "-w -" writes pcap to standard output. On SIGINT or SIGTERM the
output is closed as a valid capture of the packets read before the
signal, a note says so, and the exit code is 130 or 143.

--decap strips tunnels (GRE, ERSPAN I/II/III, VXLAN, Geneve, IP in IP),
up to --decap-depth nested ones: the filter expression, the printed lines
and -w see the inner packet (an inner IP packet gets an Ethernet header).
--dedup drops packets identical to one seen within the last 4 to 6
seconds of packet time, ignoring what mirror ports change (IPv4 TTL and
checksum, IPv6 hop limit); with --decap it compares the inner packets.
Both report their counts on stderr at the end.

--index OUT writes a Parquet packet index: one row per packet read (after
the filter), with the -r file it is in and its record's offset in that
file (uncompressed), timestamp, lengths, link type and outermost headers
(addresses, IP protocol, ports, VLAN, TCP flags; docs/parquet.md), for
Spark, Trino or DuckDB to query. It goes beside -w; without -w nothing is
printed. It is written to a temporary file renamed at the end; an OUT that
already exists is refused.

--offsets LIST reads back the packets whose records start at those
offsets (comma-separated, or @FILE with one or more per line: what an
engine's query over the index exports) from the one -r file: they are
printed or written with -w as any packet (the filter and -c apply too).
The file is read from its start up to the last offset asked for; an
offset where no packet record starts is an error (exit 1) after the
others are written.`,
		Example: `  wirekit read -r capture.pcap
  wirekit read -r capture.pcapng.zst -c 10 -e -v
  wirekit read -r a.pcap -r b.pcap -w merged.pcapng
  wirekit read -r big.pcap -w big.pcap.zst
  wirekit read -r capture.pcap --json | jq .layers[1].src
  wirekit read -r capture.pcap -X -c 1
  wirekit read -r mirror.pcap --decap --dedup -w inner.pcap 'host 10.0.0.1'
  wirekit read -r a.pcap -r b.pcap --index packets.parquet
  wirekit read -r a.pcap --offsets 24,1580,99012 -w found.pcap
  wirekit read -r a.pcap --offsets @offsets.txt -X`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRead(cmd, e, f, args)
		},
	}
	fl := c.Flags()
	fl.SetInterspersed(true)
	fl.StringArrayVarP(&f.files, "read", "r", nil, "capture file to read (repeat to merge several; - for stdin)")
	fl.StringVarP(&f.out, "write", "w", "", "write packets to this capture file or URL instead of printing (- for stdout; with -C/-G a URL's rotated files are objects in its folder)")
	fl.IntVarP(&f.count, "count", "c", 0, "stop after this many packets (0: all)")
	addPrintFlags(fl, f)
	addRotateFlags(fl, f)
	addInnerFlags(fl, &f.inner)
	fl.StringVar(&f.index, "index", "", "write a Parquet packet index (file, record offset, time, lengths, headers) to this new file or object URL")
	fl.StringVar(&f.offsets, "offsets", "", "read only the packets whose records start at these offsets (a,b,c or @FILE), from the one -r file")
	addShardFlags(fl, &f.sf, true)
	return c
}

// addPrintFlags adds the printing flags read and capture share.
func addPrintFlags(fl *pflag.FlagSet, f *readFlags) {
	fl.BoolVarP(&f.numeric, "numeric", "n", true, "print addresses and ports as numbers (always on; accepted for tcpdump habits)")
	fl.BoolVarP(&f.link, "link", "e", false, "print the link-level header")
	fl.CountVarP(&f.hex, "hex", "x", "print each packet in hex without (-x) or with (-xx) the link header")
	fl.CountVarP(&f.hexASCII, "hex-ascii", "X", "print each packet in hex and ASCII without (-X) or with (-XX) the link header")
	fl.BoolVarP(&f.ascii, "ascii", "A", false, "print each packet in ASCII without the link header")
	fl.CountVarP(&f.verbose, "verbose", "v", "print more fields (-v, -vv)")
	fl.CountVarP(&f.tstyle, "time", "t", "timestamp style: -t none, -tt epoch seconds, -ttt delta from previous, -tttt date and time, -ttttt delta from first")
	fl.BoolVarP(&f.absSeq, "absolute-tcp-sequence", "S", false, "print absolute, not relative, TCP sequence numbers")
	fl.BoolVar(&f.json, "json", false, "print one JSON object per packet (layers and their fields)")
	fl.BoolVar(&f.nano, "nano", false, "print timestamps with nanosecond precision")
}

// addRotateFlags adds tcpdump's -C, -G and -W.
func addRotateFlags(fl *pflag.FlagSet, f *readFlags) {
	fl.IntVarP(&f.rotateMB, "file-size", "C", 0, "with -w: start a new file when one passes this many million bytes (OUT, OUT1, OUT2...)")
	fl.IntVarP(&f.ringN, "file-count", "W", 0, "with -C: keep this many files, OUT0..OUT(N-1), reused in a ring; with -G alone: stop after N files")
	fl.IntVarP(&f.rotateS, "rotate-seconds", "G", 0, "with -w: start a new file every this many seconds (wall clock); OUT goes through strftime (trace-%Y%m%d-%H%M%S.pcap)")
}

// checkOutputFlags reports misuse of -w, -C and -W before any work.
func checkOutputFlags(f *readFlags) error {
	switch {
	case f.ringN < 0 || f.rotateMB < 0 || f.rotateS < 0:
		return usagef("-C, -G and -W take positive numbers")
	case f.rotateMB > math.MaxInt64/1000000:
		return usagef("-C %d: too large: the most is %d (million bytes)", f.rotateMB, math.MaxInt64/1000000)
	case f.ringN > 0 && f.rotateMB == 0 && f.rotateS == 0:
		return usagef("-W needs -C (the size at which to start the next file) or -G")
	case f.rotateMB > 0 && f.out == "":
		return usagef("-C needs -w OUT")
	case f.rotateS > 0 && f.out == "":
		return usagef("-G needs -w OUT")
	}
	return nil
}

// newSink makes the output: files (rotating with -C), or printing.
func newSink(ctx context.Context, e *env, f *readFlags, src pcapio.Source) (packetSink, error) {
	switch {
	case f.rotateMB > 0 || f.rotateS > 0:
		return newRotator(ctx, e, f.out, f.rotateMB, f.ringN, f.rotateS)
	case blobio.IsURL(f.out) || f.sf.on:
		out, err := e.createOutput(ctx, "-w", f.out)
		if err != nil {
			return nil, err
		}
		ifs := src.Interfaces()
		w, err := pcapio.CreateOutput(out, nameOf(f.out), ifs, writeOptions(ifs))
		if err != nil {
			return nil, err
		}
		return &fileSink{w: w, declared: len(ifs)}, nil
	case f.out != "":
		return newFileSink(e, f.out, src)
	}
	return newPrintSink(e.stdout, f), nil
}

func runRead(cmd *cobra.Command, e *env, f *readFlags, args []string) error {
	ctx := cmd.Context()
	if err := f.sf.parse("read"); err != nil {
		return err
	}
	if f.sf.on && f.out == "" && f.index == "" {
		return usagef("read: --shard needs -w DIR or --index DIR: each shard writes DIR/shard=I/part.pcap or part.parquet (printing shards would mix their lines)")
	}
	if f.sf.on && (f.rotateMB > 0 || f.rotateS > 0) {
		return usagef("read: --shard and -C/-G cannot be combined")
	}
	files, ok, err := f.sf.files(ctx, e, "read", f.files, nil)
	if err != nil || !ok {
		return err
	}
	f.files = files
	if f.out, err = f.sf.output(ctx, e, "read", "-w", f.out, "part.pcap"); err != nil {
		return err
	}
	if f.index, err = f.sf.tableOutput(ctx, e, "read", "--index", f.index); err != nil {
		return err
	}
	if len(f.files) == 0 {
		return usagef("read: no input: give a capture file with -r FILE (see 'wirekit read --help')")
	}
	expr := strings.TrimSpace(strings.Join(args, " "))
	if f.count < 0 {
		return usagef("read: -c %d: the count must be 0 or more", f.count)
	}
	if err := checkOutputFlags(f); err != nil {
		return err
	}
	if err := checkNotInput("read", "-w", f.out, f.files); err != nil {
		return err
	}
	if err := checkCaptureName("read", "-w", f.out); err != nil {
		return err
	}
	if err := f.inner.check("read", cmd.Flags()); err != nil {
		return err
	}
	var want *offsetSet
	if f.offsets != "" {
		if len(f.files) != 1 {
			return usagef("read: --offsets: give the one -r file the offsets are from (%d given)", len(f.files))
		}
		var err error
		if want, err = parseOffsets(e, f.offsets); err != nil {
			return err
		}
	}
	if f.index != "" && (f.index == f.out || f.index == "-") {
		return usagef("read: --index %s: give it a file name of its own", f.index)
	}
	src, err := openSources(ctx, e, f.files)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	defer src.Close()
	printReadingFrom(e.stderr, f.files, src)
	merged := src
	src, inner, err := f.inner.wrap(src)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if inner != nil && f.out != "" && pcapio.NameFormat(nameOf(f.out)) != pcapio.FormatPcapNG {
		// A classic pcap holds one link type: a tunnelled packet whose
		// inner frame has another one (Ethernet inside GRE on a raw-IP
		// capture) is written whole and counted, instead of failing the
		// write part-way.
		inner.sameLink = true
	}

	flt, err := newPacketFilter("read", expr, src)
	if err != nil {
		return err
	}

	origin := originOf(merged, f.files)
	if (want != nil || f.index != "") && origin == nil {
		return fmt.Errorf("read: this input does not say where its records are, for --index or --offsets")
	}
	var sink packetSink
	if f.index == "" || f.out != "" {
		if sink, err = newSink(ctx, e, f, src); err != nil {
			return fmt.Errorf("read: %w", err)
		}
	}
	if f.index != "" {
		is, err := newIndexSink(ctx, e, f.index, sink, origin)
		if err != nil {
			if sink != nil {
				sink.abort()
			}
			return err
		}
		sink = is
	}

	n := 0
	var readErr error
	for f.count == 0 || n < f.count {
		if ctx.Err() != nil {
			break
		}
		data, ci, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() == nil { // else the signal's deadline ended the read
				readErr = err
			}
			break
		}
		if want != nil {
			if _, off := origin(); !want.take(off) {
				if want.done() {
					break
				}
				continue
			}
		}
		if flt != nil {
			ok, err := flt.match(src, ci, data)
			if err != nil {
				sink.abort()
				return err
			}
			if !ok {
				continue
			}
		}
		if err := sink.packet(src, ci, data); err != nil {
			sink.abort()
			return fmt.Errorf("read: %w", err)
		}
		n++
		if want != nil && want.done() {
			break
		}
	}
	// After a signal too: a file or an object is kept as a valid capture
	// of what was read (the upload is not cancelled with ctx).
	if err := sink.close(); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if f.index != "" {
		fmt.Fprintf(e.stderr, "%d packets indexed to %s\n", n, f.index)
	}
	if want != nil && readErr == nil && ctx.Err() == nil && (f.count == 0 || n < f.count) {
		if err := want.check(f.files[0]); err != nil {
			return err
		}
	}
	inner.report(e.stderr, "read")
	if m, ok := merged.(*pcapio.Merged); ok && m.OutOfOrder() > 0 {
		fmt.Fprintf(e.stderr, "merge: %d packets had a timestamp earlier than a packet before them in their file; %d of them could not be put back in order (window %d packets per file)\n",
			m.OutOfOrder(), m.Late(), pcapio.DefaultWindow)
	}
	if readErr != nil {
		return fmt.Errorf("read: %w (the %d packets before it were processed)", readErr, n)
	}
	return interrupted(ctx, "read", "%s", sinkReport(f, n))
}

// sinkReport says what read or capture's output holds after a signal.
func sinkReport(f *readFlags, n int) string {
	switch {
	case f.rotateMB > 0 || f.rotateS > 0:
		return fmt.Sprintf("%d packets written to the files of -w %s, the last one closed as a valid capture of what was read before the signal", n, f.out)
	case f.out == "-":
		return fmt.Sprintf("%d packets written to standard output, a valid capture of what was read before the signal", n)
	case f.out != "":
		return fmt.Sprintf("%d packets written to %s, a valid capture of what was read before the signal", n, f.out)
	case f.index != "":
		return fmt.Sprintf("%d packets indexed to %s, a valid table of what was read before the signal", n, f.index)
	}
	return fmt.Sprintf("%d packets printed, all that were read before the signal", n)
}

// printReadingFrom writes tcpdump's opening line to stderr.
func printReadingFrom(w io.Writer, files []string, src pcapio.Source) {
	name := files[0]
	if len(files) > 1 {
		name = fmt.Sprintf("%d files merged", len(files))
	}
	lt := src.LinkType()
	snap := uint32(0)
	if ifs := src.Interfaces(); len(ifs) > 0 {
		snap = ifs[0].SnapLen
	}
	fmt.Fprintf(w, "reading from file %s, link-type %s, snapshot length %d\n", name, linkTypeName(lt), snap)
}

// packetSink is where read sends each packet.
type packetSink interface {
	packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error
	close() error
	abort()
}

// printSink prints summaries or JSON lines.
type printSink struct {
	bw   *bufio.Writer
	pr   *decode.Printer
	js   *decode.JSONWriter
	last []pcapio.Interface
}

func newPrintSink(w io.Writer, f *readFlags) *printSink {
	bw := bufio.NewWriterSize(w, 256<<10)
	s := &printSink{bw: bw}
	if f.json {
		s.js = decode.NewJSONWriter(bw, nil)
		return s
	}
	s.pr = decode.NewPrinter(bw, printerOptions(f))
	return s
}

func (s *printSink) packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error {
	lt := linkTypeOf(src, ci)
	if s.js != nil {
		return s.js.Write(ci, data, lt)
	}
	return s.pr.Print(ci, data, lt)
}

func (s *printSink) close() error {
	var err error
	if s.js != nil {
		err = s.js.Flush()
	} else {
		err = s.pr.Flush()
	}
	if ferr := s.bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func (s *printSink) abort() { _ = s.close() }

// flush pushes printed lines out (live capture does it when idle).
func (s *printSink) flush() error {
	if s.js != nil {
		s.js.Flush()
	} else {
		s.pr.Flush()
	}
	return s.bw.Flush()
}

// linkTypeOf returns the link type of the interface a packet came from.
func linkTypeOf(src pcapio.Source, ci gopacket.CaptureInfo) layers.LinkType {
	ifs := src.Interfaces()
	if ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
		return ifs[ci.InterfaceIndex].LinkType
	}
	return src.LinkType()
}

// fileSink writes packets to a capture file, declaring interfaces to a
// pcapng writer as the source discovers them.
type fileSink struct {
	w        pcapio.Writer
	declared int
}

// interfaceAdder is implemented by writers that can take new interfaces
// while writing (pcapng).
type interfaceAdder interface {
	AddInterface(pcapio.Interface) (int, error)
}

func newFileSink(e *env, out string, src pcapio.Source) (*fileSink, error) {
	ifs := src.Interfaces()
	var w pcapio.Writer
	var err error
	if out == "-" {
		snap := uint32(262144)
		if len(ifs) > 0 && ifs[0].SnapLen > 0 {
			snap = ifs[0].SnapLen
		}
		w, err = pcapio.NewPcapWriter(e.stdout, src.LinkType(), snap, writeOptions(ifs))
	} else {
		w, err = pcapio.Create(out, ifs, writeOptions(ifs))
	}
	if err != nil {
		return nil, err
	}
	return &fileSink{w: w, declared: len(ifs)}, nil
}

func (s *fileSink) packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error {
	if ifs := src.Interfaces(); len(ifs) > s.declared {
		if ad, ok := s.w.(interfaceAdder); ok {
			for _, ifc := range ifs[s.declared:] {
				if _, err := ad.AddInterface(ifc); err != nil {
					return err
				}
			}
		}
		s.declared = len(ifs)
	}
	return s.w.WritePacket(ci, data)
}

func (s *fileSink) close() error { return s.w.Close() }

func (s *fileSink) abort() {
	if a, ok := s.w.(interface{ Abort() error }); ok {
		_ = a.Abort()
		return
	}
	_ = s.w.Close()
}

// printerOptions maps tcpdump's flags to decode.Options.
func printerOptions(f *readFlags) *decode.Options {
	o := &decode.Options{Link: f.link, Verbose: f.verbose, Nano: f.nano, AbsoluteSeq: f.absSeq, InterfaceName: f.ifName}
	switch {
	case f.tstyle >= 5:
		o.Time = decode.TimeSinceFirst
	case f.tstyle == 4:
		o.Time = decode.TimeDate
	case f.tstyle == 3:
		o.Time = decode.TimeDelta
	case f.tstyle == 2:
		o.Time = decode.TimeEpoch
	case f.tstyle == 1:
		o.Time = decode.TimeNone
	}
	switch {
	case f.hexASCII >= 2:
		o.Hex = decode.HexASCIILink
	case f.hexASCII == 1:
		o.Hex = decode.HexASCII
	case f.hex >= 2:
		o.Hex = decode.HexBytesLink
	case f.hex == 1:
		o.Hex = decode.HexBytes
	case f.ascii:
		o.Hex = decode.ASCII
	}
	return o
}

// packetFilter applies a filter expression, compiled once per link type
// (a pcapng file or a merge may hold several) by filter.SourceFilter; it
// adds the command's error messages.
type packetFilter struct {
	cmd string // the command, for error messages
	sf  *filter.SourceFilter
}

// newPacketFilter returns the filter for expr on src (nil for an empty
// expression), compiled now for the first interface so that a bad
// expression is reported before anything is written.
func newPacketFilter(cmd, expr string, src pcapio.Source) (*packetFilter, error) {
	if expr == "" {
		return nil, nil
	}
	sf, err := filter.NewSourceFilter(expr, src, nil)
	if err != nil {
		var se *filter.SyntaxError
		if errors.As(err, &se) {
			return nil, &usageError{fmt.Errorf("%s: filter %q: %w", cmd, expr, err)}
		}
		return nil, fmt.Errorf("%s: filter %q on link type %s: %w", cmd, expr, linkTypeName(src.LinkType()), err)
	}
	return &packetFilter{cmd: cmd, sf: sf}, nil
}

// match runs the filter on one packet of src.
func (f *packetFilter) match(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) (bool, error) {
	ok, err := f.sf.Match(ci, data)
	if err != nil {
		err = fmt.Errorf("%s: filter %q on %w", f.cmd, f.sf, err)
		var se *filter.SyntaxError
		if errors.As(err, &se) {
			return false, &usageError{err}
		}
		return false, err
	}
	return ok, nil
}

// writeOptions keeps nanosecond timestamps when an input has them (tcpdump
// would cut them to microseconds unless given --nano).
func writeOptions(ifs []pcapio.Interface) *pcapio.WriteOptions {
	for _, ifc := range ifs {
		if ifc.Resolution > 0 && ifc.Resolution < time.Microsecond {
			return &pcapio.WriteOptions{Nanosecond: true}
		}
	}
	return nil
}
