package pcapio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"

	"github.com/wirekit/wirekit/pcapio"
)

// damaged describes a capture file with damage after its first packets.
type damaged struct {
	name    string
	file    []byte
	packets int   // readable packets before the damage; -1: Open fails
	offset  int64 // where the damaged record starts
	trunc   bool  // the damage is a truncation: wraps io.ErrUnexpectedEOF
	want    error // the sentinel the error wraps
}

// three Ethernet frames of 60 bytes each.
func frames() []pkt {
	var ps []pkt
	for i := range 3 {
		d := make([]byte, 60)
		d[12], d[13] = 0x08, 0x00
		d[59] = byte(i)
		ps = append(ps, pkt{t0.Add(time.Duration(i) * time.Millisecond), string(d), 60, 0})
	}
	return ps
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// damagedFiles returns a truncated pcap, pcapng and gzip-compressed pcap,
// and corrupt ones (a bad record, not a truncation).
func damagedFiles() []damaged {
	good := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, frames())
	rec := int64(16 + 60)
	// The third record starts at 24 + 2 records.
	third := 24 + 2*rec

	ng := &ngBuilder{}
	ng.shb(binary.LittleEndian)
	ng.idb(1, 0)
	for i, p := range frames() {
		ng.epb(0, uint64(i), p.data, 60)
	}
	ngGood := ng.b.Bytes()
	epb := int64(32 + 60)
	ngThird := int64(28+20) + 2*epb

	badLen := bytes.Clone(good)
	binary.LittleEndian.PutUint32(badLen[third+8:], 1<<30) // captured length beyond the maximum

	ngBadTrail := bytes.Clone(ngGood)
	binary.LittleEndian.PutUint32(ngBadTrail[len(ngBadTrail)-4:], 8) // trailing length differs

	return []damaged{
		{name: "truncated pcap", file: good[:len(good)-10], packets: 2, offset: third, trunc: true, want: pcapio.ErrTruncated},
		{name: "truncated pcap inside a record header", file: good[:third+5], packets: 2, offset: third, trunc: true, want: pcapio.ErrTruncated},
		{name: "truncated pcapng", file: ngGood[:len(ngGood)-7], packets: 2, offset: ngThird, trunc: true, want: pcapio.ErrTruncated},
		{name: "truncated gzip pcap", file: gz(good)[:60], packets: -1, trunc: true, want: pcapio.ErrTruncated},
		{name: "corrupt pcap record length", file: badLen, packets: 2, offset: third, want: pcapio.ErrBadRecord},
		{name: "corrupt pcapng trailing length", file: ngBadTrail, packets: 2, offset: int64(len(ngGood)) - 4, want: pcapio.ErrBadRecord},
	}
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// packetSourceLoop runs the idiom the README recommends, range over
// gopacket.NewPacketSource(src, lt).Packets(), and fails if it has not
// ended within the timeout (pcapio used to return the same error for ever,
// which gopacket retries every 5 ms).
func packetSourceLoop(t *testing.T, src gopacket.PacketDataSource, lt layers.LinkType) int {
	t.Helper()
	done := make(chan int, 1)
	go func() {
		n := 0
		for range gopacket.NewPacketSource(src, lt).Packets() {
			n++
		}
		done <- n
	}()
	select {
	case n := <-done:
		return n
	case <-time.After(10 * time.Second):
		t.Fatalf("range NewPacketSource(...).Packets() did not end within 10 s: the damaged file hangs gopacket's loop")
		return 0
	}
}

// checkDamage checks the error that ended a damaged file.
func checkDamage(t *testing.T, tc damaged, err error) {
	t.Helper()
	var fe *pcapio.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FormatError", err, err)
	}
	if tc.packets >= 0 && fe.Offset != tc.offset {
		t.Errorf("FormatError offset %d, want %d (%v)", fe.Offset, tc.offset, err)
	}
	if tc.want != nil && !errors.Is(err, tc.want) {
		t.Errorf("error %v does not wrap %v", err, tc.want)
	}
	if got := errors.Is(err, io.ErrUnexpectedEOF); got != tc.trunc {
		t.Errorf("errors.Is(err, io.ErrUnexpectedEOF) = %v, want %v (%v)", got, tc.trunc, err)
	}
}

