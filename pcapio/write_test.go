package pcapio

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// testPacket is one packet written and expected back.
type testPacket struct {
	ci   gopacket.CaptureInfo
	data []byte
}

// makePackets builds n packets of varied lengths (0 to 1517 bytes, so every
// pcapng padding case occurs) with increasing sub-microsecond timestamps,
// spread over the interfaces 0..nIf-1.
func makePackets(n, nIf int) []testPacket {
	base := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	pkts := make([]testPacket, n)
	for i := range pkts {
		data := make([]byte, (i*37)%1518)
		for j := range data {
			data[j] = byte(i + j)
		}
		pkts[i] = testPacket{
			ci: gopacket.CaptureInfo{
				Timestamp:      base.Add(time.Duration(i)*time.Millisecond + time.Duration(i%7)),
				CaptureLength:  len(data),
				Length:         len(data) + i%3,
				InterfaceIndex: i % nIf,
			},
			data: data,
		}
	}
	return pkts
}

// checkRead reads every packet of src and compares it with want, timestamps
// truncated to res.
func checkRead(t *testing.T, name string, src gopacket.PacketDataSource, want []testPacket, res time.Duration, checkIf bool) {
	t.Helper()
	for i, w := range want {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			t.Fatalf("%s: packet %d: %v", name, i, err)
		}
		if !bytes.Equal(data, w.data) {
			t.Fatalf("%s: packet %d: data differs (%d bytes, want %d)", name, i, len(data), len(w.data))
		}
		if wt := w.ci.Timestamp.Truncate(res); !ci.Timestamp.Equal(wt) {
			t.Fatalf("%s: packet %d: time %v, want %v", name, i, ci.Timestamp, wt)
		}
		if ci.CaptureLength != len(w.data) || ci.Length != w.ci.Length {
			t.Fatalf("%s: packet %d: lengths %d/%d, want %d/%d", name, i, ci.CaptureLength, ci.Length, len(w.data), w.ci.Length)
		}
		if checkIf && ci.InterfaceIndex != w.ci.InterfaceIndex {
			t.Fatalf("%s: packet %d: interface %d, want %d", name, i, ci.InterfaceIndex, w.ci.InterfaceIndex)
		}
	}
	if _, _, err := src.ReadPacketData(); err != io.EOF {
		t.Fatalf("%s: after %d packets: got %v, want io.EOF", name, len(want), err)
	}
}

func TestPcapWriterRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts *WriteOptions
		res  time.Duration
	}{
		{"micro-default", nil, time.Microsecond},
		{"micro", &WriteOptions{}, time.Microsecond},
		{"nano", &WriteOptions{Nanosecond: true}, time.Nanosecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkts := makePackets(200, 1)
			var buf bytes.Buffer
			w, err := NewPcapWriter(&buf, layers.LinkTypeEthernet, 0, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pkts {
				if err := w.WritePacket(p.ci, p.data); err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(buf.Bytes()), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if r.LinkType() != layers.LinkTypeEthernet || r.Format() != FormatPcap {
				t.Fatalf("link type %v format %v", r.LinkType(), r.Format())
			}
			if ifs := r.Interfaces(); len(ifs) != 1 || ifs[0].SnapLen != 262144 || ifs[0].Resolution != tc.res {
				t.Fatalf("interfaces %+v, want snaplen 262144 resolution %v", ifs, tc.res)
			}
			checkRead(t, "pcapio", r, pkts, tc.res, true)
			g, err := pcapgo.NewReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			checkRead(t, "pcapgo", g, pkts, tc.res, false)
		})
	}
}

