package capture

import (
	"errors"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/filter"
)

// TestOpenMultiRefuses: lists of names refused before any socket is
// opened, so on every system and without privileges.
func TestOpenMultiRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string
		cfg   *MultiConfig
		want  string
		is    error
	}{
		{"no interface", nil, nil, "no interface named", nil},
		{"same interface twice", []string{"wkx0", "wkx1", "wkx0"}, nil, `"wkx0"`, ErrDuplicateInterface},
		{"any beside another", []string{"wkx0", Any}, nil, "every interface", nil},
		{"empty name", []string{"wkx0", ""}, nil, "empty interface name", nil},
		{"Expr and Filter", []string{"wkx0"}, &MultiConfig{Config: Config{Filter: new(filter.Program)}, Expr: "tcp"}, "not both", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := OpenMulti(tc.names, tc.cfg)
			if err == nil {
				m.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("error %q, want it to contain %q (and match %v)", err, tc.want, tc.is)
			}
		})
	}
}
