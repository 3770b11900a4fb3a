package capture_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
)

// Capture ten DNS packets on every interface. The filter is compiled for
// the link type of the interface: LINUX_SLL for "any". (Needs root or
// CAP_NET_RAW on Linux; not run as a test.)
func Example() {
	prog, err := filter.Compile("udp port 53", layers.LinkTypeLinuxSLL, 262144)
	if err != nil {
		log.Fatal(err)
	}
	h, err := capture.Open(capture.Any, &capture.Config{Filter: prog})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	for n := 0; n < 10; {
		data, ci, err := h.ZeroCopyReadPacketData()
		if errors.Is(err, capture.ErrTimeout) {
			continue // a chance to check for cancellation
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ci.Timestamp, len(data), "bytes")
		n++
	}
}
