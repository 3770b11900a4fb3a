package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNotWritable is wrapped by Create's error for a path that is neither a
// file, a device nor a FIFO (a directory, a socket).
var ErrNotWritable = errors.New("not a file, device or FIFO wirekit can write")

// maxLinks bounds the symbolic links followed, as the kernel's ELOOP does.
const maxLinks = 40

// File is an output opened by Create. Write (and Sync) go to the temporary
// file or, in place, to the device, FIFO or descriptor; Close commits,
// Abort discards.
type File struct {
	f       *os.File
	name    string      // the path as given, for errors
	target  string      // where the data lands: the resolved path
	tmp     string      // the temporary file, "" when written in place
	perm    fs.FileMode // for the temporary file before its rename
	closed  bool
	err     error
	inPlace bool
}

// Create opens path for writing by the package's rules (see the package
// doc). Its errors name path (and the symbolic link's target when there is
// one): the directory cannot hold a new file, path is a directory or a
// socket (ErrNotWritable), a chain of links is too long or broken in a
// directory, or opening the device fails.
func Create(path string) (*File, error) {
	if path == "" {
		return nil, fmt.Errorf("create: empty file name")
	}
	target, fi, fd, err := resolve(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	where := path
	if target != path {
		where = fmt.Sprintf("%s (a link to %s)", path, target)
	}
	if fd >= 0 {
		f, err := dupFD(fd, target)
		if err != nil {
			return nil, fmt.Errorf("create %s: descriptor %d: %w", where, fd, err)
		}
		return &File{f: f, name: path, target: target, inPlace: true}, nil
	}
	perm := fs.FileMode(0o644)
	if fi != nil {
		m := fi.Mode()
		switch {
		case m.IsRegular():
			perm = m.Perm()
		case m.IsDir():
			return nil, fmt.Errorf("create %s: is a directory: %w (give a file name)", where, ErrNotWritable)
		case m&fs.ModeSocket != 0:
			return nil, fmt.Errorf("create %s: is a socket: %w", where, ErrNotWritable)
		case m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
			f, err := os.OpenFile(target, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("create %s: %w", where, err)
			}
			return &File{f: f, name: path, target: target, inPlace: true}, nil
		default:
			return nil, fmt.Errorf("create %s: file of mode %s: %w", where, m, ErrNotWritable)
		}
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", where, err)
	}
	return &File{f: tmp, name: path, target: target, tmp: tmp.Name(), perm: perm}, nil
}

// resolve follows path through symbolic links to what will be written:
// the final path, its Lstat (nil if it does not exist) and, for a path
// naming a descriptor of this process, that descriptor (else -1).
func resolve(path string) (string, fs.FileInfo, int, error) {
	p := path
	for range maxLinks {
		if fd, ok := fdPath(p); ok {
			return p, nil, fd, nil
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, -1, nil
		}
		if err != nil {
			return "", nil, -1, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, fi, -1, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", nil, -1, err
		}
		if !filepath.IsAbs(link) {
			dir := filepath.Dir(p)
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return "", nil, -1, fmt.Errorf("more than %d symbolic links in a chain", maxLinks)
}

// fdPath reports whether p names a descriptor of this process: /dev/stdin,
// /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N.
func fdPath(p string) (int, bool) {
	switch p {
	case "/dev/stdin":
		return 0, true
	case "/dev/stdout":
		return 1, true
	case "/dev/stderr":
		return 2, true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if s, ok := strings.CutPrefix(p, dir); ok {
			if n, err := strconv.Atoi(s); err == nil && n >= 0 {
				return n, true
			}
		}
	}
	return -1, false
}

// Name returns the path given to Create.
func (f *File) Name() string { return f.name }

// Target returns where the data goes: the path, or the file a symbolic
// link at the path leads to.
func (f *File) Target() string { return f.target }

// InPlace reports whether the output is written in place (a device, a
// FIFO, a descriptor) rather than through a temporary file: what is
// written cannot be taken back.
func (f *File) InPlace() bool { return f.inPlace }

// Write writes p; its errors are *fs.PathError naming the path given to
// Create (not the temporary file).
func (f *File) Write(p []byte) (int, error) {
	if f.closed {
		return 0, fmt.Errorf("write %s: %w", f.name, fs.ErrClosed)
	}
	n, err := f.f.Write(p)
	if err != nil {
		err = &fs.PathError{Op: "write", Path: f.name, Err: bare(err)}
	}
	return n, err
}

// Sync commits what was written to stable storage (a no-op error is
// ignored for devices and FIFOs, which cannot be synced).
func (f *File) Sync() error {
	if f.closed {
		return fmt.Errorf("sync %s: %w", f.name, fs.ErrClosed)
	}
	if err := f.f.Sync(); err != nil && !f.inPlace {
		return fmt.Errorf("sync %s: %w", f.name, unwrapPath(err))
	}
	return nil
}

// Close finishes the output: a temporary file gets its permissions, is
// closed and renamed over the target; a file written in place is closed.
// If any step fails the temporary file is removed, the target is left as
// it was, and the error names the file. Calling Close again returns the
// same result.
func (f *File) Close() error {
	if f.closed {
		return f.err
	}
	f.closed = true
	if f.tmp == "" {
		if err := f.f.Close(); err != nil {
			f.err = fmt.Errorf("close %s: %w", f.name, unwrapPath(err))
		}
		return f.err
	}
	err := f.f.Chmod(f.perm)
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.tmp, f.target)
	}
	if err != nil {
		os.Remove(f.tmp)
		f.err = fmt.Errorf("close %s: %w", f.name, unwrapPath(err))
	}
	return f.err
}

// Abort discards the output: the temporary file is removed and the target
// keeps what it held before Create. Written in place, what was written
// stays written and the file is only closed. Later calls to Write and
// Close return an error; Abort returns the error of removing the
// temporary file, if any.
func (f *File) Abort() error {
	if f.closed {
		return nil
	}
	f.closed = true
	f.err = fmt.Errorf("%s: write aborted", f.name)
	f.f.Close()
	if f.tmp == "" {
		return nil
	}
	if err := os.Remove(f.tmp); err != nil {
		return fmt.Errorf("abort %s: %w", f.name, err)
	}
	return nil
}

// WriteFile writes data to path by the package's rules, as os.WriteFile
// does, syncing a regular file before it is renamed into place.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}

// unwrapPath drops the *fs.PathError of an operation on the temporary
// file, whose name means nothing to the user; the caller names the output.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}

// bare returns the cause of an *fs.PathError (the errno), else err.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
