package synth

const (
	finFlag = 0x01
	synFlag = 0x02
	rstFlag = 0x04
	pshFlag = 0x08
	ackFlag = 0x10
)

// TCP phases.
const (
	tcpSYN = iota
	tcpSYNACK
	tcpACK
	tcpRequest
	tcpResponse
	tcpFinalACK // client acknowledges the end of a response
	tcpFIN
	tcpFINACK
	tcpLastACK
)

func (g *gen) spawnTCP(f *flow) {
	r := &g.rng
	switch x := r.intn(100); {
	case x < 60:
		f.s.port = 443
	case x < 85:
		f.s.port = 80
		f.http = true
	default:
		f.s.port = [...]uint16{22, 8443, 5432, 6379, 993}[r.intn(5)]
	}
	f.c.seq = uint32(r.next())
	f.s.seq = uint32(r.next())
	f.c.ts = uint32(r.next())
	f.s.ts = uint32(r.next())
	f.tsOpt = r.chance(0.85)
	f.mss = 1460
	if f.v6 {
		f.mss = 1440
	}
	if f.tags > 0 && r.chance(0.3) {
		f.mss -= 4 * int(f.tags)
	}
	f.wscale = 7
	f.cwin = 502
	f.swin = uint16(r.between(240, 2048))
	f.rounds = 1
	if r.chance(0.35) {
		f.rounds = r.between(2, 12)
	}
	f.rst = r.chance(0.1)
	f.serverRST = r.chance(0.5)
}

// segSize is the payload room of a full segment.
func (f *flow) segSize() int {
	if f.tsOpt {
		return f.mss - 12
	}
	return f.mss
}

func (g *gen) requestSize(f *flow) int {
	r := &g.rng
	if f.http {
		return 0 // set from the request text
	}
	if r.chance(0.05) {
		return r.logUniform(4000, 300000) // an upload
	}
	return r.logUniform(60, 1400)
}

func (g *gen) responseSize() int {
	r := &g.rng
	switch x := r.intn(100); {
	case x < 45:
		return r.logUniform(200, 4000)
	case x < 85:
		return r.logUniform(4000, 80000)
	default:
		return r.logUniform(80000, 2000000)
	}
}

func (g *gen) stepTCP(f *flow) int {
	switch f.phase {
	case tcpSYN:
		f.phase = tcpSYNACK
		return g.tcp(f, true, synFlag, 0)
	case tcpSYNACK:
		f.phase = tcpACK
		return g.tcp(f, false, synFlag|ackFlag, 0)
	case tcpACK:
		f.phase = tcpRequest
		f.left, f.sinceAck = 0, 0
		return g.tcp(f, true, ackFlag, 0)
	case tcpRequest:
		if f.sinceAck >= 2 {
			f.sinceAck = 0
			return g.tcp(f, false, ackFlag, 0)
		}
		if f.left == 0 {
			f.msgLen = g.requestSize(f)
			f.left = f.msgLen
			if f.http {
				f.left = -1 // the request text decides
			}
		}
		n := g.tcpData(f, true)
		f.sinceAck++
		if f.left == 0 {
			f.phase = tcpResponse
			f.sinceAck = 0
		}
		return n
	case tcpResponse:
		if f.sinceAck >= 2 {
			f.sinceAck = 0
			return g.tcp(f, true, ackFlag, 0)
		}
		if f.left == 0 {
			f.msgLen = g.responseSize()
			for f.http && httpBody(f.msgLen) < 0 {
				f.msgLen++ // no Content-Length gives this exact size
			}
			f.left = f.msgLen
		}
		n := g.tcpData(f, false)
		f.sinceAck++
		if f.left == 0 {
			f.phase = tcpFinalACK
		}
		return n
	case tcpFinalACK:
		f.rounds--
		f.sinceAck = 0
		f.phase = tcpRequest
		if f.rounds <= 0 {
			f.phase = tcpFIN
		}
		return g.tcp(f, true, ackFlag, 0)
	case tcpFIN:
		if f.rst {
			f.done = true
			if f.serverRST {
				return g.tcp(f, false, rstFlag|ackFlag, 0)
			}
			return g.tcp(f, true, rstFlag|ackFlag, 0)
		}
		f.phase = tcpFINACK
		return g.tcp(f, true, finFlag|ackFlag, 0)
	case tcpFINACK:
		f.phase = tcpLastACK
		return g.tcp(f, false, finFlag|ackFlag, 0)
	default:
		f.done = true
		return g.tcp(f, true, ackFlag, 0)
	}
}

