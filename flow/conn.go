package flow

// TCP endpoint states, after Zeek's TCP_ENDPOINT_* states.
const (
	tcpInactive    = iota // nothing seen
	tcpSynSent            // sent a SYN
	tcpSynAckSent         // sent a SYN+ACK
	tcpPartial            // sent something else first (start missed)
	tcpEstablished        // handshake seen
	tcpClosed             // sent a FIN
	tcpReset              // sent a RST
)

// udpActive marks a UDP (or other non-TCP) endpoint that sent a packet.
const udpActive = 1

// maxHistory bounds the history string kept per conversation.
const maxHistory = 40

// once-per-direction history letters.
const (
	onceA = 1 << iota
	onceD
	onceI
	onceQ
	onceC
)

// endpoint is one side of a conversation.
type endpoint struct {
	state    uint8
	once     uint8
	seen     uint8 // which of lastSYN, lastFIN, lastRST hold a value
	pkts     int64
	ipBytes  int64
	frame    int64
	size     int64 // payload bytes (TCP: by sequence numbers)
	missed   int64
	seqInit  bool
	base     uint32 // TCP: sequence number of the first payload byte
	lastSYN  uint32
	lastFIN  uint32
	lastRST  uint32
	nRetrans uint32
	nZeroWin uint32
	nGap     uint32
	dataPkts uint8 // payload packets looked at for service detection
}

const (
	seenSYN = 1 << iota
	seenFIN
	seenRST
)

// conn is one conversation in the table.
type conn struct {
	k          key
	origA      bool // the originator is side a of the key
	flipped    bool
	cls        uint8
	first      int64
	last       int64
	seq        uint64
	prev, next int32
	ep         [2]endpoint // originator, responder
	hist       [maxHistory]byte
	nhist      uint8
	hasMAC     bool
	nvlan      uint8
	mac        [2][6]byte // originator, responder
	app        appState
}

// init starts conversation k with its first packet p.
func (c *conn) init(k *key, p *pkt, fromA bool, now int64, seq uint64) {
	*c = conn{k: *k, first: now, last: now, seq: seq, prev: -1, next: -1}
	c.origA = fromA
	if flipFirst(p) {
		c.origA = !fromA
		c.flipped = true
		c.addHist('^')
	}
	c.hasMAC = p.hasMAC
	c.nvlan = p.nvlan
	o, r := p.srcMAC, p.dstMAC
	if c.origA != fromA {
		o, r = r, o
	}
	c.mac = [2][6]byte{o, r}
}

// class is the timeout class the conversation is in now.
func (c *conn) class() uint8 {
	switch c.k.proto {
	case protoTCP:
		if c.finished() {
			return classClosed
		}
		return classTCP
	case protoUDP, protoSCTP:
		return classUDP
	case protoICMP, protoICMPv6:
		if c.k.family != 0 {
			return classICMP
		}
	}
	return classOther
}

// finished says a TCP conversation was closed by both sides or reset.
func (c *conn) finished() bool {
	o, r := c.ep[0].state, c.ep[1].state
	return o == tcpReset || r == tcpReset || (o == tcpClosed && r == tcpClosed)
}

// restart says p, a SYN on a finished TCP conversation, starts a new one
// on the same ports.
func (c *conn) restart(p *pkt, fromA bool) bool {
	if c.k.family == 0 || c.k.proto != protoTCP || p.flags&(tcpSYN|tcpACK|tcpRST) != tcpSYN || !c.finished() {
		return false
	}
	e := &c.ep[c.dir(fromA)]
	return e.seen&seenSYN == 0 || e.lastSYN != p.seq
}

// dir is 0 when a packet from side a (fromA) came from the originator.
func (c *conn) dir(fromA bool) int {
	if fromA == c.origA {
		return 0
	}
	return 1
}

