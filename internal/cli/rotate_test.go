package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRotate checks -C/-W names and sizes against what tcpdump 4.99.3 wrote
// for the same input ('wirekit gen --packets 6000 --seed 1', then
// 'tcpdump -Z root -r big.pcap -w trace -C 1 [-W N]'): the files are
// byte-identical there, and here their names and sizes must match.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pcap")
	if code, _, stderr := run(t, nil, "gen", "-w", big, "--packets", "6000", "--seed", "1"); code != 0 {
		t.Fatal(stderr)
	}
	tests := []struct {
		name  string
		args  []string
		files map[string]int64
	}{
		{"size only", nil, map[string]int64{"trace": 1000129, "trace1": 1000341, "trace2": 1001266, "trace3": 890035}},
		{"ring of 2", []string{"-W", "2"}, map[string]int64{"trace0": 1001266, "trace1": 890035}},
		{"ring of 3", []string{"-W", "3"}, map[string]int64{"trace0": 890035, "trace1": 1000341, "trace2": 1001266}},
		{"ring of 12", []string{"-W", "12"}, map[string]int64{"trace00": 1000129, "trace01": 1000341, "trace02": 1001266, "trace03": 890035}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "trace")
			args := append([]string{"read", "-r", big, "-w", out, "-C", "1"}, tc.args...)
			if code, _, stderr := run(t, nil, args...); code != 0 {
				t.Fatal(stderr)
			}
			entries, err := os.ReadDir(filepath.Dir(out))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, e := range entries {
				fi, _ := e.Info()
				got[e.Name()] = fi.Size()
			}
			if len(got) != len(tc.files) {
				t.Errorf("files %v, want %v", got, tc.files)
			}
			for name, size := range tc.files {
				if got[name] != size {
					t.Errorf("%s: %d bytes, want %d (all: %v)", name, got[name], size, got)
				}
			}
		})
	}
}

func TestRotateNames(t *testing.T) {
	tests := []struct {
		base  string
		files int
		i     int
		want  string
	}{
		{"trace", 0, 0, "trace"}, {"trace", 0, 3, "trace3"}, {"out.pcap", 0, 2, "out.pcap2"},
		{"out.pcapng.zst", 0, 2, "out2.pcapng.zst"}, {"out.pcap.gz", 10, 13, "out3.pcap.gz"},
		{"t", 100, 7, "t07"}, {"t", 101, 7, "t007"},
	}
	for _, tc := range tests {
		r := &rotator{base: tc.base, files: tc.files}
		if got := r.name(tc.i); got != tc.want {
			t.Errorf("name(%q, -W %d, file %d) = %q, want %q", tc.base, tc.files, tc.i, got, tc.want)
		}
	}
	for _, args := range [][]string{{"-W", "2"}, {"-C", "1"}, {"-C", "-1", "-w", "x"}} {
		code, _, stderr := run(t, nil, append([]string{"read", "-r", "testdata/none.pcap"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "-C") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
