package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirekit/wirekit/internal/testutil"
)

// kuGoldenUpd is scripts/gen-keyupdate-golden.sh's -cli.keyupdate:
// TestHTTPKeyUpdateOpenSSL writes its capture, key log and expected facts
// to tlsdecrypt/testdata/keyupdate (kuGoldenDir).
var kuGoldenUpd = flag.Bool("cli.keyupdate", false, "TestHTTPKeyUpdateOpenSSL rewrites tlsdecrypt/testdata/keyupdate (needs tshark)")

// kuExchange is one HTTP/1.1 request and response of
// TestHTTPKeyUpdateOpenSSL, and the s_client and s_server commands ('k':
// KeyUpdate, 'K': KeyUpdate asking the peer to update too) given before
// the request and before the response, and in the middle of the
// request's and the response's body.
type kuExchange struct {
	method, path         string
	client, server       string // commands, one letter each
	clientMid, serverMid string
	reqBody, respLen     int
}

// kuPlan: requests and responses before and after KeyUpdates of each side,
// one asking the peer to update (which answers before its next record),
// three in a row from each side; requests and responses of several records
// (both sides send records of at most 1024 bytes).
var kuPlan = []kuExchange{
	{method: "GET", path: "/before-any-update", respLen: 300},
	{method: "GET", path: "/after-client-update", client: "k", respLen: 500},
	{method: "GET", path: "/response-after-server-update", server: "k", respLen: 700},
	{method: "POST", path: "/after-client-update-requested", client: "K", reqBody: 400, respLen: 900},
	{method: "GET", path: "/response-after-server-update-requested", server: "K", respLen: 1100},
	{method: "GET", path: "/after-client-answered", respLen: 200},
	{method: "POST", path: "/after-three-client-updates", client: "kkk", reqBody: 3000, respLen: 1300},
	{method: "GET", path: "/response-after-three-server-updates", server: "kkk", respLen: 6000},
	{method: "POST", path: "/client-update-inside-request-body", clientMid: "k", reqBody: 2000, respLen: 300},
	{method: "GET", path: "/server-update-inside-response-body", serverMid: "k", respLen: 3000},
	{method: "GET", path: "/last", respLen: 100},
}

// kuBody is a body of n bytes of digits and newlines: s_server and
// s_client read their standard input in pieces and take a piece starting
// with a command letter for a command.
func kuBody(seed, n int) []byte {
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, "%02d%07d\n", seed, i*7919)
	}
	return b[:n]
}

