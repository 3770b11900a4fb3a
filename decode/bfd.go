package decode

// BFD (RFC 5880) over UDP: control packets to ports 3784 (single hop),
// 4784 (multihop) and 6784 (LAG), echo packets to 3785, printed as tcpdump
// prints them. -v adds the header's fields and the authentication section.
//
//	+-------------+-------+------------+--------+
//	| vers 3 diag | flags | detect mul | length |
//	+-------------+-------+------------+--------+
//	| my discriminator 4 | your discriminator 4  |
//	| desired min tx 4 | required min rx 4 | required min echo 4 |
//	+------------------+-------------------+---------------------+

var bfdDiags = [9]string{"No Diagnostic", "Control Detection Time Expired", "Echo Function Failed",
	"Neighbor Signaled Session Down", "Forwarding Plane Reset", "Path Down",
	"Concatenated Path Down", "Administratively Down", "Reverse Concatenated Path Down"}

var bfdStates = [4]string{"AdminDown", "Down", "Init", "Up"}

var bfdV0Flags = [8]string{"I Hear You", "Demand", "Poll", "Final", "Control Plane Independent",
	"Authentication Present", "Reserved", "Reserved"}

var bfdV1Flags = [8]string{2: "Poll", 3: "Final", 4: "Control Plane Independent",
	5: "Authentication Present", 6: "Demand", 7: "Multipoint"}

var bfdAuthNames = [6]string{1: "Simple Password", 2: "Keyed MD5", 3: "Meticulous Keyed MD5",
	4: "Keyed SHA1", 5: "Meticulous Keyed SHA1"}

