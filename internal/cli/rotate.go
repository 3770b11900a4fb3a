package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/pcapio"
)

// rotator writes packets to a series of files as tcpdump -C, -G and -W do.
//
// -C: when a file has grown past limit bytes, the next packet starts a new
// one. Without -W the files are OUT, OUT1, OUT2...; with -W N they are
// OUT0..OUT(N-1), zero-padded to the width of N-1, reused in a ring.
//
// -G: when a packet comes seconds or more (wall clock, whole seconds)
// after the current period began, a new period and file start; OUT is
// passed through strftime with the period's start time (local time), so
// "trace-%H%M%S.pcap" names each file. With -C as well, the size counter
// starts again at 0 in each period (the first file of a period is
// numbered 0 when -W is given, unnumbered otherwise, as tcpdump). With -W
// and without -C, capture stops when -W periods have been written
// (errRotationDone, after "Maximum file limit reached").
//
// The number goes at the end of the name, as tcpdump puts it, except
// before a .pcapng or compression (.gz, .zst, .xz, .lz4) ending, which
// chooses the format.
//
// With -w URL each file is an object in the URL's folder, published when
// it is closed: an object that existed before the run is refused, one the
// run wrote itself (the ring's oldest, or a -G name that comes again) is
// deleted before it is written anew, and a signal closes the object in
// progress as a valid capture of what was read, as it closes a local file.
type rotator struct {
	ctx     context.Context
	e       *env
	out     *folderOutput   // -w URL: its folder; nil for a local -w
	written map[string]bool // -w URL: the names the run wrote
	base    string          // the local path, or the URL's last element
	limit   int64           // -C in bytes, 0 without
	files   int             // -W, 0 without
	seconds int64           // -G, 0 without
	now     func() time.Time
	loc     *time.Location // for strftime: local time, as tcpdump

	period time.Time // start of the current -G period (whole seconds)
	nG     int       // -G periods ended
	nC     int       // -C counter in this period
	cur    *fileSink
	size   int64
}

// errRotationDone ends a capture when -G with -W has written its files.
var errRotationDone = errors.New("maximum file limit reached")

func newRotator(ctx context.Context, e *env, base string, limitMB, files, seconds int) (*rotator, error) {
	if base == "-" {
		return nil, usagef("-C and -G cannot rotate standard output: give a file name with -w")
	}
	// The ring's deletions, as createOutput's uploads, are not cut short
	// by the first signal: the run still closes its files after it.
	r := &rotator{ctx: context.WithoutCancel(ctx), e: e, base: base, limit: int64(limitMB) * 1000000, files: files, seconds: int64(seconds), now: time.Now, loc: time.Local}
	if blobio.IsURL(base) {
		dir, name, ok := splitOutputURL(base)
		if !ok {
			return nil, usagef("-w %s: with -C or -G, give the URL of a file (its name is numbered or formatted), not of a folder", base)
		}
		r.out, r.base, r.written = e.folder("-w", dir), name, map[string]bool{}
		if err := r.out.check(ctx); err != nil {
			return nil, err
		}
	}
	r.period = time.Unix(r.now().Unix(), 0)
	return r, nil
}

// name returns the file name for counter i in the current period.
func (r *rotator) name(i int) string {
	base := r.base
	if r.seconds > 0 {
		base = strftime(base, r.period.In(r.loc))
	}
	var num string
	switch {
	case r.limit == 0 && r.seconds > 0:
		// -G without -C: no number.
	case r.files > 0:
		width := len(strconv.Itoa(r.files - 1))
		num = fmt.Sprintf("%0*d", width, i%r.files)
	case i > 0:
		num = strconv.Itoa(i)
	}
	// The number goes before the endings that choose the format: a
	// compression suffix, with the .pcap or .pcapng before it, or .pcapng.
	stem, comp, _ := pcapio.SplitCompression(base)
	lower := strings.ToLower(stem)
	switch {
	case strings.HasSuffix(lower, ".pcapng"):
		stem = stem[:len(stem)-len(".pcapng")]
	case comp != pcapio.CompressNone && strings.HasSuffix(lower, ".pcap"):
		stem = stem[:len(stem)-len(".pcap")]
	}
	return stem + num + base[len(stem):]
}

func (r *rotator) packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error {
	if r.seconds > 0 {
		if t := r.now().Unix(); t-r.period.Unix() >= r.seconds {
			r.period = time.Unix(t, 0)
			r.nG++
			if err := r.close(); err != nil {
				return err
			}
			if r.limit == 0 && r.files > 0 && r.nG >= r.files {
				fmt.Fprintf(r.e.stderr, "Maximum file limit reached: %d\n", r.files)
				return errRotationDone
			}
			r.nC = 0
		}
	}
	if r.cur != nil && r.limit > 0 && r.size > r.limit {
		if err := r.close(); err != nil {
			return err
		}
		r.nC++
	}
	if r.cur == nil {
		var s *fileSink
		var err error
		if r.out != nil {
			s, err = r.newObject(r.name(r.nC), src)
		} else {
			s, err = newFileSink(r.e, r.name(r.nC), src)
		}
		if err != nil {
			return err
		}
		r.cur, r.size = s, 24 // the pcap file header
	}
	r.size += 16 + int64(len(data))
	return r.cur.packet(src, ci, data)
}

// newObject starts the object name in -w's folder, deleting the one of
// that name the run wrote before (the ring's oldest).
func (r *rotator) newObject(name string, src pcapio.Source) (*fileSink, error) {
	if r.written[name] {
		if err := r.out.remove(r.ctx, name); err != nil {
			return nil, fmt.Errorf("making room for the next file of the ring: %w", err)
		}
		delete(r.written, name)
	}
	ifs := src.Interfaces()
	w, err := r.e.createCapture(r.ctx, "-w", r.out.path(name), ifs, writeOptions(ifs))
	if err != nil {
		return nil, err
	}
	r.written[name] = true
	return &fileSink{w: w, declared: len(ifs)}, nil
}

// close closes the file in progress, after a signal too: a local file or
// an object is kept as a valid capture of what was read.
func (r *rotator) close() error {
	if r.cur == nil {
		return nil
	}
	err := r.cur.close()
	r.cur = nil
	return err
}

func (r *rotator) abort() {
	if r.cur != nil {
		r.cur.abort()
	}
}

// strftime formats t as C's strftime does for the conversions tcpdump
// users put in -G file names (POSIX's, in the C locale); an unknown
// conversion is kept as written.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			b.WriteString(strconv.Itoa(t.Year()))
		case 'C':
			fmt.Fprintf(&b, "%02d", t.Year()/100)
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			fmt.Fprintf(&b, "%02d", (t.Hour()+11)%12+1)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'u':
			b.WriteString(strconv.Itoa((int(t.Weekday())+6)%7 + 1))
		case 'w':
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case 'R':
			b.WriteString(t.Format("15:04"))
		case 'D':
			b.WriteString(t.Format("01/02/06"))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
