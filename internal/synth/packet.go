package synth

import (
	"encoding/binary"
	"errors"
	"math/bits"
)

const (
	etherIPv4 = 0x0800
	etherARP  = 0x0806
	etherIPv6 = 0x86dd
	etherVLAN = 0x8100
	etherQinQ = 0x88a8

	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58

	maxFrame = 2048
	poolSize = 1 << 16
)

var (
	be           = binary.BigEndian
	gatewayMAC   = [6]byte{0x02, 0x00, 0x5e, 0x00, 0x00, 0x01}
	broadcastMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	gatewayIP4   = [4]byte{10, 0, 0, 1}
	gatewayIP6   = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 15: 1}
)

// gen is the generator state. Everything a packet needs lives here or in
// a flow, so the steady state allocates nothing.
type gen struct {
	rng     rng
	cfg     Config
	flows   []flow
	clockUS int64
	buf     [maxFrame]byte
	// pool holds payload bytes; TCP segments copy a window of it.
	pool           [poolSize + maxFrame]byte
	scratch        [512]byte // HTTP header text
	weights        [numKinds]int
	wsum           int
	v6, vlan, qinq float64
}

func newGen(cfg Config) (*gen, error) {
	g := &gen{cfg: cfg, rng: rng{s: uint64(cfg.Seed)*0x2545f4914f6cdd1d + 0x853c49e6748fea9b}}
	if cfg.Mix == (Mix{}) {
		cfg.Mix = DefaultMix
	}
	g.weights = cfg.Mix.weights()
	for _, w := range g.weights {
		if w < 0 {
			return nil, errors.New("synth: negative weight in mix")
		}
		g.wsum += w
	}
	if g.wsum == 0 {
		return nil, errors.New("synth: mix has no positive weight")
	}
	g.v6 = share(cfg.IPv6Share, 0.3)
	g.vlan = share(cfg.VLANShare, 0.1)
	g.qinq = share(cfg.QinQShare, 0.02)
	for i := 0; i < len(g.pool); i += 8 {
		be.PutUint64(g.pool[i:], g.rng.next())
	}
	n := cfg.Flows
	if n == 0 {
		n = 256
	}
	g.flows = make([]flow, n)
	for i := range g.flows {
		g.spawn(&g.flows[i])
	}
	return g, nil
}

// sum adds b to a ones'-complement accumulator, 8 bytes at a time; fold
// turns the accumulator into the final 16-bit checksum. Summing 64-bit
// big-endian words with end-around carry gives the same result as summing
// 16-bit words, because 2^64 ≡ 1 (mod 2^16-1).
func sum(b []byte, acc uint64) uint64 {
	var c uint64
	for len(b) >= 32 {
		acc, c = bits.Add64(acc, be.Uint64(b), c)
		acc, c = bits.Add64(acc, be.Uint64(b[8:]), c)
		acc, c = bits.Add64(acc, be.Uint64(b[16:]), c)
		acc, c = bits.Add64(acc, be.Uint64(b[24:]), c)
		b = b[32:]
	}
	for len(b) >= 8 {
		acc, c = bits.Add64(acc, be.Uint64(b), c)
		b = b[8:]
	}
	if len(b) > 0 {
		var t uint64
		for i, x := range b {
			t |= uint64(x) << (56 - 8*i)
		}
		acc, c = bits.Add64(acc, t, c)
	}
	acc, c = bits.Add64(acc, c, 0)
	return acc + c
}

func fold(acc uint64) uint16 {
	acc = (acc >> 32) + (acc & 0xffffffff)
	acc = (acc >> 32) + (acc & 0xffffffff)
	acc = (acc >> 16) + (acc & 0xffff)
	acc = (acc >> 16) + (acc & 0xffff)
	acc = (acc >> 16) + (acc & 0xffff)
	return ^uint16(acc)
}

// eth writes the Ethernet header with the flow's VLAN tags and returns the
// offset of the payload.
func (g *gen) eth(f *flow, dst, src *[6]byte, etype uint16) int {
	b := g.buf[:]
	copy(b[0:6], dst[:])
	copy(b[6:12], src[:])
	off := 12
	switch f.tags {
	case 2:
		be.PutUint16(b[off:], etherQinQ)
		be.PutUint16(b[off+2:], f.vlan[0])
		off += 4
		fallthrough
	case 1:
		be.PutUint16(b[off:], etherVLAN)
		be.PutUint16(b[off+2:], f.vlan[1])
		off += 4
	}
	be.PutUint16(b[off:], etype)
	return off + 2
}

// ip4 writes a 20-byte IPv4 header at off for a payload of plen bytes.
func (g *gen) ip4(off int, src, dst *[4]byte, id uint16, ttl, proto uint8, plen int, df bool) int {
	h := g.buf[off : off+20]
	h[0] = 0x45
	h[1] = 0
	be.PutUint16(h[2:], uint16(20+plen))
	be.PutUint16(h[4:], id)
	h[6], h[7] = 0, 0
	if df {
		h[6] = 0x40
	}
	h[8] = ttl
	h[9] = proto
	h[10], h[11] = 0, 0
	copy(h[12:16], src[:])
	copy(h[16:20], dst[:])
	be.PutUint16(h[10:], fold(sum(h, 0)))
	return off + 20
}

// ip6 writes a 40-byte IPv6 header at off for a payload of plen bytes.
func (g *gen) ip6(off int, src, dst *[16]byte, label uint32, hop, next uint8, plen int) int {
	h := g.buf[off : off+40]
	be.PutUint32(h[0:], 6<<28|label&0xfffff)
	be.PutUint16(h[4:], uint16(plen))
	h[6] = next
	h[7] = hop
	copy(h[8:24], src[:])
	copy(h[24:40], dst[:])
	return off + 40
}

// pseudo returns the checksum accumulator of a pseudo-header, given the
// precomputed sum of both addresses (the same in either direction).
func pseudo(addrSum uint64, proto uint8, l4len int) uint64 {
	s, c := bits.Add64(addrSum, uint64(proto)+uint64(l4len), 0)
	return s + c
}

func addrSum4(a, b *[4]byte) uint64 { return sum(b[:], sum(a[:], 0)) }

func addrSum6(a, b *[16]byte) uint64 { return sum(b[:], sum(a[:], 0)) }
