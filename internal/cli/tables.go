package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/safefile"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/tables"
)

// tableOutput is a Parquet table being written to an output.
type tableOutput struct {
	cmd, flag, path string
	out             pcapio.Output
	bw              *bufio.Writer
	close           func() error // the tables writer's Close
	rows            func() int64
}

// openTable opens path for cmd's flag, a local path (internal/safefile)
// or an object storage URL (e.createOutput): nothing appears under the
// name until the table is committed, and a failed or interrupted run
// leaves nothing there. An existing file or object is a usage error (exit 2): a table is
// a run's result and is never replaced. A device or FIFO (/dev/null) is
// written in place. Errors name the flag and the path and say what to do.
func openTable(ctx context.Context, e *env, cmd, flag, path string) (*tableOutput, error) {
	if path == "-" {
		return nil, usagef("%s: %s -: a Parquet table goes to a file (engines read its footer first); give a file name", cmd, flag)
	}
	var out pcapio.Output
	if blobio.IsURL(path) {
		w, err := e.createOutput(ctx, flag, path)
		if errors.Is(err, blobio.ErrExists) {
			return nil, usagef("%s: %w (a table is never replaced)", cmd, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cmd, err)
		}
		out = w
	} else {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			return nil, usagef("%s: %s %s: the file already exists: remove it or give another name (a table is never replaced)", cmd, flag, path)
		}
		// Unlike -w, a table's folder is not made: a mistyped folder
		// is an error, not a new tree (shards make their partitions).
		f, err := safefile.Create(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w (give a path in a directory you can write)", cmd, flag, err)
		}
		out = f
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
