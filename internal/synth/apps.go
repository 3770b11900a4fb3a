package synth

import "strconv"

var httpPaths = [...]string{"/", "/index.html", "/api/v1/items", "/static/app.js",
	"/static/style.css", "/images/logo.png", "/login", "/search?q=wirekit"}

var dnsNames = [...]string{"www.example.com", "api.example.net", "cdn.example.org",
	"mail.example.com", "time.example.net", "updates.example.org",
	"login.example.com", "static.example.net"}

// httpRequest writes a GET request into g.scratch and returns it.
func (g *gen) httpRequest(f *flow) []byte {
	b := g.scratch[:0]
	b = append(b, "GET "...)
	b = append(b, httpPaths[g.rng.intn(len(httpPaths))]...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, dnsNames[g.rng.intn(len(dnsNames))]...)
	b = append(b, "\r\nUser-Agent: wirekit-synth/1.0\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"...)
	return b
}

// httpResponse writes into g.scratch the header of a response of total
// bytes, whose Content-Length covers the rest, and returns it.
func (g *gen) httpResponse(total int) []byte {
	const head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
	const tail = "\r\n\r\n"
	body := httpBody(total)
	b := g.scratch[:0]
	b = append(b, head...)
	b = strconv.AppendInt(b, int64(body), 10)
	return append(b, tail...)
}

func (g *gen) stepDNS(f *flow) int {
	query := f.phase == 0
	f.phase++
	f.done = !query
	at := g.l3Len(f) + 8
	p := g.buf[at:]
	be.PutUint16(p[0:], f.id)
	flags := uint16(0x0100) // RD
	an := uint16(0)
	if !query {
		flags = 0x8180 // QR RD RA
		an = uint16(f.answer)
		if an == 0 {
			flags |= 3 // NXDOMAIN
		}
	}
	be.PutUint16(p[2:], flags)
	be.PutUint16(p[4:], 1)
	be.PutUint16(p[6:], an)
	be.PutUint32(p[8:], 0)
	n := 12
	name := dnsNames[f.name]
	// Labels: "www.example.com" -> 3www7example3com0.
	start := n
	n++
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			p[start] = byte(n - start - 1)
			start = n
		} else {
			p[n] = name[i]
		}
		n++
	}
	p[start] = byte(n - start - 1)
	p[n] = 0
	n++
	be.PutUint16(p[n:], f.qtype)
	be.PutUint16(p[n+2:], 1)
	n += 4
	for i := 0; i < int(an); i++ {
		be.PutUint16(p[n:], 0xc00c) // pointer to the question name
		be.PutUint16(p[n+2:], f.qtype)
		be.PutUint16(p[n+4:], 1)
		be.PutUint32(p[n+6:], uint32(60+int(f.id)%3600))
		n += 10
		if f.qtype == 28 {
			be.PutUint16(p[n:], 16)
			copy(p[n+2:], f.s.ip6[:14])
			p[n+2+4], p[n+2+14], p[n+2+15] = 0xfe, f.name, byte(i+1)
			n += 18
		} else {
			be.PutUint16(p[n:], 4)
			p[n+2], p[n+3], p[n+4], p[n+5] = 198, 51, 100, byte(int(f.name)*16+i+1)
			n += 6
		}
	}
	return g.udp(f, query, n)
}

// udp writes Ethernet, IP and UDP headers around a payload of plen bytes
// already in place and returns the frame length.
func (g *gen) udp(f *flow, fromClient bool, plen int) int {
	src, dst := &f.c, &f.s
	if !fromClient {
		src, dst = dst, src
	}
	off := g.l3(f, fromClient, protoUDP, 8+plen, false)
	h := g.buf[off:]
	be.PutUint16(h[0:], src.port)
	be.PutUint16(h[2:], dst.port)
	be.PutUint16(h[4:], uint16(8+plen))
	end := off + 8 + plen
	g.l4sum(f, protoUDP, off, end, 6)
	return end
}

// echoData writes ping's usual 56 data bytes: a timestamp, then a counting
// pattern.
func (g *gen) echoData(p []byte) int {
	be.PutUint64(p, uint64(g.clockUS))
	for i := 8; i < 56; i++ {
		p[i] = byte(i)
	}
	return 56
}

