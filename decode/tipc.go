package decode

// tipc prints the header of a TIPC message (ethertype 0x88ca) as tcpdump
// does at default verbosity. Words are big-endian:
//
//	w0: | version 3 | user 4 | header size 4 (words) | ... | message size 17 |
//	w1: | message type 3 | ... |
//	w2: ... | w3: previous node | w4: origin port | w5: destination port |
//	w6: origin node | w7: destination node (long headers)
func tipc(b, d []byte, length int) []byte {
	b = append(b, "TIPC "...)
	if len(d) < 4 {
		return appendTrunc(b, "tipc")
	}
	w0 := be32(d)
	user := w0 >> 25 & 0xf
	hsize := (w0 >> 21 & 0xf) * 4
	b = append(b, 'v')
	b = appendUint(b, uint64(w0>>29&7))
	b = append(b, ".0 "...)
	if user > 3 && user != 8 {
		// internal protocols: origin node > destination node
		if len(d) < 32 {
			return appendTrunc(b, "tipc")
		}
		b = appendTIPCNode(b, be32(d[24:]))
		b = append(b, " > "...)
		b = appendTIPCNode(b, be32(d[28:]))
		b = append(b, ", "...)
	} else {
		if len(d) < 24 {
			return appendTrunc(b, "tipc")
		}
		if hsize <= 24 {
			b = appendTIPCNode(b, be32(d[12:]))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(d[16:])))
			b = append(b, " > "...)
			b = appendUint(b, uint64(be32(d[20:])))
		} else {
			if len(d) < 32 {
				return appendTrunc(b, "tipc")
			}
			b = appendTIPCNode(b, be32(d[24:]))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(d[16:])))
			b = append(b, " > "...)
			b = appendTIPCNode(b, be32(d[28:]))
			b = append(b, ':')
			b = appendUint(b, uint64(be32(d[20:])))
		}
		b = append(b, ", "...)
	}
	b = append(b, "headerlength "...)
	b = appendUint(b, uint64(hsize))
	b = append(b, " bytes, MessageSize "...)
	b = appendUint(b, uint64(w0&0x1ffff))
	b = append(b, " bytes, "...)
	b = append(b, tipcUser(user)...)
	b = append(b, ", messageType "...)
	w1 := be32(d[4:])
	switch w1 >> 29 {
	case 0:
		b = append(b, "CONN_MSG"...)
	case 1:
		b = append(b, "MCAST_MSG"...)
	case 2:
		b = append(b, "NAMED_MSG"...)
	case 3:
		b = append(b, "DIRECT_MSG"...)
	default:
		b = append(b, "Unknown (0x"...)
		b = appendHex(b, uint64(w1), 8)
		b = append(b, ')')
	}
	return b
}

// appendTIPCNode appends a TIPC address as zone.cluster.node.
func appendTIPCNode(b []byte, a uint32) []byte {
	b = appendUint(b, uint64(a>>24))
	b = append(b, '.')
	b = appendUint(b, uint64(a>>12&0xfff))
	b = append(b, '.')
	return appendUint(b, uint64(a&0xfff))
}

func tipcUser(u uint32) string {
	switch u {
	case 0:
		return "Low Importance Data payload"
	case 1:
		return "Medium Importance Data payload"
	case 2:
		return "High Importance Data payload"
	case 3:
		return "Critical Importance Data payload"
	case 5:
		return "Broadcast Link Protocol internal"
	case 6:
		return "Message Bundler Protocol internal"
	case 7:
		return "Link State Protocol internal"
	case 8:
		return "Connection Manager internal"
	case 10:
		return "Link Changeover Protocol internal"
	case 11:
		return "Name Table Update Protocol internal"
	case 12:
		return "Message Fragmentation Protocol internal"
	case 13:
		return "Neighbor Detection Protocol internal"
	}
	return "unknown"
}
