package pcapio

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"
)

// TestCreateCompressionSuffix: every suffix Create accepts writes the
// compression it names (read back by magic bytes, not name), and a suffix
// of a compression it cannot write is refused instead of written plain.
func TestCreateCompressionSuffix(t *testing.T) {
	eth := []Interface{{LinkType: layers.LinkTypeEthernet}}
	pkts := makePackets(50, 1)
	for _, tc := range []struct {
		name string
		comp Compression
		fmt  Format
	}{
		{"x.pcap", CompressNone, FormatPcap},
		{"x.pcap.gz", CompressGzip, FormatPcap},
		{"x.pcapng.zst", CompressZstd, FormatPcapNG},
		{"x.pcap.xz was written uncompressed", CompressXZ, FormatPcap},
		{"x.pcapng.XZ upper case", CompressXZ, FormatPcapNG},
		{"x.pcap.lz4 was written uncompressed", CompressLZ4, FormatPcap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.name
			if i := indexSpace(name); i >= 0 {
				name = name[:i]
			}
			path := filepath.Join(t.TempDir(), name)
			w, err := Create(path, eth, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pkts {
				if err := w.WritePacket(p.ci, p.data); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Compression() != tc.comp || r.Format() != tc.fmt {
				t.Fatalf("read back as %v %v, want %v %v", r.Format(), r.Compression(), tc.fmt, tc.comp)
			}
			n := 0
			for {
				_, _, err := r.ReadPacketData()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != len(pkts) {
				t.Fatalf("read %d packets, want %d", n, len(pkts))
			}
		})
	}
	for _, name := range []string{"x.pcap.bz2", "x.pcap.lzma", "x.pcap.zip"} {
		t.Run(name+" refused, not written plain", func(t *testing.T) {
			dir := t.TempDir()
			_, err := Create(filepath.Join(dir, name), eth, nil)
			if !errors.Is(err, ErrCompressionSuffix) {
				t.Fatalf("err = %v, want ErrCompressionSuffix", err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Fatalf("left %d files", len(ents))
			}
		})
	}
}

func indexSpace(s string) int {
	for i, c := range s {
		if c == ' ' {
			return i
		}
	}
	return -1
}

// TestCreateKeepsDevicesAndLinks: Create writes a character device and a
// symbolic link's target in place of replacing them with a regular file
// (as root, "-w /dev/null" used to destroy /dev/null).
func TestCreateKeepsDevicesAndLinks(t *testing.T) {
	eth := []Interface{{LinkType: layers.LinkTypeEthernet}}
	dir := t.TempDir()
	dev := filepath.Join(dir, "null")
	if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skip("mknod needs root:", err)
	}
	real := filepath.Join(dir, "real.pcap")
	link := filepath.Join(dir, "link.pcap")
	os.Symlink("real.pcap", link)
	for _, path := range []string{dev, link} {
		w, err := Create(path, eth, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range makePackets(5, 1) {
			w.WritePacket(p.ci, p.data)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if fi, _ := os.Lstat(dev); fi.Mode()&fs.ModeCharDevice == 0 {
		t.Error("the device was replaced by a regular file")
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced by a regular file")
	}
	if r, err := Open(real); err != nil {
		t.Errorf("the link's target is not a capture: %v", err)
	} else {
		r.Close()
	}
}
