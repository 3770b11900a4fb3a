package dataset_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/dataset"
)

// TestScanFileCompressedChecksum flips the trailer checksum of compressed
// captures: map must record the file as damaged (the decompressor's
// integrity check is reached at the end of the scan), not as whole.
func TestScanFileCompressedChecksum(t *testing.T) {
	for _, tc := range []struct {
		name string
		back int // flipped byte, counted from the end
		want string
	}{
		{"a.pcap.gz", 8, "checksum"}, // gzip CRC-32
		{"b.pcap.gz", 3, "checksum"}, // gzip ISIZE
		{"c.pcapng.zst", 1, "CRC"},   // zstd content checksum
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			writeSynth(t, path, genCase{seed: 9, packets: 200})
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-tc.back] ^= 1
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := dataset.ScanFile(context.Background(), path)
			if err == nil || !strings.Contains(f.Error, tc.want) || !strings.Contains(f.Error, tc.name) {
				t.Errorf("scan: error %v, recorded %q; want the file named and %q", err, f.Error, tc.want)
			}
		})
	}
}
