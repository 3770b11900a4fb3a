package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"

	"github.com/wirekit/wirekit/pcapio"
)

// pkt is a packet expected from a reader.
type pkt struct {
	ts    time.Time
	data  string
	wire  int
	iface int
}

var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// pcapFile builds a classic pcap file.
func pcapFile(order binary.ByteOrder, magic uint32, recHdr int, snap uint32, lt uint32, pkts []pkt) []byte {
	var b bytes.Buffer
	h := make([]byte, 24)
	order.PutUint32(h, magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], snap)
	order.PutUint32(h[20:], lt)
	b.Write(h)
	for _, p := range pkts {
		r := make([]byte, recHdr)
		order.PutUint32(r, uint32(p.ts.Unix()))
		frac := p.ts.Nanosecond()
		if magic == 0xa1b2c3d4 || magic == 0xa1b2cd34 {
			frac /= 1000
		}
		order.PutUint32(r[4:], uint32(frac))
		order.PutUint32(r[8:], uint32(len(p.data)))
		order.PutUint32(r[12:], uint32(p.wire))
		b.Write(r)
		b.WriteString(p.data)
	}
	return b.Bytes()
}

// ngBuilder builds pcapng files block by block.
type ngBuilder struct {
	b     bytes.Buffer
	order binary.ByteOrder
}

func (n *ngBuilder) block(typ uint32, body []byte) {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	h := make([]byte, 8)
	n.order.PutUint32(h, typ)
	n.order.PutUint32(h[4:], uint32(12+len(body)))
	n.b.Write(h)
	n.b.Write(body)
	tl := make([]byte, 4)
	n.order.PutUint32(tl, uint32(12+len(body)))
	n.b.Write(tl)
}

func (n *ngBuilder) shb(order binary.ByteOrder) {
	n.order = order
	body := make([]byte, 16)
	order.PutUint32(body, 0x1a2b3c4d)
	order.PutUint16(body[4:], 1)
	order.PutUint64(body[8:], ^uint64(0))
	n.block(0x0a0d0d0a, body)
}

// idb adds an interface; opts are raw option bytes (code, len, value padded).
func (n *ngBuilder) idb(lt uint16, snap uint32, opts ...[]byte) {
	body := make([]byte, 8)
	n.order.PutUint16(body, lt)
	n.order.PutUint32(body[4:], snap)
	for _, o := range opts {
		body = append(body, o...)
	}
	n.block(1, body)
}

func (n *ngBuilder) opt(code uint16, v []byte) []byte {
	o := make([]byte, 4, 8+len(v))
	n.order.PutUint16(o, code)
	n.order.PutUint16(o[2:], uint16(len(v)))
	o = append(o, v...)
	for len(o)%4 != 0 {
		o = append(o, 0)
	}
	return o
}

func (n *ngBuilder) epb(iface uint32, ts uint64, data string, wire int) {
	body := make([]byte, 20)
	n.order.PutUint32(body, iface)
	n.order.PutUint32(body[4:], uint32(ts>>32))
	n.order.PutUint32(body[8:], uint32(ts))
	n.order.PutUint32(body[12:], uint32(len(data)))
	n.order.PutUint32(body[16:], uint32(wire))
	n.block(6, append(body, data...))
}

func readPackets(t *testing.T, data []byte) ([]pkt, *pcapio.Reader, error) {
	t.Helper()
	r, err := pcapio.NewReader(bytes.NewReader(data), "test")
	if err != nil {
		return nil, nil, err
	}
	var got []pkt
	for {
		d, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return got, r, nil
		}
		if err != nil {
			return got, r, err
		}
		got = append(got, pkt{ci.Timestamp, string(d), ci.Length, ci.InterfaceIndex})
	}
}

