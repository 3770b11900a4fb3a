package decode

import "strconv"

// The tls layer of the JSON writer: the TLS records that start a TCP
// segment, one segment's view (no reassembly), with the fields of the
// handshake messages that go in clear:
//
//	{"layer":"tls","records":[{"type":"handshake","version":"TLS 1.0","len":512,
//	  "messages":[{"type":"client_hello","len":508,"version":"TLS 1.2",
//	    "ciphers":[4865,4866],"sni":"example.com","alpn":["h2","http/1.1"],
//	    "versions":["TLS 1.3","TLS 1.2"],"groups":[29,23],"extensions":[0,16,43,10]}]}]}
//
// A record or message cut by the end of the segment has "partial":true and
// gives the fields found before the cut. Records after a
// change_cipher_spec in the same segment are "encrypted":true. Versions
// are names ("TLS 1.3", "GREASE") or "0x7f1c"; ciphers, groups and
// extensions are numbers (IANA TLS registries); a ServerHello's chosen
// cipher also has its name when known.

// jsonTLSRecordStart reports whether d starts with a TLS record header:
// a known content type, version 3.0 to 3.4 and a length within the limit.
func jsonTLSRecordStart(d []byte) bool {
	return len(d) >= 5 && d[0] >= 20 && d[0] <= 24 && d[1] == 3 && d[2] <= 4 &&
		int(jsonBE16(d[3:])) <= 1<<14+2048
}

// tlsReader reads big-endian fields; once a read runs past the end, bad is
// set and every later read returns zero.
type tlsReader struct {
	b   []byte
	bad bool
}

