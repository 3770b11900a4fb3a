package http

import (
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/stream"
)

// NoteMidConnection is in the Transaction.Note of an HTTP/2 stream read
// from a connection whose start was not captured (or whose bytes were
// lost): some of its header fields may be unknown (Message.UnknownHeaders)
// and its request may be missing.
const NoteMidConnection = "HTTP/2 picked up mid-connection"

// NoteGap is in the Transaction.Note of an HTTP/2 stream of a connection
// seen from its start whose bytes were lost in a capture gap (a segment
// not captured): the stream the gap cut lost bytes (Message.Missing), and
// streams after it may have header fields unknown (Message.UnknownHeaders)
// or have lost their request. Reading resumes at the next frame after the
// gap.
const NoteGap = "HTTP/2 bytes lost in a capture gap"

// Bounds on finding frames in a direction whose start was not seen.
const (
	h2SyncFrames = 3        // consecutive plausible frame headers that make a boundary
	h2SyncMaxLen = 16384    // the largest frame accepted while searching (the default SETTINGS_MAX_FRAME_SIZE)
	h2SyncBuf    = 64 << 10 // bytes held while searching
	h2TryWindow  = 64 << 10 // bytes of a direction searched before a connection is given up as not HTTP/2 (three frames of the largest size searched for fit)
	// h2LostTable is the dynamic table size assumed when the real one is
	// unknown: large enough for the tables peers use (4 KiB by default),
	// with one placeholder per 32 bytes.
	h2LostTable = 16 << 10
)

// h2FlagMask holds the flags each frame type defines (RFC 9113 6), by type.
var h2FlagMask = [10]byte{0x09, 0x2d, 0, 0, 0x01, 0x0c, 0x01, 0, 0, 0x04}

// h2Plausible reports whether the 9 bytes of b can be an HTTP/2 frame
// header a real peer would send: a known type, only its defined flags, the
// reserved bit clear, a stream ID of the kind the type needs, a length the
// type allows and no longer than the default maximum.
func h2Plausible(b []byte) bool {
	n := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
	typ, flags := b[3], b[4]
	if typ > h2Continuation || flags&^h2FlagMask[typ] != 0 || b[5]&0x80 != 0 || n > h2SyncMaxLen {
		return false
	}
	zeroID := b[5]|b[6]|b[7]|b[8] == 0
	switch typ {
	case h2Settings:
		return zeroID && n%6 == 0 && (flags&h2Ack == 0 || n == 0)
	case 6: // PING
		return zeroID && n == 8
	case h2GoAway:
		return zeroID && n >= 8
	case 8: // WINDOW_UPDATE
		return n == 4
	case 2: // PRIORITY
		return !zeroID && n == 5
	case h2RSTStream:
		return !zeroID && n == 4
	case h2Data:
		// An empty DATA frame only ends a stream.
		return !zeroID && (n > 0 || flags&h2EndStream != 0) && (flags&h2Padded == 0 || n >= 1)
	}
	return !zeroID && n > 0 // HEADERS, PUSH_PROMISE, CONTINUATION: a header block is never empty
}

// h2Chain says whether b starts with a run of plausible frames: 1 when
// h2SyncFrames headers in a row are plausible (or at least two whole
// frames end exactly at the end of b), -1 when one is not, 0 when b ends
// before it can tell.
func h2Chain(b []byte) int {
	p, n := 0, 0
	for {
		if p == len(b) && n >= 2 {
			return 1
		}
		if p+9 > len(b) {
			return 0
		}
		if !h2Plausible(b[p:]) {
			return -1
		}
		if n++; n >= h2SyncFrames {
			return 1
		}
		p += 9 + (int(b[p])<<16 | int(b[p+1])<<8 | int(b[p+2]))
	}
}

// h2Finder searches bytes that grow for the first frame boundary,
// looking at each offset once: offsets whose run of frames went past the
// end of the bytes (undecided) are kept and looked at again as more
// bytes come.
type h2Finder struct {
	next int   // the next offset to look at
	pend []int // undecided offsets, ascending (at most maxPending)
}

// maxPending bounds the undecided offsets kept: past it the oldest is
// given up.
const maxPending = 64

// find returns the offset of the first boundary in b and true, or false
// and how many leading bytes of b hold no possible boundary. A candidate
// still undecided before the one found cannot be on the same run of
// frames (the run would have decided it), so the first found is taken.
func (f *h2Finder) find(b []byte) (int, bool, int) {
	k := 0
	for _, i := range f.pend {
		switch h2Chain(b[i:]) {
		case 1:
			return i, true, i
		case 0:
			f.pend[k] = i
			k++
		}
	}
	f.pend = f.pend[:k]
	for ; f.next+9 <= len(b); f.next++ {
		switch h2Chain(b[f.next:]) {
		case 1:
			return f.next, true, f.next
		case 0:
			if len(f.pend) == maxPending {
				f.pend = append(f.pend[:0], f.pend[1:]...)
			}
			f.pend = append(f.pend, f.next)
		}
	}
	if len(f.pend) > 0 {
		return 0, false, f.pend[0]
	}
	return 0, false, f.next
}

// drop moves the offsets n bytes back, those bytes having been dropped.
func (f *h2Finder) drop(n int) {
	f.next = max(0, f.next-n)
	k := 0
	for _, i := range f.pend {
		if i >= n {
			f.pend[k] = i - n
			k++
		}
	}
	f.pend = f.pend[:k]
}

