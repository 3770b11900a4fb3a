package safefile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// mknodNull makes a character device 1,3 (what /dev/null is) in dir, or
// skips the test when that needs privileges this process lacks.
func mknodNull(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "null")
	if err := unix.Mknod(p, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		if errors.Is(err, unix.EPERM) {
			t.Skip("mknod needs root or CAP_MKNOD")
		}
		t.Fatal(err)
	}
	return p
}

func write(t *testing.T, path string, data string) error {
	t.Helper()
	f, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte(data)); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}

func isCharDevice(t *testing.T, p string) bool {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()&fs.ModeCharDevice != 0
}

func TestCreateKeepsWhatIsNotARegularFile(t *testing.T) {
	t.Run("char device is written in place, not replaced", func(t *testing.T) {
		dir := t.TempDir()
		dev := mknodNull(t, dir)
		if err := write(t, dev, "data"); err != nil {
			t.Fatal(err)
		}
		if !isCharDevice(t, dev) {
			t.Fatal("the device was replaced by another file")
		}
		assertNoTemp(t, dir)
	})
	t.Run("symlink to a device keeps both", func(t *testing.T) {
		dir := t.TempDir()
		dev := mknodNull(t, dir)
		link := filepath.Join(dir, "link")
		if err := os.Symlink("null", link); err != nil {
			t.Fatal(err)
		}
		if err := write(t, link, "data"); err != nil {
			t.Fatal(err)
		}
		if !isCharDevice(t, dev) {
			t.Fatal("the device was replaced")
		}
		if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the link was replaced")
		}
	})
	t.Run("FIFO gets the bytes and stays a FIFO", func(t *testing.T) {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "fifo")
		if err := unix.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- b
		}()
		if err := write(t, fifo, "through the fifo"); err != nil {
			t.Fatal(err)
		}
		if b := <-got; string(b) != "through the fifo" {
			t.Fatalf("reader got %q", b)
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatal("the FIFO was replaced")
		}
	})
	t.Run("symlink to a file replaces the target, keeps the link", func(t *testing.T) {
		dir := t.TempDir()
		sub := filepath.Join(dir, "sub")
		os.Mkdir(sub, 0o755)
		target := filepath.Join(sub, "real.pcap")
		os.WriteFile(target, []byte("old"), 0o600)
		link := filepath.Join(dir, "link.pcap")
		if err := os.Symlink(filepath.Join("sub", "real.pcap"), link); err != nil {
			t.Fatal(err)
		}
		if err := write(t, link, "new"); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(target); string(b) != "new" {
			t.Fatalf("target holds %q", b)
		}
		fi, _ := os.Lstat(link)
		if fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the link was replaced by a file")
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
			t.Fatalf("target mode %v, want the old 0600", fi.Mode().Perm())
		}
		assertNoTemp(t, dir)
		assertNoTemp(t, sub)
	})
	t.Run("dangling symlink creates its target", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "link")
		os.Symlink("missing", link)
		if err := write(t, link, "x"); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "missing")); string(b) != "x" {
			t.Fatalf("target holds %q", b)
		}
	})
	t.Run("symlink loop is an error naming the path", func(t *testing.T) {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.Symlink("b", a)
		os.Symlink("a", b)
		err := write(t, a, "x")
		if err == nil || !strings.Contains(err.Error(), a) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("directory is refused", func(t *testing.T) {
		err := write(t, t.TempDir(), "x")
		if !errors.Is(err, ErrNotWritable) {
			t.Fatalf("err = %v, want ErrNotWritable", err)
		}
	})
	t.Run("socket is refused", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "sock")
		l, err := net.Listen("unix", p)
		if err != nil {
			t.Skip(err)
		}
		defer l.Close()
		if err := write(t, p, "x"); !errors.Is(err, ErrNotWritable) {
			t.Fatalf("err = %v, want ErrNotWritable", err)
		}
	})
}

func TestCreateRegular(t *testing.T) {
	t.Run("new file appears only on Close with mode 0644", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		f, err := Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("abc"))
		if _, err := os.Stat(p); err == nil {
			t.Fatal("file visible before Close")
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o644 || fi.Size() != 3 {
			t.Fatalf("stat: %v %v", fi, err)
		}
	})
	t.Run("abort leaves the old file", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		os.WriteFile(p, []byte("old"), 0o644)
		f, err := Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("new"))
		f.Abort()
		if b, _ := os.ReadFile(p); string(b) != "old" {
			t.Fatalf("file holds %q", b)
		}
		assertNoTemp(t, dir)
	})
	t.Run("missing directory names the path", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "no", "out")
		if _, err := Create(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestCreateDevStdout runs this test binary as a child whose stdout is a
// pipe (and then a regular file opened for appending): writing
// /dev/stdout must reach the descriptor, not replace anything.
func TestCreateDevStdout(t *testing.T) {
	if os.Getenv("SAFEFILE_CHILD") != "" {
		path := os.Getenv("SAFEFILE_CHILD")
		if err := write(t, path, "to stdout\n"); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, path := range []string{"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"} {
		t.Run(path+" to a pipe", func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestCreateDevStdout$")
			cmd.Env = append(os.Environ(), "SAFEFILE_CHILD="+path)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v: %s", err, out)
			}
			if !bytes.HasPrefix(out, []byte("to stdout\n")) {
				t.Fatalf("stdout = %q", out)
			}
		})
		t.Run(path+" to a file opened for append", func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "log")
			os.WriteFile(log, []byte("before\n"), 0o644)
			fh, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestCreateDevStdout$")
			cmd.Env = append(os.Environ(), "SAFEFILE_CHILD="+path)
			cmd.Stdout = fh
			err = cmd.Run()
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(log)
			if !bytes.HasPrefix(b, []byte("before\nto stdout\n")) {
				t.Fatalf("log = %q: the shell's file was replaced, not appended to", b)
			}
		})
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