// tcpData sends the next segment of the current message.
func (g *gen) tcpData(f *flow, fromClient bool) int {
	room := f.segSize()
	hdr := g.tcpHeaderLen(f, 0)
	at := g.l3Len(f) + hdr // where the payload goes
	p := g.buf[at : at+room]
	n := 0
	if f.http && f.left == f.msgLen || f.left < 0 {
		// First segment of an HTTP message: the text header.
		if fromClient {
			n = copy(p, g.httpRequest(f))
			f.msgLen, f.left = n, n
		} else {
			n = copy(p, g.httpResponse(f.msgLen))
		}
	}
	want := min(room, f.left)
	if want > n {
		off := g.rng.intn(poolSize)
		n += copy(p[n:want], g.pool[off:])
	}
	f.left -= n
	flags := uint8(ackFlag)
	if f.left == 0 {
		flags |= pshFlag
	}
	return g.tcp(f, fromClient, flags, n)
}

func (g *gen) tcpHeaderLen(f *flow, flags uint8) int {
	switch {
	case flags&synFlag != 0:
		return 40
	case f.tsOpt && flags&rstFlag == 0:
		return 32
	}
	return 20
}

// l3Len is the length of the Ethernet and IP headers of the flow.
func (g *gen) l3Len(f *flow) int {
	n := 14 + 4*int(f.tags)
	if f.v6 {
		return n + 40
	}
	return n + 20
}

// tcp writes a TCP segment whose payload (plen bytes) is already in place
// after the headers, and returns the frame length.
func (g *gen) tcp(f *flow, fromClient bool, flags uint8, plen int) int {
	src, dst := &f.c, &f.s
	win := f.cwin
	if !fromClient {
		src, dst = dst, src
		win = f.swin
	}
	hl := g.tcpHeaderLen(f, flags)
	off := g.l3(f, fromClient, protoTCP, hl+plen, true)
	h := g.buf[off : off+hl]
	be.PutUint16(h[0:], src.port)
	be.PutUint16(h[2:], dst.port)
	be.PutUint32(h[4:], src.seq)
	ack := dst.seq
	if flags&ackFlag == 0 {
		ack = 0
	}
	be.PutUint32(h[8:], ack)
	h[12] = uint8(hl/4) << 4
	h[13] = flags
	tsval := src.ts + uint32(g.clockUS/1000)
	switch {
	case flags&synFlag != 0:
		win = 64240
		if f.v6 {
			win = 64800
		}
		if !fromClient {
			win = 65160
		}
		o := h[20:40]
		o[0], o[1] = 2, 4 // MSS
		be.PutUint16(o[2:], uint16(f.mss))
		o[4], o[5] = 4, 2 // SACK permitted
		o[6], o[7] = 8, 10
		be.PutUint32(o[8:], tsval)
		be.PutUint32(o[12:], src.tsec)
		o[16] = 1 // NOP
		o[17], o[18], o[19] = 3, 3, f.wscale
		if !f.tsOpt {
			// Keep the layout but blank the timestamps with NOPs.
			for i := 6; i < 16; i++ {
				o[i] = 1
			}
		}
	case hl == 32:
		o := h[20:32]
		o[0], o[1], o[2], o[3] = 1, 1, 8, 10
		be.PutUint32(o[4:], tsval)
		be.PutUint32(o[8:], src.tsec)
	}
	if flags&rstFlag != 0 {
		win = 0
	}
	be.PutUint16(h[14:], win)
	h[18], h[19] = 0, 0
	dst.tsec = tsval
	end := off + hl + plen
	g.l4sum(f, protoTCP, off, end, 16)
	src.seq += uint32(plen)
	if flags&(synFlag|finFlag) != 0 {
		src.seq++
	}
	return end
}