// update counts p in the conversation.
func (c *conn) update(p *pkt, fromA bool, now int64, wire int) {
	d := c.dir(fromA)
	e, peer := &c.ep[d], &c.ep[1-d]
	if now > c.last {
		c.last = now
	}
	if now < c.first {
		c.first = now
	}
	e.pkts++
	e.ipBytes += int64(p.ipBytes)
	e.frame += int64(wire)
	switch {
	case !p.l4 && c.k.family != 0 && (c.k.proto == protoTCP || c.k.proto == protoUDP):
		// a fragment after the first, or a header cut short: counted,
		// no state
		e.size += int64(p.payload)
	case c.k.family != 0 && c.k.proto == protoTCP:
		c.tcp(p, d, e, peer)
	default:
		e.state = udpActive
		e.size += int64(p.payload)
		if p.payload > 0 && c.k.family != 0 && (c.k.proto == protoUDP) {
			c.onceHist(e, onceD, 'D', d)
		}
	}
	if len(p.app) > 0 && e.dataPkts < maxAppPackets {
		e.dataPkts++
		c.app.inspect(c, p, d)
	}
}

// tcp runs the TCP state machine and history for one segment from
// direction d.
func (c *conn) tcp(p *pkt, d int, e, peer *endpoint) {
	f := p.flags
	syn, ack, fin, rst := f&tcpSYN != 0, f&tcpACK != 0, f&tcpFIN != 0, f&tcpRST != 0
	if syn && (fin || rst) {
		c.onceHist(e, onceQ, 'Q', d)
	}
	if fin && rst {
		c.onceHist(e, onceI, 'I', d)
	}
	switch {
	case rst:
		if e.seen&seenRST == 0 || e.lastRST != p.seq {
			c.addHistDir('R', d)
		}
		e.seen |= seenRST
		e.lastRST = p.seq
		e.state = tcpReset
	case syn:
		letter := byte('S')
		if ack {
			letter = 'H'
		}
		if e.seen&seenSYN == 0 || e.lastSYN != p.seq {
			c.addHistDir(letter, d)
		}
		e.seen |= seenSYN
		e.lastSYN = p.seq
		if e.state == tcpInactive || e.state == tcpPartial {
			if ack {
				e.state = tcpSynAckSent
			} else {
				e.state = tcpSynSent
			}
		}
		e.seqInit = true
		e.base = p.seq + 1
	default:
		switch e.state {
		case tcpInactive:
			if peer.state == tcpSynSent || peer.state == tcpSynAckSent {
				e.state = tcpEstablished
				peer.state = tcpEstablished
			} else {
				e.state = tcpPartial
			}
		case tcpSynSent, tcpSynAckSent:
			e.state = tcpEstablished
			if peer.state == tcpSynSent || peer.state == tcpSynAckSent {
				peer.state = tcpEstablished
			}
		}
		if fin {
			if e.seen&seenFIN == 0 || e.lastFIN != p.seq {
				c.addHistDir('F', d)
			}
			e.seen |= seenFIN
			e.lastFIN = p.seq
			if e.state != tcpReset {
				e.state = tcpClosed
			}
		}
	}
	if !e.seqInit {
		e.seqInit = true
		e.base = p.seq
	}
	if p.payload > 0 && !rst {
		// Position of this segment relative to the highest byte seen.
		delta := int64(int32(p.seq - (e.base + uint32(e.size))))
		n := int64(p.payload)
		switch {
		case delta > 0:
			e.missed += delta
			e.size += delta + n
			c.logHist(&e.nGap, 'G', d)
			c.onceHist(e, onceD, 'D', d)
		case delta == 0:
			e.size += n
			c.onceHist(e, onceD, 'D', d)
		default:
			if delta+n > 0 {
				e.size += delta + n
			}
			c.logHist(&e.nRetrans, 'T', d)
		}
	} else if ack && !syn && !fin && !rst {
		c.onceHist(e, onceA, 'A', d)
	}
	if p.window == 0 && !rst && !syn {
		c.logHist(&e.nZeroWin, 'W', d)
	}
}

// addHist appends a history letter as is.
func (c *conn) addHist(b byte) {
	if int(c.nhist) < len(c.hist) {
		c.hist[c.nhist] = b
		c.nhist++
	}
}

// addHistDir appends letter (upper case) for the originator, or its lower
// case for the responder.
func (c *conn) addHistDir(letter byte, d int) {
	if d == 1 {
		letter += 'a' - 'A'
	}
	c.addHist(letter)
}

