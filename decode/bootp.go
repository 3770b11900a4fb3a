package decode

// BOOTP and DHCP (UDP ports 67 and 68), printed as tcpdump 4.99: the
// operation, the client's hardware address on an Ethernet request, and
// the length; with -v the header fields and the RFC 1048 options (or a
// CMU vendor area).
//
//	| op 8 | htype 8 | hlen 8 | hops 8 | xid 32 | secs 16 | flags 16 |
//	| ciaddr | yiaddr | siaddr | giaddr | chaddr 16 bytes | sname 64 |
//	| file 128 | vendor area: magic cookie 99.130.83.99, options ...

// bootpTags name the options; the first character says how the data is
// printed: i addresses, l/L unsigned/signed 32-bit numbers, s 16-bit
// numbers, b bytes, x hex bytes, a text, B booleans, p address pairs, $
// an option of its own, ' ' no data.
var bootpTags = [256]string{0: " PAD", 1: "iSubnet-Mask", 2: "LTime-Zone", 3: "iDefault-Gateway",
	4: "iTime-Server", 5: "iIEN-Name-Server", 6: "iDomain-Name-Server", 7: "iLOG", 8: "iCS",
	9: "iLPR-Server", 10: "iIM", 11: "iRL", 12: "aHostname", 13: "sBS", 255: " END",
	14: "aDP", 15: "aDomain-Name", 16: "iSS", 17: "aRP", 18: "aEP", 19: "BIPF", 20: "BSRT",
	21: "pPF", 22: "sRSZ", 23: "bTTL", 24: "lMTU-Timeout", 25: "sMTU-Table", 26: "sMTU",
	27: "BLSN", 28: "iBR", 29: "BMD", 30: "BMS", 31: "BRouter-Discovery", 32: "iRSA",
	33: "pStatic-Route", 34: "BUT", 35: "lAT", 36: "BIE", 37: "bTT", 38: "lKI", 39: "BKG",
	40: "aYD", 41: "iYS", 42: "iNTP", 43: "bVendor-Option", 44: "iNetbios-Name-Server",
	45: "iWDD", 46: "$Netbios-Node", 47: "aNetbios-Scope", 48: "iXFS", 49: "iXDM",
	64: "sN+D", 65: "iN+S", 68: "iMH", 69: "iSMTP", 70: "iPOP3", 71: "iNNTP", 72: "iWWW",
	73: "iFG", 74: "iIRC", 75: "iSTS", 76: "iSTDA", 50: "iRequested-IP", 51: "lLease-Time",
	52: "$OO", 66: "aTFTP", 67: "aBF", 53: " DHCP-Message", 54: "iServer-ID",
	55: "bParameter-Request", 56: "aMSG", 57: "sMSZ", 58: "lRN", 59: "lRB",
	60: "aVendor-Class", 61: "$Client-ID", 98: "aUAP", 116: "BNOAUTO", 78: "bSLP-DA",
	79: "bSLP-SCOPE", 117: "sNSSEARCH", 77: "$User-Class", 118: "iSUBNET",
	121: "$Classless-Static-Route", 249: "$Classless-Static-Route-Microsoft",
	150: "iTFTP-Server-Address", 80: "aSLP-NA", 81: "$FQDN", 82: "$Agent-Information",
	83: "bARMT", 88: "aTZSTR", 89: "bFQDNS", 90: "bAUTH", 91: "LLast-Transaction-Time",
	92: "iAssociated-IP", 93: "sARCH", 94: "bNDI", 97: "bGUID", 95: "aLDAP", 100: "aPOSIX-TZ",
	101: "aTZ-Name", 112: "iNI", 113: "aNITAG", 114: "aURL", 161: "aMUD-URL"}

var dhcpMessages = [14]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK",
	6: "NACK", 7: "Release", 8: "Inform", 10: "LeaseQuery", 11: "LeaseUnassigned",
	12: "LeaseUnknown", 13: "LeaseActive"}

