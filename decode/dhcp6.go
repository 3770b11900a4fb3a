package decode

// DHCPv6 (UDP ports 546 and 547), printed as tcpdump 4.99: "dhcp6" and the
// message type; with -v the transaction id (or a relay message's link and
// peer addresses) and the options, each in parentheses, nested ones
// inside their parent's.
//
//	| msg-type 8 | transaction-id 24 | options: code 16, length 16, data

var dhcp6Types = [16]string{1: "solicit", 2: "advertise", 3: "request", 4: "confirm",
	5: "renew", 6: "rebind", 7: "reply", 8: "release", 9: "decline", 10: "reconfigure",
	11: "inf-req", 12: "relay-fwd", 13: "relay-reply", 14: "leasequery", 15: "leasequery-reply"}

var dhcp6Options = [113]string{1: "client-ID", 2: "server-ID", 3: "IA_NA", 4: "IA_TA",
	5: "IA_ADDR", 6: "option-request", 7: "preference", 8: "elapsed-time", 9: "relay-message",
	11: "authentication", 12: "server-unicast", 13: "status-code", 14: "rapid-commit",
	15: "user-class", 16: "vendor-class", 17: "vendor-specific-info", 18: "interface-ID",
	19: "reconfigure-message", 20: "reconfigure-accept", 21: "SIP-servers-domain",
	22: "SIP-servers-address", 23: "DNS-server", 24: "DNS-search-list", 25: "IA_PD",
	26: "IA_PD-prefix", 31: "SNTP-servers", 32: "lifetime", 27: "NIS-server", 28: "NIS+-server",
	29: "NIS-domain-name", 30: "NIS+-domain-name", 33: "BCMCS-domain-name", 34: "BCMCS-server",
	36: "Geoconf-Civic", 37: "Remote-ID", 38: "Subscriber-ID", 39: "Client-FQDN",
	40: "PANA-agent", 41: "POSIX-timezone", 42: "POSIX-tz-database", 43: "Echo-request-option",
	44: "Lease-query", 45: "LQ-client-data", 46: "Clt-time", 47: "LQ-relay-data",
	48: "LQ-client-link", 56: "NTP-server", 64: "AFTR-Name", 112: "MUD-URL"}

var dhcp6Status = [11]string{"Success", "UnspecFail", "NoAddrsAvail", "NoBinding", "NotOnLink",
	"UseMulticast", "NoPrefixAvail", "UnknownQueryType", "MalformedQuery", "NotConfigured", "NotAllowed"}

func appendDHCP6OptName(b []byte, code int) []byte {
	if code < len(dhcp6Options) && dhcp6Options[code] != "" {
		return append(b, dhcp6Options[code]...)
	}
	b = append(b, "opt_"...)
	return appendInt(b, code)
}

func (p *Printer) appendDHCP6(b, d []byte, length int) []byte {
	b, ok := p.dhcp6(b, d, length)
	if !ok {
		b = appendTrunc(b, "dhcp6")
	}
	return b
}

// dhcp6 prints one message (dhcp6_print); ok is false when the capture
// ended where tcpdump abandons the whole packet.
func (p *Printer) dhcp6(b, d []byte, length int) (_ []byte, ok bool) {
	b = append(b, "dhcp6"...)
	end := min(len(d), length)
	if len(d) < 4 {
		return appendTrunc(b, "dhcp6"), true
	}
	t := d[0]
	b = append(b, ' ')
	if int(t) < len(dhcp6Types) && dhcp6Types[t] != "" {
		b = append(b, dhcp6Types[t]...)
	} else {
		b = append(b, "msgtype-"...)
		b = appendUint(b, uint64(t))
	}
	if p.opts.Verbose == 0 {
		return b, true
	}
	b = append(b, " ("...)
	if t != 12 && t != 13 {
		b = append(b, "xid="...)
		b = appendHex(b, uint64(be32(d)&0xffffff), 1)
		if b, ok = p.dhcp6Opts(b, d, 4, end); !ok {
			return b, false
		}
	} else {
		if len(d) < 18 {
			return b, false
		}
		b = append(b, "linkaddr="...)
		b = appendIPv6(b, d[2:18])
		if len(d) < 34 {
			return b, false
		}
		b = append(b, " peeraddr="...)
		b = appendIPv6(b, d[18:34])
		if b, ok = p.dhcp6Opts(b, d, 34, end); !ok {
			return b, false
		}
	}
	return append(b, ')'), true
}

