package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/report"
)

func TestPathTemplate(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"numeric id", "/users/42", "/users/{id}"},
		{"two ids", "/users/42/orders/7", "/users/{id}/orders/{id}"},
		{"uuid", "/orders/123e4567-e89b-12d3-a456-426614174000/items", "/orders/{uuid}/items"},
		{"md5 hash with extension", "/assets/d41d8cd98f00b204e9800998ecf8427e.js", "/assets/{hash}.js"},
		{"object id", "/docs/507f1f77bcf86cd799439011", "/docs/{hash}"},
		{"opaque token", "/share/aB3dE5fG7hJ9kL0mN", "/share/{token}"},
		{"query dropped", "/search?q=42&page=3", "/search"},
		{"fragment dropped", "/page#top", "/page"},
		{"absolute URL", "http://example.com/users/9?x=1", "/users/{id}"},
		{"absolute URL without path", "http://example.com", "/"},
		{"words kept", "/api/v1/health", "/api/v1/health"},
		{"short hex word kept", "/cafe/beef", "/cafe/beef"},
		{"long word without digits kept", "/documentation-overview", "/documentation-overview"},
		{"version with extension kept", "/static/app.css", "/static/app.css"},
		{"empty", "", "/"},
		{"root", "/", "/"},
		{"asterisk form", "*", "*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.PathTemplate(tc.in); got != tc.want {
				t.Errorf("PathTemplate(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzPathTemplate(f *testing.F) {
	for _, s := range []string{"/users/42", "/a/123e4567-e89b-12d3-a456-426614174000", "http://x/y?z", "", "/%00/../..", "/.js/.", "//////"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := report.PathTemplate(s)
		if strings.ContainsAny(got, "?#") {
			t.Errorf("PathTemplate(%q) = %q keeps a query or fragment", s, got)
		}
		if again := report.PathTemplate(got); again != got {
			t.Errorf("PathTemplate is not idempotent: %q -> %q -> %q", s, got, again)
		}
		if len(got) > len(s)+8*strings.Count(s, "/")+8 {
			t.Errorf("PathTemplate(%q) = %q grew", s, got)
		}
	})
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p90 of ten is the ninth", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{"p99 of ten is the last", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p100 is the max", ms(1, 5, 9), 100, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.Percentile(tc.in, tc.p); got != tc.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
			}
		})
	}
}
