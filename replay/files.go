package replay

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/wirekit/wirekit/internal/osenv"
	"github.com/wirekit/wirekit/pcapio"
)

// ErrFilesLeftOut is wrapped by the *FilesError Run returns when it
// replayed the set but left files out, whole or from their damage on.
var ErrFilesLeftOut = errors.New("files left out of the replay")

// FileError is a file Run left out of the replay: it could not be opened
// or is not a capture (Packets is 0), or it is damaged part-way (its
// Packets packets before the damage were replayed, the rest skipped). Err
// is the cause: a *pcapio.FormatError, or the error of opening the file.
type FileError struct {
	Path string
	// Packets counts the file's packets read before the error.
	Packets int64
	// Loop is the loop in which the error was met, from 1.
	Loop int
	Err  error
}

// Error names the file and the damage or why it could not be opened,
// without repeating the path the cause already names.
func (e *FileError) Error() string {
	reason := e.Err.Error()
	var fe *pcapio.FormatError
	var pe *fs.PathError
	switch {
	case errors.As(e.Err, &fe) && fe.File == e.Path:
		reason = fmt.Sprintf("offset %d (packet %d): %v", fe.Offset, fe.Packet+1, fe.Err)
	case errors.As(e.Err, &pe) && pe.Path == e.Path:
		reason = pe.Op + ": " + pe.Err.Error()
	}
	return e.Path + ": " + reason
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// FilesError lists the files Run left out of a replay that otherwise went
// to its end; every other file was replayed. It wraps ErrFilesLeftOut and
// each file's *FileError.
type FilesError struct {
	Files []*FileError
	// Of is how many files the replay was given.
	Of int
}

func (e *FilesError) Error() string {
	paths := make([]string, len(e.Files))
	for i, f := range e.Files {
		paths[i] = f.Path
	}
	return fmt.Sprintf("%d of %d files left out of the replay, whole or from their damage on: %s", len(e.Files), e.Of, strings.Join(paths, ", "))
}

// Unwrap returns ErrFilesLeftOut and the files' errors.
func (e *FilesError) Unwrap() []error {
	out := []error{ErrFilesLeftOut}
	for _, f := range e.Files {
		out = append(out, f)
	}
	return out
}

// EnvironmentError is returned by Run when a file cannot be opened for a
// reason that is not the file's (out of file descriptors or memory,
// permission denied): leaving it out would
// replay a set the user did not ask for, so the replay stops.
type EnvironmentError struct {
	Path string
	// Files is how many files the merge opens at once (all of the set's
	// files inside the time window).
	Files int
	// Limit is the process's limit on open files (RLIMIT_NOFILE), 0 when
	// unknown.
	Limit int
	Err   error
}

func (e *EnvironmentError) Error() string {
	msg := fmt.Sprintf("replay: %v", e.Err)
	if e.Limit > 0 && osenv.IsTooManyOpen(e.Err) {
		msg += fmt.Sprintf(": the merge keeps all %d files of the set open at once, and the process may open %d files (ulimit -n): raise the limit, or replay fewer files (--file-regexp, --time-from/--time-to)", e.Files, e.Limit)
	} else if errors.Is(e.Err, fs.ErrPermission) {
		msg += ": run as a user who may read it, or leave it out of the set"
	}
	return msg
}

// Unwrap returns the cause.
func (e *EnvironmentError) Unwrap() error { return e.Err }

// leaveOut records that the file at path is left out (once per path, in
// whichever loop meets it first) and tells Config.OnFileError.
func (r *runner) leaveOut(path string, packets int64, err error) {
	if r.bad == nil {
		r.bad = map[string]bool{}
	}
	if r.bad[path] {
		return
	}
	r.bad[path] = true
	fe := &FileError{Path: path, Packets: packets, Loop: r.st.Loops, Err: err}
	r.badList = append(r.badList, fe)
	if r.cfg.OnFileError != nil {
		r.cfg.OnFileError(fe)
	}
}