func (p *Printer) appendBOOTP(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "bootp")
	}
	op := d[0]
	b = append(b, "BOOTP/DHCP, "...)
	switch op {
	case 1:
		b = append(b, "Request"...)
	case 2:
		b = append(b, "Reply"...)
	default:
		b = append(b, "unknown (0x"...)
		b = appendHex(b, uint64(op), 2)
		b = append(b, ')')
	}
	if len(d) < 3 {
		return appendTrunc(b, "bootp")
	}
	ether := d[1] == 1 && d[2] == 6
	if ether && op == 1 {
		if len(d) < 34 {
			return appendTrunc(b, "bootp")
		}
		b = append(b, " from "...)
		b = appendMAC(b, d[28:34])
	}
	b = append(b, ", length "...)
	b = appendInt(b, length)
	if p.opts.Verbose == 0 {
		return b
	}
	if len(d) < 10 {
		return appendTrunc(b, "bootp")
	}
	if d[1] != 1 {
		b = append(b, ", htype "...)
		b = appendUint(b, uint64(d[1]))
	}
	if !ether {
		b = append(b, ", hlen "...)
		b = appendUint(b, uint64(d[2]))
	}
	if d[3] != 0 {
		b = append(b, ", hops "...)
		b = appendUint(b, uint64(d[3]))
	}
	if xid := be32(d[4:]); xid != 0 {
		b = append(b, ", xid 0x"...)
		b = appendHex(b, uint64(xid), 1)
	}
	if secs := be16(d[8:]); secs != 0 {
		b = append(b, ", secs "...)
		b = appendUint(b, uint64(secs))
	}
	if len(d) < 12 {
		return appendTrunc(b, "bootp")
	}
	flags := be16(d[10:])
	if flags&0x8000 != 0 {
		b = append(b, ", Flags [Broadcast]"...)
	} else {
		b = append(b, ", Flags [none]"...)
	}
	if p.opts.Verbose > 1 {
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(flags), 4)
		b = append(b, ')')
	}
	for i, label := range [...]string{"\n\t  Client-IP ", "\n\t  Your-IP ", "\n\t  Server-IP ", "\n\t  Gateway-IP "} {
		off := 12 + 4*i
		if len(d) < off+4 {
			return appendTrunc(b, "bootp")
		}
		if be32(d[off:]) != 0 {
			b = append(b, label...)
			b = appendIPv4(b, d[off:off+4])
		}
	}
	if ether {
		if len(d) < 34 {
			return appendTrunc(b, "bootp")
		}
		b = append(b, "\n\t  Client-Ethernet-Address "...)
		b = appendMAC(b, d[28:34])
	}
	for _, f := range [...]struct {
		label    string
		off, max int
	}{{"\n\t  sname \"", 44, 64}, {"\n\t  file \"", 108, 128}} {
		if len(d) <= f.off {
			return appendTrunc(b, "bootp")
		}
		if d[f.off] == 0 {
			continue
		}
		b = append(b, f.label...)
		end := false
		for i := f.off; i < f.off+f.max && i < len(d); i++ {
			if d[i] == 0 {
				end = true
				break
			}
			b = appendSafeChar(b, d[i])
		}
		b = append(b, '"')
		if !end {
			return appendTrunc(b, "bootp")
		}
	}
	if len(d) < 240 {
		return appendTrunc(b, "bootp")
	}
	v := d[236:]
	switch {
	case v[0] == 99 && v[1] == 130 && v[2] == 83 && v[3] == 99:
		return p.appendDHCPOptions(b, d[236:])
	case v[0] == 'C' && v[1] == 'M' && v[2] == 'U' && v[3] == 0:
		return appendCMU(b, v)
	}
	if ul := be32(v); ul != 0 {
		b = append(b, "\n\t  Vendor-#0x"...)
		b = appendHex(b, uint64(ul), 1)
	}
	return b
}

