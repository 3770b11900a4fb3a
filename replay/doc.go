// Package replay sends a set of capture files to a sink (a network
// interface, a capture file, or nowhere) with the timing of the original
// capture, in exact global timestamp order.
//
// One scheduler drives everything: a k-way merge of all files by timestamp
// (pcapio.MergeSources, not a goroutine per file) feeds a pacer that gives
// every packet an absolute send time measured from the start of the
// replay,
//
//	send(p) = start + (ts(p) - ts(first)) / modifier
//
// so errors never accumulate: a packet sent late does not delay the next
// one's deadline. The pacer sleeps through long gaps and spins for the
// last stretch (Config.SpinMargin) before each deadline. When the sink
// cannot keep up, packets go out as soon as possible and the lag behind the
// schedule is measured and reported (Stats.Lag), never hidden.
//
// Besides the original timing, Config offers a time modifier (any
// positive factor), scaling the whole set to a duration, fixed packet or
// bit rates, top speed, loops (each loop shifted in time so timestamps keep
// increasing), a time window, files started at once (GopherCap's
// --wait-disable), an exclusion filter (GopherCap's --out-bpf: packets
// matching it are not sent) and a policy for frames larger than the sink's
// MTU.
//
// Time comes from a Clock, so tests can check a schedule exactly with a
// clock that does not really wait.
package replay
