package http

import (
	"io"
	"iter"
	"time"

	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
)

// Transactions reassembles src and yields its HTTP transactions as they
// complete, then those still open when src returns io.EOF. A read timeout
// of a live capture (stream.IsTimeout) is not an end: idle connections are
// closed at the wall-clock time (yielding what they held) and reading goes
// on; Close the capture from another goroutine to end the loop. Any other
// read error is yielded last, after the transactions the packets before it
// made. Stopping the loop early stops reading. With cfg.ReuseTransactions,
// a transaction is valid only until the loop body returns.
func Transactions(src pcapio.Source, cfg *Config) iter.Seq2[*Transaction, error] {
	return func(yield func(*Transaction, error) bool) {
		stop := false
		p := NewParser(cfg, func(tx *Transaction) {
			if !stop && !yield(tx, nil) {
				stop = true
			}
		})
		a := stream.New(nil, p, nil)
		for !stop {
			data, ci, err := src.ZeroCopyReadPacketData()
			if err == io.EOF {
				break
			}
			if err != nil {
				if stream.IsTimeout(err) {
					a.Advance(time.Now())
					continue
				}
				a.Flush()
				if !stop {
					yield(nil, err)
				}
				return
			}
			a.Packet(ci, data, stream.LinkTypeOf(src, ci))
		}
		if !stop {
			a.Flush()
		}
	}
}