func samePackets(t *testing.T, got, want []pkt) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].ts.Equal(want[i].ts) || got[i].data != want[i].data || got[i].wire != want[i].wire || got[i].iface != want[i].iface {
			t.Errorf("packet %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadPcapVariants(t *testing.T) {
	pk := []pkt{
		{t0.Add(1500 * time.Nanosecond), "abcd", 60, 0},
		{t0.Add(time.Second + 3*time.Microsecond), "", 0, 0},
		{t0.Add(2 * time.Second), "0123456789", 10, 0},
	}
	micro := func(p []pkt) []pkt { // microsecond files lose the nanoseconds
		out := append([]pkt(nil), p...)
		for i := range out {
			out[i].ts = out[i].ts.Truncate(time.Microsecond)
		}
		return out
	}
	tests := []struct {
		name string
		file []byte
		want []pkt
		res  time.Duration
	}{
		{"le micro", pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, pk), micro(pk), time.Microsecond},
		{"be micro", pcapFile(binary.BigEndian, 0xa1b2c3d4, 16, 65535, 1, pk), micro(pk), time.Microsecond},
		{"le nano", pcapFile(binary.LittleEndian, 0xa1b23c4d, 16, 65535, 1, pk), pk, time.Nanosecond},
		{"be nano", pcapFile(binary.BigEndian, 0xa1b23c4d, 16, 65535, 1, pk), pk, time.Nanosecond},
		{"modified", pcapFile(binary.LittleEndian, 0xa1b2cd34, 24, 65535, 1, pk), micro(pk), time.Microsecond},
		{"fcs bits in link type", pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1|0x14000000, pk), micro(pk), time.Microsecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, r, err := readPackets(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			samePackets(t, got, tc.want)
			if r.LinkType() != layers.LinkTypeEthernet || r.Format() != pcapio.FormatPcap {
				t.Errorf("link type %v format %v", r.LinkType(), r.Format())
			}
			if ifs := r.Interfaces(); len(ifs) != 1 || ifs[0].SnapLen != 65535 || ifs[0].Resolution != tc.res {
				t.Errorf("interfaces %+v", ifs)
			}
		})
	}
}

// TestReadPcapSnapTruncation: a record longer than the snaplen keeps the
// snaplen, as libpcap does; one longer than 262144 is an error.
func TestReadPcapSnapTruncation(t *testing.T) {
	file := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 4, 1, []pkt{{t0, "abcdefgh", 8, 0}, {t0, "xy", 2, 0}})
	got, _, err := readPackets(t, file)
	if err != nil {
		t.Fatal(err)
	}
	samePackets(t, got, []pkt{{t0, "abcd", 8, 0}, {t0, "xy", 2, 0}})

	bad := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, []pkt{{t0, "ab", 2, 0}})
	binary.LittleEndian.PutUint32(bad[24+8:], 1<<30)
	_, _, err = readPackets(t, bad)
	var fe *pcapio.FormatError
	if !errors.Is(err, pcapio.ErrBadRecord) || !errors.As(err, &fe) || fe.Offset != 24 || fe.File != "test" {
		t.Fatalf("huge record: err %v, want ErrBadRecord at offset 24", err)
	}
}

func TestReadPcapNG(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		n := &ngBuilder{}
		n.shb(order)
		n.idb(1, 0, n.opt(2, []byte("eth0")), n.opt(0, nil))
		n.idb(101, 128, n.opt(9, []byte{9}), n.opt(0, nil))
		n.block(0x40000BAD, []byte("custom block, skipped"))
		n.epb(0, uint64(t0.UnixMicro()), "first", 100)
		n.epb(1, uint64(t0.UnixNano()+7), "nano", 4)
		n.block(5, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // interface statistics, skipped
		// A second section, other byte order, 2^-10 resolution and an offset.
		other := binary.ByteOrder(binary.BigEndian)
		if order == binary.BigEndian {
			other = binary.LittleEndian
		}
		n.shb(other)
		off := make([]byte, 8)
		other.PutUint64(off, 100)
		n.idb(113, 0, n.opt(9, []byte{0x80 | 10}), n.opt(14, off), n.opt(0, nil))
		n.epb(0, 5<<10|512, "pow2", 4) // 5.5 s after 100 s
		// Simple packet block (interface 0 of this section, no timestamp).
		spb := make([]byte, 4)
		other.PutUint32(spb, 3)
		n.block(3, append(spb, "spb"...))

		got, r, err := readPackets(t, n.b.Bytes())
		if err != nil {
			t.Fatalf("%v: %v", order, err)
		}
		samePackets(t, got, []pkt{
			{t0, "first", 100, 0},
			{t0.Add(7), "nano", 4, 1},
			{time.Unix(105, 5e8), "pow2", 4, 2},
			{time.Time{}, "spb", 3, 2},
		})
		ifs := r.Interfaces()
		if len(ifs) != 3 || ifs[0].Name != "eth0" || ifs[1].LinkType != 101 || ifs[1].Resolution != time.Nanosecond || ifs[2].Section != 1 || ifs[2].LinkType != 113 {
			t.Errorf("%v: interfaces %+v", order, ifs)
		}
		if got[3].ts != (time.Time{}) {
			t.Errorf("spb timestamp %v", got[3].ts)
		}
	}
}

