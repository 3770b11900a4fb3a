package shard

import (
	"errors"
	"testing"
)

// FuzzParse: a spec either parses to a shard in range or fails with
// ErrBadSpec, never both, never a panic; what parses prints back as
// itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0/4", "3/4", "5/4", "0/0", "-1/3", "a/b", "auto", "auto/8", "", "/", "1/", "/1", "99999999999999999999/1", " 1/2 "} {
		f.Add(s, "3")
	}
	f.Fuzz(func(t *testing.T, spec, idx string) {
		getenv := func(k string) string {
			if k == EnvKubernetes || k == EnvSlurmID || k == EnvSlurmCount {
				return idx
			}
			return ""
		}
		s, err := Parse(spec, getenv)
		if err != nil {
			if !errors.Is(err, ErrBadSpec) || s != (Spec{}) {
				t.Fatalf("Parse(%q) = %v, %v: an error must wrap ErrBadSpec and give no spec", spec, s, err)
			}
			return
		}
		if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
			t.Fatalf("Parse(%q) = %v: out of range", spec, s)
		}
		if back, err := Parse(s.String(), getenv); err != nil || back != s {
			t.Fatalf("Parse(%q) = %v, but its String %q parses to %v, %v", spec, s, s.String(), back, err)
		}
	})
}
