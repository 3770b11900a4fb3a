package pcapio

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
)

// NextHeader reads the next packet record's header and skips the packet
// bytes: it returns the CaptureInfo that ZeroCopyReadPacketData would
// return, without the data, and never copies or looks at the packet. It
// makes the same checks and returns the same errors as
// ZeroCopyReadPacketData (io.EOF at the clean end, a *FormatError naming
// the offset of a damaged or truncated record once, then io.EOF), and the
// two may be called in any mix on one Reader.
//
// On an uncompressed file opened with Open, a packet that reaches beyond the
// read buffer is skipped with a seek when the rest to skip is at least
// the seek threshold (SetSeekThreshold), else by reading the buffer full again; a seek past
// the end of the file is a truncated record, as a short read would be. A
// compressed stream is decompressed and the bytes discarded: decompression
// is the floor.
func (r *Reader) NextHeader() (gopacket.CaptureInfo, error) {
	if r.err != nil {
		return gopacket.CaptureInfo{}, r.err
	}
	var (
		ci  gopacket.CaptureInfo
		err error
	)
	if r.format == FormatPcapNG {
		ci, err = r.ngNextHeader()
	} else {
		ci, err = r.pcapNextHeader()
	}
	if err != nil {
		r.end(err)
		return ci, err
	}
	r.packets++
	return ci, nil
}

// DefaultSeekThreshold is the smallest skip NextHeader makes with a seek
// rather than by reading, unless SetSeekThreshold says otherwise. Over
// packets of ordinary sizes the two cost the same (the skip beyond the
// buffer is a packet's tail, and the next header needs a read anyway);
// over packets of 200 KB to 3 MB seeking walked a page-cached file twice
// as fast (BenchmarkNextHeader: 30 against 16 GB/s).
const DefaultSeekThreshold = 64 << 10

// SetSeekThreshold sets the smallest skip NextHeader makes with a seek
// (uncompressed files opened with Open only): n <= 0 seeks over every
// packet not wholly in the read buffer; a huge n never seeks.
func (r *Reader) SetSeekThreshold(n int64) { r.seekMin = n }

// InputOffset returns how many bytes of the file itself (compressed, when
// it is) have been read or sought past; a progress meter compares it with
// the file's size. The decompressor reads ahead, so it runs before Offset.
func (r *Reader) InputOffset() int64 {
	if r.in == nil {
		return 0
	}
	return r.in.n
}

// countingReader counts the bytes read from the file under the decompressor.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// pcapNextHeader is pcapNext without the packet bytes.
func (r *Reader) pcapNextHeader() (gopacket.CaptureInfo, error) {
	st := &r.pcap
	start := r.off
	h, have, clean, err := r.peekHeader(st.hdrLen)
	if clean {
		return gopacket.CaptureInfo{}, io.EOF
	}
	if err != nil {
		return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("record header (%d of %d bytes): %w", have, st.hdrLen, err))
	}
	sec := st.order.Uint32(h)
	frac := st.order.Uint32(h[4:])
	capLen := st.order.Uint32(h[8:])
	wireLen := st.order.Uint32(h[12:])
	if st.lengths != lengthsNormal && (st.lengths == lengthsSwapped || capLen > wireLen) {
		capLen, wireLen = wireLen, capLen
	}
	if capLen > st.maxSnap {
		return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("captured length %d is bigger than the maximum of %d: %w", capLen, st.maxSnap, ErrBadRecord))
	}
	if got, err := r.skip(int64(st.hdrLen) + int64(capLen)); err != nil {
		return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("packet data (%d of %d bytes): %w", max(got-int64(st.hdrLen), 0), capLen, err))
	}
	nsec := int64(frac)
	if !st.nano {
		nsec *= 1000
	}
	r.recOff = start
	return gopacket.CaptureInfo{
		Timestamp:     time.Unix(int64(sec), nsec),
		CaptureLength: int(min(capLen, st.snap)),
		Length:        int(wireLen),
	}, nil
}

// ngPacketHead is how much of a packet block NextHeader needs: type, total
// length, and the 20 bytes an EPB or obsolete PB has before its data.
const ngPacketHead = 28