func TestReadPcapNGErrors(t *testing.T) {
	mk := func(edit func(n *ngBuilder)) []byte {
		n := &ngBuilder{}
		n.shb(binary.LittleEndian)
		n.idb(1, 0)
		n.epb(0, 1, "ok", 2)
		edit(n)
		return n.b.Bytes()
	}
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"unknown interface", mk(func(n *ngBuilder) { n.epb(3, 1, "x", 1) }), pcapio.ErrBadRecord},
		{"caplen beyond block", mk(func(n *ngBuilder) {
			n.epb(0, 1, "abcd", 4)
			b := n.b.Bytes()
			binary.LittleEndian.PutUint32(b[len(b)-4-4-4-4:], 99)
		}), pcapio.ErrBadRecord},
		{"bad trailing length", mk(func(n *ngBuilder) {
			n.epb(0, 1, "abcd", 4)
			b := n.b.Bytes()
			binary.LittleEndian.PutUint32(b[len(b)-4:], 8)
		}), pcapio.ErrBadRecord},
		{"length not multiple of 4", mk(func(n *ngBuilder) { n.b.Write([]byte{6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0}) }), pcapio.ErrBadRecord},
		{"huge length", mk(func(n *ngBuilder) { n.b.Write([]byte{6, 0, 0, 0, 0, 0, 0, 0x7f, 0, 0, 0, 0}) }), pcapio.ErrBadRecord},
		{"truncated block", mk(func(n *ngBuilder) { n.b.Write([]byte{6, 0, 0, 0, 32, 0, 0, 0, 0, 0}) }), pcapio.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := readPackets(t, tc.file)
			if len(got) != 1 {
				t.Errorf("%d packets before the damage, want 1", len(got))
			}
			var fe *pcapio.FormatError
			if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Offset < 28 || fe.Packet != 1 {
				t.Fatalf("err %v, want %v with an offset after the first packet", err, tc.want)
			}
		})
	}
}

func TestReadNotCapture(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("hello world, this is not a capture file"), {0xd4, 0xc3}} {
		_, err := pcapio.NewReader(bytes.NewReader(in), "junk")
		if err == nil {
			t.Errorf("%q: no error", in)
		}
		var fe *pcapio.FormatError
		if !errors.As(err, &fe) || fe.File != "junk" {
			t.Errorf("%q: error %v does not name the file", in, err)
		}
	}
}

func TestReadCompressed(t *testing.T) {
	pk := []pkt{{t0, "compressed", 10, 0}, {t0.Add(time.Second), "again", 5, 0}}
	plain := pcapFile(binary.LittleEndian, 0xa1b23c4d, 16, 65535, 1, pk)
	compress := map[pcapio.Compression]func(w io.Writer) io.WriteCloser{
		pcapio.CompressGzip: func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) },
		pcapio.CompressZstd: func(w io.Writer) io.WriteCloser { z, _ := zstd.NewWriter(w); return z },
		pcapio.CompressLZ4:  func(w io.Writer) io.WriteCloser { return lz4.NewWriter(w) },
		pcapio.CompressXZ:   func(w io.Writer) io.WriteCloser { z, _ := xz.NewWriter(w); return z },
	}
	for c, mk := range compress {
		t.Run(c.String(), func(t *testing.T) {
			var b bytes.Buffer
			w := mk(&b)
			w.Write(plain)
			w.Close()
			got, r, err := readPackets(t, b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			samePackets(t, got, pk)
			if r.Compression() != c {
				t.Errorf("compression %v, want %v", r.Compression(), c)
			}
		})
	}
}

