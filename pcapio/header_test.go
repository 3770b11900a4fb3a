package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/gzip"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// walkMode says how a transcript reads a capture.
type walkMode int

const (
	fullRead   walkMode = iota // ZeroCopyReadPacketData only
	headerRead                 // NextHeader only
	mixedRead                  // the two alternating
)

// transcript reads r to its end and describes every record (capture info)
// and the end (error text, Offset, packet count), one line each.
func transcript(r *pcapio.Reader, mode walkMode) string {
	var b strings.Builder
	for i := 0; ; i++ {
		var ci gopacket.CaptureInfo
		var err error
		if mode == headerRead || mode == mixedRead && i%2 == 1 {
			ci, err = r.NextHeader()
		} else {
			_, ci, err = r.ZeroCopyReadPacketData()
		}
		if err != nil {
			fmt.Fprintf(&b, "end after %d: %v at offset %d\n", i, err, r.Offset())
			// The error is returned once on both paths, then io.EOF.
			if _, err2 := r.NextHeader(); err2 != io.EOF {
				fmt.Fprintf(&b, "NextHeader after an error: %v, want io.EOF\n", err2)
			}
			return b.String()
		}
		fmt.Fprintf(&b, "%d %d %d %d %d\n", ci.Timestamp.UnixNano(), ci.CaptureLength, ci.Length, ci.InterfaceIndex, r.Offset())
	}
}

// compareWalks checks that header-only and mixed walks of one capture
// describe it as the full read does. open returns a fresh Reader.
func compareWalks(t *testing.T, name string, open func() (*pcapio.Reader, error)) {
	t.Helper()
	var want string
	for _, mode := range []walkMode{fullRead, headerRead, mixedRead} {
		r, err := open()
		if err != nil {
			if mode != fullRead {
				t.Fatalf("%s: open failed on a later try: %v", name, err)
			}
			return // open errors do not involve NextHeader
		}
		got := transcript(r, mode)
		r.Close()
		if mode == fullRead {
			want = got
			continue
		}
		if got != want {
			t.Errorf("%s: walk %d differs from the full read:\n%s", name, mode, firstDiff(got, want))
		}
	}
}

// firstDiff shows the first line where two transcripts differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got  %q\n want %q", i+1, gl, wl)
		}
	}
	return "(same)"
}

// TestNextHeaderCorpus walks every corpus capture with NextHeader, reading
// and seeking, and compares with the full read: same records, same end.
func TestNextHeaderCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t)
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".md") {
			return err
		}
		files++
		for _, seek := range []int64{math.MaxInt64, 0} {
			compareWalks(t, fmt.Sprintf("%s (seek threshold %d)", p, seek), func() (*pcapio.Reader, error) {
				r, err := pcapio.Open(p)
				if err == nil {
					r.SetSeekThreshold(seek)
				}
				return r, err
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d corpus files compared", files)
}

// bigPackets builds a capture whose packets are larger than the read
// buffer, so that NextHeader must skip beyond it (by reading or seeking).
func bigPackets(t testing.TB, ng bool) []byte {
	t.Helper()
	sizes := []int{60, 200000, 1500, 262144, 700000, 90, 3 << 20}
	if ng {
		n := &ngBuilder{}
		n.shb(binary.LittleEndian)
		n.idb(231, 0) // D-Bus: packets up to 128 MiB
		for i, s := range sizes {
			n.epb(0, uint64(1700000000_000000+i), strings.Repeat("x", s), s)
		}
		return n.b.Bytes()
	}
	var pkts []pkt
	for i, s := range sizes {
		pkts = append(pkts, pkt{t0.Add(time.Duration(i) * time.Millisecond), strings.Repeat("y", s), s + 4, 0})
	}
	return pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 0, 231, pkts)
}

// TestNextHeaderTruncated cuts captures at many places, small and big
// packets, pcap and pcapng, plain file (reading and seeking), stream and
// gzip, and compares NextHeader with the full read each time: the same
// packets kept, the same error at the same offset.
func TestNextHeaderTruncated(t *testing.T) {
	inputs := map[string][]byte{
		"small.pcap":    benchCapture(t, 300, false),
		"big.pcap":      bigPackets(t, false),
		"big.pcapng":    bigPackets(t, true),
		"smallng.pcapn": benchCapture(t, 300, true),
	}
	dir := t.TempDir()
	for name, data := range inputs {
		cuts := []int{len(data), len(data) - 1, len(data) - 4, 24, 30, 40, 100}
		for c := 1; c < 24; c++ {
			cuts = append(cuts, len(data)*c/24+c)
		}
		for _, cut := range cuts {
			if cut < 0 || cut > len(data) {
				continue
			}
			b := data[:cut]
			path := filepath.Join(dir, fmt.Sprintf("%s.%d", name, cut))
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(b)
			zw.Close()
			for _, seek := range []int64{math.MaxInt64, 0, 100000} {
				compareWalks(t, fmt.Sprintf("%s cut at %d, file, seek threshold %d", name, cut, seek), func() (*pcapio.Reader, error) {
					r, err := pcapio.Open(path)
					if err == nil {
						r.SetSeekThreshold(seek)
					}
					return r, err
				})
			}
			compareWalks(t, fmt.Sprintf("%s cut at %d, stream", name, cut), func() (*pcapio.Reader, error) {
				return pcapio.NewReader(bytes.NewReader(b), "test")
			})
			compareWalks(t, fmt.Sprintf("%s cut at %d, gzip", name, cut), func() (*pcapio.Reader, error) {
				return pcapio.NewReader(bytes.NewReader(gz.Bytes()), "test")
			})
		}
	}
}

// TestNextHeaderSeeks walks packets bigger than the read buffer, seeking
// and reading: InputOffset and Offset count every byte passed over.
func TestNextHeaderSeeks(t *testing.T) {
	data := bigPackets(t, false)
	path := filepath.Join(t.TempDir(), "big.pcap")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		threshold int64
	}{{"seek", 0}, {"read", math.MaxInt64}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := pcapio.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			r.SetSeekThreshold(tc.threshold)
			n := 0
			for {
				_, err := r.NextHeader()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 7 || r.Offset() != int64(len(data)) || r.InputOffset() != int64(len(data)) {
				t.Errorf("%d packets, Offset %d, InputOffset %d; want 7, %d, %d", n, r.Offset(), r.InputOffset(), len(data), len(data))
			}
		})
	}
}

