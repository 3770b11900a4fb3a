package decode

import (
	"errors"
	"net/netip"
	"strconv"

	"github.com/gopacket/gopacket/layers"
)

// The dns layer of the JSON writer (see json_app.go and docs/json.md): an
// allocation-free decoder of DNS, mDNS and LLMNR messages.

var jsonRcodes = [...]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", "", "", "", "", "BADVERS",
	"BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"}

// jsonDNSTypeName returns the mnemonic of a DNS type, or "".
func jsonDNSTypeName(t layers.DNSType) string {
	switch t {
	case 1:
		return "A"
	case 2:
		return "NS"
	case 5:
		return "CNAME"
	case 6:
		return "SOA"
	case 12:
		return "PTR"
	case 13:
		return "HINFO"
	case 15:
		return "MX"
	case 16:
		return "TXT"
	case 17:
		return "RP"
	case 18:
		return "AFSDB"
	case 24:
		return "SIG"
	case 25:
		return "KEY"
	case 28:
		return "AAAA"
	case 29:
		return "LOC"
	case 33:
		return "SRV"
	case 35:
		return "NAPTR"
	case 36:
		return "KX"
	case 37:
		return "CERT"
	case 39:
		return "DNAME"
	case 41:
		return "OPT"
	case 42:
		return "APL"
	case 43:
		return "DS"
	case 44:
		return "SSHFP"
	case 45:
		return "IPSECKEY"
	case 46:
		return "RRSIG"
	case 47:
		return "NSEC"
	case 48:
		return "DNSKEY"
	case 49:
		return "DHCID"
	case 50:
		return "NSEC3"
	case 51:
		return "NSEC3PARAM"
	case 52:
		return "TLSA"
	case 53:
		return "SMIMEA"
	case 55:
		return "HIP"
	case 59:
		return "CDS"
	case 60:
		return "CDNSKEY"
	case 61:
		return "OPENPGPKEY"
	case 62:
		return "CSYNC"
	case 63:
		return "ZONEMD"
	case 64:
		return "SVCB"
	case 65:
		return "HTTPS"
	case 99:
		return "SPF"
	case 249:
		return "TKEY"
	case 250:
		return "TSIG"
	case 251:
		return "IXFR"
	case 252:
		return "AXFR"
	case 255:
		return "ANY"
	case 256:
		return "URI"
	case 257:
		return "CAA"
	}
	return ""
}

// jsonDNSType appends a DNS type by mnemonic, or as "TYPE123" (RFC 3597).
func jsonDNSType(b []byte, t layers.DNSType) []byte {
	if name := jsonDNSTypeName(t); name != "" {
		return jsonStr(b, "type", name)
	}
	b = append(jsonKey(b, "type"), `"TYPE`...)
	return append(strconv.AppendUint(b, uint64(t), 10), '"')
}

// jsonDNSClass appends a DNS class by mnemonic, or as "CLASS123". The
// mDNS top bit (cache flush in records, unicast response in questions)
// is taken off and given as a bool under key bit when set.
func jsonDNSClass(b []byte, c layers.DNSClass, mdns bool, bit string) []byte {
	top := mdns && c&0x8000 != 0
	if mdns {
		c &= 0x7fff
	}
	switch c {
	case 1:
		b = jsonStr(b, "class", "IN")
	case 3:
		b = jsonStr(b, "class", "CH")
	case 4:
		b = jsonStr(b, "class", "HS")
	case 254:
		b = jsonStr(b, "class", "NONE")
	case 255:
		b = jsonStr(b, "class", "ANY")
	default:
		b = append(jsonKey(b, "class"), `"CLASS`...)
		b = append(strconv.AppendUint(b, uint64(c), 10), '"')
	}
	if top {
		b = jsonBool(b, bit, true)
	}
	return b
}

