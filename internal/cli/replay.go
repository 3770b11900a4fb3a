package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/replay"
)

func newReplayCmd(e *env) *cobra.Command {
	var (
		dumpJSON     string
		reText       string
		outIface     string
		outFile      string
		null         bool
		loopCount    int
		loopForever  bool
		outBPF       string
		fromText     string
		toText       string
		modifier     float64
		scaleOn      bool
		scaleDur     time.Duration
		waitDisable  bool
		topSpeed     bool
		pps, mbps    float64
		mtuTrunc     bool
		skipOversize bool
		mtu          int
		statsSec     float64
		keepTS       bool
		nano         bool
		batch        int
		txRing       bool
		realtime     bool
		skipOOO      bool
		reorder      bool
		skipMTU      int
		innerF       innerFlags
	)
	c := &cobra.Command{
		Use:   "replay (--dump-json MAP | FILE|DIR...) (--out-interface IFACE | -w OUT | --null) [flags]",
		Short: "Replay a mapped set of captures with its original timing, in global timestamp order",
		Long: `replay sends every packet of a set of capture files onto an interface (-i is
--out-interface), into a capture file (-w) or nowhere (--null, to measure),
in exact global timestamp order across all files (one k-way merge, not a
goroutine per file), with the timing of the original: each packet's send
time is computed from the start of the replay,

    send = start + (timestamp - first timestamp) / time modifier

so errors never add up. The pacer sleeps through long gaps and spins for
the last stretch; when the sink cannot keep up, packets go out at once and
the lag behind the schedule is reported (--stats, and the summary), not
hidden.

The set is a map written by 'wirekit map --dump-json' (--dump-json MAP
here), or capture files and directories given as arguments, mapped in
memory first. Flag names follow GopherCap where it has them.

--out-bpf EXPR: packets MATCHING the expression are NOT sent (they are
counted as filtered), as GopherCap documents the flag.

--time-from/--time-to skip packets outside the window without waiting for
them; they take RFC 3339 (2024-03-01T10:00:00Z) or GopherCap's
"2006-01-02 15:04:05", read as UTC as GopherCap does. --wait-disable starts every file at once instead of at
its delay from the start of the set. Each loop of --loop-count or
--loop-infinite is shifted in time so timestamps keep increasing;
--loop-count 0 (or less) loops forever, as GopherCap documents, and
--loop-infinite overrides --loop-count.

GopherCap's --skip-ooo drops packets earlier than a packet already kept
from the same file (counted as out of order) instead of putting them back
in order; --reorder makes the merge hold 1024 packets per file to reorder
them (wirekit reorders by default, within 16 packets per file or 1024
when the map saw disorder); --skip-mtu N drops frames longer than N bytes,
link header included (counted as oversize; GopherCap drops above 1514 by
default, wirekit only when the flag is given).

--decap strips tunnels (GRE, ERSPAN I/II/III, VXLAN, Geneve, IP in IP) and
sends the inner frame; --out-bpf then sees the inner packet. A tunnel
whose inner frame has another link type than the capture (inner IP gets
an Ethernet header, so this happens only with non-Ethernet captures) is
sent whole and counted. --dedup drops packets identical to one sent in
the last 4 to 6 seconds of packet time, across all files (mirror copies).

A frame larger than the interface MTU allows (MTU plus link header) stops
the replay with an error naming the packet, unless --mtu-trunc cuts it or
--skip-oversize counts and skips it. SIGINT or SIGTERM stops cleanly:
queued frames are sent, the output file is closed as a valid capture of
what was sent, the summary is printed, a note on stderr says so, and the
exit code is 130 or 143.

A file that cannot be read (not a capture, gone since it was mapped) is
reported on stderr and left out, and a file damaged part-way is replayed
up to the damage and reported: the rest of the set plays, and replay
exits 1 at the end with the list of those files. An error that is not the
file's (too many open files: the merge keeps every file of the set open;
permission denied) stops the replay with a message saying what to change.

Numeric flags are checked before anything is sent: rates must be finite,
and a rate or modifier whose schedule would not fit in 292 years (the
span of a Go time.Duration) is refused with the smallest value that fits.`,
		Example: `  wirekit map --dir-src /data/pcap --dump-json set.json
  wirekit replay --dump-json set.json --out-interface veth0
  wirekit replay --dump-json set.json --out-interface veth0 --time-modifier 2.5 --stats 5
  wirekit replay --dump-json set.json -w merged.pcapng --keep-timestamps --topspeed
  wirekit replay /data/pcap --out-interface veth0 --out-bpf 'not tcp' --loop-count 3
  wirekit replay a.pcap b.pcap --null --time-scale-enabled --time-scale-duration 10s`,
		RunE: func(cmd *cobra.Command, args []string) error {
			sinks := 0
			for _, on := range []bool{outIface != "", outFile != "", null} {
				if on {
					sinks++
				}
			}
			if sinks != 1 {
				return usagef("replay: choose one output: --out-interface IFACE, -w OUT or --null")
			}
			if dumpJSON != "" && len(args) > 0 {
				return usagef("replay: give the set either as a map (--dump-json MAP) or as files and directories, not both")
			}
			if dumpJSON == "" && len(args) == 0 {
				dumpJSON = gopherCapDumpJSON
				if _, err := os.Stat(dumpJSON); err != nil {
					return usagef("replay: give the set as a map (--dump-json MAP) or as files and directories (GopherCap's default map %s: %v)", dumpJSON, err)
				}
				fmt.Fprintf(e.stderr, "wirekit: replay: no --dump-json or files given: reading %s, GopherCap's default map\n", dumpJSON)
			}
			cfg := &replay.Config{Modifier: modifier, Exclude: outBPF, MTU: mtu, KeepTimestamps: keepTS, NoWait: waitDisable, TopSpeed: topSpeed, PPS: pps, Mbps: mbps, RealTime: realtime,
				SkipOutOfOrder: skipOOO, MaxFrame: skipMTU}
			if err := innerF.check("replay", cmd.Flags()); err != nil {
				return err
			}
			stage, err := innerF.stage()
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			if stage != nil {
				stage.sameLink = true
				cfg.Inner = func(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) ([]byte, gopacket.CaptureInfo, bool) {
					data, ci, _, keep := stage.apply(lt, data, ci)
					return data, ci, keep
				}
			}
			if skipMTU < 0 {
				return usagef("replay: --skip-mtu %d: want a frame size in bytes (GopherCap's default is 1514), or 0 for no limit", skipMTU)
			}
			if reorder {
				if skipOOO {
					return usagef("replay: --skip-ooo and --reorder exclude each other (GopherCap ignores --skip-ooo when --reorder is on: drop --skip-ooo)")
				}
				cfg.MergeWindow = pcapio.DefaultWindow
			}
			if err := checkReplayNumbers(modifier, pps, mbps, statsSec, mtu, batch); err != nil {
				return err
			}
			if scaleOn {
				if scaleDur <= 0 {
					return usagef("replay: --time-scale-duration %s: --time-scale-enabled needs a positive duration (e.g. 90s, 2h)", scaleDur)
				}
				cfg.ScaleTo = scaleDur
			} else if cmd.Flags().Changed("time-scale-duration") {
				return usagef("replay: --time-scale-duration needs --time-scale-enabled")
			}
			modes := 0
			for _, on := range []bool{topSpeed, pps > 0, mbps > 0, scaleOn, cmd.Flags().Changed("time-modifier")} {
				if on {
					modes++
				}
			}
			if modes > 1 {
				return usagef("replay: --topspeed, --pps, --mbps, --time-scale-enabled and --time-modifier exclude each other")
			}
			if mtuTrunc && skipOversize {
				return usagef("replay: --mtu-trunc and --skip-oversize exclude each other")
			}
			if mtuTrunc {
				cfg.Oversize = replay.OversizeTruncate
			} else if skipOversize {
				cfg.Oversize = replay.OversizeSkip
			}
			// As GopherCap's help says: 0 or less loops forever, and
			// --loop-infinite overrides --loop-count.
			if loopForever || loopCount < 1 {
				cfg.Loops = -1
			} else {
				cfg.Loops = loopCount
			}
			if cfg.From, err = parseStamp("time-from", fromText); err != nil {
				return err
			}
			if cfg.To, err = parseStamp("time-to", toText); err != nil {
				return err
			}
			if !cfg.From.IsZero() && !cfg.To.IsZero() && cfg.To.Before(cfg.From) {
				return usagef("replay: --time-to %s is before --time-from %s", toText, fromText)
			}
			var re *regexp.Regexp
			if reText != "" {
				if re, err = regexp.Compile(reText); err != nil {
					return usagef("replay: --file-regexp %q: %v", reText, err)
				}
			}
			files, err := replaySet(cmd.Context(), e, dumpJSON, args, re)
			if err != nil {
				if note := interrupted(cmd.Context(), "replay", "nothing sent: the signal came while the files were being mapped"); note != nil {
					return note
				}
				return fmt.Errorf("replay: %w", err)
			}
			if err := checkCaptureName("replay", "-w", outFile); err != nil {
				return err
			}
			if outFile != "" {
				inputs := []string{dumpJSON}
				for _, f := range files {
					inputs = append(inputs, f.Path)
				}
				if err := checkNotInput("replay", "-w", outFile, inputs); err != nil {
					return err
				}
			}
			if statsSec > 0 {
				cfg.StatsEvery = time.Duration(statsSec * float64(time.Second))
			}
			// Refuse what the set makes impossible (a schedule longer than
			// a time.Duration) before the output is created.
			if err := cfg.Validate(files); err != nil {
				return replayConfigErr(err, cmd)
			}
			var sink replay.Sink
			var ifSink *replay.InterfaceSink
			switch {
			case outIface != "":
				ifSink, err = replay.NewInterfaceSink(outIface, &capture.WriterConfig{Batch: batch, TxRing: txRing})
				if err != nil {
					return fmt.Errorf("replay: %w", err)
				}
				sink = ifSink
			case blobio.IsURL(outFile):
				out, err := e.createOutput(cmd.Context(), "-w", outFile)
				if err != nil {
					return fmt.Errorf("replay: %w", err)
				}
				sink = replay.NewOutputSink(out, nameOf(outFile), &pcapio.WriteOptions{Nanosecond: nano})
			case outFile != "":
				sink = replay.NewFileSink(outFile, &pcapio.WriteOptions{Nanosecond: nano})
			default:
				sink = &replay.NullSink{}
			}
			if statsSec > 0 {
				cfg.OnStats = func(s replay.Stats) { fmt.Fprintln(e.stderr, "wirekit: replay: "+statsLine(s)) }
			}
			cfg.Open = func(p string) (pcapio.Source, error) {
				if !blobio.IsURL(p) {
					return pcapio.Open(p)
				}
				return e.openCapture(cmd.Context(), p)
			}
			cfg.OnFileError = func(fe *replay.FileError) { fmt.Fprintln(e.stderr, "wirekit: replay: "+leftOutLine(fe)) }
			st, err := replay.Run(cmd.Context(), files, sink, cfg)
			var ce *replay.ConfigError
			if errors.As(err, &ce) {
				return replayConfigErr(err, cmd)
			}
			stopped := err != nil && cmd.Context().Err() != nil && errors.Is(err, cmd.Context().Err())
			var leftOut *replay.FilesError
			if err != nil && !stopped && !errors.As(err, &leftOut) {
				writeReplaySummary(e.stderr, st, cfg, ifSink, "stopped after an error")
				if errors.Is(err, replay.ErrOversize) {
					return fmt.Errorf("%w (use --mtu-trunc to cut such frames or --skip-oversize to skip them)", err)
				}
				return err
			}
			state := "done"
			if stopped {
				state = "interrupted"
			} else if leftOut != nil {
				state = fmt.Sprintf("done without %d of %d files", len(leftOut.Files), leftOut.Of)
			}
			out := e.stdout
			if outFile == "-" {
				out = e.stderr // stdout carries the capture
			}
			writeReplaySummary(out, st, cfg, ifSink, state)
			stage.report(out, "replay")
			if leftOut != nil {
				// Every other file was replayed; the exit status says
				// that the set was not replayed whole.
				return fmt.Errorf("replay: %w", leftOut)
			}
			what := fmt.Sprintf("%d packets sent", st.Sent)
			if outFile != "" {
				what = fmt.Sprintf("%d packets written to %s, a valid capture of what was sent before the signal", st.Sent, outFile)
				if outFile == "-" {
					what = fmt.Sprintf("%d packets written to standard output, a valid capture of what was sent before the signal", st.Sent)
				}
			}
			return interrupted(cmd.Context(), "replay", "%s", what)
		},
	}
	f := c.Flags()
	f.StringVar(&dumpJSON, "dump-json", "", "the map of the set, as written by 'wirekit map --dump-json' (- for stdin; default, with no files given: /tmp/mapped-files.json, as GopherCap)")
	f.StringVar(&reText, "file-regexp", "", "replay only files whose path matches this regular expression (Go syntax)")
	f.StringVarP(&outIface, "out-interface", "i", "", "inject the packets into this interface (Linux, root or CAP_NET_RAW)")
	f.StringVarP(&outFile, "write", "w", "", "write the packets to this capture file (.pcap, .pcapng, optionally .gz, .zst, .xz or .lz4; - for stdout), renamed into place when done")
	f.BoolVar(&null, "null", false, "send the packets nowhere: measures the scheduler alone")
	f.IntVar(&loopCount, "loop-count", 1, "replay the set this many times, each loop shifted in time; 0 or less loops forever (as GopherCap)")
	f.BoolVar(&loopForever, "loop-infinite", false, "replay the set until interrupted (overrides --loop-count)")
	f.BoolVar(&skipOOO, "skip-ooo", false, "drop packets earlier than one already sent from the same file instead of reordering them (GopherCap's flag)")
	f.BoolVar(&reorder, "reorder", false, "reorder each file's packets over a window of 1024 packets (GopherCap's flag; wirekit reorders within 16 by default)")
	addInnerFlags(f, &innerF)
	f.IntVar(&skipMTU, "skip-mtu", 0, "drop frames longer than this many bytes, link header included (GopherCap's flag; its default is 1514; 0: no limit)")
	f.StringVar(&outBPF, "out-bpf", "", "pcap-filter expression: packets MATCHING it are NOT sent (counted as filtered)")
	f.StringVar(&fromText, "time-from", "", "skip packets before this time (RFC 3339, e.g. 2024-03-01T10:00:00Z, or GopherCap's '2024-03-01 10:00:00', UTC)")
	f.StringVar(&toText, "time-to", "", "skip packets after this time (RFC 3339 or '2006-01-02 15:04:05', UTC)")
	f.Float64Var(&modifier, "time-modifier", 1, "divide every gap by this positive factor: 2 is twice as fast, 0.5 half as fast")
	f.BoolVar(&scaleOn, "time-scale-enabled", false, "replay the whole set (one loop) in --time-scale-duration")
	f.DurationVar(&scaleDur, "time-scale-duration", 0, "duration of the whole replay with --time-scale-enabled (e.g. 90s, 2h)")
	f.BoolVar(&waitDisable, "wait-disable", false, "start every file at once instead of at its delay from the start of the set")
	f.BoolVar(&topSpeed, "topspeed", false, "no pacing: send as fast as the output takes packets")
	f.Float64Var(&pps, "pps", 0, "send at this fixed packet rate instead of the original timing")
	f.Float64Var(&mbps, "mbps", 0, "send at this fixed rate in megabits per second instead of the original timing")
	f.BoolVar(&mtuTrunc, "mtu-trunc", false, "cut frames larger than the MTU allows to that size (as tcpreplay --mtu-trunc)")
	f.BoolVar(&skipOversize, "skip-oversize", false, "count and skip frames larger than the MTU allows")
	f.IntVar(&mtu, "mtu", 0, "MTU for the oversize check, 68 to 262144 (default 0: the interface's; none for files)")
	f.Float64Var(&statsSec, "stats", 0, "print a line with sent packets, rate, lag and skipped packets every this many seconds (0.001 or more; 0 for none)")
	f.BoolVar(&keepTS, "keep-timestamps", false, "with -w: write the original timestamps (shifted per loop) instead of the send times")
	f.BoolVar(&nano, "nano", false, "with -w: write nanosecond timestamps")
	f.IntVar(&batch, "batch", 64, "with --out-interface: frames sent per sendmmsg(2) call at top speed or while behind schedule (1 to 1024)")
	f.BoolVar(&realtime, "realtime", false, "run the pacing thread with real-time priority (SCHED_FIFO; root or CAP_SYS_NICE): fewer late packets on a busy machine")
	f.BoolVar(&txRing, "tx-ring", false, "with --out-interface: send through a PACKET_TX_RING instead of sendmmsg(2) (not faster on veth in our measurements)")
	return c
}

