package decode

// frameRelay prints a Frame Relay frame (LINKTYPE_FRELAY): a Q.922
// address of 2 to 4 bytes, then either a Cisco-style ethertype or the
// RFC 2427 encapsulation (UI control byte, optional pad, NLPID).
//
//	| DLCI 6 | C/R | EA=0 | DLCI 4 | FECN | BECN | DE | EA | ...
func (p *Printer) frameRelay(b, d []byte, wire int) ([]byte, int) {
	dlci, alen, flags, ok := parseQ922(d)
	if alen == 0 {
		return appendTrunc(b, "fr"), len(d)
	}
	if !ok {
		return append(b, "Q.922, invalid address"...), len(d)
	}
	if len(d) < alen+1 || wire < alen+1 {
		return appendTrunc(b, "fr"), len(d)
	}
	if d[alen] != 0x03 && dlci != 0 {
		// Cisco encapsulation: an ethertype right after the address.
		if len(d) < alen+2 || wire < alen+2 {
			b = appendUIBang(b, d[alen])
		} else {
			et := be16(d[alen:])
			if frEtherType(et) {
				if p.opts.Link {
					b = appendFRHeader(b, wire, alen, dlci, flags)
					b = appendProtoName(append(b, "cisco-ethertype "...), et)
					b = append(b, ", length "...)
					b = appendInt(b, wire)
					b = append(b, ": "...)
				}
				return p.etherPayload(b, d[alen+2:], wire-alen-2, et), alen + 2
			}
			b = appendUIBang(b, d[alen])
		}
	}
	if len(d) < alen+2 || wire < alen+2 {
		return appendTrunc(b, "fr"), len(d)
	}
	shown := d[alen+1]
	hlen := alen + 2
	if d[alen+1] == 0 {
		// A pad byte, expected only after a 3-byte address.
		if alen != 3 {
			b = append(b, "Pad! "...)
		}
		hlen++
	} else if alen == 3 {
		b = append(b, "Pad! "...)
	}
	if len(d) < hlen || wire < hlen {
		return appendTrunc(b, "fr"), len(d)
	}
	nlpid := d[hlen-1]
	if p.opts.Link {
		b = appendFRNLPID(appendFRHeader(b, wire, alen, dlci, flags), shown, wire)
	}
	rest, length := d[hlen:], wire-hlen
	switch nlpid {
	case nlpidIPv4:
		return p.ip4(b, rest, length), hlen
	case nlpidIPv6:
		return p.ip6(b, rest, length), hlen
	case nlpidCLNP, nlpidESIS, nlpidISIS:
		return p.osi(b, d[hlen-1:], length+1), hlen
	case nlpidSNAP:
		return p.snapAt(b, d, wire, hlen), hlen
	case nlpidMFR:
		if len(rest) < 2 || length < 2 {
			// an FRF.15 fragmentation header
			return appendTrunc(b, "fr"), hlen
		}
	}
	if !p.opts.Link {
		b = appendFRNLPID(appendFRHeader(b, wire, alen, dlci, flags), shown, wire)
	}
	return p.appendDefault(b, rest, length, "fr"), hlen
}

// frEtherType says which ethertypes after a Q.922 address tcpdump takes
// for Cisco encapsulation (those it has a printer for).
func frEtherType(et uint16) bool {
	switch et {
	case 0x0800, 0x86dd, 0x0806, 0x8035:
		return true
	}
	return et > 1500 && l2EtherType(et)
}

func appendUIBang(b []byte, c byte) []byte {
	b = append(b, "UI "...)
	b = appendHex(b, uint64(c), 2)
	return append(b, "! "...)
}

