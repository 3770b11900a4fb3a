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
		{"optimized", []string{"filter", "compile", "--format", "ddd", "host", "10.0.0.1"}, 0, "14\n40 0 0 12\n21 0 4 2048\n32 0 0 26\n21 8 0 167772161\n", ""},
		{"unoptimized", []string{"filter", "compile", "-O", "--format", "ddd", "host", "10.0.0.1"}, 0, "26\n40 0 0 12\n21 0 2 2048\n32 0 0 26\n21 20 0 167772161\n", ""},
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

func TestFilterMatch(t *testing.T) {
	tcp21 := []string{"filter", "match", "--proto", "tcp", "--src", "127.0.0.1:3345", "--dst", "127.0.0.1:21"}
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"match", append(tcp21, "tcp", "dst", "port", "21"), 0, "match\n", ""},
		{"no match", append(tcp21, "udp"), 1, "no match\n", ""},
		{"ipv6", []string{"filter", "match", "--proto", "udp", "--src", "[2001:db8::1]:5353", "--dst", "[ff02::fb]:5353", "ip6 multicast and udp port 5353"}, 0, "match", ""},
		{"flags", append(append([]string{}, tcp21...), "--tcp-flags", "S", "tcp[tcpflags] = tcp-syn"), 0, "match", ""},
		{"vlan", append(append([]string{}, tcp21...), "--vlan", "7", "vlan 7 and tcp"), 0, "match", ""},
		{"payload length", append(append([]string{}, tcp21...), "--payload", "USER x", "greater 60"), 0, "match", ""},
		{"sll2", append(append([]string{}, tcp21...), "-y", "LINUX_SLL2", "tcp dst port 21"), 0, "match", ""},
		{"bad proto", []string{"filter", "match", "--proto", "gre", "--src", "1.1.1.1:1", "--dst", "1.1.1.1:2", "ip"}, 2, "", "--proto"},
		{"bad src", []string{"filter", "match", "--proto", "tcp", "--src", "1.1.1.1", "--dst", "1.1.1.1:2", "ip"}, 2, "", "--src"},
		{"mixed families", []string{"filter", "match", "--proto", "tcp", "--src", "1.1.1.1:1", "--dst", "[::1]:2", "ip"}, 2, "", "both be IPv4 or both IPv6"},
		{"bad flags", append(append([]string{}, tcp21...), "--tcp-flags", "SX", "tcp"), 2, "", "--tcp-flags"},
		{"no expression", tcp21, 2, "", "expression"},
		{"bad expression", append(tcp21, "tcp", "port"), 2, "", "syntax error"},
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
