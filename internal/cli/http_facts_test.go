package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tsTx is one request and its response as either tool saw it.
type tsTx struct {
	method, path, authority string
	status                  int
	bodyHash                string
}

// grpcMsg is one uncompressed gRPC length-prefixed message.
func grpcMsg(s string) []byte {
	b := []byte{0, 0, 0, 0, byte(len(s))}
	return append(b, s...)
}

func writeGRPCReq(t *testing.T, dir string) string {
	p := filepath.Join(dir, "grpc.bin")
	os.WriteFile(p, grpcMsg("hello"), 0o644)
	return p
}

func hashHex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:8]) }

// wirekitFacts reads http --jsonl output and its HAR: transactions by
// path (with query), and per TLS client port "SNI|ALPN offered|JA3".
func wirekitFacts(t *testing.T, js, harPath string) (map[string]tsTx, map[string]string) {
	t.Helper()
	txs, tlsF := map[string]tsTx{}, map[string]string{}
	for _, l := range nonEmptyLines(js) {
		var r struct {
			Type, Method, URL, Host, Client string
			Status                          int
			TLS                             *struct {
				SNI         string   `json:"sni"`
				ALPNOffered []string `json:"alpn_offered"`
				JA3         string   `json:"ja3"`
			}
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Type == "tls" {
			_, port, _ := net.SplitHostPort(r.Client)
			tlsF[port] = r.TLS.SNI + "|" + strings.Join(r.TLS.ALPNOffered, ",") + "|" + r.TLS.JA3
			continue
		}
		txs[r.URL] = tsTx{method: r.Method, path: r.URL, authority: r.Host, status: r.Status}
	}
	b, err := os.ReadFile(harPath)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Log struct {
			Entries []struct {
				Request  struct{ URL string }
				Response struct {
					Content struct{ Text, Encoding string }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	for _, e := range h.Log.Entries {
		u, err := url.Parse(e.Request.URL)
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(e.Response.Content.Text)
		if e.Response.Content.Encoding == "base64" {
			body, _ = base64.StdEncoding.DecodeString(e.Response.Content.Text)
		}
		if x, ok := txs[u.RequestURI()]; ok {
			x.bodyHash = hashHex(body)
			txs[u.RequestURI()] = x
		}
	}
	return txs, tlsF
}

// tsharkFacts reads the same facts with tshark: HTTP/2 header and DATA
// frames by (TCP stream, stream ID), HTTP/1.1 messages by TCP stream.
func tsharkFacts(t *testing.T, capf, keylog string, h2Ports []int) (map[string]tsTx, map[string]string) {
	t.Helper()
	args := []string{"-r", capf, "-o", "tls.keylog_file:" + keylog, "-o", "tcp.reassemble_out_of_order:TRUE"}
	for _, p := range h2Ports {
		args = append(args, "-d", fmt.Sprintf("tcp.port==%d,http2", p))
	}
	fields := []string{"tcp.stream", "tcp.srcport", "http2.type", "http2.streamid", "http2.length", "http2.headers.method", "http2.headers.path",
		"http2.headers.authority", "http2.headers.status", "http2.data.data", "http.request.method", "http.request.uri", "http.host",
		"http.response.code", "http.file_data"}
	fa := append(append([]string{}, args...), "-Y", "http2 or http", "-T", "fields")
	for _, f := range fields {
		fa = append(fa, "-e", f)
	}
	b, err := exec.Command("tshark", fa...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	type key struct{ conn, id string }
	txs := map[key]*tsTx{}
	get := func(k key) *tsTx {
		if txs[k] == nil {
			txs[k] = &tsTx{}
		}
		return txs[k]
	}
	bodies := map[key][]byte{}
	list := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < len(fields) {
			continue
		}
		conn := f[0]
		types, ids, lens := list(f[2]), list(f[3]), list(f[4])
		methods, paths, auths, statuses, data := list(f[5]), list(f[6]), list(f[7]), list(f[8]), list(f[9])
		extra := len(data)
		for i, ty := range types {
			if ty == "0" && i < len(lens) && lens[i] != "0" {
				extra--
			}
		}
		for i, ty := range types {
			if i >= len(ids) {
				break
			}
			k := key{conn, ids[i]}
			switch ty {
			case "1":
				if len(methods) > 0 {
					x := get(k)
					x.method, x.path, methods, paths = methods[0], paths[0], methods[1:], paths[1:]
					if len(auths) > 0 {
						x.authority, auths = auths[0], auths[1:]
					}
				} else if len(statuses) > 0 {
					get(k).status, _ = strconv.Atoi(statuses[0])
					statuses = statuses[1:]
				}
			case "0":
				if len(data) == 0 {
					continue
				}
				if i < len(lens) && lens[i] == "0" {
					if extra > 0 {
						data, extra = data[1:], extra-1 // a reassembled body shown on the last frame
					}
					continue
				}
				if d, _ := hex.DecodeString(data[0]); get(k).status != 0 { // response DATA
					bodies[k] = append(bodies[k], d...)
				}
				data = data[1:]
			}
		}
		if f[10] != "" {
			x := get(key{conn, "h1"})
			x.method, x.path, x.authority = f[10], f[11], f[12]
		}
		if f[13] != "" {
			x := get(key{conn, "h1"})
			x.status, _ = strconv.Atoi(f[13])
			bodies[key{conn, "h1"}] = unescapeTshark(f[14])
		}
	}
	// After Upgrade: h2c, tshark gives the request the 101; the real
	// response is HTTP/2 stream 1 of the same connection.
	for k, x := range txs {
		if up := txs[key{k.conn, "1"}]; k.id == "h1" && x.status == 101 && up != nil && up.method == "" {
			x.status, bodies[k] = up.status, bodies[key{k.conn, "1"}]
		}
	}
	out := map[string]tsTx{}
	for k, x := range txs {
		if x.method == "" {
			continue
		}
		x.bodyHash = hashHex(bodies[k])
		out[x.path] = *x
	}

	// TLS: the ClientHello's facts by client port.
	ha := append(append([]string{}, args...), "-Y", "tls.handshake.type==1", "-T", "fields", "-E", "aggregator=,",
		"-e", "tcp.srcport", "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str", "-e", "tls.handshake.ja3")
	b, err = exec.Command("tshark", ha...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	tlsF := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 4 {
			tlsF[f[0]] = f[1] + "|" + f[2] + "|" + f[3]
		}
	}
	return out, tlsF
}

// unescapeTshark undoes the escaping of -T fields text (\n, \r, \t, \\,
// \" and \xNN).
func unescapeTshark(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b = append(b, s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'x':
			if i+2 < len(s) {
				v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
				b = append(b, byte(v))
				i += 2
			}
		default:
			b = append(b, s[i])
		}
	}
	return b
}
