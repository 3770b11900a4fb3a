package flow

import (
	"errors"
	"slices"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Defaults of [Config], Zeek's inactivity timeouts and close delays.
const (
	DefaultTCPTimeout   = 5 * time.Minute
	DefaultUDPTimeout   = time.Minute
	DefaultICMPTimeout  = time.Minute
	DefaultOtherTimeout = time.Minute
	DefaultCloseDelay   = 5 * time.Second
	DefaultMaxFlows     = 1 << 18
)

// Config sets the table's timeouts and its active-flow cap. A nil *Config,
// and zero fields, mean the defaults.
type Config struct {
	// TCPTimeout ends a TCP conversation idle this long (packet time).
	TCPTimeout time.Duration
	// UDPTimeout ends a UDP (or SCTP) conversation idle this long.
	UDPTimeout time.Duration
	// ICMPTimeout ends an ICMP or ICMPv6 conversation idle this long.
	ICMPTimeout time.Duration
	// OtherTimeout ends a conversation of another IP protocol, or a non-IP
	// one, idle this long.
	OtherTimeout time.Duration
	// CloseDelay is how long a TCP conversation stays in the table after
	// both sides closed it or one reset it, to take in the last ACKs.
	CloseDelay time.Duration
	// MaxFlows caps the conversations held at once: a new one beyond it
	// first ends the one idle longest (its record says so).
	MaxFlows int
	// Seed varies the UIDs; the same input and seed give the same UIDs.
	Seed uint64
}

// ErrConfig is wrapped by [New] for a negative timeout or cap.
var ErrConfig = errors.New("flow: bad configuration")

// timeout classes: one idle list each.
const (
	classTCP = iota
	classUDP
	classICMP
	classOther
	classClosed
	numClasses
)

// key identifies a conversation in both directions: side a is the lower
// endpoint, so both directions give the same key.
type key struct {
	a, b   [16]byte
	pa, pb uint16
	proto  uint8
	family uint8
	etype  uint16
	id     uint16
	vlan   [2]uint16
}

// Stats counts what a Table saw.
type Stats struct {
	Packets  int64 // packets given to Packet
	Unkeyed  int64 // packets with no conversation key (not IP, not Ethernet)
	Flows    int64 // records emitted
	Evicted  int64 // of those, ended early by the MaxFlows cap
	Active   int   // conversations in the table now
	MaxHeld  int   // most conversations held at once
	Restarts int64 // TCP conversations ended by a new SYN on the same ports
}

// Table is a flow table: feed it packets in capture order with Packet; it
// calls the emit function given to [New] with each conversation's record as
// the conversation ends (TCP close or reset plus CloseDelay, an idle
// timeout, the MaxFlows cap) and, for those still open, on Flush. A Table
// is not safe for concurrent use.
type Table struct {
	cfg     Config
	timeout [numClasses]int64
	emit    func(*Record)

	index  map[key]int32
	chunks [][]conn // conversations, chunkSize each (no copying as the table grows)
	n      int32    // slots used in chunks
	free   []int32
	head   [numClasses]int32
	tail   [numClasses]int32
	seq    uint64
	now    int64
	nextEx int64
	p      pkt
	rec    Record
	st     Stats
}

// New returns a Table with cfg (nil for defaults) that calls emit with each
// record; the *Record is valid only during the call.
func New(cfg *Config, emit func(*Record)) (*Table, error) {
	t := &Table{emit: emit}
	if cfg != nil {
		t.cfg = *cfg
	}
	c := &t.cfg
	for _, d := range []*time.Duration{&c.TCPTimeout, &c.UDPTimeout, &c.ICMPTimeout, &c.OtherTimeout, &c.CloseDelay} {
		if *d < 0 {
			return nil, errors.Join(ErrConfig, errors.New("flow: negative timeout "+d.String()))
		}
	}
	if c.MaxFlows < 0 {
		return nil, errors.Join(ErrConfig, errors.New("flow: negative MaxFlows"))
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.TCPTimeout, DefaultTCPTimeout)
	def(&c.UDPTimeout, DefaultUDPTimeout)
	def(&c.ICMPTimeout, DefaultICMPTimeout)
	def(&c.OtherTimeout, DefaultOtherTimeout)
	def(&c.CloseDelay, DefaultCloseDelay)
	if c.MaxFlows == 0 {
		c.MaxFlows = DefaultMaxFlows
	}
	t.timeout = [numClasses]int64{int64(c.TCPTimeout), int64(c.UDPTimeout), int64(c.ICMPTimeout), int64(c.OtherTimeout), int64(c.CloseDelay)}
	t.index = make(map[key]int32, min(c.MaxFlows, 1<<12))
	for i := range t.head {
		t.head[i], t.tail[i] = -1, -1
	}
	if emit == nil {
		t.emit = func(*Record) {}
	}
	return t, nil
}

// Stats returns the counts so far.
func (t *Table) Stats() Stats {
	s := t.st
	s.Active = len(t.index)
	return s
}

// Packet adds one packet of link type lt (captured bytes data, capture
// info ci) to its conversation. It does not keep data. Conversations idle
// past their timeout (by ci's timestamp) end first.
func (t *Table) Packet(ci gopacket.CaptureInfo, data []byte, lt layers.LinkType) {
	t.st.Packets++
	now := ci.Timestamp.UnixNano()
	if now > t.now {
		t.now = now
	}
	if t.now >= t.nextEx {
		t.expire(t.now)
		t.nextEx = t.now + int64(time.Second)
	}
	p := &t.p
	parse(p, lt, data)
	if !p.ok {
		t.st.Unkeyed++
		return
	}
	wire := ci.Length
	if wire < len(data) {
		wire = len(data)
	}
	k, fromA := makeKey(p)
	i, found := t.index[k]
	if found && t.c(i).restart(p, fromA) {
		t.st.Restarts++
		t.end(i, EndRestart)
		found = false
	}
	if !found {
		i = t.add(&k, p, fromA, now)
	}
	c := t.c(i)
	c.update(p, fromA, now, wire)
	cl := c.class()
	if cl != c.cls {
		t.unlink(i)
		c.cls = cl
		t.pushTail(i)
	} else if t.tail[cl] != i {
		t.unlink(i)
		t.pushTail(i)
	}
}

// Advance ends the conversations idle past their timeouts at time now (for
// a live capture that has gone quiet). A now before the last packet's
// time is taken as that time.
func (t *Table) Advance(now time.Time) {
	n := now.UnixNano()
	if n > t.now {
		t.now = n
	}
	t.expire(t.now)
}

// Flush ends every conversation still in the table, in the order they
// started, as at the end of the input.
func (t *Table) Flush() {
	live := make([]int32, 0, len(t.index))
	for _, i := range t.index {
		live = append(live, i)
	}
	slices.SortFunc(live, func(a, b int32) int {
		sa, sb := t.c(a).seq, t.c(b).seq
		switch {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	})
	for _, i := range live {
		t.end(i, EndFlush)
	}
}

// expire ends the conversations idle past their class's timeout.
func (t *Table) expire(now int64) {
	for cl := range numClasses {
		for t.head[cl] >= 0 {
			i := t.head[cl]
			if t.c(i).last+t.timeout[cl] > now {
				break
			}
			r := EndTimeout
			if cl == classClosed {
				r = EndClosed
			}
			t.end(i, r)
		}
	}
}

// add makes a new conversation for p, ending the longest-idle one first
// when the table is full.
func (t *Table) add(k *key, p *pkt, fromA bool, now int64) int32 {
	if len(t.index) >= t.cfg.MaxFlows {
		old := int32(-1)
		for cl := range numClasses {
			h := t.head[cl]
			if h >= 0 && (old < 0 || t.c(h).last < t.c(old).last) {
				old = h
			}
		}
		if old >= 0 {
			t.st.Evicted++
			t.end(old, EndEvicted)
		}
	}
	var i int32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		if t.n&chunkMask == 0 {
			t.chunks = append(t.chunks, make([]conn, chunkSize))
		}
		i = t.n
		t.n++
	}
	t.seq++
	t.c(i).init(k, p, fromA, now, t.seq)
	t.c(i).cls = t.c(i).class()
	t.index[*k] = i
	t.pushTail(i)
	if n := len(t.index); n > t.st.MaxHeld {
		t.st.MaxHeld = n
	}
	return i
}

// end emits conversation i's record and frees its slot.
func (t *Table) end(i int32, why EndReason) {
	c := t.c(i)
	c.record(&t.rec, t.cfg.Seed, why)
	t.st.Flows++
	t.unlink(i)
	delete(t.index, c.k)
	*c = conn{}
	t.free = append(t.free, i)
	t.emit(&t.rec)
}

func (t *Table) unlink(i int32) {
	c := t.c(i)
	cl := c.cls
	if c.prev >= 0 {
		t.c(c.prev).next = c.next
	} else if t.head[cl] == i {
		t.head[cl] = c.next
	}
	if c.next >= 0 {
		t.c(c.next).prev = c.prev
	} else if t.tail[cl] == i {
		t.tail[cl] = c.prev
	}
	c.prev, c.next = -1, -1
}

func (t *Table) pushTail(i int32) {
	c := t.c(i)
	cl := c.cls
	c.prev, c.next = t.tail[cl], -1
	if t.tail[cl] >= 0 {
		t.c(t.tail[cl]).next = i
	} else {
		t.head[cl] = i
	}
	t.tail[cl] = i
}

// Conversations are kept in chunks of chunkSize.
const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// c returns conversation slot i.
func (t *Table) c(i int32) *conn { return &t.chunks[i>>chunkBits][i&chunkMask] }

// makeKey builds p's key and says whether p's source is side a.
func makeKey(p *pkt) (key, bool) {
	k := key{proto: p.proto, family: p.family, etype: p.etype, id: p.echoID, vlan: p.vlan}
	fromA := lessEndpoint(&p.src, &p.dst)
	if fromA {
		k.a, k.pa, k.b, k.pb = p.src.addr, p.src.port, p.dst.addr, p.dst.port
	} else {
		k.a, k.pa, k.b, k.pb = p.dst.addr, p.dst.port, p.src.addr, p.src.port
	}
	return k, fromA
}

func lessEndpoint(x, y *endpointAddr) bool {
	for i := range x.addr {
		if x.addr[i] != y.addr[i] {
			return x.addr[i] < y.addr[i]
		}
	}
	return x.port <= y.port
}
