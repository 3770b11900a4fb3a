package dataset_test

import (
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

// genDir, when set, makes TestWriteGenerated write the generated inputs
// there, for scripts/dataset-golden.sh to run capinfos on.
var genDir = flag.String("dataset.gen", "", "write the generated test captures to this directory")

// genCase is one generated capture the capinfos golden describes.
type genCase struct {
	name    string
	seed    int64
	packets int
	nano    bool
}

var genCases = []genCase{
	{"plain.pcap", 1, 700, false},
	{"nano.pcap", 2, 300, true},
	{"ng.pcapng", 3, 400, false},
	{"gzip.pcap.gz", 4, 500, false},
	{"zstd.pcapng.zst", 5, 600, true},
	{"empty.pcap", 6, 0, false},
}

// writeSynth writes a synth capture; the format follows the name.
func writeSynth(t testing.TB, path string, c genCase) {
	t.Helper()
	res := time.Microsecond
	if c.nano {
		res = time.Nanosecond
	}
	ifs := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 262144, Resolution: res}}
	w, err := pcapio.Create(path, ifs, &pcapio.WriteOptions{Nanosecond: c.nano})
	if err != nil {
		t.Fatal(err)
	}
	if c.packets > 0 {
		cfg := synth.Config{Seed: c.seed, Packets: c.packets}
		if c.nano {
			// Give the nanosecond files sub-microsecond digits.
			cfg.Start = synth.DefaultStart.Add(123 * time.Nanosecond)
		}
		err = synth.Generate(cfg, func(ci gopacket.CaptureInfo, data []byte) error {
			return w.WritePacket(ci, data)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// oooStamps are the timestamps of out-of-order.pcap, in seconds after
// synth.DefaultStart: two interleaved workers' packets, three of them going
// backwards (at indexes 2, 4 and 6).
var oooStamps = []float64{1, 3, 2, 5, 4, 7, 6, 8}

// writeOutOfOrder writes a classic pcap by hand whose timestamps go
// backwards, with packet i holding 60+i bytes.
func writeOutOfOrder(t testing.TB, path string) {
	t.Helper()
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, 1)
	for i, s := range oooStamps {
		ts := synth.DefaultStart.Add(time.Duration(s * float64(time.Second)))
		n := 60 + i
		b = binary.LittleEndian.AppendUint32(b, uint32(ts.Unix()))
		b = binary.LittleEndian.AppendUint32(b, uint32(ts.Nanosecond()/1000))
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
		b = binary.LittleEndian.AppendUint32(b, uint32(n+10))
		b = append(b, make([]byte, n)...)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeGenerated writes every generated capture into dir.
func writeGenerated(t testing.TB, dir string) {
	t.Helper()
	for _, c := range genCases {
		writeSynth(t, filepath.Join(dir, c.name), c)
	}
	writeOutOfOrder(t, filepath.Join(dir, "out-of-order.pcap"))
}

func TestWriteGenerated(t *testing.T) {
	if *genDir == "" {
		t.Skip("only writes inputs for scripts/dataset-golden.sh (-dataset.gen DIR)")
	}
	if err := os.MkdirAll(*genDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeGenerated(t, *genDir)
}
