package cli

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/http2/hpack"

	"github.com/wirekit/wirekit/internal/testutil"
	"github.com/wirekit/wirekit/pcapio"
)

// h2Frame is one raw HTTP/2 frame.
func h2Frame(typ, flags byte, id uint32, p []byte) []byte {
	b := make([]byte, 9, 9+len(p))
	b[0], b[1], b[2] = byte(len(p)>>16), byte(len(p)>>8), byte(len(p))
	b[3], b[4] = typ, flags
	binary.BigEndian.PutUint32(b[5:], id)
	return append(b, p...)
}

// h2Block is an HPACK block of the given fields.
func h2Block(kv ...string) []byte {
	var b bytes.Buffer
	enc := hpack.NewEncoder(&b)
	for i := 0; i+1 < len(kv); i += 2 {
		enc.WriteField(hpack.HeaderField{Name: kv[i], Value: kv[i+1]})
	}
	return b.Bytes()
}

// h2Req is a valid request HEADERS frame (END_STREAM, END_HEADERS) on
// stream id, for a fresh HPACK encoder state.
func h2Req(id uint32, path string) []byte {
	return h2Frame(1, 0x5, id, h2Block(":method", "GET", ":scheme", "http", ":authority", "bad.test", ":path", path))
}

// writeRawConv writes one TCP connection from 10.0.0.1 to server carrying
// client then server bytes, cut into segments of at most 32000 bytes.
func writeRawConv(t *testing.T, path, server string, client, srv []byte) {
	t.Helper()
	conv := testutil.NewTCPConv("10.0.0.1:40000", server, time.Unix(1700000000, 0))
	for _, x := range []struct {
		fromClient bool
		b          []byte
	}{{true, client}, {false, srv}} {
		for b := x.b; len(b) > 0; {
			n := min(len(b), 32000)
			conv.Segment(x.fromClient, b[:n])
			b = b[n:]
		}
	}
	conv.Close()
	writeFrames(t, path, conv.Frames)
}

