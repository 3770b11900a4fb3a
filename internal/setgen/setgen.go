// Package setgen writes generated capture sets with a known truth: N
// workers each rotating their own files in one folder (as multi-threaded
// capture does), with holes and overlaps put where the caller says, and
// HTTP transactions of known hosts, paths, statuses and latencies mixed
// into the synthetic traffic of internal/synth. Tests of 'wirekit report'
// and scripts/report-screenshot.sh use it.
package setgen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/synth"
	"github.com/wirekit/wirekit/pcapio"
)

// Edit moves or removes one file of one worker.
type Edit struct {
	Worker, File int
	// By is how much later (Hole) or earlier (Overlap) the file begins
	// than right after the one before it ends; unused for Missing.
	By time.Duration
}

// Config describes a set.
type Config struct {
	Dir      string
	Workers  int
	Files    int           // files per worker
	FileSpan time.Duration // time each file covers
	Packets  int           // packets per file (synthetic traffic, HTTP added)
	// Bytes, when set, sizes each file's synthetic traffic in captured
	// bytes instead of Packets.
	Bytes int64
	Start time.Time
	// Offset staggers the workers: worker w begins w*Offset after Start.
	Offset   time.Duration
	Holes    []Edit // the file begins By after the one before it ends
	Overlaps []Edit // the file begins By before the one before it ends
	Missing  []Edit // the file is not written
	// HTTP is how many HTTP transactions each file holds.
	HTTP int
	Seed int64
}

// File is one file written.
type File struct {
	Path            string
	Worker, Index   int
	Beginning, End  time.Time // first and last packet times
	Packets         int
	HTTP            int // transactions
	Retransmissions int // request segments sent twice
}

// Truth is what the set holds.
type Truth struct {
	Files []File
	// Gaps and Overlaps list, per worker, the stretches between
	// consecutive files of that worker: [From, To].
	Gaps, Overlaps []Stretch
}

// Stretch is a gap or an overlap in one worker's files.
type Stretch struct {
	Worker   int
	From, To time.Time
}

// Paths, hosts and statuses the HTTP transactions use: ids, UUIDs and
// hashes that a report collapses into path templates.
var (
	hosts = []string{"api.example.com", "shop.example.com", "static.example.net"}
)

func pathFor(rng *rnd, host string) (string, int, time.Duration) {
	switch host {
	case "api.example.com":
		switch rng.intn(4) {
		case 0:
			return fmt.Sprintf("/users/%d", 1000+rng.intn(90000)), 200, time.Duration(2+rng.intn(20)) * time.Millisecond
		case 1:
			return fmt.Sprintf("/users/%d/orders/%08x-%04x-4%03x-a%03x-%012x", rng.intn(5000), rng.next()&0xffffffff, rng.intn(65536), rng.intn(4096), rng.intn(4096), rng.next()&0xffffffffffff), 200, time.Duration(20+rng.intn(120)) * time.Millisecond
		case 2:
			return fmt.Sprintf("/search?q=%d", rng.intn(100)), []int{200, 200, 200, 500}[rng.intn(4)], time.Duration(50+rng.intn(400)) * time.Millisecond
		}
		return "/health", 200, time.Duration(1+rng.intn(3)) * time.Millisecond
	case "shop.example.com":
		if rng.intn(5) == 0 {
			return fmt.Sprintf("/cart/%d", rng.intn(100000)), 404, time.Duration(3+rng.intn(5)) * time.Millisecond
		}
		return fmt.Sprintf("/products/%d", rng.intn(100000)), []int{200, 200, 301, 200}[rng.intn(4)], time.Duration(10+rng.intn(60)) * time.Millisecond
	}
	return fmt.Sprintf("/assets/%016x%016x.js", rng.next(), rng.next()), []int{200, 304}[rng.intn(2)], time.Duration(1+rng.intn(8)) * time.Millisecond
}

// rnd is a splitmix64 generator: the same seed gives the same set.
type rnd struct{ s uint64 }

func (r *rnd) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
func (r *rnd) intn(n int) int { return int(r.next() % uint64(n)) }

