package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/wirekit/wirekit/internal/osenv"
)

// limitedRun is what a child run under a lowered file limit reports.
type limitedRun struct {
	Code           int
	Stdout, Stderr string
}

// runLimited runs the CLI with args in a child process (this test binary
// again) whose limit on open files (RLIMIT_NOFILE) leaves extra
// descriptors free; with extra < 0 the child also takes every descriptor
// left, so that no file can be opened.
func runLimited(t *testing.T, extra int, args ...string) (int, string, string) {
	t.Helper()
	enc, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLimitedChild$")
	cmd.Env = append(os.Environ(), "WIREKIT_LIMITED_ARGS="+string(enc), fmt.Sprintf("WIREKIT_LIMITED_EXTRA=%d", extra))
	out, err := cmd.Output()
	_, res, ok := strings.Cut(string(out), "LIMITED:")
	if !ok {
		t.Fatalf("child: %v\n%s", err, out)
	}
	res, _, _ = strings.Cut(res, "\n")
	var r limitedRun
	if err := json.Unmarshal([]byte(res), &r); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return r.Code, r.Stdout, r.Stderr
}

// TestLimitedChild is the child of runLimited; it does nothing in a normal
// test run.
func TestLimitedChild(t *testing.T) {
	argsJSON := os.Getenv("WIREKIT_LIMITED_ARGS")
	if argsJSON == "" {
		t.Skip("only runs as the child of runLimited")
	}
	var args []string
	if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
		t.Fatal(err)
	}
	var extra int
	fmt.Sscan(os.Getenv("WIREKIT_LIMITED_EXTRA"), &extra)
	free, limit, ok := osenv.Headroom()
	if !ok {
		t.Fatal("cannot count open files")
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	rl.Cur = uint64(limit - free + max(extra, 4))
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	if extra < 0 {
		for {
			f, err := os.Open(os.DevNull)
			if err != nil {
				break
			}
			defer f.Close()
		}
	}
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, nil, &stdout, &stderr)
	res, _ := json.Marshal(limitedRun{code, stdout.String(), stderr.String()})
	fmt.Printf("LIMITED:%s\n", res)
}
