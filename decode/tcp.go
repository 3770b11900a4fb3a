package decode

// tcpKey names a TCP connection in one canonical direction.
type tcpKey struct {
	a, b   [16]byte
	pa, pb uint16
}

// tcpBase holds the initial sequence numbers of both directions: base[0]
// for segments from key.a, base[1] for segments from key.b.
type tcpBase struct{ base [2]uint32 }

// tcpSeqTable remembers each connection's initial sequence numbers, as
// tcpdump does, to print relative numbers. It is cleared when full.
type tcpSeqTable struct {
	m   map[tcpKey]tcpBase
	max int
}

// lookup returns the bases for a segment from (src,sp) to (dst,dp) as
// (own, peer) and whether the entry was just created (first sight, or a SYN).
func (t *tcpSeqTable) lookup(src, dst []byte, sp, dp uint16, syn bool, seq, ack uint32) (own, peer uint32, created bool) {
	var k tcpKey
	rev := sp > dp || (sp == dp && string(src) > string(dst))
	if rev {
		copy(k.a[:], dst)
		copy(k.b[:], src)
		k.pa, k.pb = dp, sp
	} else {
		copy(k.a[:], src)
		copy(k.b[:], dst)
		k.pa, k.pb = sp, dp
	}
	if t.m == nil {
		t.m = make(map[tcpKey]tcpBase)
	}
	e, ok := t.m[k]
	i, j := 0, 1
	if rev {
		i, j = 1, 0
	}
	if !ok || syn {
		if !ok && len(t.m) >= t.max {
			clear(t.m)
		}
		e.base[i], e.base[j] = seq, ack-1
		t.m[k] = e
		return e.base[i], e.base[j], true
	}
	return e.base[i], e.base[j], false
}

// TCP flag bits.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpPSH = 0x08
	tcpACK = 0x10
	tcpURG = 0x20
	tcpECE = 0x40
	tcpCWR = 0x80
)

var tcpOptNames = [256]string{0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack",
	6: "echo", 7: "echoreply", 8: "TS", 11: "cc", 12: "ccnew", 13: "", 19: "md5", 20: "scps",
	28: "uto", 29: "tcp-ao", 30: "mptcp", 34: "tfo", 254: "exp"}

