package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
)

// rotator writes packets to a series of files as tcpdump -C and -W do:
// when a file has grown past limit bytes, the next packet starts a new
// one. Without -W the files are OUT, OUT1, OUT2...; with -W N they are
// OUT0..OUT(N-1), zero-padded to the width of N-1, reused in a ring. The
// number goes at the end of the name, as tcpdump puts it, except before a
// .pcapng, .gz or .zst ending, which chooses the format.
type rotator struct {
	e     *env
	base  string
	limit int64
	files int
	n     int // files opened so far
	cur   *fileSink
	size  int64
}

func newRotator(e *env, base string, limitMB, files int) (*rotator, error) {
	if base == "-" {
		return nil, usagef("-C cannot rotate standard output: give a file name with -w")
	}
	return &rotator{e: e, base: base, limit: int64(limitMB) * 1000000, files: files}, nil
}

// name returns the i-th file name.
func (r *rotator) name(i int) string {
	var num string
	switch {
	case r.files > 0:
		width := len(strconv.Itoa(r.files - 1))
		num = fmt.Sprintf("%0*d", width, i%r.files)
	case i > 0:
		num = strconv.Itoa(i)
	}
	base, ext := r.base, ""
	for _, suf := range []string{".pcapng.gz", ".pcapng.zst", ".pcap.gz", ".pcap.zst", ".pcapng", ".gz", ".zst"} {
		if strings.HasSuffix(strings.ToLower(base), suf) {
			base, ext = base[:len(base)-len(suf)], base[len(base)-len(suf):]
			break
		}
	}
	return base + num + ext
}

func (r *rotator) packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error {
	if r.cur != nil && r.size > r.limit {
		if err := r.cur.close(); err != nil {
			return err
		}
		r.cur = nil
	}
	if r.cur == nil {
		s, err := newFileSink(r.e, r.name(r.n), src)
		if err != nil {
			return err
		}
		r.cur, r.size = s, 24 // the pcap file header
		r.n++
	}
	r.size += 16 + int64(len(data))
	return r.cur.packet(src, ci, data)
}

func (r *rotator) close() error {
	if r.cur == nil {
		return nil
	}
	return r.cur.close()
}

func (r *rotator) abort() {
	if r.cur != nil {
		r.cur.abort()
	}
}
