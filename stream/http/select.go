package http

import (
	"hash/fnv"
	"regexp"
	"strings"
	"time"
)

// Selection chooses the transactions to keep: by host and path (regular
// expressions), by a sample of connections, and by a rate limit. The zero
// value keeps everything. It is not safe for concurrent use.
type Selection struct {
	// Host and Path keep only transactions whose host (the request's
	// Host field, else the server address) or path (the request target
	// without its query) match; ExcludeHost and ExcludePath drop those
	// that match. nil matches nothing for the Exclude ones and everything
	// for the others. A transaction without a request has no path.
	Host, ExcludeHost, Path, ExcludePath *regexp.Regexp
	// SampleRate keeps this fraction of connections (0 < rate <= 1; 0
	// means 1), chosen by a hash of the connection's two endpoints so
	// that every transaction of a connection is kept or dropped together,
	// whatever direction was seen first.
	SampleRate float64
	// RateLimit keeps at most this many transactions per minute of
	// capture time (by the request's start, else the response's); 0 is no
	// limit.
	RateLimit int

	minute  time.Time
	inMin   int
	Dropped int64 // transactions Keep refused, for the caller's summary
}

// Keep reports whether tx is selected, counting it against the rate limit
// when it is.
func (s *Selection) Keep(tx *Transaction) bool {
	if !s.keep(tx) {
		s.Dropped++
		return false
	}
	return true
}

func (s *Selection) keep(tx *Transaction) bool {
	if s.Host != nil || s.ExcludeHost != nil {
		h := txHost(tx)
		if s.Host != nil && !s.Host.MatchString(h) {
			return false
		}
		if s.ExcludeHost != nil && s.ExcludeHost.MatchString(h) {
			return false
		}
	}
	if s.Path != nil || s.ExcludePath != nil {
		p, ok := txPath(tx)
		if s.Path != nil && (!ok || !s.Path.MatchString(p)) {
			return false
		}
		if s.ExcludePath != nil && ok && s.ExcludePath.MatchString(p) {
			return false
		}
	}
	if s.SampleRate > 0 && s.SampleRate < 1 && !sampled(tx, s.SampleRate) {
		return false
	}
	if s.RateLimit > 0 {
		start, _ := tx.Span()
		m := start.Truncate(time.Minute)
		if !m.Equal(s.minute) {
			s.minute, s.inMin = m, 0
		}
		if s.inMin >= s.RateLimit {
			return false
		}
		s.inMin++
	}
	return true
}

// txHost is the request's Host field without a port, else the server's
// address.
func txHost(tx *Transaction) string {
	if q := tx.Request; q != nil {
		if h := q.Get("Host"); h != "" {
			if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.HasSuffix(h, "]") {
				h = h[:i]
			}
			return h
		}
	}
	return tx.Server.Addr().String()
}

// txPath is the request target without its query, or an absolute-form
// target's path.
func txPath(tx *Transaction) (string, bool) {
	q := tx.Request
	if q == nil {
		return "", false
	}
	p := q.URL
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if i := strings.Index(p, "://"); i >= 0 {
		rest := p[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			p = rest[j:]
		} else {
			p = "/"
		}
	}
	return p, true
}

// sampled hashes the connection's endpoints in a fixed order.
func sampled(tx *Transaction, rate float64) bool {
	a, b := tx.Client.String(), tx.Server.String()
	if b < a {
		a, b = b, a
	}
	h := fnv.New64a()
	h.Write([]byte(a))
	h.Write([]byte{0})
	h.Write([]byte(b))
	return float64(h.Sum64()>>11)/float64(1<<53) < rate
}
