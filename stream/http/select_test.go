package http

import (
	"net/netip"
	"regexp"
	"testing"
	"time"
)

func TestSelection(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(host, url string, client string, at time.Duration) *Transaction {
		q := &Message{Method: "GET", URL: url, Start: t0.Add(at)}
		if host != "" {
			q.Header = []Field{{Name: "Host", Value: host}}
		}
		return &Transaction{Request: q, Client: netip.MustParseAddrPort(client), Server: netip.MustParseAddrPort("10.0.0.9:80")}
	}
	for _, tc := range []struct {
		name string
		sel  Selection
		txs  []*Transaction
		want []bool
	}{
		{"host include", Selection{Host: regexp.MustCompile(`^api\.`)},
			[]*Transaction{mk("api.example:8080", "/", "10.0.0.1:1", 0), mk("www.example", "/", "10.0.0.1:1", 0), mk("", "/", "10.0.0.1:1", 0)},
			[]bool{true, false, false}},
		{"host exclude falls back to server address", Selection{ExcludeHost: regexp.MustCompile(`^10\.0\.0\.9$`)},
			[]*Transaction{mk("", "/", "10.0.0.1:1", 0), mk("a", "/", "10.0.0.1:1", 0)},
			[]bool{false, true}},
		{"path include and exclude ignore the query", Selection{Path: regexp.MustCompile(`^/users/`), ExcludePath: regexp.MustCompile(`/health$`)},
			[]*Transaction{mk("a", "/users/1?x=/health", "10.0.0.1:1", 0), mk("a", "/users/health", "10.0.0.1:1", 0), mk("a", "http://a/users/2", "10.0.0.1:1", 0), mk("a", "/other", "10.0.0.1:1", 0)},
			[]bool{true, false, true, false}},
		{"rate limit per minute of capture time", Selection{RateLimit: 2},
			[]*Transaction{mk("a", "/", "10.0.0.1:1", 0), mk("a", "/", "10.0.0.1:1", time.Second), mk("a", "/", "10.0.0.1:1", 2*time.Second), mk("a", "/", "10.0.0.1:1", time.Minute)},
			[]bool{true, true, false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, tx := range tc.txs {
				if got := tc.sel.Keep(tx); got != tc.want[i] {
					t.Errorf("transaction %d: kept %v, want %v", i, got, tc.want[i])
				}
			}
		})
	}
}

func TestSampleRate(t *testing.T) {
	s := Selection{SampleRate: 0.25}
	kept := 0
	const n = 4000
	for i := range n {
		c := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), uint16(1024+i))
		tx := &Transaction{Client: c, Server: netip.MustParseAddrPort("10.0.0.9:80")}
		rev := &Transaction{Client: tx.Server, Server: c}
		k := s.Keep(tx)
		if k != s.Keep(rev) {
			t.Fatalf("connection %v: the two orientations disagree", c)
		}
		if k {
			kept++
		}
	}
	if kept < n/4-200 || kept > n/4+200 {
		t.Errorf("kept %d of %d connections at rate 0.25", kept, n)
	}
}