// TestCutEverywhere truncates a file at every length: no panic, the whole
// packets before the cut come out, then ErrTruncated (or a clean EOF on a
// record boundary).
func TestCutEverywhere(t *testing.T) {
	pk := []pkt{{t0, "abcdef", 6, 0}, {t0.Add(1), "gh", 2, 0}, {t0.Add(2), "ijklmnop", 8, 0}}
	n := &ngBuilder{}
	n.shb(binary.LittleEndian)
	n.idb(1, 0)
	for _, p := range pk {
		n.epb(0, uint64(p.ts.UnixMicro()), p.data, p.wire)
	}
	files := map[string][]byte{
		"pcap":   pcapFile(binary.LittleEndian, 0xa1b23c4d, 16, 65535, 1, pk),
		"pcapng": n.b.Bytes(),
	}
	boundaries := map[string]int{"pcap": 4, "pcapng": 5} // headers and records
	for name, file := range files {
		ends := map[int]int{} // file length at each record end -> packets
		for cut := 0; cut <= len(file); cut++ {
			got, _, err := readPackets(t, file[:cut])
			if err == nil {
				ends[cut] = len(got)
				continue
			}
			if !errors.Is(err, pcapio.ErrTruncated) {
				t.Errorf("%s cut at %d: %v, want ErrTruncated", name, cut, err)
			}
			for i := range got {
				if got[i].data != pk[i].data {
					t.Errorf("%s cut at %d: packet %d damaged", name, cut, i)
				}
			}
		}
		if len(ends) != boundaries[name] || ends[len(file)] != 3 {
			t.Errorf("%s: clean ends %v, want %d block boundaries", name, ends, boundaries[name])
		}
	}
}

func TestZeroCopyNoAllocs(t *testing.T) {
	var pk []pkt
	for i := range 64 {
		pk = append(pk, pkt{t0.Add(time.Duration(i)), string(make([]byte, 60+i*20)), 60 + i*20, 0})
	}
	n := &ngBuilder{}
	n.shb(binary.LittleEndian)
	n.idb(1, 0)
	for _, p := range pk {
		n.epb(0, uint64(p.ts.UnixMicro()), p.data, p.wire)
	}
	for name, file := range map[string][]byte{"pcap": pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, pk), "pcapng": n.b.Bytes()} {
		rd := bytes.NewReader(file)
		r, err := pcapio.NewReader(rd, name)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(50, func() {
			if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocs per packet, want 0", name, allocs)
		}
	}
}

var _ gopacket.ZeroCopyPacketDataSource = (*pcapio.Reader)(nil)

// TestReadPcapLibpcapRules: header and record rules checked against
// tcpdump 4.99.3 / libpcap 1.10.3 on the same bytes.
func TestReadPcapLibpcapRules(t *testing.T) {
	rec := func(f []byte, i int, capLen, wire uint32) []byte { // edit record i's length fields (16-byte headers)
		off := 24
		for range i {
			off += 16 + int(binary.LittleEndian.Uint32(f[off+8:]))
		}
		binary.LittleEndian.PutUint32(f[off+8:], capLen)
		binary.LittleEndian.PutUint32(f[off+12:], wire)
		return f
	}
	version := func(f []byte, major, minor uint16) []byte {
		binary.LittleEndian.PutUint16(f[4:], major)
		binary.LittleEndian.PutUint16(f[6:], minor)
		return f
	}
	base := func() []byte {
		return pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, []pkt{{t0, string(make([]byte, 60)), 60, 0}, {t0, string(make([]byte, 50)), 60, 0}})
	}
	tests := []struct {
		name    string
		file    []byte
		lens    [][2]int // captured, wire per packet read
		wantErr error
	}{
		{"2.4", base(), [][2]int{{60, 60}, {50, 60}}, nil},
		{"2.2 lengths swapped", rec(rec(version(base(), 2, 2), 1, 60, 50), 0, 100, 60), [][2]int{{60, 100}, {50, 60}}, nil},
		{"2.3 swapped only when caplen > len", rec(version(base(), 2, 3), 0, 100, 60), [][2]int{{60, 100}, {50, 60}}, nil},
		{"543.0 DG/UX", rec(rec(version(base(), 543, 0), 1, 60, 50), 0, 100, 60), [][2]int{{60, 100}, {50, 60}}, nil},
		{"2.5 unsupported", version(base(), 2, 5), nil, pcapio.ErrUnsupported},
		{"1.0 archaic", version(base(), 1, 0), nil, pcapio.ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := pcapio.NewReader(bytes.NewReader(tc.file), "t")
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range tc.lens {
				d, ci, err := r.ReadPacketData()
				if err != nil || len(d) != l[0] || ci.CaptureLength != l[0] || ci.Length != l[1] {
					t.Fatalf("packet %d: %d bytes, ci %d/%d, err %v; want %v", i, len(d), ci.CaptureLength, ci.Length, err, l)
				}
			}
			if _, _, err := r.ReadPacketData(); err != io.EOF {
				t.Fatalf("end: %v", err)
			}
		})
	}

	// Kuznetzov's format on Ethernet: snaplen + 14, as libpcap.
	kuz := pcapFile(binary.LittleEndian, 0xa1b2cd34, 24, 64, 1, []pkt{{t0, string(make([]byte, 79)), 100, 0}})
	got, _, err := readPackets(t, kuz)
	if err != nil || len(got) != 1 || len(got[0].data) != 78 {
		t.Fatalf("modified format: %d packets, err %v", len(got), err)
	}
	// The FCS length in the link type field's top bits.
	r, err := pcapio.NewReader(bytes.NewReader(pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1|0x24000000, nil)), "t")
	if err != nil || r.LinkType() != layers.LinkTypeEthernet || r.FCSLength() != 4 {
		t.Fatalf("FCS: %v link type %v FCS %d", err, r.LinkType(), r.FCSLength())
	}
}