// tcp prints a TCP segment; length is the IP payload length.
//
//	| src port 2 | dst port 2 | seq 4 | ack 4 | off/flags 2 | win 2 | sum 2 | urg 2 |
func (p *Printer) tcp(b, d []byte, length int, h *ipHdr) []byte {
	if len(d) < 4 {
		b = appendAddr(b, h.src)
		b = append(b, " > "...)
		b = appendAddr(b, h.dst)
		b = append(b, ':')
		return appendTrunc(b, "tcp")
	}
	sp, dp := be16(d), be16(d[2:])
	if h.v6 && h.proto != protoTCP {
		// Behind IPv6 extension headers the addresses are printed.
		b = appendUint(b, uint64(sp))
		b = append(b, " > "...)
		b = appendUint(b, uint64(dp))
	} else {
		b = appendAddr(b, h.src)
		b = append(b, '.')
		b = appendUint(b, uint64(sp))
		b = append(b, " > "...)
		b = appendAddr(b, h.dst)
		b = append(b, '.')
		b = appendUint(b, uint64(dp))
	}
	b = append(b, ": "...)
	if len(d) < 20 {
		return appendTrunc(b, "tcp")
	}
	hlen := int(d[12]>>4) * 4
	if hlen < 20 {
		b = append(b, " tcp "...)
		b = appendInt(b, length-hlen)
		b = append(b, " [bad hdr length "...)
		b = appendInt(b, hlen)
		return append(b, " - too short, < 20]"...)
	}
	seq, ack := be32(d[4:]), be32(d[8:])
	win, urp := be16(d[14:]), be16(d[18:])
	flags := d[13]
	b = append(b, "Flags ["...)
	n := len(b)
	for _, f := range [...]struct {
		bit byte
		c   byte
	}{{tcpFIN, 'F'}, {tcpSYN, 'S'}, {tcpRST, 'R'}, {tcpPSH, 'P'}, {tcpACK, '.'}, {tcpURG, 'U'}, {tcpECE, 'E'}, {tcpCWR, 'W'}} {
		if flags&f.bit != 0 {
			b = append(b, f.c)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	b = append(b, ']')
	var ownBase, peerBase uint32
	if !p.opts.AbsoluteSeq && flags&tcpACK != 0 {
		var created bool
		ownBase, peerBase, created = p.seqs.lookup(h.src, h.dst, sp, dp, flags&tcpSYN != 0, seq, ack)
		if !created {
			seq -= ownBase
			ack -= peerBase
		}
	}
	if hlen > length {
		b = append(b, " [bad hdr length "...)
		b = appendInt(b, hlen)
		b = append(b, " - too long, > "...)
		b = appendInt(b, length)
		return append(b, ']')
	}
	if p.opts.Verbose > 0 && !h.fragmented && len(d) >= length {
		sum := be16(d[16:])
		c := transportSum(h, protoTCP, d[:length])
		b = append(b, ", cksum 0x"...)
		b = appendHex(b, uint64(sum), 4)
		if c != 0 {
			b = append(b, " (incorrect -> 0x"...)
			b = appendHex(b, uint64(shouldBe(sum, c)), 4)
			b = append(b, ')')
		} else {
			b = append(b, " (correct)"...)
		}
	}
	plen := length - hlen
	if p.opts.Verbose > 1 || plen > 0 || flags&(tcpSYN|tcpFIN|tcpRST) != 0 {
		b = append(b, ", seq "...)
		b = appendUint(b, uint64(seq))
		if plen > 0 {
			b = append(b, ':')
			b = appendUint(b, uint64(seq+uint32(plen)))
		}
	}
	if flags&tcpACK != 0 {
		b = append(b, ", ack "...)
		b = appendUint(b, uint64(ack))
	}
	b = append(b, ", win "...)
	b = appendUint(b, uint64(win))
	if flags&tcpURG != 0 {
		b = append(b, ", urg "...)
		b = appendUint(b, uint64(urp))
	}
	if hlen > 20 {
		var ok bool
		if b, ok = appendTCPOptions(b, d[20:min(hlen, len(d))], hlen-20, peerBase, flags); !ok {
			return b
		}
	}
	b = append(b, ", length "...)
	b = appendInt(b, plen)
	if plen <= 0 {
		return b
	}
	if len(d) < hlen {
		// The header's options were cut by the capture (tcpdump's check
		// before it decodes the payload).
		b = append(b, " [remaining caplen("...)
		b = appendInt(b, len(d))
		b = append(b, ") < header length("...)
		b = appendInt(b, hlen)
		b = append(b, ")]"...)
		return appendTrunc(b, "tcp")
	}
	// With -v, tcpdump prints a reset's data as such, not as its protocol.
	if flags&tcpRST != 0 && p.opts.Verbose > 0 {
		return b
	}
	// Dissectors get the payload even when none of it was captured:
	// tcpdump's then print their truncation marker.
	return p.tcpApp(b, d[hlen:max(hlen, min(length, len(d)))], plen, int(sp), int(dp), h)
}

// appendTCPOptions prints ", options [...]". o holds the captured option
// bytes, of hlen announced; ok is false when the list was truncated or bad
// (the marker has then been printed and the line ends).
func appendTCPOptions(b, o []byte, hlen int, ackBase uint32, flags byte) ([]byte, bool) {
	b = append(b, ", options ["...)
	first := true
	trunc := func(b []byte) ([]byte, bool) {
		b = appendTrunc(b, "tcp")
		if !first {
			b = append(b, '>')
		}
		return b, false
	}
	bad := func(b []byte) ([]byte, bool) {
		b = append(b, "[bad opt]"...)
		if !first {
			b = append(b, ']')
		}
		return b, false
	}
	for hlen > 0 {
		if !first {
			b = append(b, ',')
		}
		if len(o) < 1 {
			return trunc(b)
		}
		opt := o[0]
		o = o[1:]
		hlen--
		optLen := 1
		if opt != 0 && opt != 1 {
			if len(o) < 1 {
				return trunc(b)
			}
			optLen = int(o[0])
			o = o[1:]
			if optLen < 2 || optLen > hlen+1 {
				return bad(b)
			}
			hlen--
		}
		if name := tcpOptNames[opt]; name != "" || opt == 13 {
			b = append(b, name...)
		} else {
			b = append(b, "unknown-"...)
			b = appendUint(b, uint64(opt))
		}
		dlen := 0
		need := func(n int) bool { return n <= hlen && n <= len(o) }
		switch opt {
		case 2:
			dlen = 2
			if !need(2) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(be16(o)))
		case 3:
			dlen = 1
			if !need(1) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(o[0]))
		case 5:
			dlen = optLen - 2
			if dlen%8 != 0 {
				b = append(b, " invalid sack"...)
				break
			}
			b = append(b, ' ')
			b = appendInt(b, dlen/8)
			b = append(b, ' ')
			for i := 0; i < dlen; i += 8 {
				if !need(i + 8) {
					return lenFail(b, i+8, hlen, trunc, bad)
				}
				b = append(b, '{')
				b = appendUint(b, uint64(be32(o[i:])-ackBase))
				b = append(b, ':')
				b = appendUint(b, uint64(be32(o[i+4:])-ackBase))
				b = append(b, '}')
			}
		case 6, 7, 11, 12, 13:
			dlen = 4
			if !need(4) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(o)))
		case 8:
			dlen = 8
			if !need(8) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, " val "...)
			b = appendUint(b, uint64(be32(o)))
			b = append(b, " ecr "...)
			b = appendUint(b, uint64(be32(o[4:])))
		case 19:
			dlen = 16
			if !need(16) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, " shared secret not supplied with -M, can't check - "...)
			b = appendHexBytes(b, o[:16])
		case 20:
			dlen = 2
			if !need(2) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = append(b, " cap "...)
			b = appendHex(b, uint64(o[0]), 2)
			b = append(b, " id "...)
			b = appendUint(b, uint64(o[1]))
		case 29:
			dlen = optLen - 2
			if dlen < 2 {
				b = append(b, " (invalid)"...)
				break
			}
			if !need(2) {
				return lenFail(b, 2, hlen, trunc, bad)
			}
			b = append(b, " keyid "...)
			b = appendUint(b, uint64(o[0]))
			b = append(b, " rnextkeyid "...)
			b = appendUint(b, uint64(o[1]))
			if dlen > 2 {
				b = append(b, " mac 0x"...)
				for i := 2; i < dlen; i++ {
					if !need(i + 1) {
						return lenFail(b, i+1, hlen, trunc, bad)
					}
					b = append(b, hexDigits[o[i]>>4], hexDigits[o[i]&0xf])
				}
			}
		case 28:
			dlen = 2
			if !need(2) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			v := be16(o)
			b = append(b, " 0x"...)
			b = appendHex(b, uint64(v), 1)
			if v&1 != 0 {
				v = (v >> 1) * 60
			} else {
				v >>= 1
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(v))
		case 30:
			dlen = optLen - 2
			if !need(dlen) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			var ok bool
			if b, ok = appendMPTCP(b, o[:dlen], optLen, flags); !ok {
				return bad(b)
			}
		case 34:
			dlen = optLen - 2
			if !need(dlen) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			b = appendTFO(append(b, ' '), o[:dlen])
		case 254:
			dlen = optLen - 2
			if !need(dlen) {
				return lenFail(b, dlen, hlen, trunc, bad)
			}
			if dlen < 2 {
				return bad(b)
			}
			b = append(b, '-')
			if m := be16(o); m == 0xf989 {
				b = appendTFO(append(b, "tfo"...), o[2:dlen])
			} else {
				b = appendHex(b, uint64(m), 4)
			}
		case 0, 1, 4:
		default:
			dlen = optLen - 2
			if dlen > 0 {
				b = append(b, " 0x"...)
			}
			for i := 0; i < dlen; i++ {
				if !need(i + 1) {
					return lenFail(b, i+1, hlen, trunc, bad)
				}
				b = append(b, hexDigits[o[i]>>4], hexDigits[o[i]&0xf])
			}
		}
		o = o[min(dlen, len(o)):]
		hlen -= dlen
		want := dlen + 1
		if opt != 0 && opt != 1 {
			want++
		}
		if want != optLen {
			b = append(b, "[len "...)
			b = appendInt(b, optLen)
			b = append(b, ']')
		}
		first = false
		if opt == 0 {
			break
		}
	}
	return append(b, ']'), true
}