func (r *tlsReader) u8() int {
	if len(r.b) < 1 {
		r.bad = true
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return int(v)
}

func (r *tlsReader) u16() int {
	if len(r.b) < 2 {
		r.bad, r.b = true, nil
		return 0
	}
	v := jsonBE16(r.b)
	r.b = r.b[2:]
	return int(v)
}

// bytes returns the next n bytes, or as many as there are (setting bad).
func (r *tlsReader) bytes(n int) []byte {
	if n > len(r.b) {
		v := r.b
		r.bad, r.b = true, nil
		return v
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

var jsonTLSRecordTypes = [...]string{20: "change_cipher_spec", 21: "alert", 22: "handshake",
	23: "application_data", 24: "heartbeat"}

var jsonTLSHandshakeTypes = [...]string{0: "hello_request", 1: "client_hello", 2: "server_hello",
	4: "new_session_ticket", 5: "end_of_early_data", 8: "encrypted_extensions", 11: "certificate",
	12: "server_key_exchange", 13: "certificate_request", 14: "server_hello_done",
	15: "certificate_verify", 16: "client_key_exchange", 20: "finished", 24: "key_update"}

// jsonTLSMaxRecords bounds the records listed for one segment.
const jsonTLSMaxRecords = 64

// tlsLayer adds the tls layer for the records at the start of d and
// returns what follows the last whole record it did not list (nil when it
// listed them all).
func (j *JSONWriter) tlsLayer(d []byte) []byte {
	b := append(j.open("tls"), `,"records":[`...)
	encrypted := false
	n := 0
	for ; n < jsonTLSMaxRecords && len(d) > 0; n++ {
		if !jsonTLSRecordStart(d) {
			if len(d) >= 5 {
				break // not a record: left to the payload layer
			}
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"partial":true}`...)
			d = nil
			break
		}
		if n > 0 {
			b = append(b, ',')
		}
		typ, ver := d[0], int(jsonBE16(d[1:]))
		l := int(jsonBE16(d[3:]))
		frag := d[5:]
		partial := l > len(frag)
		if partial {
			d = nil
		} else {
			frag, d = frag[:l], frag[l:]
		}
		b = append(b, `{"type":"`...)
		b = append(b, jsonTLSRecordTypes[typ]...)
		b = append(b, '"')
		b = jsonTLSVersion(b, "version", ver)
		b = jsonInt(b, "len", l)
		if partial {
			b = append(b, `,"partial":true`...)
		}
		switch {
		case encrypted:
			b = append(b, `,"encrypted":true`...)
		case typ == 20:
			encrypted = true
		case typ == 21 && len(frag) == 2:
			b = jsonInt(b, "level", int(frag[0]))
			b = jsonInt(b, "description", int(frag[1]))
		case typ == 22:
			b = jsonTLSHandshakes(b, frag)
		}
		b = append(b, '}')
	}
	j.lay = append(b, "]}"...)
	if len(d) == 0 {
		return nil
	}
	return d
}

// jsonTLSHandshakes appends "messages": the handshake messages in a
// handshake record's fragment.
func jsonTLSHandshakes(b, frag []byte) []byte {
	b = append(b, `,"messages":[`...)
	for n := 0; len(frag) >= 4 && n < jsonTLSMaxRecords; n++ {
		if n > 0 {
			b = append(b, ',')
		}
		ht := int(frag[0])
		l := int(frag[1])<<16 | int(jsonBE16(frag[2:]))
		body := frag[4:]
		partial := l > len(body)
		if partial {
			frag = nil
		} else {
			body, frag = body[:l], body[l:]
		}
		b = append(b, `{"type":"`...)
		if ht < len(jsonTLSHandshakeTypes) && jsonTLSHandshakeTypes[ht] != "" {
			b = append(b, jsonTLSHandshakeTypes[ht]...)
		} else {
			b = strconv.AppendInt(b, int64(ht), 10)
		}
		b = append(b, '"')
		b = jsonInt(b, "len", l)
		r := tlsReader{b: body}
		switch ht {
		case 1:
			b = jsonTLSClientHello(b, &r)
		case 2:
			b = jsonTLSServerHello(b, &r)
		case 11:
			if cl := r.u8()<<16 | r.u16(); !r.bad {
				certs := tlsReader{b: r.bytes(cl)}
				c := 0
				for len(certs.b) >= 3 {
					certs.bytes(certs.u8()<<16 | certs.u16())
					c++
				}
				b = jsonInt(b, "certs", c)
			}
		}
		if partial || r.bad {
			b = append(b, `,"partial":true`...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func jsonTLSClientHello(b []byte, r *tlsReader) []byte {
	v := r.u16()
	if r.bad {
		return b
	}
	b = jsonTLSVersion(b, "version", v)
	r.bytes(32) // random
	sid := r.bytes(r.u8())
	if r.bad {
		return b
	}
	b = jsonInt(b, "sid_len", len(sid))
	cs := tlsReader{b: r.bytes(r.u16())}
	b = append(b, `,"ciphers":[`...)
	for k := 0; len(cs.b) >= 2; k++ {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(cs.u16()), 10)
	}
	b = append(b, ']')
	r.bytes(r.u8()) // compression methods
	return jsonTLSExtensions(b, r, true)
}

// jsonTLSHRR is the random of a HelloRetryRequest (RFC 8446 4.1.3).
const jsonTLSHRR = "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65\xb8\x91" +
	"\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c"

func jsonTLSServerHello(b []byte, r *tlsReader) []byte {
	v := r.u16()
	random := r.bytes(32)
	r.bytes(r.u8()) // session id
	c := r.u16()
	r.u8() // compression
	if r.bad {
		return b
	}
	b = jsonTLSVersion(b, "legacy_version", v)
	if string(random) == jsonTLSHRR {
		b = append(b, `,"hrr":true`...)
	}
	b = jsonInt(b, "cipher", c)
	if name := jsonTLSCipherName(c); name != "" {
		b = jsonStr(b, "cipher_name", name)
	}
	ext := *r
	if sv := jsonTLSFindExt(ext, 43); len(sv) == 2 {
		v = int(jsonBE16(sv))
	}
	b = jsonTLSVersion(b, "version", v)
	return jsonTLSExtensions(b, r, false)
}

// jsonTLSFindExt returns the data of extension t in the extensions block
// r is at.
func jsonTLSFindExt(r tlsReader, t int) []byte {
	exts := tlsReader{b: r.bytes(r.u16())}
	for len(exts.b) >= 4 {
		et := exts.u16()
		data := exts.bytes(exts.u16())
		if et == t {
			return data
		}
	}
	return nil
}

// jsonTLSExtensions appends the extension list of a hello and the values
// of server_name, ALPN, supported_versions and supported_groups.
func jsonTLSExtensions(b []byte, r *tlsReader, client bool) []byte {
	if len(r.b) == 0 {
		return b // no extensions
	}
	all := r.u16()
	exts := tlsReader{b: r.bytes(all)}
	if r.bad {
		exts.bad = true
	}
	b = append(b, `,"extensions":[`...)
	rest := exts
	for k := 0; len(rest.b) >= 4; k++ {
		if k > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(rest.u16()), 10)
		rest.bytes(rest.u16())
	}
	b = append(b, ']')
	for len(exts.b) >= 4 {
		et := exts.u16()
		e := tlsReader{b: exts.bytes(exts.u16())}
		switch et {
		case 0: // server_name
			if !client {
				continue
			}
			list := tlsReader{b: e.bytes(e.u16())}
			for len(list.b) >= 3 {
				nt := list.u8()
				name := list.bytes(list.u16())
				if nt == 0 && !list.bad {
					b = jsonBytes(jsonKey(b, "sni"), name)
					break
				}
			}
		case 16: // ALPN
			list := tlsReader{b: e.bytes(e.u16())}
			b = append(jsonKey(b, "alpn"), '[')
			for k := 0; len(list.b) >= 1; k++ {
				p := list.bytes(list.u8())
				if k > 0 {
					b = append(b, ',')
				}
				b = jsonBytes(b, p)
			}
			b = append(b, ']')
		case 43: // supported_versions
			if !client {
				continue
			}
			list := tlsReader{b: e.bytes(e.u8())}
			b = append(jsonKey(b, "versions"), '[')
			for k := 0; len(list.b) >= 2; k++ {
				if k > 0 {
					b = append(b, ',')
				}
				b = jsonTLSVersionValue(b, list.u16())
			}
			b = append(b, ']')
		case 10: // supported_groups
			if !client {
				continue
			}
			list := tlsReader{b: e.bytes(e.u16())}
			b = append(jsonKey(b, "groups"), '[')
			for k := 0; len(list.b) >= 2; k++ {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(list.u16()), 10)
			}
			b = append(b, ']')
		}
	}
	if exts.bad {
		r.bad = true
	}
	return b
}

// jsonTLSVersion appends key k with version v by name.
func jsonTLSVersion(b []byte, k string, v int) []byte {
	return jsonTLSVersionValue(jsonKey(b, k), v)
}

func jsonTLSVersionValue(b []byte, v int) []byte {
	switch {
	case v == 0x0300:
		return append(b, `"SSL 3.0"`...)
	case v >= 0x0301 && v <= 0x0304:
		b = append(b, `"TLS 1.`...)
		return append(b, byte('0'+v-0x0301), '"')
	case v&0x0f0f == 0x0a0a && v>>8 == v&0xff:
		return append(b, `"GREASE"`...)
	}
	const digits = "0123456789abcdef"
	return append(b, '"', '0', 'x', digits[v>>12&15], digits[v>>8&15], digits[v>>4&15], digits[v&15], '"')
}

// jsonTLSCipherName names the common cipher suites.
func jsonTLSCipherName(c int) string {
	switch c {
	case 0x1301:
		return "TLS_AES_128_GCM_SHA256"
	case 0x1302:
		return "TLS_AES_256_GCM_SHA384"
	case 0x1303:
		return "TLS_CHACHA20_POLY1305_SHA256"
	case 0x1304:
		return "TLS_AES_128_CCM_SHA256"
	case 0x1305:
		return "TLS_AES_128_CCM_8_SHA256"
	case 0xc02b:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
	case 0xc02c:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
	case 0xc02f:
		return "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
	case 0xc030:
		return "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
	case 0xcca8:
		return "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
	case 0xcca9:
		return "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
	case 0xccaa:
		return "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
	case 0xc009:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
	case 0xc00a:
		return "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
	case 0xc013:
		return "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
	case 0xc014:
		return "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
	case 0xc023:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"
	case 0xc027:
		return "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"
	case 0x009c:
		return "TLS_RSA_WITH_AES_128_GCM_SHA256"
	case 0x009d:
		return "TLS_RSA_WITH_AES_256_GCM_SHA384"
	case 0x009e:
		return "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
	case 0x009f:
		return "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"
	case 0x002f:
		return "TLS_RSA_WITH_AES_128_CBC_SHA"
	case 0x0035:
		return "TLS_RSA_WITH_AES_256_CBC_SHA"
	case 0x003c:
		return "TLS_RSA_WITH_AES_128_CBC_SHA256"
	case 0x0033:
		return "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"
	case 0x0039:
		return "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"
	case 0x000a:
		return "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
	case 0x0005:
		return "TLS_RSA_WITH_RC4_128_SHA"
	case 0x0004:
		return "TLS_RSA_WITH_RC4_128_MD5"
	}
	return ""
}
