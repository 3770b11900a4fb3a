package capture

import "errors"

// ErrFrameTooLong is wrapped by Writer.Write when a frame is longer than
// the interface's MTU plus its link header.
var ErrFrameTooLong = errors.New("frame longer than the interface MTU allows")

// WriterConfig tunes a Writer; a nil *WriterConfig means the defaults.
type WriterConfig struct {
	// Batch is how many frames Write queues before one sendmmsg(2) call
	// sends them all (default 64). 1 sends every frame at once, in its
	// own system call.
	Batch int
	// QdiscBypass sends frames straight to the driver's queue
	// (PACKET_QDISC_BYPASS), skipping the interface's traffic control.
	QdiscBypass bool
	// TxRing writes frames into a memory-mapped PACKET_TX_RING
	// (TPACKET_V2) instead of a buffer handed to sendmmsg(2); every Batch
	// frames, one send(2) with no data makes the kernel send them.
	TxRing bool
}

// WriterStats count what a Writer did.
type WriterStats struct {
	// Frames and Bytes were accepted by the kernel.
	Frames, Bytes uint64
	// Calls counts sendmmsg(2) calls that sent at least one frame.
	Calls uint64
	// Retries counts sends repeated because the device queue was full
	// (ENOBUFS or EAGAIN); the frames were sent on a later try.
	Retries uint64
}

func (c *WriterConfig) withDefaults() WriterConfig {
	out := WriterConfig{}
	if c != nil {
		out = *c
	}
	if out.Batch <= 0 {
		out.Batch = 64
	}
	return out
}

// linkHeaderLen is the link header allowance the Linux kernel gives a frame
// sent on an Ethernet packet socket: 14 bytes, plus 4 when the outer
// ethertype is 802.1Q (one tag; a QinQ frame gets no more, the kernel
// refuses it with EMSGSIZE).
func linkHeaderLen(frame []byte) int {
	if len(frame) >= 14 && frame[12] == 0x81 && frame[13] == 0x00 {
		return 18
	}
	return 14
}
