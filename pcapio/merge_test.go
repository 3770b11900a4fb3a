package pcapio

import (
	"errors"
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
	"github.com/gopacket/gopacket/layers"
	"github.com/wirekit/wirekit/internal/testutil"
)

// memSource is an in-memory Source. Its packets carry their own label as
// data; an interface is revealed by Interfaces only once a packet names it,
// as a pcapng reader discovers IDBs while reading. err, when set, is
// returned after the packets instead of io.EOF.
type memSource struct {
	name     string
	pkts     []testPacket
	ifaces   []Interface
	revealed int
	next     int
	err      error
	closed   bool
}

func newMemSource(name string, ms []int64, ifaces ...Interface) *memSource {
	if len(ifaces) == 0 {
		ifaces = []Interface{{LinkType: layers.LinkTypeEthernet}}
	}
	s := &memSource{name: name, ifaces: ifaces, revealed: 1}
	for i, t := range ms {
		s.pkts = append(s.pkts, testPacket{
			ci:   gopacket.CaptureInfo{Timestamp: time.UnixMilli(t), CaptureLength: 3, Length: 3},
			data: []byte(fmt.Sprintf("%s%d", name, i)),
		})
	}
	return s
}

func (s *memSource) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	if s.next >= len(s.pkts) {
		if s.err != nil {
			return nil, gopacket.CaptureInfo{}, s.err
		}
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	p := s.pkts[s.next]
	s.next++
	s.revealed = max(s.revealed, p.ci.InterfaceIndex+1)
	return p.data, p.ci, nil
}

func (s *memSource) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return s.ZeroCopyReadPacketData()
}
func (s *memSource) LinkType() layers.LinkType { return s.ifaces[0].LinkType }
func (s *memSource) Interfaces() []Interface   { return s.ifaces[:s.revealed] }
func (s *memSource) Close() error              { s.closed = true; return nil }

// drain reads m to its end and returns the labels in order and the final
// error (nil for io.EOF).
func drain(t *testing.T, m *Merged) ([]string, error) {
	t.Helper()
	var got []string
	for {
		data, _, err := m.ZeroCopyReadPacketData()
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, string(data))
	}
}

func TestMergeOrder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs map[string][]int64 // keyed by name, merged in name order
		opts   *MergeOptions
		want   string
		ooo    int64
		late   int64
	}{
		{name: "no inputs", inputs: nil, want: ""},
		{name: "one empty", inputs: map[string][]int64{"a": nil}, want: ""},
		{name: "empty among others", inputs: map[string][]int64{"a": nil, "b": {1, 2}, "c": nil}, want: "b0 b1"},
		{name: "one file", inputs: map[string][]int64{"a": {1, 2, 3}}, want: "a0 a1 a2"},
		{name: "before 1970 is not late", inputs: map[string][]int64{"a": {-5, -3}, "b": {-4}}, want: "a0 b0 a1"},
		{name: "interleaved", inputs: map[string][]int64{"a": {1, 3, 5}, "b": {2, 4, 6}}, want: "a0 b0 a1 b1 a2 b2"},
		{name: "one after the other", inputs: map[string][]int64{"a": {7, 8}, "b": {1, 2}}, want: "b0 b1 a0 a1"},
		{name: "ties to first input then file order", inputs: map[string][]int64{"a": {1, 1, 2}, "b": {1, 2}, "c": {1}},
			want: "a0 a1 b0 c0 a2 b1"},
		{name: "ties to last input like mergecap", inputs: map[string][]int64{"a": {1, 1, 2}, "b": {1, 2}, "c": {1}},
			opts: &MergeOptions{LastFirstOnTies: true}, want: "c0 b0 a0 a1 b1 a2"},
		{name: "many files", inputs: map[string][]int64{"a": {5}, "b": {4}, "c": {3}, "d": {2}, "e": {1}, "f": {0, 6}},
			want: "f0 e0 d0 c0 b0 a0 f1"},
		{name: "reversed chunk within window", inputs: map[string][]int64{"a": {1, 5, 4, 3, 2, 6}, "b": {3}},
			opts: &MergeOptions{Window: 4}, want: "a0 a4 a3 b0 a2 a1 a5", ooo: 3},
		{name: "reversed chunk just within window", inputs: map[string][]int64{"a": {10, 9, 8, 7}},
			opts: &MergeOptions{Window: 4}, want: "a3 a2 a1 a0", ooo: 3},
		{name: "beyond window", inputs: map[string][]int64{"a": {5, 6, 7, 8, 1}},
			opts: &MergeOptions{Window: 2}, want: "a0 a1 a2 a4 a3", ooo: 1, late: 1},
		{name: "window 1 keeps file order", inputs: map[string][]int64{"a": {3, 1, 2}, "b": {2}},
			opts: &MergeOptions{Window: 1}, want: "b0 a0 a1 a2", ooo: 2, late: 2},
		{name: "default window", inputs: map[string][]int64{"a": append(seq(1000, 2000), seq(0, 1000)...)},
			want: strings.Join(append(labels("a", 1000, 2000), labels("a", 0, 1000)...), " "), ooo: 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var srcs []Source
			for _, name := range sortedKeys(tc.inputs) {
				srcs = append(srcs, newMemSource(name, tc.inputs[name]))
			}
			m := MergeSources(tc.opts, srcs...)
			got, err := drain(t, m)
			if err != nil {
				t.Fatal(err)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("order\n got %.300s\nwant %.300s", g, tc.want)
			}
			if m.OutOfOrder() != tc.ooo || m.Late() != tc.late {
				t.Errorf("OutOfOrder %d Late %d, want %d %d", m.OutOfOrder(), m.Late(), tc.ooo, tc.late)
			}
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			for i, s := range srcs {
				if !s.(*memSource).closed {
					t.Errorf("input %d not closed", i)
				}
			}
		})
	}
}

