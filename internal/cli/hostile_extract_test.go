package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile inputs for 'wirekit extract' and 'wirekit eve2filter' (issue 14
// item 4): EVE files and pcap-log folders are outside input. Every case
// must end with a clear message and the right exit code, never a panic,
// and never lose an output that could be written.

func TestHostileExtract(t *testing.T) {
	dir := t.TempDir()
	pkts := suriSet(t)
	suricataLogs(t, dir, pkts, 3, 10*time.Second)
	lines := strings.Split(strings.TrimSpace(suriEvents), "\n")
	tcpEv, udpEv := lines[0], lines[1]
	names, _ := filepath.Glob(filepath.Join(dir, "pcap.*"))

	// A set with one file cut in the middle of a packet record.
	damaged := t.TempDir()
	suricataLogs(t, damaged, pkts, 3, 10*time.Second)
	dnames, _ := filepath.Glob(filepath.Join(damaged, "pcap.1.*"))
	if st, err := os.Stat(dnames[0]); err == nil {
		os.Truncate(dnames[0], st.Size()-7)
	}

	// A folder with a garbage file named as a log of another day.
	junk := t.TempDir()
	suricataLogs(t, junk, pkts, 3, 10*time.Second)
	os.WriteFile(filepath.Join(junk, "pcap.1.1800000000"), []byte("not a capture at all, not even close"), 0o644)

	for _, tc := range []struct {
		name     string
		events   string // written to a file; "-" reads stdin from stdinData
		stdin    string
		args     []string // after --event and --dump-pcap
		out      string   // --dump-pcap, relative to the output folder
		code     int
		stderr   []string // each must appear
		written  []string // files that must exist, with their flow
		flows    []string
		absent   []string // files that must not exist
		noOutput bool     // the output folder stays empty
	}{
		{
			name:   "malformed lines are skipped with their line number, the rest extracted",
			events: "not json at all\n" + tcpEv + "\n" + `{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","src_port":99999}` + "\n\x00\xff\xfe\n" + udpEv + "\n" + `{"flow_id":7,` + "\n",
			args:   []string{"--dir-pcap", dir}, out: "f-%f.pcap", code: 0,
			stderr:  []string{"line 1:", "line 3: src_port 99999 is out of range", "line 4:", "line 6:", "(skipped)"},
			written: []string{"f-111.pcap", "f-222.pcap"}, flows: []string{"tcp+tcplate", "udp"},
		},
		{
			name: "binary garbage: no event, exit 1, nothing written", events: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xff",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 1, stderr: []string{"no event with src_ip and dest_ip", "line 1"}, noOutput: true,
		},
		{
			name: "empty event file", events: "",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 1, stderr: []string{"no event"}, noOutput: true,
		},
		{
			name: "events on stdin", events: "-", stdin: tcpEv + "\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 0, written: []string{"x.pcap"}, flows: []string{"tcp+tcplate"},
		},
		{
			name: "several flows and one output name", events: tcpEv + "\n" + udpEv + "\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 2, stderr: []string{"put %f"}, noOutput: true,
		},
		{
			name: "no folder, no capture_file, no files", events: tcpEv + "\n",
			out: "x.pcap", code: 2, stderr: []string{"--dir-pcap DIR"}, noOutput: true,
		},
		{
			name: "folder that does not exist", events: tcpEv + "\n",
			args: []string{"--dir-pcap", filepath.Join(dir, "nope")}, out: "x.pcap", code: 1, stderr: []string{"nope"}, noOutput: true,
		},
		{
			name: "file format that names no file", events: tcpEv + "\n",
			args: []string{"--dir-pcap", dir, "--file-format", "log.%n.%t.pcap"}, out: "x.pcap", code: 1, stderr: []string{`"log.%n.%t.pcap"`}, noOutput: true,
		},
		{
			name: "event with no timestamp", events: `{"flow_id":1,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","src_port":1,"dest_port":2,"proto":"TCP"}` + "\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 1, stderr: []string{"line 1: flow 1: no timestamp"}, noOutput: true,
		},
		{
			name: "unusable events are skipped with their line, the others extracted",
			events: `{"flow_id":1,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","src_port":1,"dest_port":2,"proto":"TCP"}` + "\n" +
				`{"timestamp":"2023-11-14T22:13:30Z","flow_id":2,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"XYZ"}` + "\n" + tcpEv + "\n",
			args: []string{"--dir-pcap", dir}, out: "f-%f.pcap", code: 0,
			stderr:  []string{"line 1: flow 1: no timestamp", "line 2: flow 2: proto \"XYZ\"", "(skipped)"},
			written: []string{"f-111.pcap"}, flows: []string{"tcp+tcplate"}, absent: []string{"f-1.pcap", "f-2.pcap"},
		},
		{
			name: "event with no proto", events: `{"timestamp":"2023-11-14T22:13:30.000000+0000","flow_id":1,"src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}` + "\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 1, stderr: []string{"no proto"}, noOutput: true,
		},
		{
			name: "flow with no packet gets no file, the others are written", events: tcpEv + "\n" + strings.Replace(udpEv, `"src_port":5353`, `"src_port":5354`, 1) + "\n",
			args: []string{"--dir-pcap", dir}, out: "f-%f.pcap", code: 1, stderr: []string{"flow 222", "no packet found", "1 of 2 flows"},
			written: []string{"f-111.pcap"}, flows: []string{"tcp+tcplate"}, absent: []string{"f-222.pcap"},
		},
		{
			name: "damaged capture file: the packets before the damage are used, exit 1", events: udpEv + "\n",
			args: []string{"--dir-pcap", damaged}, out: "x.pcap", code: 1, stderr: []string{"pcap.1.", "packets before the damage"},
		},
		{
			name: "garbage file dated by its name out of the flow's time is never opened", events: udpEv + "\n",
			args: []string{"--dir-pcap", junk}, out: "x.pcap", code: 0, written: []string{"x.pcap"}, flows: []string{"udp"},
		},
		{
			name: "garbage file read for its times is named and makes exit 1, the flow still written", events: udpEv + "\n",
			args: []string{"--dir-pcap", junk, "--file-format", ""}, out: "x.pcap", code: 1, stderr: []string{"pcap.1.1800000000", "(skipped)", "could not be read"},
			written: []string{"x.pcap"}, flows: []string{"udp"},
		},
		{
			name: "negative flow timeout", events: tcpEv + "\n",
			args: []string{"--dir-pcap", dir, "--flow-timeout", "-1s"}, out: "x.pcap", code: 2, stderr: []string{"--flow-timeout"}, noOutput: true,
		},
		{
			name: "output with a compression wirekit cannot write", events: tcpEv + "\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap.bz2", code: 2, stderr: []string{"--dump-pcap"}, noOutput: true,
		},
		{
			name: "pretty-printed event with a bad field names it", events: "{\n \"timestamp\": \"2023-11-14T22:13:30Z\",\n \"src_ip\": \"10.0.0.1\", \"dest_ip\": \"10.0.0.2\",\n \"src_port\": 70000\n}\n",
			args: []string{"--dir-pcap", dir}, out: "x.pcap", code: 1, stderr: []string{"src_port 70000"}, noOutput: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outDir := t.TempDir()
			evPath := "-"
			if tc.events != "-" {
				evPath = filepath.Join(t.TempDir(), "events.json")
				if err := os.WriteFile(evPath, []byte(tc.events), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"extract", "--event", evPath, "--dump-pcap", filepath.Join(outDir, tc.out)}, tc.args...)
			code, _, stderr := run(t, []byte(tc.stdin), args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Fatalf("panic:\n%s", stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for i, w := range tc.written {
				checkFlowFile(t, filepath.Join(outDir, w), pkts, tc.flows[i])
			}
			for _, a := range tc.absent {
				if _, err := os.Stat(filepath.Join(outDir, a)); err == nil {
					t.Errorf("%s written", a)
				}
			}
			if ents, _ := os.ReadDir(outDir); tc.noOutput && len(ents) > 0 {
				t.Errorf("%d files left in the output folder", len(ents))
			}
		})
	}

	t.Run("output that is one of the inputs is refused and the input kept", func(t *testing.T) {
		evPath := filepath.Join(t.TempDir(), "events.json")
		os.WriteFile(evPath, []byte(tcpEv+"\n"), 0o644)
		before, _ := os.ReadFile(names[0])
		code, _, stderr := run(t, nil, "extract", "--event", evPath, "--dump-pcap", names[0], "--dir-pcap", dir)
		if code != 2 {
			t.Fatalf("exit %d, want 2: %s", code, stderr)
		}
		if after, _ := os.ReadFile(names[0]); string(after) != string(before) {
			t.Fatal("input file changed")
		}
	})
}

// TestHostileExtractInterrupted: a signal ends extract with 130/143 and a
// note saying what was written, whether it came while the files' times
// were read or while packets were.
func TestHostileExtractInterrupted(t *testing.T) {
	dir := t.TempDir()
	suricataLogs(t, dir, suriSet(t), 2, 10*time.Second)
	mapFile := filepath.Join(t.TempDir(), "map.json")
	if code, _, stderr := run(t, nil, "map", "--dir-src", dir, "--dump-json", mapFile); code != 0 {
		t.Fatalf("map: %s", stderr)
	}
	evPath := filepath.Join(t.TempDir(), "events.json")
	os.WriteFile(evPath, []byte(suriEvents), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		sig  syscall.Signal
		code int
		note string
	}{
		{"while reading the files' times", []string{"--dir-pcap", dir, "--file-format", ""}, syscall.SIGINT, 130, "extract: interrupted by SIGINT: while reading the capture files' times: no file written"},
		{"while reading packets", []string{"--dump-json", mapFile}, syscall.SIGTERM, 143, "extract: interrupted by SIGTERM: no packet found yet, no file written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			args := append([]string{"extract", "--event", evPath, "--dump-pcap", filepath.Join(out, "%f.pcap")}, tc.args...)
			code := Run(cancelled(tc.sig), args, nil, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.note) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, tc.code, tc.note, stderr.String())
			}
			if ents, _ := os.ReadDir(out); len(ents) > 0 {
				t.Errorf("%d files written", len(ents))
			}
		})
	}
}

