package dataset_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
)

// Map a folder where two capture workers each wrote a file, starting two
// seconds apart, then save the map as JSON.
func Example() {
	dir, err := os.MkdirTemp("", "dataset-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	start := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	ifaces := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}
	for w, name := range []string{"worker0.pcap", "worker1.pcapng.zst"} {
		out, err := pcapio.Create(filepath.Join(dir, name), ifaces, nil)
		if err != nil {
			log.Fatal(err)
		}
		for i := range 10 {
			ts := start.Add(time.Duration(2*w)*time.Second + time.Duration(i)*100*time.Millisecond)
			if err := out.WritePacket(gopacket.CaptureInfo{Timestamp: ts}, make([]byte, 100)); err != nil {
				log.Fatal(err)
			}
		}
		if err := out.Close(); err != nil {
			log.Fatal(err)
		}
	}

	paths, err := dataset.Discover([]string{dir}, &dataset.Select{Regexp: regexp.MustCompile(`worker\d`)})
	if err != nil {
		log.Fatal(err)
	}
	set, err := dataset.Scan(context.Background(), paths, &dataset.Config{Workers: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range set.Files {
		fmt.Printf("%s: %s/%s, %d packets, %v long, starts %v after the set\n",
			filepath.Base(f.Path), f.Format, f.Compression, f.Packets, f.Duration, f.Delay)
	}
	fmt.Println("set:", set.Beginning.Format(time.TimeOnly), "to", set.End.Format(time.TimeOnly))
	if err := set.Save(filepath.Join(dir, "map.json")); err != nil {
		log.Fatal(err)
	}
	// Output:
	// worker0.pcap: pcap/none, 10 packets, 900ms long, starts 0s after the set
	// worker1.pcapng.zst: pcapng/zstd, 10 packets, 900ms long, starts 2s after the set
	// set: 12:00:00 to 12:00:02
}
