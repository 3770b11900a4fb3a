package cli

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/internal/memprep"
	"github.com/wirekit/wirekit/internal/safefile"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	"github.com/wirekit/wirekit/tlsinfo"
)

type streamsFlags struct {
	in        packetInput
	follow    string
	outDir    string
	json      bool
	maxFollow int
}

func newStreamsCmd(e *env) *cobra.Command {
	f := &streamsFlags{}
	c := &cobra.Command{
		Use:   "streams (-r FILE [-r FILE...] | -i IFACE [-i IFACE...]) [--follow ascii|hex|raw] [--out-dir DIR] [--json] [EXPR]",
		Short: "List TCP connections, follow their reassembled bytes",
		Long: `streams reassembles the TCP connections of capture files and prints one line
per connection as it ends: its number, client and server, first packet
time, duration, then for each direction (client>server / server>client)
packets, payload bytes delivered in order, retransmitted segments (bytes
already delivered), out-of-order segments (they came after bytes that
follow them), bytes missing (never captured), and how
the connection ended (fin, rst, timeout: idle 2 minutes of capture time,
eof: still open at the end of input).

--follow prints each connection's bytes after its line, as
'tshark -z follow,tcp' does: ascii (client bytes as they are, server
bytes too, each run headed by its direction), hex (a hex dump, server
runs indented by a tab) or raw (hex bytes per run, server runs indented
by a tab, as tshark's raw mode). Gaps are shown as
'[N bytes missing]' lines. --follow keeps at most --follow-max bytes of
each connection in memory (default 16 MiB) and 256 MiB for all open
connections; the rest is counted, not shown.

--out-dir writes each direction of each connection to its own file,
NNNNNN-CLIENT-SERVER.c2s and .s2c (IPv6 colons become dots), complete
files only appearing under their name when the connection ends. Missing
bytes are not filled in.

Several -r files are merged in timestamp order, as for 'wirekit read'. -i
captures live on a Linux interface (root or CAP_NET_RAW) until interrupted,
printing connections as they end; several -i are merged in timestamp
order, each packet with its own interface's link type. A filter expression selects the packets
given to reassembly.

On SIGINT or SIGTERM the connections seen so far are ended as at the end
of a file and printed (their --out-dir files completed), a note on
stderr says so, and the exit code is 130 or 143.

--decap strips tunnels (GRE, ERSPAN I/II/III, VXLAN, Geneve, IP in IP) so
that reassembly and the filter see the inner packets (live, the filter
then runs in user space after the tunnels are stripped); --dedup drops
mirror copies (as 'wirekit read --dedup'). Their counts go to stderr.`,
		Example: `  wirekit streams -r capture.pcap
  wirekit streams -r capture.pcap --json 'port 80'
  wirekit streams -r capture.pcap --follow ascii 'host 10.0.0.1 and port 8080'
  wirekit streams -r capture.pcap --out-dir flows`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStreams(cmd.Context(), e, f, args)
		},
	}
	fl := c.Flags()
	fl.SetInterspersed(true)
	addInputFlags(fl, &f.in)
	fl.StringVar(&f.follow, "follow", "", "print each connection's bytes: ascii, hex or raw")
	fl.StringVar(&f.outDir, "out-dir", "", "write each direction's bytes to a file in this directory")
	fl.BoolVar(&f.json, "json", false, "print one JSON object per connection")
	fl.IntVar(&f.maxFollow, "follow-max", 16<<20, "with --follow: bytes kept per connection")
	return c
}

