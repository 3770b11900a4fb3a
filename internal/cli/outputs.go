package cli

import (
	"io"
	"os"
	"sync"

	"github.com/wirekit/wirekit/pcapio"
)

// checkNotInput refuses (usage error) an output path that is the same
// file as one of the inputs, also through symbolic links or hard links:
// writing it would destroy what is being read. "-", a path that does not
// exist yet and anything but a regular file (a device, a FIFO) pass.
func checkNotInput(cmd, flag, out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	ofi, err := os.Stat(out)
	if err != nil || !ofi.Mode().IsRegular() {
		return nil
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if ifi, err := os.Stat(in); err == nil && os.SameFile(ofi, ifi) {
			return usagef("%s: %s %s is the input %s: writing it would destroy what is being read; give another output name", cmd, flag, out, in)
		}
	}
	return nil
}

// checkCaptureName refuses (usage error) a capture output name whose
// compression suffix wirekit cannot write (.bz2, .lzma, .zip...), before
// any work: such a file used to be written uncompressed. A URL's query is
// not part of its name.
func checkCaptureName(cmd, flag, out string) error {
	if out == "" || out == "-" {
		return nil
	}
	if _, _, err := pcapio.SplitCompression(nameOf(out)); err != nil {
		return usagef("%s: %s %s: %v", cmd, flag, out, err)
	}
	return nil
}

// lockedWriter serializes the writes of several goroutines to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
