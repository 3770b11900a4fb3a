package pcapio_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

// benchCapture is a synthetic capture of n packets in pcap or pcapng.
func benchCapture(b *testing.B, n int, ng bool) []byte {
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
		defer nw.Flush()
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

// BenchmarkRead compares pcapio's zero-copy reader with gopacket's pure-Go
// pcapgo readers on the same bytes; each op reads the whole capture.
func BenchmarkRead(b *testing.B) {
	const n = 20000
	for _, ng := range []bool{false, true} {
		name := "pcap"
		if ng {
			name = "pcapng"
		}
		file := benchCapture(b, n, ng)
		b.Run(name+"/wirekit", func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := pcapio.NewReader(bytes.NewReader(file), "bench")
				if err != nil {
					b.Fatal(err)
				}
				count(b, r, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
		})
		b.Run(name+"/pcapgo", func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			for b.Loop() {
				var src gopacket.ZeroCopyPacketDataSource
				var err error
				if ng {
					src, err = pcapgo.NewNgReader(bytes.NewReader(file), pcapgo.DefaultNgReaderOptions)
				} else {
					src, err = pcapgo.NewReader(bytes.NewReader(file))
				}
				if err != nil {
					b.Fatal(err)
				}
				count(b, src, n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
		})
	}
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
