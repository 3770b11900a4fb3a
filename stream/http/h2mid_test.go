package http_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// cutCapture drops the frames before frames[k] and the first j payload
// bytes of frames[k] (its sequence number moved on to match): a capture
// that began in the middle of the connection, inside a segment when j > 0.
func cutCapture(t *testing.T, frames []testutil.Frame, k, j int) []testutil.Frame {
	t.Helper()
	if j == 0 {
		return append([]testutil.Frame(nil), frames[k:]...)
	}
	var eth *layers.Ethernet
	var ip *layers.IPv4
	var tcp *layers.TCP
	for ; k < len(frames); k++ {
		// The first segment from k on with more than j bytes.
		p := gopacket.NewPacket(frames[k].Data, layers.LayerTypeEthernet, gopacket.Default)
		eth, _ = p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		ip, _ = p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ = p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if eth != nil && ip != nil && tcp != nil && len(tcp.Payload) > j {
			break
		}
	}
	if k == len(frames) {
		t.Fatalf("no TCP segment of more than %d bytes", j)
	}
	out := append([]testutil.Frame(nil), frames[k:]...)
	payload := tcp.Payload[j:]
	tcp.Seq += uint32(j)
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	out[0].Data = buf.Bytes()
	out[0].CI.CaptureLength, out[0].CI.Length = len(out[0].Data), len(out[0].Data)
	return out
}

// dataFrames returns the indexes of the frames that carry TCP payload.
func dataFrames(frames []testutil.Frame) []int {
	var idx []int
	for i, f := range frames {
		p := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		if tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok && len(tcp.Payload) > 0 {
			idx = append(idx, i)
		}
	}
	return idx
}

// TestHTTP2MidConnection reads real HTTP/2 connections (Go's h2c client
// and server; grpc-go) whose capture begins at several points after the
// preface and SETTINGS, on segment boundaries and inside segments. Every
// request that starts after the cut must come out with its method, status,
// response size and completeness as in the whole capture, and its path
// unless the path used the lost HPACK dynamic table; fields that did are
// counted as unknown and said in the note; a response whose request came
// before the cut is still reported; nothing is made up.
func TestHTTP2MidConnection(t *testing.T) {
	var reqs []*http.Request
	for i := range 14 {
		u := fmt.Sprintf("http://api.example/p/%d", i)
		r, _ := http.NewRequest("GET", u, nil)
		if i%3 == 1 {
			r, _ = http.NewRequest("POST", "http://api.example/echo", strings.NewReader(strings.Repeat("e", 100*i)))
			r.Header.Set("Content-Type", "text/plain")
		}
		reqs = append(reqs, r)
	}
	convs := []struct {
		name   string
		frames []testutil.Frame
	}{
		{"h2c", h2cConv(t, reqs).Frames},
		{"grpc", grpcConv(t).Frames},
	}
	for _, conv := range convs {
		whole := transactions(t, frames2pcap(t, conv.frames))
		data := dataFrames(conv.frames)
		// Cut points: after the preface and SETTINGS exchange (the
		// fourth data segment) and at a third and two thirds of the
		// data segments before the last request starts (how grpc-go's
		// writes fall into segments varies run to run), each on the
		// segment boundary and inside it.
		var last time.Time
		for _, tx := range whole {
			if tx.Request != nil && tx.Request.Start.After(last) {
				last = tx.Request.Start
			}
		}
		before := 0
		for _, k := range data {
			if conv.frames[k].CI.Timestamp.Before(last) {
				before++
			}
		}
		span := max(before-3, 0)
		for _, at := range []int{3, 3 + span/3, 3 + 2*span/3} {
			for _, j := range []int{0, 5, 13} {
				k := data[at]
				t.Run(fmt.Sprintf("%s/segment %d of %d +%d bytes", conv.name, at, len(data), j), func(t *testing.T) {
					cut := cutCapture(t, conv.frames, k, j)
					from := cut[0].CI.Timestamp
					got := transactions(t, frames2pcap(t, cut))
					var want, have []*whttp.Transaction
					for _, tx := range whole {
						if tx.Request != nil && tx.Request.Start.After(from) {
							want = append(want, tx)
						}
					}
					unknown := 0
					for _, tx := range got {
						if tx.Request != nil && tx.Request.Start.After(from) {
							have = append(have, tx)
						}
						for _, m := range []*whttp.Message{tx.Request, tx.Response} {
							if m != nil {
								unknown += m.UnknownHeaders
								if m.UnknownHeaders > 0 && !strings.Contains(tx.Note, whttp.NoteMidConnection) {
									t.Errorf("transaction %d: %d unknown header fields but note %q", tx.Index, m.UnknownHeaders, tx.Note)
								}
							}
						}
						if tx.Request == nil {
							if tx.Response == nil || !strings.Contains(tx.Note, whttp.NoteMidConnection) {
								t.Errorf("transaction %d without request: response %v note %q", tx.Index, tx.Response, tx.Note)
							} else if !matchesOne(tx.Response, whole) {
								t.Errorf("response without request (status %d, %d bytes) is none of the whole capture's", tx.Response.Status, tx.Response.ContentBytes)
							}
						}
					}
					if len(want) == 0 {
						t.Fatalf("no request after the cut: the cut is too late")
					}
					if unknown == 0 && at > 3 {
						// (A cut before the first request loses no table entries.)
						t.Errorf("no header field counted unknown, though the dynamic table was lost")
					}
					if len(have) != len(want) {
						t.Fatalf("%d requests after the cut (at %s), want %d:\n%s\nwhole:\n%s", len(have), from.Format("05.000"), len(want), describe(got), describe(whole))
					}
					for i, w := range want {
						g := have[i]
						if g.Response == nil || w.Response == nil {
							t.Errorf("request %d: response %v, want %v (note %q)", i, g.Response, w.Response, g.Note)
							continue
						}
						pathOK := g.Request.URL == w.Request.URL || (g.Request.URL == "" && g.Request.UnknownHeaders > 0)
						if g.Request.Method != w.Request.Method || !pathOK || g.Response.Status != w.Response.Status ||
							g.Response.ContentBytes != w.Response.ContentBytes || g.Response.Complete != w.Response.Complete ||
							g.Request.ContentBytes != w.Request.ContentBytes {
							t.Errorf("request %d: got %s %q -> %d %d B complete=%v, want %s %q -> %d %d B complete=%v", i,
								g.Request.Method, g.Request.URL, g.Response.Status, g.Response.ContentBytes, g.Response.Complete,
								w.Request.Method, w.Request.URL, w.Response.Status, w.Response.ContentBytes, w.Response.Complete)
						}
					}
				})
			}
		}
	}
}

