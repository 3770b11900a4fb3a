//go:build unix

package safefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// dupFD returns a copy of this process's descriptor fd, so that closing
// the output leaves fd open for the rest of the program.
func dupFD(fd int, name string) (*os.File, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(nfd), name), nil
}
