package report

import (
	"container/heap"
	"net/netip"
	"slices"
	"sort"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/decode"
	"github.com/wirekit/wirekit/flow"
	"github.com/wirekit/wirekit/stream"
	whttp "github.com/wirekit/wirekit/stream/http"
)

// Classes are the protocol classes traffic over time is stacked by, in
// stacking order: the application when decode.Stack names one of http,
// tls or dns, else the transport, else arp, else other.
var Classes = []string{"http", "tls", "dns", "tcp", "udp", "icmp", "arp", "other"}

// Traffic is packets and wire bytes per time bucket and protocol class:
// Packets[c][b] counts the packets of class Classes[c] in bucket b.
type Traffic struct {
	Classes []string  `json:"classes"`
	Packets [][]int64 `json:"packets"`
	Bytes   [][]int64 `json:"bytes"`
}

// Node is one protocol of the hierarchy: the frames whose stack of
// protocols goes through it (from the root down), and their wire bytes,
// as 'tshark -z io,phs' counts them.
type Node struct {
	Name     string  `json:"name"`
	Frames   int64   `json:"frames"`
	Bytes    int64   `json:"bytes"`
	Children []*Node `json:"children,omitempty"`
}

// child returns n's child named name, adding it if needed. Names are the
// constants of decode, so the search compares short strings.
func (n *Node) child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	c := &Node{Name: name}
	n.Children = append(n.Children, c)
	return c
}

// sortTree orders every level by frames, most first.
func (n *Node) sortTree() {
	sort.SliceStable(n.Children, func(i, j int) bool { return n.Children[i].Frames > n.Children[j].Frames })
	for _, c := range n.Children {
		c.sortTree()
	}
}

// Talker is one host (IP address, or MAC address for non-IP traffic) and
// the conversations it took part in.
type Talker struct {
	Host string `json:"host"`
	// Sent and Received are frame bytes (link layer, as tshark's endpoint
	// tables count).
	Sent     int64 `json:"sent"`
	Received int64 `json:"received"`
	Packets  int64 `json:"packets"`
	Flows    int64 `json:"flows"`
}

// Conversation is one record of the conversation table (package flow).
type Conversation struct {
	Proto     string        `json:"proto"`
	Service   string        `json:"service,omitempty"`
	Orig      string        `json:"orig"`
	Resp      string        `json:"resp"`
	Start     time.Time     `json:"start"`
	Duration  time.Duration `json:"duration"`
	OrigBytes int64         `json:"orig_frame_bytes"`
	RespBytes int64         `json:"resp_frame_bytes"`
	OrigPkts  int64         `json:"orig_pkts"`
	RespPkts  int64         `json:"resp_pkts"`
	State     string        `json:"conn_state,omitempty"`
}

// Total is the frame bytes both ways.
func (c *Conversation) Total() int64 { return c.OrigBytes + c.RespBytes }

// TCPHealth counts, per time bucket, TCP segments retransmitted and out of
// order (as 'wirekit streams' counts them, from its reassembly), resets
// (segments with RST) and zero windows (segments advertising a window of 0,
// SYN, FIN and RST aside, as Wireshark's tcp.analysis.zero_window).
type TCPHealth struct {
	Retransmissions []int64 `json:"retransmissions"`
	OutOfOrder      []int64 `json:"out_of_order"`
	Resets          []int64 `json:"resets"`
	ZeroWindows     []int64 `json:"zero_windows"`
	// Totals over the set, in the same order.
	TotalRetransmissions int64 `json:"total_retransmissions"`
	TotalOutOfOrder      int64 `json:"total_out_of_order"`
	TotalResets          int64 `json:"total_resets"`
	TotalZeroWindows     int64 `json:"total_zero_windows"`
	// Segments counts the TCP segments reassembly saw, Conns the TCP
	// connections.
	Segments int64 `json:"segments"`
	Conns    int64 `json:"conns"`
}

// maxHosts bounds the talkers table; past it the smaller half is dropped
// and Report.TalkersExact is false.
const maxHosts = 1 << 16