// parseQ922 reads a Q.922 address: alen is its length (0 when d is too
// short to tell) and ok false when it is malformed.
func parseQ922(d []byte) (dlci uint32, alen int, flags uint32, ok bool) {
	if len(d) < 1 {
		return 0, 0, 0, false
	}
	if d[0]&1 != 0 {
		return 0, 1, 0, false
	}
	if len(d) < 2 {
		return 0, 0, 0, false
	}
	dlci = uint32(d[0]&0xfc)<<2 | uint32(d[1]>>4)
	flags = uint32(d[0]&0x02)<<8 | uint32(d[1]&0x0e)
	if d[1]&1 != 0 {
		return dlci, 2, flags, true
	}
	if len(d) < 3 {
		return 0, 0, 0, false
	}
	if d[2]&1 != 0 {
		// Three bytes: the last holds 6 more DLCI bits or D/C control.
		dlci = dlci<<6 | uint32(d[2]>>2)
		return dlci, 3, flags, true
	}
	dlci = dlci<<7 | uint32(d[2]>>1)
	if len(d) < 4 {
		return 0, 0, 0, false
	}
	if d[3]&1 == 0 {
		return 0, 4, 0, false
	}
	dlci = dlci<<6 | uint32(d[3]>>2)
	return dlci, 4, flags, true
}

// appendFRHeader appends "Q.922, hdr-len N, DLCI N, Flags [...], ".
func appendFRHeader(b []byte, wire, alen int, dlci, flags uint32) []byte {
	b = append(b, "Q.922, hdr-len "...)
	b = appendInt(b, alen)
	b = append(b, ", DLCI "...)
	b = appendUint(b, uint64(dlci))
	b = append(b, ", Flags ["...)
	n := len(b)
	for _, f := range frFlags {
		if flags&f.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return append(b, "], "...)
}

// appendFRNLPID appends "NLPID NAME (0xNN), length N: ".
func appendFRNLPID(b []byte, nlpid byte, wire int) []byte {
	b = append(b, "NLPID "...)
	if s := nlpidName(nlpid); s != "" {
		b = append(b, s...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(nlpid), 2)
	b = append(b, "), length "...)
	b = appendInt(b, wire)
	return append(b, ": "...)
}

// frFlags are the Q.922 address bits in tcpdump's order (C/R from the
// first byte, shifted up).
var frFlags = [...]struct {
	bit  uint32
	name string
}{{0x200, "C!"}, {0x02, "DE"}, {0x04, "BECN"}, {0x08, "FECN"}}

// mfr prints a multilink Frame Relay (FRF.16) frame: fragments, whose
// first carries a Frame Relay frame, and control messages.
//
//	| B | E | C | ... | seq high 3 | EA | seq low 8 |       (fragment)
//	| B | E | C | ... | 0 | message type | information elements | (control)
func (p *Printer) mfr(b, d []byte, wire int) ([]byte, int) {
	if len(d) < 2 {
		return appendTrunc(b, "mfr"), len(d)
	}
	flags := d[0] & 0xe0
	b = append(b, "FRF.16 "...)
	if flags == 0xe0 && d[1] == 0 {
		if len(d) < 3 {
			return appendTrunc(b, "mfr"), len(d)
		}
		b = append(b, "Control, Flags ["...)
		b = appendMFRFlags(b, flags)
		b = append(b, "], "...)
		if t := d[2]; t >= 1 && t <= 7 {
			b = append(b, mfrMessages[t]...)
		} else {
			b = append(b, "Unknown Message (0x"...)
			b = appendHex(b, uint64(d[2]), 2)
			b = append(b, ')')
		}
		b = append(b, ", length "...)
		return appendInt(b, wire), len(d)
	}
	b = append(b, "Frag, seq "...)
	b = appendUint(b, uint64(d[0]&0x0e)<<7|uint64(d[1]))
	b = append(b, ", Flags ["...)
	b = appendMFRFlags(b, flags)
	b = append(b, ']')
	if flags&0xa0 != 0x80 {
		// only a first fragment shows the frame it starts
		return appendDumpLines(b, d), len(d)
	}
	b = append(b, ", "...)
	t, n := p.frameRelay(b, d[2:], wire-2)
	return t, 2 + n
}

var mfrMessages = [...]string{1: "Add Link", 2: "Add Link Ack", 3: "Add Link Reject",
	4: "Hello", 5: "Hello Ack", 6: "Remove Link", 7: "Remove Link Ack"}

func appendMFRFlags(b []byte, f byte) []byte {
	n := len(b)
	for _, x := range [...]struct {
		bit  byte
		name string
	}{{0x80, "Begin"}, {0x40, "End"}, {0x20, "Control"}} {
		if f&x.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, x.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return b
}