func runStreams(ctx context.Context, e *env, f *streamsFlags, args []string) error {
	if err := f.in.check("streams"); err != nil {
		return err
	}
	switch f.follow {
	case "", "ascii", "hex", "raw":
	default:
		return usagef("streams: --follow %q: want ascii, hex or raw", f.follow)
	}
	if f.follow != "" && f.json {
		return usagef("streams: --follow and --json cannot be combined")
	}
	if f.outDir == "-" {
		return usagef("streams: --out-dir takes a directory, not standard output")
	}
	_ = memprep.ForLargeHeap() // reassembly of every connection: a large heap
	if f.outDir != "" {
		if err := os.MkdirAll(f.outDir, 0o755); err != nil {
			return fmt.Errorf("streams: --out-dir: %w", err)
		}
	}
	bw := bufio.NewWriterSize(e.stdout, 256<<10)
	p := &streamPrinter{w: bw, f: f}
	var h stream.Handler = p
	if f.json {
		p.tls = map[uint64]*tlsinfo.Facts{}
		h = teeHandler{p, &tlsTap{done: func(c *stream.Conn, tf *tlsinfo.Facts) { p.tls[c.ID] = tf }}}
	}
	asm := stream.New(nil, h, p.closed)
	n, err := feedPackets(ctx, e, "streams", &f.in, args, asm.Packet, func(now time.Time) {
		asm.Advance(now)
		bw.Flush()
	})
	if err != nil && n < 0 {
		return err
	}
	asm.Flush()
	st := asm.Stats()
	if ferr := bw.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("streams: %w", ferr)
	}
	if p.err != nil && err == nil {
		err = fmt.Errorf("streams: %w", p.err)
	}
	fmt.Fprintf(e.stderr, "%d packets, %d TCP segments, %d connections", st.Packets, st.TCP, st.Conns)
	if st.Fragments > 0 || st.Malformed > 0 || st.Overflow > 0 {
		fmt.Fprintf(e.stderr, " (%d IP fragments ignored, %d malformed, %d bytes skipped at buffer caps)", st.Fragments, st.Malformed, st.Overflow)
	}
	if st.Evicted > 0 {
		fmt.Fprintf(e.stderr, " (%d closed early at the cap of %d connections)", st.Evicted, stream.DefaultMaxConns)
	}
	fmt.Fprintln(e.stderr)
	if err == nil {
		what := fmt.Sprintf("%d packets read, the %d connections in them written as ended at that point", n, st.Conns)
		if f.outDir != "" {
			what += ", their files in " + f.outDir + " complete for those bytes"
		}
		err = interrupted(ctx, "streams", "%s", what)
	}
	return err
}

// packetInput names where packets come from: capture files, or live
// interfaces.
type packetInput struct {
	files  []string
	ifaces []string
	inner  innerFlags     // --decap, --decap-depth, --dedup
	flags  *pflag.FlagSet // where the flags were added, for check
}

// addInputFlags adds -r and -i.
func addInputFlags(fl *pflag.FlagSet, in *packetInput) {
	fl.StringArrayVarP(&in.files, "read", "r", nil, "capture file to read (repeat to merge several; - for stdin)")
	fl.StringArrayVarP(&in.ifaces, "interface", "i", nil, "capture live on this interface until interrupted (Linux, root; repeat to merge several)")
	addInnerFlags(fl, &in.inner)
	in.flags = fl
}

// check reports a missing or doubled input.
func (in *packetInput) check(name string) error {
	if in.flags != nil {
		if err := in.inner.check(name, in.flags); err != nil {
			return err
		}
	}
	switch {
	case len(in.files) == 0 && len(in.ifaces) == 0:
		return usagef("%s: no input: give a capture file with -r FILE or an interface with -i IFACE (see 'wirekit %s --help')", name, name)
	case len(in.files) > 0 && len(in.ifaces) > 0:
		return usagef("%s: give -r FILE or -i IFACE, not both", name)
	}
	return checkIfaces(name, in.ifaces)
}

// checkIfaces refuses an empty -i, one given twice, and -i any beside
// others.
func checkIfaces(name string, ifaces []string) error {
	seen := map[string]bool{}
	for _, i := range ifaces {
		switch {
		case i == "":
			return usagef("%s: -i: empty interface name", name)
		case seen[i]:
			return usagef("%s: -i %s given twice", name, i)
		case i == capture.Any && len(ifaces) > 1:
			return usagef("%s: -i %s already captures on every interface; give it alone", name, capture.Any)
		}
		seen[i] = true
	}
	return nil
}

