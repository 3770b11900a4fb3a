//go:build !linux

package cli

import "os"

// pollableStdin returns f: outside Linux a read from a pipe on standard
// input is not made interruptible (a signal stops it at the next packet).
func pollableStdin(f *os.File) (*os.File, bool) { return f, false }
