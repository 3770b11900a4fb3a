package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestFlows runs 'wirekit flows' on the demo capture in each output form,
// with a filter, from stdin, and with bad flags.
func TestFlows(t *testing.T) {
	demo := demoPath(t)
	data, err := os.ReadFile(demo)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		stdin []byte
		args  []string
		code  int
		check func(t *testing.T, out, errs string)
	}{
		{"table has a header and one line per conversation", nil, []string{"flows", "-r", demo}, 0,
			func(t *testing.T, out, errs string) {
				lines := strings.Split(strings.TrimSpace(out), "\n")
				if !strings.HasPrefix(lines[0], "ts ") || len(lines) < 10 {
					t.Errorf("want a header and conversations, got %d lines: %.200s", len(lines), out)
				}
				if !strings.Contains(errs, "300 packets") {
					t.Errorf("summary %q does not count 300 packets", errs)
				}
			}},
		{"zeek has the header lines, the fields and #close", nil, []string{"flows", "-r", demo, "--zeek"}, 0,
			func(t *testing.T, out, errs string) {
				for _, want := range []string{"#separator \\x09\n", "#fields\tts\tuid\tid.orig_h\tid.orig_p", "#types\ttime\tstring\taddr\tport", "\n#close\t"} {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q", want)
					}
				}
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					if !strings.HasPrefix(l, "#") && strings.Count(l, "\t") != 26 {
						t.Errorf("line has %d tabs, want 26: %q", strings.Count(l, "\t"), l)
						break
					}
				}
			}},
		{"json lines parse, with Zeek's names", nil, []string{"flows", "-r", demo, "--json", "--frame-bytes"}, 0,
			func(t *testing.T, out, errs string) {
				n := 0
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					var m map[string]any
					if err := json.Unmarshal([]byte(l), &m); err != nil {
						t.Fatalf("line %q: %v", l, err)
					}
					for _, k := range []string{"ts", "uid", "proto", "conn_state", "orig_pkts", "orig_frame_bytes"} {
						if _, ok := m[k]; !ok {
							t.Errorf("line lacks %q: %s", k, l)
						}
					}
					n++
				}
				if n < 10 {
					t.Errorf("%d records", n)
				}
			}},
		{"a filter keeps only its conversations", nil, []string{"flows", "-r", demo, "--json", "udp port 53"}, 0,
			func(t *testing.T, out, errs string) {
				for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
					if !strings.Contains(l, `"id.resp_p":53`) {
						t.Errorf("record not on port 53: %s", l)
					}
				}
			}},
		{"stdin reads as a file", data, []string{"flows", "-r", "-", "--json"}, 0,
			func(t *testing.T, out, errs string) {
				if strings.Count(out, "\n") < 10 {
					t.Errorf("few records from stdin: %q", out)
				}
			}},
		{"--decap counts the conversations inside tunnels", nil, []string{"flows", "-r", filepath.Join(testutil.RepoRoot(t), "decode", "testdata", "tunnels.pcap"), "--decap"}, 0,
			func(t *testing.T, out, errs string) {
				if !strings.Contains(out, "icmp  192.168.1.1:8") || !strings.Contains(errs, "decap: 22 of 35 packets were tunnelled") {
					t.Errorf("no inner ICMP conversation or no decap summary:\n%s\n%s", out, errs)
				}
				if !strings.Contains(out, "ip/47 10.0.0.1 ") {
					t.Errorf("the GRE left in place is not printed as an address pair:\n%s", out)
				}
			}},
		{"--zeek and --json together are refused", nil, []string{"flows", "-r", demo, "--zeek", "--json"}, 2, nil},
		{"a zero timeout is refused", nil, []string{"flows", "-r", demo, "--udp-timeout", "0s"}, 2, nil},
		{"no input is refused", nil, []string{"flows"}, 2, nil},
		{"a missing file names it", nil, []string{"flows", "-r", "/nonexistent.pcap"}, 1,
			func(t *testing.T, out, errs string) {
				if !strings.Contains(errs, "/nonexistent.pcap") {
					t.Errorf("error %q does not name the file", errs)
				}
			}},
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		name  string
		stdin []byte
		args  []string
		code  int
		check func(t *testing.T, out, errs string)
	}{"a damaged file gives the records so far, then the file and offset", nil, []string{"flows", "-r", cut, "--json"}, 1,
		func(t *testing.T, out, errs string) {
			if strings.Count(out, "\n") == 0 {
				t.Errorf("no records before the damage")
			}
			if !strings.Contains(errs, cut) || !strings.Contains(errs, "offset") {
				t.Errorf("error does not name the file and offset: %s", errs)
			}
		}})
	for _, tc := range cases {
		code, out, errs := run(t, tc.stdin, tc.args...)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tc.name, code, tc.code, errs)
			continue
		}
		if tc.check != nil {
			t.Run(tc.name, func(t *testing.T) { tc.check(t, out, errs) })
		}
	}
}
