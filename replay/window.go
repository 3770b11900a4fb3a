package replay

import (
	"errors"
	"io"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
)

// window wraps each input of the merge: it drops packets outside the time
// window, counting them, moves the others' timestamps back by the file's
// offset (for NoWait) so the merge orders them by their place in the
// replay, and turns damage into the end of the input after reporting it,
// so that the other files play on.
type window struct {
	pcapio.Source
	r              *runner
	path           string
	from, to       int64
	hasFrom, hasTo bool
	offset         int64
	read           int64 // packets read from the file
	skipOOO        bool
	last           int64 // timestamp of the last packet kept, for skipOOO
	kept           bool  // whether last is set
}

func newWindow(src pcapio.Source, r *runner, in fileIn) pcapio.Source {
	w := &window{Source: src, r: r, path: in.path, offset: in.offset, skipOOO: r.cfg.SkipOutOfOrder}
	if c := &r.cfg; !c.From.IsZero() {
		w.from, w.hasFrom = c.From.UnixNano(), true
	}
	if c := &r.cfg; !c.To.IsZero() {
		w.to, w.hasTo = c.To.UnixNano(), true
	}
	return w
}

func (w *window) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	for {
		data, ci, err := w.Source.ZeroCopyReadPacketData()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				w.r.leaveOut(w.path, w.read, err)
				err = io.EOF
			}
			return data, ci, err
		}
		w.read++
		ns := ci.Timestamp.UnixNano()
		if (w.hasFrom && ns < w.from) || (w.hasTo && ns > w.to) {
			w.r.st.Skipped++
			continue
		}
		if w.skipOOO {
			if w.kept && ns < w.last {
				w.r.st.OutOfOrder++
				continue
			}
			w.last, w.kept = ns, true
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
