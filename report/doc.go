// Package report reads a capture set once and writes one self-contained
// HTML page that shows it at a glance: the set's timeline (one lane per
// file, grouped into the sequential series the files form, found from
// their time spans, with gaps and overlaps marked), traffic over time
// (packets and bits per second stacked by protocol, with zoom on the time
// axis), the protocol hierarchy (as 'tshark -z io,phs'), top talkers and
// conversations, TCP health over time (retransmissions, out-of-order
// segments, resets, zero windows) and, when there is HTTP, transactions
// over time by status class and latency percentiles per host and path
// template (/users/{id}).
//
// # Use
//
//	set, err := dataset.Scan(ctx, paths, nil) // or dataset.Load(map.json)
//	r, err := report.Build(ctx, set, nil)
//	err = r.WriteHTML(w)
//
// # Where the numbers come from
//
// The page reuses what wirekit's commands compute, so its numbers agree
// with theirs on the same input: the files' spans, packets and sizes are
// the map (package dataset, 'wirekit map'); conversations and talkers come
// from package flow ('wirekit flows'); retransmissions and out-of-order
// segments from the TCP reassembly of package stream ('wirekit streams');
// HTTP transactions and their latency from package stream/http ('wirekit
// http'); protocol stacks from decode.Stack.
//
// # Bounded memory
//
// Build reads the packets once, in global timestamp order, opening each
// file only when the reading reaches the first packet time the map gives
// for it and closing it at its end, so the files open at once are those
// that overlap in time (about one per capture worker). Charts over time
// have Config.Points buckets (600 by default) whatever the set's length;
// the conversation table, the reassembly and the HTTP parser keep their
// own caps; the talkers table holds at most 65,536 hosts (past that the
// smaller half is dropped and the page says so); latency percentiles are
// exact up to 4,096 transactions per template and from a uniform sample
// beyond; at most 1,000 templates are kept (the rest count as "(other)").
//
// # The page
//
// Charts are SVG written by this package; a small inlined script zooms the
// time axis (drag on a chart, double-click to reset) and shows values on
// hover. Nothing is fetched when the page is viewed, and its size stays
// under SizeBudget. The Report's numbers are embedded as JSON in the
// script element with id "wirekit-data".
package report