// seq returns the timestamps lo..hi-1.
func seq(lo, hi int64) []int64 {
	var s []int64
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

// labels returns the labels of the packets of input name at positions
// lo..hi-1.
func labels(name string, lo, hi int) []string {
	var s []string
	for pos := lo; pos < hi; pos++ {
		s = append(s, fmt.Sprintf("%s%d", name, pos))
	}
	return s
}

func sortedKeys(m map[string][]int64) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func TestMergeInterfaces(t *testing.T) {
	eth := Interface{LinkType: layers.LinkTypeEthernet, Name: "eth0"}
	raw := Interface{LinkType: layers.LinkTypeRaw, Name: "tun0"}
	sll := Interface{LinkType: layers.LinkTypeLinuxSLL, Name: "any"}
	eth1 := Interface{LinkType: layers.LinkTypeEthernet, Name: "eth1"}
	// a: eth0 then, discovered at its third packet, tun0.
	a := newMemSource("a", []int64{1, 3, 5, 7}, eth, raw)
	a.pkts[2].ci.InterfaceIndex, a.pkts[3].ci.InterfaceIndex = 1, 0
	// b: any, then eth1 from its second packet.
	b := newMemSource("b", []int64{2, 4, 6}, sll, eth1)
	b.pkts[1].ci.InterfaceIndex, b.pkts[2].ci.InterfaceIndex = 1, 1
	m := MergeSources(&MergeOptions{Window: 1}, a, b)
	if m.LinkType() != layers.LinkTypeEthernet {
		t.Errorf("LinkType %v, want Ethernet (the first input's first interface)", m.LinkType())
	}
	want := []struct {
		label string
		iface string
	}{{"a0", "eth0"}, {"b0", "any"}, {"a1", "eth0"}, {"b1", "eth1"}, {"a2", "tun0"}, {"b2", "eth1"}, {"a3", "eth0"}}
	for i, w := range want {
		data, ci, err := m.ZeroCopyReadPacketData()
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		ifs := m.Interfaces()
		if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(ifs) {
			t.Fatalf("packet %d (%s): interface %d of %d", i, data, ci.InterfaceIndex, len(ifs))
		}
		if string(data) != w.label || ifs[ci.InterfaceIndex].Name != w.iface {
			t.Errorf("packet %d: %s on %s, want %s on %s", i, data, ifs[ci.InterfaceIndex].Name, w.label, w.iface)
		}
	}
	if _, _, err := m.ZeroCopyReadPacketData(); err != io.EOF {
		t.Fatalf("end: %v, want io.EOF", err)
	}
	var names []string
	for _, ifc := range m.Interfaces() {
		names = append(names, ifc.Name)
	}
	if got := strings.Join(names, ","); got != "eth0,any,eth1,tun0" {
		t.Errorf("interfaces %s, want eth0,any,eth1,tun0 (in the order met)", got)
	}
}

func TestMergeErrors(t *testing.T) {
	errB := &FormatError{File: "b.pcap", Offset: 100, Packet: 2, Err: ErrTruncated}
	errC := &FormatError{File: "c.pcap", Offset: 24, Packet: 0, Err: ErrBadRecord}
	for _, tc := range []struct {
		name     string
		srcs     func() []Source
		want     string
		wantErrs []error
	}{
		{"damaged input delivers its packets first", func() []Source {
			b := newMemSource("b", []int64{2, 9})
			b.err = errB
			return []Source{newMemSource("a", []int64{1, 3, 10, 11}), b}
		}, "a0 b0 a1 b1 a2 a3", []error{errB}},
		{"two damaged inputs", func() []Source {
			b := newMemSource("b", []int64{2})
			b.err = errB
			c := newMemSource("c", nil)
			c.err = errC
			return []Source{newMemSource("a", []int64{1, 3}), b, c}
		}, "a0 b0 a1", []error{errB, errC}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := MergeSources(&MergeOptions{Window: 1}, tc.srcs()...)
			got, err := drain(t, m)
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("order %s, want %s", g, tc.want)
			}
			if err == nil {
				t.Fatal("no error at the end")
			}
			for _, w := range tc.wantErrs {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not wrap %v", err, w)
				}
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %v is not a *FormatError", err)
			}
			// Returned once (gopacket's loop retries a repeated error
			// for ever), then io.EOF, with Err keeping it.
			if _, _, err2 := m.ZeroCopyReadPacketData(); err2 != io.EOF {
				t.Errorf("second read at the end: %v, want io.EOF", err2)
			}
			if e := m.Err(); e == nil || e.Error() != err.Error() {
				t.Errorf("Err() at the end: %v, want %v", e, err)
			}
		})
	}
}

func TestMergeFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, ms []int64, lt layers.LinkType) string {
		path := filepath.Join(dir, name)
		w, err := Create(path, []Interface{{LinkType: lt, SnapLen: 65535}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, t0 := range ms {
			if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.UnixMilli(t0)}, []byte(fmt.Sprintf("%s%d", name[:1], i))); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	a := write("a.pcap", []int64{1, 4, 5}, layers.LinkTypeEthernet)
	b := write("b.pcapng.gz", []int64{2, 3, 6}, layers.LinkTypeRaw)
	m, err := Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var got []string
	for {
		data, ci, err := m.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s/%s", data, m.Interfaces()[ci.InterfaceIndex].LinkType))
	}
	if g, w := strings.Join(got, " "), "a0/Ethernet b0/Raw b1/Raw a1/Ethernet a2/Ethernet b2/Raw"; g != w {
		t.Errorf("got %s\nwant %s", g, w)
	}
	if _, err := Merge(a, filepath.Join(dir, "missing.pcap")); err == nil {
		t.Error("Merge of a missing file: no error")
	}
}

// loopSource yields the same packet forever with increasing timestamps,
// without allocating.
type loopSource struct {
	data []byte
	ci   gopacket.CaptureInfo
	step time.Duration
	ifs  []Interface
}

func (s *loopSource) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	s.ci.Timestamp = s.ci.Timestamp.Add(s.step)
	return s.data, s.ci, nil
}
func (s *loopSource) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return s.ZeroCopyReadPacketData()
}
func (s *loopSource) LinkType() layers.LinkType { return layers.LinkTypeEthernet }
func (s *loopSource) Interfaces() []Interface   { return s.ifs }
func (s *loopSource) Close() error              { return nil }

func loopSources(n int) []Source {
	srcs := make([]Source, n)
	for i := range srcs {
		srcs[i] = &loopSource{
			data: make([]byte, 1500),
			ci:   gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, int64(i)), CaptureLength: 1500, Length: 1500},
			step: time.Duration(n+i%3) * time.Microsecond,
			ifs:  []Interface{{LinkType: layers.LinkTypeEthernet}},
		}
	}
	return srcs
}

func TestMergeAllocs(t *testing.T) {
	m := MergeSources(&MergeOptions{Window: 64}, loopSources(8)...)
	read := func() {
		if _, _, err := m.ZeroCopyReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}
	for range 10000 { // warm up: slots and free lists reach their size
		read()
	}
	if n := testing.AllocsPerRun(10000, read); n != 0 {
		t.Errorf("%v allocations per packet, want 0", n)
	}
}

