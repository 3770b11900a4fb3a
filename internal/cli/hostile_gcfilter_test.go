package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// Hostile inputs for 'wirekit filter --yaml' (issue 14): bad filter files,
// flags, inputs and outputs. Each must give a clear error naming what is
// wrong, never a panic, and never lose packets already filtered. Keep them
// here so that they cannot come back.

func TestHostileGCFilterUsage(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcap")
	gcWrite(t, in, layers.LinkTypeEthernet, gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2))
	good := gcWriteFile(t, filepath.Join(dir, "good.yml"), "f:\n  conditions:\n    - kind: port\n      match: [2/tcp]\n")
	yaml := func(name, text string) string { return gcWriteFile(t, filepath.Join(dir, name), text) }
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no --yaml but batch flags", []string{"filter", "--output", out, in}, "--yaml FILTERS is needed"},
		{"--yaml file missing", []string{"filter", "--yaml", filepath.Join(dir, "none.yml"), "--output", out, in}, "none.yml"},
		{"--yaml not YAML", []string{"filter", "--yaml", yaml("bad.yml", "f: [\n"), "--output", out, in}, "bad.yml"},
		{"--yaml unknown kind", []string{"filter", "--yaml", yaml("kind.yml", "web:\n  conditions:\n    - kind: host\n      match: [1.2.3.4]\n"), "--output", out, in}, `filter "web": condition 1: kind host: "1.2.3.4": unknown kind`},
		{"--yaml bpf that does not compile", []string{"filter", "--yaml", yaml("bpf.yml", "web:\n  conditions:\n    - kind: bpf\n      match: [\"tcp port\"]\n"), "--output", out, in}, `filter "web"`},
		{"--yaml asn without database", []string{"filter", "--yaml", yaml("asn.yml", "a:\n  conditions:\n    - kind: asn\n      match: [\"64512\"]\n"), "--output", out, in}, "--maxmind-asn"},
		{"--yaml filter name escapes the output", []string{"filter", "--yaml", yaml("esc.yml", "../../etc:\n  conditions:\n    - kind: port\n      match: [\"1\"]\n"), "--output", out, in}, "must not contain /"},
		{"--maxmind-asn not a database", []string{"filter", "--yaml", good, "--maxmind-asn", in, "--output", out, in}, "maxmind ASN database " + in},
		{"no --output", []string{"filter", "--yaml", good, in}, "--output DIR is needed"},
		{"no inputs", []string{"filter", "--yaml", good, "--output", out}, "no inputs"},
		{"--workers 0", []string{"filter", "--yaml", good, "--output", out, "--workers", "0", in}, "--workers 0"},
		{"--workers huge", []string{"filter", "--yaml", good, "--output", out, "--workers", "100000", in}, "--workers 100000"},
		{"--decap-depth above the maximum", []string{"filter", "--yaml", good, "--output", out, "--decap", "--decap-depth", "9", in}, "--decap-depth 9"},
		{"--decap-depth below -1", []string{"filter", "--yaml", good, "--output", out, "--decap-depth", "-2", in}, "--decap-depth -2"},
		{"--compress bz2", []string{"filter", "--yaml", good, "--output", out, "--compress=bz2", in}, `--compress "bz2"`},
		{"--dump-json with --input", []string{"filter", "--yaml", good, "--output", out, "--dump-json", in, "--input", dir}, "not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want 2 and %q\nstdout: %s\nstderr: %s", code, tc.want, stdout, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was created", out)
				os.RemoveAll(out)
			}
		})
	}
}

// TestHostileGCFilterOutputNames: two inputs in different folders with the
// same name would write the same output; GopherCap overwrote one with the
// other. wirekit refuses before writing anything.
func TestHostileGCFilterOutputNames(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"x", "y"} {
		os.MkdirAll(filepath.Join(dir, "in", sub), 0o755)
		gcWrite(t, filepath.Join(dir, "in", sub, "same.pcap"), layers.LinkTypeEthernet, gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2))
	}
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "f:\n  conditions:\n    - kind: port\n      match: [\"2\"]\n")
	out := filepath.Join(dir, "out")
	code, _, stderr := run(t, nil, "filter", "--yaml", yml, "--input", filepath.Join(dir, "in"), "--output", out)
	if code != 2 || !strings.Contains(stderr, "would both write same.pcap") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created", out)
	}
}