// dnsDecode decodes the DNS message d and adds its layer. It reads the
// sections in order; a message cut by the snapshot length, or malformed,
// gives the records read before the fault, "partial":true and the error.
// wrote says whether a layer was added (d has at least the 12-byte
// header).
func (j *JSONWriter) dnsDecode(d []byte) (wrote bool, err error) {
	if len(d) < 12 {
		return false, errDNSShort
	}
	mdns := j.sport == 5353 || j.dport == 5353
	b := jsonInt(j.open("dns"), "id", int(jsonBE16(d)))
	b = jsonBool(b, "qr", d[2]&0x80 != 0)
	b = jsonInt(b, "opcode", int(d[2]>>3&15))
	rc := int(d[3] & 15)
	if rc < len(jsonRcodes) && jsonRcodes[rc] != "" {
		b = jsonStr(b, "rcode", jsonRcodes[rc])
	} else {
		b = append(jsonKey(b, "rcode"), `"RCODE`...)
		b = append(strconv.AppendInt(b, int64(rc), 10), '"')
	}
	b = jsonBool(b, "aa", d[2]&4 != 0)
	b = jsonBool(b, "tc", d[2]&2 != 0)
	b = jsonBool(b, "rd", d[2]&1 != 0)
	b = jsonBool(b, "ra", d[3]&0x80 != 0)
	b = jsonBool(b, "ad", d[3]&0x20 != 0)
	b = jsonBool(b, "cd", d[3]&0x10 != 0)
	var counts [4]int
	for i, k := range [...]string{"qdcount", "ancount", "nscount", "arcount"} {
		counts[i] = int(jsonBE16(d[4+2*i:]))
		b = jsonInt(b, k, counts[i])
	}
	off := 12
	b = append(b, `,"questions":[`...)
	for i := 0; i < counts[0] && err == nil; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = append(b, `{"name":`...)
		var ok bool
		if b, off, ok = jsonDNSWireName(b, d, off); !ok || off+4 > len(d) {
			b, err = jsonDNSUndo(b, start, i), errDNSShort
			break
		}
		b = jsonDNSType(b, layers.DNSType(jsonBE16(d[off:])))
		b = jsonDNSClass(b, layers.DNSClass(jsonBE16(d[off+2:])), mdns, "unicast")
		b = append(b, '}')
		off += 4
	}
	b = append(b, ']')
	for s, key := range [...]string{"answers", "authorities", "additionals"} {
		b = append(jsonKey(b, key), '[')
		for i := 0; i < counts[s+1] && err == nil; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b, off, err = jsonDNSRecord(b, d, off, mdns, i)
		}
		b = append(b, ']')
	}
	if err != nil {
		b = append(b, `,"partial":true`...)
	}
	j.lay = append(b, '}')
	return true, err
}

var (
	errDNSShort = errors.New("message truncated or malformed")
)

// jsonDNSUndo drops a list element begun at start (and its comma when it
// was not the first).
func jsonDNSUndo(b []byte, start, i int) []byte {
	if i > 0 {
		start--
	}
	return b[:start]
}

// jsonDNSWireName appends the (possibly compressed) domain name at off in
// msg as a JSON string, and returns the offset after it. The root is ".".
func jsonDNSWireName(b, msg []byte, off int) ([]byte, int, bool) {
	start := len(b)
	b = append(b, '"')
	next, jumps, n := -1, 0, 0
	for {
		if off >= len(msg) {
			return b[:start], off, false
		}
		l := int(msg[off])
		switch {
		case l == 0:
			if n == 0 {
				b = append(b, '.')
			}
			if next < 0 {
				next = off + 1
			}
			return append(b, '"'), next, true
		case l&0xc0 == 0xc0:
			if off+1 >= len(msg) || jumps > 64 {
				return b[:start], off, false
			}
			if next < 0 {
				next = off + 2
			}
			off = (l&0x3f)<<8 | int(msg[off+1])
			jumps++
		case l&0xc0 != 0:
			return b[:start], off, false // extended label types
		default:
			if off+1+l > len(msg) || n+l+1 > 255 {
				return b[:start], off, false
			}
			if n > 0 {
				b = append(b, '.')
			}
			b = jsonEscape(b, msg[off+1:off+1+l])
			n += l + 1
			off += 1 + l
		}
	}
}