func TestGopacketPacketSourceEndsOnDamage(t *testing.T) {
	for _, tc := range damagedFiles() {
		t.Run(tc.name, func(t *testing.T) {
			r, err := pcapio.Open(writeTemp(t, "in.cap", tc.file))
			if err != nil {
				// A gzip stream cut before the capture header: nothing to loop over.
				checkDamage(t, tc, err)
				return
			}
			defer r.Close()
			n := packetSourceLoop(t, r, r.LinkType())
			if tc.packets >= 0 && n != tc.packets {
				t.Errorf("%d packets through gopacket, want %d", n, tc.packets)
			}
			checkDamage(t, tc, r.Err())
		})
	}
}

func TestGopacketPacketSourceEndsOnDamagedMerge(t *testing.T) {
	good := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, frames())
	for _, tc := range damagedFiles() {
		if tc.packets < 0 {
			continue // cannot be opened: Merge refuses it
		}
		t.Run(tc.name, func(t *testing.T) {
			m, err := pcapio.Merge(writeTemp(t, "good.pcap", good), writeTemp(t, "bad.cap", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			n := packetSourceLoop(t, m, m.LinkType())
			if want := 3 + tc.packets; n != want {
				t.Errorf("%d packets through gopacket, want %d", n, want)
			}
			checkDamage(t, tc, m.Err())
		})
	}
}

// TestReadErrorOnceThenEOF checks the contract behind the gopacket loop:
// the damage is reported once, with its offset, and every later call (any
// of the three read methods, and after Close) returns io.EOF.
func TestReadErrorOnceThenEOF(t *testing.T) {
	for _, tc := range damagedFiles() {
		if tc.packets < 0 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			r, err := pcapio.NewReader(bytes.NewReader(tc.file), "in")
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.packets {
				if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
			}
			if r.Err() != nil {
				t.Errorf("Err before the damage was read: %v", r.Err())
			}
			_, _, first := r.ZeroCopyReadPacketData()
			checkDamage(t, tc, first)
			if r.Err() != first {
				t.Errorf("Err() = %v, want the error the read returned (%v)", r.Err(), first)
			}
			if _, _, err := r.ZeroCopyReadPacketData(); err != io.EOF {
				t.Errorf("ZeroCopyReadPacketData after the error: %v, want io.EOF", err)
			}
			if _, _, err := r.ReadPacketData(); err != io.EOF {
				t.Errorf("ReadPacketData after the error: %v, want io.EOF", err)
			}
			if _, err := r.NextHeader(); err != io.EOF {
				t.Errorf("NextHeader after the error: %v, want io.EOF", err)
			}
			r.Close()
			if _, _, err := r.ZeroCopyReadPacketData(); err != io.EOF {
				t.Errorf("read after Close: %v, want io.EOF", err)
			}
			if r.Err() != first {
				t.Errorf("Err() after Close = %v, want %v", r.Err(), first)
			}
		})
	}
}

func TestReadAfterCloseIsEOF(t *testing.T) {
	good := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 16, 65535, 1, frames())
	r, err := pcapio.NewReader(bytes.NewReader(good), "in")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, _, err := r.ZeroCopyReadPacketData(); err != io.EOF {
		t.Errorf("read after Close: %v, want io.EOF (gopacket retries any other error for ever)", err)
	}
	if r.Err() != nil {
		t.Errorf("Err after Close of a good file: %v, want nil", r.Err())
	}

	m, err := pcapio.Merge(writeTemp(t, "a.pcap", good), writeTemp(t, "b.pcap", good))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.ZeroCopyReadPacketData(); err != nil {
		t.Fatal(err)
	}
	m.Close()
	if _, _, err := m.ZeroCopyReadPacketData(); err != io.EOF {
		t.Errorf("merge read after Close: %v, want io.EOF", err)
	}
}