func TestHostileEve2Filter(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(suriEvents), "\n")
	for _, tc := range []struct {
		name   string
		in     string
		args   []string
		code   int
		stderr []string
		yaml   string // must appear in the output
	}{
		{"bad lines skipped with their number", "garbage\n" + lines[0] + "\n{\"src_ip\":\"1.2.3\",\"dest_ip\":\"1.2.3.4\"}\n", nil, 0,
			[]string{"line 1:", "line 3:", "1 filters from 1 alerts (2 lines skipped)"}, `"111":`},
		{"no alerts writes an empty map", `{"event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}` + "\n", nil, 0, []string{"0 filters"}, "{}"},
		{"alert without flow_id named by its line", `{"event_type":"alert","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"ICMP"}` + "\n", nil, 0, nil, `"line-1":`},
		{"missing --path-eve", "", []string{"--path-eve", ""}, 2, []string{"--path-eve"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "eve.json")
			os.WriteFile(in, []byte(tc.in), 0o644)
			out := filepath.Join(t.TempDir(), "f.yaml")
			args := append([]string{"eve2filter", "--path-eve", in, "--path-filter", out}, tc.args...)
			code, _, stderr := run(t, nil, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tc.yaml != "" {
				b, _ := os.ReadFile(out)
				if !strings.Contains(string(b), tc.yaml) {
					t.Errorf("YAML lacks %q:\n%s", tc.yaml, b)
				}
			}
		})
	}
}