// TestHTTPKeyUpdateOpenSSL makes TLS 1.3 traffic with KeyUpdates the way a
// real TLS stack sends them: OpenSSL's s_client (in a network namespace,
// writing the key log) and s_server (on the host side of a veth pair),
// driven on their standard input: HTTP/1.1 requests and responses in
// turn, with KeyUpdates between them (kuPlan), captured with 'wirekit
// capture'. 'wirekit http --tls-keylog --jsonl' must find every request
// and response (method, path, Host, status, body hash) as sent, count the
// KeyUpdates of each direction as sent, and decrypt the connection whole;
// tshark (when installed) must agree. With -cli.keyupdate it writes the
// capture, key log and facts that TestHTTPKeyUpdateGolden reads. Needs
// root, openssl and stdbuf (coreutils).
func TestHTTPKeyUpdateOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed (apt-get install openssl)")
	}
	if _, err := exec.LookPath("stdbuf"); err != nil {
		t.Skip("stdbuf not installed (coreutils)")
	}
	_, tsErr := exec.LookPath("tshark")
	if *kuGoldenUpd && tsErr != nil {
		t.Fatal("-cli.keyupdate needs tshark")
	}
	n := testutil.NewVethNS(t)
	dir := t.TempDir()
	keyf, certf := writePEM(t, dir, testutil.SelfSigned(t, "api.test"))
	port := freePort(t, n.HostIP)
	capf, keylog := filepath.Join(dir, "keyupdate.pcap"), filepath.Join(dir, "keyupdate.keys")

	// start runs an OpenSSL command with its standard input a pipe and
	// its output in a buffer; it is killed at the end.
	start := func(name string, args ...string) (io.WriteCloser, *syncBuffer) {
		cmd := exec.Command(args[0], args[1:]...)
		var out syncBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Cleanup(func() {
			in.Close()
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("%s said:\n%s", name, out.String())
			}
		})
		return in, &out
	}
	// stdbuf: s_server says what it did through stdio, buffered in a pipe.
	srvIn, srvOut := start("s_server", "stdbuf", "-oL", "openssl", "s_server", "-accept", fmt.Sprintf("%s:%d", n.HostIP, port), "-naccept", "1",
		"-cert", certf, "-key", keyf, "-tls1_3", "-alpn", "http/1.1", "-max_send_frag", "1024")
	waitFor(t, func() bool { return strings.Contains(srvOut.String(), "ACCEPT") }, "s_server listening")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var capOut, capErr syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"capture", "-i", n.Host, "-w", capf, "tcp port " + fmt.Sprint(port)}, nil, &capOut, &capErr)
	}()
	waitFor(t, func() bool { return strings.Contains(capErr.String(), "listening on") }, "capture listening")

	cliIn, cliOut := start("s_client", "ip", "netns", "exec", n.NS, "openssl", "s_client", "-connect", fmt.Sprintf("%s:%d", n.HostIP, port),
		"-servername", "api.test", "-tls1_3", "-alpn", "http/1.1", "-max_send_frag", "1024", "-keylogfile", keylog)
	waitFor(t, func() bool { return strings.Contains(cliOut.String(), "Verify return code") }, "s_client's handshake")

	// command gives one side its commands, one at a time, each once the
	// one before was taken (a command is read only when it starts what one
	// read of the standard input gets, so nothing may follow it in the
	// pipe before it is read): s_client says "KEYUPDATE" as it takes one,
	// s_server "SSL_do_handshake -> 1" once it sent it.
	command := func(in io.Writer, out *syncBuffer, done string, cmds string) {
		for _, c := range cmds {
			n := strings.Count(out.String(), done)
			if _, err := fmt.Fprintf(in, "%c\n", c); err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool { return strings.Count(out.String(), done) > n }, fmt.Sprintf("command %c done (%q)", c, done))
		}
	}
	// send writes msg; with commands mid, its first half (up to a line
	// of its body) first, then, once the peer printed it, the commands,
	// then the rest. It returns the last part written (the peer may print
	// a line of its own between the parts: s_server "Read BLOCK").
	send := func(in io.Writer, out, peer *syncBuffer, done, msg string, bodyAt int, mid string) string {
		parts := []string{msg}
		if mid != "" {
			half := bodyAt + (len(msg)-bodyAt)/20*10
			parts = []string{msg[:half], msg[half:]}
		}
		for i, p := range parts {
			if _, err := io.WriteString(in, p); err != nil {
				t.Fatal(err)
			}
			if i == 0 && len(parts) > 1 {
				waitFor(t, func() bool { return strings.Contains(peer.String(), p) }, "the peer to read the first half")
				command(in, out, done, mid)
			}
		}
		return parts[len(parts)-1]
	}
	want := kuFacts{txs: map[string]tsTx{}}
	for i, x := range kuPlan {
		command(cliIn, cliOut, "KEYUPDATE", x.client)
		req := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: api.test\r\nUser-Agent: openssl-s_client\r\n", x.method, x.path)
		if x.reqBody > 0 {
			req += fmt.Sprintf("Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n", x.reqBody)
		} else {
			req += "\r\n"
		}
		bodyAt := len(req)
		req += string(kuBody(50+i, x.reqBody))
		last := send(cliIn, cliOut, srvOut, "KEYUPDATE", req, bodyAt, x.clientMid)
		waitFor(t, func() bool { return strings.Contains(srvOut.String(), last) }, "s_server to read "+x.path)
		command(srvIn, srvOut, "SSL_do_handshake -> 1", x.server)
		body := kuBody(i, x.respLen)
		end := fmt.Sprintf("\nend of %s\n", x.path)
		body = append(body[:len(body)-len(end)], end...)
		resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", len(body))
		bodyAt = len(resp)
		resp += string(body)
		send(srvIn, srvOut, cliOut, "SSL_do_handshake -> 1", resp, bodyAt, x.serverMid)
		waitFor(t, func() bool { return strings.Contains(cliOut.String(), end) }, "s_client to read the response to "+x.path)
		want.txs[x.path] = tsTx{method: x.method, path: x.path, authority: "api.test", status: 200, bodyHash: hashHex(body)}
		want.decrypted += int64(len(req) + len(resp))
		for _, c := range x.client + x.clientMid {
			want.client++
			if c == 'K' {
				want.server++ // s_server answers before its next record
			}
		}
		for _, c := range x.server + x.serverMid {
			want.server++
			if c == 'K' {
				want.client++ // s_client answers before its next record
			}
		}
	}
	cliIn.Close() // s_client sends close_notify and ends
	time.Sleep(300 * time.Millisecond)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("capture exit %d: %s", code, capErr.String())
	}

	compareKU(t, "wirekit", wirekitKUFacts(t, capf, keylog), want)
	var ts kuFacts
	if tsErr == nil {
		ts = tsharkKUFacts(t, capf, keylog)
		compareKU(t, "tshark", ts, kuFacts{txs: want.txs, client: want.client, server: want.server, decrypted: -1})
	} else {
		t.Log("tshark not installed: compared with what was sent only")
	}
	t.Logf("%d transactions sent, KeyUpdates from the client %d, from the server %d, %d bytes; tshark found %d transactions, KeyUpdates %d and %d",
		len(want.txs), want.client, want.server, want.decrypted, len(ts.txs), ts.client, ts.server)
	if !*kuGoldenUpd || t.Failed() {
		return
	}
	os.MkdirAll(kuGoldenDir, 0o755)
	for _, f := range []string{capf, keylog} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(kuGoldenDir, filepath.Base(f))
		if err := os.WriteFile(dst+".tmp", b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(dst+".tmp", dst); err != nil {
			t.Fatal(err)
		}
	}
	osl, _ := exec.Command("openssl", "version").Output()
	tsv, _ := exec.Command("tshark", "-v").Output()
	tsFirst, _, _ := strings.Cut(string(tsv), "\n")
	writeKUGolden(t, filepath.Join(kuGoldenDir, "expected.tsv"),
		"# Made by "+strings.TrimSpace(string(osl))+" s_client and s_server (TestHTTPKeyUpdateOpenSSL); the facts are what was sent,\n# and "+tsFirst+" (-o tls.keylog_file) said the same.\n", want)
}