// feedPackets reads the input (files merged by time when several, or
// live interfaces, merged likewise), compiles the filter expression in args for its link
// type as 'read' and 'capture' do, and calls fn with every matching packet.
// idle, if not nil, is called with the time when a live capture is quiet.
// It returns the number of packets given to fn; on a read error after some
// packets, the count and the error (the caller keeps what those packets
// made); on an error before any packet (bad files, bad filter), -1 and the
// error.
func feedPackets(ctx context.Context, e *env, name string, in *packetInput, args []string, fn func(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType), idle func(time.Time)) (int64, error) {
	expr := strings.TrimSpace(strings.Join(args, " "))
	var src pcapio.Source
	var flt *packetFilter
	// With --decap the filter must see the inner packet, so a live
	// capture then filters in user space, after the tunnels are stripped.
	innerOn := in.inner.decap || in.inner.dedup
	if len(in.ifaces) > 0 {
		kernelExpr := expr
		if innerOn {
			kernelExpr = ""
		}
		h, err := openLive(e, name, in.ifaces, kernelExpr)
		if err != nil {
			return -1, err
		}
		src = h
	} else {
		var err error
		src, err = openSources(ctx, e, in.files)
		if err != nil {
			return -1, fmt.Errorf("%s: %w", name, err)
		}
	}
	defer src.Close()
	src, stage, err := in.inner.wrap(src)
	if err != nil {
		return -1, fmt.Errorf("%s: %w", name, err)
	}
	defer stage.report(e.stderr, name)
	if len(in.ifaces) == 0 || innerOn {
		flt, err = newPacketFilter(name, expr, src)
		if err != nil {
			return -1, err
		}
	}
	var n int64
	for {
		if ctx.Err() != nil {
			return n, nil
		}
		data, ci, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			return n, nil
		}
		if errors.Is(err, capture.ErrTimeout) {
			if idle != nil {
				idle(time.Now())
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil { // the signal's deadline ended the read
				return n, nil
			}
			return n, fmt.Errorf("%s: %w (the %d packets before it were processed)", name, err, n)
		}
		if flt != nil {
			ok, err := flt.match(src, ci, data)
			if err != nil {
				return n, err
			}
			if !ok {
				continue
			}
		}
		fn(ci, data, linkTypeOf(src, ci))
		n++
	}
}

// openLive starts a live capture on one or more interfaces (merged in
// timestamp order), with the filter compiled for each one's link type and
// attached in the kernel.
func openLive(e *env, name string, ifaces []string, expr string) (*capture.Multi, error) {
	if expr != "" {
		// Compiled here first so that a bad expression is a usage error.
		for _, iface := range ifaces {
			lt, err := capture.LinkTypeOf(iface)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if _, err := filter.Compile(expr, lt, 262144); err != nil {
				return nil, &usageError{fmt.Errorf("%s: filter %q: %w", name, expr, err)}
			}
		}
	}
	m, err := capture.OpenMulti(ifaces, &capture.MultiConfig{Expr: expr})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, ifc := range m.Interfaces() {
		fmt.Fprintf(e.stderr, "listening on %s, link-type %s\n", ifc.Name, linkTypeName(ifc.LinkType))
	}
	return m, nil
}

// streamPrinter prints each connection as it ends.
type streamPrinter struct {
	w    *bufio.Writer
	f    *streamsFlags
	err  error
	held int // --follow bytes held for open connections
	// tls holds the handshake facts of closed TLS connections until their
	// --json record is written (the tap's Close comes just before).
	tls map[uint64]*tlsinfo.Facts
}

// followTotal caps the --follow bytes held for all open connections.
const followTotal = 256 << 20