func (g *gen) stepICMP4(f *flow) int {
	req := f.phase == 0
	f.phase ^= 1
	at := g.l3Len(f)
	p := g.buf[at:]
	p[0] = 0 // echo reply
	if req {
		p[0] = 8
	}
	p[1] = 0
	be.PutUint16(p[4:], f.id)
	be.PutUint16(p[6:], f.seq)
	n := 8 + g.echoData(p[8:])
	if !req {
		f.seq++
		f.done = int(f.seq) > f.count
	}
	g.l3(f, req, protoICMP, n, true)
	p[2], p[3] = 0, 0
	be.PutUint16(p[2:], fold(sum(p[:n], 0)))
	return at + n
}

func (g *gen) stepICMP6(f *flow) int {
	req := f.phase == 0
	f.phase ^= 1
	at := g.l3Len(f)
	p := g.buf[at:]
	p[0] = 129 // echo reply
	if req {
		p[0] = 128
	}
	p[1] = 0
	be.PutUint16(p[4:], f.id)
	be.PutUint16(p[6:], f.seq)
	n := 8 + g.echoData(p[8:])
	if !req {
		f.seq++
		f.done = int(f.seq) > f.count
	}
	g.l3(f, req, protoICMPv6, n, false)
	g.l4sum(f, protoICMPv6, at, at+n, 2)
	return at + n
}

// stepNDP sends a neighbour solicitation to the solicited-node multicast
// group, then the neighbour's advertisement.
func (g *gen) stepNDP(f *flow) int {
	sol := f.phase == 0
	f.phase++
	f.done = !sol
	at := g.l3Len(f)
	p := g.buf[at:]
	var dst [16]byte
	if sol {
		dst = [16]byte{0xff, 0x02, 11: 1, 12: 0xff, 13: f.s.ip6[13], 14: f.s.ip6[14], 15: f.s.ip6[15]}
		p[0] = 135
	} else {
		dst = f.c.ip6
		p[0] = 136
	}
	p[1] = 0
	be.PutUint32(p[4:], 0)
	if !sol {
		p[4] = 0x60 // solicited, override
	}
	copy(p[8:24], f.s.ip6[:])
	p[24] = 1 // source link-layer address
	src, smac := &f.c.ip6, &f.c.mac
	if !sol {
		p[24] = 2 // target link-layer address
		src, smac = &f.s.ip6, &f.s.mac
	}
	p[25] = 1
	copy(p[26:32], smac[:])
	n := 32
	var dmac [6]byte
	if sol {
		dmac = [6]byte{0x33, 0x33, dst[12], dst[13], dst[14], dst[15]}
	} else {
		dmac = f.c.mac
	}
	off := g.eth(f, &dmac, smac, etherIPv6)
	g.ip6(off, src, &dst, 0, 255, protoICMPv6, n)
	p[2], p[3] = 0, 0
	acc := pseudo(addrSum6(src, &dst), protoICMPv6, n)
	be.PutUint16(p[2:], fold(sum(p[:n], acc)))
	return at + n
}

func (g *gen) stepARP(f *flow) int {
	req := f.phase == 0
	f.phase++
	f.done = !req
	var off int
	if req {
		off = g.eth(f, &broadcastMAC, &f.c.mac, etherARP)
	} else {
		off = g.eth(f, &f.c.mac, &f.s.mac, etherARP)
	}
	p := g.buf[off : off+28]
	be.PutUint16(p[0:], 1)      // Ethernet
	be.PutUint16(p[2:], 0x0800) // IPv4
	p[4], p[5] = 6, 4
	if req {
		be.PutUint16(p[6:], 1)
		copy(p[8:14], f.c.mac[:])
		copy(p[14:18], f.c.ip4[:])
		clear(p[18:24])
		copy(p[24:28], f.s.ip4[:])
	} else {
		be.PutUint16(p[6:], 2)
		copy(p[8:14], f.s.mac[:])
		copy(p[14:18], f.s.ip4[:])
		copy(p[18:24], f.c.mac[:])
		copy(p[24:28], f.c.ip4[:])
	}
	return off + 28
}

// digits is the number of decimal digits of n >= 0.
// httpBody returns the Content-Length that makes a response header plus
// body exactly total bytes, or -1 when no length does: a body of 10^k+k
// bytes cannot be written, since k digits are too few and k+1 too many.
func httpBody(total int) int {
	const fixed = len("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ") + len("\r\n\r\n")
	room := total - fixed
	for d := 1; d <= 19 && d <= room; d++ {
		if digits(room-d) == d {
			return room - d
		}
	}
	return -1
}

func digits(n int) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
