package http_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// fromClient reports whether frame f (Ethernet, IPv4, TCP) was sent by the
// client (its source port is not the server's).
func fromClient(f testutil.Frame, serverPort layers.TCPPort) bool {
	p := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
	tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	return tcp != nil && tcp.SrcPort != serverPort
}

// TestHTTP2Gap reads real HTTP/2 connections (Go's h2c client and server,
// grpc-go) seen from their start with one segment lost in the middle, in
// one direction or the other (the reassembler reports the gap): every
// transaction over before the gap comes out exact; the one the gap cut
// says what was lost (bytes lost, in its note or as missing bytes); and
// reading resumes at the next frame after the gap, every request that
// starts after it paired with its response (its method, status, body size
// and completeness as in the whole capture, its path unless it used the
// HPACK dynamic table entries lost with the gap).
func TestHTTP2Gap(t *testing.T) {
	var reqs []*http.Request
	for i := range 14 {
		r, _ := http.NewRequest("GET", fmt.Sprintf("http://api.example/p/%d", i), nil)
		if i%3 == 1 {
			r, _ = http.NewRequest("POST", "http://api.example/echo", strings.NewReader(strings.Repeat("e", 100*i)))
			r.Header.Set("Content-Type", "text/plain")
		}
		reqs = append(reqs, r)
	}
	for _, conv := range []struct {
		name   string
		frames []testutil.Frame
		port   layers.TCPPort
	}{
		{"h2c", h2cConv(t, reqs).Frames, 8080},
		{"grpc", grpcConv(t).Frames, 50051},
	} {
		whole := transactions(t, frames2pcap(t, conv.frames))
		var last int64
		for _, tx := range whole {
			if tx.Request != nil {
				last = max(last, tx.Request.Start.UnixNano())
			}
		}
		for _, client := range []bool{true, false} {
			// The data segments of the direction, after the preface
			// and SETTINGS and before the last request starts.
			var segs []int
			for _, k := range dataFrames(conv.frames) {
				if fromClient(conv.frames[k], conv.port) == client && conv.frames[k].CI.Timestamp.UnixNano() < last {
					segs = append(segs, k)
				}
			}
			if len(segs) < 6 {
				t.Fatalf("%s: %d data segments from the client=%v", conv.name, len(segs), client)
			}
			side := "server"
			if client {
				side = "client"
			}
			for _, at := range []int{2 + (len(segs)-2)/3, 2 + 2*(len(segs)-2)/3} {
				k := segs[at]
				t.Run(fmt.Sprintf("%s/%s segment %d of %d lost", conv.name, side, at, len(segs)), func(t *testing.T) {
					cut := append(append([]testutil.Frame(nil), conv.frames[:k]...), conv.frames[k+1:]...)
					gapAt := conv.frames[k].CI.Timestamp
					got := transactions(t, frames2pcap(t, cut))
					var before, after []*whttp.Transaction
					for _, tx := range whole {
						switch {
						case tx.Response != nil && tx.Response.End.Before(gapAt):
							before = append(before, tx)
						case tx.Request != nil && tx.Request.Start.After(gapAt):
							after = append(after, tx)
						}
					}
					if len(before) == 0 || len(after) == 0 {
						t.Fatalf("%d transactions before the gap, %d after: the gap is not in the middle", len(before), len(after))
					}
					byIndex := map[uint64]*whttp.Transaction{}
					lostSaid := false
					for _, tx := range got {
						if tx.Request != nil && tx.Request.Start.After(gapAt) || tx.Response != nil && tx.Response.Start.After(gapAt) {
							continue
						}
						byIndex[uint64(tx.Index)] = tx
					}
					for _, tx := range got {
						for _, m := range []*whttp.Message{tx.Request, tx.Response} {
							if m != nil && m.Missing > 0 {
								lostSaid = true
							}
						}
						if strings.Contains(tx.Note, "bytes lost") {
							lostSaid = true
						}
					}
					if !lostSaid {
						t.Errorf("no transaction says bytes were lost:\n%s", describe(got))
					}
					for _, w := range before {
						g := byIndex[uint64(w.Index)]
						if g == nil || g.Request == nil || g.Response == nil {
							t.Errorf("transaction %d (%s %s) before the gap is missing:\n%s", w.Index, w.Request.Method, w.Request.URL, describe(got))
							continue
						}
						if g.Request.Method != w.Request.Method || g.Request.URL != w.Request.URL || g.Response.Status != w.Response.Status ||
							g.Response.ContentBytes != w.Response.ContentBytes || !g.Response.Complete || g.Request.ContentBytes != w.Request.ContentBytes ||
							g.Note != w.Note || len(g.Request.Header) != len(w.Request.Header) || len(g.Response.Header) != len(w.Response.Header) ||
							g.Response.Trailer == nil != (w.Response.Trailer == nil) {
							t.Errorf("transaction %d before the gap: got %s %q -> %d %d B complete=%v note %q, want %s %q -> %d %d B note %q", w.Index,
								g.Request.Method, g.Request.URL, g.Response.Status, g.Response.ContentBytes, g.Response.Complete, g.Note,
								w.Request.Method, w.Request.URL, w.Response.Status, w.Response.ContentBytes, w.Note)
						}
					}
					var have []*whttp.Transaction
					for _, tx := range got {
						if tx.Request != nil && tx.Request.Start.After(gapAt) {
							have = append(have, tx)
						}
					}
					if len(have) != len(after) {
						t.Fatalf("%d requests after the gap, want %d:\n%s\nwhole:\n%s", len(have), len(after), describe(got), describe(whole))
					}
					for i, w := range after {
						g := have[i]
						if g.Response == nil {
							t.Errorf("request %d after the gap (%s %q) has no response (note %q)", i, g.Request.Method, g.Request.URL, g.Note)
							continue
						}
						pathOK := g.Request.URL == w.Request.URL || (g.Request.URL == "" && g.Request.UnknownHeaders > 0)
						if g.Request.Method != w.Request.Method || !pathOK || g.Response.Status != w.Response.Status ||
							g.Response.ContentBytes != w.Response.ContentBytes || g.Response.Complete != w.Response.Complete ||
							g.Request.ContentBytes != w.Request.ContentBytes {
							t.Errorf("request %d after the gap: got %s %q -> %d %d B complete=%v, want %s %q -> %d %d B complete=%v", i,
								g.Request.Method, g.Request.URL, g.Response.Status, g.Response.ContentBytes, g.Response.Complete,
								w.Request.Method, w.Request.URL, w.Response.Status, w.Response.ContentBytes, w.Response.Complete)
						}
					}
				})
			}
		}
	}
}
