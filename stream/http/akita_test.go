package http_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/pcapio"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// txLine is what the Akita-style tests compare of a transaction.
func txLine(tx *whttp.Transaction) string {
	var b strings.Builder
	if tx.Request != nil {
		fmt.Fprintf(&b, "%s %s", tx.Request.Method, tx.Request.URL)
		if len(tx.Request.Body) > 0 {
			fmt.Fprintf(&b, " %q", tx.Request.Body)
		}
	} else {
		b.WriteString("(no request)")
	}
	if tx.Response != nil {
		fmt.Fprintf(&b, " -> %d %q", tx.Response.Status, tx.Response.Body)
	} else {
		b.WriteString(" -> (no response)")
	}
	return b.String()
}

// TestAkitaStyleFile is the Akita-style reassembler of issue 13 on a file,
// on public API only: a pcapng.gz capture of HTTP traffic (made here with
// gopacket's serialization: keep-alive, a chunked request body, an HTTP/1.0
// response ended by the connection's close, two connections interleaved in
// time) is opened with pcapio.Open and its transactions read with
// http.Transactions. TestAkitaStyleLive does the same on real traffic.
func TestAkitaStyleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "traffic.pcapng.gz")
	w, err := pcapio.Create(path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 65535, Resolution: time.Microsecond}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The two connections overlap in time: record them, then write the
	// packets in timestamp order.
	t0 := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	pw := &recorder{}
	if err := writeConn(pw, t0, "10.0.0.1:40000", "10.0.0.2:80",
		"GET /a HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
		"POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n", "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeConn(pw, t0.Add(500*time.Microsecond), "10.0.0.1:40001", "10.0.0.3:8080",
		"GET /c HTTP/1.0\r\n\r\n", "HTTP/1.0 404 Not Found\r\n\r\nnope"); err != nil {
		t.Fatal(err)
	}
	for _, p := range pw.sorted() {
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	src, err := pcapio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Compression() != pcapio.CompressGzip || src.Format() != pcapio.FormatPcapNG {
		t.Errorf("read back as %v %v, want gzip pcapng", src.Compression(), src.Format())
	}
	var got []string
	for tx, err := range whttp.Transactions(src, &whttp.Config{KeepBodies: true}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, txLine(tx))
	}
	// In the order they completed: /c's response (its connection's end)
	// comes between /a's and /b's.
	want := []string{
		`GET /a -> 200 "a"`,
		`GET /c -> 404 "nope"`,
		`POST /b "body" -> 201 ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("transactions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// recorder is a pcapio.Writer that keeps the packets, to sort them.
type recorder struct{ pkts []recorded }

type recorded struct {
	ci   gopacket.CaptureInfo
	data []byte
}

func (r *recorder) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	r.pkts = append(r.pkts, recorded{ci, slices.Clone(data)})
	return nil
}

func (r *recorder) Close() error { return nil }

func (r *recorder) sorted() []recorded {
	slices.SortStableFunc(r.pkts, func(a, b recorded) int { return a.ci.Timestamp.Compare(b.ci.Timestamp) })
	return r.pkts
}
