package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
	"github.com/wirekit/wirekit/stream"
)

// kuGoldenDir holds the capture of OpenSSL's s_client and s_server
// exchanging HTTP/1.1 over TLS 1.3 with KeyUpdates in both directions, its
// key log and the facts expected of it: TestHTTPKeyUpdateOpenSSL -cli.keyupdate
// (scripts/gen-keyupdate-golden.sh) writes them.
const kuGoldenDir = "../../tlsdecrypt/testdata/keyupdate"

// kuFacts is what a reading of the KeyUpdate capture found: the
// transactions by path, the KeyUpdates each direction sent, and the
// application data bytes decrypted (-1 when not known; "" note when
// decrypted whole).
type kuFacts struct {
	txs            map[string]tsTx
	client, server int
	decrypted      int64
}

// TestHTTPKeyUpdateGolden checks 'wirekit http --tls-keylog --jsonl' on the
// committed capture of OpenSSL's s_client and s_server (TLS 1.3, HTTP/1.1
// keep-alive, KeyUpdates from each side, some asking the peer to update
// too, three in a row from each side; made by TestHTTPKeyUpdateOpenSSL):
// every request's method, path, Host, status and response body hash on
// both sides of each KeyUpdate, the KeyUpdates counted per direction, and
// the connection decrypted whole. It needs neither openssl, root nor
// tshark; with tshark installed it also checks that tshark says the same
// of the capture.
func TestHTTPKeyUpdateGolden(t *testing.T) {
	capf, keylog := filepath.Join(kuGoldenDir, "keyupdate.pcap"), filepath.Join(kuGoldenDir, "keyupdate.keys")
	want := readKUGolden(t, filepath.Join(kuGoldenDir, "expected.tsv"))
	if len(want.txs) < 8 || want.client < 6 || want.server < 6 {
		t.Fatalf("golden file holds %d requests and %d/%d KeyUpdates, want at least 8 and 6/6", len(want.txs), want.client, want.server)
	}
	got := wirekitKUFacts(t, capf, keylog)
	compareKU(t, "wirekit", got, want)
	if _, err := exec.LookPath("tshark"); err == nil {
		compareKU(t, "tshark", tsharkKUFacts(t, capf, keylog), kuFacts{txs: want.txs, client: want.client, server: want.server, decrypted: -1})
	} else {
		t.Log("tshark not installed: compared with the golden file only")
	}
}

// compareKU reports every way got differs from want.
func compareKU(t *testing.T, who string, got, want kuFacts) {
	t.Helper()
	for path, w := range want.txs {
		if g, ok := got.txs[path]; !ok {
			t.Errorf("%s: %s: no transaction, want %+v", who, path, w)
		} else if g != w {
			t.Errorf("%s: %s: %+v, want %+v", who, path, g, w)
		}
	}
	for path, g := range got.txs {
		if _, ok := want.txs[path]; !ok {
			t.Errorf("%s: %s: %+v, not expected", who, path, g)
		}
	}
	if got.client != want.client || got.server != want.server {
		t.Errorf("%s: KeyUpdates from the client %d, from the server %d; want %d and %d", who, got.client, got.server, want.client, want.server)
	}
	if want.decrypted >= 0 && got.decrypted != want.decrypted {
		t.Errorf("%s: %d bytes decrypted, want the whole connection's %d", who, got.decrypted, want.decrypted)
	}
}

