package tables_test

import (
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	whttp "github.com/wirekit/wirekit/stream/http"
	"github.com/wirekit/wirekit/tables"
)

func benchFrame(t testing.TB) []byte {
	return packet(t, &layers.Ethernet{SrcMAC: []byte{0, 1, 2, 3, 4, 5}, DstMAC: []byte{0, 1, 2, 3, 4, 6}, EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}},
		&layers.TCP{SrcPort: 40000, DstPort: 80, ACK: true, Window: 100}, gopacket.Payload(make([]byte, 100)))
}

// maxAllocsPerRow is what a row may cost on average: the row itself
// allocates nothing; parquet-go allocates when it cuts pages, compresses
// them and starts row groups, a few times per thousands of rows.
const maxAllocsPerRow = 0.05

// TestPacketWriterAllocs checks that the packet index does not allocate
// per packet: over 20,000 rows (several pages and a row group cut) the
// average stays under maxAllocsPerRow.
func TestPacketWriterAllocs(t *testing.T) {
	data := benchFrame(t)
	w := tables.NewPacketWriter(io.Discard, &tables.Options{RowGroupRows: 8192})
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data)}
	var off int64
	write := func() {
		off += 200
		ci.Timestamp = ci.Timestamp.Add(time.Microsecond)
		if err := w.Write("capture-000.pcap", off, ci, layers.LinkTypeEthernet, data); err != nil {
			t.Fatal(err)
		}
	}
	for range 10000 { // buffers grow to their size
		write()
	}
	if a := testing.AllocsPerRun(20000, write); a > maxAllocsPerRow {
		t.Errorf("PacketWriter.Write: %.3f allocations per row, want at most %g", a, maxAllocsPerRow)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func benchTransaction() *whttp.Transaction {
	t0 := time.Unix(1700000000, 0)
	return &whttp.Transaction{Conn: 3, Index: 1, Client: netip.MustParseAddrPort("10.0.0.1:40000"), Server: netip.MustParseAddrPort("10.0.0.2:8080"),
		Request: &whttp.Message{Method: "GET", URL: "/api/v1/items?page=2", Proto: "HTTP/1.1", Header: []whttp.Field{{Name: "Host", Value: "api.example"}, {Name: "Accept", Value: "*/*"}, {Name: "User-Agent", Value: "curl/8"}},
			HeaderBytes: 80, Complete: true, Start: t0, End: t0},
		Response: &whttp.Message{Status: 200, Proto: "HTTP/1.1", Header: []whttp.Field{{Name: "Content-Type", Value: "application/json"}, {Name: "Content-Length", Value: "512"}},
			HeaderBytes: 70, BodyBytes: 512, ContentBytes: 512, Complete: true, Start: t0.Add(time.Millisecond), End: t0.Add(2 * time.Millisecond)}}
}

// TestHTTPWriterAllocs checks the same for the http table.
func TestHTTPWriterAllocs(t *testing.T) {
	tx := benchTransaction()
	w := tables.NewHTTPWriter(io.Discard, &tables.Options{RowGroupRows: 8192})
	write := func() {
		tx.Index++
		if err := w.Write(tx); err != nil {
			t.Fatal(err)
		}
	}
	for range 10000 {
		write()
	}
	if a := testing.AllocsPerRun(20000, write); a > maxAllocsPerRow {
		t.Errorf("HTTPWriter.Write: %.3f allocations per row, want at most %g", a, maxAllocsPerRow)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkPacketWriter(b *testing.B) {
	data := benchFrame(b)
	w := tables.NewPacketWriter(io.Discard, nil)
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data)}
	b.ReportAllocs()
	var off int64
	for b.Loop() {
		off += 200
		ci.Timestamp = ci.Timestamp.Add(time.Microsecond)
		if err := w.Write("capture-000.pcap", off, ci, layers.LinkTypeEthernet, data); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkHTTPWriter(b *testing.B) {
	tx := benchTransaction()
	w := tables.NewHTTPWriter(io.Discard, nil)
	b.ReportAllocs()
	for b.Loop() {
		tx.Index++
		if err := w.Write(tx); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
