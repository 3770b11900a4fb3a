package synth

type kind uint8

const (
	kindTCP kind = iota
	kindDNS
	kindICMP4
	kindICMP6
	kindNDP
	kindARP
	numKinds
)

// host is one end of a flow.
type host struct {
	mac  [6]byte // the MAC seen on the wire for this end
	ip4  [4]byte
	ip6  [16]byte
	port uint16
	ttl  uint8
	ipID uint16
	seq  uint32 // TCP: next sequence number to send
	ts   uint32 // TCP: timestamp clock offset
	tsec uint32 // TCP: last timestamp value received from the peer
}

// flow is one conversation; step emits its next packet.
type flow struct {
	kind  kind
	v6    bool
	tags  uint8     // 0, 1 (802.1Q) or 2 (QinQ)
	vlan  [2]uint16 // outer, inner TCI
	done  bool
	phase uint8
	c, s  host // client (initiator) and server
	sum   uint64
	label uint32

	// TCP
	http      bool
	tsOpt     bool
	rst       bool
	mss       int
	rounds    int // request/response exchanges left
	left      int // bytes of the current message still to send
	msgLen    int // total bytes of the current message
	sinceAck  int // server segments not yet acknowledged
	wscale    uint8
	cwin      uint16
	swin      uint16
	serverRST bool

	// DNS, ICMP
	id     uint16
	seq    uint16
	count  int
	name   uint8
	qtype  uint16
	answer uint8
}

func (g *gen) pickKind() kind {
	r := g.rng.intn(g.wsum)
	for k, w := range g.weights {
		if r < w {
			return kind(k)
		}
		r -= w
	}
	return kindTCP
}

// spawn replaces f with a fresh flow.
func (g *gen) spawn(f *flow) {
	r := &g.rng
	*f = flow{kind: g.pickKind()}
	switch f.kind {
	case kindICMP6, kindNDP:
		f.v6 = true
	case kindARP, kindICMP4:
	default:
		f.v6 = r.chance(g.v6)
	}
	switch x := r.float(); {
	case x < g.qinq:
		f.tags = 2
		f.vlan[0] = uint16(r.between(100, 999))
		f.vlan[1] = uint16(r.between(1, 4094)) | uint16(r.intn(8))<<13
	case x < g.qinq+g.vlan:
		f.tags = 1
		f.vlan[1] = uint16(r.between(1, 4094)) | uint16(r.intn(8))<<13
	}
	// The client is a local host, the server is reached through the
	// gateway (or is the local resolver or neighbour).
	hid := r.between(2, 1000)
	f.c.ip4 = [4]byte{10, 0, byte(hid >> 8), byte(hid)}
	f.c.ip6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 12: 0, 13: 0, 14: byte(hid >> 8), 15: byte(hid)}
	f.c.mac = [6]byte{0x02, 0x42, 0x0a, 0x00, byte(hid >> 8), byte(hid)}
	f.c.port = uint16(r.between(32768, 60999))
	f.c.ttl = 64
	f.c.ipID = uint16(r.next())
	f.s.mac = gatewayMAC
	f.s.ipID = uint16(r.next())
	f.s.ttl = [...]uint8{64 - 9, 128 - 14, 255 - 20, 64 - 17}[r.intn(4)]
	f.label = uint32(r.next()) & 0xfffff
	nets := [...][3]byte{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}}
	nn := nets[r.intn(len(nets))]
	f.s.ip4 = [4]byte{nn[0], nn[1], nn[2], byte(r.between(1, 254))}
	f.s.ip6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0xff, byte(r.intn(4)), 14: byte(r.intn(256)), 15: byte(r.between(1, 255))}
	switch f.kind {
	case kindTCP:
		g.spawnTCP(f)
	case kindDNS:
		f.s.ip4, f.s.ip6, f.s.port, f.s.ttl = gatewayIP4, gatewayIP6, 53, 64
		f.id = uint16(r.next())
		f.name = uint8(r.intn(len(dnsNames)))
		f.qtype = 1
		if f.v6 || r.chance(0.3) {
			f.qtype = 28
		}
		f.answer = uint8(r.between(1, 4))
		if r.chance(0.05) {
			f.answer = 0 // NXDOMAIN
		}
	case kindICMP4, kindICMP6:
		f.id = uint16(r.next())
		f.seq = 1
		f.count = r.between(1, 5)
	case kindNDP:
		// Link-local neighbours on the same segment.
		f.c.ip6 = [16]byte{0xfe, 0x80, 8: 0x00, 9: 0x42, 10: 0x0a, 11: 0xff, 12: 0xfe, 13: 0, 14: byte(hid >> 8), 15: byte(hid)}
		o := r.between(2, 1000)
		f.s.ip6 = [16]byte{0xfe, 0x80, 8: 0x00, 9: 0x42, 10: 0x0a, 11: 0xff, 12: 0xfe, 13: 0, 14: byte(o >> 8), 15: byte(o)}
		f.s.mac = [6]byte{0x02, 0x42, 0x0a, 0x00, byte(o >> 8), byte(o)}
		f.s.ttl = 255
	case kindARP:
		if r.chance(0.5) {
			f.s.ip4 = gatewayIP4
		} else {
			o := r.between(2, 1000)
			f.s.ip4 = [4]byte{10, 0, byte(o >> 8), byte(o)}
			f.s.mac = [6]byte{0x02, 0x42, 0x0a, 0x00, byte(o >> 8), byte(o)}
		}
	}
	if f.v6 {
		f.sum = addrSum6(&f.c.ip6, &f.s.ip6)
	} else {
		f.sum = addrSum4(&f.c.ip4, &f.s.ip4)
	}
}

// step writes the flow's next packet into g.buf and returns its length.
// It sets f.done after the flow's last packet.
func (g *gen) step(f *flow) int {
	switch f.kind {
	case kindTCP:
		return g.stepTCP(f)
	case kindDNS:
		return g.stepDNS(f)
	case kindICMP4:
		return g.stepICMP4(f)
	case kindICMP6:
		return g.stepICMP6(f)
	case kindNDP:
		return g.stepNDP(f)
	default:
		return g.stepARP(f)
	}
}

// l3 writes Ethernet and IP headers for an IP packet of the flow carrying
// plen bytes of protocol proto and returns the offset of the L4 header.
func (g *gen) l3(f *flow, fromClient bool, proto uint8, plen int, df bool) int {
	src, dst := &f.c, &f.s
	if !fromClient {
		src, dst = dst, src
	}
	if f.v6 {
		off := g.eth(f, &dst.mac, &src.mac, etherIPv6)
		return g.ip6(off, &src.ip6, &dst.ip6, f.label, src.ttl, proto, plen)
	}
	off := g.eth(f, &dst.mac, &src.mac, etherIPv4)
	src.ipID++
	return g.ip4(off, &src.ip4, &dst.ip4, src.ipID, src.ttl, proto, plen, df)
}

// l4sum finishes the checksum of an L4 segment at b[off:end] whose
// checksum field is at b[off+at].
func (g *gen) l4sum(f *flow, proto uint8, off, end, at int) {
	seg := g.buf[off:end]
	seg[at], seg[at+1] = 0, 0
	c := fold(sum(seg, pseudo(f.sum, proto, len(seg))))
	if proto == protoUDP && c == 0 {
		c = 0xffff
	}
	be.PutUint16(seg[at:], c)
}