// Accepted ranges of replay's numeric flags.
const (
	maxStatsSeconds = float64(math.MaxInt64/int64(time.Second)) - 1 // a time.Duration
	minStatsSeconds = 0.001
	minMTU, maxMTU  = 68, 262144 // IPv4's minimum MTU; the largest frame wirekit reads
	maxBatch        = 1024       // sendmmsg(2) sends at most UIO_MAXIOV messages per call
)

// checkReplayNumbers validates replay's numeric flags by themselves,
// before the set is mapped: each must be finite and inside its range.
// Whether a rate's schedule fits a time.Duration depends on the set and is
// checked by replay.Config.Validate.
func checkReplayNumbers(modifier, pps, mbps, statsSec float64, mtu, batch int) error {
	switch {
	case !(modifier > 0) || math.IsInf(modifier, 0):
		return usagef("replay: --time-modifier %v: want a finite positive number (2 replays twice as fast, 0.5 half as fast)", modifier)
	case !(pps >= 0) || math.IsInf(pps, 0):
		return usagef("replay: --pps %v: want a finite positive packet rate (0, the default, keeps the original timing)", pps)
	case !(mbps >= 0) || math.IsInf(mbps, 0):
		return usagef("replay: --mbps %v: want a finite positive bit rate in megabits per second (0, the default, keeps the original timing)", mbps)
	case !(statsSec == 0 || statsSec >= minStatsSeconds && statsSec <= maxStatsSeconds):
		return usagef("replay: --stats %v: want 0 (no live line, the default) or seconds from %g to %.0f", statsSec, minStatsSeconds, maxStatsSeconds)
	case mtu != 0 && (mtu < minMTU || mtu > maxMTU):
		return usagef("replay: --mtu %d: want 0 (the interface's; none for files) or %d to %d", mtu, minMTU, maxMTU)
	case batch < 1 || batch > maxBatch:
		return usagef("replay: --batch %d: want 1 to %d frames per sendmmsg(2) call", batch, maxBatch)
	}
	return nil
}