// syncPart says that sbuf's bytes before end came at t (after the part
// before).
type syncPart struct {
	end int
	t   time.Time
}

// maxSyncParts bounds sbuf's parts: past it, the newest two are merged
// (their bytes take the older time).
const maxSyncParts = 64

// syncFeed searches direction d, whose frame boundaries are unknown, for
// the next frame; once found, it reads the bytes from there on as frames,
// each with the time it came at.
func (h *h2Conn) syncFeed(d stream.Dir, data []byte, t time.Time) {
	x := &h.dir[d]
	x.searched += int64(len(data))
	if len(x.sbuf) == 0 {
		// Search in place; copy only what must wait.
		x.find = h2Finder{pend: x.find.pend[:0]}
		off, ok, drop := x.find.find(data)
		if ok {
			h.synced(d, off)
			h.frames(d, data[off:], t)
			return
		}
		drop = max(drop, len(data)-h2SyncBuf/2)
		h.skip(d, int64(drop))
		x.find.drop(drop)
		x.sbuf = append(x.sbuf, data[drop:]...)
		x.sparts = append(x.sparts[:0], syncPart{len(x.sbuf), t})
		return
	}
	x.sbuf = append(x.sbuf, data...)
	if n := len(x.sparts); n >= maxSyncParts {
		x.sparts = x.sparts[:n-1]
	}
	x.sparts = append(x.sparts, syncPart{len(x.sbuf), t})
	off, ok, drop := x.find.find(x.sbuf)
	if ok {
		h.synced(d, off)
		start := 0
		for _, p := range x.sparts {
			if p.end > off {
				h.frames(d, x.sbuf[max(start, off):p.end], p.t)
			}
			start = p.end
		}
		x.sbuf, x.sparts = x.sbuf[:0], x.sparts[:0]
		if cap(x.sbuf) > h2SyncBuf {
			x.sbuf = nil
		}
		return
	}
	if len(x.sbuf)-drop > h2SyncBuf {
		drop = len(x.sbuf) - h2SyncBuf/2
	}
	h.skip(d, int64(drop))
	x.find.drop(drop)
	n := copy(x.sbuf, x.sbuf[drop:])
	x.sbuf = x.sbuf[:n]
	k := 0
	for _, p := range x.sparts {
		if p.end -= drop; p.end > 0 {
			x.sparts[k] = p
			k++
		}
	}
	x.sparts = x.sparts[:k]
}

// synced ends the search of direction d: a frame starts off bytes on.
func (h *h2Conn) synced(d stream.Dir, off int) {
	x := &h.dir[d]
	x.sync = false
	x.afterSync = true
	if x.prime {
		h.loseTable(d, x.lost)
	}
	h.skip(d, int64(off))
	if h.try {
		h.try = false // the connection is HTTP/2: the HTTP/1 parsers stop
		h.cp.h2, h.cp.h2try = h, nil
		h.cp.p.stats.HTTP2++
		h.cp.p.stats.HTTP2Mid++
		for i := range h.cp.half {
			h.cp.half[i].st = stDead
		}
	}
}

// adopt takes over direction d from a search begun before the client's
// preface showed that the connection was seen from its start: the bytes
// it holds are read as frames.
func (h *h2Conn) adopt(try *h2Conn, d stream.Dir) {
	x := &try.dir[d]
	if x.skipped > 0 || try.lostB > 0 {
		h.gap(d, int(x.skipped)) // bytes already passed over: search again
		return
	}
	if !x.sync {
		h.dir[d].buf = append(h.dir[d].buf, x.buf...) // frames before it were read by try (SETTINGS): a frame in progress
		return
	}
	start := 0
	for _, p := range x.sparts {
		h.frames(d, x.sbuf[start:p.end], p.t)
		start = p.end
	}
}

// skip counts n bytes of direction d passed over while searching.
func (h *h2Conn) skip(d stream.Dir, n int64) {
	h.dir[d].skipped += n
	h.skipped += n
	if !h.try {
		h.cp.p.stats.SkippedBytes += n
	}
}

// loseTable replaces direction d's header decoder with one whose dynamic
// table holds placeholders: the encoder's table is unknown (the start of
// the connection was not captured, bytes were lost, or a block failed to
// decode). A field that refers to an entry added before is then decoded
// as a placeholder (an empty name) and counted in UnknownHeaders; entries
// added after are known again, and evicted no sooner than the encoder
// evicts them.
func (h *h2Conn) loseTable(d stream.Dir, why string) {
	x := &h.dir[d]
	x.lost = why
	if x.sync {
		x.prime = true // when a frame boundary is found: most searches find none
		return
	}
	x.prime = false
	x.dec = hpack.NewDecoder(h2LostTable, nil)
	x.dec.SetMaxStringLength(h.cp.p.cfg.MaxHeaderBytes)
	x.dec.SetAllowedMaxDynamicTableSize(1 << 20)
	prime := make([]byte, 0, 3*h2LostTable/32)
	for range h2LostTable / 32 {
		prime = append(prime, 0x40, 0, 0) // literal with incremental indexing, empty name and value
	}
	x.dec.DecodeFull(prime)
	x.dec.SetEmitFunc(h.emit)
}
