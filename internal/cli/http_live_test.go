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

// TestHTTPLiveTwoInterfaces runs one 'wirekit http -i A -i B' over two
// veth pairs, with a Go HTTP server on the host side of each and a client
// in each namespace: the transactions of both come out of the one run.
func TestHTTPLiveTwoInterfaces(t *testing.T) {
	type side struct {
		n    *testutil.VethNS
		port int
	}
	var sides []side
	for range 2 {
		n := testutil.NewVethNS(t)
		ln, err := net.Listen("tcp", n.HostIP+":0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "hello %s", r.URL.Path)
		})}
		go srv.Serve(ln)
		defer srv.Close()
		sides = append(sides, side{n, ln.Addr().(*net.TCPAddr).Port})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"http", "-i", sides[0].n.Host, "-i", sides[1].n.Host, "--jsonl", "tcp"}, nil, &out, &errb)
	}()
	waitFor(t, func() bool { return strings.Count(errb.String(), "listening on") == 2 }, "listening on both")
	for i, s := range sides {
		script := fmt.Sprintf(`exec 3<>/dev/tcp/%s/%d; printf 'GET /if%d-a HTTP/1.1\r\nHost: t\r\n\r\nGET /if%d-b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >&3; cat <&3 >/dev/null`, s.n.HostIP, s.port, i, i)
		if b, err := exec.Command("ip", "netns", "exec", s.n.NS, "bash", "-c", script).CombinedOutput(); err != nil {
			t.Fatalf("client %d: %v: %s", i, err, b)
		}
	}
	waitFor(t, func() bool { return strings.Count(out.String(), "\n") >= 4 }, "four transactions")
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var urls []string
	for _, l := range nonEmptyLines(out.String()) {
		var r struct {
			URL    string `json:"url"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Status != 200 {
			t.Errorf("%s: status %d", r.URL, r.Status)
		}
		urls = append(urls, r.URL)
	}
	if got := strings.Join(urls, " "); got != "/if0-a /if0-b /if1-a /if1-b" {
		t.Errorf("transactions %q, want /if0-a /if0-b /if1-a /if1-b", got)
	}
}

// TestLiveInterfaceErrors: -i names that the live commands refuse, each
// error naming the interface.
func TestLiveInterfaceErrors(t *testing.T) {
	n := testutil.NewVethNS(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"http same interface twice", []string{"http", "-i", n.Host, "-i", n.Host}, n.Host + " given twice"},
		{"streams interface that does not exist", []string{"streams", "-i", n.Host, "-i", "wknosuch0"}, `"wknosuch0"`},
		{"flows any with others", []string{"flows", "-i", "any", "-i", n.Host}, "give it alone"},
		{"http bad filter on two", []string{"http", "-i", n.Host, "-i", "lo", "tcp", "port"}, "filter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb syncBuffer
			code := Run(context.Background(), tc.args, nil, &out, &errb)
			if code == 0 || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want an error containing %q", code, errb.String(), tc.want)
			}
		})
	}
}
