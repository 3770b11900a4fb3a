// Package dedup drops the copies of packets that port mirroring produces:
// a packet identical to one seen a few seconds before, in packet time, is
// reported as a duplicate, with bounded memory whatever the input.
//
// # Use
//
//	d, err := dedup.New(nil) // 3 buckets of 2 s, as GopherCap's --dedup
//	...
//	if d.Duplicate(src.LinkType(), data, ci) {
//		continue // a mirror copy: drop it
//	}
//	...
//	st := d.Stats() // Packets, Duplicates, Skipped, EarlyRotations
//
// To deduplicate tunnelled mirror traffic by its inner packets, strip the
// tunnels first (package decap) and pass the inner frame and link type.
//
// # What counts as identical
//
// The IP packet, byte for byte, up to its total length, except the fields
// a mirror on the far side of a router changes: the IPv4 TTL and header
// checksum, the IPv6 hop limit. The link header is left out by default
// ([Config.CompareLink] puts it back), so copies taken on both sides of a
// router (other MAC addresses), on a trunk (an 802.1Q tag more or less) or
// through a cooked or raw-IP capture all match, and Ethernet padding never
// matters. Frames with no IP packet (ARP, STP, LLDP, unknown link types)
// are never dropped unless [Config.NonIP] is set, in which case they are
// compared whole: those protocols repeat identical frames on purpose.
//
// Packets are compared through a 64-bit maphash of those bytes with a
// random seed per Deduper; a false match is about one in 10^13 per packet
// at the default size.
//
// # The window
//
// Packet timestamps, not the wall clock, move the window, so a file gives
// the same result however fast it is read. Time is cut into buckets of
// [Config.BucketDuration] (2 s); a packet is a duplicate if an identical
// one is in the current bucket or the [Config.Buckets]-1 (2) before it, so
// copies up to 4 s apart are always caught, copies 4 to 6 s apart depending
// on where the bucket boundaries fall, and copies 6 s or more apart never.
// A packet older than the current bucket (out of order) counts as in it.
// A jump ahead of Buckets x BucketDuration or more forgets everything.
//
// # Bounded memory
//
// Each bucket remembers at most [Config.MaxEntries] packets (262144 by
// default). When the current bucket is full, a new one starts early and
// the oldest is forgotten ([Stats].EarlyRotations counts this), so a flood
// never grows memory: the window then covers at least the last
// (Buckets-1) x MaxEntries distinct packets, which at a million packets a
// second is still half a second, far more than the microseconds between a
// packet and its mirror copy. The tables start small and grow to what the
// traffic needs up to that bound (15 MiB in all by default); see
// [Deduper.MemoryBytes]. Duplicate does not allocate once they have grown.
//
// # Differences
//
// From GopherCap's CircularDedup (filter --dedup): GopherCap hashes with
// MD5 the IP header and the TCP or UDP header only (not the payload), only
// for TCP and UDP packets; its IPv4 slices also leave out the fragment
// offset's low byte, the protocol and the first byte of the source
// address, not only TTL and checksum, and its IPv6 slices the next header
// as well as the hop limit. Its buckets rotate on the wall
// clock, so reading a file faster than real time puts the whole file in
// one window, and they grow without bound. dedup compares the whole IP
// packet of every IP protocol, on packet time, with bounded tables.
//
// From editcap -D N: editcap compares whole frames (MD5) with the previous
// N frames, a window in packets rather than time; -w SECONDS gives it a
// time window. It does not ignore TTL, MAC addresses or VLAN tags, so it
// keeps the copies routed or trunked mirrors make. On a generated capture
// (TestCompareEditcap: 10000 originals, copies of five kinds), dedup and
// editcap -w 4 drop the same exact copies, dedup also drops the 1143
// routed and 624 VLAN-tagged copies, and neither drops a copy 10 s later;
// editcap -D 5 misses copies 3 s later, -D 100000 drops copies 10 s later.
package dedup
