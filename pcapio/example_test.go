package pcapio_test

import (
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

// Write a small pcapng file compressed with zstd, then read it back: the
// reader finds the compression and the format from the bytes.
func Example() {
	dir, err := os.MkdirTemp("", "pcapio-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "capture.pcapng.zst")

	ifaces := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}
	w, err := pcapio.Create(path, ifaces, nil)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(i) * time.Millisecond)}
		if err := w.WritePacket(ci, make([]byte, 60+i)); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	r, err := pcapio.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println(r.Format(), r.Compression(), r.LinkType())
	for {
		data, ci, err := r.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ci.Timestamp.UTC().Format(time.StampMilli), len(data))
	}
	// Output:
	// pcapng zstd Ethernet
	// Jan  1 12:00:00.000 60
	// Jan  1 12:00:00.001 61
	// Jan  1 12:00:00.002 62
}

// Walk a capture for its record headers only: NextHeader skips the packet
// bytes (a seek over big ones on a plain file), which is all a count, a
// time span or a size total needs.
func ExampleReader_NextHeader() {
	r, err := pcapio.Open(filepath.Join("..", "testdata", "demo.pcap"))
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	var packets, bytes int
	var first, last time.Time
	for {
		ci, err := r.NextHeader()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err) // a *FormatError naming the offset of the damage
		}
		if packets == 0 {
			first = ci.Timestamp
		}
		last = ci.Timestamp
		packets++
		bytes += ci.CaptureLength
	}
	fmt.Printf("%d packets, %d bytes captured, over %v\n", packets, bytes, last.Sub(first))
	// Output: 300 packets, 60551 bytes captured, over 142.571ms
}