// collector aggregates packets into a Report.
type collector struct {
	r     *Report
	cfg   *Config
	n     int // buckets
	start int64
	step  int64
	stack decode.Stack
	ft    *flow.Table
	asm   *stream.Assembler
	hp    *whttp.Parser
	http  *httpAgg
	hosts map[string]*Talker
	conv  convHeap
	prev  stream.Stats
}

func newCollector(r *Report, n int, cfg *Config) (*collector, error) {
	c := &collector{r: r, cfg: cfg, n: n, start: r.Start.UnixNano(), step: int64(r.Step), hosts: map[string]*Talker{}}
	r.TalkersExact = true
	r.Traffic.Classes = Classes
	r.Traffic.Packets = make([][]int64, len(Classes))
	r.Traffic.Bytes = make([][]int64, len(Classes))
	for i := range Classes {
		r.Traffic.Packets[i] = make([]int64, n)
		r.Traffic.Bytes[i] = make([]int64, n)
	}
	r.TCP.Retransmissions = make([]int64, n)
	r.TCP.OutOfOrder = make([]int64, n)
	r.TCP.Resets = make([]int64, n)
	r.TCP.ZeroWindows = make([]int64, n)
	r.Hierarchy = &Node{Name: "frame"}
	ft, err := flow.New(cfg.Flow, c.flow)
	if err != nil {
		return nil, err
	}
	c.ft = ft
	c.http = newHTTPAgg(n)
	c.hp = whttp.NewParser(httpConfig(), c.tx)
	c.asm = stream.New(assemblerConfig(), c.hp, nil)
	return c, nil
}

// bucket returns the time bucket of t, clamped into the range.
func (c *collector) bucket(t time.Time) int {
	b := (t.UnixNano() - c.start) / c.step
	return int(max(0, min(b, int64(c.n-1))))
}

func (c *collector) packet(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) {
	r := c.r
	wire := int64(ci.Length)
	if wire == 0 {
		wire = int64(ci.CaptureLength)
	}
	r.Packets++
	r.Bytes += wire
	b := c.bucket(ci.Timestamp)
	c.stack.Decode(data, lt)
	n := r.Hierarchy
	n.Frames++
	n.Bytes += wire
	class := len(Classes) - 1
	for _, name := range c.stack.Names {
		n = n.child(name)
		n.Frames++
		n.Bytes += wire
		if k := classOf(name); k >= 0 && k < class {
			class = k
		}
	}
	r.Traffic.Packets[class][b]++
	r.Traffic.Bytes[class][b] += wire
	if c.stack.TCP {
		fl := c.stack.TCPFlags
		if fl&decode.TCPRst != 0 {
			r.TCP.Resets[b]++
			r.TCP.TotalResets++
		}
		if c.stack.TCPWindow == 0 && fl&(decode.TCPRst|decode.TCPSyn|decode.TCPFin) == 0 {
			r.TCP.ZeroWindows[b]++
			r.TCP.TotalZeroWindows++
		}
	}
	c.ft.Packet(ci, data, lt)
	c.asm.Packet(ci, data, lt)
	st := c.asm.Stats()
	if d := st.Retransmissions - c.prev.Retransmissions; d != 0 {
		r.TCP.Retransmissions[b] += d
	}
	if d := st.OutOfOrder - c.prev.OutOfOrder; d != 0 {
		r.TCP.OutOfOrder[b] += d
	}
	c.prev = st
}

// classOf gives a protocol name's class index, -1 for names that choose
// none (eth, ip...).
func classOf(name string) int {
	switch name {
	case decode.ProtoHTTP:
		return 0
	case decode.ProtoTLS:
		return 1
	case decode.ProtoDNS:
		return 2
	case decode.ProtoTCP:
		return 3
	case decode.ProtoUDP:
		return 4
	case decode.ProtoICMP, decode.ProtoICMPv6:
		return 5
	case decode.ProtoARP:
		return 6
	}
	return -1
}

