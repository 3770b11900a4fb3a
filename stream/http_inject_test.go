package stream_test

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

type httpResult struct {
	reqs   map[string]int // conn endpoints, method, URL, host
	bodies map[string]int // the same with the SHA-256 of the complete response body
	txs    []*whttp.Transaction
}

func runHTTP(pkts []pkt) httpResult {
	r := httpResult{reqs: map[string]int{}, bodies: map[string]int{}}
	p := whttp.NewParser(&whttp.Config{KeepBodies: true}, func(tx *whttp.Transaction) {
		r.txs = append(r.txs, tx)
		if q := tx.Request; q != nil {
			k := fmt.Sprintf("%s %s %s %s %s", tx.Client, tx.Server, q.Method, q.URL, q.Get("Host"))
			r.reqs[k]++
			if s := tx.Response; s != nil && s.Complete {
				r.bodies[fmt.Sprintf("%s -> %d %x", k, s.Status, sha256.Sum256(s.Body))]++
			}
		}
	})
	a := stream.New(nil, p, nil)
	for _, pk := range pkts {
		a.Packet(pk.ci, pk.data, layers.LinkTypeEthernet)
	}
	a.Flush()
	return r
}

// TestHTTPLossAndReordering drops and reorders packets of a generated
// capture and checks that HTTP parsing marks what is missing and invents
// nothing: every request found is one of the clean capture's; every
// request paired with a complete response is paired, in the clean capture
// too, with a response of the same status and body; a response with
// missing bytes is never complete.
func TestHTTPLossAndReordering(t *testing.T) {
	base := gen(t, 1, 20000)
	clean := runHTTP(base)
	cleanReqs := 0
	for _, n := range clean.reqs {
		cleanReqs += n
	}
	cleanBodies := 0
	for _, n := range clean.bodies {
		cleanBodies += n
	}
	if cleanReqs < 100 {
		t.Fatalf("only %d requests in the clean capture", cleanReqs)
	}
	for _, tx := range clean.txs {
		if s := tx.Response; s != nil && (s.Missing != 0 || (s.Complete && fmt.Sprint(s.ContentBytes) != s.Get("Content-Length"))) {
			t.Fatalf("clean capture: response missing %d, %d bytes for Content-Length %s", s.Missing, s.ContentBytes, s.Get("Content-Length"))
		}
	}
	tests := []struct {
		name string
		edit func([]pkt) []pkt
	}{
		{"drop every 97th", lossy},
		{"drop every 31st", func(p []pkt) []pkt {
			var out []pkt
			for i, x := range p {
				if i%31 != 7 {
					out = append(out, x)
				}
			}
			return out
		}},
		{"swap every 53rd pair", reordered},
		{"swap every 7th pair", func(p []pkt) []pkt {
			out := append([]pkt(nil), p...)
			for i := 3; i+1 < len(out); i += 7 {
				out[i].data, out[i+1].data = out[i+1].data, out[i].data
			}
			return out
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runHTTP(tc.edit(append([]pkt(nil), base...)))
			found, complete, partial := 0, 0, 0
			for k, n := range got.reqs {
				if clean.reqs[k] < n {
					t.Errorf("request not in the clean capture: %s", k)
				}
				found += n
			}
			for k, n := range got.bodies {
				complete += n
				if clean.bodies[k] < n {
					t.Errorf("a request paired with a complete response the clean capture does not pair it with: %s", k)
				}
			}
			for _, tx := range got.txs {
				if s := tx.Response; s != nil && s.Missing > 0 {
					partial++
					if s.Complete {
						t.Errorf("response with %d missing bytes marked complete", s.Missing)
					}
				}
			}
			t.Logf("%d/%d requests found, %d complete responses (clean %d), %d responses with gaps", found, cleanReqs, complete, cleanBodies, partial)
			if found < cleanReqs*8/10 {
				t.Errorf("only %d of %d requests found", found, cleanReqs)
			}
			if tc.name[:4] == "swap" && (found != cleanReqs || complete != cleanBodies) {
				t.Errorf("reordering alone lost messages: %d/%d requests, %d/%d complete responses", found, cleanReqs, complete, cleanBodies)
			}
		})
	}
}