func BenchmarkMerge(b *testing.B) {
	for _, n := range []int{2, 8, 32} {
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			m := MergeSources(nil, loopSources(n)...)
			b.ReportAllocs()
			b.SetBytes(1500)
			for b.Loop() {
				if _, _, err := m.ZeroCopyReadPacketData(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// mergecapInputs builds the inputs of TestMergeMatchesMergecap: four
// Ethernet files with ties across and within files, one file whose own
// timestamps go backwards, and one empty file. Each packet's destination
// MAC address is 02:00:00:00:FF:PP for file FF and packet PP.
func mergecapInputs() [][]testPacket {
	times := [][]int64{
		{1000, 1000, 2000, 5000, 3000, 6000, 6000, 9000},
		{1000, 2000, 2000, 4000, 6000, 8000},
		{},
		{500, 1000, 4000, 4000, 3500, 3000, 10000},
	}
	files := make([][]testPacket, len(times))
	for f, ts := range times {
		for p, ms := range ts {
			data := make([]byte, 60)
			copy(data, []byte{2, 0, 0, 0, byte(f), byte(p), 2, 0, 0, 0, 0, 1, 0x88, 0xb5})
			files[f] = append(files[f], testPacket{
				ci:   gopacket.CaptureInfo{Timestamp: time.UnixMilli(1700000000000 + ms), CaptureLength: 60, Length: 60},
				data: data,
			})
		}
	}
	return files
}

// TestMergeMatchesMergecap merges mergecapInputs with a window of 1 and ties
// to the last input, and compares the order with what mergecap produced
// from the same files (testdata/mergecap_order.txt, made by
// scripts/gen-merge-golden.sh). With WIREKIT_MERGE_INPUTS set to a
// directory, it writes the inputs there for that script instead.
func TestMergeMatchesMergecap(t *testing.T) {
	dir := os.Getenv("WIREKIT_MERGE_INPUTS")
	writeOnly := dir != ""
	if !writeOnly {
		dir = t.TempDir()
	}
	var paths []string
	for f, pkts := range mergecapInputs() {
		path := filepath.Join(dir, fmt.Sprintf("in%d.pcap", f))
		w, err := Create(path, []Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkts {
			if err := w.WritePacket(p.ci, p.data); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	if writeOnly {
		t.Skipf("wrote the inputs to %s", dir)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "mergecap_order.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(golden), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, line)
		}
	}
	var srcs []Source
	for _, p := range paths {
		r, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, r)
	}
	m := MergeSources(&MergeOptions{Window: 1, LastFirstOnTies: true}, srcs...)
	defer m.Close()
	var got []string
	for {
		data, ci, err := m.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %02x:%02x:%02x:%02x:%02x:%02x", ci.Timestamp.UnixMicro(), data[0], data[1], data[2], data[3], data[4], data[5]))
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("order differs from mergecap's\n got:\n%s\nwant:\n%s", g, w)
	}
}

// TestMergeCorpus merges up to 200 capture files of the shared corpus and
// checks what the merge promises against each file read alone: every
// readable packet is delivered once, the counts OutOfOrder and Late agree
// with the timestamps, and damaged files are reported at the end.
func TestMergeCorpus(t *testing.T) {
	root := testutil.CorpusDir(t)
	var paths []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(paths) < 200 && !strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	var srcs []Source
	var wantPkts, wantOOO int64
	wantErr := 0
	for _, p := range paths {
		r, err := Open(p)
		if err != nil {
			continue // not a capture file, or a damaged header
		}
		var last int64
		for n := 0; ; n++ {
			_, ci, err := r.ZeroCopyReadPacketData()
			if err != nil {
				if err != io.EOF {
					wantErr++
				}
				break
			}
			ns := ci.Timestamp.UnixNano()
			if n > 0 && ns < last {
				wantOOO++
			}
			if n == 0 || ns > last {
				last = ns
			}
			wantPkts++
		}
		r.Close()
		r, err = Open(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, r)
	}
	if len(srcs) == 0 {
		t.Skip("no capture files in the corpus")
	}
	m := MergeSources(nil, srcs...)
	defer m.Close()
	var got, late int64
	maxNS := int64(math.MinInt64)
	for {
		_, ci, err := m.ZeroCopyReadPacketData()
		if err == io.EOF {
			if wantErr != 0 {
				t.Errorf("io.EOF at the end, want the errors of %d damaged files", wantErr)
			}
			break
		}
		if err != nil {
			if wantErr == 0 {
				t.Errorf("error at the end: %v", err)
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != wantErr {
				t.Errorf("%d errors reported, want %d", n, wantErr)
			}
			break
		}
		if ci.InterfaceIndex < 0 || ci.InterfaceIndex >= len(m.Interfaces()) {
			t.Fatalf("packet %d: interface %d of %d", got, ci.InterfaceIndex, len(m.Interfaces()))
		}
		ns := ci.Timestamp.UnixNano()
		if ns < maxNS {
			late++
		}
		maxNS = max(maxNS, ns)
		got++
	}
	t.Logf("%d files, %d packets, %d out of order in their file, %d late, %d damaged", len(srcs), got, m.OutOfOrder(), m.Late(), wantErr)
	if got != wantPkts || m.OutOfOrder() != wantOOO || m.Late() != late {
		t.Errorf("packets %d out-of-order %d late %d; want %d %d %d", got, m.OutOfOrder(), m.Late(), wantPkts, wantOOO, late)
	}
}
