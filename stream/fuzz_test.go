package stream_test

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/stream"
)

// FuzzAssembler feeds arbitrary packets (the input cut into length-prefixed
// pieces; the first byte picks the link type) and checks that nothing
// panics, Flush ends every connection, and no connection delivers more
// bytes than were fed.
func FuzzAssembler(f *testing.F) {
	cli, srv := mustAP("10.0.0.1:40000"), mustAP("10.0.0.2:80")
	seed := []byte{0}
	for _, p := range [][]byte{
		buildTCP(f, cli, srv, 100, "S", nil),
		buildTCP(f, srv, cli, 500, "SA", nil),
		buildTCP(f, cli, srv, 101, "A", []byte("GET / HTTP/1.1\r\n\r\n")),
		buildTCP(f, srv, cli, 501, "A", []byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
		buildTCP(f, cli, srv, 200, "A", []byte("ahead")),
		buildTCP(f, cli, srv, 119, "FA", nil),
		buildTCP(f, srv, cli, 539, "RA", nil),
	} {
		seed = append(seed, byte(len(p)>>8), byte(len(p)))
		seed = append(seed, p...)
	}
	f.Add(seed)
	f.Add([]byte{1, 0, 20, 0x45, 0, 0, 20, 0, 0, 0x20, 0, 64, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	lts := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeLinuxSLL, layers.LinkTypeNull, layers.LinkTypeLoop, 276, 228, 229}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		lt := lts[int(in[0])%len(lts)]
		in = in[1:]
		var ended []stream.Conn
		k := newCollector()
		a := stream.New(&stream.Config{MaxBufferedPerConn: 4000, MaxBufferedTotal: 8000}, k, func(c *stream.Conn) { ended = append(ended, *c) })
		ts := time.Unix(1000, 0)
		var fed int64
		for len(in) >= 2 {
			n := int(in[0])<<8 | int(in[1])
			in = in[2:]
			n = min(n, len(in))
			ts = ts.Add(time.Duration(n) * 10 * time.Millisecond)
			a.Packet(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: n, Length: n}, in[:n], lt)
			fed += int64(n)
			in = in[n:]
		}
		a.Flush()
		if st := a.Stats(); st.Open != 0 || int(st.Conns) != len(ended) {
			t.Fatalf("%d opened, %d ended, %d open", st.Conns, len(ended), st.Open)
		}
		var delivered int64
		for _, c := range ended {
			delivered += c.Half[0].Bytes + c.Half[1].Bytes
		}
		if delivered > fed {
			t.Fatalf("%d bytes delivered from %d fed", delivered, fed)
		}
	})
}