func TestPcapNGWriterRoundTrip(t *testing.T) {
	ifaces := []Interface{
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Name: "eth0", Description: "first"},
		{LinkType: layers.LinkTypeRaw, SnapLen: 1500, Resolution: time.Nanosecond},
	}
	late := Interface{LinkType: layers.LinkTypeLinuxSLL, SnapLen: 262144, Name: "any"}
	for _, tc := range []struct {
		name string
		opts *WriteOptions
		// res is the timestamp unit expected for each interface.
		res [3]time.Duration
	}{
		{"micro", nil, [3]time.Duration{time.Microsecond, time.Nanosecond, time.Microsecond}},
		{"nano", &WriteOptions{Nanosecond: true}, [3]time.Duration{time.Nanosecond, time.Nanosecond, time.Nanosecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewPcapNGWriter(&buf, ifaces, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			// Interfaces 0 and 1 first; interface 2 is added halfway.
			first, second := makePackets(50, 2), makePackets(100, 3)[50:]
			for i, p := range first {
				if err := w.WritePacket(p.ci, p.data); err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
			}
			if i, err := w.AddInterface(late); err != nil || i != 2 {
				t.Fatalf("AddInterface = %d, %v; want 2, nil", i, err)
			}
			for i, p := range second {
				if err := w.WritePacket(p.ci, p.data); err != nil {
					t.Fatalf("packet %d: %v", 50+i, err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			all := append(append([]testPacket{}, first...), second...)

			r, err := NewReader(bytes.NewReader(buf.Bytes()), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != FormatPcapNG {
				t.Fatalf("format %v", r.Format())
			}
			for i, p := range all {
				data, ci, err := r.ReadPacketData()
				if err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
				res := tc.res[p.ci.InterfaceIndex]
				if !bytes.Equal(data, p.data) || ci.InterfaceIndex != p.ci.InterfaceIndex || !ci.Timestamp.Equal(p.ci.Timestamp.Truncate(res)) || ci.Length != p.ci.Length {
					t.Fatalf("packet %d: got if %d time %v len %d/%d, want if %d time %v len %d/%d", i,
						ci.InterfaceIndex, ci.Timestamp, len(data), ci.Length,
						p.ci.InterfaceIndex, p.ci.Timestamp.Truncate(res), len(p.data), p.ci.Length)
				}
			}
			if _, _, err := r.ReadPacketData(); err != io.EOF {
				t.Fatalf("after last packet: %v, want io.EOF", err)
			}
			want := append(append([]Interface{}, ifaces...), late)
			got := r.Interfaces()
			if len(got) != len(want) {
				t.Fatalf("%d interfaces, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].LinkType != want[i].LinkType || got[i].SnapLen != want[i].SnapLen || got[i].Name != want[i].Name ||
					got[i].Description != want[i].Description || got[i].Resolution != tc.res[i] {
					t.Errorf("interface %d: got %+v, want %+v with resolution %v", i, got[i], want[i], tc.res[i])
				}
			}

			// gopacket's reader agrees on the packets and the
			// application name in the section header.
			g, err := pcapgo.NewNgReader(bytes.NewReader(buf.Bytes()), pcapgo.NgReaderOptions{WantMixedLinkType: true})
			if err != nil {
				t.Fatal(err)
			}
			if app := g.SectionInfo().Application; app != "wirekit" {
				t.Errorf("shb_userappl %q, want wirekit", app)
			}
			for i, p := range all {
				data, ci, err := g.ReadPacketData()
				if err != nil {
					t.Fatalf("pcapgo: packet %d: %v", i, err)
				}
				if !bytes.Equal(data, p.data) || ci.InterfaceIndex != p.ci.InterfaceIndex || !ci.Timestamp.Equal(p.ci.Timestamp.Truncate(tc.res[p.ci.InterfaceIndex])) {
					t.Fatalf("pcapgo: packet %d differs: if %d time %v", i, ci.InterfaceIndex, ci.Timestamp)
				}
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	eth := Interface{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}
	raw := Interface{LinkType: layers.LinkTypeRaw, SnapLen: 65535}
	for _, tc := range []struct {
		name    string
		write   func() error
		wantErr error // nil: any non-nil error
	}{
		{"pcapng unknown interface", func() error {
			w, _ := NewPcapNGWriter(io.Discard, []Interface{eth}, nil)
			return w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{1})
		}, nil},
		{"pcapng negative interface", func() error {
			w, _ := NewPcapNGWriter(io.Discard, []Interface{eth}, nil)
			return w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: -1}, []byte{1})
		}, nil},
		{"pcap other link type", func() error {
			w, _ := NewPcapWriter(io.Discard, layers.LinkTypeEthernet, 0, nil)
			w.AddInterface(raw)
			return w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{1})
		}, ErrLinkTypeMix},
		{"create pcap other link type", func() error {
			w, err := Create(filepath.Join(t.TempDir(), "x.pcap"), []Interface{eth, raw}, nil)
			if err != nil {
				return err
			}
			defer w.Abort()
			return w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{1})
		}, ErrLinkTypeMix},
		{"pcapng name too long for an option", func() error {
			w, _ := NewPcapNGWriter(io.Discard, nil, nil)
			_, err := w.AddInterface(Interface{LinkType: layers.LinkTypeEthernet, Name: strings.Repeat("x", 70000)})
			return err
		}, nil},
		{"create without interface", func() error {
			_, err := Create(filepath.Join(t.TempDir(), "x.pcap"), nil, nil)
			return err
		}, nil},
		{"create in missing directory", func() error {
			_, err := Create(filepath.Join(t.TempDir(), "no", "x.pcap"), []Interface{eth}, nil)
			return err
		}, os.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.wantErr)
			}
		})
	}
	// The same link type on another interface is fine for pcap.
	w, _ := NewPcapWriter(io.Discard, layers.LinkTypeEthernet, 0, nil)
	w.AddInterface(eth)
	if err := w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{1}); err != nil {
		t.Errorf("second Ethernet interface refused: %v", err)
	}
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestCreate(t *testing.T) {
	ifaces := []Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Name: "eth0"}}
	for _, tc := range []struct {
		file   string
		format Format
		comp   Compression
	}{
		{"a.pcap", FormatPcap, CompressNone},
		{"a.cap", FormatPcap, CompressNone},
		{"a.pcap.gz", FormatPcap, CompressGzip},
		{"a.pcap.zst", FormatPcap, CompressZstd},
		{"a.pcapng", FormatPcapNG, CompressNone},
		{"A.PCAPNG.GZ", FormatPcapNG, CompressGzip},
		{"a.pcapng.zst", FormatPcapNG, CompressZstd},
	} {
		t.Run(tc.file, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.file)
			w, err := Create(path, ifaces, nil)
			if err != nil {
				t.Fatal(err)
			}
			pkts := makePackets(300, 1)
			for i, p := range pkts {
				if err := w.WritePacket(p.ci, p.data); err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("final name exists before Close: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			if names := listDir(t, dir); len(names) != 1 || names[0] != tc.file {
				t.Fatalf("directory holds %q, want only %q", names, tc.file)
			}
			if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
				t.Fatalf("stat: %v, mode %v", err, st.Mode())
			}
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Format() != tc.format || r.Compression() != tc.comp {
				t.Fatalf("format %v compression %v, want %v %v", r.Format(), r.Compression(), tc.format, tc.comp)
			}
			checkRead(t, tc.file, r, pkts, time.Microsecond, true)
		})
	}
}

