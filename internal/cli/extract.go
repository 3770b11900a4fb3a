package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/eve"
	"github.com/wirekit/wirekit/pcapio"
)

type extractFlags struct {
	event, dumpPcap, dirPcap, fileFormat, dumpJSON string
	skipBPF                                        bool
	flowTimeout                                    time.Duration
}

func newExtractCmd(e *env) *cobra.Command {
	f := &extractFlags{}
	c := &cobra.Command{
		Use:   "extract --event EVE --dump-pcap OUT [--dir-pcap DIR] [--file-format pcap.%n.%t] [--dump-json MAP] [--skip-bpf] [FILE...]",
		Short: "Write the packets of the flows of Suricata EVE events, found in Suricata's pcap logs",
		Long: `extract reads Suricata EVE events (one JSON object per line, as in eve.json,
or one event pretty-printed; --event - reads standard input) and writes, for
each flow, a capture of its packets in both directions, found in the capture
files Suricata logged (pcap-log, multi mode: one sequence of files per
thread, named by --file-format, where %n or %i is the thread and %t the
time the file was started). The flag names are GopherCap's.

Files are looked for in --dir-pcap, else in the folder of the event's
capture_file, and FILE arguments are used whatever their names. Which files
hold a flow is decided by time, not by name: each file's first and last
timestamp come from --dump-json MAP (made by 'wirekit map') when given, or
are read from the files. A flow spans from flow.start (or the event's
timestamp less --flow-timeout) to flow.end (or the timestamp plus
--flow-timeout); packets outside that span are not taken, so a later flow
reusing the same addresses and ports is not mixed in.

Events are grouped by flow_id: one capture per flow. With several flows,
--dump-pcap must hold %f, replaced by the flow_id. A tunnelled event (one
with a "tunnel" object) matches only packets carried by that tunnel (the
outermost carrier's addresses are the tunnel's): the tunnels (GRE, ERSPAN,
VXLAN, Geneve, IP in IP) are stripped to find the inner flow, and the
packets are written as captured, tunnel headers included, so the capture
shows what was on the wire and what Suricata saw. Packets are matched by a
filter compiled by wirekit, or with --skip-bpf by decoding each packet.

A line that is not a valid event is reported with its line number and
skipped. A flow with no packet found gets no file and makes extract exit 1
after writing the others; so does a damaged capture file (its packets
before the damage are used). Outputs are written complete or not at all;
on SIGINT or SIGTERM each output is closed as a valid capture of the
packets found so far (exit 130 or 143).`,
		Example: `  wirekit extract --dir-pcap /var/log/suricata --event alert.json --dump-pcap alert.pcap
  wirekit extract --dir-pcap /var/log/suricata --file-format log.%n.%t.pcap --event alert.json --dump-pcap alert.pcap --skip-bpf
  grep '"alert"' eve.json | wirekit extract --event - --dir-pcap /var/log/suricata --dump-pcap 'flow-%f.pcap'
  wirekit extract --event alerts.json --dump-json map.json --dump-pcap 'out/%f.pcapng'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd, e, f, args)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.event, "event", "", "file of Suricata EVE events, one per line, or one event (- for stdin)")
	fl.StringVar(&f.dumpPcap, "dump-pcap", "", "capture file to write; %f is replaced by the flow_id (needed with several flows)")
	fl.StringVar(&f.dirPcap, "dir-pcap", "", "folder of Suricata's pcap logs (default: the folder of the event's capture_file)")
	fl.StringVar(&f.fileFormat, "file-format", "pcap.%n.%t", "how Suricata names its pcap files (%n or %i thread, %t timestamp); \"\" takes every file in --dir-pcap")
	fl.StringVar(&f.dumpJSON, "dump-json", "", "map of the capture files from 'wirekit map', for their times (instead of reading them)")
	fl.BoolVar(&f.skipBPF, "skip-bpf", false, "match packets by decoding them instead of with a compiled filter (slower; GopherCap's flag)")
	fl.DurationVar(&f.flowTimeout, "flow-timeout", 600*time.Second, "how long a flow may last before and after its event when the event has no flow.start/flow.end")
	return c
}

// fileFormatRegexp turns Suricata's pcap-log filename pattern into a
// regular expression over base names, with groups "thread" (%n or %i) and
// "time" (%t: Unix seconds, or seconds.microseconds with Suricata's
// ts-format usec), each named at its first place.
func fileFormatRegexp(format string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	thread, ts := false, false
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) {
			switch format[i+1] {
			case 'n', 'i':
				if !thread {
					b.WriteString(`(?P<thread>\d+)`)
				} else {
					b.WriteString(`\d+`)
				}
				thread = true
				i++
				continue
			case 't':
				if !ts {
					b.WriteString(`(?P<time>\d+(?:\.\d+)?)`)
				} else {
					b.WriteString(`\d+(?:\.\d+)?`)
				}
				ts = true
				i++
				continue
			}
		}
		b.WriteString(regexp.QuoteMeta(format[i : i+1]))
	}
	b.WriteString(`(\.(gz|zst|xz|lz4))?$`)
	return regexp.Compile(b.String())
}

// nameSpans dates files from their names, as Suricata's pcap-log names
// them: a thread's files follow one another, each started at its %t, so a
// file holds the packets from its %t to the next file's %t of the same
// thread (a second of slack either side for the name's rounding), and the
// last file of a thread up to now. Files whose names give no time are
// returned in rest, to be read.
func nameSpans(re *regexp.Regexp, files []string) (spans []dataset.File, rest []string) {
	ti, ni := re.SubexpIndex("time"), re.SubexpIndex("thread")
	if ti < 0 {
		return nil, files
	}
	type named struct {
		path string
		t    time.Time
	}
	threads := map[string][]named{}
	for _, p := range files {
		m := re.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			rest = append(rest, p)
			continue
		}
		sec, frac, _ := strings.Cut(m[ti], ".")
		var secs, usec int64
		if _, err := fmt.Sscan(sec, &secs); err != nil || secs > 1<<40 {
			rest = append(rest, p)
			continue
		}
		if frac != "" {
			frac = (frac + "000000")[:6]
			fmt.Sscan(frac, &usec)
		}
		th := ""
		if ni >= 0 {
			th = m[ni]
		}
		threads[th] = append(threads[th], named{p, time.Unix(secs, usec*1000)})
	}
	const slack = time.Second
	open := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, fs := range threads {
		sort.Slice(fs, func(i, j int) bool { return fs[i].t.Before(fs[j].t) })
		for i, f := range fs {
			end := open
			if i+1 < len(fs) {
				end = fs[i+1].t.Add(slack)
			}
			spans = append(spans, dataset.File{Path: f.path, Beginning: f.t.Add(-slack), End: end, Packets: 1})
		}
	}
	return spans, rest
}

// extractFlow is one flow to extract: its events, span, matcher and output.
type extractFlow struct {
	key    string
	events []eve.Event
	lo, hi time.Time
	m      *eve.Matcher
	out    string
	e      *env // opens out when it is a URL
	w      *pcapio.FileWriter
	lt     layers.LinkType
	files  int
	n      int64
	err    error
}

func runExtract(cmd *cobra.Command, e *env, f *extractFlags, args []string) error {
	ctx := cmd.Context()
	switch {
	case f.event == "":
		return usagef("extract: give the events with --event FILE (- for stdin)")
	case f.dumpPcap == "":
		return usagef("extract: give the output capture with --dump-pcap OUT")
	case f.flowTimeout < 0:
		return usagef("extract: --flow-timeout %v: give a duration of 0 or more", f.flowTimeout)
	}
	if err := checkCaptureName("extract", "--dump-pcap", strings.ReplaceAll(f.dumpPcap, "%f", "0")); err != nil {
		return err
	}
	events, lines, err := readEvents(e, f.event)
	if err != nil {
		return err
	}
	flows, err := groupFlows(e, events, lines, f)
	if err != nil {
		return err
	}
	if len(flows) > 1 && !strings.Contains(f.dumpPcap, "%f") {
		return usagef("extract: --dump-pcap %s names one file but the events hold %d flows: put %%f (the flow_id) in the name", f.dumpPcap, len(flows))
	}
	if len(flows) > 1 && f.dumpPcap == "-" {
		return usagef("extract: --dump-pcap - writes one flow but the events hold %d flows", len(flows))
	}
	files, named, err := extractCandidates(cmd.Context(), e, f, events, args)
	if err != nil {
		return err
	}
	for _, fl := range flows {
		if err := checkNotInput("extract", "--dump-pcap", fl.out, append(named, files...)); err != nil {
			return err
		}
	}
	var damage []error
	spans, err := fileSpans(cmd, e, f, files, named, &damage)
	if err != nil {
		if in := interrupted(ctx, "extract", "while reading the capture files' times: no file written"); in != nil {
			return in
		}
		return err
	}
	sel := map[string]bool{}
	for _, fl := range flows {
		for _, s := range spans {
			if !s.End.Before(fl.lo) && !s.Beginning.After(fl.hi) {
				sel[s.Path] = true
				fl.files++
			}
		}
	}
	var paths []string
	for p := range sel {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, d := range damage {
		fmt.Fprintf(e.stderr, "wirekit: extract: %v (skipped)\n", d)
	}
	var srcs []pcapio.Source
	for _, p := range paths {
		r, err := e.openCapture(cmd.Context(), p)
		if err != nil {
			damage = append(damage, err)
			fmt.Fprintf(e.stderr, "wirekit: extract: %v (skipped)\n", err)
			continue
		}
		srcs = append(srcs, r)
	}
	var readErr error
	var packets int64
	if len(srcs) > 0 {
		m := pcapio.MergeSources(nil, srcs...)
		readErr = extractLoop(ctx, m, flows, &packets)
		m.Close()
	}
	closeErr := closeFlows(flows)
	if in := interrupted(ctx, "extract", "%s", flowReport(flows)); in != nil {
		return in
	}
	for _, fl := range flows {
		switch {
		case fl.err != nil:
			fmt.Fprintf(e.stderr, "wirekit: extract: flow %s: %v\n", fl.key, fl.err)
		case fl.n == 0:
			fmt.Fprintf(e.stderr, "wirekit: extract: flow %s (%s): no packet found in %d files spanning %s to %s: no file written\n",
				fl.key, fl.m.Filter(), fl.files, fl.lo.UTC().Format(time.RFC3339), fl.hi.UTC().Format(time.RFC3339))
		default:
			fmt.Fprintf(e.stderr, "extract: flow %s: %d packets written to %s\n", fl.key, fl.n, fl.out)
		}
	}
	fmt.Fprintf(e.stderr, "extract: %d flows, %d capture files read (%d packets), %d of %d files in time\n", len(flows), len(srcs), packets, len(paths), len(spans))
	if readErr != nil && !errors.Is(readErr, io.EOF) {
		return fmt.Errorf("extract: %w (the packets before the damage were used)", readErr)
	}
	if closeErr != nil {
		return closeErr
	}
	if len(damage) > 0 {
		return fmt.Errorf("extract: %d capture files could not be read: %w", len(damage), errors.Join(damage...))
	}
	empty := 0
	for _, fl := range flows {
		if fl.n == 0 || fl.err != nil {
			empty++
		}
	}
	if empty > 0 {
		return fmt.Errorf("extract: %d of %d flows have no capture written", empty, len(flows))
	}
	return nil
}

// readEvents reads the events file (or stdin), reporting skipped lines.
func readEvents(e *env, name string) (evs []eve.Event, lines []int, err error) {
	var r io.Reader
	if name == "-" {
		r = e.stdin
	} else {
		fh, oerr := e.openFile(context.Background(), name)
		if oerr != nil {
			return nil, nil, fmt.Errorf("extract: --event: %w", oerr)
		}
		defer fh.Close()
		r = fh
	}
	sc := eve.NewScanner(r)
	for sc.Scan() {
		evs = append(evs, sc.Event())
		lines = append(lines, sc.Line())
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("extract: --event %s: %w", name, err)
	}
	skipped := sc.Skipped()
	if len(evs) == 0 && len(skipped) > 0 && name != "-" {
		// One event pretty-printed over several lines, as GopherCap reads it.
		if b, err := e.readAll(name); err == nil && len(b) <= eve.MaxLine {
			if ev, err := eve.Parse(bytes.TrimSpace(b)); err == nil {
				return []eve.Event{ev}, []int{1}, nil
			} else if json.Valid(b) {
				return nil, nil, fmt.Errorf("extract: --event %s: %w", name, err)
			}
		}
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "wirekit: extract: --event %s: %v (skipped)\n", name, s)
	}
	if len(evs) == 0 {
		return nil, nil, fmt.Errorf("extract: --event %s: no event with src_ip and dest_ip (%d lines skipped): give Suricata EVE JSON, one event per line", name, len(skipped))
	}
	return evs, lines, nil
}

// groupFlows makes one flow per flow_id (or per 5-tuple for events with
// none), with the span of all its events.
// An event that cannot be placed (no timestamp) or matched (no or an
// unknown proto) is reported with its line and skipped; it is an error
// only when no flow is left.
func groupFlows(e *env, evs []eve.Event, lines []int, f *extractFlags) ([]*extractFlow, error) {
	var flows []*extractFlow
	by := map[string]*extractFlow{}
	var skipped []string
	for i, ev := range evs {
		key := fmt.Sprint(ev.FlowID)
		if !ev.HasFlowID {
			key = fmt.Sprintf("%s-%s-%d-%s-%d", ev.Proto, ev.Src, ev.SrcPort, ev.Dst, ev.DstPort)
			if rk := fmt.Sprintf("%s-%s-%d-%s-%d", ev.Proto, ev.Dst, ev.DstPort, ev.Src, ev.SrcPort); by[rk] != nil {
				key = rk
			}
		}
		if ev.Time.IsZero() && ev.Start.IsZero() {
			skipped = append(skipped, fmt.Sprintf("--event %s: line %d: flow %s: no timestamp: wirekit finds the files by time", f.event, lines[i], key))
			continue
		}
		fl := by[key]
		if fl == nil {
			m, err := eve.NewMatcher(ev, &eve.MatchConfig{Decode: f.skipBPF})
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("--event %s: line %d: flow %s: %v", f.event, lines[i], key, err))
				continue
			}
			name := key
			if !ev.HasFlowID {
				name = strings.NewReplacer(":", "_", "/", "_").Replace(key)
			}
			fl = &extractFlow{key: key, m: m, out: strings.ReplaceAll(f.dumpPcap, "%f", name), e: e}
			by[key] = fl
			flows = append(flows, fl)
		}
		fl.events = append(fl.events, ev)
	}
	for _, fl := range flows {
		fl.lo, fl.hi = flowSpan(fl.events, f.flowTimeout)
	}
	if len(flows) == 0 {
		return nil, fmt.Errorf("extract: no event can be matched: %s", strings.Join(skipped, "; "))
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "wirekit: extract: %s (skipped)\n", s)
	}
	return flows, nil
}

// flowSpan is when a flow's packets may be: from the earliest flow.start
// its events give (else the earliest timestamp less timeout) to the latest
// flow.end (else the latest timestamp plus timeout). A known start or end
// wins over an estimate from another event of the flow.
func flowSpan(evs []eve.Event, timeout time.Duration) (lo, hi time.Time) {
	var start, end, first, last time.Time
	for _, ev := range evs {
		if !ev.Start.IsZero() && (start.IsZero() || ev.Start.Before(start)) {
			start = ev.Start
		}
		if !ev.End.IsZero() && ev.End.After(end) {
			end = ev.End
		}
		t := ev.Time
		if t.IsZero() {
			t = ev.Start
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	lo, hi = start, end
	if lo.IsZero() {
		lo = first.Add(-timeout)
	}
	if hi.IsZero() {
		hi = last.Add(timeout)
	}
	return lo, hi
}

// extractCandidates lists the capture files to consider.
func extractCandidates(ctx context.Context, e *env, f *extractFlags, evs []eve.Event, args []string) (files, named []string, err error) {
	files = append([]string(nil), args...)
	if f.dumpJSON != "" {
		return files, nil, nil // the map names them
	}
	dir := f.dirPcap
	if dir == "" {
		for _, ev := range evs {
			if ev.CaptureFile != "" {
				dir = filepath.Dir(ev.CaptureFile)
				break
			}
		}
	}
	if dir == "" {
		if len(files) == 0 {
			return nil, nil, usagef("extract: no capture files: give Suricata's log folder with --dir-pcap DIR (the events have no capture_file), a map with --dump-json, or files as arguments")
		}
		return files, nil, nil
	}
	re, err := fileFormatRegexp(f.fileFormat)
	if err != nil {
		return nil, nil, usagef("extract: --file-format %q: %v", f.fileFormat, err)
	}
	ents, err := dirEntries(ctx, e, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("extract: --dir-pcap: %w", err)
	}
	n := 0
	for _, path := range ents {
		name := blobio.Base(path)
		if strings.HasPrefix(name, ".") {
			continue
		}
		if f.fileFormat != "" && !re.MatchString(name) {
			continue
		}
		if f.fileFormat == "" {
			files = append(files, path)
		} else {
			named = append(named, path)
		}
		n++
	}
	if n == 0 && len(args) == 0 {
		return nil, nil, fmt.Errorf("extract: no file in %s is named as --file-format %q says (Suricata's pcap-log filename; \"\" takes every file)", dir, f.fileFormat)
	}
	return files, named, nil
}

// fileSpans gives each candidate's first and last timestamp, from the map
// or by reading the files.
// Files that could not be read at all are added to unreadable.
func fileSpans(cmd *cobra.Command, e *env, f *extractFlags, files, named []string, unreadable *[]error) ([]dataset.File, error) {
	var out []dataset.File
	if len(named) > 0 {
		re, _ := fileFormatRegexp(f.fileFormat) // checked by extractCandidates
		spans, rest := nameSpans(re, named)
		out = append(out, spans...)
		files = append(files, rest...)
	}
	if f.dumpJSON != "" {
		set, err := e.loadMap(cmd.Context(), f.dumpJSON)
		if err != nil {
			return nil, fmt.Errorf("extract: --dump-json: %w", err)
		}
		out = append(out, set.Files...)
	}
	if len(files) > 0 {
		set, err := dataset.Scan(cmd.Context(), files, &dataset.Config{Open: e.urlOpener(files)})
		if err != nil {
			return nil, fmt.Errorf("extract: reading the capture files' times: %w", err)
		}
		out = append(out, set.Files...)
	}
	var kept []dataset.File
	for _, s := range out {
		switch {
		case s.Packets > 0 && !s.Beginning.IsZero():
			kept = append(kept, s)
		case s.Error != "":
			*unreadable = append(*unreadable, fmt.Errorf("%s: %s", s.Path, s.Error))
		}
	}
	return kept, nil
}

// extractLoop reads the merged files once and gives each packet to the
// flows whose span holds it.
func extractLoop(ctx interface{ Err() error }, m *pcapio.Merged, flows []*extractFlow, packets *int64) error {
	for {
		if *packets&1023 == 0 && ctx.Err() != nil {
			return nil
		}
		data, ci, err := m.ZeroCopyReadPacketData()
		if err != nil {
			return err
		}
		*packets++
		ifs := m.Interfaces()
		if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(ifs) {
			continue
		}
		ifc := ifs[ci.InterfaceIndex]
		for _, fl := range flows {
			if fl.err != nil || ci.Timestamp.Before(fl.lo) || ci.Timestamp.After(fl.hi) {
				continue
			}
			ok, merr := fl.m.Match(ifc.LinkType, data, ci)
			if merr != nil || !ok {
				continue
			}
			fl.err = fl.write(ifc, ci, data)
		}
	}
}

// write adds a packet to the flow's capture, creating it on the first.
func (fl *extractFlow) write(ifc pcapio.Interface, ci gopacket.CaptureInfo, data []byte) error {
	if fl.w == nil {
		ifc.Section = 0
		ifs := []pcapio.Interface{ifc}
		w, err := fl.e.createCapture(context.Background(), "--dump-pcap", fl.out, ifs, writeOptions(ifs))
		if err != nil {
			return err
		}
		fl.w, fl.lt = w, ifc.LinkType
	}
	if ifc.LinkType != fl.lt {
		return fmt.Errorf("%s: packets of link type %v and %v: %w", fl.out, fl.lt, ifc.LinkType, pcapio.ErrLinkTypeMix)
	}
	ci.InterfaceIndex = 0
	if err := fl.w.WritePacket(ci, data); err != nil {
		return err
	}
	fl.n++
	return nil
}

// closeFlows closes every output; a flow whose writing failed is aborted.
func closeFlows(flows []*extractFlow) error {
	var errs []error
	for _, fl := range flows {
		if fl.w == nil {
			continue
		}
		if fl.err != nil {
			fl.w.Abort()
			fl.n = 0
			continue
		}
		if err := fl.w.Close(); err != nil {
			fl.err = err
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// flowReport says what each output holds, for the interruption note.
func flowReport(flows []*extractFlow) string {
	var parts []string
	for _, fl := range flows {
		if fl.n > 0 && fl.err == nil {
			parts = append(parts, fmt.Sprintf("%s holds the %d packets of flow %s found so far, a valid capture", fl.out, fl.n, fl.key))
		}
	}
	if len(parts) == 0 {
		return "no packet found yet, no file written"
	}
	return strings.Join(parts, "; ")
}

// dirEntries lists the regular files directly in dir, a local folder, or
// under dir, a URL prefix; paths are dir's joined with each name.
func dirEntries(ctx context.Context, e *env, dir string) ([]string, error) {
	if blobio.IsURL(dir) {
		files, err := e.expandInputs(ctx, []string{dir}, nil)
		if err != nil {
			return nil, err
		}
		return inputNames(files), nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range ents {
		if de.Type().IsRegular() {
			out = append(out, filepath.Join(dir, de.Name()))
		}
	}
	return out, nil
}
