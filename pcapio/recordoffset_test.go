package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// offsetCapture writes n packets of sizes 40, 41, ... as pcap or pcapng
// (two interfaces, packets alternating between them) and returns the file.
func offsetCapture(t *testing.T, ng bool, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w pcapio.Writer
	var err error
	if ng {
		w, err = pcapio.NewPcapNGWriter(&buf, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}, {LinkType: layers.LinkTypeRaw, SnapLen: 65535}}, nil)
	} else {
		w, err = pcapio.NewPcapWriter(&buf, layers.LinkTypeEthernet, 65535, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		data := bytes.Repeat([]byte{byte(i)}, 40+i)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(data), Length: len(data)}
		if ng {
			ci.InterfaceIndex = i % 2
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRecordOffset checks that RecordOffset points at the record of the
// packet just returned, by ZeroCopyReadPacketData and by NextHeader: for
// pcap the 16-byte record header whose captured length matches, for
// pcapng an Enhanced Packet Block whose data is the packet's.
func TestRecordOffset(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ng     bool
		header bool // read with NextHeader instead of ZeroCopyReadPacketData
	}{
		{"pcap read", false, false},
		{"pcap NextHeader", false, true},
		{"pcapng read", true, false},
		{"pcapng NextHeader", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := offsetCapture(t, tc.ng, 5)
			r, err := pcapio.NewReader(bytes.NewReader(file), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.RecordOffset(); got != -1 {
				t.Errorf("before the first packet: RecordOffset = %d, want -1", got)
			}
			last := int64(-1)
			for i := 0; ; i++ {
				var ci gopacket.CaptureInfo
				if tc.header {
					ci, err = r.NextHeader()
				} else {
					_, ci, err = r.ZeroCopyReadPacketData()
				}
				if err == io.EOF {
					if i != 5 {
						t.Fatalf("read %d packets, want 5", i)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				off := r.RecordOffset()
				if off <= last || off >= int64(len(file)) {
					t.Fatalf("packet %d: RecordOffset %d after %d in a file of %d bytes", i, off, last, len(file))
				}
				last = off
				rec := file[off:]
				if tc.ng {
					if typ := binary.LittleEndian.Uint32(rec); typ != 6 {
						t.Fatalf("packet %d: block at %d has type %d, want 6 (EPB)", i, off, typ)
					}
					if cl := binary.LittleEndian.Uint32(rec[20:]); int(cl) != ci.CaptureLength || rec[28] != byte(i) {
						t.Fatalf("packet %d: EPB at %d holds %d bytes starting %d, want %d bytes of %d", i, off, cl, rec[28], ci.CaptureLength, i)
					}
				} else if cl := binary.LittleEndian.Uint32(rec[8:]); int(cl) != ci.CaptureLength || rec[16] != byte(i) {
					t.Fatalf("packet %d: record at %d holds %d bytes starting %d, want %d bytes of %d", i, off, cl, rec[16], ci.CaptureLength, i)
				}
			}
		})
	}
}

// TestMergedOrigin checks that a merge says which input and record each
// packet comes from, in timestamp order across inputs.
func TestMergedOrigin(t *testing.T) {
	a := offsetCapture(t, false, 3)
	b := offsetCapture(t, true, 3)
	ra, err := pcapio.NewReader(bytes.NewReader(a), "a")
	if err != nil {
		t.Fatal(err)
	}
	rb, err := pcapio.NewReader(bytes.NewReader(b), "b")
	if err != nil {
		t.Fatal(err)
	}
	m := pcapio.MergeSources(nil, ra, rb)
	defer m.Close()
	if in, off := m.Origin(); in != -1 || off != -1 {
		t.Errorf("before the first packet: Origin = %d, %d; want -1, -1", in, off)
	}
	// Equal timestamps: a's packet first, then b's.
	wantIn := []int{0, 1, 0, 1, 0, 1}
	for i, want := range wantIn {
		data, _, err := m.ZeroCopyReadPacketData()
		if err != nil {
			t.Fatal(err)
		}
		in, off := m.Origin()
		if in != want {
			t.Fatalf("packet %d: input %d, want %d", i, in, want)
		}
		file := [][]byte{a, b}[in]
		hdr := 16
		if in == 1 {
			hdr = 28
		}
		if off < 0 || int(off)+hdr+len(data) > len(file) || !bytes.Equal(file[int(off)+hdr:int(off)+hdr+len(data)], data) {
			t.Fatalf("packet %d: offset %d in input %d does not hold the packet", i, off, in)
		}
	}
	if _, _, err := m.ZeroCopyReadPacketData(); err != io.EOF {
		t.Fatalf("after the packets: %v, want io.EOF", err)
	}
	if in, off := m.Origin(); in != -1 || off != -1 {
		t.Errorf("at the end: Origin = %d, %d; want -1, -1", in, off)
	}
}