func TestCreatePcapSnapLen(t *testing.T) {
	eth := func(snap uint32) Interface { return Interface{LinkType: layers.LinkTypeEthernet, SnapLen: snap} }
	raw := Interface{LinkType: layers.LinkTypeRaw, SnapLen: 999999}
	for _, tc := range []struct {
		name   string
		ifaces []Interface
		want   uint32
	}{
		{"one", []Interface{eth(1536)}, 1536},
		{"largest of the same link type", []Interface{eth(1536), raw, eth(9000), eth(128)}, 9000},
		{"unlimited", []Interface{eth(1536), eth(0)}, 262144},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.pcap")
			w, err := Create(path, tc.ifaces, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Interfaces()[0].SnapLen; got != tc.want {
				t.Errorf("snaplen %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCreateFailureLeavesNothing(t *testing.T) {
	ifaces := []Interface{
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535},
		{LinkType: layers.LinkTypeRaw, SnapLen: 65535},
	}
	for _, tc := range []struct {
		name string
		// run writes and ends the writer; it returns the error of the end.
		run     func(w *FileWriter) error
		wantErr bool
	}{
		{"abort", func(w *FileWriter) error {
			w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}, []byte{1, 2})
			return w.Abort()
		}, false},
		{"close after failed write", func(w *FileWriter) error {
			w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0)}, []byte{1, 2})
			// Interface 1 has another link type (pcap refuses it);
			// interface 7 is not declared (pcapng refuses it).
			if err := w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 1}, []byte{3}); err == nil {
				w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 7}, []byte{3})
			}
			return w.Close()
		}, true},
		{"close after abort", func(w *FileWriter) error {
			w.Abort()
			return w.Close()
		}, true},
	} {
		for _, file := range []string{"x.pcap", "x.pcap.gz", "x.pcapng.zst"} {
			t.Run(tc.name+"/"+file, func(t *testing.T) {
				dir := t.TempDir()
				w, err := Create(filepath.Join(dir, file), ifaces, nil)
				if err != nil {
					t.Fatal(err)
				}
				if err := tc.run(w); (err != nil) != tc.wantErr {
					t.Fatalf("error %v, want error %v", err, tc.wantErr)
				}
				if names := listDir(t, dir); len(names) != 0 {
					t.Fatalf("directory holds %q, want nothing", names)
				}
			})
		}
	}
}

