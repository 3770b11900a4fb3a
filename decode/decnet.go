package decode

// decnet prints a DECnet Phase IV packet (ethertype 0x6003) as tcpdump
// does: control messages (hellos) by name and fields, data messages as
// "SRC > DST LENGTH " and their NSP message.
//
//	| length 2 (LE) | [pad flag + padding] | route flags | route header |
//	short route header: | dst 2 | src 2 | forward |
//	long route header:  | d-area | d-subarea | dst 6 | s-area | s-subarea |
//	                    | src 6 | nl2 | visits | s-class | pt |
func decnet(b, d []byte, length int) []byte {
	if len(d) < 3 || length < 3 {
		return appendTrunc(b, "decnet")
	}
	pktlen := int(le16(d))
	if pktlen < 3 {
		b = append(b, "length "...)
		b = appendInt(b, pktlen)
		return append(b, " < 3 (invalid)"...)
	}
	off := 2
	flags := d[off]
	if flags&0x80 != 0 {
		off += int(flags & 0x7f)
		if len(d) <= off {
			return appendTrunc(b, "decnet")
		}
		flags = d[off]
	}
	off++
	if flags&0x01 != 0 {
		return decnetControl(b, d[off:], flags)
	}
	var src, dst uint16
	switch flags & 0x0e {
	case 0x02: // short
		if len(d) < off+5 {
			return appendTrunc(b, "decnet")
		}
		dst, src = le16(d[off:]), le16(d[off+2:])
		off += 5
	case 0x06: // long
		if len(d) < off+20 {
			return appendTrunc(b, "decnet")
		}
		dst, src = le16(d[off+6:]), le16(d[off+14:])
		off += 20
	default:
		b = append(b, "unknown message flags under mask"...)
		return b
	}
	b = appendDECnetAddr(b, src)
	b = append(b, " > "...)
	b = appendDECnetAddr(b, dst)
	b = append(b, ' ')
	b = appendInt(b, pktlen)
	b = append(b, ' ')
	return nsp(b, d[off:], pktlen+2-off)
}

func appendDECnetAddr(b []byte, a uint16) []byte {
	b = appendUint(b, uint64(a>>10))
	b = append(b, '.')
	return appendUint(b, uint64(a&0x3ff))
}

// decnetControl prints a routing-layer control message.
func decnetControl(b, d []byte, flags byte) []byte {
	switch (flags & 0x0e) >> 1 {
	case 0:
		return append(b, "init "...)
	case 1:
		return append(b, "verification "...)
	case 2:
		return append(b, "test "...)
	case 3:
		return append(b, "lev-1-routing "...)
	case 4:
		return append(b, "lev-2-routing "...)
	case 5:
		return append(b, "router-hello "...)
	}
	// Endnode hello: | version 3 | id 6 | info | block size 2 | area |
	// seed 8 | neighbor 6 | hello timer 2 | mpd | data length, data |
	b = append(b, "endnode-hello "...)
	if len(d) < 32 {
		return appendTrunc(b, "decnet")
	}
	switch d[9] & 3 {
	case 1:
		b = append(b, "L2 router"...)
	case 2:
		b = append(b, "L1 router"...)
	case 3:
		b = append(b, "endnode"...)
	default:
		b = append(b, "???"...)
	}
	b = append(b, " vers "...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, " eco "...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, " ueco "...)
	b = appendUint(b, uint64(d[2]))
	b = append(b, " src "...)
	b = appendDECnetAddr(b, le16(d[7:]))
	b = append(b, " blksize "...)
	b = appendUint(b, uint64(le16(d[10:])))
	b = append(b, " rtr "...)
	b = appendDECnetAddr(b, le16(d[25:]))
	b = append(b, " hello "...)
	b = appendUint(b, uint64(le16(d[27:])))
	b = append(b, " data "...)
	return appendUint(b, uint64(d[30]))
}

