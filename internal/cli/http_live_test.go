package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// TestHTTPLive runs 'wirekit http -i' on a veth pair while a client in a
// network namespace sends two pipelined requests to a Go HTTP server on
// the host side.
func TestHTTPLive(t *testing.T) {
	n := testutil.NewVethNS(t)
	ln, err := net.Listen("tcp", n.HostIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "hello %s", r.URL.Path)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"http", "-i", n.Host, "--jsonl", "tcp", "port", fmt.Sprint(port)}, nil, &out, &errb)
	}()
	waitFor(t, func() bool { return strings.Contains(errb.String(), "listening on") }, "listening")
	script := fmt.Sprintf(`exec 3<>/dev/tcp/%s/%d; printf 'GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >&3; cat <&3 >/dev/null`, n.HostIP, port)
	if b, err := exec.Command("ip", "netns", "exec", n.NS, "bash", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("client: %v: %s", err, b)
	}
	waitFor(t, func() bool { return strings.Count(out.String(), "\n") >= 2 }, "two transactions")
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := nonEmptyLines(out.String())
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), out.String())
	}
	for i, path := range []string{"/one", "/two"} {
		var r struct {
			URL      string `json:"url"`
			Status   int    `json:"status"`
			Response struct {
				ContentBytes int64 `json:"content_bytes"`
				Complete     bool  `json:"complete"`
			} `json:"response"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.URL != path || r.Status != 200 || r.Response.ContentBytes != int64(len("hello "+path)) || !r.Response.Complete {
			t.Errorf("transaction %d: %+v", i, r)
		}
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
