//go:build unix

package osenv

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

func TestIsEnvironment(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	_, notExist := os.Open(missing)
	for _, tc := range []struct {
		name     string
		err      error
		env, fds bool
	}{
		{"process out of descriptors", &fs.PathError{Op: "open", Path: "a", Err: syscall.EMFILE}, true, true},
		{"system out of descriptors, wrapped", fmt.Errorf("map: %w", &fs.PathError{Op: "open", Path: "a", Err: syscall.ENFILE}), true, true},
		{"out of kernel memory", &fs.PathError{Op: "open", Path: "a", Err: syscall.ENOMEM}, true, false},
		{"permission denied", &fs.PathError{Op: "open", Path: "a", Err: syscall.EACCES}, true, false},
		{"operation not permitted", &fs.PathError{Op: "open", Path: "a", Err: syscall.EPERM}, true, false},
		{"file gone", notExist, false, false},
		{"damaged file", fmt.Errorf("a: offset 24: truncated"), false, false},
		{"no error", nil, false, false},
	} {
		if got := IsEnvironment(tc.err); got != tc.env {
			t.Errorf("%s: IsEnvironment = %v, want %v", tc.name, got, tc.env)
		}
		if got := IsTooManyOpen(tc.err); got != tc.fds {
			t.Errorf("%s: IsTooManyOpen = %v, want %v", tc.name, got, tc.fds)
		}
	}
}

// TestHeadroom: on Linux the headroom is the limit less the files open,
// and opening one more file takes one from it.
func TestHeadroom(t *testing.T) {
	free, limit, ok := Headroom()
	if runtime.GOOS != "linux" {
		if l, lok := openLimit(); !lok || l <= 0 {
			t.Errorf("limit %d, %v", l, lok)
		}
		t.Skipf("open files are counted on Linux only (headroom %d, %v)", free, ok)
	}
	if !ok || limit <= 0 || free <= 0 || free >= limit {
		t.Fatalf("Headroom() = %d, %d, %v", free, limit, ok)
	}
	f, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if free2, _, _ := Headroom(); free2 != free-1 {
		t.Errorf("headroom %d after opening a file, want %d", free2, free-1)
	}
}
