package pcapio_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

// benchCapture is a synthetic capture of n packets in pcap or pcapng,
// written by gopacket's pcapgo so that neither side reads its own output.
func benchCapture(b testing.TB, n int, ng bool) []byte {
	b.Helper()
	var buf bytes.Buffer
	var w interface {
		WritePacket(gopacket.CaptureInfo, []byte) error
	}
	if ng {
		nw, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
		if err != nil {
			b.Fatal(err)
		}
		w = nw
	} else {
		pw := pcapgo.NewWriter(&buf)
		if err := pw.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
			b.Fatal(err)
		}
		w = pw
	}
	err := synth.Generate(synth.Config{Seed: 1, Packets: n}, func(ci gopacket.CaptureInfo, data []byte) error {
		return w.WritePacket(ci, data)
	})
	if err != nil {
		b.Fatal(err)
	}
	if nw, ok := w.(*pcapgo.NgWriter); ok {
		nw.Flush()
	}
	return buf.Bytes()
}

const benchPackets = 20000

// BenchmarkRead compares pcapio's zero-copy reader with gopacket's pure-Go
// pcapgo readers on the same bytes; each op reads the whole capture.
// "mem" reads from a bytes.Reader; "file" from a file on disk, pcapgo
// getting a bufio.Reader of the size pcapio's buffer has (without one it
// makes two read system calls per packet).
func BenchmarkRead(b *testing.B) {
	for _, ng := range []bool{false, true} {
		name := "pcap"
		if ng {
			name = "pcapng"
		}
		file := benchCapture(b, benchPackets, ng)
		path := filepath.Join(b.TempDir(), "bench."+name)
		if err := os.WriteFile(path, file, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/mem/pcapio", func(b *testing.B) {
			benchLoop(b, int64(len(file)), func() (gopacket.ZeroCopyPacketDataSource, func()) {
				r, err := pcapio.NewReader(bytes.NewReader(file), "bench")
				if err != nil {
					b.Fatal(err)
				}
				return r, func() { r.Close() }
			})
		})
		b.Run(name+"/mem/pcapgo", func(b *testing.B) {
			benchLoop(b, int64(len(file)), func() (gopacket.ZeroCopyPacketDataSource, func()) {
				return pcapgoReader(b, bytes.NewReader(file), ng), func() {}
			})
		})
		b.Run(name+"/file/pcapio", func(b *testing.B) {
			benchLoop(b, int64(len(file)), func() (gopacket.ZeroCopyPacketDataSource, func()) {
				r, err := pcapio.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				return r, func() { r.Close() }
			})
		})
		b.Run(name+"/file/pcapgo", func(b *testing.B) {
			benchLoop(b, int64(len(file)), func() (gopacket.ZeroCopyPacketDataSource, func()) {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				return pcapgoReader(b, bufio.NewReaderSize(f, 512<<10), ng), func() { f.Close() }
			})
		})
	}
}

// BenchmarkReadCompressed reads the pcap capture compressed: the cost is
// mostly the decompressor's.
func BenchmarkReadCompressed(b *testing.B) {
	plain := benchCapture(b, benchPackets, false)
	for _, c := range []struct {
		name string
		mk   func(io.Writer) io.WriteCloser
	}{
		{"gzip", func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) }},
		{"zstd", func(w io.Writer) io.WriteCloser { z, _ := zstd.NewWriter(w); return z }},
	} {
		var buf bytes.Buffer
		w := c.mk(&buf)
		w.Write(plain)
		w.Close()
		file := buf.Bytes()
		b.Run(c.name, func(b *testing.B) {
			benchLoop(b, int64(len(plain)), func() (gopacket.ZeroCopyPacketDataSource, func()) {
				r, err := pcapio.NewReader(bytes.NewReader(file), "bench")
				if err != nil {
					b.Fatal(err)
				}
				return r, func() { r.Close() }
			})
		})
	}
}

func pcapgoReader(b *testing.B, r io.Reader, ng bool) gopacket.ZeroCopyPacketDataSource {
	var src gopacket.ZeroCopyPacketDataSource
	var err error
	if ng {
		src, err = pcapgo.NewNgReader(r, pcapgo.DefaultNgReaderOptions)
	} else {
		src, err = pcapgo.NewReader(r)
	}
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func benchLoop(b *testing.B, size int64, open func() (gopacket.ZeroCopyPacketDataSource, func())) {
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		src, done := open()
		count(b, src, benchPackets)
		done()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPackets), "ns/packet")
}

func count(b *testing.B, src gopacket.ZeroCopyPacketDataSource, want int) {
	got := 0
	for {
		_, _, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		got++
	}
	if got != want {
		b.Fatalf("read %d packets, want %d", got, want)
	}
}

// BenchmarkZeroCopyPacket reads one packet per op from an endless pcap
// stream: the per-packet cost and its allocations (0).
func BenchmarkZeroCopyPacket(b *testing.B) {
	file := benchCapture(b, 1000, false)
	recs := file[24:]
	r, err := pcapio.NewReader(io.MultiReader(bytes.NewReader(file[:24]), &repeatReader{b: recs}), "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
			b.Fatal(err)
		}
	}
}

// repeatReader returns b over and over.
type repeatReader struct {
	b   []byte
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}
