package dataset

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSaveKeepsLinksAndDevices: Save used to rename a temporary file over
// whatever the path named; a symbolic link and a device must stay.
func TestSaveKeepsLinksAndDevices(t *testing.T) {
	s := NewSet(nil)
	dir := t.TempDir()
	t.Run("symlink to a map: the target is replaced, the link kept", func(t *testing.T) {
		link := filepath.Join(dir, "map.json")
		os.Symlink("real.json", link)
		if err := s.Save(link); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the link was replaced by a regular file")
		}
		if _, err := Load(filepath.Join(dir, "real.json")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("character device is written in place", func(t *testing.T) {
		dev := filepath.Join(dir, "null")
		if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
			t.Skip("mknod needs root:", err)
		}
		if err := s.Save(dev); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(dev); fi.Mode()&fs.ModeCharDevice == 0 {
			t.Fatal("the device was replaced by a regular file")
		}
	})
	t.Run("Encode writes what Save writes", func(t *testing.T) {
		var b bytes.Buffer
		if err := s.Encode(&b); err != nil {
			t.Fatal(err)
		}
		saved, _ := os.ReadFile(filepath.Join(dir, "real.json"))
		if !bytes.Equal(b.Bytes(), saved) {
			t.Fatalf("Encode %q, Save %q", b.Bytes(), saved)
		}
	})
}

// TestLoadStdin: "-" read a file named "-"; it is standard input, so that
// "map --dump-json - | replay --dump-json -" works.
func TestLoadStdin(t *testing.T) {
	s := NewSet([]File{{Path: "a.pcap", Packets: 3}})
	f, err := os.CreateTemp(t.TempDir(), "map")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Encode(f); err != nil {
		t.Fatal(err)
	}
	f.Seek(0, 0)
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old; f.Close() }()
	got, err := Load("-")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 1 || got.Files[0].Packets != 3 {
		t.Fatalf("loaded %+v", got.Files)
	}
}