// flow takes one conversation record as it ends.
func (c *collector) flow(fr *flow.Record) {
	c.r.Flows++
	cv := Conversation{Proto: fr.Proto, Service: fr.Service, Start: fr.TS, Duration: fr.Duration,
		OrigBytes: fr.OrigFrameBytes, RespBytes: fr.RespFrameBytes, OrigPkts: fr.OrigPkts, RespPkts: fr.RespPkts, State: fr.ConnState}
	oh, rh := hostOf(fr.Orig, fr.HasMAC, fr.OrigMAC), hostOf(fr.Resp, fr.HasMAC, fr.RespMAC)
	cv.Orig, cv.Resp = endpointString(fr.Orig, oh), endpointString(fr.Resp, rh)
	c.talk(oh, fr.OrigFrameBytes, fr.RespFrameBytes, fr.OrigPkts+fr.RespPkts)
	if rh != oh {
		c.talk(rh, fr.RespFrameBytes, fr.OrigFrameBytes, fr.OrigPkts+fr.RespPkts)
	}
	top := c.cfg.Top
	if len(c.conv) < top {
		heap.Push(&c.conv, cv)
	} else if cv.Total() > c.conv[0].Total() {
		c.conv[0] = cv
		heap.Fix(&c.conv, 0)
	}
}

func hostOf(ap netip.AddrPort, hasMAC bool, mac [6]byte) string {
	if ap.IsValid() {
		return ap.Addr().String()
	}
	if hasMAC {
		return flow.MAC(mac)
	}
	return "-"
}

func endpointString(ap netip.AddrPort, host string) string {
	if ap.IsValid() && ap.Port() != 0 {
		return ap.String()
	}
	return host
}

func (c *collector) talk(host string, sent, recv, pkts int64) {
	t := c.hosts[host]
	if t == nil {
		if len(c.hosts) >= maxHosts {
			c.pruneHosts()
		}
		t = &Talker{Host: host}
		c.hosts[host] = t
	}
	t.Sent += sent
	t.Received += recv
	t.Packets += pkts
	t.Flows++
}

// pruneHosts drops the smaller half of the talkers table.
func (c *collector) pruneHosts() {
	c.r.TalkersExact = false
	all := make([]*Talker, 0, len(c.hosts))
	for _, t := range c.hosts {
		all = append(all, t)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Sent+all[i].Received > all[j].Sent+all[j].Received })
	for _, t := range all[len(all)/2:] {
		delete(c.hosts, t.Host)
	}
}

// tx takes one HTTP transaction.
func (c *collector) tx(tx *whttp.Transaction) {
	start, _ := tx.Span()
	c.http.add(tx, c.bucket(start))
}

// finish ends the open conversations and connections and sorts the
// tables.
func (c *collector) finish() {
	c.ft.Flush()
	c.asm.Flush()
	st := c.asm.Stats()
	// Flushing may deliver buffered segments: their counts go to the
	// last bucket.
	if d := st.Retransmissions - c.prev.Retransmissions; d != 0 {
		c.r.TCP.Retransmissions[c.n-1] += d
	}
	if d := st.OutOfOrder - c.prev.OutOfOrder; d != 0 {
		c.r.TCP.OutOfOrder[c.n-1] += d
	}
	c.r.TCP.TotalRetransmissions, c.r.TCP.TotalOutOfOrder = st.Retransmissions, st.OutOfOrder
	c.r.TCP.Segments, c.r.TCP.Conns = st.TCP, st.Conns
	c.r.Hierarchy.sortTree()
	talkers := make([]Talker, 0, len(c.hosts))
	for _, t := range c.hosts {
		talkers = append(talkers, *t)
	}
	sort.Slice(talkers, func(i, j int) bool {
		a, b := talkers[i].Sent+talkers[i].Received, talkers[j].Sent+talkers[j].Received
		if a != b {
			return a > b
		}
		return talkers[i].Host < talkers[j].Host
	})
	c.r.Talkers = talkers[:min(len(talkers), c.cfg.Top)]
	conv := slices.Clone([]Conversation(c.conv))
	sort.SliceStable(conv, func(i, j int) bool { return conv[i].Total() > conv[j].Total() })
	c.r.Conversations = conv
	c.r.HTTP = c.http.summary()
}

// convHeap is a min-heap of conversations by total bytes: the smallest of
// the top N at the root.
type convHeap []Conversation

func (h convHeap) Len() int           { return len(h) }
func (h convHeap) Less(i, j int) bool { return h[i].Total() < h[j].Total() }
func (h convHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *convHeap) Push(x any)        { *h = append(*h, x.(Conversation)) }
func (h *convHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
