package flow

import (
	"net"
	"net/netip"
	"strconv"
	"time"
)

// EndReason says why a conversation's record was emitted.
type EndReason uint8

// Why a conversation ended.
const (
	EndFlush   EndReason = iota // still open at Flush (end of input)
	EndClosed                   // TCP closed by both sides or reset, CloseDelay passed
	EndTimeout                  // idle past its protocol's timeout
	EndEvicted                  // ended early by the MaxFlows cap
	EndRestart                  // a new SYN reused the ports of a finished TCP conversation
)

var endNames = [...]string{"eof", "closed", "timeout", "evicted", "restart"}

// String names the reason: eof, closed, timeout, evicted, restart.
func (r EndReason) String() string {
	if int(r) < len(endNames) {
		return endNames[r]
	}
	return "reason-" + strconv.Itoa(int(r))
}

// Record is one conversation, with the fields of Zeek's conn.log and the
// application facts found in it. Unset values are zero (empty strings, an
// invalid address, Duration 0 with Set false...); the writers print them
// as Zeek does ('-' in TSV, left out of JSON).
type Record struct {
	TS  time.Time // first packet
	UID string    // "C" and a base62 hash, deterministic for an input and Config.Seed

	// Orig and Resp are the originator's and responder's addresses and
	// ports (for ICMP the port fields hold the type and the counterpart
	// type or code, as Zeek); invalid for a non-IP conversation.
	Orig, Resp netip.AddrPort
	// Proto is Zeek's transport name: tcp, udp, icmp (ICMPv6 too), and
	// unknown_transport for other IP protocols (SCTP included; IPProto
	// tells them apart, Zeek's ip_proto); for non-IP, which Zeek does not
	// log, the EtherType's name (arp, lldp...), llc for 802.3 frames, or
	// "ether-0xNNNN".
	Proto     string
	IPProto   uint8  // IP protocol number (0 for non-IP)
	EtherType uint16 // non-IP: the EtherType
	ICMPID    uint16 // ICMP echo (and other paired messages): the identifier, part of the key

	Service     string        // services found by content, comma-separated (Zeek's names)
	Duration    time.Duration // last packet time minus first
	OrigBytes   int64         // payload bytes from the originator (TCP: by sequence numbers)
	RespBytes   int64
	ConnState   string // Zeek's conn_state
	MissedBytes int64  // TCP payload bytes skipped by sequence numbers (gaps)
	History     string // Zeek's history letters
	OrigPkts    int64
	OrigIPBytes int64 // IP-level bytes by the IP headers' lengths
	RespPkts    int64
	RespIPBytes int64
	// OrigFrameBytes and RespFrameBytes are link-layer bytes (the packets'
	// wire lengths), what tshark's conversation tables count.
	OrigFrameBytes int64
	RespFrameBytes int64

	VLANs      int    // VLAN tags on the first packet (0, 1 or 2 and more)
	VLAN       uint16 // outer VLAN id, when VLANs > 0
	InnerVLAN  uint16 // inner VLAN id, when VLANs > 1
	HasMAC     bool
	OrigMAC    [6]byte
	RespMAC    [6]byte
	DNSQuery   string // first DNS query name
	ServerName string // TLS SNI from the ClientHello
	ALPN       string // TLS ALPN: the ServerHello's choice, else the ClientHello's offers comma-separated
	HTTPHost   string // HTTP Host header of the first request

	End EndReason
}

// MAC formats a MAC address as Zeek's l2 address fields do.
func MAC(m [6]byte) string { return net.HardwareAddr(m[:]).String() }

