//go:build !linux

package memprep

import "errors"

// prepare is not supported outside Linux.
func prepare() error { return errors.New("memprep: not supported on this system") }
