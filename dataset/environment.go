package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/wirekit/wirekit/internal/osenv"
	"github.com/wirekit/wirekit/pcapio"
)

// EnvironmentError reports a file that could not be read for a reason
// that is not the file's: the process or the system ran out of file
// descriptors (and no other file of the scan was open to wait for), the
// kernel is out of memory, or permission is denied. Such an error is never
// recorded in File.Error as damage; Scan stops with it.
type EnvironmentError struct {
	Path string
	// Limit is the process's limit on open files (RLIMIT_NOFILE), 0 when
	// unknown.
	Limit int
	Err   error
}

func (e *EnvironmentError) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Path, e.Err)
	var pe *fs.PathError
	if errors.As(e.Err, &pe) && pe.Path == e.Path {
		msg = fmt.Sprintf("%s: %s: %v", e.Path, pe.Op, pe.Err)
	}
	switch {
	case osenv.IsTooManyOpen(e.Err) && e.Limit > 0:
		return msg + fmt.Sprintf(" (not a property of the file: the process may open %d files, ulimit -n, and none was left; raise the limit)", e.Limit)
	case osenv.IsTooManyOpen(e.Err):
		return msg + " (not a property of the file: no file descriptor was left; raise the limit on open files, ulimit -n)"
	case errors.Is(e.Err, fs.ErrPermission):
		return msg + " (not a property of the file: run as a user who may read it, or leave it out of the set)"
	}
	return msg + " (not a property of the file: the system is short of memory; try again with fewer files at once)"
}

// Unwrap returns the cause.
func (e *EnvironmentError) Unwrap() error { return e.Err }

func environmentError(path string, err error) error {
	_, limit, _ := osenv.Headroom()
	return &EnvironmentError{Path: path, Limit: limit, Err: err}
}

// openGate lets the workers of a scan share the process's file
// descriptors: an open that fails with EMFILE or ENFILE waits until
// another file of the scan is closed, then tries again. A nil *openGate
// opens once.
type openGate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	nOpen  int    // files of the scan open now
	closes uint64 // files of the scan closed so far
	// openFile, when set, opens what paths name (Config.Open).
	openFile func(ctx context.Context, path string) (pcapio.File, error)
	sizes    map[string]int64 // what openFile's files said their size was
}

// sizeOf returns the size openFile found for path.
func (g *openGate) sizeOf(path string) (int64, bool) {
	if g == nil {
		return 0, false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	n, ok := g.sizes[path]
	return n, ok
}

func newOpenGate(ctx context.Context) (*openGate, func() bool) {
	g := &openGate{}
	g.cond = sync.NewCond(&g.mu)
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	return g, stop
}

// open opens path with pcapio.Open, waiting for descriptors as the gate
// allows.
func (g *openGate) open(ctx context.Context, path string) (*pcapio.Reader, error) {
	if g == nil {
		return pcapio.Open(path)
	}
	if g.openFile != nil {
		f, err := g.openFile(ctx, path)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil {
			g.mu.Lock()
			if g.sizes == nil {
				g.sizes = map[string]int64{}
			}
			g.sizes[path] = st.Size()
			g.mu.Unlock()
		}
		return pcapio.OpenFile(f, path)
	}
	for {
		// A file being opened holds a descriptor too: count it as open
		// until Open returns, so that a failed open does not give up
		// while another one is about to succeed.
		g.mu.Lock()
		seen := g.closes
		g.nOpen++
		g.mu.Unlock()
		r, err := pcapio.Open(path)
		if err == nil {
			return r, nil
		}
		g.mu.Lock()
		g.nOpen--
		if !osenv.IsTooManyOpen(err) {
			// It held a descriptor for a while: let waiters try again.
			g.closes++
			g.cond.Broadcast()
			g.mu.Unlock()
			return nil, err
		}
		// Waiters also give up when the last open file goes: wake them.
		g.cond.Broadcast()
		for g.closes == seen && g.nOpen > 0 && ctx.Err() == nil {
			g.cond.Wait()
		}
		retry := g.closes != seen
		g.mu.Unlock()
		if !retry {
			// No other file of the scan is open or being opened:
			// nothing will free a descriptor for us.
			return nil, err
		}
	}
}

// close closes r and lets a waiting open try again.
func (g *openGate) close(r *pcapio.Reader) {
	r.Close()
	if g == nil {
		return
	}
	g.mu.Lock()
	g.nOpen--
	g.closes++
	g.cond.Broadcast()
	g.mu.Unlock()
}
