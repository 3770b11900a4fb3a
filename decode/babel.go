package decode

// Babel (RFC 8966) over UDP 6696 (and the old port 6697), printed as tcpdump
// prints it at default verbosity: the version, the body length and the
// name of each TLV of the body and of the trailer after " |".
//
//	+-------+---------+----------+------------------+---------+
//	| 42  1 | version | body len | TLVs (type, len) | trailer |
//	+-------+---------+----------+------------------+---------+

var babelTLVNames = [20]string{1: " padN", 2: " ack-req", 3: " ack", 4: " hello", 5: " ihu",
	6: " router-id", 7: " nh", 8: " update", 9: " route-request", 10: " seqno-request",
	11: " tspc", 12: " hmac", 13: " ss-update", 14: " ss-request", 15: " ss-mh-request",
	16: " mac", 17: " pc", 18: " challenge_request", 19: " challenge_reply"}

// babel prints a Babel packet d (length bytes on the wire).
func (p *Printer) babel(b, d []byte, length int) []byte {
	b = append(b, "babel"...)
	if len(d) < 4 {
		return appendTrunc(b, "babel")
	}
	if d[0] != 42 {
		return append(b, " invalid header"...)
	}
	b = append(b, ' ')
	b = appendUint(b, uint64(d[1]))
	if d[1] != 2 {
		return append(b, " unknown version"...)
	}
	if length < 4 {
		return append(b, " (invalid)"...)
	}
	body := int(be16(d[2:]))
	b = append(b, " ("...)
	b = appendInt(b, body)
	b = append(b, ')')
	length -= 4
	if length < body {
		return append(b, " (invalid)"...)
	}
	v := p.opts.Verbose > 0
	b, r := babelTLVs(b, d[4:], body, length, v)
	if r == 0 && length > body {
		if v {
			b = append(b, "\n\t----"...)
		} else {
			b = append(b, " |"...)
		}
		b, r = babelTLVs(b, d[min(len(d), 4+body):], length-body, length-body, v)
	}
	switch r {
	case -1:
		return appendTrunc(b, "babel")
	case -2:
		return append(b, " (invalid)"...)
	}
	return b
}

// babelTLVs prints the names of the TLVs in the first n bytes of d, of
// which rest remain in the packet, or with verbose their contents. It
// returns -1 when the capture ends first, -2 when a TLV overruns n or
// rest or is malformed, 0 otherwise.
func babelTLVs(b, d []byte, n, rest int, verbose bool) ([]byte, int) {
	// The prefixes later updates may omit the start of (per TLV list).
	st := babelPrefixes{v4: babelV4Prefix}
	for i := 0; i < n; {
		if i+1 > n || i+1 > rest {
			return b, -2
		}
		if i >= len(d) {
			return b, -1
		}
		typ := d[i]
		if typ == 0 {
			if verbose {
				b = append(b, "\n\tPad 1"...)
			} else {
				b = append(b, " pad1"...)
			}
			i++
			continue
		}
		if i+2 > n || i+2 > rest {
			return b, -2
		}
		if i+2 > len(d) {
			return b, -1
		}
		l := int(d[i+1])
		if i+2+l > n || i+2+l > rest {
			return b, -2
		}
		if i+2+l > len(d) {
			return b, -1
		}
		if verbose {
			var r int
			if b, r = st.tlv(b, d[i:], l); r != 0 {
				return b, r
			}
			i += l + 2
			continue
		}
		if int(typ) < len(babelTLVNames) {
			b = append(b, babelTLVNames[typ]...)
		} else {
			b = append(b, " unknown"...)
		}
		if typ == 8 {
			if l < 10 {
				return b, -2
			}
			f := d[i+3]
			if f&0x80 != 0 {
				b = append(b, "/prefix"...)
			}
			if f&0x40 != 0 {
				b = append(b, "/id"...)
			}
			if f&0x3f != 0 {
				b = append(b, "/unknown"...)
			}
		}
		i += l + 2
	}
	return b, 0
}
