package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/flow"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/tables"
)

type flowsFlags struct {
	in         packetInput
	zeek, json bool
	frames     bool
	parquet    string
	cfg        flow.Config
	out        string
	sf         shardFlags
}

func newFlowsCmd(e *env) *cobra.Command {
	f := &flowsFlags{}
	c := &cobra.Command{
		Use:   "flows (-r FILE [-r FILE...] | -i IFACE [-i IFACE...]) [--zeek | --json] [--parquet OUT] [EXPR]",
		Short: "One record per conversation for all traffic, with Zeek's conn.log fields",
		Long: `flows keeps a table of the conversations in the traffic (TCP, UDP, SCTP, ICMP
and ICMPv6 with the echo identifier, other IP protocols by address pair,
non-IP frames by MAC pair and EtherType; VLAN ids are part of the key) and
prints one record per conversation as it ends: the fields of Zeek's
conn.log (ts, uid, originator and responder, proto, service, duration,
payload bytes, conn_state, missed_bytes, history, packets and IP bytes per
direction, VLAN) plus the application facts found (DNS query, TLS server
name and ALPN, HTTP host). The service is found by content, not by port.

A conversation ends when TCP closed it on both sides or reset it (after
--close-delay, to take in the last ACKs), when it is idle past its
protocol's timeout, when --max-flows conversations are open and a new
one comes (the one idle longest ends), or at the end of the input. The
times are packet times, so reading a file gives the same records as a
live capture of the same traffic.

The default output is a text table; --zeek prints Zeek's TSV log format
(#fields and #types header lines, '-' for unset values, #open and #close
with the first record's and the last packet's times), --json JSON Lines
with the field names of Zeek's JSON logs (id.orig_h, orig_pkts...).
--frame-bytes adds the link-layer bytes per direction, what tshark's
'-z conv' tables count.

--parquet OUT writes the conversations as a Parquet table (the JSON's
fields, frame bytes and why each ended included; docs/parquet.md), for
Spark, Trino or DuckDB: beside --json or --zeek when one is given, in
place of the text table otherwise. It is written to a temporary file
renamed at the end (after a signal too, holding the conversations
written); an OUT that already exists is refused.

Several -r files are merged in timestamp order; - reads standard input;
-i captures live on a Linux interface until interrupted (repeat -i to
merge several in timestamp order), printing conversations as they end. A filter expression selects the packets.
--decap strips tunnels so the inner conversations are counted; --dedup
drops mirror copies. On SIGINT or SIGTERM the open conversations are
printed as at the end of a file and the exit code is 130 or 143.`,
		Example: `  wirekit flows -r capture.pcap
  wirekit flows -r capture.pcap --zeek > conn.log
  wirekit flows -r capture.pcap --json 'not port 53' | jq .
  wirekit flows -i eth0 --json --udp-timeout 30s --max-flows 100000
  wirekit flows -r capture.pcap --parquet conn.parquet`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFlows(cmd.Context(), e, f, args)
		},
	}
	fl := c.Flags()
	fl.SetInterspersed(true)
	addInputFlags(fl, &f.in)
	fl.BoolVar(&f.zeek, "zeek", false, "print Zeek's TSV conn.log format")
	fl.BoolVar(&f.json, "json", false, "print JSON Lines with Zeek's field names")
	fl.BoolVar(&f.frames, "frame-bytes", false, "add link-layer bytes per direction (orig_frame_bytes, resp_frame_bytes)")
	fl.StringVar(&f.parquet, "parquet", "", "write the conversations as a Parquet table to this new file or object URL (beside --json or --zeek; instead of the text table)")
	fl.DurationVar(&f.cfg.TCPTimeout, "tcp-timeout", flow.DefaultTCPTimeout, "end a TCP conversation idle this long")
	fl.DurationVar(&f.cfg.UDPTimeout, "udp-timeout", flow.DefaultUDPTimeout, "end a UDP or SCTP conversation idle this long")
	fl.DurationVar(&f.cfg.ICMPTimeout, "icmp-timeout", flow.DefaultICMPTimeout, "end an ICMP conversation idle this long")
	fl.DurationVar(&f.cfg.OtherTimeout, "other-timeout", flow.DefaultOtherTimeout, "end a conversation of another protocol (or non-IP) idle this long")
	fl.DurationVar(&f.cfg.CloseDelay, "close-delay", flow.DefaultCloseDelay, "keep a closed or reset TCP conversation this long for its last packets")
	fl.IntVar(&f.cfg.MaxFlows, "max-flows", flow.DefaultMaxFlows, "most conversations held at once; beyond, the one idle longest ends early")
	fl.Uint64Var(&f.cfg.Seed, "uid-seed", 0, "vary the uids (the same input and seed give the same uids)")
	fl.StringVarP(&f.out, "output", "o", "", "write the records to this file or URL instead of standard output (with --shard a folder: OUT/shard=I/part.jsonl, .log for --zeek, .txt for the table)")
	addShardFlags(fl, &f.sf, true)
	return c
}

