package stream_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
)

// conversation builds the packets of one TCP connection: a handshake
// (unless midStream), then each step's bytes sent in segments of at most
// mss bytes and acknowledged, then FINs (unless cut).
type conversation struct {
	t         testing.TB
	cli, srv  netip.AddrPort
	cseq      uint32
	sseq      uint32
	ts        time.Time
	pkts      []pkt
	midStream bool
}

const mss = 1000

func newConversation(t testing.TB, cli, srv string, start time.Time, midStream bool) *conversation {
	c := &conversation{t: t, cli: netip.MustParseAddrPort(cli), srv: netip.MustParseAddrPort(srv), cseq: 1000, sseq: 5000, ts: start, midStream: midStream}
	if !midStream {
		c.add(c.cli, c.srv, c.cseq, "S", nil)
		c.add(c.srv, c.cli, c.sseq, "SA", nil)
		c.cseq++
		c.sseq++
		c.add(c.cli, c.srv, c.cseq, "A", nil)
	}
	return c
}

func (c *conversation) add(from, to netip.AddrPort, seq uint32, flags string, payload []byte) {
	c.ts = c.ts.Add(300 * time.Microsecond)
	ack := c.sseq // acknowledge all the other side sent
	if from == c.srv {
		ack = c.cseq
	}
	c.pkts = append(c.pkts, pkt{gopacket.CaptureInfo{Timestamp: c.ts}, buildSeg(c.t, from, to, seq, ack, flags, payload)})
	n := len(c.pkts[len(c.pkts)-1].data)
	c.pkts[len(c.pkts)-1].ci.CaptureLength, c.pkts[len(c.pkts)-1].ci.Length = n, n
}

// send sends data from the client (toServer) or the server in segments.
func (c *conversation) send(toServer bool, data string) {
	for len(data) > 0 {
		n := min(len(data), mss)
		if toServer {
			c.add(c.cli, c.srv, c.cseq, "PA", []byte(data[:n]))
			c.cseq += uint32(n)
			c.add(c.srv, c.cli, c.sseq, "A", nil)
		} else {
			c.add(c.srv, c.cli, c.sseq, "PA", []byte(data[:n]))
			c.sseq += uint32(n)
			c.add(c.cli, c.srv, c.cseq, "A", nil)
		}
		data = data[n:]
	}
}

func (c *conversation) close() []pkt {
	c.add(c.cli, c.srv, c.cseq, "FA", nil)
	c.add(c.srv, c.cli, c.sseq, "FA", nil)
	c.add(c.cli, c.srv, c.cseq+1, "A", nil)
	return c.pkts
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func zlibbed(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func chunked(s string, size int) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(size, len(s))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	b.WriteString("0\r\nX-Trailer: done\r\n\r\n")
	return b.String()
}

func response(status, headers, body string) string {
	return fmt.Sprintf("HTTP/1.1 %s\r\n%sContent-Length: %d\r\n\r\n%s", status, headers, len(body), body)
}

// encodingsCapture is a hand-built capture of HTTP features the generator
// does not make: chunked and gzip/deflate bodies, pipelining, HEAD, 304,
// 100-continue with a POST body, a close-delimited HTTP/1.0 response, and a
// connection captured from its middle.
func encodingsCapture(t testing.TB) []pkt {
	text := strings.Repeat("wirekit reads HTTP out of packets. ", 120) // 4200 bytes
	json := `{"items":[` + strings.Repeat(`{"id":1,"name":"x"},`, 100) + `{"id":2}]}`
	start := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var all []pkt

	c := newConversation(t, "192.168.1.10:50001", "192.168.1.1:80", start, false)
	get := func(path string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: example.test\r\nAccept-Encoding: gzip, deflate\r\n\r\n"
	}
	c.send(true, get("/plain.txt"))
	c.send(false, response("200 OK", "Content-Type: text/plain\r\n", text))
	c.send(true, get("/chunked.txt"))
	c.send(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"+chunked(text, 700))
	c.send(true, get("/gzip.json"))
	c.send(false, response("200 OK", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", gzipped(json)))
	c.send(true, get("/deflate.txt"))
	c.send(false, response("200 OK", "Content-Type: text/plain\r\nContent-Encoding: deflate\r\n", zlibbed(text)))
	c.send(true, get("/gzip-chunked.txt"))
	c.send(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"+chunked(gzipped(text+json), 333))
	all = append(all, c.close()...)

	c = newConversation(t, "192.168.1.10:50002", "192.168.1.1:80", start.Add(time.Second), false)
	c.send(true, get("/p1")+get("/p2")+get("/p3"))
	c.send(false, response("200 OK", "Content-Type: text/plain\r\n", "one")+response("404 Not Found", "Content-Type: text/plain\r\n", "not here")+response("200 OK", "Content-Type: text/plain\r\n", text[:1500]))
	all = append(all, c.close()...)

	c = newConversation(t, "192.168.1.10:50003", "192.168.1.1:80", start.Add(2*time.Second), false)
	c.send(true, "HEAD /plain.txt HTTP/1.1\r\nHost: example.test\r\n\r\n")
	c.send(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4200\r\n\r\n")
	c.send(true, "GET /cached HTTP/1.1\r\nHost: example.test\r\nIf-None-Match: \"x\"\r\n\r\n")
	c.send(false, "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n")
	c.send(true, "POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "+fmt.Sprint(len(json))+"\r\n\r\n")
	c.send(false, "HTTP/1.1 100 Continue\r\n\r\n")
	c.send(true, json)
	c.send(false, response("201 Created", "Content-Type: application/json\r\n", `{"ok":true}`))
	all = append(all, c.close()...)

	c = newConversation(t, "192.168.1.10:50004", "192.168.1.1:8080", start.Add(3*time.Second), false)
	c.send(true, "GET /old HTTP/1.0\r\nHost: example.test\r\n\r\n")
	c.send(false, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"+text[:2500])
	all = append(all, c.close()...)

	c = newConversation(t, "192.168.1.10:50005", "192.168.1.1:80", start.Add(4*time.Second), true)
	c.send(false, text[:900]) // the end of a body whose start was not captured
	c.send(false, response("200 OK", "Content-Type: text/plain\r\n", "after the middle"))
	c.send(true, get("/next"))
	c.send(false, response("200 OK", "Content-Type: text/plain\r\n", "next"))
	all = append(all, c.close()...)
	return all
}
