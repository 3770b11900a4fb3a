package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/flow"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// Defaults of Config.
const (
	DefaultPoints = 600 // time buckets per chart
	DefaultTop    = 20  // talkers and conversations listed
)

// Config tunes Build; nil means the defaults.
type Config struct {
	// Title heads the page (default "wirekit report").
	Title string
	// Points is how many time buckets the charts over time have (default
	// DefaultPoints, at most 5000): the set's span divided into equal
	// steps.
	Points int
	// Top is how many talkers and conversations are listed (default
	// DefaultTop).
	Top int
	// Timeline tunes how files are grouped into series.
	Timeline *TimelineConfig
	// Flow tunes the conversation table (package flow's defaults when nil).
	Flow *flow.Config
	// Progress, when not nil, is called now and then with the packets
	// read so far.
	Progress func(packets int64)
	// Open, when set, opens each file of the set instead of pcapio.Open
	// (a capture in object storage, say); its errors are the file's, as
	// pcapio.Open's are.
	Open func(path string) (*pcapio.Reader, error)
}

// Report is what Build found in a set: everything the page shows, and
// the numbers it shows, for callers who want them without the page.
type Report struct {
	Title string `json:"title"`
	// Set is the map of the input files (package dataset).
	Set *dataset.Set `json:"set"`
	// Timeline groups the files into sequential series.
	Timeline Timeline `json:"timeline"`
	// Start is the beginning of the first time bucket, Step the length of
	// each.
	Start time.Time     `json:"start"`
	Step  time.Duration `json:"step"`
	// Packets and Bytes (wire lengths) count every packet read.
	Packets int64 `json:"packets"`
	Bytes   int64 `json:"bytes"`
	// Traffic is packets and bytes per time bucket, by protocol class.
	Traffic Traffic `json:"traffic"`
	// Hierarchy is the protocol hierarchy, as 'tshark -z io,phs'.
	Hierarchy *Node `json:"hierarchy"`
	// Talkers and Conversations come from the conversation table (package
	// flow), largest first by frame bytes.
	Talkers       []Talker       `json:"talkers"`
	TalkersExact  bool           `json:"talkers_exact"`
	Conversations []Conversation `json:"conversations"`
	Flows         int64          `json:"flows"`
	// TCP is the TCP health over time.
	TCP TCPHealth `json:"tcp"`
	// HTTP is nil when no HTTP transaction was found.
	HTTP *HTTPSummary `json:"http,omitempty"`
	// Errors lists the files that could not be read to the end (what was
	// read before the damage is in the report).
	Errors []string `json:"errors,omitempty"`
	// MaxOpenFiles is how many files were open at once while reading.
	MaxOpenFiles int `json:"max_open_files"`
}

// Build reads the files of set once, in global timestamp order, and
// aggregates what the page shows. Memory stays bounded whatever the size
// of the set: files are opened only while the reading is inside their time
// span, the charts over time have a fixed number of buckets, and the
// conversation table, TCP reassembly and HTTP parser have caps (see
// package doc).
//
// A file that cannot be opened or is damaged is named in Report.Errors
// and the rest is read; Build returns an error only when ctx is cancelled
// (with the report of what was read) or when the set has no file.
func Build(ctx context.Context, set *dataset.Set, cfg *Config) (*Report, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if set == nil || len(set.Files) == 0 {
		return nil, errors.New("report: the set has no file")
	}
	if c.Title == "" {
		c.Title = "wirekit report"
	}
	if c.Points <= 0 {
		c.Points = DefaultPoints
	}
	c.Points = min(c.Points, 5000)
	if c.Top <= 0 {
		c.Top = DefaultTop
	}
	r := &Report{Title: c.Title, Set: set, Timeline: FindSeries(set.Files, c.Timeline)}
	start, end := set.Beginning, set.End
	if start.IsZero() {
		start, end = time.Unix(0, 0).UTC(), time.Unix(1, 0).UTC()
	}
	span := end.Sub(start)
	step := niceStep((span + time.Duration(c.Points) - 1) / time.Duration(c.Points))
	n := int(end.Sub(start)/step) + 1
	r.Start, r.Step = start, step
	col, err := newCollector(r, n, &c)
	if err != nil {
		return nil, err
	}
	m := newLazyMerge(set.Files, c.Open)
	defer m.close()
	var rerr error
	for {
		if r.Packets%4096 == 0 {
			if err := ctx.Err(); err != nil {
				rerr = fmt.Errorf("report: stopped after %d packets: %w", r.Packets, err)
				break
			}
			if c.Progress != nil && r.Packets > 0 {
				c.Progress(r.Packets)
			}
		}
		data, ci, lt, _, err := m.read()
		if err == io.EOF {
			break
		}
		col.packet(ci, data, lt)
	}
	col.finish()
	r.MaxOpenFiles = m.maxOpen
	if err := m.err(); err != nil {
		for _, e := range m.errs {
			r.Errors = append(r.Errors, e.Error())
		}
	}
	return r, rerr
}

// assemblerConfig is the TCP reassembly's configuration: the package's
// defaults, as 'wirekit streams' and 'wirekit http' use.
func assemblerConfig() *stream.Config { return nil }

// httpConfig is the HTTP parser's: no bodies kept.
func httpConfig() *whttp.Config { return &whttp.Config{} }

// niceStep returns the smallest round duration (1, 2 or 5 times a power of
// ten from 1 µs, then 1, 2, 5, 10, 15 and 30 s, minutes and hours, then
// days) not below d.
func niceStep(d time.Duration) time.Duration {
	for s := time.Microsecond; s < time.Second; s *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			if m*s >= d {
				return m * s
			}
		}
	}
	for _, unit := range []time.Duration{time.Second, time.Minute} {
		for _, m := range []time.Duration{1, 2, 5, 10, 15, 30} {
			if m*unit >= d {
				return m * unit
			}
		}
	}
	for _, m := range []time.Duration{1, 2, 3, 6, 12} {
		if m*time.Hour >= d {
			return m * time.Hour
		}
	}
	day := 24 * time.Hour
	return (d + day - 1) / day * day
}
