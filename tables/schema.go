package tables

// SchemaVersion is written in every file's key-value metadata as
// "wirekit.schema_version". Columns may be added at the end of a table
// without changing it; it changes when a column is renamed, removed or
// changes type or meaning.
const SchemaVersion = "1"