// Write writes the set described by cfg into cfg.Dir (created if needed)
// as worker-W-NNNN.pcap files and returns its truth.
func Write(cfg Config) (*Truth, error) {
	if cfg.Workers <= 0 || cfg.Files <= 0 || cfg.FileSpan <= 0 || (cfg.Packets <= 0 && cfg.Bytes <= 0) {
		return nil, errors.New("setgen: Workers, Files, FileSpan and Packets or Bytes must be above zero")
	}
	if cfg.Start.IsZero() {
		cfg.Start = synth.DefaultStart
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	edit := func(list []Edit, w, f int) (Edit, bool) {
		for _, e := range list {
			if e.Worker == w && e.File == f {
				return e, true
			}
		}
		return Edit{}, false
	}
	tr := &Truth{}
	for w := range cfg.Workers {
		var prevEnd time.Time
		nominal := cfg.Start.Add(time.Duration(w) * cfg.Offset)
		for k := range cfg.Files {
			begin := nominal
			end := nominal.Add(cfg.FileSpan - time.Millisecond)
			nominal = nominal.Add(cfg.FileSpan)
			if _, ok := edit(cfg.Missing, w, k); ok {
				continue
			}
			if e, ok := edit(cfg.Holes, w, k); ok && !prevEnd.IsZero() {
				begin = prevEnd.Add(e.By)
			}
			if e, ok := edit(cfg.Overlaps, w, k); ok && !prevEnd.IsZero() {
				begin = prevEnd.Add(-e.By)
			}
			if !prevEnd.IsZero() {
				if d := begin.Sub(prevEnd); d > 100*time.Millisecond {
					tr.Gaps = append(tr.Gaps, Stretch{w, prevEnd, begin})
				} else if d < 0 {
					tr.Overlaps = append(tr.Overlaps, Stretch{w, begin, prevEnd})
				}
			}
			f, err := writeFile(cfg, w, k, begin, end)
			if err != nil {
				return nil, err
			}
			tr.Files = append(tr.Files, f)
			prevEnd = f.End
		}
	}
	return tr, nil
}

// writeFile writes one file whose first packet is at begin and last at
// end: synthetic traffic with its timing scaled into [begin, end], and
// HTTP transactions placed evenly inside.
func writeFile(cfg Config, w, k int, begin, end time.Time) (File, error) {
	f := File{Path: filepath.Join(cfg.Dir, fmt.Sprintf("worker-%d-%04d.pcap", w, k)), Worker: w, Index: k, Beginning: begin, End: end}
	seed := cfg.Seed*1_000_003 + int64(w)*10_007 + int64(k)
	sc := synth.Config{Seed: seed, Packets: cfg.Packets, Flows: 64}
	if cfg.Bytes > 0 {
		sc.Packets, sc.Bytes = 0, cfg.Bytes
	}
	// First pass: how long the synthetic traffic lasts, to scale it.
	var last time.Time
	if err := synth.Generate(sc, func(ci gopacket.CaptureInfo, _ []byte) error { last = ci.Timestamp; return nil }); err != nil {
		return f, err
	}
	span := last.Sub(synth.DefaultStart)
	scale := func(t time.Time) time.Time {
		if span <= 0 {
			return begin
		}
		return begin.Add(time.Duration(float64(t.Sub(synth.DefaultStart)) / float64(span) * float64(end.Sub(begin)))).Truncate(time.Microsecond)
	}
	rng := &rnd{s: uint64(seed)}
	extra := httpFrames(rng, cfg.HTTP, begin, end, &f)
	out, err := pcapio.Create(f.Path, []pcapio.Interface{{LinkType: layers.LinkTypeEthernet, SnapLen: 262144, Resolution: time.Microsecond}}, nil)
	if err != nil {
		return f, err
	}
	defer out.Abort()
	var werr error
	write := func(ci gopacket.CaptureInfo, data []byte) error {
		f.Packets++
		if err := out.WritePacket(ci, data); err != nil {
			werr = err
			return err
		}
		return nil
	}
	err = synth.Generate(sc, func(ci gopacket.CaptureInfo, data []byte) error {
		ci.Timestamp = scale(ci.Timestamp)
		for len(extra) > 0 && !extra[0].ci.Timestamp.After(ci.Timestamp) {
			if err := write(extra[0].ci, extra[0].data); err != nil {
				return err
			}
			extra = extra[1:]
		}
		return write(ci, data)
	})
	for _, x := range extra {
		if err == nil {
			err = write(x.ci, x.data)
		}
	}
	if err != nil {
		return f, fmt.Errorf("setgen: %s: %w", f.Path, errors.Join(err, werr))
	}
	if err := out.Close(); err != nil {
		return f, err
	}
	return f, nil
}

type frame struct {
	ci   gopacket.CaptureInfo
	data []byte
}

// httpFrames builds n HTTP transactions, each on its own connection,
// spread over [begin, end], sorted by time.
func httpFrames(rng *rnd, n int, begin, end time.Time, f *File) []frame {
	var out []frame
	for i := range n {
		at := begin.Add(time.Duration(float64(end.Sub(begin)) * (float64(i) + 0.5) / float64(n)))
		host := hosts[rng.intn(len(hosts))]
		path, status, lat := pathFor(rng, host)
		c := &conv{client: net.IPv4(10, 1, byte(rng.intn(8)), byte(1+rng.intn(200))).To4(), server: net.IPv4(192, 0, 2, byte(10+rng.intn(3))).To4(),
			cport: uint16(20000 + rng.intn(40000)), sport: 80, t: at, cseq: uint32(rng.next()), sseq: uint32(rng.next())}
		c.seg(true, layers.TCP{SYN: true}, nil, 0)
		c.seg(false, layers.TCP{SYN: true, ACK: true}, nil, 300*time.Microsecond)
		c.seg(true, layers.TCP{ACK: true}, nil, 300*time.Microsecond)
		req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: setgen\r\n\r\n")
		c.seg(true, layers.TCP{PSH: true, ACK: true}, req, 50*time.Microsecond)
		if i%7 == 3 { // the request sent again: a retransmission
			c.cseq -= uint32(len(req))
			c.seg(true, layers.TCP{PSH: true, ACK: true}, req, 200*time.Microsecond)
			f.Retransmissions++
		}
		body := make([]byte, 200+rng.intn(3000))
		for j := range body {
			body[j] = 'a' + byte(j%26)
		}
		if status == 304 || status == 301 {
			body = body[:0]
		}
		resp := fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n", status, reason(status), len(body))
		resp = append(resp, body...)
		c.seg(false, layers.TCP{PSH: true, ACK: true}, resp, lat)
		c.seg(true, layers.TCP{ACK: true}, nil, 100*time.Microsecond)
		c.seg(true, layers.TCP{FIN: true, ACK: true}, nil, 100*time.Microsecond)
		c.seg(false, layers.TCP{FIN: true, ACK: true}, nil, 100*time.Microsecond)
		c.seg(true, layers.TCP{ACK: true}, nil, 100*time.Microsecond)
		out = append(out, c.frames...)
		f.HTTP++
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].ci.Timestamp.Before(out[b].ci.Timestamp) })
	return out
}