// ngNextHeader is ngNext without the packet bytes: packet blocks are
// checked as ngStep checks them (lengths, trailer, interface, captured
// length) with the data skipped; other blocks go through ngStep.
func (r *Reader) ngNextHeader() (gopacket.CaptureInfo, error) {
	for {
		start := r.off
		h, have, clean, err := r.peekHeader(12)
		if clean {
			return gopacket.CaptureInfo{}, io.EOF
		}
		if err != nil {
			return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("block header (%d of 12 bytes): %w", have, err))
		}
		order := r.ng.order
		typ := binary.LittleEndian.Uint32(h)
		if order == nil || typ == blockSHB {
			if _, _, _, err := r.ngStep(); err != nil {
				return gopacket.CaptureInfo{}, err
			}
			continue
		}
		typ = order.Uint32(h)
		total := order.Uint32(h[4:])
		head := 12
		switch typ {
		case blockEPB, blockOPB:
			head = ngPacketHead
		case blockSPB:
		default:
			if _, _, _, err := r.ngStep(); err != nil {
				return gopacket.CaptureInfo{}, err
			}
			continue
		}
		// A block too short for its fixed fields, or with a bad
		// length, is reported by ngStep exactly as a full read does.
		if total < uint32(head)+4 || total%4 != 0 || total > r.ng.maxBlock {
			_, _, _, err := r.ngStep()
			if err == nil {
				err = r.formatErr(start, fmt.Errorf("block type %#x of %d bytes: %w", typ, total, ErrBadRecord))
			}
			return gopacket.CaptureInfo{}, err
		}
		var fixed [ngPacketHead]byte
		if _, have, _, err := r.peekHeader(head); err != nil {
			return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("block type %#x (%d of %d bytes): %w", typ, have, total, err))
		}
		copy(fixed[:], r.buf[r.head:r.head+head])
		if got, err := r.skip(int64(total) - 4); err != nil {
			return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("block type %#x (%d of %d bytes): %w", typ, got, total, err))
		}
		tr, have, clean, err := r.peekHeader(4)
		if clean {
			err = ErrTruncated
		}
		if err != nil {
			r.off = start
			return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("block type %#x (%d of %d bytes): %w", typ, int(total)-4+have, total, err))
		}
		if trail := order.Uint32(tr); trail != total {
			r.off = start
			return gopacket.CaptureInfo{}, r.formatErr(start+int64(total)-4, fmt.Errorf("block type %#x: trailing length %d differs from leading length %d: %w", typ, trail, total, ErrBadRecord))
		}
		r.head += 4
		r.off += 4
		// The block's body as ngStep would see it, but with only the
		// fixed fields present; dataLen is the room left for data.
		body := fixed[8:head]
		dataLen := int(total) - 12 - (head - 8)
		var ci gopacket.CaptureInfo
		if typ == blockSPB {
			ci, err = r.ngSPBHeader(body, dataLen)
		} else {
			iface := order.Uint32(body)
			if typ == blockOPB {
				iface = uint32(order.Uint16(body))
			}
			ci, err = r.ngPacketHeader(body, iface, dataLen)
		}
		if err != nil {
			r.off = start
			return gopacket.CaptureInfo{}, r.formatErr(start, fmt.Errorf("block type %#x: %w", typ, err))
		}
		r.recOff = start
		return ci, nil
	}
}

// ngPacketHeader is ngPacket on a block's fixed fields and the length of
// the data room that follows them.
func (r *Reader) ngPacketHeader(body []byte, iface uint32, room int) (gopacket.CaptureInfo, error) {
	order := r.ng.order
	ni, err := r.ngIfaceOf(iface)
	if err != nil {
		return gopacket.CaptureInfo{}, err
	}
	ts := uint64(order.Uint32(body[4:]))<<32 | uint64(order.Uint32(body[8:]))
	capLen := order.Uint32(body[12:])
	if uint64(capLen) > uint64(room) {
		return gopacket.CaptureInfo{}, fmt.Errorf("captured length %d exceeds the block (%d bytes of data): %w", capLen, room, ErrBadRecord)
	}
	if capLen > ni.maxSnap {
		return gopacket.CaptureInfo{}, fmt.Errorf("captured length %d is bigger than the maximum of %d: %w", capLen, ni.maxSnap, ErrBadRecord)
	}
	return gopacket.CaptureInfo{
		Timestamp:      ngTime(ni, ts),
		CaptureLength:  int(capLen),
		Length:         int(order.Uint32(body[16:])),
		InterfaceIndex: ni.global,
	}, nil
}

