package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

//go:embed assets/report.css
var css string

//go:embed assets/report.js
var script string

// WriteHTML writes the report as one self-contained HTML page: charts are
// SVG written here, styles and the small script that zooms the time axis
// and shows values on hover are inlined, and nothing is fetched when the
// page is viewed. The report's numbers are also embedded as JSON (the
// script element with id "wirekit-data"), for tools and tests.
//
// The page's size is bounded whatever the size of the set: about 1 MB for
// the charts and tables at the default Points and Top, plus about 600
// bytes per input file (its lane on the timeline); see SizeBudget. It
// returns the first error writing to w.
func (r *Report) WriteHTML(w io.Writer) error {
	var b strings.Builder
	b.Grow(1 << 20)
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">`)
	fmt.Fprintf(&b, "<title>%s</title><style>%s</style></head><body>", esc(r.Title), css)
	fmt.Fprintf(&b, "<header><h1>%s</h1>", esc(r.Title))
	r.summary(&b)
	b.WriteString("</header><main>")

	section(&b, "timeline", "Files over time", fmt.Sprintf("%d files in %d sequential series, found from their time spans; gaps longer than %s in red, overlaps in orange; hover a file for its facts.",
		len(r.Set.Files), len(r.Timeline.Series), r.Timeline.MinGap.Round(time.Millisecond)))
	timeline(&b, r)
	r.gapTable(&b)
	b.WriteString("</section>")

	secs := r.Step.Seconds()
	pps := make([]series, len(r.Traffic.Classes))
	bps := make([]series, len(r.Traffic.Classes))
	for k, name := range r.Traffic.Classes {
		pps[k] = series{name: name, color: palette[k%len(palette)], values: rate(r.Traffic.Packets[k], secs, 1)}
		bps[k] = series{name: name, color: palette[k%len(palette)], values: rate(r.Traffic.Bytes[k], secs, 8)}
	}
	pps, bps = nonEmpty(pps), nonEmpty(bps)
	section(&b, "traffic", "Traffic over time", fmt.Sprintf("Stacked by protocol, in steps of %s. %s packets, %s on the wire.", r.Step, human(float64(r.Packets)), bytesHuman(r.Bytes)))
	timeChart(&b, "pps", "Packets per second", "packets/s", r, pps, true)
	timeChart(&b, "bps", "Bits per second", "bits/s", r, bps, true)
	b.WriteString("</section>")

	section(&b, "phs", "Protocol hierarchy", "Frames and wire bytes by protocol stack, as tshark -z io,phs.")
	r.hierarchy(&b)
	b.WriteString("</section>")

	section(&b, "talkers", "Top talkers and conversations", fmt.Sprintf("From the conversation table (%d conversations, as wirekit flows); bytes are frame bytes.", r.Flows))
	r.talkers(&b)
	r.conversations(&b)
	b.WriteString("</section>")

	section(&b, "tcp", "TCP health over time", fmt.Sprintf("%d connections, %d segments: %d retransmitted, %d out of order (as wirekit streams counts them), %d resets, %d zero windows.",
		r.TCP.Conns, r.TCP.Segments, r.TCP.TotalRetransmissions, r.TCP.TotalOutOfOrder, r.TCP.TotalResets, r.TCP.TotalZeroWindows))
	timeChart(&b, "tcphealth", "TCP events per second", "events/s", r, []series{
		{"retransmissions", palette[9], rate(r.TCP.Retransmissions, secs, 1)},
		{"out of order", palette[1], rate(r.TCP.OutOfOrder, secs, 1)},
		{"resets", palette[5], rate(r.TCP.Resets, secs, 1)},
		{"zero windows", palette[0], rate(r.TCP.ZeroWindows, secs, 1)},
	}, false)
	b.WriteString("</section>")

	if h := r.HTTP; h != nil {
		section(&b, "http", "HTTP", fmt.Sprintf("%d transactions (as wirekit http); latency from the request's first byte to the response's last, per host and path template.", h.Transactions))
		var ss []series
		for k, name := range StatusClasses {
			ss = append(ss, series{name: name, color: statusColor(k), values: rate(h.ByClass[k], secs, 1)})
		}
		timeChart(&b, "httpstatus", "Transactions per second by status class", "transactions/s", r, nonEmpty(ss), true)
		r.endpoints(&b)
		b.WriteString("</section>")
	}
	if len(r.Errors) > 0 {
		section(&b, "errors", "Files not read to the end", "What was read before the damage is in the report.")
		b.WriteString("<ul>")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "<li>%s</li>", esc(e))
		}
		b.WriteString("</ul></section>")
	}
	b.WriteString("</main><footer>Written by wirekit report: one self-contained page, nothing fetched when viewed.</footer>")
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	// </script> cannot appear in JSON text once '<' is escaped, which
	// encoding/json does.
	fmt.Fprintf(&b, `<script type="application/json" id="wirekit-data">%s</script><script>%s</script></body></html>`, data, script)
	_, err = io.WriteString(w, b.String())
	return err
}