func runFlows(ctx context.Context, e *env, f *flowsFlags, args []string) error {
	if err := f.sf.parse("flows"); err != nil {
		return err
	}
	files, ok, err := f.sf.files(ctx, e, "flows", f.in.files, f.in.ifaces)
	if err != nil || !ok {
		return err
	}
	f.in.files = files
	if err := f.in.check("flows"); err != nil {
		return err
	}
	if f.zeek && f.json {
		return usagef("flows: --zeek and --json cannot be combined")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--tcp-timeout", f.cfg.TCPTimeout}, {"--udp-timeout", f.cfg.UDPTimeout}, {"--icmp-timeout", f.cfg.ICMPTimeout}, {"--other-timeout", f.cfg.OtherTimeout}, {"--close-delay", f.cfg.CloseDelay}} {
		if d.v <= 0 {
			return usagef("flows: %s %v: must be above zero", d.name, d.v)
		}
	}
	if f.cfg.MaxFlows <= 0 {
		return usagef("flows: --max-flows %d: must be 1 or more", f.cfg.MaxFlows)
	}
	format := flow.FormatTable
	switch {
	case f.zeek:
		format = flow.FormatZeek
	case f.json:
		format = flow.FormatJSON
	}
	part := "part.txt"
	switch format {
	case flow.FormatZeek:
		part = "part.log"
	case flow.FormatJSON:
		part = "part.jsonl"
	}
	outName, err := f.sf.output(ctx, e, "flows", "--output", f.out, part)
	if err != nil {
		return err
	}
	var dst io.Writer = e.stdout
	var outFile pcapio.Output
	if outName != "" && outName != "-" {
		if outFile, err = e.createOutput(ctx, "--output", outName); err != nil {
			return fmt.Errorf("flows: %w", err)
		}
		defer outFile.Abort() // a no-op after Close
		dst = outFile
	}
	var table *tableOutput
	var fw *tables.FlowWriter
	if f.parquet != "" {
		pq, err := f.sf.tableOutput(ctx, e, "flows", "--parquet", f.parquet)
		if err != nil {
			return err
		}
		if table, err = openTable(ctx, e, "flows", "--parquet", pq); err != nil {
			return err
		}
		defer table.abort() // after commit, a no-op
		fw = tables.NewFlowWriter(table.bw, tableOptions())
		table.close, table.rows = fw.Close, fw.Rows
	}
	var w *flow.Writer
	if f.parquet == "" || f.zeek || f.json || outFile != nil {
		w = flow.NewWriter(dst, format, &flow.WriterOptions{FrameBytes: f.frames})
	}
	var werr error
	t, err := flow.New(&f.cfg, func(r *flow.Record) {
		if w != nil {
			if err := w.Write(r); err != nil && werr == nil {
				werr = err
			}
		}
		if fw != nil {
			if err := fw.Write(r); err != nil && werr == nil {
				werr = fmt.Errorf("--parquet %s: %w", f.parquet, err)
			}
		}
	})
	if err != nil {
		return &usageError{fmt.Errorf("flows: %w", err)}
	}
	var last time.Time
	n, err := feedPackets(ctx, e, "flows", &f.in, args, func(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) {
		if ci.Timestamp.After(last) {
			last = ci.Timestamp
		}
		t.Packet(ci, data, lt)
	}, func(now time.Time) { t.Advance(now) })
	if err != nil && n < 0 {
		return err
	}
	t.Flush()
	if w != nil {
		if cerr := w.Close(last); cerr != nil && werr == nil {
			werr = cerr
		}
	}
	if table != nil && werr == nil {
		werr = table.commit()
	}
	if outFile != nil && werr == nil && (err == nil || n >= 0) {
		// The records of the packets read are kept, as on stdout.
		if cerr := outFile.Close(); cerr != nil {
			werr = cerr
		}
	}
	if werr != nil && err == nil {
		err = fmt.Errorf("flows: %w", werr)
	}
	st := t.Stats()
	fmt.Fprintf(e.stderr, "%d packets, %d conversations", st.Packets, st.Flows)
	if table != nil && werr == nil {
		fmt.Fprintf(e.stderr, " (to %s)", f.parquet)
	}
	if st.Unkeyed > 0 {
		fmt.Fprintf(e.stderr, " (%d packets not in any: no IP or Ethernet header)", st.Unkeyed)
	}
	if st.Evicted > 0 {
		fmt.Fprintf(e.stderr, " (%d ended early at the cap of %d open conversations)", st.Evicted, f.cfg.MaxFlows)
	}
	fmt.Fprintln(e.stderr)
	if err == nil {
		err = interrupted(ctx, "flows", "%d packets read, the %d conversations in them written as ended at that point", n, st.Flows)
	}
	return err
}