// TestReadPcapNGLibpcapRules: block size limit, first-section version,
// IDB option checks, and section options.
func TestReadPcapNGLibpcapRules(t *testing.T) {
	mk := func(edit func(n *ngBuilder)) []byte {
		n := &ngBuilder{order: binary.LittleEndian}
		edit(n)
		return n.b.Bytes()
	}
	std := func(n *ngBuilder) { n.shb(binary.LittleEndian); n.idb(1, 0) }
	tests := []struct {
		name string
		file []byte
		want error // at Open or at the first read
	}{
		{"block over 16 MiB", mk(func(n *ngBuilder) { std(n); n.block(0x40000BAD, make([]byte, 17<<20)) }), pcapio.ErrBadRecord},
		{"if_tsresol of 2 bytes", mk(func(n *ngBuilder) {
			n.shb(binary.LittleEndian)
			n.idb(1, 0, n.opt(9, []byte{6, 0}), n.opt(0, nil))
		}), pcapio.ErrBadRecord},
		{"two if_tsoffset", mk(func(n *ngBuilder) {
			n.shb(binary.LittleEndian)
			n.idb(1, 0, n.opt(14, make([]byte, 8)), n.opt(14, make([]byte, 8)))
		}), pcapio.ErrBadRecord},
		{"caplen over the link type maximum", mk(func(n *ngBuilder) { std(n); n.epb(0, 1, string(make([]byte, 262145)), 262145) }), pcapio.ErrBadRecord},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readPackets(t, tc.file)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
	v11 := mk(std)
	binary.LittleEndian.PutUint16(v11[14:], 1)
	if _, err := pcapio.NewReader(bytes.NewReader(v11), "t"); !errors.Is(err, pcapio.ErrUnsupported) {
		t.Errorf("pcapng 1.1: %v", err)
	}

	// A packet longer than its interface's snaplen is read whole.
	over := mk(func(n *ngBuilder) {
		n.shb(binary.LittleEndian)
		n.idb(1, 64)
		n.epb(0, 1, string(make([]byte, 100)), 100)
	})
	if got, _, err := readPackets(t, over); err != nil || len(got) != 1 || len(got[0].data) != 100 {
		t.Errorf("caplen over snaplen: %d packets, err %v", len(got), err)
	}

	// Section options.
	n := &ngBuilder{order: binary.LittleEndian}
	body := make([]byte, 16)
	binary.LittleEndian.PutUint32(body, 0x1a2b3c4d)
	binary.LittleEndian.PutUint16(body[4:], 1)
	body = append(body, n.opt(1, []byte("hello"))...)
	body = append(body, n.opt(2, []byte("hw"))...)
	body = append(body, n.opt(3, []byte("Linux"))...)
	body = append(body, n.opt(4, []byte("wirekit"))...)
	n.block(0x0a0d0d0a, body)
	n.idb(1, 0)
	n.epb(0, 1, "x", 1)
	n.shb(binary.BigEndian)
	n.idb(101, 0)
	n.idb(1, 0)
	n.epb(1, 1, "y", 1)
	got, r, err := readPackets(t, n.b.Bytes())
	if err != nil || len(got) != 2 || got[1].iface != 2 {
		t.Fatalf("%v %+v", err, got)
	}
	s := r.Sections()
	if len(s) != 2 || s[0].Hardware != "hw" || s[0].OS != "Linux" || s[0].Application != "wirekit" || len(s[0].Comments) != 1 || s[0].Comments[0] != "hello" ||
		s[0].Interfaces != 1 || s[1].FirstInterface != 1 || s[1].Interfaces != 2 {
		t.Errorf("sections %+v", s)
	}
}
