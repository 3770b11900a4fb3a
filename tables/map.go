package tables

import (
	"io"

	"github.com/wirekit/wirekit/dataset"
)

// MapRow is one row of the map table: one capture file of a set, the
// fields of 'wirekit map' JSON (dataset.File). Times are microseconds
// since the epoch, UTC; durations are nanoseconds. Beginning and End are
// NULL for a file with no timestamped packet, Error is NULL for an
// undamaged file. The column names and types are the table's contract
// (see docs/parquet.md); SchemaVersion changes if they ever do.
type MapRow struct {
	Path          []byte   `parquet:"path,string"`
	Format        []byte   `parquet:"format,string,dict"`
	Compression   []byte   `parquet:"compression,string,dict"`
	LinkTypes     []string `parquet:"link_types,list"`
	Snaplen       int64    `parquet:"snaplen"`
	Packets       int64    `parquet:"packets"`
	Size          int64    `parquet:"size"`
	WireBytes     int64    `parquet:"wire_bytes"`
	MaxPacketSize int64    `parquet:"max_packet_size"`
	OutOfOrder    int64    `parquet:"out_of_order"`
	NoTimestamp   int64    `parquet:"no_timestamp"`
	Beginning     int64    `parquet:"beginning,optional,timestamp(microsecond)"`
	End           int64    `parquet:"end,optional,timestamp(microsecond)"`
	DurationNS    int64    `parquet:"duration_ns"`
	PPS           float64  `parquet:"pps"`
	BitsPerSecond float64  `parquet:"bits_per_second"`
	FileSize      int64    `parquet:"file_size"`
	DelayNS       int64    `parquet:"delay_ns"`
	Error         []byte   `parquet:"error,optional,string"`
	a             arena    // the row's string bytes
}

// MapWriter writes the map table.
type MapWriter struct{ w *writer[MapRow] }

// NewMapWriter returns a writer of the map table to w. Close writes the
// footer; w itself is not closed.
func NewMapWriter(w io.Writer, opt *Options) *MapWriter {
	return &MapWriter{newWriter[MapRow](w, opt)}
}

// Write adds one file's row. Its errors are the output's (wrapped), or
// ErrClosed after Close.
func (m *MapWriter) Write(f *dataset.File) error {
	r, err := m.w.next()
	if err != nil {
		return err
	}
	r.a = r.a[:0]
	r.Path = r.a.str(f.Path)
	r.Format = r.a.str(f.Format)
	r.Compression = r.a.str(f.Compression)
	r.LinkTypes = append(r.LinkTypes[:0], f.LinkTypes...)
	r.Snaplen = int64(f.Snaplen)
	r.Packets = f.Packets
	r.Size = f.Size
	r.WireBytes = f.WireBytes
	r.MaxPacketSize = int64(f.MaxPacketSize)
	r.OutOfOrder = f.OutOfOrder
	r.NoTimestamp = f.NoTimestamp
	r.Beginning = micros(f.Beginning)
	r.End = micros(f.End)
	r.DurationNS = int64(f.Duration)
	r.PPS = f.PPS
	r.BitsPerSecond = f.BitsPerSecond
	r.FileSize = f.FileSize
	r.DelayNS = int64(f.Delay)
	r.Error = r.a.str(f.Error)
	return m.w.commit()
}

// Rows returns the number of rows written so far.
func (m *MapWriter) Rows() int64 { return m.w.count }

// Close writes the rows still buffered and the file's footer. The file
// is valid only after Close returns nil.
func (m *MapWriter) Close() error { return m.w.close() }