// record fills r from the conversation.
func (c *conn) record(r *Record, seed uint64, why EndReason) {
	*r = Record{}
	r.TS = time.Unix(0, c.first).UTC()
	r.UID = uid(c, seed)
	k := &c.k
	oa, op, ra, rp := k.a, k.pa, k.b, k.pb
	if !c.origA {
		oa, op, ra, rp = ra, rp, oa, op
	}
	switch k.family {
	case 4:
		r.Orig = netip.AddrPortFrom(netip.AddrFrom4([4]byte(oa[:4])), op)
		r.Resp = netip.AddrPortFrom(netip.AddrFrom4([4]byte(ra[:4])), rp)
	case 6:
		r.Orig = netip.AddrPortFrom(netip.AddrFrom16(oa), op)
		r.Resp = netip.AddrPortFrom(netip.AddrFrom16(ra), rp)
	}
	r.IPProto = k.proto
	r.EtherType = k.etype
	r.ICMPID = k.id
	r.Proto = protoName(k)
	r.Duration = time.Duration(c.last - c.first)
	o, s := &c.ep[0], &c.ep[1]
	r.OrigBytes, r.RespBytes = o.size, s.size
	r.ConnState = c.connState()
	r.MissedBytes = o.missed + s.missed
	r.History = string(c.hist[:c.nhist])
	r.OrigPkts, r.OrigIPBytes, r.OrigFrameBytes = o.pkts, o.ipBytes, o.frame
	r.RespPkts, r.RespIPBytes, r.RespFrameBytes = s.pkts, s.ipBytes, s.frame
	r.VLANs = int(c.nvlan)
	r.VLAN, r.InnerVLAN = k.vlan[0], k.vlan[1]
	r.HasMAC = c.hasMAC
	r.OrigMAC, r.RespMAC = c.mac[0], c.mac[1]
	c.app.fill(r)
	r.End = why
}

// protoName names the key's protocol for the record's Proto.
func protoName(k *key) string {
	if k.family == 0 {
		return etherName(k.etype)
	}
	switch k.proto {
	case protoTCP:
		return "tcp"
	case protoUDP:
		return "udp"
	case protoICMP, protoICMPv6:
		return "icmp"
	}
	return "unknown_transport"
}

var etherNames = map[uint16]string{0x0806: "arp", 0x8035: "rarp", 0x88cc: "lldp", 0x888e: "eapol", 0x8809: "slow", 0x88f7: "ptp", 0x8863: "pppoed", 0x8864: "pppoes", 0x8847: "mpls", 0x8848: "mpls", 0x0000: "llc"}

func etherName(et uint16) string {
	if n, ok := etherNames[et]; ok {
		return n
	}
	const hexd = "0123456789abcdef"
	return string([]byte{'e', 't', 'h', 'e', 'r', '-', '0', 'x', hexd[et>>12], hexd[et>>8&15], hexd[et>>4&15], hexd[et&15]})
}

// uid makes a Zeek-like connection UID: "C" and 96 bits of a hash of the
// key, the start time, the conversation's number and the seed, in base62.
func uid(c *conn, seed uint64) string {
	h1 := mix(seed ^ 0x9e3779b97f4a7c15 ^ c.seq)
	h1 = mix(h1 ^ uint64(c.first))
	k := &c.k
	for i := 0; i < 16; i += 8 {
		h1 = mix(h1 ^ leU64(k.a[i:]))
		h1 = mix(h1 ^ leU64(k.b[i:]))
	}
	h1 = mix(h1 ^ uint64(k.pa)<<48 ^ uint64(k.pb)<<32 ^ uint64(k.proto)<<24 ^ uint64(k.family)<<16 ^ uint64(k.id))
	h2 := mix(h1 ^ 0xbf58476d1ce4e5b9)
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b [24]byte
	b[0] = 'C'
	n := 1
	hi, lo := h2&0xffffffff, h1 // 96 bits: hi:lo
	for hi != 0 || lo != 0 {
		// divide the 96-bit number by 62
		r := hi % 62
		hi /= 62
		// (r<<64 + lo) / 62, in two 32-bit halves
		x := r<<32 | lo>>32
		q1 := x / 62
		r = x % 62
		y := r<<32 | lo&0xffffffff
		q0 := y / 62
		r = y % 62
		lo = q1<<32 | q0
		b[n] = digits[r]
		n++
	}
	return string(b[:n])
}

func leU64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// mix is splitmix64's finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
