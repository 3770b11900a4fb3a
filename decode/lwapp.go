package decode

// LWAPP (RFC 5412, lightweight access point protocol) over UDP 12222
// (data) and 12223 (control), printed as tcpdump prints it at default
// verbosity: version, frame kind, flags and length.
//
//	control to 12223: | AP identity 6 | transport header 6 | ...
//	otherwise:        | transport header: version/flags, frag id, length 2, status 2 | ...

// lwapp prints an LWAPP datagram d (length bytes on the wire); ident says
// a 6-byte AP identity comes first.
func lwapp(b, d []byte, length int, control, ident bool) []byte {
	proto := "lwapp_data"
	if control {
		proto = "lwapp_control"
	}
	if len(d) < 6 {
		return appendTrunc(b, proto)
	}
	if ident {
		d = d[6:]
		if len(d) < 6 {
			return appendTrunc(b, proto)
		}
	}
	v := d[0]
	if v>>6 != 0 {
		b = append(b, "LWAPP version "...)
		b = appendUint(b, uint64(v>>6))
		return append(b, " packet not supported"...)
	}
	b = append(b, "LWAPPv0, "...)
	if v&0x04 != 0 {
		b = append(b, "Control"...)
	} else {
		b = append(b, "Data"...)
	}
	b = append(b, " frame, Flags ["...)
	n := 0
	for _, f := range [3]struct {
		bit  byte
		name string
	}{{0x01, "Last Fragment Bit"}, {0x02, "Fragment Bit"}, {0x04, "Control Bit"}} {
		if v&f.bit != 0 {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, f.name...)
			n++
		}
	}
	if n == 0 {
		b = append(b, "none"...)
	}
	b = append(b, "], length "...)
	return appendInt(b, length)
}
