package tarx_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/wirekit/wirekit/tarx"
)

// Extract the .pcap members of a tarball, compressing them with zstd; the
// member with a ".." component is refused and extraction goes on.
func Example() {
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	for _, name := range []string{"day1/a.pcap", "../escape.pcap", "day1/notes.txt", "day2/b.pcap"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 4})
		tw.Write([]byte("data"))
	}
	tw.Close()

	out, _ := os.MkdirTemp("", "tarx-example")
	defer os.RemoveAll(out)
	sum, err := tarx.Extract(context.Background(), &tarball, filepath.Join(out, "pcaps"), &tarx.Options{
		Match:    regexp.MustCompile(`\.pcap$`),
		Compress: tarx.Zstd,
		OnMember: func(m *tarx.Member) {
			fmt.Printf("%v %s %q\n", m.Action, m.Name, m.Path)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d extracted, %d refused, %d bytes\n", sum.Extracted, sum.Refused, sum.Bytes)
	// Output:
	// extracted day1/a.pcap "day1/a.pcap.zst"
	// refused ../escape.pcap ""
	// extracted day2/b.pcap "day2/b.pcap.zst"
	// 2 extracted, 1 refused, 8 bytes
}