// SizeBudget is the most bytes WriteHTML writes for a set of files files
// at the default Points and Top: 1.5 MB for the charts, tables and data,
// and 1 kB per file for its lane on the timeline and its map entry.
func SizeBudget(files int) int64 { return 1500_000 + 1000*int64(files) }

func section(b *strings.Builder, id, title, note string) {
	fmt.Fprintf(b, `<section id="%s"><h2>%s</h2><p class="note">%s</p>`, id, esc(title), esc(note))
}

func statusColor(k int) string {
	return []string{"#bab0ac", "#59a14f", "#4e79a7", "#f28e2b", "#e15759", "#9c755f"}[k]
}

// rate turns counts per bucket into a rate per second, times mul.
func rate(counts []int64, secs, mul float64) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = float64(c) * mul / secs
	}
	return out
}

// nonEmpty drops series that are zero throughout.
func nonEmpty(ss []series) []series {
	var out []series
	for _, s := range ss {
		for _, v := range s.values {
			if v != 0 {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func (r *Report) summary(b *strings.Builder) {
	s := r.Set
	gaps, overlaps := 0, 0
	for _, se := range r.Timeline.Series {
		gaps += len(se.Gaps)
		overlaps += len(se.Overlaps)
	}
	b.WriteString(`<dl class="summary">`)
	item := func(k, v string) { fmt.Fprintf(b, "<div><dt>%s</dt><dd>%s</dd></div>", esc(k), esc(v)) }
	item("Files", fmt.Sprintf("%d (%s)", len(s.Files), bytesHuman(s.FileSize)))
	item("Series", fmt.Sprintf("%d, %d gaps, %d overlaps", len(r.Timeline.Series), gaps, overlaps))
	item("Packets", fmt.Sprintf("%d", r.Packets))
	item("Bytes", bytesHuman(r.Bytes))
	item("First packet", stampUTC(s.Beginning))
	item("Last packet", stampUTC(s.End))
	item("Duration", s.Duration.String())
	item("Conversations", fmt.Sprintf("%d", r.Flows))
	item("TCP connections", fmt.Sprintf("%d", r.TCP.Conns))
	if r.HTTP != nil {
		item("HTTP transactions", fmt.Sprintf("%d", r.HTTP.Transactions))
	}
	b.WriteString("</dl>")
}

func (r *Report) gapTable(b *strings.Builder) {
	type row struct {
		kind   string
		series int
		s      Span
	}
	var rows []row
	for i, se := range r.Timeline.Series {
		for _, g := range se.Gaps {
			rows = append(rows, row{"gap", i + 1, g})
		}
		for _, o := range se.Overlaps {
			rows = append(rows, row{"overlap", i + 1, o})
		}
	}
	if len(rows) == 0 {
		b.WriteString(`<p class="note">No gap and no overlap in any series.</p>`)
		return
	}
	const maxRows = 200
	b.WriteString(`<table class="gaps"><thead><tr><th>kind</th><th>series</th><th>from</th><th>to</th><th>length</th><th>between</th></tr></thead><tbody>`)
	for i, x := range rows {
		if i == maxRows {
			fmt.Fprintf(b, `<tr><td colspan="6">and %d more</td></tr>`, len(rows)-maxRows)
			break
		}
		fmt.Fprintf(b, `<tr class="%s"><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s and %s</td></tr>`,
			x.kind, x.kind, x.series, esc(stampUTC(x.s.From)), esc(stampUTC(x.s.To)), esc(x.s.Duration().Round(time.Microsecond).String()),
			esc(r.Set.Files[x.s.Before].Path), esc(r.Set.Files[x.s.After].Path))
	}
	b.WriteString("</tbody></table>")
}

func (r *Report) hierarchy(b *strings.Builder) {
	b.WriteString(`<table class="phs"><thead><tr><th>protocol</th><th>frames</th><th>% frames</th><th>bytes</th><th>% bytes</th><th></th></tr></thead><tbody>`)
	total := r.Hierarchy
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		pf, pb := 0.0, 0.0
		if total.Frames > 0 {
			pf = 100 * float64(n.Frames) / float64(total.Frames)
		}
		if total.Bytes > 0 {
			pb = 100 * float64(n.Bytes) / float64(total.Bytes)
		}
		fmt.Fprintf(b, `<tr class="proto" data-frames="%d"><td style="padding-left:%dem">%s</td><td>%d</td><td>%.2f</td><td>%d</td><td>%.2f</td><td>`,
			n.Frames, depth+1, esc(n.Name), n.Frames, pf, n.Bytes, pb)
		barRow(b, float64(n.Frames), float64(total.Frames), palette[0])
		b.WriteString("</td></tr>")
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	walk(total, 0)
	b.WriteString("</tbody></table>")
}

func (r *Report) talkers(b *strings.Builder) {
	b.WriteString(`<h3>Top talkers</h3>`)
	if !r.TalkersExact {
		b.WriteString(`<p class="note">More hosts than the table holds: the smallest were dropped as it filled, so totals of the hosts below may be low.</p>`)
	}
	b.WriteString(`<table class="talkers"><thead><tr><th>host</th><th>sent</th><th>received</th><th>packets</th><th>conversations</th><th></th></tr></thead><tbody>`)
	var top float64
	if len(r.Talkers) > 0 {
		top = float64(r.Talkers[0].Sent + r.Talkers[0].Received)
	}
	for _, t := range r.Talkers {
		fmt.Fprintf(b, `<tr class="talker"><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>`, esc(t.Host), bytesHuman(t.Sent), bytesHuman(t.Received), t.Packets, t.Flows)
		barRow(b, float64(t.Sent+t.Received), top, palette[0])
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody></table>")
}

func (r *Report) conversations(b *strings.Builder) {
	b.WriteString(`<h3>Top conversations</h3><table class="conversations"><thead><tr><th>proto</th><th>service</th><th>originator</th><th>responder</th><th>start</th><th>duration</th><th>bytes orig/resp</th><th>packets orig/resp</th><th>state</th><th></th></tr></thead><tbody>`)
	var top float64
	if len(r.Conversations) > 0 {
		top = float64(r.Conversations[0].Total())
	}
	for _, c := range r.Conversations {
		fmt.Fprintf(b, `<tr class="conversation"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d / %d</td><td>%d / %d</td><td>%s</td><td>`,
			esc(c.Proto), esc(c.Service), esc(c.Orig), esc(c.Resp), esc(stampUTC(c.Start)), esc(c.Duration.Round(time.Microsecond).String()), c.OrigBytes, c.RespBytes, c.OrigPkts, c.RespPkts, esc(c.State))
		barRow(b, float64(c.Total()), top, palette[3])
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody></table>")
}

// ms formats a latency as 'wirekit http' does: milliseconds with three
// decimals, from whole microseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d.Microseconds())/1000) }

func (r *Report) endpoints(b *strings.Builder) {
	h := r.HTTP
	b.WriteString(`<h3>Latency per host and path template (ms)</h3>`)
	if h.EndpointsCapped {
		fmt.Fprintf(b, `<p class="note">More than %d templates: the rest are counted under (other).</p>`, maxEndpoints)
	}
	b.WriteString(`<table class="endpoints"><thead><tr><th>host</th><th>path template</th><th>transactions</th><th>5xx</th><th>p50</th><th>p90</th><th>p99</th><th>max</th><th></th></tr></thead><tbody>`)
	var top time.Duration
	for _, e := range h.Endpoints {
		top = max(top, e.P99)
	}
	const maxRows = 100
	for i, e := range h.Endpoints {
		if i == maxRows {
			fmt.Fprintf(b, `<tr><td colspan="9">and %d more templates (in the JSON data)</td></tr>`, len(h.Endpoints)-maxRows)
			break
		}
		sampled := ""
		if e.Sampled {
			sampled = " *"
		}
		fmt.Fprintf(b, `<tr class="endpoint"><td>%s</td><td>%s</td><td>%d%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>`,
			esc(e.Host), esc(e.Path), e.Count, sampled, e.Errors, ms(e.P50), ms(e.P90), ms(e.P99), ms(e.Max))
		barRow(b, float64(e.P99), float64(top), palette[1])
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody></table>")
}
