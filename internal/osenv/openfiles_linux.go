package osenv

import "os"

// openFiles counts the process's open file descriptors in /proc/self/fd
// (less the one used to read the directory).
func openFiles() (int, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return 0, false
	}
	return max(len(names)-1, 0), true
}
