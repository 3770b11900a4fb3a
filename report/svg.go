package report

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
)

// Colours of the protocol classes, the status classes and the TCP health
// series (a palette readable on white, for colour-blind readers too).
var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#e15759"}

// chart geometry: the plot area inside an SVG 1000 wide.
const (
	chartW     = 1000
	plotLeft   = 70
	plotRight  = 985
	plotWidth  = plotRight - plotLeft
	plotTop    = 10
	plotHeight = 200
)

// esc escapes text for HTML and SVG.
func esc(s string) string { return html.EscapeString(s) }

// fnum formats a chart coordinate with at most two decimals.
func fnum(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// human formats a count with a k, M, G suffix.
func human(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return fnum(v/1e9) + "G"
	case a >= 1e6:
		return fnum(v/1e6) + "M"
	case a >= 1e3:
		return fnum(v/1e3) + "k"
	}
	return fnum(v)
}

// bytesHuman formats a size in bytes with binary-free SI units.
func bytesHuman(n int64) string {
	v := float64(n)
	switch {
	case v >= 1e9:
		return fnum(v/1e9) + " GB"
	case v >= 1e6:
		return fnum(v/1e6) + " MB"
	case v >= 1e3:
		return fnum(v/1e3) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func stampUTC(t time.Time) string {
	if t.IsZero() {
		return "n/a"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000000 UTC")
}

// series is one named row of values per bucket.
type series struct {
	name   string
	color  string
	values []float64
}

// timeChart writes an SVG chart over time: stacked areas (stacked) or
// lines. The plot is a nested SVG whose viewBox spans the buckets, so that
// zooming (report.js) changes only its viewBox and redraws the time axis.
func timeChart(b *strings.Builder, id, title, unit string, r *Report, ss []series, stacked bool) {
	n := 0
	for _, s := range ss {
		n = max(n, len(s.values))
	}
	top := 0.0
	sums := make([]float64, n)
	for _, s := range ss {
		for i, v := range s.values {
			if stacked {
				sums[i] += v
				top = max(top, sums[i])
			} else {
				top = max(top, v)
			}
		}
	}
	if top == 0 {
		top = 1
	}
	h := plotTop + plotHeight + 30
	fmt.Fprintf(b, `<figure class="timechart" id="%s" data-start="%d" data-step="%d" data-n="%d" data-unit="%s">`, id, r.Start.UnixNano(), int64(r.Step), n, esc(unit))
	fmt.Fprintf(b, `<figcaption>%s <span class="hint">drag to zoom, double-click to reset</span></figcaption>`, esc(title))
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, chartW, h, esc(title))
	// y axis: 0, half, top
	for _, f := range []float64{0, 0.5, 1} {
		y := plotTop + plotHeight*(1-f)
		fmt.Fprintf(b, `<line class="grid" x1="%d" x2="%d" y1="%s" y2="%s"/><text class="ylabel" x="%d" y="%s">%s</text>`,
			plotLeft, plotRight, fnum(y), fnum(y), plotLeft-6, fnum(y+4), esc(human(top*f)))
	}
	fmt.Fprintf(b, `<svg class="plot" x="%d" y="%d" width="%d" height="%d" viewBox="0 0 %d 100" preserveAspectRatio="none">`, plotLeft, plotTop, plotWidth, plotHeight, max(n, 1))
	y := func(v float64) string { return fnum(100 - v/top*100) }
	base := make([]float64, n)
	for _, s := range ss {
		if len(s.values) == 0 {
			continue
		}
		var p strings.Builder
		if stacked {
			for i, v := range s.values {
				cmd := "L"
				if i == 0 {
					cmd = "M"
				}
				fmt.Fprintf(&p, "%s%s %s", cmd, fnum(float64(i)+0.5), y(base[i]+v))
			}
			for i := n - 1; i >= 0; i-- {
				fmt.Fprintf(&p, "L%s %s", fnum(float64(i)+0.5), y(base[i]))
			}
			p.WriteString("Z")
			for i, v := range s.values {
				base[i] += v
			}
			fmt.Fprintf(b, `<path class="series area" data-name="%s" fill="%s" d="%s"/>`, esc(s.name), s.color, p.String())
		} else {
			for i, v := range s.values {
				cmd := "L"
				if i == 0 {
					cmd = "M"
				}
				fmt.Fprintf(&p, "%s%s %s", cmd, fnum(float64(i)+0.5), y(v))
			}
			fmt.Fprintf(b, `<path class="series line" data-name="%s" stroke="%s" fill="none" vector-effect="non-scaling-stroke" d="%s"/>`, esc(s.name), s.color, p.String())
		}
	}
	fmt.Fprintf(b, `<rect class="brush" x="0" y="0" width="0" height="100"/><line class="cursor" x1="-1" x2="-1" y1="0" y2="100" vector-effect="non-scaling-stroke"/></svg>`)
	// x axis, drawn again by report.js on zoom
	fmt.Fprintf(b, `<g class="xaxis" transform="translate(0,%d)">`, plotTop+plotHeight+16)
	for k := 0; k <= 4; k++ {
		x := plotLeft + plotWidth*float64(k)/4
		t := r.Start.Add(time.Duration(float64(r.Step) * float64(n) * float64(k) / 4))
		fmt.Fprintf(b, `<text x="%s"%s>%s</text>`, fnum(x), anchor(k), esc(t.UTC().Format("01-02 15:04:05")))
	}
	b.WriteString(`</g><rect class="overlay" x="70" y="10" width="915" height="200"/></svg>`)
	b.WriteString(`<div class="legend">`)
	for _, s := range ss {
		fmt.Fprintf(b, `<span><i style="background:%s"></i>%s</span>`, s.color, esc(s.name))
	}
	b.WriteString(`</div><div class="tip" hidden></div></figure>`)
}

// timeline writes the set's timeline: one lane per file, lanes grouped by
// series, gaps and overlaps marked, each file's facts on hover.
func timeline(b *strings.Builder, r *Report) {
	files := r.Set.Files
	tl := &r.Timeline
	lanes := 0
	for _, s := range tl.Series {
		lanes += len(s.Files)
	}
	laneH, gapH := 10.0, 12.0
	if lanes > 200 {
		laneH = max(2, 2000/float64(lanes))
	}
	start, end := r.Set.Beginning, r.Set.End
	span := float64(end.Sub(start))
	if span <= 0 {
		span = 1
	}
	xs := func(t time.Time) float64 { return plotLeft + plotWidth*float64(t.Sub(start))/span }
	h := float64(plotTop) + float64(lanes)*laneH + float64(len(tl.Series))*gapH + 30
	fmt.Fprintf(b, `<svg class="timeline" viewBox="0 0 %d %s" width="100%%" role="img" aria-label="files over time">`, chartW, fnum(h))
	y := float64(plotTop)
	for si, s := range tl.Series {
		fmt.Fprintf(b, `<g class="series-group" data-series="%d">`, si)
		fmt.Fprintf(b, `<text class="ylabel" x="%d" y="%s">series %d</text>`, plotLeft-6, fnum(y+laneH), si+1)
		y0 := y
		for _, fi := range s.Files {
			f := &files[fi]
			x0, x1 := xs(f.Beginning), xs(f.End)
			fmt.Fprintf(b, `<rect class="file" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s&#10;%s to %s (%s)&#10;%d packets, %s captured, file %s</title></rect>`,
				fnum(x0), fnum(y), fnum(max(x1-x0, 1)), fnum(max(laneH-1, 1)), palette[si%len(palette)],
				esc(f.Path), esc(stampUTC(f.Beginning)), esc(stampUTC(f.End)), esc(f.Duration.String()), f.Packets, esc(bytesHuman(f.Size)), esc(bytesHuman(f.FileSize)))
			y += laneH
		}
		for _, g := range s.Gaps {
			x0, x1 := xs(g.From), xs(g.To)
			fmt.Fprintf(b, `<rect class="gap" x="%s" y="%s" width="%s" height="%s"><title>gap of %s in series %d&#10;%s to %s&#10;after %s, before %s</title></rect>`,
				fnum(x0), fnum(y0), fnum(max(x1-x0, 2)), fnum(y-y0), esc(g.Duration().String()), si+1, esc(stampUTC(g.From)), esc(stampUTC(g.To)), esc(files[g.Before].Path), esc(files[g.After].Path))
		}
		for _, o := range s.Overlaps {
			x0, x1 := xs(o.From), xs(o.To)
			fmt.Fprintf(b, `<rect class="overlap" x="%s" y="%s" width="%s" height="%s"><title>overlap of %s in series %d&#10;%s to %s&#10;%s begins before %s ends</title></rect>`,
				fnum(x0), fnum(y0), fnum(max(x1-x0, 2)), fnum(y-y0), esc(o.Duration().String()), si+1, esc(stampUTC(o.From)), esc(stampUTC(o.To)), esc(files[o.After].Path), esc(files[o.Before].Path))
		}
		b.WriteString(`</g>`)
		y += gapH
	}
	fmt.Fprintf(b, `<g class="xaxis" transform="translate(0,%s)">`, fnum(y+8))
	for k := 0; k <= 4; k++ {
		t := start.Add(time.Duration(span * float64(k) / 4))
		fmt.Fprintf(b, `<text x="%s"%s>%s</text>`, fnum(plotLeft+plotWidth*float64(k)/4), anchor(k), esc(t.UTC().Format("01-02 15:04:05")))
	}
	b.WriteString(`</g></svg>`)
}

// barRow writes a horizontal bar of v out of top, as an inline SVG.
func barRow(b *strings.Builder, v, top float64, color string) {
	w := 0.0
	if top > 0 {
		w = 120 * v / top
	}
	fmt.Fprintf(b, `<svg class="bar" width="120" height="10"><rect x="0" y="0" width="%s" height="10" fill="%s"/></svg>`, fnum(w), color)
}

// anchor aligns the first tick label of five to its start and the last to
// its end, so that neither leaves the chart.
func anchor(k int) string {
	switch k {
	case 0:
		return ` style="text-anchor:start"`
	case 4:
		return ` style="text-anchor:end"`
	}
	return ""
}