// appendCMU prints a CMU vendor area's addresses.
func appendCMU(b, v []byte) []byte {
	b = append(b, " vend-cmu"...)
	if len(v) < 8 {
		return appendTrunc(b, "bootp")
	}
	flags := v[4]
	if flags&^1 != 0 {
		b = append(b, " F:0x"...)
		b = appendHex(b, uint64(flags), 1)
	}
	sm := "SM*"
	if flags&1 != 0 {
		sm = "SM"
	}
	for _, f := range [...]struct {
		off   int
		label string
	}{{12, "DG"}, {8, sm}, {16, "NS1"}, {20, "NS2"}, {24, "IEN1"}, {28, "IEN2"}, {32, "TS1"}, {36, "TS2"}} {
		if len(v) < f.off+4 {
			return appendTrunc(b, "bootp")
		}
		if be32(v[f.off:]) != 0 {
			b = append(b, ' ')
			b = append(b, f.label...)
			b = append(b, ':')
			b = appendIPv4(b, v[f.off:f.off+4])
		}
	}
	return b
}

// appendDHCPOptions prints the RFC 1048 options after the magic cookie at
// v[0:4] (-v): one line per option, until the END option or the end of
// the capture.
func (p *Printer) appendDHCPOptions(b, v []byte) []byte {
	b = append(b, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x"...)
	b = appendHex(b, uint64(be32(v)), 8)
	i := 4
	for i < len(v) {
		tag := int(v[i])
		i++
		if tag == 0 && p.opts.Verbose < 3 {
			continue
		}
		if tag == 255 && p.opts.Verbose < 3 {
			return b
		}
		name := bootpTags[tag]
		if name == "" {
			name = "?Unknown"
		}
		c := name[0]
		n := 0
		if tag != 0 && tag != 255 {
			if i >= len(v) {
				return appendTrunc(b, "bootp")
			}
			n = int(v[i])
			i++
		}
		b = append(b, "\n\t    "...)
		b = append(b, name[1:]...)
		b = append(b, " ("...)
		b = appendInt(b, tag)
		b = append(b, "), length "...)
		b = appendInt(b, n)
		if n > 0 {
			b = append(b, ": "...)
		}
		if tag == 0 && p.opts.Verbose > 2 {
			pads := 1
			for i < len(v) && v[i] == 0 {
				i++
				pads++
			}
			if pads > 1 {
				b = append(b, ", occurs "...)
				b = appendInt(b, pads)
			}
		}
		if i+n > len(v) {
			return appendTrunc(b, "bootp")
		}
		o := v[i : i+n]
		i += n
		if tag == 53 && n == 1 {
			if int(o[0]) < len(dhcpMessages) && dhcpMessages[o[0]] != "" {
				b = append(b, dhcpMessages[o[0]]...)
			} else {
				b = append(b, "Unknown ("...)
				b = appendUint(b, uint64(o[0]))
				b = append(b, ')')
			}
			continue
		}
		if tag == 55 {
			for k, t := range o {
				if k%4 == 0 {
					b = append(b, "\n\t      "...)
				} else {
					b = append(b, ", "...)
				}
				tn := bootpTags[t]
				if tn == "" {
					tn = "?Unknown"
				}
				b = append(b, tn[1:]...)
				b = append(b, " ("...)
				b = appendUint(b, uint64(t))
				b = append(b, ')')
			}
			continue
		}
		if c == '?' {
			switch {
			case n&1 != 0:
				c = 'b'
			case n&2 != 0:
				c = 's'
			default:
				c = 'l'
			}
		}
		var left int
		b, left = appendDHCPOption(b, c, tag, o)
		if left > 0 {
			b = append(b, "\n\t  trailing data length "...)
			b = appendInt(b, left)
		}
	}
	return b
}

// appendDHCPOption prints one option's data o in format c; left is what
// the format did not use.
func appendDHCPOption(b []byte, c byte, tag int, o []byte) (_ []byte, left int) {
	sep := func(b []byte, k int, s byte) []byte {
		if k > 0 {
			b = append(b, s)
		}
		return b
	}
	switch c {
	case 'a':
		b = append(b, '"')
		for _, x := range o {
			b = appendSafeChar(b, x)
		}
		return append(b, '"'), 0
	case 'i', 'l', 'L':
		k := 0
		for ; len(o)-4*k >= 4; k++ {
			b = sep(b, k, ',')
			w := o[4*k:]
			switch c {
			case 'i':
				b = appendIPv4(b, w[:4])
			case 'L':
				b = appendInt(b, int(int32(be32(w))))
			default:
				b = appendUint(b, uint64(be32(w)))
			}
		}
		return b, len(o) - 4*k
	case 'p':
		k := 0
		for ; len(o)-8*k >= 8; k++ {
			b = sep(b, k, ',')
			b = append(b, '(')
			b = appendIPv4(b, o[8*k:8*k+4])
			b = append(b, ':')
			b = appendIPv4(b, o[8*k+4:8*k+8])
			b = append(b, ')')
		}
		return b, len(o) - 8*k
	case 's':
		k := 0
		for ; len(o)-2*k >= 2; k++ {
			b = sep(b, k, ',')
			b = appendUint(b, uint64(be16(o[2*k:])))
		}
		return b, len(o) - 2*k
	case 'B':
		for k, x := range o {
			b = sep(b, k, ',')
			switch x {
			case 0:
				b = append(b, 'N')
			case 1:
				b = append(b, 'Y')
			default:
				b = appendUint(b, uint64(x))
				b = append(b, '?')
			}
		}
		return b, 0
	case '$':
		return appendDHCPSpecial(b, tag, o)
	}
	for k, x := range o {
		if c == 'x' {
			b = sep(b, k, ':')
			b = appendHex(b, uint64(x), 2)
		} else {
			b = sep(b, k, '.')
			b = appendUint(b, uint64(x))
		}
	}
	return b, 0
}

// appendDHCPSpecial prints the options with formats of their own.
func appendDHCPSpecial(b []byte, tag int, o []byte) (_ []byte, left int) {
	short := func(b []byte, min int) []byte {
		b = append(b, "[ERROR: length < "...)
		b = appendInt(b, min)
		return append(b, " bytes]"...)
	}
	switch tag {
	case 46, 52:
		if len(o) < 1 {
			return short(b, 1), 0
		}
		switch {
		case tag == 46 && o[0] == 1:
			b = append(b, "b-node"...)
		case tag == 46 && o[0] == 2:
			b = append(b, "p-node"...)
		case tag == 46 && o[0] == 4:
			b = append(b, "m-node"...)
		case tag == 46 && o[0] == 8:
			b = append(b, "h-node"...)
		case tag == 52 && o[0] >= 1 && o[0] <= 3:
			b = append(b, [...]string{"file", "sname", "file+sname"}[o[0]-1]...)
		default:
			b = append(b, '#')
			b = appendUint(b, uint64(o[0]))
		}
		return b, len(o) - 1
	case 81:
		if len(o) < 3 {
			return short(b, 3), 0
		}
		if o[0]&0xf0 != 0 {
			b = append(b, "[ERROR: MBZ nibble 0x"...)
			b = appendHex(b, uint64(o[0]>>4), 1)
			b = append(b, " != 0] "...)
		}
		if o[0]&0x0f != 0 {
			b = append(b, '[')
			for k, f := range "SOEN" {
				if o[0]&(1<<k) != 0 {
					b = append(b, byte(f))
				}
			}
			b = append(b, "] "...)
		}
		if o[1] != 0 || o[2] != 0 {
			b = appendUint(b, uint64(o[1]))
			b = append(b, '/')
			b = appendUint(b, uint64(o[2]))
			b = append(b, ' ')
		}
		b = append(b, '"')
		for _, x := range o[3:] {
			b = appendSafeChar(b, x)
		}
		return append(b, '"'), 0
	case 61:
		if len(o) < 1 {
			return short(b, 1), 0
		}
		if o[0] == 0 {
			b = append(b, '"')
			for _, x := range o[1:] {
				b = appendSafeChar(b, x)
			}
			return append(b, '"'), 0
		}
		switch o[0] {
		case 1:
			b = append(b, "ether"...)
		case 6:
			b = append(b, "ieee802"...)
		case 7:
			b = append(b, "arcnet"...)
		case 0xf:
			b = append(b, "frelay"...)
		case 0x17:
			b = append(b, "strip"...)
		case 0x18:
			b = append(b, "ieee1394"...)
		default:
			b = append(b, "hardware-type "...)
			b = appendUint(b, uint64(o[0]))
			b = append(b, ',')
		}
		b = append(b, ' ')
		for k, x := range o[1:] {
			if k > 0 {
				b = append(b, ':')
			}
			b = appendHex(b, uint64(x), 2)
		}
		return b, 0
	case 82:
		for len(o) >= 2 {
			sub, n := o[0], int(o[1])
			o = o[2:]
			b = append(b, "\n\t      "...)
			switch sub {
			case 1:
				b = append(b, "Circuit-ID"...)
			case 2:
				b = append(b, "Remote-ID"...)
			case 6:
				b = append(b, "Subscriber-ID"...)
			default:
				b = append(b, "Unknown"...)
			}
			b = append(b, " SubOption "...)
			b = appendUint(b, uint64(sub))
			b = append(b, ", length "...)
			b = appendInt(b, n)
			if n > len(o) {
				return append(b, ": length goes past end of option"...), 0
			}
			b = append(b, ": "...)
			if sub == 1 || sub == 2 || sub == 6 {
				for _, x := range o[:n] {
					b = appendSafeChar(b, x)
				}
			} else {
				b = appendHexShorts(b, "\n\t\t", o[:n])
			}
			o = o[n:]
		}
		return b, len(o)
	case 121, 249:
		if len(o) < 5 {
			return short(b, 5), 0
		}
		for k := 0; len(o) > 0; k++ {
			if k > 0 {
				b = append(b, ',')
			}
			w := int(o[0])
			o = o[1:]
			if w > 32 {
				b = append(b, "[ERROR: Mask width ("...)
				b = appendInt(b, w)
				return append(b, ") > 32]"...), 0
			}
			sig := (w + 7) / 8
			if len(o) < sig+4 {
				b = append(b, "[ERROR: Remaining length ("...)
				b = appendInt(b, len(o))
				b = append(b, ") < "...)
				b = appendInt(b, sig+4)
				return append(b, " bytes]"...), 0
			}
			b = append(b, '(')
			if w == 0 {
				b = append(b, "default"...)
			} else {
				for j := 0; j < 4; j++ {
					if j > 0 {
						b = append(b, '.')
					}
					if j < sig {
						b = appendUint(b, uint64(o[j]))
					} else {
						b = append(b, '0')
					}
				}
				b = append(b, '/')
				b = appendInt(b, w)
			}
			b = append(b, ':')
			b = appendIPv4(b, o[sig:sig+4])
			b = append(b, ')')
			o = o[sig+4:]
		}
		return b, 0
	case 77:
		if len(o) < 2 {
			return short(b, 2), 0
		}
		for k := 1; len(o) > 0; k++ {
			n := int(o[0])
			o = o[1:]
			b = append(b, "\n\t      instance#"...)
			b = appendInt(b, k)
			b = append(b, ": "...)
			if n == 0 {
				return append(b, "[ERROR: suboption length must be non-zero]"...), 0
			}
			if len(o) < n {
				return append(b, "[ERROR: invalid option]"...), 0
			}
			b = append(b, '"')
			for _, x := range o[:n] {
				b = appendSafeChar(b, x)
			}
			b = append(b, "\", length "...)
			b = appendInt(b, n)
			o = o[n:]
		}
		return b, 0
	}
	b = append(b, "[unknown special tag "...)
	b = appendInt(b, tag)
	b = append(b, ", size "...)
	b = appendInt(b, len(o))
	return append(b, ']'), 0
}

// appendHexShorts appends d as tcpdump's hex_print: 16 bytes a line, each
// line ident and its offset, bytes in pairs.
func appendHexShorts(b []byte, ident string, d []byte) []byte {
	for i := 0; i < len(d); i++ {
		if i%16 == 0 {
			b = append(b, ident...)
			b = append(b, "0x"...)
			b = appendHex(b, uint64(i), 4)
			b = append(b, ": "...)
		}
		if i%2 == 0 {
			b = append(b, ' ')
		}
		b = appendHex(b, uint64(d[i]), 2)
	}
	return b
}
