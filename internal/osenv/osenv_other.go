//go:build !unix

package osenv

// Only permission errors are recognised here: the errno values of other
// systems are not those of Unix.
func isTooManyOpen(error) bool { return false }

func isOutOfMemory(error) bool { return false }

func openLimit() (int, bool) { return 0, false }
