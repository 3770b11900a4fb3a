package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// fuzzRead checks the reader's invariants on arbitrary bytes: no panic,
// CaptureLength == len(data), every error a *FormatError, returned once and
// kept by Err, with io.EOF after it.
func fuzzRead(t *testing.T, data []byte) {
	r, err := pcapio.NewReader(bytes.NewReader(data), "fuzz")
	if err != nil {
		var fe *pcapio.FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("open error is not a *FormatError: %v", err)
		}
		return
	}
	defer r.Close()
	for i := 0; ; i++ {
		d, ci, err := r.ZeroCopyReadPacketData()
		if err == io.EOF {
			return
		}
		if err != nil {
			var fe *pcapio.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("packet %d: error is not a *FormatError: %v", i, err)
			}
			if _, _, err2 := r.ZeroCopyReadPacketData(); err2 != io.EOF {
				t.Fatalf("a read after an error returned %v, want io.EOF", err2)
			}
			if r.Err() != err {
				t.Fatalf("Err() = %v, want the error read returned (%v)", r.Err(), err)
			}
			return
		}
		if ci.CaptureLength != len(d) {
			t.Fatalf("packet %d: CaptureLength %d, len(data) %d", i, ci.CaptureLength, len(d))
		}
		if i > len(data) {
			t.Fatalf("more packets than input bytes")
		}
	}
}

// addCorpusSeeds adds small corpus files whose name matches glob.
func addCorpusSeeds(f *testing.F, glob string) {
	dir := os.Getenv("WIREKIT_CORPUS")
	if dir == "" {
		dir = filepath.Join(testutil.RepoRoot(f), "..", "shared", "corpus")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, glob))
	for i, p := range paths {
		if i >= 40 {
			break
		}
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
}

func FuzzPcapReader(f *testing.F) {
	f.Add(pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, []pkt{{t0, "abcd", 4, 0}}))
	f.Add(pcapFile(binary.BigEndian, 0xa1b23c4d, 16, 4, 1, []pkt{{t0, "abcdefgh", 8, 0}}))
	f.Add(pcapFile(binary.LittleEndian, 0xa1b2cd34, 24, 0, 113, []pkt{{t0, "x", 1, 0}}))
	addCorpusSeeds(f, "tcpdump/*.pcap")
	f.Fuzz(fuzzRead)
}

func FuzzPcapNGReader(f *testing.F) {
	n := &ngBuilder{}
	n.shb(binary.LittleEndian)
	n.idb(1, 0, n.opt(9, []byte{0x83}), n.opt(0, nil))
	n.epb(0, 12345, "packet", 6)
	f.Add(n.b.Bytes())
	addCorpusSeeds(f, "pcapng/*/*.pcapng")
	f.Fuzz(fuzzRead)
}
