package decode

// Kerberos over UDP ports 88 and 750, as tcpdump prints it: the protocol
// version, and for version 4 the byte order, message type and names;
// version 5 (ASN.1) is only named.
//
//	v4: | version 1 | type<<1 | byte-order bit | ... NUL-terminated names ... |

// krb4Types names Kerberos 4 message types (the type byte without its
// byte-order bit).
var krb4Types = [...]string{2: "KDC_REQUEST", 4: "KDC_REPLY", 6: "APPL_REQUEST",
	8: "APPL_REQUEST_MUTUAL", 10: "ERR_REPLY", 12: "PRIVATE", 14: "SAFE", 16: "APPL_ERR",
	126: "DIE"}

// krb4Errors names Kerberos 4 error codes.
var krb4Errors = [...]string{"OK", "NAME_EXP", "SERVICE_EXP", "AUTH_EXP", "PKT_VER",
	"NAME_MAST_KEY_VER", "SERV_MAST_KEY_VER", "BYTE_ORDER", "PRINCIPAL_UNKNOWN",
	"PRINCIPAL_NOT_UNIQUE", "NULL_KEY"}

// appendTok appends names[v], or "#v" when v is unnamed.
func appendTok(b []byte, names []string, v int) []byte {
	if v >= 0 && v < len(names) && names[v] != "" {
		return append(b, names[v]...)
	}
	b = append(b, '#')
	return appendInt(b, v)
}

// krb prints a Kerberos datagram d (captured bytes).
func krb(b, d []byte) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "krb")
	}
	switch v := d[0]; v {
	case 1, 2, 3:
		b = append(b, " v"...)
		b = appendUint(b, uint64(v))
	case 4:
		b = append(b, " v4"...)
		b, _ = krb4(b, d)
	case 106, 107:
		b = append(b, " v5"...)
	}
	return b
}

// krbString appends the NUL-terminated string at d[i:] escaped and
// returns the index after its NUL; ok is false when the capture ended
// first.
func krbString(b, d []byte, i int) ([]byte, int, bool) {
	for ; i < len(d); i++ {
		if d[i] == 0 {
			return b, i + 1, true
		}
		b = appendEscapedByte(b, d[i])
	}
	return b, i, false
}

// krb4 prints a Kerberos 4 message after its version; ok is false when it
// ended with [|krb].
func krb4(b, d []byte) ([]byte, bool) {
	if len(d) < 2 {
		return appendTrunc(b, "krb"), false
	}
	le := d[1]&1 != 0
	typ := int(d[1] &^ 1)
	u16 := func(i int) (int, bool) {
		if i+2 > len(d) {
			return 0, false
		}
		if le {
			return int(d[i]) | int(d[i+1])<<8, true
		}
		return int(be16(d[i:])), true
	}
	if le {
		b = append(b, " le "...)
	} else {
		b = append(b, " be "...)
	}
	b = appendTok(b, krb4Types[:], typ)
	b = append(b, ": "...)
	i := 2
	var ok bool
	// hdr prints "name.instance@realm".
	hdr := func() bool {
		for k, sep := range [3]string{".", "@", ""} {
			if b, i, ok = krbString(b, d, i); !ok {
				return false
			}
			if k < 2 {
				b = append(b, sep...)
			}
		}
		return true
	}
	switch typ {
	case 2: // KDC_REQUEST
		if !hdr() {
			break
		}
		i += 4 // ctime
		if i >= len(d) {
			break
		}
		b = append(b, ' ')
		b = appendUint(b, uint64(d[i])*5)
		b = append(b, "min "...)
		i++
		if b, i, ok = krbString(b, d, i); !ok {
			break
		}
		b = append(b, '.')
		if b, i, ok = krbString(b, d, i); !ok {
			break
		}
		return b, true
	case 6: // APPL_REQUEST: the key version right after the header
		if i >= len(d) {
			break
		}
		b = append(b, 'v')
		b = appendUint(b, uint64(d[i]))
		b = append(b, ' ')
		i++
		if b, i, ok = krbString(b, d, i); !ok {
			break
		}
		for range 2 {
			if i >= len(d) {
				return appendTrunc(b, "krb"), false
			}
			b = append(b, " ("...)
			b = appendUint(b, uint64(d[i]))
			b = append(b, ')')
			i++
		}
		return b, true
	case 4: // KDC_REPLY
		if !hdr() {
			break
		}
		n, ok := u16(i + 10)
		if !ok {
			break
		}
		b = append(b, " ("...)
		b = appendInt(b, n)
		return append(b, ')'), true
	case 10: // ERR_REPLY
		if !hdr() {
			break
		}
		e, ok := u16(i + 4)
		if !ok {
			break
		}
		b = append(b, ' ')
		b = appendTok(b, krb4Errors[:], e)
		b = append(b, ' ')
		if b, _, ok = krbString(b, d, i+8); !ok {
			break
		}
		return b, true
	default:
		return append(b, "(unknown)"...), true
	}
	return appendTrunc(b, "krb"), false
}