// dhcp6Opts prints the options in d[off:end] (dhcp6opt_print).
func (p *Printer) dhcp6Opts(b, d []byte, off, end int) (_ []byte, ok bool) {
	for off < end {
		if end < off+4 {
			return appendTrunc(b, "dhcp6"), true
		}
		n := int(be16(d[off+2:]))
		if end < off+4+n {
			return appendTrunc(b, "dhcp6"), true
		}
		code := int(be16(d[off:]))
		b = append(b, " ("...)
		b = appendDHCP6OptName(b, code)
		o := d[off+4 : off+4+n]
		oend := off + 4 + n
		bad := func(b []byte) []byte { return append(b, " ?)"...) }
		switch code {
		case 1, 2:
			if n < 2 {
				b = bad(b)
				break
			}
			switch be16(o) {
			case 1:
				if n < 8 {
					b = bad(b)
					break
				}
				b = append(b, " hwaddr/time type "...)
				b = appendUint(b, uint64(be16(o[2:])))
				b = append(b, " time "...)
				b = appendUint(b, uint64(be32(o[4:])))
				b = append(b, ' ')
				for _, c := range o[8:] {
					b = appendHex(b, uint64(c), 2)
				}
				b = append(b, ')')
			case 2:
				if n < 10 {
					b = bad(b)
					break
				}
				b = append(b, " vid "...)
				for _, c := range o[2:10] {
					b = appendHex(b, uint64(c), 2)
				}
				b = append(b, ')')
			case 3:
				if n < 4 {
					b = bad(b)
					break
				}
				b = append(b, " hwaddr type "...)
				b = appendUint(b, uint64(be16(o[2:])))
				b = append(b, ' ')
				for _, c := range o[4:] {
					b = appendHex(b, uint64(c), 2)
				}
				b = append(b, ')')
			default:
				b = append(b, " type "...)
				b = appendUint(b, uint64(be16(o)))
				b = append(b, ')')
			}
		case 5:
			if n < 24 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendIPv6(b, o[:16])
			b = appendLifetimes(b, o[16:])
			if n > 24 {
				if b, ok = p.dhcp6Opts(b, d, off+4+24, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 6, 43:
			if n%2 != 0 {
				b = bad(b)
				break
			}
			for i := 0; i < n; i += 2 {
				b = append(b, ' ')
				b = appendDHCP6OptName(b, int(be16(o[i:])))
			}
			b = append(b, ')')
		case 7:
			if n != 1 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(o[0]))
			b = append(b, ')')
		case 8:
			if n != 2 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(be16(o)))
			b = append(b, ')')
		case 9:
			b = append(b, " ("...)
			if b, ok = p.dhcp6(b, d[off+4:oend], n); !ok {
				return b, false
			}
			b = append(b, ')')
		case 11:
			b = appendDHCP6Auth(b, o)
		case 14, 20:
			b = append(b, ')')
		case 18, 38:
			b = append(b, ' ')
			for i := 0; i < n && i < 10; i++ {
				b = appendHex(b, uint64(o[i]), 2)
			}
			b = append(b, "...)"...)
		case 19:
			if n != 1 {
				b = bad(b)
				break
			}
			switch o[0] {
			case 5:
				b = append(b, " for renew)"...)
			case 11:
				b = append(b, " for inf-req)"...)
			default:
				b = append(b, " for ???("...)
				b = appendHex(b, uint64(o[0]), 2)
				b = append(b, "))"...)
			}
		case 22, 23, 31, 27, 28, 34, 40, 48:
			if n%16 != 0 {
				b = bad(b)
				break
			}
			for i := 0; i < n; i += 16 {
				b = append(b, ' ')
				b = appendIPv6(b, o[i:i+16])
			}
			b = append(b, ')')
		case 21, 24:
			x := dnsMsg{m: d}
			tp := off + 4
			for tp < oend {
				b = append(b, ' ')
				if b, tp = x.name(b, tp, oend); tp < 0 {
					b = appendTrunc(b, "dhcp6")
					return b, true
				}
			}
			b = append(b, ')')
		case 13:
			if n < 2 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			switch st := int(be16(o)); {
			case st > 255:
				b = append(b, "INVALID code"...)
			case st < len(dhcp6Status):
				b = append(b, dhcp6Status[st]...)
			default:
				b = append(b, "code"...)
				b = appendInt(b, st)
			}
			b = append(b, ')')
		case 3, 25:
			if n < 12 {
				b = bad(b)
				break
			}
			b = append(b, " IAID:"...)
			b = appendUint(b, uint64(be32(o)))
			b = append(b, " T1:"...)
			b = appendUint(b, uint64(be32(o[4:])))
			b = append(b, " T2:"...)
			b = appendUint(b, uint64(be32(o[8:])))
			if n > 12 {
				if b, ok = p.dhcp6Opts(b, d, off+4+12, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 4:
			if n < 4 {
				b = bad(b)
				break
			}
			b = append(b, " IAID:"...)
			b = appendUint(b, uint64(be32(o)))
			if n > 4 {
				if b, ok = p.dhcp6Opts(b, d, off+4+4, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 26:
			if n < 25 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendIPv6(b, o[9:25])
			b = append(b, '/')
			b = appendUint(b, uint64(o[8]))
			b = appendLifetimes(b, o)
			if n > 25 {
				if b, ok = p.dhcp6Opts(b, d, off+4+25, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 32, 46:
			if n != 4 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(o)))
			b = append(b, ')')
		case 37:
			if n < 4 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendUint(b, uint64(be32(o)))
			b = append(b, ' ')
			for i := 4; i < n && i < 14; i++ {
				b = appendHex(b, uint64(o[i]), 2)
			}
			b = append(b, "...)"...)
		case 44:
			if n < 17 {
				b = bad(b)
				break
			}
			switch o[0] {
			case 1:
				b = append(b, " by-address"...)
			case 2:
				b = append(b, " by-clientID"...)
			default:
				b = append(b, " type_"...)
				b = appendUint(b, uint64(o[0]))
			}
			b = append(b, ' ')
			b = appendIPv6(b, o[1:17])
			if n > 17 {
				if b, ok = p.dhcp6Opts(b, d, off+4+17, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 45:
			if n > 0 {
				if b, ok = p.dhcp6Opts(b, d, off+4, oend); !ok {
					return b, false
				}
			}
			b = append(b, ')')
		case 47:
			if n < 16 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			b = appendIPv6(b, o[:16])
			b = append(b, ' ')
			for i := 16; i < n && i < 26; i++ {
				b = appendHex(b, uint64(o[i]), 2)
			}
			b = append(b, "...)"...)
		case 56:
			if n < 4 {
				b = bad(b)
				break
			}
			tp := off + 4
			for tp < oend-4 {
				sc, sn := int(be16(d[tp:])), int(be16(d[tp+2:]))
				tp += 4
				if tp+sn > oend {
					return appendTrunc(b, "dhcp6"), true
				}
				b = append(b, " subopt:"...)
				b = appendInt(b, sc)
				switch {
				case (sc == 1 || sc == 2) && sn == 16:
					b = append(b, ' ')
					b = appendIPv6(b, d[tp:tp+16])
				case sc == 3:
					b = append(b, ' ')
					x := dnsMsg{m: d}
					var e int
					if b, e = x.name(b, tp, tp+sn); e < 0 {
						return appendTrunc(b, "dhcp6"), true
					}
				default:
					b = append(b, " ?"...)
				}
				tp += sn
			}
			b = append(b, ')')
		case 64:
			if n < 3 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			tp, left := 0, n
			for left > 0 && o[tp] != 0 {
				l := int(o[tp])
				tp++
				if l >= left-1 {
					b = append(b, " ?"...)
					break
				}
				for _, c := range o[tp : tp+l] {
					if c == 0 {
						break
					}
					b = appendSafeChar(b, c)
				}
				tp += l
				left -= l + 1
				if o[tp] != 0 {
					b = append(b, '.')
				}
			}
			b = append(b, ')')
		case 41, 42, 112:
			if n < 5 {
				b = bad(b)
				break
			}
			b = append(b, ' ')
			for _, c := range o {
				if c == 0 {
					break
				}
				b = appendSafeChar(b, c)
			}
			b = append(b, ')')
		default:
			b = append(b, ')')
		}
		off = oend
	}
	return b, true
}

// appendLifetimes appends " pltime:P vltime:V" from the first 8 bytes of o.
func appendLifetimes(b, o []byte) []byte {
	b = append(b, " pltime:"...)
	b = appendUint(b, uint64(be32(o)))
	b = append(b, " vltime:"...)
	return appendUint(b, uint64(be32(o[4:])))
}

// appendDHCP6Auth prints an authentication option's data o.
func appendDHCP6Auth(b, o []byte) []byte {
	if len(o) < 11 {
		return append(b, " ?)"...)
	}
	proto, alg, rdm := o[0], o[1], o[2]
	switch proto {
	case 2:
		b = append(b, " proto: delayed"...)
	case 3:
		b = append(b, " proto: reconfigure"...)
	default:
		b = append(b, " proto: "...)
		b = appendUint(b, uint64(proto))
	}
	if alg == 1 {
		b = append(b, ", alg: HMAC-MD5"...)
	} else {
		b = append(b, ", alg: "...)
		b = appendUint(b, uint64(alg))
	}
	if rdm == 0 {
		b = append(b, ", RDM: mono"...)
	} else {
		b = append(b, ", RDM: "...)
		b = appendUint(b, uint64(rdm))
	}
	b = append(b, ", RD:"...)
	for i := 0; i < 4; i++ {
		b = append(b, ' ')
		b = appendHex(b, uint64(be16(o[3+2*i:])), 4)
	}
	info := o[11:]
	words := func(b []byte, w []byte) []byte {
		for i := 0; i < 4; i++ {
			b = append(b, ' ')
			b = appendHex(b, uint64(be32(w[4*i:])), 8)
		}
		return b
	}
	switch proto {
	case 2:
		if len(info) == 0 {
			break
		}
		if len(info) < 20 {
			b = append(b, " ??"...)
			break
		}
		realm := info[:len(info)-20]
		if len(realm) > 0 {
			b = append(b, ", realm: "...)
		}
		for _, c := range realm {
			b = appendHex(b, uint64(c), 2)
		}
		rest := info[len(realm):]
		b = append(b, ", key ID: "...)
		b = appendHex(b, uint64(be32(rest)), 8)
		b = append(b, ", HMAC-MD5:"...)
		b = words(b, rest[4:])
	case 3:
		if len(info) != 17 {
			b = append(b, " ??"...)
			break
		}
		switch info[0] {
		case 1:
			b = append(b, " reconfig-key"...)
		case 2:
			b = append(b, " type: HMAC-MD5"...)
		default:
			b = append(b, " type: ??"...)
		}
		b = append(b, " value:"...)
		b = words(b, info[1:])
	default:
		b = append(b, " ??"...)
	}
	return append(b, ')')
}
