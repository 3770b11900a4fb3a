package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wirekit/wirekit/blobio"
	"github.com/wirekit/wirekit/pcapio"
)

// openSources opens one -r input, or merges several by timestamp. Inputs
// that can block in a read for ever (a FIFO, a device, a pipe on standard
// input) stop blocking when ctx ends, so that a signal stops the command.
func openSources(ctx context.Context, e *env, files []string) (pcapio.Source, error) {
	if len(files) == 1 {
		return openInput(ctx, e, files[0])
	}
	for _, p := range files {
		if p == "-" {
			return nil, usagef("stdin (-) cannot be merged with other files; give it alone")
		}
	}
	srcs := make([]pcapio.Source, 0, len(files))
	for _, p := range files {
		s, err := openInput(ctx, e, p)
		if err != nil {
			for _, s := range srcs {
				s.Close()
			}
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return pcapio.MergeSources(nil, srcs...), nil
}

// openInput opens one input: a regular file with pcapio.Open, anything
// else (a FIFO, a device, "-" for standard input) with a read deadline set
// when ctx ends.
func openInput(ctx context.Context, e *env, path string) (pcapio.Source, error) {
	if path == "-" {
		f, ok := e.stdin.(*os.File)
		if !ok {
			return pcapio.NewReader(e.stdin, "stdin")
		}
		pf, own := pollableStdin(f)
		return interruptible(ctx, pf, "stdin", own)
	}
	if blobio.IsURL(path) {
		return e.openCapture(ctx, path)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().IsRegular() {
		return pcapio.Open(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return interruptible(ctx, f, path, true)
}

// interruptible reads a capture from f, whose reads fail with a deadline
// error once ctx ends (for files the runtime poller handles: pipes, FIFOs,
// terminals; others read as before). own says Close closes f.
func interruptible(ctx context.Context, f *os.File, name string, own bool) (pcapio.Source, error) {
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Unix(1, 0)) })
	r, err := pcapio.NewReader(f, name)
	if err != nil {
		stop()
		if own {
			f.Close()
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: no capture header was read before the signal: %w", name, context.Cause(ctx))
		}
		return nil, err
	}
	return &fileInput{Reader: r, f: f, stop: stop, own: own}, nil
}

// fileInput is a Reader over a file it may own.
type fileInput struct {
	*pcapio.Reader
	f    *os.File
	stop func() bool
	own  bool
}

func (s *fileInput) Close() error {
	s.stop()
	err := s.Reader.Close()
	if s.own {
		if cerr := s.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
