package pcapio_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
)

// writeFile writes a pcap file whose packets are one byte, the given
// label, at the given milliseconds after noon.
func writeFile(path string, label byte, ms ...int) {
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	noon := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, m := range ms {
		ci := gopacket.CaptureInfo{Timestamp: noon.Add(time.Duration(m) * time.Millisecond), CaptureLength: 1, Length: 1}
		if err := w.WritePacket(ci, []byte{label}); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
}

// Merge reads several files as one stream in timestamp order, as mergecap
// does; ties go to the file given first.
func ExampleMerge() {
	dir, err := os.MkdirTemp("", "merge-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	a, b := filepath.Join(dir, "a.pcap"), filepath.Join(dir, "b.pcap")
	writeFile(a, 'a', 0, 20, 30)
	writeFile(b, 'b', 10, 20, 40)

	m, err := pcapio.Merge(a, b)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	pkts := pcapio.Packets(m)
	for data, ci := range pkts.All() {
		fmt.Printf("%s %s\n", ci.Timestamp.Format("15:04:05.000"), data)
	}
	if err := pkts.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 12:00:00.000 a
	// 12:00:00.010 b
	// 12:00:00.020 a
	// 12:00:00.020 b
	// 12:00:00.030 a
	// 12:00:00.040 b
}

// Packets is a range loop over any source; Err says why it ended early.
// Here the file is cut in its third packet.
func ExamplePackets() {
	dir, err := os.MkdirTemp("", "packets-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cut.pcap")
	writeFile(path, 'x', 0, 1, 2)
	if err := os.Truncate(path, 24+2*17+10); err != nil {
		log.Fatal(err)
	}

	r, err := pcapio.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	pkts := pcapio.Packets(r)
	for data, ci := range pkts.All() {
		fmt.Println(ci.Timestamp.Format("15:04:05.000"), len(data)) // data is valid in this iteration only
	}
	var fe *pcapio.FormatError
	if errors.As(pkts.Err(), &fe) {
		fmt.Printf("%d packets, then %s at offset %d: %v\n", pkts.Count(), filepath.Base(fe.File), fe.Offset, fe.Err)
	}
	// Output:
	// 12:00:00.000 1
	// 12:00:00.001 1
	// 2 packets, then cut.pcap at offset 58: record header (10 of 16 bytes): truncated capture file
}

// gopacket's PacketSource works on any source. Its channel drops errors:
// ask the Reader afterwards. A damaged file ends the loop as a good one
// does (the damage is returned once, then io.EOF).
func ExampleReader_Err() {
	dir, err := os.MkdirTemp("", "gopacket-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cut.pcap")
	writeFile(path, 'x', 0, 1, 2)
	if err := os.Truncate(path, 24+2*17+10); err != nil {
		log.Fatal(err)
	}

	r, err := pcapio.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	n := 0
	for range gopacket.NewPacketSource(r, r.LinkType()).Packets() {
		n++
	}
	err = r.Err()
	fmt.Println(n, "packets; truncated:", errors.Is(err, pcapio.ErrTruncated), errors.Is(err, io.ErrUnexpectedEOF))
	// Output:
	// 2 packets; truncated: true true
}