func writeFrames(t *testing.T, path string, frames []testutil.Frame) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcapio.NewPcapWriter(f, layers.LinkTypeEthernet, 262144, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range frames {
		if err := w.WritePacket(fr.CI, fr.Data); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	f.Close()
}

// bombDir is where the hostile HTTP/2 captures are written: the test's
// temporary directory, or $WIREKIT_H2BOMB_DIR when set (to keep them for
// measuring a built binary's peak memory with /usr/bin/time -v).
func bombDir(t *testing.T) string {
	if d := os.Getenv("WIREKIT_H2BOMB_DIR"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

// TestHTTP2Hostile reads HTTP/2 connections built to hurt the parser:
// each must give a clear note on its connection's transaction, exit 0,
// and never panic. The bombs are millions of frames.
func TestHTTP2Hostile(t *testing.T) {
	preface := []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	settings := h2Frame(4, 0, 0, nil)
	withPreface := func(frames ...[]byte) []byte {
		return bytes.Join(append([][]byte{preface, settings}, frames...), nil)
	}
	okResp := func(id uint32) []byte {
		return bytes.Join([][]byte{settings, h2Frame(1, 0x4, id, h2Block(":status", "200")), h2Frame(0, 0x1, id, []byte("ok"))}, nil)
	}
	// A header block of two million empty CONTINUATION frames, then one
	// more request that is never read because the block never ends.
	contBomb := func(payload []byte) []byte {
		var b bytes.Buffer
		b.Write(preface)
		b.Write(settings)
		b.Write(h2Frame(1, 0x1, 1, h2Block(":method", "GET")[:1])) // no END_HEADERS
		for range 2_000_000 {
			b.Write(h2Frame(9, 0, 1, payload))
		}
		return b.Bytes()
	}
	// Two million tiny frames: PINGs, WINDOW_UPDATEs and DATA for a
	// stream nobody opened, around one real request.
	frameBomb := func() []byte {
		var b bytes.Buffer
		b.Write(preface)
		b.Write(settings)
		b.Write(h2Req(1, "/before-the-bomb"))
		for i := range 2_000_000 {
			switch i % 3 {
			case 0:
				b.Write(h2Frame(6, 0, 0, make([]byte, 8)))
			case 1:
				b.Write(h2Frame(8, 0, 0, []byte{0, 0, 0, 1}))
			default:
				b.Write(h2Frame(0, 0, 99, []byte{1}))
			}
		}
		return b.Bytes()
	}
	// Two million streams opened with HEADERS and never answered.
	streamBomb := func() []byte {
		var b bytes.Buffer
		b.Write(preface)
		b.Write(settings)
		// The same block each time: HPACK indexes it once, so each
		// HEADERS frame after the first is a few bytes.
		var hb bytes.Buffer
		enc := hpack.NewEncoder(&hb)
		for i := range 1_000_000 {
			hb.Reset()
			enc.WriteField(hpack.HeaderField{Name: ":method", Value: "GET"})
			enc.WriteField(hpack.HeaderField{Name: ":path", Value: "/s"})
			b.Write(h2Frame(1, 0x5, uint32(2*i+1), hb.Bytes()))
		}
		return b.Bytes()
	}
	huge := []byte{0x3f, 0xe1, 0xff, 0xff, 0xff, 0x0f} // dynamic table size update to 2^32-1+31
	tests := []struct {
		name           string
		client, server []byte
		// wants are substrings of the JSONL output; none is a substring
		// that must not appear.
		wants []string
		none  string
	}{
		{name: "truncated frame header", client: withPreface(h2Req(1, "/a"), []byte{0, 0, 40, 1}), server: okResp(1),
			wants: []string{`"/a"`, `"status":200`, "the connection ended inside a frame (4 bytes of it)"}},
		{name: "truncated frame payload", client: withPreface(h2Req(1, "/a"), h2Frame(1, 0x5, 3, h2Block(":method", "GET", ":path", "/cut"))[:14]),
			server: okResp(1), wants: []string{`"/a"`, "ended inside a frame (14 bytes of it)"}, none: `"/cut"`},
		{name: "frame longer than the connection", client: withPreface(h2Req(1, "/a"), []byte{0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 3}),
			server: okResp(1), wants: []string{`"/a"`, "ended inside a frame (9 bytes of it)"}},
		{name: "huge dynamic table size update", client: withPreface(h2Frame(1, 0x5, 1, append(huge, h2Block(":method", "GET", ":path", "/x")...)), h2Req(3, "/after")),
			// The failed block's stream still gets its response; the
			// next request, whose fields do not use the lost table, is read.
			server: okResp(1), wants: []string{"header compression (HPACK) failed", `"status":200`, `"url":"/after"`}},
		{name: "table size update over the SETTINGS limit", client: withPreface(h2Frame(1, 0x5, 1, append([]byte{0x3f, 0xe1, 0x3f}, h2Block(":method", "GET")...))),
			server: okResp(1), wants: []string{"header compression (HPACK) failed"}},
		{name: "bad static index", client: withPreface(h2Frame(1, 0x5, 1, []byte{0xff, 0x80, 0x80, 0x80, 0x08})),
			server: okResp(1), wants: []string{"header compression (HPACK) failed", "invalid indexed representation index"}},
		{name: "index past an empty dynamic table", client: withPreface(h2Frame(1, 0x5, 1, []byte{0xbe})),
			server: okResp(1), wants: []string{"header compression (HPACK) failed"}},
		{name: "huge string length", client: withPreface(h2Frame(1, 0x5, 1, []byte{0x40, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f})),
			server: okResp(1), wants: []string{"header compression (HPACK) failed"}},
		{name: "continuation bomb empty", client: contBomb(nil), server: okResp(1),
			wants: []string{"of more than 1000 CONTINUATION frames"}},
		{name: "continuation bomb one byte", client: contBomb([]byte{0x82}), server: okResp(1),
			wants: []string{"of more than 1000 CONTINUATION frames"}},
		{name: "continuation too large", client: withPreface(h2Frame(1, 0x1, 1, []byte{0x82}), h2Frame(9, 0, 1, make([]byte, 1<<20))),
			server: okResp(1), wants: []string{"larger than 1048576 bytes"}},
		{name: "connection ends inside a header block", client: withPreface(h2Frame(1, 0x1, 1, []byte{0x82})),
			server: okResp(1), wants: []string{"the connection ended inside a header block"}},
		{name: "frame bomb", client: frameBomb(), server: okResp(1), wants: []string{`"/before-the-bomb"`, `"status":200`}},
		{name: "stream bomb", client: streamBomb(), server: settings, wants: []string{"more than 1000 streams open"}},
	}
	dir := bombDir(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			capf := filepath.Join(dir, "h2-"+strings.ReplaceAll(tc.name, " ", "-")+".pcap")
			writeRawConv(t, capf, "10.0.0.2:8080", tc.client, tc.server)
			code, out, stderr := run(t, nil, "http", "-r", capf, "--jsonl")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in output:\n%.2000s\nstderr: %s", w, out, stderr)
				}
			}
			if tc.none != "" && strings.Contains(out, tc.none) {
				t.Errorf("%q in output:\n%.2000s", tc.none, out)
			}
		})
	}
}

