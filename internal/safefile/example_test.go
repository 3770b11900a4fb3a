package safefile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wirekit/wirekit/internal/safefile"
)

// A regular file appears under its name only when Close commits it; the
// same call writes /dev/null or a FIFO in place.
func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "safefile")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "out.txt")

	f, err := safefile.Create(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprintln(f, "hello")
	_, err = os.Stat(path)
	fmt.Println("visible before Close:", err == nil)
	if err := f.Close(); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Printf("after Close: %q\n", b)
	// Output:
	// visible before Close: false
	// after Close: "hello\n"
}