// appendFlagNames appends the names of the set bits of v, most significant
// first (names[0] is bit 7), separated by ", ", or "none".
func appendFlagNames(b []byte, v byte, names *[8]string) []byte {
	n := 0
	for i, name := range names {
		if name == "" || v&(0x80>>i) == 0 {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		b = append(b, name...)
		n++
	}
	if n == 0 {
		b = append(b, "none"...)
	}
	return b
}

// bfd prints a BFD packet d (length bytes on the wire) sent to port dp.
func (p *Printer) bfd(b, d []byte, length, dp int) []byte {
	switch dp {
	case 3785:
		b = append(b, "BFD, Echo, length: "...)
		b = appendInt(b, length)
		if p.opts.Verbose > 0 {
			b = appendUnknownData(b, d, "\n\t", length)
		}
		return b
	case 3784, 4784, 6784:
	default:
		b = append(b, "BFD, unknown ("...)
		b = appendInt(b, dp)
		b = append(b, "), length: "...)
		b = appendInt(b, length)
		if p.opts.Verbose > 0 {
			b = appendUnknownData(b, d, "\n\t", length)
		}
		return b
	}
	if len(d) < 24 {
		return appendTrunc(b, "bfd")
	}
	vers, flags := d[0]>>5, d[1]
	kind := "Control"
	switch dp {
	case 4784:
		kind = "Multihop"
	case 6784:
		kind = "Lag"
	}
	switch vers {
	case 0:
		if p.opts.Verbose < 1 {
			b = append(b, "BFDv0, Control, Flags: ["...)
			b = appendFlagNames(b, flags, &bfdV0Flags)
			b = append(b, "], length: "...)
			return appendInt(b, length)
		}
		b = append(b, "BFDv0, length: "...)
		b = appendInt(b, length)
		b = append(b, "\n\tControl, Flags: ["...)
		b = appendFlagNames(b, flags, &bfdV0Flags)
		b = append(b, ']')
	case 1:
		if p.opts.Verbose < 1 {
			b = append(b, "BFDv1, "...)
			b = append(b, kind...)
			b = append(b, ", State "...)
			b = append(b, bfdStates[flags>>6]...)
			b = append(b, ", Flags: ["...)
			b = appendFlagNames(b, flags&0x3f, &bfdV1Flags)
			b = append(b, "], length: "...)
			return appendInt(b, length)
		}
		b = append(b, "BFDv1, length: "...)
		b = appendInt(b, length)
		b = append(b, "\n\t"...)
		b = append(b, kind...)
		b = append(b, ", State "...)
		b = append(b, bfdStates[flags>>6]...)
		b = append(b, ", Flags: ["...)
		b = appendFlagNames(b, flags&0x3f, &bfdV1Flags)
		b = append(b, ']')
	default:
		b = append(b, "BFDv"...)
		b = appendUint(b, uint64(vers))
		b = append(b, ", Control, length: "...)
		b = appendInt(b, length)
		if p.opts.Verbose > 0 {
			return appendUnknownData(b, d, "\n\t", length)
		}
		return b
	}
	diag := d[0] & 0x1f
	b = append(b, ", Diagnostic: "...)
	if int(diag) < len(bfdDiags) {
		b = append(b, bfdDiags[diag]...)
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(diag), 2)
	b = append(b, ")\n\tDetection Timer Multiplier: "...)
	b = appendUint(b, uint64(d[2]))
	b = append(b, " ("...)
	b = appendUint(b, uint64(uint32(d[2])*be32(d[12:])/1000))
	b = append(b, " ms Detection time), BFD Length: "...)
	b = appendUint(b, uint64(d[3]))
	b = append(b, "\n\tMy Discriminator: 0x"...)
	b = appendHex(b, uint64(be32(d[4:])), 8)
	b = append(b, ", Your Discriminator: 0x"...)
	b = appendHex(b, uint64(be32(d[8:])), 8)
	b = append(b, "\n\t  Desired min Tx Interval:    "...)
	b = appendPadded(b, uint64(be32(d[12:])/1000), 4)
	b = append(b, " ms\n\t  Required min Rx Interval:   "...)
	b = appendPadded(b, uint64(be32(d[16:])/1000), 4)
	b = append(b, " ms\n\t  Required min Echo Interval: "...)
	b = appendPadded(b, uint64(be32(d[20:])/1000), 4)
	b = append(b, " ms"...)
	if flags&0x04 != 0 {
		return bfdAuth(b, d[24:])
	}
	return b
}

// bfdAuth prints (-v) the authentication section a of a BFD packet.
func bfdAuth(b, a []byte) []byte {
	if len(a) < 4 {
		return appendTrunc(b, "bfd")
	}
	typ, alen := a[0], a[1]
	b = append(b, "\n\tAuthentication: "...)
	if int(typ) < len(bfdAuthNames) && bfdAuthNames[typ] != "" {
		b = append(b, bfdAuthNames[typ]...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(typ))
	b = append(b, "), length: "...)
	b = appendUint(b, uint64(alen))
	b = append(b, "\n\t  Auth Key ID: "...)
	b = appendUint(b, uint64(a[2]))
	hash, want := 0, 0
	switch typ {
	case 1:
		if alen < 4 || alen > 19 {
			return bfdAuthBadLen(b, alen)
		}
		b = append(b, ", Password: "...)
		for i := 0; i < int(alen)-3; i++ {
			if 3+i >= len(a) {
				return appendTrunc(b, "bfd")
			}
			b = appendCharJNP(b, a[3+i])
		}
		return b
	case 2, 3:
		hash, want = 16, 24
	case 4, 5:
		hash, want = 20, 28
	default:
		return b
	}
	if int(alen) != want {
		return bfdAuthBadLen(b, alen)
	}
	if len(a) < 8 {
		return appendTrunc(b, "bfd")
	}
	b = append(b, ", Sequence Number: 0x"...)
	b = appendHex(b, uint64(be32(a[4:])), 8)
	if len(a) < 8+hash {
		return appendTrunc(b, "bfd")
	}
	if hash == 16 {
		b = append(b, "\n\t  Digest: "...)
	} else {
		b = append(b, "\n\t  Hash: "...)
	}
	for _, c := range a[8 : 8+hash] {
		b = appendHex(b, uint64(c), 2)
	}
	return b
}

func bfdAuthBadLen(b []byte, alen byte) []byte {
	b = append(b, "[invalid length "...)
	b = appendUint(b, uint64(alen))
	return append(b, ']')
}

// appendPadded appends v right-aligned in width columns, as printf's %Nu.
func appendPadded(b []byte, v uint64, width int) []byte {
	n := 1
	for x := v / 10; x != 0; x /= 10 {
		n++
	}
	for ; n < width; n++ {
		b = append(b, ' ')
	}
	return appendUint(b, v)
}