// nsp prints an NSP message: | flags | dst 2 | src 2 | ... (LE fields).
func nsp(b, d []byte, nsplen int) []byte {
	if nsplen < 5 {
		b = append(b, " (nsplen "...)
		b = appendInt(b, nsplen)
		return append(b, " < 5) (invalid)"...)
	}
	if len(d) < 5 {
		return appendTrunc(b, "decnet")
	}
	mf := d[0]
	dst, src := le16(d[1:]), le16(d[3:])
	addrs := func(b []byte, name string) []byte {
		b = append(b, name...)
		b = append(b, ' ')
		b = appendUint(b, uint64(src))
		b = append(b, '>')
		b = appendUint(b, uint64(dst))
		return append(b, ' ')
	}
	rest := d[5:]
	switch mf {
	case 0x00, 0x20, 0x40, 0x60: // data segment
		b = addrs(b, "data")
		b, rest = nspAcks(b, rest, "oack")
		return nspSeg(b, rest)
	case 0x10: // link service
		b = addrs(b, "link-service")
		b, rest = nspAcks(b, rest, "ackdat")
		b = nspSeg(b, rest)
		if len(rest) < 4 {
			return b
		}
		ls, fc := rest[2], int8(rest[3])
		switch ls & 0x03 {
		case 1:
			b = append(b, "donotsend-data "...)
		case 2:
			b = append(b, "send-data "...)
		}
		switch ls & 0x0c {
		case 0x00:
			b = append(b, "dat seg count "...)
		case 0x04:
			b = append(b, "dat msg count "...)
		default:
			b = append(b, "reserved-fcval-int? "...)
		}
		b = appendInt(b, int(fc))
		return append(b, ' ')
	case 0x30: // interrupt
		b = addrs(b, "interrupt")
		b, rest = nspAcks(b, rest, "ackdat")
		return nspSeg(b, rest)
	case 0x04:
		b = addrs(b, "data-ack")
		b, _ = nspAcks(b, rest, "oack")
		return b
	case 0x14:
		b = addrs(b, "ils-ack")
		b, _ = nspAcks(b, rest, "ackdat")
		return b
	case 0x24:
		b = append(b, "conn-ack "...)
		b = appendUint(b, uint64(dst))
		return b
	case 0x18, 0x68, 0x28:
		switch mf {
		case 0x18:
			b = addrs(b, "conn-initiate")
		case 0x68:
			b = addrs(b, "retrans-conn-initiate")
		default:
			b = addrs(b, "conn-confirm")
		}
		if len(rest) < 4 {
			return appendTrunc(b, "decnet")
		}
		b = append(b, "ver "...)
		b = append(b, [...]string{"3.2", "3.1", "4.0", "4.1"}[rest[1]&3]...)
		b = append(b, " segsize "...)
		b = appendUint(b, uint64(le16(rest[2:])))
		return append(b, ' ')
	case 0x38, 0x48:
		if mf == 0x38 {
			b = addrs(b, "disconn-initiate")
		} else {
			b = addrs(b, "disconn-confirm")
		}
		if len(rest) < 2 {
			return appendTrunc(b, "decnet")
		}
		b = append(b, decnetReason(le16(rest))...)
		return append(b, ' ')
	}
	b = append(b, "reserved-type? "...)
	b = appendHex(b, uint64(mf), 2)
	return append(b, ' ')
}

// nspAcks prints the optional acknowledgement fields of a data or
// link-service message (the second named other).
func nspAcks(b, d []byte, other string) ([]byte, []byte) {
	if len(d) >= 2 && le16(d)&0x8000 != 0 {
		a := le16(d)
		if a&0x1000 != 0 {
			b = append(b, "nak "...)
		} else {
			b = append(b, "ack "...)
		}
		b = appendUint(b, uint64(a&0xfff))
		b = append(b, ' ')
		d = d[2:]
		if len(d) >= 2 && le16(d)&0x8000 != 0 {
			a := le16(d)
			if a&0x1000 != 0 {
				b = append(b, "n"...)
			}
			b = append(b, other...)
			b = append(b, ' ')
			b = appendUint(b, uint64(a&0xfff))
			b = append(b, ' ')
			d = d[2:]
		}
	}
	return b, d
}

func nspSeg(b, d []byte) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "decnet")
	}
	b = append(b, "seg "...)
	b = appendUint(b, uint64(le16(d)&0xfff))
	return append(b, ' ')
}

// decnetReason names an NSP disconnect reason.
func decnetReason(r uint16) string {
	switch r {
	case 0:
		return "object rejected connect"
	case 1:
		return "insufficient resources"
	case 2:
		return "unrecognized node name"
	case 3:
		return "node shutting down"
	case 4:
		return "unrecognized object"
	case 5:
		return "invalid object name format"
	case 6:
		return "object too busy"
	case 7:
		return "protocol error"
	case 8:
		return "third party abort"
	case 9:
		return "user abort"
	case 10:
		return "invalid node name format"
	case 11:
		return "local node shutting down"
	case 32:
		return "node or user resources"
	case 33:
		return "remote node or user crash"
	case 34:
		return "invalid identification"
	case 36:
		return "invalid account"
	case 38:
		return "no response from object"
	case 39:
		return "node unreachable"
	case 41:
		return "no link terminate"
	case 42:
		return "disconnect complete"
	case 43:
		return "image data field too long"
	case 44:
		return "requestor services mismatch"
	}
	return "reason-???"
}
