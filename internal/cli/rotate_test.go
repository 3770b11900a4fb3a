package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/pcapio"
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
	// tcpdump -r big.pcap -w 't-%Y' -G 3600 -C 1 -W 3 wrote t-YYYY0 (890035
	// bytes), t-YYYY1 (1000341) and t-YYYY2 (1001266): one period, the -C
	// ring numbered from 0.
	year := strconv.Itoa(time.Now().Year())
	tests = append(tests, struct {
		name  string
		args  []string
		files map[string]int64
	}{"-G with -C and -W", []string{"-G", "3600", "-W", "3"}, map[string]int64{"trace-" + year + "0": 890035, "trace-" + year + "1": 1000341, "trace-" + year + "2": 1001266}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "trace")
			if slices.Contains(tc.args, "-G") {
				out += "-%Y"
			}
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
		{"out.pcap.xz", 0, 2, "out2.pcap.xz"}, {"out.pcapng.lz4", 0, 1, "out1.pcapng.lz4"}, {"trace.gz", 0, 4, "trace4.gz"},
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

// TestStrftime: the conversions match what glibc's strftime printed (via
// 'TZ=UTC date -d @T +FORMAT', coreutils 9.1) for two instants.
func TestStrftime(t *testing.T) {
	tests := []struct {
		format string
		at     int64
		want   string
	}{
		{"%Y-%m-%d_%H:%M:%S", 1700000000, "2023-11-14_22:13:20"},
		{"%Y-%m-%d_%H:%M:%S", 1704153600, "2024-01-02_00:00:00"},
		{"%C %y %e %I %p %j", 1700000000, "20 23 14 10 PM 318"},
		{"%C %y %e %I %p %j", 1704153600, "20 24  2 12 AM 002"},
		{"%a %A %b %h %B %u %w", 1700000000, "Tue Tuesday Nov Nov November 2 2"},
		{"%s %z %Z %F %T %R %D", 1704153600, "1704153600 +0000 UTC 2024-01-02 00:00:00 00:00 01/02/24"},
		{"100%% %", 1700000000, "100% %"},
		{"trace-%Q.pcap", 1700000000, "trace-%Q.pcap"},
	}
	for _, tc := range tests {
		if got := strftime(tc.format, time.Unix(tc.at, 0).UTC()); got != tc.want {
			t.Errorf("strftime(%q, %d) = %q, want %q", tc.format, tc.at, got, tc.want)
		}
	}
}

// TestRotateSeconds drives -G (with -C and -W as tcpdump combines them)
// with a fake clock, a packet per step, and checks which file each packet
// went to.
func TestRotateSeconds(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.pcap")
	if code, _, stderr := run(t, nil, "gen", "-w", src, "--packets", "20", "--seed", "3"); code != 0 {
		t.Fatal(stderr)
	}
	t0 := int64(1700000000) // 22:13:20 UTC
	tests := []struct {
		name     string
		base     string
		limitMB  int
		files    int
		at       []int64 // seconds after t0 each packet comes
		want     map[string]int
		wantDone int // packets written before errRotationDone, -1 for never
	}{
		{"-G 10", "g-%H%M%S.pcap", 0, 0, []int64{0, 5, 9, 10, 25, 26},
			map[string]int{"g-221320.pcap": 3, "g-221330.pcap": 1, "g-221345.pcap": 2}, -1},
		{"-G 10 -W 2 stops after 2 files", "g-%M%S", 0, 2, []int64{0, 1, 12, 13, 30, 31},
			map[string]int{"g-1320": 2, "g-1332": 2}, 4},
		{"-G 10 -C tiny: numbered from 1 in each period", "c-%S.pcap", 1, 0, []int64{0, 0, 0, 10, 10},
			map[string]int{"c-20.pcap": 1, "c-20.pcap1": 1, "c-20.pcap2": 1, "c-30.pcap": 1, "c-30.pcap1": 1}, -1},
		{"-G 10 -C tiny -W 2: ring in each period, 0 first", "w-%S", 1, 2, []int64{0, 0, 0, 10, 10},
			map[string]int{"w-200": 1, "w-201": 1, "w-300": 1, "w-301": 1}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in, err := pcapio.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var clock int64
			var errb strings.Builder
			r, err := newRotator(context.Background(), &env{stderr: &errb}, filepath.Join(dir, tc.base), 0, tc.files, 10)
			if err != nil {
				t.Fatal(err)
			}
			r.now = func() time.Time { return time.Unix(t0+clock, 0) }
			r.loc = time.UTC
			r.period = time.Unix(t0, 0)
			if tc.limitMB > 0 {
				r.limit = 1 // every packet passes it
			}
			written := 0
			for _, at := range tc.at {
				clock = at
				data, ci, err := in.ReadPacketData()
				if err != nil {
					t.Fatal(err)
				}
				if err := r.packet(in, ci, data); err != nil {
					if errors.Is(err, errRotationDone) && written == tc.wantDone {
						break
					}
					t.Fatalf("packet %d: %v", written, err)
				}
				written++
			}
			if err := r.close(); err != nil {
				t.Fatal(err)
			}
			if tc.wantDone >= 0 && !strings.Contains(errb.String(), "Maximum file limit reached: 2") {
				t.Errorf("stderr %q", errb.String())
			}
			got := map[string]int{}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				n, err := pcapio.Open(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				for {
					if _, err := n.NextHeader(); err != nil {
						break
					}
					got[e.Name()]++
				}
				n.Close()
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("files %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzStrftime: any -G file name formats without a panic, and text
// without '%' comes out unchanged.
func FuzzStrftime(f *testing.F) {
	for _, s := range []string{"trace-%Y%m%d-%H%M%S.pcap", "%", "%%%", "a%Qb", "%e%I%p%j%s%z%Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, format string) {
		got := strftime(format, time.Unix(1700000000, 0).UTC())
		if !strings.Contains(format, "%") && got != format {
			t.Fatalf("strftime(%q) = %q", format, got)
		}
	})
}
