// Package testutil holds helpers shared by wirekit's tests: where the shared
// capture corpus lives, and where the repository root is.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding wirekit's go.mod, found by walking up
// from the working directory. It fails the test if there is none.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// CorpusDir returns the shared capture corpus (../shared/corpus beside the
// repository, or $WIREKIT_CORPUS when set), joined with the optional
// sub-path. It skips the test, saying why, when the corpus is absent.
func CorpusDir(tb testing.TB, sub ...string) string {
	tb.Helper()
	dir := os.Getenv("WIREKIT_CORPUS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(tb), "..", "shared", "corpus")
	}
	dir = filepath.Join(append([]string{dir}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared corpus not available (%v); set WIREKIT_CORPUS or place it at ../shared/corpus", err)
	}
	return dir
}
