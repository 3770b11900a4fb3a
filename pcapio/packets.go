package pcapio

import (
	"errors"
	"io"
	"iter"

	"github.com/gopacket/gopacket"
)

// PacketIter reads a Source with a range loop and keeps the error that
// ended it:
//
//	pkts := pcapio.Packets(src)
//	for data, ci := range pkts.All() {
//		...
//	}
//	if err := pkts.Err(); err != nil {
//		... // a *FormatError: the packets before it were yielded
//	}
//
// It is not safe for concurrent use.
type PacketIter struct {
	src Source
	err error
	n   int64
}

// Packets returns an iterator over the packets of src (a Reader, a
// Merged, a live capture). It does not read until All is ranged over.
func Packets(src Source) *PacketIter { return &PacketIter{src: src} }

// All yields each packet of the source with its CaptureInfo, reading with
// ZeroCopyReadPacketData: data is owned by the source and valid only until
// the loop body returns; copy it (slices.Clone) to keep it. The loop ends
// at io.EOF, or at another read error, which Err then returns. A read
// timeout (an error whose Timeout() is true, as a live capture returns
// when it is quiet) is skipped; to end a live capture's loop, Close the
// capture from another goroutine, or break. After a break, ranging over
// All again goes on with the next packet.
func (p *PacketIter) All() iter.Seq2[[]byte, gopacket.CaptureInfo] {
	return func(yield func([]byte, gopacket.CaptureInfo) bool) {
		for p.err == nil {
			data, ci, err := p.src.ZeroCopyReadPacketData()
			if err != nil {
				if err == io.EOF {
					return
				}
				if isTimeout(err) {
					continue
				}
				p.err = err
				return
			}
			p.n++
			if !yield(data, ci) {
				return
			}
		}
	}
}

// Err returns the read error that ended the loop, nil after a clean end
// (io.EOF) or a break.
func (p *PacketIter) Err() error { return p.err }

// Count returns how many packets All has yielded.
func (p *PacketIter) Count() int64 { return p.n }

// isTimeout reports whether err is or wraps an error whose Timeout() is
// true: a read timeout, after which a read may be retried.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
