// Package osenv tells errors that come from the environment a program runs
// in (out of file descriptors or memory, permission denied) from errors
// that are a property of the file being read (not a capture, truncated,
// gone), and says how many more files the process may open.
//
// A scan of thousands of files must not record "too many open files" as
// damage of the file it happened to be opening: such an error is retried
// once other files are closed, or fails the run with a message saying
// what to change. Linux counts the open descriptors in /proc/self/fd;
// other Unix systems know the limit (getrlimit) but not the count; other
// systems know neither, and callers fall back to retrying.
package osenv

import (
	"errors"
	"os"
)

// IsEnvironment reports whether err comes from the environment rather
// than from the file: the process or the system is out of file descriptors
// (EMFILE, ENFILE), the kernel is out of memory or buffers (ENOMEM,
// ENOBUFS), or permission is denied (EACCES, EPERM: a matter of who runs
// the program, not of the file's contents). Errors wrapped with %w are
// looked through.
func IsEnvironment(err error) bool {
	return err != nil && (errors.Is(err, os.ErrPermission) || IsTooManyOpen(err) || isOutOfMemory(err))
}

// IsTooManyOpen reports whether err is the process (EMFILE) or the system
// (ENFILE) running out of file descriptors: an open that may succeed once
// other files are closed.
func IsTooManyOpen(err error) bool { return err != nil && isTooManyOpen(err) }

// Headroom returns how many more files the process may open before it
// reaches its limit on open files (RLIMIT_NOFILE), and that limit. ok is
// false when the system cannot say (the count of open files or the limit
// is unknown); callers should then not bound themselves by it, and retry
// on IsTooManyOpen instead.
func Headroom() (free, limit int, ok bool) {
	limit, ok = openLimit()
	if !ok {
		return 0, 0, false
	}
	open, ok := openFiles()
	if !ok {
		return 0, limit, false
	}
	return max(limit-open, 0), limit, true
}
