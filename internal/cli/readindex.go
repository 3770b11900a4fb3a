package cli

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"

	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/tables"
)

// originFunc says where the packet just read comes from: the -r file as
// given and its record's offset (pcapio.Reader.RecordOffset).
type originFunc func() (file string, offset int64)

// originOf returns src's originFunc: a merge says which input, a single
// reader is files[0]. nil when src cannot say (never for read's inputs).
func originOf(src pcapio.Source, files []string) originFunc {
	switch s := src.(type) {
	case *pcapio.Merged:
		return func() (string, int64) {
			i, off := s.Origin()
			if i < 0 || i >= len(files) {
				return "", -1
			}
			return files[i], off
		}
	case interface{ RecordOffset() int64 }:
		name := files[0]
		return func() (string, int64) { return name, s.RecordOffset() }
	}
	return nil
}

// indexSink writes the packet index (--index) and hands each packet on to
// the next sink (nil: the index is the only output).
type indexSink struct {
	next   packetSink
	pw     *tables.PacketWriter
	table  *tableOutput
	origin originFunc
}

func newIndexSink(ctx context.Context, e *env, path string, next packetSink, origin originFunc) (*indexSink, error) {
	table, err := openTable(ctx, e, "read", "--index", path)
	if err != nil {
		return nil, err
	}
	pw := tables.NewPacketWriter(table.bw, tableOptions())
	table.close, table.rows = pw.Close, pw.Rows
	return &indexSink{next: next, pw: pw, table: table, origin: origin}, nil
}

func (s *indexSink) packet(src pcapio.Source, ci gopacket.CaptureInfo, data []byte) error {
	file, off := s.origin()
	if err := s.pw.Write(file, off, ci, linkTypeOf(src, ci), data); err != nil {
		return fmt.Errorf("--index %s: %w", s.table.path, err)
	}
	if s.next != nil {
		return s.next.packet(src, ci, data)
	}
	return nil
}

func (s *indexSink) close() error {
	var err error
	if s.next != nil {
		err = s.next.close()
	}
	if err != nil {
		s.table.abort()
		return err
	}
	return s.table.commit()
}

func (s *indexSink) abort() {
	if s.next != nil {
		s.next.abort()
	}
	s.table.abort()
}

// offsetSet is --offsets: the record offsets to read back, ascending, and
// those passed without finding a record there.
type offsetSet struct {
	offs   []int64
	i      int
	missed []int64
}

// parseOffsets reads --offsets: a comma-separated list, or @FILE with
// offsets separated by commas, spaces or new lines ('#' starts a comment,
// a line "offset" is the header an engine's CSV export writes).
func parseOffsets(e *env, arg string) (*offsetSet, error) {
	text, where := arg, "--offsets"
	if name, ok := strings.CutPrefix(arg, "@"); ok {
		b, err := e.readAll(name)
		if err != nil {
			return nil, fmt.Errorf("read: --offsets: %w", err)
		}
		text, where = string(b), "--offsets "+arg
	}
	var offs []int64
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(l) == "offset" {
			continue
		}
		for _, tok := range strings.FieldsFunc(l, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			v, err := strconv.ParseInt(tok, 10, 64)
			if err != nil || v < 0 {
				return nil, usagef("read: %s: line %d: %q is not a record offset (a whole number of bytes, 0 or more, from the index's offset column)", where, line, tok)
			}
			offs = append(offs, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read: %s: %w", where, err)
	}
	if len(offs) == 0 {
		return nil, usagef("read: %s: no offset given", where)
	}
	slices.Sort(offs)
	return &offsetSet{offs: slices.Compact(offs)}, nil
}

// take says whether the record at off is one asked for; offsets passed
// over are kept as missed.
func (o *offsetSet) take(off int64) bool {
	for o.i < len(o.offs) && o.offs[o.i] < off {
		o.missed = append(o.missed, o.offs[o.i])
		o.i++
	}
	if o.i < len(o.offs) && o.offs[o.i] == off {
		o.i++
		return true
	}
	return false
}

// done says whether every offset has been found or passed.
func (o *offsetSet) done() bool { return o.i == len(o.offs) }

// check reports the offsets that name no packet record of file.
func (o *offsetSet) check(file string) error {
	missed := append(o.missed, o.offs[o.i:]...)
	if len(missed) == 0 {
		return nil
	}
	return fmt.Errorf("read: --offsets: %d of %d offsets are not where a packet record of %s starts (first: %d): take them from the offset column of this file's rows in the index",
		len(missed), len(o.offs), file, missed[0])
}
