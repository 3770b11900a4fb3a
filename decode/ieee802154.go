package decode

// Link types of IEEE 802.15.4 frames.
const (
	linkType802154      = 195 // with FCS
	linkType802154NoFCS = 230
)

var ieee802154Types = [8]string{"Beacon", "Data", "Ack", "Command", "Reserved", "Multipurpose",
	"Fragment", "Extended"}

// ieee802154 prints the addressing of an IEEE 802.15.4 MAC frame, as far
// as tcpdump does at default verbosity (its error text included when the
// frame stops early):
//
//	| frame control 2 (LE) | [seq] | [dst PAN 2] [dst addr 2 or 8] |
//	| [src PAN 2] [src addr 2 or 8] | ...
func (p *Printer) ieee802154(b, d []byte) []byte {
	if len(d) < 2 {
		return appendTrunc(b, "802.15.4")
	}
	fc := le16(d)
	ver := fc >> 12 & 3
	b = append(b, "IEEE 802.15.4 "...)
	b = append(b, ieee802154Types[fc&7]...)
	b = append(b, " packet v"...)
	b = appendUint(b, uint64(ver))
	b = append(b, ' ')
	d = d[2:]
	if fc&0x100 == 0 || ver < 2 {
		if len(d) < 1 {
			return append(b, "[ERROR: Truncated before seq_no]"...)
		}
		d = d[1:]
	}
	dmode, smode := fc>>10&3, fc>>14&3
	if dmode != 0 {
		if len(d) < 2 {
			return append(b, "[ERROR: Truncated before dst_pan]"...)
		}
		b = appendHex(b, uint64(le16(d)), 4)
		b = append(b, ':')
		d = d[2:]
		var ok bool
		if b, d, ok = appendWPANAddr(b, d, dmode); !ok {
			return b
		}
	}
	if smode != 0 {
		b = append(b, " < "...)
		if ver < 2 && fc&0x40 == 0 {
			if len(d) < 2 {
				return append(b, "[ERROR: Truncated before src_pan]"...)
			}
			b = appendHex(b, uint64(le16(d)), 4)
			d = d[2:]
		} else {
			b = append(b, '-')
		}
		b = append(b, ':')
		var ok bool
		if b, d, ok = appendWPANAddr(b, d, smode); !ok {
			return b
		}
	}
	if fc&7 == 1 {
		// a data frame's payload (and FCS) follows as a dump
		b = append(b, ' ')
		p.dump = d
	}
	return b
}

// appendWPANAddr appends a short (mode 2) or extended (mode 3) address,
// stored little-endian.
func appendWPANAddr(b, d []byte, mode uint16) ([]byte, []byte, bool) {
	n := 2
	if mode == 3 {
		n = 8
	}
	if mode == 1 || len(d) < n {
		return append(b, "[ERROR: Truncated before dst_addr]"...), d, false
	}
	if n == 2 {
		return appendHex(b, uint64(le16(d)), 4), d[2:], true
	}
	for i := 7; i >= 0; i-- {
		b = append(b, hexDigits[d[i]>>4], hexDigits[d[i]&0xf])
		if i > 0 {
			b = append(b, ':')
		}
	}
	return b, d[8:], true
}
