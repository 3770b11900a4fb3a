package tarx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Reasons a member is refused or skipped; Member.Reason wraps one of them.
var (
	// ErrUnsafePath: an absolute name, a ".." component, a NUL byte, an
	// empty name, or a path through a symbolic link or a non-directory.
	ErrUnsafePath = errors.New("unsafe path")
	// ErrLink: a symbolic or hard link (never created).
	ErrLink = errors.New("link not extracted")
	// ErrSpecial: a character or block device, a FIFO, or a type tarx does
	// not know.
	ErrSpecial = errors.New("not a regular file")
	// ErrExists: the output file exists and Options.Overwrite is not set.
	ErrExists = errors.New("output file exists")
	// ErrNameTooLong: a component of the output path (after --flatten
	// joining and the compression suffix) is longer than the 255 bytes
	// file systems allow, or the file system refused the name as too long.
	ErrNameTooLong = errors.New("name too long")
	// ErrTruncated: the tar stream ended without its end-of-archive marker
	// (two zero blocks): it was cut short, or it is not a tarball.
	ErrTruncated = errors.New("no end-of-archive marker: the tarball is truncated or is not a tarball")
)

// cleanName checks a member name and returns its slash-separated components
// with "." and empty ones dropped. It refuses absolute names, ".."
// components, NUL bytes and names with nothing left.
func cleanName(name string) ([]string, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return nil, fmt.Errorf("%w: name contains a NUL byte", ErrUnsafePath)
	}
	if strings.HasPrefix(name, "/") {
		return nil, fmt.Errorf("%w: absolute name", ErrUnsafePath)
	}
	var parts []string
	for p := range strings.SplitSeq(name, "/") {
		switch p {
		case "", ".":
			continue
		case "..":
			return nil, fmt.Errorf("%w: name has a \"..\" component", ErrUnsafePath)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: empty name", ErrUnsafePath)
	}
	return parts, nil
}

// checkParents refuses a path whose existing parent components, inside
// root, include a symbolic link or something that is not a directory.
func checkParents(root *os.Root, parts []string) error {
	for i := 1; i < len(parts); i++ {
		dir := strings.Join(parts[:i], "/")
		fi, err := root.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // nothing deeper exists either
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUnsafePath, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%w: %q in the output folder is a symbolic link", ErrUnsafePath, dir)
		}
		if !fi.IsDir() {
			return fmt.Errorf("%w: %q in the output folder is not a directory", ErrUnsafePath, dir)
		}
	}
	return nil
}

// maxNameLen is the longest file name (one path component) Linux file
// systems accept, in bytes (NAME_MAX).
const maxNameLen = 255

// checkLengths refuses output path components longer than maxNameLen.
func checkLengths(parts []string) error {
	for _, p := range parts {
		if len(p) > maxNameLen {
			return fmt.Errorf("%w: a path component is %d bytes long, over the %d bytes file systems allow", ErrNameTooLong, len(p), maxNameLen)
		}
	}
	return nil
}