func reason(s int) string {
	switch s {
	case 200:
		return "OK"
	case 301:
		return "Moved Permanently"
	case 304:
		return "Not Modified"
	case 404:
		return "Not Found"
	}
	return "Internal Server Error"
}

// conv builds one TCP connection's Ethernet frames.
type conv struct {
	client, server net.IP
	cport, sport   uint16
	t              time.Time
	cseq, sseq     uint32
	frames         []frame
}

func (c *conv) seg(fromClient bool, tcp layers.TCP, payload []byte, after time.Duration) {
	c.t = c.t.Add(after).Truncate(time.Microsecond)
	src, dst, sp, dp := c.client, c.server, c.cport, c.sport
	seq, ack := &c.cseq, &c.sseq
	if !fromClient {
		src, dst, sp, dp = dst, src, dp, sp
		seq, ack = ack, seq
	}
	tcp.SrcPort, tcp.DstPort = layers.TCPPort(sp), layers.TCPPort(dp)
	tcp.Seq, tcp.Window = *seq, 64240
	if tcp.ACK {
		tcp.Ack = *ack
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 1, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 2, 2}, EthernetType: layers.EthernetTypeIPv4}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, &tcp, gopacket.Payload(payload)); err != nil {
		panic(err) // fixed layers: cannot fail
	}
	*seq += uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		*seq++
	}
	data := append([]byte(nil), buf.Bytes()...)
	c.frames = append(c.frames, frame{gopacket.CaptureInfo{Timestamp: c.t, CaptureLength: len(data), Length: len(data)}, data})
}