// ngSPBHeader is ngSPB on the block's wire length field and data room.
func (r *Reader) ngSPBHeader(body []byte, room int) (gopacket.CaptureInfo, error) {
	ni, err := r.ngIfaceOf(0)
	if err != nil {
		return gopacket.CaptureInfo{}, err
	}
	wire := r.ng.order.Uint32(body)
	capLen := min(uint64(wire), uint64(ni.snap), uint64(room))
	return gopacket.CaptureInfo{CaptureLength: int(capLen), Length: int(wire), InterfaceIndex: ni.global}, nil
}

// skip consumes n bytes of the uncompressed stream without returning them.
// got says how many were there when the stream ended first (the error is
// then ErrTruncated or the decompressor's, and Offset is left unchanged). Bytes in the buffer are
// skipped in place; beyond it, a plain file is sought over when at least
// the seek threshold remain, otherwise the buffer is filled again (one
// large read, the bytes after the skip kept for what follows).
func (r *Reader) skip(n int64) (got int64, err error) {
	if buffered := int64(r.tail - r.head); n <= buffered {
		r.head += int(n)
		r.off += n
		return n, nil
	}
	got = int64(r.tail - r.head)
	r.head, r.tail = 0, 0
	if r.file != nil && r.srcErr == nil && n-got >= r.seekMin {
		if pos, ok := r.seekOver(n - got); ok {
			r.off += n
			return n, nil
		} else if pos >= 0 {
			// Past the end: the record is cut short.
			r.srcErr = io.EOF
			return got + pos, ErrTruncated
		}
		// The seek failed (not a seekable file): read instead.
	}
	for empty := 0; got < n; {
		if r.srcErr != nil {
			return got, streamErr(r.srcErr)
		}
		m, err := r.src.Read(r.buf[:len(r.buf)-skipReadShort])
		if err != nil {
			r.srcErr = err
		} else if m == 0 {
			if empty++; empty == 100 {
				r.srcErr = io.ErrNoProgress
			}
		}
		if left := n - got; int64(m) > left {
			r.head, r.tail = int(left), m
			got = n
			break
		}
		got += int64(m)
	}
	r.off += got
	return got, nil
}

// skipReadShort makes skip's reads a page shorter than the buffer: on the
// Linux machine this was written on, reads of exactly 512 KiB from the page
// cache (ext4 and tmpfs) measured 2-3x slower than reads one page shorter
// (BenchmarkNextHeader/synth/header-read: 2.6 against 7.5 GB/s); fill's
// reads are never whole-buffer, which is why the full read did not show it.
const skipReadShort = 4096

// seekOver seeks the plain file n bytes forward. ok reports success; when
// the file ends first, have is how many of the n bytes it holds (the file
// is then left at its end), and -1 when the seek itself failed.
func (r *Reader) seekOver(n int64) (have int64, ok bool) {
	cur, err := r.file.Seek(0, io.SeekCurrent)
	if err != nil {
		r.file = nil
		return -1, false
	}
	size := r.fileSize
	if cur+n > size {
		// The file may have grown since Open (a capture being written).
		if st, err := r.file.Stat(); err == nil {
			size = st.Size()
			r.fileSize = size
		}
	}
	if cur+n > size {
		if _, err := r.file.Seek(size, io.SeekStart); err != nil {
			return -1, false
		}
		r.in.n += max(size-cur, 0)
		return max(size-cur, 0), false
	}
	if _, err := r.file.Seek(n, io.SeekCurrent); err != nil {
		return -1, false
	}
	r.in.n += n
	return n, true
}

// plainFile returns f when the capture can be sought in: a regular file
// read without a decompressor. size is its size at Open.
func plainFile(f File) (File, int64) {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, 0
	}
	return f, st.Size()
}
