package cli

import (
	"io/fs"
	"os"
	"strconv"
)

// pollableStdin returns a file for reading standard input whose reads a
// deadline can interrupt: for a pipe or FIFO, a new open of
// /proc/self/fd/N (its own file description, so the non-blocking mode the
// runtime sets does not leak to the process that gave the pipe); f itself
// otherwise. own says the returned file is a new one to close.
func pollableStdin(f *os.File) (*os.File, bool) {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		return f, false
	}
	g, err := os.Open("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		return f, false
	}
	return g, true
}
