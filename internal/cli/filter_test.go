package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilterCompile(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.txt")
	if err := os.WriteFile(rules, []byte("# ssh only\ntcp port 22 # the port\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string // expected in stdout
		err  string // expected in stderr
	}{
		{"d", []string{"filter", "compile", "tcp", "dst", "port", "21"}, 0, "(000) ldh      [12]", ""},
		{"ddd", []string{"filter", "compile", "--format", "ddd", "ip"}, 0, "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", ""},
		{"go", []string{"filter", "compile", "--format", "go", "udp"}, 0, "[]bpf.RawInstruction{", ""},
		{"snaplen", []string{"filter", "compile", "-s", "96", "--format", "ddd", "ip"}, 0, "6 0 0 96\n", ""},
		{"linktype", []string{"filter", "compile", "-y", "LINUX_SLL2", "ip"}, 0, "ldh      [0]", ""},
		{"file", []string{"filter", "compile", "-F", rules, "--format", "dd"}, 0, "{ 0x15, 0, ", ""},
		{"syntax error", []string{"filter", "compile", "tcp", "port"}, 2, "", "syntax error"},
		{"bad linktype", []string{"filter", "compile", "-y", "NOPE", "ip"}, 2, "", "-y NOPE"},
		{"bad format", []string{"filter", "compile", "--format", "x", "ip"}, 2, "", "--format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.out) || !strings.Contains(stderr, tc.err) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, stdout, stderr, tc.out, tc.err)
			}
		})
	}
}
