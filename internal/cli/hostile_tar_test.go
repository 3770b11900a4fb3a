package cli

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/wirekit/wirekit/pcapio"
)

// The hostile-input cases of issue 13 for tar-extract (items 2, 6, 12)
// and for http (items 11, 12) live here, so that they cannot come back.

// hostileTar returns a plain tar of the named members, in order, with
// random (incompressible) contents of size bytes, and the contents.
func hostileTar(t *testing.T, size int, names ...string) ([]byte, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	bodies := map[string][]byte{}
	for _, name := range names {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		bodies[name] = b
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(size), Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes(), bodies
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func zstdBytes(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw, err := zstd.NewWriter(&out, zstd.WithEncoderCRC(true))
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func flipBytes(b []byte, at, n int) []byte {
	b = bytes.Clone(b)
	for i := range n {
		b[at+i] ^= 0x5a
	}
	return b
}

// TestHostileTarExtract runs tar-extract on damaged and hostile tarballs
// (issue 13 items 2, 6 and 12): a damaged compressed stream must fail with
// the file and the stream named and publish no file with wrong bytes; a
// name component over 255 bytes is refused and the members after it are
// extracted; --out-dir is not created for an input that is not a tarball.
func TestHostileTarExtract(t *testing.T) {
	long := strings.Repeat("x", 300) + ".pcap"
	raw, bodies := hostileTar(t, 150_000, "set/a.pcap", "set/b.pcap", "set/c.pcap", "set/d.pcap")
	rawLong, bodiesLong := hostileTar(t, 10, "set/a.pcap", "set/"+long, "set/b.pcap")
	gz, zs := gzipBytes(t, raw), zstdBytes(t, raw)
	escTar, _ := hostileTar(t, 1, "set/\x1b]0;pwned\x07\x1b[2J.pcap")
	tests := []struct {
		name      string
		data      []byte
		args      []string // after --in-tarball FILE --out-dir OUT
		code      int
		stderrHas []string
		files     []string // exactly these under OUT (nil: OUT absent or empty)
		noOutDir  bool     // OUT must not exist
	}{
		{"gzip with 30 bytes flipped in the middle", flipBytes(gz, len(gz)/2, 30), nil, 1,
			[]string{"in.tar", "gzip stream damaged", "invalid checksum", `"set/a.pcap" not kept`}, nil, true},
		{"gzip with its CRC-32 flipped", flipBytes(gz, len(gz)-8, 1), nil, 1,
			[]string{"gzip stream damaged", "invalid checksum"}, nil, true},
		{"gzip with its length flipped", flipBytes(gz, len(gz)-3, 1), nil, 1,
			[]string{"gzip stream damaged"}, nil, true},
		{"gzip with 30 bytes flipped, dry run", flipBytes(gz, len(gz)/2, 30), []string{"--dryrun"}, 1,
			[]string{"gzip stream damaged"}, nil, true},
		{"gzip with 30 bytes flipped, --out-gzip", flipBytes(gz, len(gz)/2, 30), []string{"--out-gzip"}, 1,
			[]string{"gzip stream damaged"}, nil, true},
		{"gzip cut short keeps complete files", gz[:len(gz)*7/10], nil, 1,
			[]string{"cut short", "kept without their integrity check"}, []string{"set/a.pcap", "set/b.pcap"}, false},
		{"zstd with its checksum flipped", flipBytes(zs, len(zs)-1, 1), nil, 1,
			[]string{"zstd stream damaged", "CRC"}, nil, true},
		{"zstd with 30 bytes flipped", flipBytes(zs, len(zs)/2, 30), nil, 1,
			[]string{"zstd stream damaged"}, nil, true},
		{"name component over 255 bytes", gzipBytes(t, rawLong), nil, 1,
			[]string{"refused: name too long", "1 members refused"}, []string{"set/a.pcap", "set/b.pcap"}, false},
		{"escape bytes in names are escaped in the listing", gzipBytes(t, escTar), []string{"--dryrun"}, 0,
			nil, nil, true},
		{"escape bytes in names are escaped with -v", gzipBytes(t, escTar), []string{"-v"}, 0,
			nil, []string{"set/\x1b]0;pwned\x07\x1b[2J.pcap"}, false},
		{"not a tarball does not create the output folder", []byte(strings.Repeat("junk\n", 1000)), nil, 1,
			[]string{"not a tarball"}, nil, true},
		{"gzip of junk does not create the output folder", gzipBytes(t, []byte(strings.Repeat("junk\n", 1000))), nil, 1,
			[]string{"not a tarball"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.tar"), filepath.Join(dir, "out")
			if err := os.WriteFile(in, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"tar-extract", "--in-tarball", in, "--out-dir", out}, tc.args...)
			code, stdout, stderr := run(t, nil, args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if strings.ContainsAny(stdout+stderr, "\x1b\x07") {
				t.Errorf("raw escape bytes printed:\n%q\n%q", stdout, stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if _, err := os.Stat(out); tc.noOutDir && err == nil {
				t.Errorf("output folder created for an input that is not a valid tarball")
			}
			var files []string
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(out, p)
					files = append(files, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(files, " ") != strings.Join(tc.files, " ") {
				t.Errorf("files %q, want %q", files, tc.files)
			}
			for _, f := range files {
				want, ok := bodies[f]
				if strings.Contains(tc.name, "255") {
					want, ok = bodiesLong[f]
				}
				if got, _ := os.ReadFile(filepath.Join(out, f)); ok && !bytes.Equal(got, want) {
					t.Errorf("%s has wrong bytes", f)
				}
			}
		})
	}
}

// httpCapture writes a capture of one TCP connection per exchange
// (request, response), handshake and FIN included, and returns its path.
func httpCapture(t *testing.T, exchanges ...[2]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "http.pcap")
	w, err := pcapio.Create(p, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 262144}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for i, ex := range exchanges {
		cport := layers.TCPPort(40000 + i)
		seq := [2]uint32{1000, 5000}
		send := func(fromClient bool, flags string, payload string) {
			eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
			ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
			tcp := &layers.TCP{SrcPort: cport, DstPort: 80, Window: 65535}
			d, o := 0, 1
			if !fromClient {
				ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
				tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
				d, o = 1, 0
			}
			tcp.Seq, tcp.Ack = seq[d], seq[o]
			tcp.SYN, tcp.FIN, tcp.ACK = strings.Contains(flags, "S"), strings.Contains(flags, "F"), strings.Contains(flags, ".")
			tcp.PSH = payload != ""
			tcp.SetNetworkLayerForChecksum(ip)
			buf := gopacket.NewSerializeBuffer()
			if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
				t.Fatal(err)
			}
			seq[d] += uint32(len(payload))
			if tcp.SYN || tcp.FIN {
				seq[d]++
			}
			ts = ts.Add(time.Millisecond)
			if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		send(true, "S", "")
		send(false, "S.", "")
		send(true, ".", "")
		for off := 0; off < len(ex[0]); off += 1400 {
			send(true, ".", ex[0][off:min(off+1400, len(ex[0]))])
		}
		for off := 0; off < len(ex[1]); off += 1400 {
			send(false, ".", ex[1][off:min(off+1400, len(ex[1]))])
		}
		send(true, "F.", "")
		send(false, "F.", "")
		send(true, ".", "")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func httpResponse(encoding, body string) string {
	return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: " + encoding + "\r\nContent-Length: " + itoa(len(body)) + "\r\n\r\n" + body
}

// TestHostileHTTP runs http on bodies that fail to decode (item 12: they
// used to be saved raw under the decoded body's name with no note) and on
// URLs and Host headers carrying terminal escape sequences (item 11: they
// used to reach the terminal as they were).
func TestHostileHTTP(t *testing.T) {
	page := strings.Repeat("<p>hello</p>\n", 40)
	good := gzipBytes(t, []byte(page))
	badCRC := flipBytes(good, len(good)-8, 1)
	capf := httpCapture(t,
		[2]string{"GET /ok.html HTTP/1.1\r\nHost: example.com\r\n\r\n", httpResponse("gzip", string(good))},
		[2]string{"GET /plain.html HTTP/1.1\r\nHost: example.com\r\n\r\n", httpResponse("gzip", page)},
		[2]string{"GET /crc.html HTTP/1.1\r\nHost: example.com\r\n\r\n", httpResponse("gzip", string(badCRC))},
		[2]string{"GET /\x1b]0;pwned\x07\x1b[2J?q=\x9b&r=\u009b\x7f HTTP/1.1\r\nHost: evil\x1b[31m.example\r\n\r\n", httpResponse("identity", "x")},
	)

	t.Run("bodies that fail to decode", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "bodies")
		code, stdout, stderr := run(t, nil, "http", "-r", capf, "--bodies", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range []string{
			"1.0 response body (GET example.com/plain.html): not decoded: gzip: invalid header; kept as sent, still gzip-encoded, in ",
			"000001-000-response-plain.html.undecoded-gzip",
			"2.0 response body (GET example.com/crc.html): not decoded: gzip: invalid checksum; kept decoded as far as it went",
			"2 bodies not decoded",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if n := strings.Count(stdout, "response body not decoded"); n != 2 {
			t.Errorf("%d summary lines note a body not decoded, want 2:\n%s", n, stdout)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		want := "000000-000-response-ok.html 000001-000-response-plain.html.undecoded-gzip 000002-000-response-crc.html.partial 000003-000-response-_]0;pwned__[2J"
		if got := strings.Join(names, " "); got != want {
			t.Errorf("saved bodies %q, want %q", got, want)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "000000-000-response-ok.html")); string(b) != page {
			t.Errorf("decoded body wrong")
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "000001-000-response-plain.html.undecoded-gzip")); string(b) != page {
			t.Errorf("undecoded body is not the bytes as sent")
		}
	})

	t.Run("jsonl record names the decode error", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, "http", "-r", capf, "--jsonl", "--bodies", t.TempDir())
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var recs []map[string]any
		for _, l := range nonEmptyLines(stdout) {
			var r map[string]any
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatalf("bad JSON %q: %v", l, err)
			}
			recs = append(recs, r)
		}
		if len(recs) != 4 {
			t.Fatalf("%d records, want 4", len(recs))
		}
		resp := func(i int) map[string]any { r, _ := recs[i]["response"].(map[string]any); return r }
		if r := resp(1); r["decode_error"] != "gzip: invalid header" || r["body_encoding"] != "gzip" {
			t.Errorf("record of the plain body sent as gzip: %v", r)
		}
		if r := resp(2); r["decode_error"] == nil || r["body_encoding"] != nil {
			t.Errorf("record of the body with a bad CRC: %v", r)
		}
		if r := resp(0); r["decode_error"] != nil {
			t.Errorf("record of the good body has a decode error: %v", r)
		}
	})

	t.Run("escape bytes in jsonl and har", func(t *testing.T) {
		for _, args := range [][]string{{"--jsonl"}, {"--har", "-"}} {
			code, stdout, stderr := run(t, nil, append([]string{"http", "-r", capf}, args...)...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			if strings.ContainsAny(stdout, "\x1b\x07\x7f\u009b") {
				t.Errorf("%v: raw control characters in the output:\n%q", args, stdout)
			}
		}
	})

	t.Run("escape bytes in URL and Host", func(t *testing.T) {
		code, stdout, stderr := run(t, nil, "http", "-r", capf)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if strings.ContainsAny(stdout, "\x1b\x07") || strings.Contains(stdout, "\u009b") || !strings.Contains(stdout, `evil\x1b[31m.example /\x1b]0;pwned\x07\x1b[2J?q=\x9b&r=\xc2\x9b\x7f -> 200`) {
			t.Errorf("summary lines not escaped:\n%q", stdout)
		}
	})
}

// TestEscapeText checks the escaping of wire bytes for the terminal.
func TestEscapeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/index.html?a=b&c=d", "/index.html?a=b&c=d"},
		{"/caf\u00e9/\u65e5\u672c", "/caf\u00e9/\u65e5\u672c"},
		{"\x1b[2J", `\x1b[2J`},
		{"a\x00b\x7fc\td\r\n", `a\x00b\x7fc\x09d\x0d\x0a`},
		{"back\\slash", `back\\slash`},
		{"c1 \u009b csi", `c1 \xc2\x9b csi`},
		{"rlo \u202e txt", `rlo \xe2\x80\xae txt`},
		{"bad \xff utf8", `bad \xff utf8`},
	} {
		if got := escapeText(tc.in); got != tc.want {
			t.Errorf("escapeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
