package stream_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// TestCorpus runs reassembly and HTTP parsing over every capture of the
// shared corpus (many malformed on purpose): nothing panics, every
// connection is closed by Flush, and no direction delivers more bytes than
// its packets carried.
func TestCorpus(t *testing.T) {
	dir := testutil.CorpusDir(t)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) != ".md" {
			files = append(files, p)
		}
		return nil
	})
	conns, txs := 0, 0
	for _, f := range files {
		src, err := pcapio.Open(f)
		if err != nil {
			continue // not a capture wirekit reads; pcapio's tests cover that
		}
		p := whttp.NewParser(&whttp.Config{KeepBodies: true}, func(*whttp.Transaction) { txs++ })
		var ended []stream.Conn
		a := stream.New(nil, p, func(c *stream.Conn) { ended = append(ended, *c) })
		var captured int64
		for {
			data, ci, err := src.ZeroCopyReadPacketData()
			if err == io.EOF || err != nil {
				break
			}
			captured += int64(len(data))
			lt := src.LinkType()
			if ifs := src.Interfaces(); ci.InterfaceIndex < len(ifs) {
				lt = ifs[ci.InterfaceIndex].LinkType
			}
			a.Packet(ci, data, lt)
		}
		src.Close()
		a.Flush()
		if st := a.Stats(); st.Open != 0 || int(st.Conns) != len(ended) {
			t.Errorf("%s: %d connections opened, %d ended, %d still open", f, st.Conns, len(ended), st.Open)
		}
		var delivered int64
		for _, c := range ended {
			delivered += c.Half[0].Bytes + c.Half[1].Bytes
		}
		if delivered > captured {
			t.Errorf("%s: %d bytes delivered from %d captured", f, delivered, captured)
		}
		conns += len(ended)
	}
	t.Logf("%d files, %d connections, %d HTTP transactions", len(files), conns, txs)
	if conns == 0 {
		t.Error("no TCP connection in the whole corpus")
	}
}