// replayConfigErr turns a *replay.ConfigError into a usage error naming
// the flag behind the field; other errors are returned as they are.
func replayConfigErr(err error, cmd *cobra.Command) error {
	var ce *replay.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	flag := map[string]string{"Modifier": "time-modifier", "ScaleTo": "time-scale-duration", "PPS": "pps", "Mbps": "mbps",
		"StatsEvery": "stats", "MTU": "mtu", "MaxFrame": "skip-mtu"}[ce.Field]
	if flag == "" {
		return usagef("%v", err)
	}
	value := fmt.Sprint(ce.Value)
	if f := cmd.Flags().Lookup(flag); f != nil {
		value = f.Value.String()
	}
	return usagef("replay: --%s %s: %s", flag, value, ce.Want)
}

// replaySet loads the map or maps the given files and directories, and
// keeps the files re selects.
func replaySet(ctx context.Context, e *env, dumpJSON string, roots []string, re *regexp.Regexp) ([]dataset.File, error) {
	var set *dataset.Set
	var err error
	if dumpJSON != "" {
		if set, err = e.loadMap(ctx, dumpJSON); err != nil {
			return nil, fmt.Errorf("--dump-json: %w", err)
		}
	} else {
		paths, err := discoverInputs(ctx, e, roots, nil)
		if err != nil {
			return nil, err
		}
		if set, err = dataset.Scan(ctx, paths, &dataset.Config{Open: e.urlOpener(paths)}); err != nil {
			return nil, err
		}
	}
	var files []dataset.File
	for _, f := range set.Files {
		if re != nil && !re.MatchString(f.Path) {
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		if re != nil {
			return nil, fmt.Errorf("none of the %d files of the set match --file-regexp %q: %w", len(set.Files), re.String(), dataset.ErrNoFiles)
		}
		return nil, fmt.Errorf("the set has no files: %w", dataset.ErrNoFiles)
	}
	// Delays must be relative to the replayed files.
	return dataset.NewSet(files).Files, nil
}

// gopherCapStamp is the layout of GopherCap's --time-from and --time-to;
// it has no zone, and GopherCap (time.Parse) reads it as UTC.
const gopherCapStamp = "2006-01-02 15:04:05.999999999"

// parseStamp reads a --time-from or --time-to value: RFC 3339, or
// GopherCap's "2006-01-02 15:04:05" (fractional seconds allowed) in UTC.
func parseStamp(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(gopherCapStamp, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("replay: --%s %q: want an RFC 3339 time such as 2024-03-01T10:00:00Z or 2024-03-01T12:00:00.5+02:00, or GopherCap's form 2024-03-01 10:00:00 (UTC)", flag, s)
}

// leftOutLine says which file the replay leaves out and why, as it
// happens.
func leftOutLine(fe *replay.FileError) string {
	if fe.Packets > 0 {
		return fmt.Sprintf("%v: its %d packets before the damage are replayed, the rest of the file is skipped", fe, fe.Packets)
	}
	return fmt.Sprintf("skipping %v", fe)
}

// statsLine is the live report: sent, rate, lag, skipped.
func statsLine(s replay.Stats) string {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	return fmt.Sprintf("%s: sent %d (%.0f pps, %.2f Mbps), lag now %s, p99 %s, max %s; skipped %d, filtered %d, oversize %d",
		s.Elapsed.Round(time.Millisecond), s.Sent, float64(s.Sent)/secs, float64(s.Bytes)*8/secs/1e6,
		s.Behind.Round(time.Microsecond), s.Lag.P99.Round(time.Microsecond), s.Lag.Max.Round(time.Microsecond), s.Skipped, s.Filtered, s.Oversize)
}

func writeReplaySummary(w io.Writer, s replay.Stats, cfg *replay.Config, ifs *replay.InterfaceSink, state string) {
	secs := max(s.Elapsed.Seconds(), 1e-9)
	how := map[replay.Oversize]string{replay.OversizeStop: "stop", replay.OversizeSkip: "skipped", replay.OversizeTruncate: "truncated"}[cfg.Oversize]
	if cfg.MaxFrame > 0 {
		how = fmt.Sprintf("skipped above %d bytes by --skip-mtu; above the MTU: %s", cfg.MaxFrame, how)
	}
	fmt.Fprintf(w, "replay %s: sent %d packets (%d bytes) in %s (%.0f pps, %.2f Mbps), %d loops; skipped %d outside the time window, filtered %d by --out-bpf, oversize %d (%s)\n",
		state, s.Sent, s.Bytes, s.Elapsed.Round(time.Microsecond), float64(s.Sent)/secs, float64(s.Bytes)*8/secs/1e6, s.Loops, s.Skipped, s.Filtered, s.Oversize, how)
	if cfg.SkipOutOfOrder {
		fmt.Fprintf(w, "skipped %d packets out of order in their file (--skip-ooo)\n", s.OutOfOrder)
	}
	if s.Lag.Count > 0 {
		fmt.Fprintf(w, "lag behind schedule: p50 %s, p99 %s, max %s; %d of %d packets more than 1 ms late\n",
			s.Lag.P50, s.Lag.P99, s.Lag.Max, s.Lag.Over1ms, s.Lag.Count)
	}
	if s.Late > 0 {
		fmt.Fprintf(w, "warning: %d packets were out of order in their file beyond the merge window and were sent as read\n", s.Late)
	}
	if ifs != nil {
		ws := ifs.WriterStats()
		fmt.Fprintf(w, "interface: %d frames in %d sendmmsg calls, %d retries on a full device queue\n", ws.Frames, ws.Calls, ws.Retries)
	}
}
