package dedup

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math/bits"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirekit/wirekit/internal/linklayer"
)

// Defaults, as GopherCap's filter --dedup: 3 buckets of 2 seconds.
const (
	DefaultBuckets        = 3
	DefaultBucketDuration = 2 * time.Second
	// DefaultMaxEntries is the default bound on the packets one bucket
	// remembers: 262144, 5 MiB per bucket, 15 MiB in all.
	DefaultMaxEntries = 1 << 18
	// MaxMaxEntries is the largest MaxEntries accepted (64 Mi entries,
	// 1 GiB of table per bucket).
	MaxMaxEntries = 1 << 26
)

// Config chooses the window and what counts as identical. The zero value,
// and a nil *Config, give the defaults.
type Config struct {
	// Buckets is how many buckets of BucketDuration are kept (0 means 3;
	// at least 2). A packet is a duplicate when an identical one was seen
	// in the current bucket or the Buckets-1 before it, so the window is
	// between (Buckets-1) x BucketDuration and Buckets x BucketDuration:
	// 4 to 6 seconds by default.
	Buckets int
	// BucketDuration is each bucket's span of packet time (0 means 2s).
	BucketDuration time.Duration
	// MaxEntries bounds the packets remembered per bucket (0 means
	// DefaultMaxEntries). When the current bucket is full a new one starts
	// early and the oldest is forgotten, so memory stays fixed and the
	// window shrinks to the last (Buckets-1) x MaxEntries distinct packets
	// at least; Stats.EarlyRotations counts these.
	MaxEntries int
	// CompareLink makes the link-layer header (MAC addresses, VLAN tags,
	// cooked header) part of what must be identical. By default only the
	// IP packet is compared, as GopherCap and Arkime do, because a copy
	// mirrored on both sides of a router or on another VLAN differs there.
	CompareLink bool
	// NonIP makes frames with no IPv4 or IPv6 packet (ARP, STP, LLDP, or a
	// link type this package does not parse) candidates too, compared
	// whole. By default they are never dropped: protocols such as STP and
	// ARP repeat identical frames every second or two on purpose.
	NonIP bool
}

// Stats counts what a Deduper saw.
type Stats struct {
	// Packets is every packet passed to Duplicate.
	Packets uint64
	// Duplicates is the packets reported as duplicates (to drop).
	Duplicates uint64
	// Skipped is the packets never compared (no IP packet, NonIP off).
	Skipped uint64
	// EarlyRotations counts buckets started early because the current one
	// held MaxEntries packets.
	EarlyRotations uint64
}

// Deduper remembers recent packets and reports copies. Make one with New;
// it is not safe for concurrent use.
//
// Its memory is bounded whatever the input: per bucket, a hash table of at
// most the power of two at or above 2 x MaxEntries slots of 8 bytes and a
// list of at most MaxEntries 4-byte slot numbers (15 MiB in all by
// default). Tables start at 1024 slots and double when half full, so light
// traffic keeps them small and cache-friendly; once a table has grown to
// what the traffic needs, Duplicate no longer allocates. MemoryBytes tells
// the current size.
type Deduper struct {
	h       maphash.Hash
	buckets []table
	cur     int
	start   time.Time // packet time at which the current bucket began
	started bool
	dur     time.Duration
	max     int
	link    bool
	nonIP   bool
	stats   Stats
}

// initialSlots is the size a table starts at.
const initialSlots = 1024

// table is an open-addressing set of 64-bit hashes (0 marks a free slot)
// with linear probing, at most half full. used lists the filled slots, so
// that emptying a sparse table costs its entries, not its size, and growing
// it does not scan the empty slots.
type table struct {
	slots []uint64
	used  []uint32
	n     int
	max   int // entries at most (MaxEntries)
}

func (t *table) init(slots, max int) {
	t.slots = make([]uint64, slots)
	t.used = make([]uint32, 0, slots/2)
	t.max = max
}

// grow doubles the table and moves the entries over.
func (t *table) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	used := make([]uint32, 0, min(len(t.slots)/2, t.max))
	for _, u := range t.used {
		k := old[u]
		i := k & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = k
		used = append(used, uint32(i))
	}
	t.used = used
}

// New returns a Deduper for cfg (nil means defaults). It fails when
// Buckets is 1 or negative, BucketDuration is negative, or MaxEntries is
// negative or above MaxMaxEntries.
func New(cfg *Config) (*Deduper, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	switch {
	case c.Buckets == 0:
		c.Buckets = DefaultBuckets
	case c.Buckets < 2:
		return nil, fmt.Errorf("dedup: %d buckets: use at least 2 (the window spans the buckets before the current one)", c.Buckets)
	}
	switch {
	case c.BucketDuration == 0:
		c.BucketDuration = DefaultBucketDuration
	case c.BucketDuration < 0:
		return nil, fmt.Errorf("dedup: negative bucket duration %v", c.BucketDuration)
	}
	switch {
	case c.MaxEntries == 0:
		c.MaxEntries = DefaultMaxEntries
	case c.MaxEntries < 0 || c.MaxEntries > MaxMaxEntries:
		return nil, fmt.Errorf("dedup: max entries %d out of range: use 1 to %d", c.MaxEntries, MaxMaxEntries)
	}
	maxSlots := 1 << bits.Len(uint(2*c.MaxEntries-1)) // load factor <= 1/2
	d := &Deduper{buckets: make([]table, c.Buckets), dur: c.BucketDuration, max: c.MaxEntries, link: c.CompareLink, nonIP: c.NonIP}
	for i := range d.buckets {
		d.buckets[i].init(min(initialSlots, maxSlots), c.MaxEntries)
	}
	d.h.SetSeed(maphash.MakeSeed())
	return d, nil
}

