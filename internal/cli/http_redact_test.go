package cli

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// secretCapture writes a capture of one keep-alive connection whose
// requests and responses carry the returned secrets in every place
// redaction covers: header fields, query parameters, JSON and form bodies,
// card numbers and bearer tokens in text, a gzip-coded body and a body in
// a coding wirekit cannot undo.
func secretCapture(t *testing.T) (string, []string) {
	t.Helper()
	secrets := []string{"SECRETBEARER0001x", "SECRETCOOKIE0002", "SECRETSETCOOKIE03", "SECRETAPIKEY0004",
		"SECRETQUERYPW05", "SECRETQTOKEN06", "SECRETJSONPW07", "4111111111111111", "SECRETFORMPW08",
		"5500 0000 0000 0004", "SECRETBODYTOKEN09", "SECRETGZIPTOK10", "SECRETUNKNOWN11", "SECRETCFGHDR12", "SECRETCFGPAT-9z"}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"ok":true,"access_token":"SECRETGZIPTOK10"}`))
	zw.Close()
	jsonBody := `{"user":"bob","password":"SECRETJSONPW07","card":"4111111111111111"}`
	formBody := "user=bob&pwd=SECRETFORMPW08"
	textBody := "paid with 5500 0000 0000 0004, use Bearer SECRETBODYTOKEN09 next time; ref SECRETCFGPAT-9z"
	msgs := []string{
		"GET /login?user=bob&password=SECRETQUERYPW05&token=SECRETQTOKEN06 HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer SECRETBEARER0001x\r\nCookie: session=SECRETCOOKIE0002; theme=dark\r\nX-Api-Key: SECRETAPIKEY0004\r\nX-Corp-Header: SECRETCFGHDR12\r\n\r\n",
		"HTTP/1.1 200 OK\r\nSet-Cookie: id=SECRETSETCOOKIE03; Path=/; HttpOnly\r\nContent-Length: 2\r\n\r\nok",
		fmt.Sprintf("POST /api/users HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(jsonBody), jsonBody),
		fmt.Sprintf("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", len(textBody), textBody),
		fmt.Sprintf("POST /form HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(formBody), formBody),
		fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", gz.Len(), gz.String()),
		"GET /blob HTTP/1.1\r\nHost: api.example\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Encoding: x-custom\r\nContent-Length: 15\r\n\r\nSECRETUNKNOWN11",
	}
	c := testutil.NewTCPConv("10.0.0.1:40000", "10.0.0.2:80", time.Unix(1700000000, 0))
	for i, m := range msgs {
		c.Send(i%2 == 0, []byte(m))
	}
	c.Close()
	path := filepath.Join(t.TempDir(), "secrets.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcapio.NewPcapWriter(f, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range c.Frames {
		w.WritePacket(fr.CI, fr.Data)
	}
	w.Close()
	f.Close()
	return path, secrets
}

// TestHTTPRedactEveryOutput sends known secrets in every place --redact
// covers and finds none of them, byte for byte, in any output: summary
// lines, JSON Lines, HAR and saved bodies. Without --redact each secret is
// in some output, so the test sees them when they leak.
func TestHTTPRedactEveryOutput(t *testing.T) {
	capf, secrets := secretCapture(t)
	cfg := filepath.Join(t.TempDir(), "redact.yaml")
	os.WriteFile(cfg, []byte("headers: [X-Corp-Header]\npatterns: ['SECRETCFGPAT-[0-9a-z]+']\n"), 0o644)
	outputs := func(redact bool) string {
		dir := t.TempDir()
		var all strings.Builder
		extra := []string{}
		if redact {
			extra = []string{"--redact", "--redact-config", cfg}
		}
		for _, mode := range [][]string{nil, {"--jsonl"}, {"--har", filepath.Join(dir, "out.har")}, {"--bodies", filepath.Join(dir, "bodies")}} {
			args := append(append([]string{"http", "-r", capf}, mode...), extra...)
			code, out, stderr := run(t, nil, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			all.WriteString(out)
			all.WriteString(stderr)
		}
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				b, _ := os.ReadFile(p)
				all.Write(b)
			}
			return nil
		})
		return all.String()
	}
	plain := outputs(false)
	for _, s := range secrets {
		if !strings.Contains(plain, s) {
			t.Errorf("without --redact, %q is in no output: the test does not exercise it", s)
		}
	}
	red := outputs(true)
	for _, s := range secrets {
		if strings.Contains(red, s) {
			i := strings.Index(red, s)
			t.Errorf("with --redact, %q leaks: ...%s...", s, red[max(0, i-80):min(len(red), i+len(s)+20)])
		}
	}
	if !strings.Contains(red, "<redacted:") {
		t.Errorf("no <redacted:N> marker in the redacted outputs")
	}
	for _, keep := range []string{"api.example", "/login", "user=bob", "theme="} {
		if !strings.Contains(red, keep) {
			t.Errorf("redaction removed %q, which is not a secret", keep)
		}
	}
}

func TestHTTPSelectionFlags(t *testing.T) {
	capf, _ := secretCapture(t)
	for _, tc := range []struct {
		name  string
		args  []string
		lines int
		err   string
	}{
		{"path include", []string{"--path", "^/(login|form)$"}, 2, ""},
		{"path exclude", []string{"--exclude-path", "^/blob"}, 3, ""},
		{"host exclude", []string{"--exclude-host", `^api\.example$`}, 0, ""},
		{"rate limit", []string{"--rate-limit", "1"}, 1, ""},
		{"bad regexp", []string{"--host", "("}, 0, `--host "("`},
		{"bad sample rate", []string{"--sample-rate", "0"}, 0, "--sample-rate 0"},
		{"config without redact", []string{"--redact-config", "x.yaml"}, 0, "--redact-config needs --redact"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, nil, append([]string{"http", "-r", capf}, tc.args...)...)
			if tc.err != "" {
				if code == 0 || !strings.Contains(stderr, tc.err) {
					t.Errorf("exit %d, stderr %q, want an error with %q", code, stderr, tc.err)
				}
				return
			}
			if code != 0 || len(nonEmptyLines(out)) != tc.lines {
				t.Errorf("exit %d, %d lines, want %d: %s%s", code, len(nonEmptyLines(out)), tc.lines, out, stderr)
			}
		})
	}
}
