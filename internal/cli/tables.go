package cli

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/wirekit/wirekit/blobio"
	"io"
	"io/fs"
	"os"

	"github.com/wirekit/wirekit/internal/safefile"
	"github.com/wirekit/wirekit/tables"
)

// output is a file being written: Close commits it under its name,
// Abort discards it and leaves nothing under the name.
type output interface {
	io.WriteCloser
	Abort() error
}

// errOutputExists is wrapped by createOutput's error for an output that
// is already there.
var errOutputExists = fmt.Errorf("already exists: %w", fs.ErrExist)

// createOutput opens a table output (--parquet, --index) at path: a new
// file is written to a temporary file in its directory, which Close
// renames into place and Abort removes (internal/safefile), so a failed
// or interrupted run never leaves a partial table under the name. An
// existing regular file is refused (errOutputExists): a table is a run's
// result, and a second run must not replace the first's by mistake. A
// device or FIFO (/dev/null, /dev/stdout) is written in place. Errors
// name path.
func createOutput(path string) (output, error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, errOutputExists)
	}
	return safefile.Create(path)
}

// tableOutput is a Parquet table being written to an output.
type tableOutput struct {
	cmd, flag, path string
	out             output
	bw              *bufio.Writer
	close           func() error // the tables writer's Close
	rows            func() int64
}

// openTable opens path for cmd's flag: an existing file is a usage error
// (exit 2), a path that cannot be written a runtime error, both naming
// the flag and the path and what to do.
func openTable(cmd, flag, path string) (*tableOutput, error) {
	if path == "-" {
		return nil, usagef("%s: %s -: a Parquet table goes to a file (engines read its footer first); give a file name", cmd, flag)
	}
	if blobio.IsURL(path) {
		return nil, usagef("%s: %s %s: Parquet tables are written to local files only for now: give a path and copy it to the store", cmd, flag, path)
	}
	out, err := createOutput(path)
	if errors.Is(err, errOutputExists) {
		return nil, usagef("%s: %s %s: the file already exists: remove it or give another name (a table is never replaced)", cmd, flag, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w (give a path in a directory you can write)", cmd, flag, err)
	}
	return &tableOutput{cmd: cmd, flag: flag, path: path, out: out, bw: bufio.NewWriterSize(out, 1<<20)}, nil
}

// options are the tables options wirekit writes with.
func tableOptions() *tables.Options {
	return &tables.Options{CreatedBy: buildVersion()}
}

// commit finishes the table: footer, flush, rename into place. On any
// error the output is discarded and the error names the flag.
func (t *tableOutput) commit() error {
	if t == nil {
		return nil
	}
	err := t.close()
	if err == nil {
		err = t.bw.Flush()
	}
	if err != nil {
		t.out.Abort()
		return fmt.Errorf("%s %s: %w (nothing written under that name)", t.flag, t.path, err)
	}
	if err := t.out.Close(); err != nil {
		return fmt.Errorf("%s: %w", t.flag, err)
	}
	return nil
}

// abort discards the table (no-op on nil).
func (t *tableOutput) abort() {
	if t != nil {
		t.out.Abort()
	}
}

// summary says where the table went, for the command's last line.
func (t *tableOutput) summary() string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf("; %d rows to %s", t.rows(), t.path)
}
