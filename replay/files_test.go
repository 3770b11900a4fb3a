package replay

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirekit/wirekit/pcapio"
)

// TestFilesLeftOut: a file that is not a capture, a file of the map that
// no longer exists and a file damaged part-way no longer stop the replay
// (before the fix the first two made Run fail with 0 packets sent, and the
// damage stopped later loops): the other files play, the damaged file
// plays up to its damage, each bad file is reported once, and Run ends
// with a *FilesError listing them.
func TestFilesLeftOut(t *testing.T) {
	paths, rel := interleaved(t) // 30 packets, 10 per file
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pcap")
	if err := os.WriteFile(junk, []byte("not a capture at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	const rec = 16 + 60
	if err := os.WriteFile(paths[1], data[:24+3*rec+30], 0o644); err != nil { // 3 whole records
		t.Fatal(err)
	}
	files := mapFiles(t, paths[0], paths[2], paths[0], paths[0])
	files[2].Path = paths[1]
	files[3].Path = filepath.Join(dir, "gone.pcap")
	files = append(files, files[0])
	files[4].Path = junk

	for _, loops := range []int{1, 3} {
		clk := &fakeClock{}
		sink := &recordSink{clock: clk}
		var told []*FileError
		st, err := Run(context.Background(), files, sink, &Config{Clock: clk, Loops: loops, OnFileError: func(fe *FileError) { told = append(told, fe) }})
		var fe *FilesError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFilesLeftOut) || fe.Of != 5 {
			t.Fatalf("loops %d: err %v, want a *FilesError of 5 files", loops, err)
		}
		want := loops * (len(rel) - 7)
		if st.Sent != int64(want) || len(sink.got) != want || st.Loops != loops {
			t.Errorf("loops %d: sent %d in %d loops, want %d (all but the 7 records after the damage, every loop)", loops, st.Sent, st.Loops, want)
		}
		if len(told) != 3 || len(fe.Files) != 3 || len(st.LeftOut) != 3 {
			t.Fatalf("loops %d: told %d, listed %d and %d files, want 3 each", loops, len(told), len(fe.Files), len(st.LeftOut))
		}
		byPath := map[string]*FileError{}
		for _, f := range fe.Files {
			byPath[f.Path] = f
		}
		var format *pcapio.FormatError
		if f := byPath[paths[1]]; f == nil || f.Packets != 3 || !errors.As(f, &format) || !errors.Is(f, pcapio.ErrTruncated) {
			t.Errorf("damaged file: %+v, want 3 packets read and a truncation", f)
		}
		if f := byPath[junk]; f == nil || f.Packets != 0 || !errors.Is(f, pcapio.ErrBadMagic) {
			t.Errorf("junk file: %+v, want ErrBadMagic", f)
		}
		if f := byPath[files[3].Path]; f == nil || !errors.Is(f, os.ErrNotExist) {
			t.Errorf("missing file: %+v, want ErrNotExist", f)
		}
		if !sink.closed {
			t.Error("sink not closed")
		}
	}
}

// TestNoFileReadable: when no file of the set can be read, Run sends
// nothing and lists them all.
func TestNoFileReadable(t *testing.T) {
	paths, _ := interleaved(t)
	files := mapFiles(t, paths...)
	for i := range files {
		files[i].Path = filepath.Join(t.TempDir(), "gone.pcap")
	}
	clk := &fakeClock{}
	st, err := Run(context.Background(), files, &recordSink{clock: clk}, &Config{Clock: clk, Loops: -1})
	var fe *FilesError
	if !errors.As(err, &fe) || len(fe.Files) != 3 || st.Sent != 0 {
		t.Fatalf("err %v after %d packets, want the 3 files listed and nothing sent", err, st.Sent)
	}
}

// TestFileErrorText: the message names the file once, then the damage.
func TestFileErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  *FileError
		want string
	}{
		{&FileError{Path: "a.pcap", Err: &pcapio.FormatError{File: "a.pcap", Offset: 24, Packet: 0, Err: pcapio.ErrTruncated}}, "a.pcap: offset 24 (packet 1): truncated capture file"},
		{&FileError{Path: "b.pcap", Err: &os.PathError{Op: "open", Path: "b.pcap", Err: os.ErrNotExist}}, "b.pcap: open: file does not exist"},
		{&FileError{Path: "c.pcap", Err: errors.New("other")}, "c.pcap: other"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}