// TestTLSHostile reads TLS connections with garbage records and with a key
// log whose secrets are wrong: each connection gets a clear note and the
// run exits 0.
func TestTLSHostile(t *testing.T) {
	dir := t.TempDir()
	var keylog bytes.Buffer
	x := [][2][]byte{{[]byte("GET /secret HTTP/1.1\r\nHost: api.example\r\n\r\n"), []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")}}
	good := testutil.TLSConvWith(t, "10.0.0.1:40001", "10.0.0.2:443", testutil.TLSOptions{Version: tls.VersionTLS13, SNI: "api.example",
		ALPN: []string{"http/1.1"}, KeyLog: &keylog, Exchanges: x})
	kl := filepath.Join(dir, "keys.log")
	os.WriteFile(kl, keylog.Bytes(), 0o600)
	// The same client randoms with other secrets.
	var wrong bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(keylog.String()), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 {
			continue
		}
		sec, _ := hex.DecodeString(f[2])
		for i := range sec {
			sec[i] ^= 0x5a
		}
		wrong.WriteString(f[0] + " " + f[1] + " " + hex.EncodeToString(sec) + "\n")
	}
	wrongKL := filepath.Join(dir, "wrong.log")
	os.WriteFile(wrongKL, wrong.Bytes(), 0o600)

	// The same session with one byte of the client's request record
	// flipped (wirekit does not check TCP checksums).
	flipped := make([]testutil.Frame, len(good.Frames))
	for i, fr := range good.Frames {
		flipped[i] = testutil.Frame{CI: fr.CI, Data: bytes.Clone(fr.Data)}
	}
	var flippedOne bool
	for i := range flipped {
		d := flipped[i].Data
		// Ethernet 14 + IPv4 20 + TCP 20: the payload's first byte.
		if len(d) > 60 && d[54] == 0x17 && !flippedOne && binary.BigEndian.Uint16(d[34:]) == 40001 {
			d[len(d)-1] ^= 0xff
			flippedOne = true
		}
	}
	garbage := func(b ...[]byte) []byte { return bytes.Join(b, nil) }
	rec := func(typ byte, n int, fill byte) []byte {
		b := []byte{typ, 3, 3, byte(n >> 8), byte(n)}
		return append(b, bytes.Repeat([]byte{fill}, n)...)
	}
	tests := []struct {
		name   string
		frames []testutil.Frame
		keylog string
		want   string
	}{
		{"wrong keys", good.Frames, wrongKL, "not decrypted"},
		{"flipped byte in a record", flipped, kl, "record failed authentication"},
		{"garbage handshake record", rawFrames(garbage(rec(0x16, 300, 0xee), rec(0x17, 100, 1)), rec(0x16, 50, 0)), kl, `"error":"tlsinfo`},
		{"record longer than allowed", rawFrames(garbage(rec(0x16, 0xffff, 0)), nil), kl, `"error":"tlsinfo`},
		{"application data before any handshake", rawFrames(rec(0x17, 1000, 7), rec(0x17, 1000, 8)), kl, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			capf := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".pcap")
			writeFrames(t, capf, tc.frames)
			code, out, stderr := run(t, nil, "http", "-r", capf, "--tls-keylog", tc.keylog, "--jsonl")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if tc.name == "wrong keys" && !strings.Contains(stderr, "1 TLS connections (0 decrypted)") {
				t.Errorf("summary %q", stderr)
			}
			if tc.want != "" && !strings.Contains(out, tc.want) || strings.Contains(out, "/secret") {
				t.Errorf("want %q (and no /secret) in:\n%s\nstderr: %s", tc.want, out, stderr)
			}
		})
	}
}

// rawFrames is one TCP connection to port 443 carrying client then
// server bytes.
func rawFrames(client, server []byte) []testutil.Frame {
	conv := testutil.NewTCPConv("10.0.0.1:40002", "10.0.0.2:443", time.Unix(1700000000, 0))
	for _, x := range []struct {
		fromClient bool
		b          []byte
	}{{true, client}, {false, server}} {
		for b := x.b; len(b) > 0; {
			n := min(len(b), 32000)
			conv.Segment(x.fromClient, b[:n])
			b = b[n:]
		}
	}
	conv.Close()
	return conv.Frames
}