// connBuf collects one connection's bytes for --follow and --out-dir.
type connBuf struct {
	p       *streamPrinter
	runs    []followRun
	kept    int
	dropped int64
	files   [2]*safefile.File
	bufs    [2]*bufio.Writer
}

type followRun struct {
	dir  stream.Dir
	lost int
	data []byte
}

func (p *streamPrinter) Open(c *stream.Conn) stream.ConnHandler {
	if p.f.follow == "" && p.f.outDir == "" {
		return nil
	}
	return &connBuf{p: p}
}

func (b *connBuf) Data(c *stream.Conn, ch stream.Chunk) {
	if b.p.f.outDir != "" && len(ch.Data) > 0 {
		b.write(c, ch)
	}
	if b.p.f.follow == "" {
		return
	}
	room := min(b.p.f.maxFollow-b.kept, followTotal-b.p.held)
	data := ch.Data
	if len(data) > room {
		b.dropped += int64(len(data) - room)
		data = data[:max(room, 0)]
	}
	if len(data) == 0 && ch.Lost == 0 {
		return
	}
	b.kept += len(data)
	b.p.held += len(data)
	if n := len(b.runs); n > 0 && b.runs[n-1].dir == ch.Dir && ch.Lost == 0 {
		b.runs[n-1].data = append(b.runs[n-1].data, data...)
		return
	}
	b.runs = append(b.runs, followRun{dir: ch.Dir, lost: ch.Lost, data: append([]byte(nil), data...)})
}

// write appends to the direction's temporary file in --out-dir.
func (b *connBuf) write(c *stream.Conn, ch stream.Chunk) {
	d := ch.Dir
	if b.files[d] == nil {
		if b.p.err != nil {
			return
		}
		fh, err := safefile.Create(filepath.Join(b.p.f.outDir, streamFileName(c, d)))
		if err != nil {
			b.p.err = err
			return
		}
		b.files[d] = fh
		b.bufs[d] = bufio.NewWriterSize(fh, 32<<10)
	}
	if _, err := b.bufs[d].Write(ch.Data); err != nil && b.p.err == nil {
		b.p.err = err
	}
}

func (b *connBuf) Close(c *stream.Conn) {
	for d, fh := range b.files {
		if fh == nil {
			continue
		}
		err := b.bufs[d].Flush()
		if err == nil {
			err = fh.Close()
		} else {
			fh.Abort()
		}
		if err != nil && b.p.err == nil {
			b.p.err = err
		}
	}
	if b.p.f.follow != "" {
		b.p.follow(c, b)
		b.p.held -= b.kept
		b.runs = nil
	}
}

// streamFileName names the --out-dir file of one direction.
func streamFileName(c *stream.Conn, d stream.Dir) string {
	ext := ".c2s"
	if d == stream.ServerToClient {
		ext = ".s2c"
	}
	ep := func(s string) string { return strings.NewReplacer(":", ".", "[", "", "]", "").Replace(s) }
	return fmt.Sprintf("%06d-%s-%s%s", c.ID, ep(c.Client.String()), ep(c.Server.String()), ext)
}

// closed prints a connection's line (or JSON object).
func (p *streamPrinter) closed(c *stream.Conn) {
	if p.f.follow != "" {
		return // printed with its bytes by connBuf.Close
	}
	p.line(c)
}

func (p *streamPrinter) line(c *stream.Conn) {
	if p.f.json {
		r := connJSON(c)
		r.TLS = p.tls[c.ID]
		delete(p.tls, c.ID)
		b, err := json.Marshal(r)
		if err != nil {
			p.err = errors.Join(p.err, err)
			return
		}
		p.w.Write(b)
		p.w.WriteByte('\n')
		return
	}
	cs, sc := &c.Half[stream.ClientToServer], &c.Half[stream.ServerToClient]
	fmt.Fprintf(p.w, "%d %s > %s %s %.6fs c>s %d pkts %d B, s>c %d pkts %d B, retrans %d/%d, ooo %d/%d, missing %d/%d, %s\n",
		c.ID, c.Client, c.Server, c.First.UTC().Format("2006-01-02T15:04:05.000000Z"), c.Duration().Seconds(),
		cs.Packets, cs.Bytes, sc.Packets, sc.Bytes, cs.Retransmissions, sc.Retransmissions,
		cs.OutOfOrder, sc.OutOfOrder, cs.Missing, sc.Missing, c.End)
}

