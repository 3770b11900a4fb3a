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
