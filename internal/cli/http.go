package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/memprep"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
	"github.com/wirekit/wirekit/stream/http/redact"
	"github.com/wirekit/wirekit/tables"
	"github.com/wirekit/wirekit/tlsdecrypt"
	"github.com/wirekit/wirekit/tlsinfo"
)

type httpFlags struct {
	in      packetInput
	har     string
	jsonl   bool
	bodies  string
	maxBody int
	parquet string

	keylog       string
	redact       bool
	redactConfig string
	host, exHost []string
	path, exPath []string
	sampleRate   float64
	rateLimit    int

	out string
	sf  shardFlags
}

func newHTTPCmd(e *env) *cobra.Command {
	f := &httpFlags{}
	c := &cobra.Command{
		Use:   "http (-r FILE [-r FILE...] | -i IFACE [-i IFACE...]) [--har OUT] [--jsonl] [--parquet OUT] [--bodies DIR] [EXPR]",
		Short: "Extract HTTP/1.x and HTTP/2 transactions (gRPC, TLS with a key log): lines, JSON Lines, HAR, bodies",
		Long: `http reassembles the TCP connections of capture files, reads the HTTP/1.0 and
HTTP/1.1 requests and responses in them, pairs each request with its
response (pipelined and keep-alive requests included) and prints one line
per transaction: connection and transaction number, client and server,
method, host, URL, status, body sizes, time from request to last response
byte, and notes (no response, no request: the capture started
mid-connection, incomplete: bytes missing or the connection ended early;
body not decoded). Method, host and URL are bytes from the wire: control
characters, bytes that are not UTF-8 and other characters that do not
print are shown as \xNN, and a backslash as \\.

--jsonl prints one JSON object per transaction instead: method, url, host,
status, timings (start, first_byte, end) and, per message, headers and
sizes. --har OUT writes an HTTP Archive 1.2 file that browser devtools and
HAR viewers open ("-" writes it to standard output instead of the lines).
--bodies DIR saves every non-empty body, with chunked transfer coding
removed and gzip/deflate/zstd/br content coding undone, as
DIR/CONN-INDEX-request|response-NAME, NAME taken from the URL's last
segment, with ".partial" added when the body is incomplete (bytes missing
from the capture, the connection ended early, cut at --max-body, or
decoded only as far as it went). A body whose coding cannot be undone
(corrupt data, a gzip checksum that does not match, an unknown coding)
is named on stderr and counted in the summary, its --jsonl record has
"decode_error" (and "body_encoding" when the body is kept as sent), and
a body kept as sent is saved with ".undecoded-CODING" added to its name.
With --har, response bodies are also put in the archive (text, or
base64 for binary content). Kept bodies are cut at --max-body bytes.

--parquet OUT writes one row per transaction to a Parquet table (times,
client and server, method, host, URL and path, status, sizes, duration,
header names; docs/parquet.md) for Spark, Trino or DuckDB, after --redact
and the selection flags as every output. It goes beside --jsonl, --har
and --bodies, and in place of the printed lines when none of --jsonl and
"--har -" is given. It is written to a temporary file renamed at the end;
an OUT that already exists is refused.

Any port is parsed: a direction is taken as HTTP when its first bytes are a
request line or a status line. EXPR selects the packets given to
reassembly, as for 'wirekit read'; several -r files are merged in
timestamp order. -i captures live on a Linux interface (root or
CAP_NET_RAW) until interrupted; given several times, the interfaces'
packets are merged in timestamp order (-i any stays alone). Transactions
print as they complete, and the HAR file is written when the capture
stops.

On SIGINT or SIGTERM the packets read so far are reassembled, open
connections are ended as at the end of a file, the transactions are
written (the HAR file is then complete for them), a note on stderr says
so, and the exit code is 130 or 143.

--decap strips tunnels (GRE, ERSPAN I/II/III, VXLAN, Geneve, IP in IP) so
that reassembly and the filter see the inner packets (live, the filter
then runs in user space after the tunnels are stripped); --dedup drops
mirror copies (as 'wirekit read --dedup'). Their counts go to stderr.

A connection whose first bytes are a TLS handshake is listed by what the
handshake shows in clear: a line "CONN.- CLIENT > SERVER TLS SNI ALPN
VERSION (encrypted: not read)", or with --jsonl a record {"type":"tls",
"conn", "client", "server", "start", "tls": {sni, alpn_offered, alpn,
versions_offered, version, cipher_suite, ja3, ja3s, ja4, certificates}}
('wirekit streams --json' adds the same "tls" object to the connection).
Their count goes to stderr. --tls-keylog FILE decrypts them with the
secrets of an NSS key log (the SSLKEYLOGFILE that curl, browsers and Go's
tls.Config.KeyLogWriter write): TLS 1.3, and TLS 1.2 with AES-GCM or
ChaCha20-Poly1305 suites; the HTTP inside is read as if it were in clear,
and the TLS line says "decrypted N bytes" or why not (no key for the
session, a suite not supported, a record failing authentication: wrong
keys or damaged bytes); TLS 1.3 KeyUpdates are followed, and counted
there ("(key updates: client N, server M)"). Pairing inside TLS reads the
TCP acknowledgements too, mapped through the records to the decrypted
bytes, so reordered captures pair as in clear.

HTTP/2 is read on connections that start with its preface (prior
knowledge, as gRPC and curl --http2-prior-knowledge do), after an
"Upgrade: h2c" request's 101 response, and inside TLS decrypted with
--tls-keylog: each stream is a transaction (pseudo-headers among the
fields, :authority as the host, trailers, bodies decoded as for
HTTP/1); lines end in "h2", and a stream reset (RST_STREAM with its code),
a GOAWAY or a header-compression failure is noted. A gRPC call (Content-
Type application/grpc) shows its service, method, grpc-status and
grpc-message, and --jsonl lists each length-prefixed message. HTTP/2
whose start was not captured is not read (its header compression state
is unknown).

--redact replaces secrets before anything is written (lines, --jsonl,
--har, --bodies): the values of Authorization (its scheme kept), Cookie and
Set-Cookie (names and attributes kept), API-key and token header fields;
query parameters and JSON or form body fields named like passwords,
tokens, secrets and keys; and, anywhere, card numbers (Luhn-checked),
bearer tokens, JWTs and cloud access keys. Each becomes <redacted:N>, N
its length in bytes. A body whose coding cannot be undone is replaced
whole. --redact-config FILE (YAML: headers, fields, patterns) adds names
and regular expressions.

--host, --exclude-host, --path and --exclude-path keep or drop
transactions by regular expressions on the request's Host (else the
server address) and path (without the query); --sample-rate R keeps a
fraction R of connections, chosen by a hash of their endpoints;
--rate-limit N keeps at most N transactions per minute of capture time.
Transactions not selected are counted on stderr.`,
		Example: `  wirekit http -r capture.pcap
  wirekit http -r capture.pcap --jsonl 'tcp port 8080' | jq .url
  wirekit http -r capture.pcap --har capture.har
  wirekit http -r capture.pcap --bodies objects
  wirekit http -r capture.pcap --parquet http.parquet --redact
  wirekit http -r capture.pcap --redact --jsonl --host '^api\.' --exclude-path '^/health'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHTTP(cmd.Context(), e, f, args)
		},
	}
	fl := c.Flags()
	fl.SetInterspersed(true)
	addInputFlags(fl, &f.in)
	fl.StringVar(&f.har, "har", "", "write an HTTP Archive (HAR 1.2) to this file (- for stdout)")
	fl.BoolVar(&f.jsonl, "jsonl", false, "print one JSON object per transaction")
	fl.StringVar(&f.bodies, "bodies", "", "save decoded bodies in this directory, or as objects under this URL prefix")
	fl.StringVar(&f.parquet, "parquet", "", "write one row per transaction to this new Parquet file or object URL (beside --jsonl and --har; instead of the printed lines)")
	fl.IntVar(&f.maxBody, "max-body", whttp.DefaultMaxBodyBytes, "bytes of each body kept for --bodies and --har")
	fl.StringVar(&f.keylog, "tls-keylog", "", "decrypt TLS 1.2 (AEAD suites) and TLS 1.3 with this NSS key log (SSLKEYLOGFILE) and read the HTTP inside")
	fl.BoolVar(&f.redact, "redact", false, "replace secrets (credentials, cookies, tokens, passwords, card numbers) with <redacted:N> in every output")
	fl.StringVar(&f.redactConfig, "redact-config", "", "with --redact: YAML file adding header names, field names and patterns (keys headers, fields, patterns)")
	fl.StringArrayVar(&f.host, "host", nil, "keep only transactions whose host matches this regular expression (repeat: any)")
	fl.StringArrayVar(&f.exHost, "exclude-host", nil, "drop transactions whose host matches this regular expression (repeat: any)")
	fl.StringArrayVar(&f.path, "path", nil, "keep only transactions whose path (without query) matches this regular expression (repeat: any)")
	fl.StringArrayVar(&f.exPath, "exclude-path", nil, "drop transactions whose path matches this regular expression (repeat: any)")
	fl.Float64Var(&f.sampleRate, "sample-rate", 1, "keep this fraction of connections (0 < R <= 1), chosen by a hash of their endpoints")
	fl.IntVar(&f.rateLimit, "rate-limit", 0, "keep at most N transactions per minute of capture time (0: no limit)")
	fl.StringVarP(&f.out, "output", "o", "", "write the lines (or --jsonl) to this file or URL instead of standard output (with --shard a folder: OUT/shard=I/part.jsonl or part.txt)")
	addShardFlags(fl, &f.sf, true)
	return c
}

func runHTTP(ctx context.Context, e *env, f *httpFlags, args []string) error {
	if err := f.sf.parse("http"); err != nil {
		return err
	}
	files, ok, err := f.sf.files(ctx, e, "http", f.in.files, f.in.ifaces)
	if err != nil || !ok {
		return err
	}
	f.in.files = files
	if err := f.in.check("http"); err != nil {
		return err
	}
	_ = memprep.ForLargeHeap() // connections' state, decryption, parsing: a large heap
	if f.har == "-" && f.jsonl {
		return usagef("http: --har - and --jsonl both want standard output; give --har a file name")
	}
	if f.maxBody <= 0 {
		return usagef("http: --max-body %d: must be more than 0", f.maxBody)
	}
	if f.bodies == "-" {
		return usagef("http: --bodies takes a directory, not standard output")
	}
	if f.sf.on && f.bodies != "" {
		if blobio.IsURL(f.bodies) {
			f.bodies = blobio.Join(f.bodies, f.sf.s.Partition())
		} else {
			f.bodies = filepath.Join(f.bodies, f.sf.s.Partition())
		}
	}
	part := "part.txt"
	if f.jsonl {
		part = "part.jsonl"
	}
	if f.out, err = f.sf.output(ctx, e, "http", "--output", f.out, part); err != nil {
		return err
	}
	if f.har, err = f.sf.output(ctx, e, "http", "--har", f.har, "part.har"); err != nil {
		return err
	}
	sel, red, err := f.selection()
	if err != nil {
		return err
	}
	var keys *tlsdecrypt.KeyLog
	if f.keylog != "" {
		if keys, err = loadKeyLog(e, f.keylog); err != nil {
			return fmt.Errorf("http: --tls-keylog: %w", err)
		}
	}
	if err := checkNotInput("http", "--har", f.har, f.in.files); err != nil {
		return err
	}
	if f.parquet != "" && (f.parquet == f.har || f.parquet == "-") {
		return usagef("http: --parquet %s: give it a file name of its own", f.parquet)
	}
	if f.bodies != "" && !blobio.IsURL(f.bodies) {
		if err := os.MkdirAll(f.bodies, 0o755); err != nil {
			return fmt.Errorf("http: --bodies: %w", err)
		}
	}
	var dst io.Writer = e.stdout
	var outFile pcapio.Output
	if f.out != "" && f.out != "-" {
		if outFile, err = e.createOutput(ctx, "--output", f.out); err != nil {
			return fmt.Errorf("http: %w", err)
		}
		defer outFile.Abort() // a no-op after Close
		dst = outFile
	}
	// Reading a file with a second core, the parsing, decryption and
	// output run on a goroutine of their own (below), so both write to
	// stderr.
	pipelined := len(f.in.ifaces) == 0 && runtime.GOMAXPROCS(0) > 1
	if pipelined {
		prev := e.stderr
		e.stderr = &lockedWriter{w: prev}
		defer func() { e.stderr = prev }()
	}
	out := &httpOutput{f: f, bw: bufio.NewWriterSize(dst, 256<<10), stderr: e.stderr, sel: sel, red: red}
	if f.bodies != "" {
		// Bodies are written whole, each from memory: those of the
		// transactions completed after a signal are saved too, as in a
		// local folder (createOutput's uploads outlive the signal).
		out.bodies, out.ctx = e.folder("--bodies", f.bodies), ctx
		if err := out.bodies.check(ctx); err != nil {
			return fmt.Errorf("http: %w", err)
		}
	}
	out.lines = !f.jsonl && f.har != "-" && (f.parquet == "" || outFile != nil)
	if f.parquet != "" {
		pq, err := f.sf.tableOutput(ctx, e, "http", "--parquet", f.parquet)
		if err != nil {
			return err
		}
		if out.table, err = openTable(ctx, e, "http", "--parquet", pq); err != nil {
			return err
		}
		defer out.table.abort() // after commit, a no-op
		out.pq = tables.NewHTTPWriter(out.table.bw, tableOptions())
		out.table.close, out.table.rows = out.pq.Close, out.pq.Rows
	}
	if f.jsonl {
		out.jsonl = whttp.NewJSONLWriter(out.bw)
	}
	var harFile pcapio.Output
	if f.har != "" {
		var hw io.Writer = out.bw
		if f.har != "-" {
			var err error
			harFile, err = e.createOutput(ctx, "--har", f.har)
			if err != nil {
				return fmt.Errorf("http: %w", err)
			}
			defer harFile.Abort() // after Close, a no-op
			hw = harFile
		}
		out.har = whttp.NewHARWriter(hw, buildVersion())
	}
	// Every output writes a transaction out before the next: the parser
	// may reuse its memory.
	cfg := &whttp.Config{KeepBodies: f.bodies != "" || f.har != "", MaxBodyBytes: f.maxBody, ReuseTransactions: true}
	parser := whttp.NewParser(cfg, out.tx)
	var h stream.Handler = parser
	if keys != nil {
		out.decrypted = map[uint64]string{}
		out.alpn13 = map[uint64]string{}
		h = decryptHandler{inner: parser, keys: keys, status: func(c *stream.Conn, s *tlsdecrypt.Session) {
			id, n, alpn, gaps, err := c.ID, s.Decrypted(), s.ALPN(), s.Gaps(), s.Err
			switch {
			case errors.Is(err, tlsdecrypt.ErrGap):
				fmt.Fprintf(e.stderr, "wirekit: http: warning: connection %d (%s > %s): TLS: decrypted %d bytes, then: %v\n", id, c.Client, c.Server, n, err)
			case gaps > 0:
				fmt.Fprintf(e.stderr, "wirekit: http: warning: connection %d (%s > %s): TLS: bytes lost in capture gaps (%d); decryption resumed after each at the next record that decrypted (its sequence number found by trying the next ones)\n", id, c.Client, c.Server, gaps)
			}
			if alpn != "" {
				out.alpn13[id] = alpn
			}
			if err == nil || n > 0 {
				out.nDecrypted++
			}
			switch {
			case err != nil && n > 0:
				out.decrypted[id] = fmt.Sprintf("decrypted %d bytes, then: %v", n, err)
			case err != nil:
				out.decrypted[id] = "not decrypted: " + err.Error()
			default:
				out.decrypted[id] = fmt.Sprintf("decrypted %d bytes", n)
			}
			if cu, su := s.KeyUpdates(); cu+su > 0 {
				out.decrypted[id] += fmt.Sprintf(" (key updates: client %d, server %d)", cu, su)
			}
			if gaps > 0 {
				out.decrypted[id] += fmt.Sprintf(" (resumed after capture gaps: %d)", gaps)
			}
		}}
	}
	var all stream.Handler = teeHandler{h, &tlsTap{done: out.tls}}
	// Live, the output goes out as it comes (the idle flush below),
	// without waiting for a batch to fill: no Async.
	var async *stream.Async
	if pipelined {
		async = stream.NewAsync(all)
		all = async
	}
	asm := stream.New(nil, all, nil)
	n, err := feedPackets(ctx, e, "http", &f.in, args, asm.Packet, func(now time.Time) {
		asm.Advance(now)
		if out.jsonl != nil {
			out.jsonl.Flush()
		}
		out.bw.Flush()
	})
	asm.Flush()
	if async != nil {
		async.Close()
	}
	if err != nil && n < 0 {
		return err // the deferred Abort leaves no HAR file
	}
	if out.har != nil {
		if herr := out.har.Close(); herr != nil && out.err == nil {
			out.err = herr
		}
	}
	if harFile != nil && out.err == nil {
		if cerr := harFile.Close(); cerr != nil {
			out.err = fmt.Errorf("--har: %w", cerr)
		}
	}
	if out.table != nil && out.err == nil {
		out.err = out.table.commit()
	}
	if out.jsonl != nil {
		if jerr := out.jsonl.Flush(); jerr != nil && out.err == nil {
			out.err = jerr
		}
	}
	if berr := out.bw.Flush(); berr != nil && out.err == nil {
		out.err = berr
	}
	if outFile != nil && out.err == nil {
		if cerr := outFile.Close(); cerr != nil {
			out.err = fmt.Errorf("--output: %w", cerr)
		}
	}
	ps, ss := parser.Stats(), asm.Stats()
	fmt.Fprintf(e.stderr, "%d packets, %d connections, %d transactions (%d requests, %d responses; %d without response, %d without request)",
		ss.Packets, ss.Conns, out.n, ps.Requests, ps.Responses, ps.Unanswered, ps.Unrequested)
	if ps.HTTP2 > 0 {
		fmt.Fprintf(e.stderr, "; %d HTTP/2 connections", ps.HTTP2)
	}
	if ps.HTTP2Mid > 0 {
		fmt.Fprintf(e.stderr, " (%d picked up mid-connection, %d header fields unknown)", ps.HTTP2Mid, ps.UnknownHeaders)
	} else if ps.UnknownHeaders > 0 {
		fmt.Fprintf(e.stderr, "; %d HTTP/2 header fields unknown", ps.UnknownHeaders)
	}
	if ps.Resyncs > 0 || ss.Overflow > 0 {
		fmt.Fprintf(e.stderr, "; %d resyncs, %d bytes skipped", ps.Resyncs, ps.SkippedBytes)
	}
	if out.undecoded > 0 {
		fmt.Fprintf(e.stderr, "; %d bodies not decoded", out.undecoded)
	}
	if out.tlsConns > 0 && out.decrypted != nil {
		fmt.Fprintf(e.stderr, "; %d TLS connections (%d decrypted)", out.tlsConns, out.nDecrypted)
	} else if out.tlsConns > 0 {
		fmt.Fprintf(e.stderr, "; %d TLS connections (not decrypted)", out.tlsConns)
	}
	if sel != nil && sel.Dropped > 0 {
		fmt.Fprintf(e.stderr, "; %d not selected", sel.Dropped)
	}
	fmt.Fprintln(e.stderr)
	if err == nil && out.err != nil {
		err = fmt.Errorf("http: %w", out.err)
	}
	if err == nil {
		var where []string
		if f.har != "" && f.har != "-" {
			where = append(where, "the HAR file "+f.har+" is complete for them")
		}
		if f.parquet != "" {
			where = append(where, "the Parquet table "+f.parquet+" holds them")
		}
		if f.bodies != "" {
			where = append(where, "their bodies are in "+f.bodies)
		}
		what := fmt.Sprintf("%d packets read, %d transactions from them written", n, out.n)
		if len(where) > 0 {
			what += "; " + strings.Join(where, ", ")
		}
		err = interrupted(ctx, "http", "%s", what)
	}
	return err
}

// buildVersion is the module version wirekit was built as, or "devel".
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// httpOutput writes transactions as they complete.
type httpOutput struct {
	f     *httpFlags
	bw    *bufio.Writer
	jsonl *whttp.JSONLWriter
	har   *whttp.HARWriter
	n     int64
	err   error

	stderr    io.Writer
	undecoded int // bodies whose content coding could not be undone

	tlsConns  int               // TLS connections seen
	decrypted map[uint64]string // --tls-keylog: each TLS connection's outcome
	alpn13    map[uint64]string // --tls-keylog: TLS 1.3's chosen ALPN, decrypted
	// nDecrypted counts the TLS connections decrypted (wholly or in
	// part); decrypted's entries are dropped once written.
	nDecrypted int

	sel *whttp.Selection // nil: every transaction
	red *redact.Redactor // nil: no redaction

	bodies *folderOutput   // --bodies
	ctx    context.Context // for writing bodies

	midWarned map[uint64]bool    // connections warned about as picked up mid-connection
	lines     bool               // print a line per transaction and TLS connection
	table     *tableOutput       // --parquet
	pq        *tables.HTTPWriter // --parquet's rows
}

// selection builds the transaction selection and the redactor the flags
// ask for (nil when they ask for none).
func (f *httpFlags) selection() (*whttp.Selection, *redact.Redactor, error) {
	var red *redact.Redactor
	if f.redactConfig != "" && !f.redact {
		return nil, nil, usagef("http: --redact-config needs --redact")
	}
	if f.redact {
		var cfg *redact.Config
		if f.redactConfig != "" {
			var err error
			if cfg, err = redact.LoadConfig(f.redactConfig); err != nil {
				return nil, nil, fmt.Errorf("http: --redact-config: %w", err)
			}
		}
		var err error
		if red, err = redact.New(cfg); err != nil {
			return nil, nil, fmt.Errorf("http: --redact-config %s: %w", f.redactConfig, err)
		}
	}
	if f.sampleRate <= 0 || f.sampleRate > 1 {
		return nil, nil, usagef("http: --sample-rate %g: must be more than 0 and at most 1", f.sampleRate)
	}
	if f.rateLimit < 0 {
		return nil, nil, usagef("http: --rate-limit %d: must be 0 (no limit) or more", f.rateLimit)
	}
	sel := &whttp.Selection{SampleRate: f.sampleRate, RateLimit: f.rateLimit}
	for _, x := range []struct {
		flag string
		res  []string
		dst  **regexp.Regexp
	}{{"--host", f.host, &sel.Host}, {"--exclude-host", f.exHost, &sel.ExcludeHost},
		{"--path", f.path, &sel.Path}, {"--exclude-path", f.exPath, &sel.ExcludePath}} {
		if len(x.res) == 0 {
			continue
		}
		re, err := regexp.Compile("(?:" + strings.Join(x.res, ")|(?:") + ")")
		if err != nil {
			for _, r := range x.res {
				if _, e := regexp.Compile(r); e != nil {
					return nil, nil, usagef("http: %s %q: %v", x.flag, r, e)
				}
			}
			return nil, nil, usagef("http: %s: %v", x.flag, err)
		}
		*x.dst = re
	}
	return sel, red, nil
}

func (o *httpOutput) tx(tx *whttp.Transaction) {
	if o.sel != nil && !o.sel.Keep(tx) {
		return
	}
	if o.red != nil {
		o.red.Transaction(tx)
	}
	o.n++
	for _, km := range []struct {
		kind string
		m    *whttp.Message
	}{{"request", tx.Request}, {"response", tx.Response}} {
		saved := ""
		if o.f.bodies != "" {
			saved = o.saveBody(tx, km.kind, km.m)
		}
		if km.m != nil && km.m.DecodeError != "" {
			o.decodeNote(tx, km.kind, km.m, saved)
		}
	}
	if (strings.Contains(tx.Note, whttp.NoteMidConnection) || strings.Contains(tx.Note, whttp.NoteGap)) && !o.midWarned[tx.Conn] && len(o.midWarned) < maxDecodeNotes {
		if o.midWarned == nil {
			o.midWarned = map[uint64]bool{}
		}
		o.midWarned[tx.Conn] = true
		fmt.Fprintf(o.stderr, "wirekit: http: warning: connection %d (%s > %s): %s\n", tx.Conn, tx.Client, tx.Server, escapeText(tx.Note))
		if len(o.midWarned) == maxDecodeNotes {
			fmt.Fprintf(o.stderr, "wirekit: http: more connections picked up mid-connection or with bytes lost are only counted\n")
		}
	}
	if o.har != nil {
		if err := o.har.Write(tx); err != nil && o.err == nil {
			o.err = err
		}
	}
	if o.pq != nil {
		if err := o.pq.Write(tx); err != nil && o.err == nil {
			o.err = fmt.Errorf("--parquet %s: %w", o.f.parquet, err)
		}
	}
	switch {
	case o.jsonl != nil:
		if err := o.jsonl.Write(tx); err != nil && o.err == nil {
			o.err = err
		}
	case o.lines:
		o.line(tx)
	}
}

// tls writes a TLS connection's handshake facts: a --jsonl record, or a
// summary line (not with --har -).
func (o *httpOutput) tls(c *stream.Conn, f *tlsinfo.Facts) {
	o.tlsConns++
	if a, ok := o.alpn13[c.ID]; ok && f.ALPN == "" {
		f.ALPN = a // chosen in TLS 1.3's EncryptedExtensions, read once decrypted
		delete(o.alpn13, c.ID)
	}
	switch {
	case o.jsonl != nil:
		rec := struct {
			*tlsinfo.Facts
			Decryption string `json:"decryption,omitempty"`
		}{Facts: f}
		if o.decrypted != nil {
			rec.Decryption = o.decrypted[c.ID]
			delete(o.decrypted, c.ID)
		}
		if err := o.jsonl.WriteConn("tls", c.ID, c.Client, c.Server, c.First, rec); err != nil && o.err == nil {
			o.err = err
		}
	case !o.lines:
		if o.decrypted != nil {
			delete(o.decrypted, c.ID)
		}
	default:
		sni, alpn := f.SNI, f.ALPN
		if sni == "" {
			sni = "-"
		}
		if alpn == "" {
			alpn = strings.Join(f.ALPNOffered, ",")
			if alpn == "" {
				alpn = "-"
			}
		}
		version := f.Version
		if version == "" {
			version = "-"
		}
		note := "encrypted: not read"
		if o.decrypted != nil {
			note = o.decrypted[c.ID]
			delete(o.decrypted, c.ID)
		}
		fmt.Fprintf(o.bw, "%d.- %s > %s TLS %s %s %s (%s)\n", c.ID, c.Client, c.Server, escapeText(sni), escapeText(alpn), version, note)
	}
}

// line prints the one-line summary of a transaction.
func (o *httpOutput) line(tx *whttp.Transaction) {
	w := o.bw
	fmt.Fprintf(w, "%d.%d %s > %s ", tx.Conn, tx.Index, tx.Client, tx.Server)
	var notes []string
	if q := tx.Request; q != nil {
		host := q.Get("Host")
		if host == "" {
			host = "-"
		}
		// Bytes from the wire: escaped, so that a URL cannot drive the
		// terminal.
		fmt.Fprintf(w, "%s %s %s", escapeText(q.Method), escapeText(host), escapeText(q.URL))
		if !q.Complete {
			notes = append(notes, "request incomplete")
		}
	} else {
		w.WriteString("- - -")
		notes = append(notes, "no request")
	}
	if q := tx.Request; q != nil && q.DecodeError != "" {
		notes = append(notes, "request body not decoded")
	}
	if s := tx.Response; s != nil {
		fmt.Fprintf(w, " -> %d", s.Status)
		if !s.Complete {
			notes = append(notes, "response incomplete")
		}
		if s.DecodeError != "" {
			notes = append(notes, "response body not decoded")
		}
	} else {
		w.WriteString(" -> -")
		notes = append(notes, "no response")
	}
	var qb, sb int64
	if tx.Request != nil {
		qb = tx.Request.ContentBytes
	}
	if tx.Response != nil {
		sb = tx.Response.ContentBytes
	}
	start, end := tx.Span()
	fmt.Fprintf(w, " %d/%d B %.3f ms", qb, sb, float64(end.Sub(start).Microseconds())/1000)
	if q := tx.Request; q != nil && q.Proto == "HTTP/2.0" {
		w.WriteString(" h2")
	}
	if g := whttp.GRPC(tx); g != nil {
		fmt.Fprintf(w, " grpc %s/%s", escapeText(g.Service), escapeText(g.Method))
		if g.Status != nil {
			fmt.Fprintf(w, " status %d", *g.Status)
		}
		if g.Message != "" {
			fmt.Fprintf(w, " %q", g.Message)
		}
	}
	if tx.Note != "" {
		notes = append(notes, tx.Note)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(notes, ", "))
	}
	w.WriteByte('\n')
}

// maxDecodeNotes is how many bodies that failed to decode are named on
// stderr; the summary line counts them all.
const maxDecodeNotes = 10

// decodeNote tells on stderr that a body's content coding could not be
// undone, and what was kept instead.
func (o *httpOutput) decodeNote(tx *whttp.Transaction, kind string, m *whttp.Message, saved string) {
	o.undecoded++
	if o.undecoded > maxDecodeNotes {
		return
	}
	what := "request not captured"
	if q := tx.Request; q != nil {
		what = escapeText(q.Method) + " " + escapeText(q.Get("Host")) + escapeText(q.URL)
	}
	kept := "kept decoded as far as it went"
	if m.BodyEncoding != "" {
		kept = "kept as sent, still " + m.BodyEncoding + "-encoded"
	}
	if saved != "" {
		kept += ", in " + escapeText(saved)
	}
	fmt.Fprintf(o.stderr, "wirekit: http: %d.%d %s body (%s): not decoded: %s; %s\n", tx.Conn, tx.Index, kind, what, escapeText(m.DecodeError), kept)
	if o.undecoded == maxDecodeNotes {
		fmt.Fprintf(o.stderr, "wirekit: http: more bodies that fail to decode are only counted\n")
	}
}

// saveBody writes one decoded body to --bodies (a local folder, through a
// temporary file, or a URL prefix, an object published whole) and returns
// its path or URL ("" when nothing was saved). A body that could not
// be decoded at all is saved as sent under a name ending in
// ".undecoded-CODING", so that it cannot be taken for the content.
func (o *httpOutput) saveBody(tx *whttp.Transaction, kind string, m *whttp.Message) string {
	if m == nil || len(m.Body) == 0 || o.err != nil {
		return ""
	}
	name := "body"
	if tx.Request != nil {
		p := tx.Request.URL
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if b := path.Base(p); b != "/" && b != "." && b != "" {
			name = b
		}
	}
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, name)
	if len(name) > 100 {
		name = name[:100]
	}
	if m.BodyEncoding != "" {
		name += ".undecoded-" + strings.Map(func(r rune) rune {
			if r == ',' || r == ' ' || r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
				return '+'
			}
			return r
		}, strings.ReplaceAll(m.BodyEncoding, ", ", ","))
	}
	if !m.Complete || m.BodyTruncated {
		name += ".partial" // bytes missing, cut by --max-body, or not decoded to its end
	}
	file := fmt.Sprintf("%06d-%03d-%s-%s", tx.Conn, tx.Index, kind, name)
	final := o.bodies.path(file)
	fh, err := o.bodies.create(o.ctx, file)
	if err != nil {
		o.err = err // it names --bodies and the file
		return ""
	}
	_, err = fh.Write(m.Body)
	if err == nil {
		err = fh.Close()
	} else {
		fh.Abort()
	}
	if err != nil {
		o.err = fmt.Errorf("--bodies: %w", err)
		return ""
	}
	return final
}

// loadKeyLog reads a key log from a local path (tlsdecrypt.LoadKeyLog) or
// an object storage URL.
func loadKeyLog(e *env, name string) (*tlsdecrypt.KeyLog, error) {
	if !blobio.IsURL(name) {
		return tlsdecrypt.LoadKeyLog(name)
	}
	b, err := e.readAll(name)
	if err != nil {
		return nil, err
	}
	return tlsdecrypt.ParseKeyLog(bytes.NewReader(b), name)
}
