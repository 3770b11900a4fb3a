package tables_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/parquet-go/parquet-go"

	"github.com/wirekit/wirekit/tables"
)

// A packet index written to memory and read back with parquet-go: any
// engine that reads Parquet sees the same rows.
func ExamplePacketWriter() {
	frame := []byte{
		0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00, // Ethernet, IPv4
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, // 192.0.2.1 > 192.0.2.2, UDP
		0x30, 0x39, 0, 53, 0, 8, 0, 0, // 12345 > 53
	}
	var out bytes.Buffer
	w := tables.NewPacketWriter(&out, nil)
	ci := gopacket.CaptureInfo{Timestamp: time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), CaptureLength: len(frame), Length: len(frame)}
	if err := w.Write("dns.pcap", 24, ci, layers.LinkTypeEthernet, frame); err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	rows, err := parquet.Read[tables.PacketRow](bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%s@%d %s %s:%d > %s:%d proto %d\n", r.File, r.Offset, time.UnixMicro(r.TS).UTC().Format(time.RFC3339),
			r.Src, *r.SrcPort, r.Dst, *r.DstPort, *r.IPProto)
	}
	// Output:
	// dns.pcap@24 2026-12-05T12:00:00Z 192.0.2.1:12345 > 192.0.2.2:53 proto 17
}
