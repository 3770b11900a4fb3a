package stream

import (
	"errors"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// ReadFrom feeds every packet of src (a file, a merge, a live capture) to
// the Assembler, each with the link type of its interface, until src
// returns io.EOF; it then calls Flush. A read timeout (see IsTimeout), which
// a live capture returns when it has been quiet for its read timeout, is
// not an end: ReadFrom calls Advance with the wall-clock time, so that idle
// connections close and old gaps are given up on while nothing comes, and
// reads on. To stop reading a live capture, Close it from another
// goroutine: its reads then return io.EOF.
//
// ReadFrom returns the number of packets read and the first read error
// other than io.EOF and a timeout: what came before the error has been
// reassembled and flushed.
func (a *Assembler) ReadFrom(src pcapio.Source) (int64, error) {
	var n int64
	for {
		data, ci, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			if IsTimeout(err) {
				a.Advance(time.Now())
				continue
			}
			a.Flush()
			return n, err
		}
		a.Packet(ci, data, LinkTypeOf(src, ci))
		n++
	}
	a.Flush()
	return n, nil
}

// IsTimeout reports whether err is a read timeout: it is, or wraps, an
// error with a Timeout() bool method that returns true (as a live
// capture's read timeout, net.Error and os.ErrDeadlineExceeded do). A read
// that timed out may be retried; ReadFrom and http.Transactions do.
func IsTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// LinkTypeOf returns the link type of the interface a packet of src came
// from (pcapng files and merges may hold several).
func LinkTypeOf(src pcapio.Source, ci gopacket.CaptureInfo) layers.LinkType {
	if ifs := src.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
		return ifs[ci.InterfaceIndex].LinkType
	}
	return src.LinkType()
}