// TestInputOffsetCompressed: InputOffset counts the compressed bytes.
func TestInputOffsetCompressed(t *testing.T) {
	plain := benchCapture(t, 2000, false)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	r, err := pcapio.NewReader(bytes.NewReader(gz.Bytes()), "gz")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		if _, err := r.NextHeader(); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
	}
	if r.InputOffset() != int64(gz.Len()) || r.Offset() != int64(len(plain)) {
		t.Errorf("InputOffset %d (want %d), Offset %d (want %d)", r.InputOffset(), gz.Len(), r.Offset(), len(plain))
	}
}

// fuzzHeaders checks that NextHeader agrees with the full read on
// arbitrary bytes.
func fuzzHeaders(t *testing.T, data []byte) {
	compareWalks(t, "fuzz", func() (*pcapio.Reader, error) {
		return pcapio.NewReader(bytes.NewReader(data), "fuzz")
	})
}

func FuzzNextHeader(f *testing.F) {
	f.Add(pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, []pkt{{t0, "abcd", 4, 0}}))
	f.Add(pcapFile(binary.BigEndian, 0xa1b23c4d, 16, 4, 1, []pkt{{t0, "abcdefgh", 8, 0}}))
	n := &ngBuilder{}
	n.shb(binary.LittleEndian)
	n.idb(1, 0, n.opt(9, []byte{0x83}), n.opt(0, nil))
	n.epb(0, 12345, "packet", 6)
	n.block(3, []byte{0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(n.b.Bytes())
	addCorpusSeeds(f, "pcapng/*/*.pcapng")
	addCorpusSeeds(f, "tcpdump/*.pcap")
	f.Fuzz(fuzzHeaders)
}

// BenchmarkNextHeader walks a capture file (page-cached) for its record
// headers: the full read for reference, NextHeader reading the buffer
// full again over packets, and NextHeader seeking over every packet not
// wholly buffered. "synth" has ordinary packet sizes; "big" has packets
// of 60 B to 3 MB.
func BenchmarkNextHeader(b *testing.B) {
	dir := b.TempDir()
	var synthFile bytes.Buffer
	w := pcapgo.NewWriter(&synthFile)
	w.WriteFileHeader(262144, 1)
	synth.Generate(synth.Config{Seed: 1, Packets: benchPackets}, func(ci gopacket.CaptureInfo, d []byte) error { return w.WritePacket(ci, d) })
	for _, in := range []struct {
		name string
		data []byte
	}{{"synth", synthFile.Bytes()}, {"big", bigPackets(b, false)}} {
		path := filepath.Join(dir, in.name)
		if err := os.WriteFile(path, in.data, 0o644); err != nil {
			b.Fatal(err)
		}
		for _, m := range []struct {
			name   string
			header bool
			seek   int64
		}{{"full", false, math.MaxInt64}, {"header-read", true, math.MaxInt64}, {"header-seek", true, 0}} {
			b.Run(in.name+"/"+m.name, func(b *testing.B) {
				b.SetBytes(int64(len(in.data)))
				b.ReportAllocs()
				for b.Loop() {
					r, err := pcapio.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					r.SetSeekThreshold(m.seek)
					for {
						if m.header {
							_, err = r.NextHeader()
						} else {
							_, _, err = r.ZeroCopyReadPacketData()
						}
						if err != nil {
							break
						}
					}
					if err != io.EOF {
						b.Fatal(err)
					}
					r.Close()
				}
			})
		}
	}
}

// BenchmarkNextHeaderPacket reads one record header per op from an endless
// pcap stream: the per-packet cost and its allocations (0).
func BenchmarkNextHeaderPacket(b *testing.B) {
	file := benchCapture(b, 1000, false)
	r, err := pcapio.NewReader(io.MultiReader(bytes.NewReader(file[:24]), &repeatReader{b: file[24:]}), "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.NextHeader(); err != nil {
			b.Fatal(err)
		}
	}
}
