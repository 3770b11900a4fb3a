package stream

import (
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// ReadFrom feeds every packet of src (a file, a merge, a live capture) to
// the Assembler, each with the link type of its interface, until src ends;
// it then calls Flush. It returns the number of packets read and the first
// read error other than io.EOF: what came before the error has been
// reassembled and flushed.
func (a *Assembler) ReadFrom(src pcapio.Source) (int64, error) {
	var n int64
	for {
		data, ci, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			a.Flush()
			return n, err
		}
		a.Packet(ci, data, LinkTypeOf(src, ci))
		n++
	}
	a.Flush()
	return n, nil
}

// LinkTypeOf returns the link type of the interface a packet of src came
// from (pcapng files and merges may hold several).
func LinkTypeOf(src pcapio.Source, ci gopacket.CaptureInfo) layers.LinkType {
	if ifs := src.Interfaces(); ci.InterfaceIndex >= 0 && ci.InterfaceIndex < len(ifs) {
		return ifs[ci.InterfaceIndex].LinkType
	}
	return src.LinkType()
}