// TestToolsAcceptOutput checks that tcpdump and capinfos read the files the
// writers make, when those tools are installed.
func TestToolsAcceptOutput(t *testing.T) {
	dir := t.TempDir()
	ifaces := []Interface{
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Name: "eth0"},
		// tcpdump refuses pcapng files mixing link types, so the
		// second interface differs only in its resolution.
		{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Nanosecond},
	}
	pkts := makePackets(40, 2)
	var files []string
	for _, f := range []struct {
		name string
		opts *WriteOptions
	}{{"micro.pcap", nil}, {"nano.pcap", &WriteOptions{Nanosecond: true}}, {"two.pcapng", nil}, {"nano.pcapng", &WriteOptions{Nanosecond: true}}} {
		path := filepath.Join(dir, f.name)
		w, err := Create(path, ifaces[:1], f.opts)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(path) == ".pcapng" {
			if _, err := w.AddInterface(ifaces[1]); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range pkts {
			if err := w.WritePacket(p.ci, p.data); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	ran := false
	for _, tool := range [][]string{{"tcpdump", "-nn", "-r"}, {"capinfos", "-c"}} {
		bin, err := exec.LookPath(tool[0])
		if err != nil {
			continue
		}
		ran = true
		for _, f := range files {
			out, err := exec.Command(bin, append(tool[1:], f)...).CombinedOutput()
			if err != nil {
				t.Errorf("%s %s: %v\n%s", tool[0], filepath.Base(f), err, out)
			}
			if tool[0] == "capinfos" && !bytes.Contains(out, []byte("40")) {
				t.Errorf("capinfos %s does not count 40 packets:\n%s", filepath.Base(f), out)
			}
			if tool[0] == "tcpdump" && bytes.Count(out, []byte("\n")) < 40 {
				t.Errorf("tcpdump %s printed fewer than 40 lines:\n%s", filepath.Base(f), out)
			}
		}
	}
	if !ran {
		t.Skip("neither tcpdump nor capinfos installed")
	}
}

func TestWritePacketAllocs(t *testing.T) {
	data := make([]byte, 1500)
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 5000), CaptureLength: 1500, Length: 1500}
	pw, _ := NewPcapWriter(io.Discard, layers.LinkTypeEthernet, 0, nil)
	nw, _ := NewPcapNGWriter(io.Discard, []Interface{{LinkType: layers.LinkTypeEthernet}}, nil)
	cases := []struct {
		name string
		w    Writer
	}{{"pcap", pw}, {"pcapng", nw}}
	// Files through Create, compressed or not: the compressors run on
	// the flushed buffer and must not allocate per packet either.
	for _, name := range []string{"x.pcap", "x.pcap.gz", "x.pcapng.zst"} {
		w, err := Create(filepath.Join(t.TempDir(), name), []Interface{{LinkType: layers.LinkTypeEthernet}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		cases = append(cases, struct {
			name string
			w    Writer
		}{name, w})
	}
	for _, tc := range cases {
		for range 1000 { // warm up: buffers and compressor state
			tc.w.WritePacket(ci, data)
		}
		if n := testing.AllocsPerRun(2000, func() { tc.w.WritePacket(ci, data) }); n != 0 {
			t.Errorf("%s: %v allocations per packet, want 0", tc.name, n)
		}
	}
}

func BenchmarkWritePacket(b *testing.B) {
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 5000), Length: 1500}
	for _, size := range []int{64, 1500} {
		data := make([]byte, size)
		pw, _ := NewPcapWriter(io.Discard, layers.LinkTypeEthernet, 0, nil)
		nw, _ := NewPcapNGWriter(io.Discard, []Interface{{LinkType: layers.LinkTypeEthernet}}, nil)
		for _, tc := range []struct {
			name string
			w    Writer
		}{{"pcap", pw}, {"pcapng", nw}} {
			b.Run(tc.name+"/"+itoa(size), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					if err := tc.w.WritePacket(ci, data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
