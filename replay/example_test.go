package replay_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/dataset"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/replay"
)

// Replay two files written by two capture threads into one file, in
// global timestamp order, keeping the original timestamps; TopSpeed skips
// the waiting (leave it out to replay with the original timing).
func Example() {
	dir, err := os.MkdirTemp("", "replay-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ifaces := []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535}}
	var paths []string
	for i, name := range []string{"thread0.pcap", "thread1.pcap"} {
		path := filepath.Join(dir, name)
		w, err := pcapio.Create(path, ifaces, nil)
		if err != nil {
			log.Fatal(err)
		}
		for k := range 3 {
			// thread0 has packets at 0, 2, 4 ms; thread1 at 1, 3, 5 ms.
			ci := gopacket.CaptureInfo{Timestamp: start.Add(time.Duration(2*k+i) * time.Millisecond), CaptureLength: 60, Length: 60}
			if err := w.WritePacket(ci, make([]byte, 60)); err != nil {
				log.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			log.Fatal(err)
		}
		paths = append(paths, path)
	}

	set, err := dataset.Scan(context.Background(), paths, nil)
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, "merged.pcap")
	st, err := replay.Run(context.Background(), set.Files, replay.NewFileSink(out, nil),
		&replay.Config{TopSpeed: true, KeepTimestamps: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent", st.Sent, "packets")

	r, err := pcapio.Open(out)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for {
		_, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		fmt.Println(ci.Timestamp.Sub(start))
	}
	// Output:
	// sent 6 packets
	// 0s
	// 1ms
	// 2ms
	// 3ms
	// 4ms
	// 5ms
}
