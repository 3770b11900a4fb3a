package flow

import (
	"io"
	"iter"

	"github.com/wirekit/wirekit/pcapio"
)

// Records reads src to its end through a Table with cfg (nil for defaults)
// and yields each conversation's record as it ends, then those still open.
// A read error is yielded once, after the records of the packets before
// it, and ends the sequence; so does a bad cfg. The Records are copies the
// caller may keep.
func Records(src pcapio.Source, cfg *Config) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		var pending []Record
		t, err := New(cfg, func(r *Record) { pending = append(pending, *r) })
		if err != nil {
			yield(Record{}, err)
			return
		}
		drain := func() bool {
			for i := range pending {
				if !yield(pending[i], nil) {
					return false
				}
			}
			pending = pending[:0]
			return true
		}
		for {
			data, ci, err := src.ZeroCopyReadPacketData()
			if err != nil {
				t.Flush()
				if !drain() {
					return
				}
				if err != io.EOF {
					yield(Record{}, err)
				}
				return
			}
			lt := src.LinkType()
			if ifs := src.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
				lt = ifs[ci.InterfaceIndex].LinkType
			}
			t.Packet(ci, data, lt)
			if len(pending) > 0 && !drain() {
				return
			}
		}
	}
}