// jsonDNSRecord appends the resource record at off in msg (the i-th of
// its section) and returns the offset after it.
func jsonDNSRecord(b, msg []byte, off int, mdns bool, i int) ([]byte, int, error) {
	start := len(b)
	b = append(b, `{"name":`...)
	b, off, ok := jsonDNSWireName(b, msg, off)
	if !ok || off+10 > len(msg) {
		return jsonDNSUndo(b, start, i), off, errDNSShort
	}
	typ := layers.DNSType(jsonBE16(msg[off:]))
	class := jsonBE16(msg[off+2:])
	ttl := jsonBE32(msg[off+4:])
	rdlen := int(jsonBE16(msg[off+8:]))
	off += 10
	if off+rdlen > len(msg) {
		return jsonDNSUndo(b, start, i), off, errDNSShort
	}
	rd := msg[off : off+rdlen]
	end := off + rdlen
	b = jsonDNSType(b, typ)
	if typ == layers.DNSTypeOPT {
		// EDNS (RFC 6891): class is the UDP payload size, TTL the
		// extended rcode, version and DO bit.
		b = jsonInt(b, "udpsize", int(class))
		b = jsonInt(b, "extrcode", int(ttl>>24))
		b = jsonInt(b, "version", int(ttl>>16&0xff))
		b = jsonBool(b, "do", ttl&0x8000 != 0)
		b = append(b, `,"options":[`...)
		for k := 0; len(rd) >= 4; k++ {
			l := int(jsonBE16(rd[2:]))
			if 4+l > len(rd) {
				break
			}
			if k > 0 {
				b = append(b, ',')
			}
			b = jsonObjInt(b, "code", int(jsonBE16(rd)))
			b = append(jsonInt(b, "len", l), '}')
			rd = rd[4+l:]
		}
		return append(b, "]}"...), end, nil
	}
	b = jsonDNSClass(b, layers.DNSClass(class), mdns, "flush")
	b = jsonInt(b, "ttl", int(ttl))
	ok = true
	switch {
	case typ == layers.DNSTypeA && rdlen == 4:
		b = jsonAddr(b, "data", netip.AddrFrom4([4]byte(rd)))
	case typ == layers.DNSTypeAAAA && rdlen == 16:
		b = jsonAddr(b, "data", netip.AddrFrom16([16]byte(rd)))
	case typ == layers.DNSTypeCNAME || typ == layers.DNSTypeNS || typ == layers.DNSTypePTR || typ == 39: // DNAME
		b, _, ok = jsonDNSNameKey(b, msg, "data", off)
	case typ == layers.DNSTypeMX && rdlen >= 3:
		b, _, ok = jsonDNSNameKey(b, msg, "data", off+2)
		b = jsonInt(b, "pref", int(jsonBE16(rd)))
	case typ == layers.DNSTypeSRV && rdlen >= 7:
		b, _, ok = jsonDNSNameKey(b, msg, "data", off+6)
		b = jsonInt(b, "priority", int(jsonBE16(rd)))
		b = jsonInt(b, "weight", int(jsonBE16(rd[2:])))
		b = jsonInt(b, "port", int(jsonBE16(rd[4:])))
	case typ == layers.DNSTypeTXT:
		b = append(jsonKey(b, "data"), '[')
		for k := 0; len(rd) > 0; k++ {
			l := int(rd[0])
			if 1+l > len(rd) {
				ok = false
				break
			}
			if k > 0 {
				b = append(b, ',')
			}
			b = jsonBytes(b, rd[1:1+l])
			rd = rd[1+l:]
		}
		b = append(b, ']')
	case typ == layers.DNSTypeSOA:
		var at int
		if b, at, ok = jsonDNSNameKey(b, msg, "mname", off); ok {
			b, at, ok = jsonDNSNameKey(b, msg, "rname", at)
		}
		if ok && at+20 <= len(msg) {
			for k, key := range [...]string{"serial", "refresh", "retry", "expire", "minimum"} {
				b = jsonInt(b, key, int(jsonBE32(msg[at+4*k:])))
			}
		}
	default:
		b = jsonInt(b, "rdlen", rdlen)
	}
	if !ok {
		b = jsonInt(b, "rdlen", rdlen)
	}
	return append(b, '}'), end, nil
}

// jsonDNSNameKey appends key k with the name at off in msg (rdata names
// may point anywhere in the message); on failure b is unchanged.
func jsonDNSNameKey(b, msg []byte, k string, off int) ([]byte, int, bool) {
	n := len(b)
	b, next, ok := jsonDNSWireName(jsonKey(b, k), msg, off)
	if !ok {
		return b[:n], off, false
	}
	return b, next, true
}
