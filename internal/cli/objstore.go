package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/internal/safefile"
	"github.com/wirekit/wirekit/pcapio"
)

// blobSeekThreshold is the smallest skip a capture read from object
// storage makes with a new range request rather than by reading on: a
// request costs tens of milliseconds, the time to read a few megabytes.
const blobSeekThreshold = 4 << 20

// objects holds the command's object store, opened on first use.
type objects struct {
	once  sync.Once
	store *blobio.Store
}

// store returns the command's object store.
func (e *env) store() *blobio.Store {
	e.objs.once.Do(func() { e.objs.store = blobio.NewStore() })
	return e.objs.store
}

// closeStore releases the buckets the command opened.
func (e *env) closeStore() {
	if e.objs.store != nil {
		e.objs.store.Close()
	}
}

// openFile opens a local path or an object storage URL for reading, as a
// file pcapio.OpenFile can seek in. Errors name the path or URL.
func (e *env) openFile(ctx context.Context, name string) (pcapio.File, error) {
	if blobio.IsURL(name) {
		return e.store().Open(ctx, name)
	}
	return os.Open(name)
}

// anyURL reports whether any of names is an object storage URL.
func anyURL(names []string) bool {
	for _, n := range names {
		if blobio.IsURL(n) {
			return true
		}
	}
	return false
}

// urlOpener is e.openFile for a dataset.Config when paths hold a URL, and
// nil for local paths only, which keeps dataset's own opening (it waits
// for file descriptors when a scan has too many open).
func (e *env) urlOpener(paths []string) func(context.Context, string) (pcapio.File, error) {
	if anyURL(paths) {
		return e.openFile
	}
	return nil
}

// createCapture creates the capture file name (a local path through
// pcapio.Create, or an object through e.createOutput), its format and
// compression chosen by the name without a URL's query. Errors name the
// flag for URLs and the path for files, as pcapio.Create's do.
func (e *env) createCapture(ctx context.Context, flag, name string, ifs []pcapio.Interface, opts *pcapio.WriteOptions) (*pcapio.FileWriter, error) {
	if !blobio.IsURL(name) {
		return pcapio.Create(name, ifs, opts)
	}
	out, err := e.createOutput(ctx, flag, name)
	if err != nil {
		return nil, err
	}
	return pcapio.CreateOutput(out, nameOf(name), ifs, opts)
}

// readAll reads a whole local file or object.
func (e *env) readAll(name string) ([]byte, error) {
	if !blobio.IsURL(name) {
		return os.ReadFile(name)
	}
	r, err := e.store().Open(context.Background(), name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// openCapture opens a capture file at a local path or URL.
func (e *env) openCapture(ctx context.Context, name string) (*pcapio.Reader, error) {
	if !blobio.IsURL(name) {
		return pcapio.Open(name)
	}
	f, err := e.openFile(ctx, name)
	if err != nil {
		return nil, err
	}
	r, err := pcapio.OpenFile(f, name)
	if err != nil {
		return nil, err
	}
	r.SetSeekThreshold(blobSeekThreshold)
	return r, nil
}

// createOutput opens an output at a local path or an object storage URL.
// Nothing appears under the name until Close returns nil; Abort (or a
// failed write, then Close) leaves the name as it was. A local path
// follows internal/safefile (a temporary file renamed by Close; a device
// or FIFO written in place), its folder created when missing; a URL must
// not name an existing object (blobio.ErrExists), and its upload is not
// cancelled with ctx: an interrupted command still publishes what it
// read, as it does to a local file. This is the one way
// every command, and the Parquet writer, opens a file output:
//
//	out, err := e.createOutput(ctx, "--parquet", name)
//	if err != nil { return err }
//	defer out.Abort() // a no-op after Close
//	... write ...
//	return out.Close()
func (e *env) createOutput(ctx context.Context, flag, name string) (pcapio.Output, error) {
	if blobio.IsURL(name) {
		// The first SIGINT cancels ctx, and the command then commits
		// what it read (Interrupted): the upload must outlive that
		// cancel, or Close would discard it. Abort ends it; a second
		// signal ends the process.
		w, err := e.store().Create(context.WithoutCancel(ctx), name, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		return w, nil
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, name, err)
		}
	}
	f, err := safefile.Create(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return f, nil
}

// inputFile is one input of a set: its name (path or URL) and size.
type inputFile struct {
	name string
	size int64
}

// expandInputs lists the files of roots: a local folder is searched
// recursively (with sel), a URL ending in "/" or naming no object is
// listed as a folder, anything else is one file. Sizes come from the
// listing, or from stat for local files.
func (e *env) expandInputs(ctx context.Context, roots []string, keep func(string) bool) ([]inputFile, error) {
	var out []inputFile
	for _, root := range roots {
		if !blobio.IsURL(root) {
			st, err := os.Stat(root)
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", root, err)
			}
			if !st.IsDir() {
				out = append(out, inputFile{root, st.Size()})
				continue
			}
			err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return fmt.Errorf("walking %s: %w", p, err)
				}
				if !d.Type().IsRegular() || (keep != nil && !keep(p)) {
					return nil
				}
				fi, err := d.Info()
				if err != nil {
					return fmt.Errorf("walking %s: %w", p, err)
				}
				out = append(out, inputFile{p, fi.Size()})
				return nil
			})
			if err != nil {
				return nil, err
			}
			continue
		}
		r, err := e.store().Open(ctx, root)
		if err == nil {
			out = append(out, inputFile{root, r.Size()})
			r.Close()
			continue
		}
		if !errors.Is(err, blobio.ErrNotFound) && !errors.Is(err, blobio.ErrBadURL) {
			return nil, err
		}
		objs, err := e.store().List(ctx, root)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, o := range objs {
			// keep sees the object's name without the URL's query
			// (endpoint=...), as it sees a local path.
			if keep == nil || keep(urlKey(o.URL)) {
				out = append(out, inputFile{o.URL, o.Size})
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("input %s: no object under this folder URL matches: check the bucket and prefix", root)
		}
	}
	return out, nil
}

// readFull is io.ReadFull.
func readFull(r io.Reader, b []byte) (int, error) { return io.ReadFull(r, b) }
