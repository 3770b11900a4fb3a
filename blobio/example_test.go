package blobio_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wirekit/wirekit/blobio"
)

// An object appears only when Close commits it; a file:// URL goes
// through the same code as s3://, gs:// and azblob:// ones.
func Example() {
	dir, _ := os.MkdirTemp("", "blobio")
	defer os.RemoveAll(dir)
	url := "file://" + filepath.ToSlash(filepath.Join(dir, "out", "hello.txt"))

	s := blobio.NewStore()
	defer s.Close()
	ctx := context.Background()
	w, err := s.Create(ctx, url, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprintln(w, "hello")
	ok, _ := s.Exists(ctx, url)
	fmt.Println("visible before Close:", ok)
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	r, err := s.Open(ctx, url)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	fmt.Printf("after Close: %q (%d bytes)\n", b, r.Size())
	// Output:
	// visible before Close: false
	// after Close: "hello\n" (6 bytes)
}
