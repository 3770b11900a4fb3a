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

// linkHeaderLen is the length of an Ethernet frame's header: 14 bytes plus
// 4 for each 802.1Q/802.1ad tag.
func linkHeaderLen(frame []byte) int {
	n := 14
	for off := 12; off+4 <= len(frame); off += 4 {
		et := uint16(frame[off])<<8 | uint16(frame[off+1])
		if et != 0x8100 && et != 0x88a8 && et != 0x9100 {
			break
		}
		n += 4
	}
	return n
}