// TestHostileGCFilterBadInputs: a damaged or non-capture input is reported
// by name and the others are still filtered; the packets read from a
// damaged file before the fault are kept, in a valid capture.
func TestHostileGCFilterBadInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	p := gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2)
	gcWrite(t, filepath.Join(in, "good.pcap"), layers.LinkTypeEthernet, p, p)
	cut := filepath.Join(in, "cut.pcap")
	gcWrite(t, cut, layers.LinkTypeEthernet, p, p, p)
	data, _ := os.ReadFile(cut)
	os.WriteFile(cut, data[:len(data)-10], 0o644)
	gcWriteFile(t, filepath.Join(in, "text.pcap"), "this is not a capture file\n")
	os.WriteFile(filepath.Join(in, "empty.pcap"), nil, 0o644)
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "f:\n  conditions:\n    - kind: port\n      match: [\"2/tcp\"]\n")
	out := filepath.Join(dir, "out")
	code, stdout, stderr := run(t, nil, "filter", "--yaml", yml, "--input", in, "--output", out)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{cut + ": offset", "(the 2 packets before it were filtered)", filepath.Join(in, "text.pcap") + ": offset 0", filepath.Join(in, "empty.pcap"), "(file skipped)", "3 of 4 files failed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "f: 2 files, 4 of 4 packets") {
		t.Errorf("summary:\n%s", stdout)
	}
	for name, n := range map[string]int{"good.pcap": 2, "cut.pcap": 2} {
		if got := gcRead(t, filepath.Join(out, "f", name)); len(got) != n {
			t.Errorf("%s: %d packets, want %d", name, len(got), n)
		}
	}
	for _, name := range []string{"text.pcap", "empty.pcap"} {
		if _, err := os.Stat(filepath.Join(out, "f", name)); err == nil {
			t.Errorf("%s: output written for an input that is not a capture", name)
		}
	}
}

// TestHostileGCFilterOutputIsAFile: --output naming a file, or a filter's
// folder being a file, is an error naming it, not a panic.
func TestHostileGCFilterOutputIsAFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcap")
	gcWrite(t, in, layers.LinkTypeEthernet, gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2))
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "f:\n  conditions:\n    - kind: port\n      match: [\"2/tcp\"]\n")
	code, _, stderr := run(t, nil, "filter", "--yaml", yml, "--output", in, in)
	if code != 1 || !strings.Contains(stderr, in) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if got := gcRead(t, in); len(got) != 1 {
		t.Errorf("the input was changed: %d packets", len(got))
	}
}

// TestHostileGCFilterInterrupted: a signal stops the batch with 130 or
// 143, and every output already started is a valid capture.
func TestHostileGCFilterInterrupted(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcap")
	gcWrite(t, in, layers.LinkTypeEthernet, gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2))
	yml := gcWriteFile(t, filepath.Join(dir, "f.yml"), "f:\n  conditions:\n    - kind: port\n      match: [\"2/tcp\"]\n")
	out := filepath.Join(dir, "out")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		var stdout, stderr strings.Builder
		code := Run(cancelled(sig), []string{"filter", "--yaml", yml, "--output", out, in}, nil, &stdout, &stderr)
		if code != 128+int(sig) || !strings.Contains(stderr.String(), "filter: interrupted by") {
			t.Errorf("%v: exit %d\n%s", sig, code, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(out, "f", "in.pcap")); err == nil {
			gcRead(t, filepath.Join(out, "f", "in.pcap"))
		}
	}
}

// TestHostileGCFilterOutputInsideInput: with --output inside --input, a
// second run took the first run's outputs as inputs (and then refused
// the colliding names). They are left out now.
func TestHostileGCFilterOutputInsideInput(t *testing.T) {
	dir := t.TempDir()
	gcWrite(t, filepath.Join(dir, "a.pcap"), layers.LinkTypeEthernet, gcTCP4(t, "10.0.0.1", "10.0.0.2", 1, 2))
	yml := gcWriteFile(t, filepath.Join(t.TempDir(), "f.yml"), "f:\n  conditions:\n    - kind: port\n      match: [\"2/tcp\"]\n")
	out := filepath.Join(dir, "out")
	for run1 := range 2 {
		code, stdout, stderr := run(t, nil, "filter", "--yaml", yml, "--input", dir, "--output", out)
		if code != 0 || !strings.Contains(stdout, "f: 1 files, 1 of 1 packets") {
			t.Fatalf("run %d: exit %d\n%s%s", run1+1, code, stdout, stderr)
		}
	}
}