// onceHist records letter the first time only in direction d.
func (c *conn) onceHist(e *endpoint, bit uint8, letter byte, d int) {
	if e.once&bit == 0 {
		e.once |= bit
		c.addHistDir(letter, d)
	}
}

// logHist records letter at the 1st, 10th, 100th... event, as Zeek does for
// its counted letters.
func (c *conn) logHist(n *uint32, letter byte, d int) {
	*n++
	for v := *n; ; v /= 10 {
		if v == 1 {
			c.addHistDir(letter, d)
			return
		}
		if v%10 != 0 {
			return
		}
	}
}

// flipFirst says the first packet's receiver is the originator: a TCP
// SYN+ACK, an ICMP reply, or (with no SYN) a packet from a server-like
// port to a client-like one, as Zeek guesses when the start was missed.
func flipFirst(p *pkt) bool {
	if p.family == 0 {
		return false
	}
	switch p.proto {
	case protoTCP:
		if p.flags&(tcpSYN|tcpACK|tcpRST) == tcpSYN|tcpACK {
			return true
		}
		if p.flags&tcpSYN != 0 {
			return false
		}
		return serverPort(p.src.port) && !serverPort(p.dst.port)
	case protoUDP, protoSCTP:
		return serverPort(p.src.port) && !serverPort(p.dst.port)
	case protoICMP:
		t := uint8(p.src.port)
		return t == 0 || t == 14 || t == 16 || t == 18 || t == 10
	case protoICMPv6:
		t := uint8(p.src.port)
		return t == 129 || t == 134 || t == 136 || t == 131 || t == 140
	}
	return false
}

// serverPort says a port is one servers listen on: below 1024, or a
// well-known higher one.
func serverPort(port uint16) bool {
	if port != 0 && port < 1024 {
		return true
	}
	switch port {
	case 1080, 1194, 1433, 1521, 1723, 1812, 1813, 1883, 2049, 3128, 3306, 3389, 3478, 4500,
		5060, 5061, 5222, 5353, 5355, 5432, 5671, 5672, 5900, 6379, 6443, 6667, 8000, 8080,
		8443, 8883, 8888, 9092, 9200, 11211, 27017:
		return true
	}
	return false
}

// connState is Zeek's conn_state for the conversation.
func (c *conn) connState() string {
	if c.k.family == 0 {
		return "OTH"
	}
	o, r := c.ep[0].state, c.ep[1].state
	switch c.k.proto {
	case protoTCP:
	case protoUDP:
		switch {
		case o == udpActive && r == udpActive:
			return "SF"
		case o == udpActive:
			return "S0"
		case r == udpActive:
			return "SHR"
		}
		return "OTH"
	default:
		return "OTH"
	}
	oIdle := o == tcpInactive || o == tcpPartial
	rIdle := r == tcpInactive || r == tcpPartial
	switch {
	case r == tcpReset:
		switch {
		case o == tcpSynSent || o == tcpSynAckSent || (o == tcpReset && c.ep[0].size == 0 && c.ep[1].size == 0):
			return "REJ"
		case oIdle:
			return "RSTRH"
		}
		return "RSTR"
	case o == tcpReset:
		if rIdle {
			if c.synThenReset() {
				return "RSTOS0"
			}
			return "OTH"
		}
		return "RSTO"
	case o == tcpClosed && r == tcpClosed:
		return "SF"
	case o == tcpClosed:
		if rIdle {
			return "SH"
		}
		return "S2"
	case r == tcpClosed:
		if oIdle {
			return "SHR"
		}
		return "S3"
	case o == tcpSynSent && r == tcpInactive:
		return "S0"
	case o == tcpEstablished && r == tcpEstablished:
		return "S1"
	}
	return "OTH"
}

// synThenReset says the history is an originator SYN followed, with no
// handshake, ACK, data or FIN between, by its RST (Zeek's RSTOS0).
func (c *conn) synThenReset() bool {
	h := c.hist[:c.nhist]
	if len(h) > 0 && h[0] == '^' {
		h = h[1:]
	}
	if len(h) == 0 || h[0] != 'S' {
		return false
	}
	for _, b := range h[1:] {
		switch b {
		case 'R':
			return true
		case 'H', 'A', 'F', 'G', 'I', 'Q':
			return false
		}
	}
	return false
}
