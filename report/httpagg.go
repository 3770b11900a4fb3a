package report

import (
	"slices"
	"sort"
	"strings"
	"time"

	whttp "github.com/wirekit/wirekit/stream/http"
)

// StatusClasses name HTTPSummary.ByClass's rows: the status classes, and
// "none" for a request that got no response.
var StatusClasses = []string{"1xx", "2xx", "3xx", "4xx", "5xx", "none"}

// HTTPSummary is what the HTTP transactions of a set show: how many began
// in each time bucket by status class, and the latency percentiles per
// host and path template.
type HTTPSummary struct {
	Transactions int64 `json:"transactions"`
	// ByClass[k][b] counts the transactions of class StatusClasses[k]
	// whose request began in bucket b (a response without a request: its
	// first byte). Totals holds the sums per class.
	ByClass [][]int64 `json:"by_class"`
	Totals  []int64   `json:"totals"`
	// Endpoints are the host and path templates of transactions with both
	// a request and a response, most transactions first.
	Endpoints []Endpoint `json:"endpoints"`
	// EndpointsCapped is set when more than maxEndpoints templates were
	// met: the later ones are counted under host "(other)".
	EndpointsCapped bool `json:"endpoints_capped,omitempty"`
}

// Endpoint is one host and path template with the latency of its
// transactions: from the request's first byte to the response's last, as
// 'wirekit http' prints it. Percentiles are nearest-rank over every
// transaction while there are at most maxSamples, over a uniform sample
// of them beyond (Sampled set).
type Endpoint struct {
	Host     string        `json:"host"`
	Path     string        `json:"path"`
	Count    int64         `json:"count"`
	Errors   int64         `json:"errors"` // 5xx responses
	P50      time.Duration `json:"p50"`
	P90      time.Duration `json:"p90"`
	P99      time.Duration `json:"p99"`
	Max      time.Duration `json:"max"`
	Sampled  bool          `json:"sampled,omitempty"`
	samples  []time.Duration
	seen     uint64
	rngState uint64
}

const (
	maxEndpoints = 1000
	maxSamples   = 4096
)

type httpAgg struct {
	s    HTTPSummary
	keys map[[2]string]*Endpoint
}

func newHTTPAgg(n int) *httpAgg {
	a := &httpAgg{keys: map[[2]string]*Endpoint{}}
	a.s.ByClass = make([][]int64, len(StatusClasses))
	for i := range a.s.ByClass {
		a.s.ByClass[i] = make([]int64, n)
	}
	a.s.Totals = make([]int64, len(StatusClasses))
	return a
}

func (a *httpAgg) add(tx *whttp.Transaction, b int) {
	a.s.Transactions++
	k := len(StatusClasses) - 1
	if tx.Response != nil {
		k = min(max(tx.Response.Status/100-1, 0), 4)
	}
	a.s.ByClass[k][b]++
	a.s.Totals[k]++
	if tx.Request == nil || tx.Response == nil {
		return
	}
	host := strings.ToLower(tx.Request.Get("Host"))
	if host == "" {
		host = "-"
	}
	key := [2]string{host, PathTemplate(tx.Request.URL)}
	e := a.keys[key]
	if e == nil {
		if len(a.keys) >= maxEndpoints {
			a.s.EndpointsCapped = true
			key = [2]string{"(other)", "(other)"}
			e = a.keys[key]
		}
		if e == nil {
			e = &Endpoint{Host: key[0], Path: key[1], rngState: uint64(len(a.keys)) + 1}
			a.keys[key] = e
		}
	}
	start, end := tx.Span()
	e.add(end.Sub(start), tx.Response.Status >= 500)
}

func (e *Endpoint) add(d time.Duration, failed bool) {
	e.Count++
	if failed {
		e.Errors++
	}
	e.Max = max(e.Max, d)
	e.seen++
	if len(e.samples) < maxSamples {
		e.samples = append(e.samples, d)
		return
	}
	// Reservoir sampling (algorithm R) with a splitmix64 generator, so the
	// same input gives the same page.
	e.Sampled = true
	e.rngState += 0x9e3779b97f4a7c15
	z := e.rngState
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	if j := z % e.seen; j < maxSamples {
		e.samples[j] = d
	}
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted durations: the smallest value with at least p% of them at or
// below it; 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p / 100 * float64(len(sorted)))
	if float64(rank) < p/100*float64(len(sorted)) {
		rank++
	}
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func (a *httpAgg) summary() *HTTPSummary {
	if a.s.Transactions == 0 {
		return nil
	}
	for _, e := range a.keys {
		slices.Sort(e.samples)
		e.P50, e.P90, e.P99 = Percentile(e.samples, 50), Percentile(e.samples, 90), Percentile(e.samples, 99)
		e.samples = nil
		a.s.Endpoints = append(a.s.Endpoints, *e)
	}
	sort.Slice(a.s.Endpoints, func(i, j int) bool {
		x, y := &a.s.Endpoints[i], &a.s.Endpoints[j]
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		if x.Host != y.Host {
			return x.Host < y.Host
		}
		return x.Path < y.Path
	})
	return &a.s
}

// PathTemplate turns a request target into its path template: the query
// and fragment dropped, the scheme and authority of an absolute URL
// dropped, and each path segment that is an identifier replaced: decimal
// numbers by {id}, UUIDs by {uuid}, hexadecimal strings of 16 digits or
// more (hashes, object ids) by {hash}, with a file extension kept
// ("/assets/{hash}.js"), and other long tokens mixing letters and at
// least three digits by {token}. "/users/42/orders/7" becomes
// "/users/{id}/orders/{id}". An empty target is "/".
func PathTemplate(target string) string {
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			target = rest[j:]
		} else {
			target = "/"
		}
	}
	if target == "" {
		return "/"
	}
	segs := strings.Split(target, "/")
	for i, s := range segs {
		segs[i] = segmentTemplate(s)
	}
	return strings.Join(segs, "/")
}

func segmentTemplate(s string) string {
	if s == "" {
		return s
	}
	base, ext := s, ""
	if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= 6 && isAlpha(s[i+1:]) {
		base, ext = s[:i], s[i:]
	}
	switch {
	case isDigits(base):
		return "{id}" + ext
	case isUUID(base):
		return "{uuid}" + ext
	case len(base) >= 16 && isHex(base):
		return "{hash}" + ext
	case len(base) >= 16 && isToken(base):
		return "{token}" + ext
	}
	return s
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(s[i] >= '0' && s[i] <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// isUUID matches 8-4-4-4-12 hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i : i+1]) {
				return false
			}
		}
	}
	return true
}

// isToken matches letters, digits, '-' and '_' with at least three
// digits: an opaque identifier rather than a word.
func isToken(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c|0x20 >= 'a' && c|0x20 <= 'z', c == '-', c == '_':
		default:
			return false
		}
	}
	return digits >= 3
}