// wirekitKUFacts runs 'wirekit http --tls-keylog --jsonl --har' on the
// capture, which must hold one TLS connection, and reads its facts; the
// connection's "decryption" note must say it was decrypted whole
// ("decrypted N bytes (key updates: client C, server S)").
func wirekitKUFacts(t *testing.T, capf, keylog string) kuFacts {
	t.Helper()
	har := filepath.Join(t.TempDir(), "out.har")
	code, js, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", keylog, "--jsonl", "--har", har, "--max-body", "10000000")
	if code != 0 {
		t.Fatalf("http exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("http warned: %s", stderr)
	}
	txs, _ := wirekitFacts(t, js, har)
	f := kuFacts{txs: txs, decrypted: -1}
	n := 0
	for _, l := range nonEmptyLines(js) {
		var r struct {
			Type string
			TLS  *struct{ Version, Decryption string }
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Type != "tls" || r.TLS == nil {
			continue
		}
		n++
		if r.TLS.Version != "TLS 1.3" {
			t.Errorf("TLS version %q, want TLS 1.3", r.TLS.Version)
		}
		_, err := fmt.Sscanf(r.TLS.Decryption, "decrypted %d bytes (key updates: client %d, server %d)", &f.decrypted, &f.client, &f.server)
		if err != nil || r.TLS.Decryption != fmt.Sprintf("decrypted %d bytes (key updates: client %d, server %d)", f.decrypted, f.client, f.server) {
			t.Errorf("decryption %q, want \"decrypted N bytes (key updates: client C, server S)\" and nothing more", r.TLS.Decryption)
			f.decrypted = -2
		}
	}
	if n != 1 {
		t.Errorf("%d TLS connections, want 1", n)
	}
	return f
}

// tsharkKUFacts reads the same facts with tshark (-o tls.keylog_file):
// the HTTP/1.1 requests and responses of the keep-alive connection, paired
// by http.response_for.uri, and the KeyUpdate handshake messages by the
// side that sent them (the client is the side of the ClientHello).
func tsharkKUFacts(t *testing.T, capf, keylog string) kuFacts {
	t.Helper()
	args := []string{"-r", capf, "-o", "tls.keylog_file:" + keylog, "-o", "tcp.reassemble_out_of_order:TRUE"}
	fields := []string{"http.request.method", "http.request.uri", "http.host", "http.response.code", "http.response_for.uri", "http.file_data"}
	fa := append(append([]string{}, args...), "-Y", "http", "-T", "fields", "-E", "occurrence=f")
	for _, f := range fields {
		fa = append(fa, "-e", f)
	}
	b, err := exec.Command("tshark", fa...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	f := kuFacts{txs: map[string]tsTx{}, decrypted: -1}
	for _, l := range nonEmptyLines(string(b)) {
		x := strings.Split(l, "\t")
		if len(x) < len(fields) {
			continue
		}
		if x[0] != "" {
			tx := f.txs[x[1]]
			tx.method, tx.path, tx.authority = x[0], x[1], x[2]
			f.txs[x[1]] = tx
		}
		if x[3] != "" {
			u, err := url.Parse(x[4])
			if err != nil {
				t.Fatalf("tshark: response for %q: %v", x[4], err)
			}
			tx := f.txs[u.RequestURI()]
			tx.status, _ = strconv.Atoi(x[3])
			tx.bodyHash = hashHex(unescapeTshark(x[5]))
			f.txs[u.RequestURI()] = tx
		}
	}
	ka := append(append([]string{}, args...), "-Y", "tls.handshake.type==1 or tls.handshake.type==24", "-T", "fields", "-E", "aggregator=,",
		"-e", "tcp.srcport", "-e", "tls.handshake.type")
	b, err = exec.Command("tshark", ka...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var clientPort string
	for _, l := range nonEmptyLines(string(b)) {
		port, types, _ := strings.Cut(l, "\t")
		for _, ty := range strings.Split(types, ",") {
			switch {
			case ty == "1":
				clientPort = port
			case ty == "24" && port == clientPort:
				f.client++
			case ty == "24":
				f.server++
			}
		}
	}
	return f
}

// writeKUGolden writes the expected facts, sorted, through a temporary
// file; about says how they were made.
func writeKUGolden(t *testing.T, path, about string, f kuFacts) {
	t.Helper()
	var lines []string
	for p, x := range f.txs {
		lines = append(lines, strings.Join([]string{"req", p, x.method, x.authority, strconv.Itoa(x.status), x.bodyHash}, "\t"))
	}
	slices.Sort(lines)
	lines = append(lines, fmt.Sprintf("keyupdates\t%d\t%d", f.client, f.server), fmt.Sprintf("decrypted\t%d", f.decrypted))
	head := "# Code generated by scripts/gen-keyupdate-golden.sh; DO NOT EDIT.\n" + about +
		"# req: path, method, Host, status, sha256 of the response body (first 8 bytes); keyupdates: from the client, from the server;\n" +
		"# decrypted: application data bytes of both directions\n"
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(head+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func readKUGolden(t *testing.T, path string) kuFacts {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run scripts/gen-keyupdate-golden.sh)", err)
	}
	f := kuFacts{txs: map[string]tsTx{}, decrypted: -1}
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		x := strings.Split(l, "\t")
		var err error
		switch {
		case x[0] == "req" && len(x) == 6:
			var st int
			st, err = strconv.Atoi(x[4])
			f.txs[x[1]] = tsTx{method: x[2], path: x[1], authority: x[3], status: st, bodyHash: x[5]}
		case x[0] == "keyupdates" && len(x) == 3:
			_, err = fmt.Sscanf(x[1]+" "+x[2], "%d %d", &f.client, &f.server)
		case x[0] == "decrypted" && len(x) == 2:
			f.decrypted, err = strconv.ParseInt(x[1], 10, 64)
		default:
			err = fmt.Errorf("bad line %q", l)
		}
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
	}
	return f
}

// TestHTTPKeyUpdateSegmentLost: the committed OpenSSL capture with the
// segments of KeyUpdates left out (the first of each side; each side's row
// of three; the one each side sent in the middle of a message's body):
// the session resumes after the gap with the next key, and no application
// data was lost, so the HTTP parser is not told of a gap (a body would
// take the KeyUpdate's bytes for its own lost ones): 'wirekit http
// --tls-keylog' finds every transaction as in the whole capture (the body
// hashes too), counts every KeyUpdate, warns that decryption resumed and
// says so in the TLS record.
func TestHTTPKeyUpdateSegmentLost(t *testing.T) {
	capf, keylog := filepath.Join(kuGoldenDir, "keyupdate.pcap"), filepath.Join(kuGoldenDir, "keyupdate.keys")
	want := readKUGolden(t, filepath.Join(kuGoldenDir, "expected.tsv"))
	r, err := pcapio.Open(capf)
	if err != nil {
		t.Fatal(err)
	}
	var frames []testutil.Frame
	var client layers.TCPPort
	// Each side's KeyUpdate segments: one record of 22 bytes (a 5-byte
	// KeyUpdate, its content type and a 16-byte tag); no other record
	// of the capture is that small.
	var ku [2][]int
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		tcp, _ := gopacket.NewPacket(data, r.LinkType(), gopacket.Default).Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp != nil && tcp.SYN && !tcp.ACK {
			client = tcp.SrcPort
		}
		if tcp != nil && bytes.Equal(tcp.Payload, append([]byte{23, 3, 3, 0, 22}, tcp.Payload[min(5, len(tcp.Payload)):]...)) && len(tcp.Payload) == 27 {
			d := 1
			if tcp.SrcPort == client {
				d = 0
			}
			ku[d] = append(ku[d], len(frames))
		}
		frames = append(frames, testutil.Frame{CI: ci, Data: bytes.Clone(data)})
	}
	r.Close()
	if len(ku[0]) != want.client || len(ku[1]) != want.server || want.client != 7 || want.server != 7 {
		t.Fatalf("%d and %d KeyUpdate segments, want %d and %d", len(ku[0]), len(ku[1]), want.client, want.server)
	}
	for _, tc := range []struct {
		name string
		drop []int
	}{
		{"the client's first KeyUpdate lost", ku[0][:1]},
		{"the server's first KeyUpdate lost", ku[1][:1]},
		{"the client's three KeyUpdates in a row lost", ku[0][3:6]},
		{"the server's three KeyUpdates in a row lost", ku[1][3:6]},
		{"the client's KeyUpdate inside a request body lost", ku[0][6:7]},
		{"the server's KeyUpdate inside a response body lost", ku[1][6:7]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The packets 6 s apart: the assembler gives up on the
			// hole (stream.DefaultGapTimeout) before the next packet,
			// as on a connection whose exchanges are that far apart;
			// the capture's own milliseconds would have it deliver
			// the bytes after the hole at the end of the file, after
			// the other direction's.
			var kept []testutil.Frame
			t0 := frames[0].CI.Timestamp
			for i, f := range frames {
				if !slices.Contains(tc.drop, i) {
					f.CI.Timestamp = t0.Add(time.Duration(i) * (stream.DefaultGapTimeout + time.Second))
					kept = append(kept, f)
				}
			}
			dir := t.TempDir()
			gapf := filepath.Join(dir, "gap.pcap")
			writeFrames(t, gapf, kept)
			har := filepath.Join(dir, "out.har")
			code, js, stderr := run(t, nil, "http", "-r", gapf, "--tls-keylog", keylog, "--jsonl", "--har", har, "--max-body", "10000000")
			if code != 0 {
				t.Fatalf("http exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, "TLS: bytes lost in capture gaps (1); decryption resumed") {
				t.Errorf("no warning that decryption resumed after the gap:\n%s", stderr)
			}
			txs, _ := wirekitFacts(t, js, har)
			compareKU(t, "wirekit", kuFacts{txs: txs, client: want.client, server: want.server, decrypted: -1}, kuFacts{txs: want.txs, client: want.client, server: want.server, decrypted: -1})
			note := fmt.Sprintf(`"decryption":"decrypted %d bytes (key updates: client %d, server %d) (resumed after capture gaps: 1)"`, want.decrypted, want.client, want.server)
			if !strings.Contains(js, note) {
				t.Errorf("no TLS record with %s in\n%s", note, js)
			}
		})
	}
}
