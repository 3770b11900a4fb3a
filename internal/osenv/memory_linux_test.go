package osenv

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestCgroupLimit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text string
		want       int64
		ok         bool
	}{
		{"bytes", "4294967296\n", 4294967296, true},
		{"no limit", "max\n", 0, false},
		{"garbage", "lots", 0, false},
		{"zero", "0", 0, false},
		{"missing file", "", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if tc.name != "missing file" {
				os.WriteFile(p, []byte(tc.text), 0o644)
			}
			n, ok := cgroupLimit(p)
			if n != tc.want || ok != tc.ok {
				t.Errorf("cgroupLimit(%q) = %d, %v; want %d, %v", tc.text, n, ok, tc.want, tc.ok)
			}
		})
	}
}

// TuneGC sets GOGC=400 and a soft limit at half the memory available,
// and leaves both alone when the environment sets GOGC or GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	})
	mem, ok := MemoryAvailable()
	if !ok || mem < 1<<20 {
		t.Fatalf("MemoryAvailable() = %d, %v on Linux", mem, ok)
	}
	for _, tc := range []struct {
		name, env, val string
		tuned          bool
	}{
		{"nothing set", "", "", true},
		{"GOGC set", "GOGC", "100", false},
		{"GOMEMLIMIT set", "GOMEMLIMIT", "1GiB", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			if tc.env != "" {
				t.Setenv(tc.env, tc.val)
			}
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 62)
			if got := TuneGC(); got != tc.tuned {
				t.Fatalf("TuneGC() = %v, want %v", got, tc.tuned)
			}
			percent := debug.SetGCPercent(100)
			limit := debug.SetMemoryLimit(-1)
			switch {
			case tc.tuned && (percent != 400 || limit != mem/2):
				t.Errorf("GOGC %d, limit %d; want 400 and %d", percent, limit, mem/2)
			case !tc.tuned && (percent != 100 || limit != 1<<62):
				t.Errorf("changed with %s set: GOGC %d, limit %d", tc.env, percent, limit)
			}
		})
	}
}
