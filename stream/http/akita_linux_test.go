package http_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"

	wcapture "github.com/wirekit/wirekit/capture"
	"github.com/wirekit/wirekit/filter"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// tee is a live capture that also writes every packet it returns to a
// capture file.
type tee struct {
	*wcapture.Handle
	w pcapio.Writer
}

func (t *tee) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := t.Handle.ZeroCopyReadPacketData()
	if err == nil {
		if werr := t.w.WritePacket(ci, data); werr != nil {
			return nil, ci, werr
		}
	}
	return data, ci, err
}

func (t *tee) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := t.ZeroCopyReadPacketData()
	return append([]byte(nil), data...), ci, err
}

// TestAkitaStyleLive is the Akita-style reassembler of issue 13, live, on
// public API only: it captures on the loopback interface (root or
// CAP_NET_RAW), makes real HTTP requests with net/http to a local server,
// and reads the transactions with http.Transactions from the capture while
// they happen. The loop must live through the capture's read timeouts (a
// quiet spell of several timeouts sits between two requests) and end, with
// no error, when the capture is closed from another goroutine. The packets
// it read are also written to a pcap file, whose transactions must be the
// same.
func TestAkitaStyleLive(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root (or CAP_NET_RAW) to capture on lo; CI runs as root")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, body)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	lt, err := wcapture.LinkTypeOf("lo")
	if err != nil {
		t.Skipf("no loopback interface to capture on: %v", err)
	}
	prog, err := filter.Compile(fmt.Sprintf("tcp port %d", port), lt, 262144)
	if err != nil {
		t.Fatal(err)
	}
	h, err := wcapture.Open("lo", &wcapture.Config{Filter: prog, ReadTimeout: 50 * time.Millisecond})
	if errors.Is(err, os.ErrPermission) {
		t.Skipf("cannot capture: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is sent yet: the first read times out, and that timeout must
	// be one the loop can recognise (the capture package's side of the
	// contract, issue 13 item 13).
	if _, _, err := h.ZeroCopyReadPacketData(); !stream.IsTimeout(err) {
		h.Close()
		t.Fatalf("the capture's read timeout is %v (%T), not an error with Timeout() true (issue 13 item 13)", err, err)
	}

	path := filepath.Join(t.TempDir(), "live.pcap")
	fw, err := pcapio.Create(path, h.Interfaces(), nil)
	if err != nil {
		t.Fatal(err)
	}
	src := &tee{Handle: h, w: fw}

	type result struct {
		line string
		err  error
	}
	results := make(chan result, 16)
	go func() {
		defer close(results)
		for tx, err := range whttp.Transactions(src, &whttp.Config{KeepBodies: true}) {
			if err != nil {
				results <- result{err: err}
				return
			}
			results <- result{line: txLine(tx)}
		}
	}()
	next := func() string {
		t.Helper()
		select {
		case r, ok := <-results:
			if !ok {
				t.Fatal("the transaction loop ended early")
			}
			if r.err != nil {
				t.Fatalf("the transaction loop ended with %v", r.err)
			}
			return r.line
		case <-time.After(10 * time.Second):
			t.Fatal("no transaction within 10 s")
		}
		return ""
	}

	client := srv.Client() // keep-alive: the requests share a connection
	do := func(method, path, body string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	var got []string
	do("GET", "/first", "")
	got = append(got, next())
	do("POST", "/second", "ping")
	got = append(got, next())
	time.Sleep(300 * time.Millisecond) // about six read timeouts of quiet
	do("GET", "/after-quiet", "")
	got = append(got, next())

	go func() {
		time.Sleep(50 * time.Millisecond)
		h.Close()
	}()
	select {
	case r, ok := <-results:
		if ok {
			t.Errorf("after Close: %+v, want the loop to end with no error", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the transaction loop did not end within 5 s of Close")
	}
	want := []string{
		`GET /first -> 200 "GET /first "`,
		`POST /second "ping" -> 200 "POST /second ping"`,
		`GET /after-quiet -> 200 "GET /after-quiet "`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("live transactions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The same traffic from the file the tee wrote.
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := pcapio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var fromFile []string
	for tx, err := range whttp.Transactions(r, &whttp.Config{KeepBodies: true}) {
		if err != nil {
			t.Fatal(err)
		}
		fromFile = append(fromFile, txLine(tx))
	}
	if strings.Join(fromFile, "\n") != strings.Join(want, "\n") {
		t.Errorf("transactions from the file the capture wrote:\n%s\nwant:\n%s", strings.Join(fromFile, "\n"), strings.Join(want, "\n"))
	}
}