// halfJSON and connRecord are the --json form of a connection.
type halfJSON struct {
	Packets         int64 `json:"packets"`
	Bytes           int64 `json:"bytes"`
	Retransmissions int64 `json:"retransmissions"`
	OutOfOrder      int64 `json:"out_of_order"`
	Missing         int64 `json:"missing_bytes"`
	Overflow        int64 `json:"overflow_bytes"`
	FIN             bool  `json:"fin"`
	RST             bool  `json:"rst"`
}

type connRecord struct {
	ID        uint64   `json:"id"`
	Client    string   `json:"client"`
	Server    string   `json:"server"`
	Handshake bool     `json:"handshake"`
	Start     string   `json:"start"`
	Duration  float64  `json:"duration"`
	C2S       halfJSON `json:"client_to_server"`
	S2C       halfJSON `json:"server_to_client"`
	End       string   `json:"end"`
	// TLS is the handshake seen in clear, for a TLS connection.
	TLS *tlsinfo.Facts `json:"tls,omitempty"`
}

func connJSON(c *stream.Conn) connRecord {
	h := func(x *stream.Half) halfJSON {
		return halfJSON{x.Packets, x.Bytes, x.Retransmissions, x.OutOfOrder, x.Missing, x.Overflow, x.FIN, x.RST}
	}
	return connRecord{
		ID: c.ID, Client: c.Client.String(), Server: c.Server.String(), Handshake: c.Handshake,
		Start: c.First.UTC().Format(time.RFC3339Nano), Duration: c.Duration().Seconds(),
		C2S: h(&c.Half[0]), S2C: h(&c.Half[1]), End: c.End.String(),
	}
}

// follow prints a connection's line and its bytes, framed as tshark's
// follow output.
func (p *streamPrinter) follow(c *stream.Conn, b *connBuf) {
	w := p.w
	const rule = "===================================================================\n"
	w.WriteString(rule)
	fmt.Fprintf(w, "Follow: tcp,%s\n", p.f.follow)
	w.WriteString("Connection: ")
	p.line(c)
	fmt.Fprintf(w, "Node 0: %s\nNode 1: %s\n", c.Client, c.Server)
	for _, r := range b.runs {
		indent := ""
		if r.dir == stream.ServerToClient {
			indent = "\t"
		}
		if r.lost > 0 {
			fmt.Fprintf(w, "%s[%d bytes missing]\n", indent, r.lost)
		}
		if len(r.data) == 0 {
			continue
		}
		switch p.f.follow {
		case "raw":
			w.WriteString(indent)
			w.WriteString(hex.EncodeToString(r.data))
			w.WriteByte('\n')
		case "hex":
			for _, line := range strings.SplitAfter(hex.Dump(r.data), "\n") {
				if line != "" {
					w.WriteString(indent)
					w.WriteString(line)
				}
			}
		default:
			fmt.Fprintf(w, "%s[%s %d bytes]\n", indent, r.dir, len(r.data))
			w.Write(printable(r.data))
			w.WriteByte('\n')
		}
	}
	if b.dropped > 0 {
		fmt.Fprintf(w, "[%d more bytes not shown: --follow-max %d per connection, %d MiB for all open connections]\n", b.dropped, p.f.maxFollow, followTotal>>20)
	}
	w.WriteString(rule)
}

// printable replaces bytes that are not printable ASCII, newline or tab
// with '.', as tshark's ascii mode does.
func printable(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' || c == '\r' {
			out[i] = c
		} else {
			out[i] = '.'
		}
	}
	return out
}