func lenFail(b []byte, n, hlen int, trunc, bad func([]byte) ([]byte, bool)) ([]byte, bool) {
	if n > hlen {
		return bad(b)
	}
	return trunc(b)
}

// transportSum returns the complemented Internet checksum over the pseudo
// header and segment d: zero when the segment's checksum is right.
func transportSum(h *ipHdr, proto uint8, d []byte) uint16 {
	s := sum16(0, h.src)
	s = sum16(s, h.dst)
	s += uint32(proto) + uint32(len(d))&0xffff + uint32(len(d))>>16
	return checksum(s, d)
}

func appendHexBytes(b, d []byte) []byte {
	for _, c := range d {
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// appendTFO prints a TCP Fast Open cookie or cookie request.
func appendTFO(b, d []byte) []byte {
	switch {
	case len(d) == 0:
		return append(b, " cookiereq"...)
	case len(d)%2 != 0 || len(d) < 4 || len(d) > 16:
		return append(b, " (invalid)"...)
	}
	return appendHexBytes(append(b, " cookie "...), d)
}

var mptcpSubtypes = [...]string{"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close", "unknown"}

// appendMPTCP prints a Multipath TCP option body d (after kind and length)
// of total length n; ok is false when tcpdump would call it a bad option.
func appendMPTCP(b, d []byte, n int, flags byte) ([]byte, bool) {
	if n < 3 {
		return b, false
	}
	sub := min(int(d[0]>>4), len(mptcpSubtypes)-1)
	b = append(b, ' ')
	b = appendInt(b, n)
	b = append(b, ' ')
	b = append(b, mptcpSubtypes[sub]...)
	switch sub {
	case 0:
		if !((n == 12 || n == 4) && flags&tcpSYN != 0) && !((n == 20 || n == 22) && flags&(tcpSYN|tcpACK) == tcpACK) {
			return b, false
		}
		v := d[0] & 0xf
		if v > 1 {
			b = append(b, " Unknown Version ("...)
			b = appendUint(b, uint64(v))
			return append(b, ')'), true
		}
		b = append(b, " v"...)
		b = appendUint(b, uint64(v))
		if len(d) > 1 && d[1]&0x80 != 0 {
			b = append(b, " csum"...)
		}
		if n == 12 || n >= 20 {
			b = append(b, " {0x"...)
			b = appendHex(b, be64(d[2:]), 1)
			if n >= 20 {
				b = append(b, ",0x"...)
				b = appendHex(b, be64(d[10:]), 1)
			}
			b = append(b, '}')
		}
		return b, true
	case 2:
		if n < 4 || flags&tcpSYN != 0 {
			return b, false
		}
		f := d[1]
		o := d[2:]
		if f&0x10 != 0 {
			b = append(b, " fin"...)
		}
		num := func(wide bool) bool {
			w := 4
			if wide {
				w = 8
			}
			if len(o) < w {
				return false
			}
			if wide {
				b = appendUint(b, be64(o))
			} else {
				b = appendUint(b, uint64(be32(o)))
			}
			o = o[w:]
			return true
		}
		if f&0x01 != 0 {
			b = append(b, " ack "...)
			if !num(f&0x02 != 0) {
				return b, false
			}
		}
		if f&0x04 != 0 {
			b = append(b, " seq "...)
			if !num(f&0x08 != 0) {
				return b, false
			}
			if len(o) < 6 {
				return b, false
			}
			b = append(b, " subseq "...)
			b = appendUint(b, uint64(be32(o)))
			b = append(b, " len "...)
			b = appendUint(b, uint64(be16(o[4:])))
			o = o[6:]
			if len(o) >= 2 {
				b = append(b, " csum 0x"...)
				b = appendHex(b, uint64(be16(o)), 1)
				o = o[2:]
			}
		}
		return b, len(o) == 0
	case 1:
		return appendMPTCPJoin(b, d, n, flags)
	case 3:
		return appendMPTCPAddAddr(b, d, n)
	case 4:
		if n < 4 {
			return b, false
		}
		b = append(b, " id"...)
		for _, id := range d[1 : n-2] {
			b = append(b, ' ')
			b = appendUint(b, uint64(id))
		}
		return b, true
	case 5:
		if n != 3 && n != 4 {
			return b, false
		}
		if d[0]&1 != 0 {
			b = append(b, " backup"...)
		} else {
			b = append(b, " non-backup"...)
		}
		if n == 4 {
			b = append(b, " id "...)
			b = appendUint(b, uint64(d[1]))
		}
		return b, true
	case 6:
		if n != 12 {
			return b, false
		}
		b = append(b, " seq "...)
		return appendUint(b, be64(d[2:])), true
	case 7:
		if n != 12 {
			return b, false
		}
		b = append(b, " key 0x"...)
		return appendHex(b, be64(d[2:]), 1), true
	}
	return b, true
}

// appendMPTCPJoin prints an MP_JOIN option body (after kind and length).
func appendMPTCPJoin(b, d []byte, n int, flags byte) ([]byte, bool) {
	if !(n == 12 && flags&tcpSYN != 0) && !(n == 16 && flags&(tcpSYN|tcpACK) == tcpSYN|tcpACK) && !(n == 24 && flags&tcpACK != 0) {
		return b, false
	}
	if n != 24 {
		if d[0]&1 != 0 {
			b = append(b, " backup"...)
		}
		b = append(b, " id "...)
		b = appendUint(b, uint64(d[1]))
	}
	switch n {
	case 12:
		b = append(b, " token 0x"...)
		b = appendHex(b, uint64(be32(d[2:])), 1)
		b = append(b, " nonce 0x"...)
		b = appendHex(b, uint64(be32(d[6:])), 1)
	case 16:
		b = append(b, " hmac 0x"...)
		b = appendHex(b, be64(d[2:]), 1)
		b = append(b, " nonce 0x"...)
		b = appendHex(b, uint64(be32(d[10:])), 1)
	case 24:
		b = appendHexBytes(append(b, " hmac 0x"...), d[2:22])
	}
	return b, true
}

// appendMPTCPAddAddr prints an ADD_ADDR option body (after kind and length).
func appendMPTCPAddAddr(b, d []byte, n int) ([]byte, bool) {
	switch n {
	case 8, 10, 16, 18, 20, 22, 28, 30:
	default:
		return b, false
	}
	switch d[0] & 0xf {
	case 6:
		b = append(b, " v0-ip6"...)
	case 4:
		b = append(b, " v0-ip4"...)
	case 1:
		b = append(b, " v1-echo"...)
	case 0:
		b = append(b, " v1"...)
	default:
		b = append(b, " [bad version/echo]"...)
	}
	b = append(b, " id "...)
	b = appendUint(b, uint64(d[1]))
	a := d[2:]
	alen := 4
	if n >= 20 {
		alen = 16
	}
	b = appendAddr(append(b, ' '), a[:alen])
	a = a[alen:]
	switch n {
	case 10, 18, 22, 30:
		b = append(b, ':')
		b = appendUint(b, uint64(be16(a)))
		a = a[2:]
	}
	switch n {
	case 16, 18, 28, 30:
		b = append(b, " hmac 0x"...)
		b = appendHex(b, be64(a), 1)
	}
	return b, true
}

func be64(b []byte) uint64 { return uint64(be32(b))<<32 | uint64(be32(b[4:])) }
