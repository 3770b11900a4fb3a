package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTTPMidConnectionWarning: an HTTP/2 connection whose capture began
// inside a frame is read from the next frame, and 'http' says so on
// stderr (once per connection) and in the summary.
func TestHTTPMidConnectionWarning(t *testing.T) {
	okResp := func(id uint32, body string) []byte {
		return append(h2Frame(1, 0x4, id, h2Block(":status", "200")), h2Frame(0, 0x1, id, []byte(body))...)
	}
	client := bytes.Join([][]byte{
		h2Frame(8, 0, 0, []byte{0, 1, 0, 0})[4:], // the last 9 bytes of a WINDOW_UPDATE
		h2Req(5, "/a"), h2Req(7, "/b"), h2Req(9, "/c"),
	}, nil)
	server := bytes.Join([][]byte{okResp(3, "three"), okResp(5, "five"), okResp(7, "seven"), okResp(9, "nine")}, nil)
	capf := filepath.Join(t.TempDir(), "mid.pcap")
	writeRawConv(t, capf, "10.0.0.2:8080", client, server)
	code, out, stderr := run(t, nil, "http", "-r", capf)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"warning: connection 0 (10.0.0.1:40000 > 10.0.0.2:8080): HTTP/2 picked up mid-connection: 9 bytes skipped; headers using the lost dynamic table are unknown",
		"1 HTTP/2 connections (1 picked up mid-connection",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q on stderr:\n%s", want, stderr)
		}
	}
	if n := strings.Count(stderr, "warning: connection 0"); n != 1 {
		t.Errorf("%d warnings for connection 0, want 1:\n%s", n, stderr)
	}
	for _, want := range []string{"/a", "/b", "/c", "200"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in output:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d transactions, want 4 (three requests and the response whose request came before the capture):\n%s", n, out)
	}
}
