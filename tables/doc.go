// Package tables writes wirekit's records as Parquet tables that Spark,
// Trino, DuckDB, BigQuery and pandas read: the map of a capture set
// (MapWriter, one row per file, from dataset.File), conversations
// (FlowWriter, one row per flow.Record), HTTP transactions (HTTPWriter,
// one row per stream/http Transaction) and a packet index (PacketWriter,
// one row per packet: the file and record offset that find it again, its
// time, lengths and outermost headers).
//
// Every table has typed columns: times are TIMESTAMP(MICROS) adjusted to
// UTC, durations INT64 nanoseconds (columns named *_ns), addresses
// strings in their usual text form, ports and small numbers INT32, sizes
// and counts INT64, header-name and link-type lists LIST of STRING. A
// value that is absent is NULL, not 0 or "". Pages are compressed with
// zstd; low-cardinality strings are dictionary-encoded and the packet
// index's offsets and times delta-encoded. Row groups hold up to
// DefaultRowGroupRows rows (Options.RowGroupRows). The row types
// (MapRow, FlowRow, HTTPRow, PacketRow) are the schema: their parquet
// tags name each column, and docs/parquet.md lists them with their
// meaning. The files carry "wirekit.schema_version" (SchemaVersion) in
// their key-value metadata.
//
// # Writing without allocating
//
// Each writer fills rows of a fixed batch in place (string columns are
// []byte buffers reused from row to row, optional numbers point into the
// row itself) and hands the batch to parquet-go's generic writer, so a
// row costs no allocation of its own; what parquet-go allocates when it
// cuts pages and row groups is spread over thousands of rows
// (TestPacketWriterAllocs says how little).
//
// # Output
//
// A writer writes to any io.Writer and never closes it; the file is valid
// once Close has returned nil (Parquet's footer comes last). The CLI
// writes through a temporary file renamed on success, so a failed run
// leaves no partial table under the final name.
package tables