// matchesOne reports whether a response with m's status and content
// length (and body, when kept) is in txs.
func matchesOne(m *whttp.Message, txs []*whttp.Transaction) bool {
	for _, tx := range txs {
		if s := tx.Response; s != nil && s.Status == m.Status && s.ContentBytes == m.ContentBytes && string(s.Body) == string(m.Body) {
			return true
		}
	}
	return false
}

func describe(txs []*whttp.Transaction) string {
	var b strings.Builder
	for _, tx := range txs {
		fmt.Fprintf(&b, "  %d:", tx.Index)
		if q := tx.Request; q != nil {
			fmt.Fprintf(&b, " %s %s %q (%d unknown)", q.Start.Format("05.000"), q.Method, q.URL, q.UnknownHeaders)
		}
		if s := tx.Response; s != nil {
			fmt.Fprintf(&b, " -> %d %d B", s.Status, s.ContentBytes)
		}
		fmt.Fprintf(&b, " note %q\n", tx.Note)
	}
	return b.String()
}

// TestHTTP2SearchGivesUp: a connection of random bytes (neither HTTP/1,
// TLS nor HTTP/2) is searched for HTTP/2 frames for a bounded window and
// given up: no transaction, not counted as HTTP/2.
func TestHTTP2SearchGivesUp(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var tx int
	p := whttp.NewParser(nil, func(*whttp.Transaction) { tx++ })
	c := &stream.Conn{}
	h := p.Open(c)
	seg := make([]byte, 1448)
	for range 1000 {
		for d := range 2 {
			for i := range seg {
				seg[i] = byte(rnd.Uint32())
			}
			seg[0] = 0x80 // neither a method, "HTTP/1." nor a TLS record
			h.Data(c, stream.Chunk{Dir: stream.Dir(d), Data: seg})
		}
	}
	h.Close(c)
	if st := p.Stats(); tx != 0 || st.HTTP2 != 0 || st.HTTP2Mid != 0 {
		t.Errorf("%d transactions, %d HTTP/2 connections (%d mid-connection) from random bytes", tx, st.HTTP2, st.HTTP2Mid)
	}
}
