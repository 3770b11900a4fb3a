package tables

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// DefaultRowGroupRows is the number of rows per row group when
// Options.RowGroupRows is 0: 131,072, which keeps a packet index's row
// groups near 4 to 8 MB compressed, within the 1 to 128 MB that Spark,
// Trino and DuckDB read in parallel well, and small enough to hold in
// memory while they are built.
const DefaultRowGroupRows = 128 << 10

// batchRows is how many rows are filled in place before they are handed
// to parquet-go in one call.
const batchRows = 512

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("tables: writer is closed")

// Options configures a writer; a nil *Options means the defaults.
type Options struct {
	// RowGroupRows is the most rows per row group (0: DefaultRowGroupRows).
	RowGroupRows int
	// CreatedBy is written as the file's created_by ("wirekit version
	// VERSION"); "" writes "wirekit version devel".
	CreatedBy string
}

// writer is a parquet-go GenericWriter fed from a fixed batch of rows
// that are filled in place and reused, so that writing a row allocates
// nothing of its own once the batch's buffers have grown.
type writer[T any] struct {
	pw    *parquet.GenericWriter[T]
	rows  []T
	n     int   // rows of the batch filled
	count int64 // rows written in all
	err   error
	done  bool
}

// codec is zstd at its fastest level: Parquet's encodings (dictionaries,
// delta, run lengths) do most of the work, and the faster level keeps the
// output close to JSON's cost in time.
var codec = &zstd.Codec{Level: zstd.SpeedFastest}

func newWriter[T any](w io.Writer, opt *Options) *writer[T] {
	rg := DefaultRowGroupRows
	version := "devel"
	if opt != nil {
		if opt.RowGroupRows > 0 {
			rg = opt.RowGroupRows
		}
		if opt.CreatedBy != "" {
			version = opt.CreatedBy
		}
	}
	pw := parquet.NewGenericWriter[T](w,
		parquet.Compression(codec),
		parquet.MaxRowsPerRowGroup(int64(rg)),
		parquet.CreatedBy("wirekit", version, ""),
		parquet.KeyValueMetadata("wirekit.schema_version", SchemaVersion),
	)
	return &writer[T]{pw: pw, rows: make([]T, min(batchRows, rg))}
}

// next returns the row to fill; commit adds it.
func (w *writer[T]) next() (*T, error) {
	if w.done {
		return nil, ErrClosed
	}
	if w.err != nil {
		return nil, w.err
	}
	return &w.rows[w.n], nil
}

func (w *writer[T]) commit() error {
	w.n++
	w.count++
	if w.n == len(w.rows) {
		return w.flushBatch()
	}
	return nil
}

func (w *writer[T]) flushBatch() error {
	if w.n == 0 {
		return w.err
	}
	_, err := w.pw.Write(w.rows[:w.n])
	w.n = 0
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("parquet: %w", err)
	}
	return w.err
}

// close writes the rows left and the file's footer; it does not close
// the io.Writer.
func (w *writer[T]) close() error {
	if w.done {
		return w.err
	}
	w.done = true
	if err := w.flushBatch(); err != nil {
		return err
	}
	if err := w.pw.Close(); err != nil {
		w.err = fmt.Errorf("parquet: %w", err)
	}
	return w.err
}

// arena holds the bytes of a row's string columns, reused from row to
// row: each column is a slice of it, nil for an empty value, which
// parquet-go writes as NULL in an optional column (an empty slice that is
// not nil would be written as ""). When an append moves the arena, the
// slices taken before keep the old array, which holds their bytes still.
type arena []byte

// str copies s into the arena and returns its bytes, nil when s is "".
func (a *arena) str(s string) []byte {
	if s == "" {
		return nil
	}
	n := len(*a)
	*a = append(*a, s...)
	return (*a)[n:len(*a):len(*a)]
}

// addr appends x's text form (IPv4 dotted, IPv6 RFC 5952, as
// netip.Addr.String); nil for an invalid address.
func (a *arena) addr(x netip.Addr) []byte {
	if !x.IsValid() {
		return nil
	}
	n := len(*a)
	*a = x.AppendTo(*a)
	return (*a)[n:len(*a):len(*a)]
}

// mac appends m as six colon-separated lower-case hex bytes.
func (a *arena) mac(m [6]byte) []byte {
	const hexd = "0123456789abcdef"
	n := len(*a)
	for i, c := range m {
		if i > 0 {
			*a = append(*a, ':')
		}
		*a = append(*a, hexd[c>>4], hexd[c&15])
	}
	return (*a)[n:len(*a):len(*a)]
}

// micros converts a time to microseconds since the epoch; the zero time
// gives 0, which an optional column writes as NULL.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}
