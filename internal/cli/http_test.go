package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genCapture writes a generated capture of n packets and returns its path.
func genCapture(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gen.pcap")
	if code, _, stderr := run(t, nil, "gen", "-w", p, "--packets", itoa(n), "--seed", "3"); code != 0 {
		t.Fatalf("gen: %s", stderr)
	}
	return p
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestStreamsCmd(t *testing.T) {
	capf := genCapture(t, 5000)
	code, out, stderr := run(t, nil, "streams", "-r", capf)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := nonEmptyLines(out)
	if len(lines) == 0 || !strings.Contains(stderr, itoa(len(lines))+" connections") {
		t.Fatalf("%d lines, stderr %q", len(lines), stderr)
	}
	code, js, _ := run(t, nil, "streams", "-r", capf, "--json")
	if code != 0 {
		t.Fatal("--json failed")
	}
	var total int64
	for _, l := range nonEmptyLines(js) {
		var r connRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		total += r.C2S.Bytes + r.S2C.Bytes
	}
	if len(nonEmptyLines(js)) != len(lines) || total == 0 {
		t.Errorf("--json: %d records (lines %d), %d bytes", len(nonEmptyLines(js)), len(lines), total)
	}
	dir := filepath.Join(t.TempDir(), "flows")
	if code, _, stderr := run(t, nil, "streams", "-r", capf, "--out-dir", dir); code != 0 {
		t.Fatalf("--out-dir: %s", stderr)
	}
	var onDisk int64
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
		fi, _ := e.Info()
		onDisk += fi.Size()
	}
	if onDisk != total {
		t.Errorf("--out-dir holds %d bytes, --json counts %d", onDisk, total)
	}
	code, port80, _ := run(t, nil, "streams", "-r", capf, "tcp", "port", "80")
	if code != 0 || len(nonEmptyLines(port80)) == 0 || len(nonEmptyLines(port80)) >= len(lines) {
		t.Errorf("filter: exit %d, %d of %d connections", code, len(nonEmptyLines(port80)), len(lines))
	}
	for _, l := range nonEmptyLines(port80) {
		if !strings.Contains(l, ":80 ") {
			t.Errorf("filtered line without port 80: %s", l)
		}
	}
	code, fol, _ := run(t, nil, "streams", "-r", capf, "--follow", "ascii", "tcp port 80")
	if code != 0 || !strings.Contains(fol, "Node 0: ") || !strings.Contains(fol, "GET /") {
		t.Errorf("--follow ascii: exit %d", code)
	}
	code, cut, _ := run(t, nil, "streams", "-r", capf, "--follow", "raw", "--follow-max", "3", "tcp port 80")
	if code != 0 || !strings.Contains(cut, "more bytes not shown") || strings.Contains(cut, "474554202f") {
		t.Errorf("--follow-max 3: exit %d, no truncation note or more than 3 bytes shown", code)
	}
	code, raw, _ := run(t, nil, "streams", "-r", capf, "--follow", "raw", "tcp port 80")
	if code != 0 || !strings.Contains(raw, "474554202f") { // "GET /"
		t.Errorf("--follow raw: exit %d", code)
	}
}

func TestHTTPCmd(t *testing.T) {
	capf := genCapture(t, 5000)
	code, out, stderr := run(t, nil, "http", "-r", capf)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := nonEmptyLines(out)
	if len(lines) == 0 || !strings.Contains(lines[0], " GET ") {
		t.Fatalf("lines: %q", lines)
	}
	code, jl, _ := run(t, nil, "http", "-r", capf, "--jsonl")
	if code != 0 || len(nonEmptyLines(jl)) != len(lines) {
		t.Fatalf("--jsonl: exit %d, %d lines, want %d", code, len(nonEmptyLines(jl)), len(lines))
	}
	for _, l := range nonEmptyLines(jl) {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil || r["client"] == nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
	}
	dir := t.TempDir()
	har := filepath.Join(dir, "out.har")
	bodies := filepath.Join(dir, "bodies")
	if code, _, stderr := run(t, nil, "http", "-r", capf, "--har", har, "--bodies", bodies); code != 0 {
		t.Fatalf("--har: %s", stderr)
	}
	b, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Version string           `json:"version"`
			Entries []map[string]any `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Log.Version != "1.2" || len(doc.Log.Entries) != len(lines) {
		t.Fatalf("HAR: %v, version %q, %d entries, want %d", err, doc.Log.Version, len(doc.Log.Entries), len(lines))
	}
	if ents, _ := os.ReadDir(bodies); len(ents) == 0 {
		t.Error("--bodies wrote nothing")
	}
	code, stdoutHAR, _ := run(t, nil, "http", "-r", capf, "--har", "-")
	if code != 0 || !strings.HasPrefix(stdoutHAR, `{"log":{"version":"1.2"`) {
		t.Errorf("--har -: exit %d, %.40q", code, stdoutHAR)
	}
}

func TestHTTPAndStreamsErrors(t *testing.T) {
	capf := genCapture(t, 3000)
	data, _ := os.ReadFile(capf)
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	os.WriteFile(cut, data[:len(data)*2/3+5], 0o644)
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
	}{
		{"http no input", []string{"http"}, 2, "-r FILE"},
		{"streams no input", []string{"streams"}, 2, "-r FILE"},
		{"bad follow", []string{"streams", "-r", capf, "--follow", "ebcdic"}, 2, "--follow"},
		{"follow with json", []string{"streams", "-r", capf, "--follow", "hex", "--json"}, 2, "cannot be combined"},
		{"har stdout with jsonl", []string{"http", "-r", capf, "--har", "-", "--jsonl"}, 2, "--har"},
		{"bad filter", []string{"http", "-r", capf, "tcp", "port", "80", "or"}, 2, "syntax error"},
		{"missing file", []string{"streams", "-r", "/nonexistent/x.pcap"}, 1, "/nonexistent/x.pcap"},
		{"damaged file http", []string{"http", "-r", cut}, 1, "packets before it were processed"},
		{"damaged file streams", []string{"streams", "-r", cut}, 1, "packets before it were processed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderrHas) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tc.code, stderr, tc.stderrHas)
			}
			if strings.HasPrefix(tc.name, "damaged") && len(nonEmptyLines(out)) == 0 {
				t.Error("nothing printed before the damage")
			}
		})
	}
}