// Duplicate reports whether the packet (of link type linkType, captured as
// data at ci.Timestamp) is identical to one seen within the window, in
// which case the caller should drop it. Otherwise the packet is remembered
// and Duplicate returns false. Packet time, not the wall clock, moves the
// window, so reading a file gives the same answer at any speed; a packet
// older than the current bucket counts as in it.
//
// Identical means, for an IPv4 or IPv6 packet: every byte of the IP packet
// (up to its total length, so Ethernet padding is ignored) except the IPv4
// TTL and header checksum and the IPv6 hop limit, which a mirror on a
// router's other side changes; plus the link header when CompareLink is
// set. Frames with no IP packet are compared whole when NonIP is set and
// never dropped otherwise. Comparison is by a 64-bit hash with a random
// seed per Deduper: two different packets are taken for copies with odds
// of about one in 10^13 per packet at the default size.
//
// Duplicate does not allocate.
func (d *Deduper) Duplicate(linkType layers.LinkType, data []byte, ci gopacket.CaptureInfo) bool {
	d.stats.Packets++
	key, ok := d.hash(linkType, data)
	if !ok {
		d.stats.Skipped++
		return false
	}
	d.advance(ci.Timestamp)
	for i := range d.buckets {
		if d.buckets[i].has(key) {
			d.stats.Duplicates++
			return true
		}
	}
	if d.buckets[d.cur].n >= d.max {
		d.stats.EarlyRotations++
		d.rotate()
		d.start = ci.Timestamp
	}
	d.buckets[d.cur].add(key)
	return false
}

// Stats returns the counts so far.
func (d *Deduper) Stats() Stats { return d.stats }

// MemoryBytes returns the current size of the Deduper's tables: at most
// Buckets x (8 x the power of two at or above 2 x MaxEntries + 4 x
// MaxEntries) bytes.
func (d *Deduper) MemoryBytes() int {
	n := 0
	for i := range d.buckets {
		n += len(d.buckets[i].slots)*8 + cap(d.buckets[i].used)*4
	}
	return n
}

// Reset forgets every packet and zeroes the counts.
func (d *Deduper) Reset() {
	for i := range d.buckets {
		d.buckets[i].empty()
	}
	d.cur, d.started, d.stats = 0, false, Stats{}
}

// advance moves the window so that ts falls in the current bucket.
func (d *Deduper) advance(ts time.Time) {
	if !d.started {
		d.start, d.started = ts, true
		return
	}
	el := ts.Sub(d.start)
	if el < d.dur {
		return
	}
	k := int64(el / d.dur)
	if k >= int64(len(d.buckets)) {
		for i := range d.buckets {
			d.buckets[i].empty()
		}
		d.start = ts
		return
	}
	for range k {
		d.rotate()
	}
	d.start = d.start.Add(time.Duration(k) * d.dur)
}

// rotate starts a new current bucket in place of the oldest.
func (d *Deduper) rotate() {
	d.cur = (d.cur + 1) % len(d.buckets)
	d.buckets[d.cur].empty()
}

// hash returns the comparison key of a packet, or false when the packet is
// not a candidate.
func (d *Deduper) hash(lt layers.LinkType, data []byte) (uint64, bool) {
	h := &d.h
	h.Reset()
	off, et, ok := linklayer.Network(lt, data)
	ip := data[min(off, len(data)):]
	switch {
	case ok && et == linklayer.EtherTypeIPv4 && len(ip) >= 20 && ip[0]>>4 == 4 && int(ip[0]&0xf)*4 >= 20:
		if tot := int(binary.BigEndian.Uint16(ip[2:])); tot >= 20 && tot < len(ip) {
			ip = ip[:tot]
		}
		if d.link {
			h.Write(data[:off])
		}
		h.Write(ip[:8]) // version .. fragment offset
		h.WriteByte(ip[9])
		h.Write(ip[12:]) // addresses, options, payload
	case ok && et == linklayer.EtherTypeIPv6 && len(ip) >= 40 && ip[0]>>4 == 6:
		if pl := int(binary.BigEndian.Uint16(ip[4:])); pl != 0 && 40+pl < len(ip) {
			ip = ip[:40+pl]
		}
		if d.link {
			h.Write(data[:off])
		}
		h.Write(ip[:7]) // version .. next header
		h.Write(ip[8:]) // addresses, extension headers, payload
	default:
		if !d.nonIP {
			return 0, false
		}
		h.WriteByte(byte(lt))
		h.Write(data)
	}
	k := h.Sum64()
	if k == 0 {
		k = 1
	}
	return k, true
}

func (t *table) has(k uint64) bool {
	mask := uint64(len(t.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case k:
			return true
		case 0:
			return false
		}
	}
}

func (t *table) add(k uint64) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	i := k & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = k
	t.used = append(t.used, uint32(i))
	t.n++
}

// empty forgets every entry: slot by slot when few slots are used, with
// one clear of the whole table otherwise.
func (t *table) empty() {
	if t.n < len(t.slots)/16 {
		for _, i := range t.used {
			t.slots[i] = 0
		}
	} else {
		clear(t.slots)
	}
	t.used = t.used[:0]
	t.n = 0
}
