//go:build !unix

package safefile

import "os"

// dupFD opens the descriptor's path in place where descriptors cannot be
// duplicated portably.
func dupFD(fd int, name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY, 0)
}
