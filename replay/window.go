package replay

import (
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
)

// window is a Source that drops packets outside the time window, counting
// them, and moves the others' timestamps back by offset (for NoWait), so
// the merge orders them by their place in the replay.
type window struct {
	pcapio.Source
	from, to       int64
	hasFrom, hasTo bool
	offset         int64
	skipped        *int64
}

func newWindow(src pcapio.Source, c *Config, offset int64, skipped *int64) pcapio.Source {
	w := &window{Source: src, offset: offset, skipped: skipped}
	if !c.From.IsZero() {
		w.from, w.hasFrom = c.From.UnixNano(), true
	}
	if !c.To.IsZero() {
		w.to, w.hasTo = c.To.UnixNano(), true
	}
	if !w.hasFrom && !w.hasTo && offset == 0 {
		return src
	}
	return w
}

func (w *window) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, err := w.Source.ZeroCopyReadPacketData()
		if err != nil {
			return data, ci, err
		}
		ns := ci.Timestamp.UnixNano()
		if (w.hasFrom && ns < w.from) || (w.hasTo && ns > w.to) {
			*w.skipped++
			continue
		}
		if w.offset != 0 {
			ci.Timestamp = time.Unix(0, ns-w.offset).UTC()
		}
		return data, ci, nil
	}
}

func (w *window) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := w.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}
