package tables_test

import (
	"io"
	"testing"

	"github.com/wirekit/wirekit/tables"
)

// BenchmarkHTTPTableSmall is the fixed cost of a table: a writer made,
// ten rows, Close (what a run on a small capture pays once).
func BenchmarkHTTPTableSmall(b *testing.B) {
	tx := benchTransaction()
	b.ReportAllocs()
	for b.Loop() {
		w := tables.NewHTTPWriter(io.Discard, nil)
		for range 10 {
			tx.Index++
			if err := w.Write(tx); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
