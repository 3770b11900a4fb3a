package decode

// TFTP (RFC 1350, RFC 2347 options) over UDP 69, printed as tcpdump prints
// it: length, opcode and the request's file name, mode and options, the
// block number, or the error code and message.

var tftpOps = [7]string{1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}

var tftpErrors = [8]string{"EUNDEF", "ENOTFOUND", "EACCESS", "ENOSPACE", "EBADOP", "EBADID",
	"EEXISTS", "ENOUSER"}

// appendZString appends the NUL-terminated string at the start of d, of
// at most n bytes, as tcpdump's nd_printztn: it returns the bytes used
// (with the NUL), or 0 when no NUL is found within n bytes or the capture,
// having appended what it read.
func appendZString(b, d []byte, n int) ([]byte, int) {
	for i := 0; ; i++ {
		if i >= n || i >= len(d) {
			return b, 0
		}
		if d[i] == 0 {
			return b, i + 1
		}
		b = appendCharJNP(b, d[i])
	}
}

// tftp prints a TFTP message d (length bytes on the wire).
func tftp(b, d []byte, length int) []byte {
	b = append(b, "TFTP, length "...)
	b = appendInt(b, length)
	if length < 2 {
		return appendTrunc(b, "tftp")
	}
	if len(d) < 2 {
		return appendTrunc(b, "tftp")
	}
	op := be16(d)
	b = append(b, ", "...)
	if int(op) >= len(tftpOps) || tftpOps[op] == "" {
		b = append(b, "tftp-#"...)
		return appendUint(b, uint64(op))
	}
	b = append(b, tftpOps[op]...)
	d, length = d[2:], length-2
	var n int
	switch op {
	case 1, 2:
		if length == 0 {
			return appendTrunc(b, "tftp")
		}
		b = append(b, " \""...)
		b, n = appendZString(b, d, length)
		b = append(b, '"')
		if n == 0 {
			return appendTrunc(b, "tftp")
		}
		d, length = d[n:], length-n
		if length == 0 {
			return appendTrunc(b, "tftp")
		}
		b = append(b, ' ')
		if b, n = appendZString(b, d, length); n == 0 {
			return appendTrunc(b, "tftp")
		}
		d, length = d[n:], length-n
		fallthrough
	case 6:
		for length != 0 {
			if len(d) < 1 {
				return appendTrunc(b, "tftp")
			}
			if d[0] != 0 {
				b = append(b, ' ')
			}
			if b, n = appendZString(b, d, length); n == 0 {
				return appendTrunc(b, "tftp")
			}
			d, length = d[n:], length-n
		}
	case 3, 4:
		if length < 2 {
			return appendTrunc(b, "tftp")
		}
		if len(d) < 2 {
			return appendTrunc(b, "tftp")
		}
		b = append(b, " block "...)
		b = appendUint(b, uint64(be16(d)))
	case 5:
		if length < 2 {
			return appendTrunc(b, "tftp")
		}
		if len(d) < 2 {
			return appendTrunc(b, "tftp")
		}
		b = append(b, ' ')
		if c := be16(d); int(c) < len(tftpErrors) {
			b = append(b, tftpErrors[c]...)
		} else {
			b = append(b, "tftp-err-#"...)
			b = appendUint(b, uint64(c))
			b = append(b, " \""...)
		}
		d, length = d[2:], length-2
		if length == 0 {
			return appendTrunc(b, "tftp")
		}
		b = append(b, " \""...)
		b, n = appendZString(b, d, length)
		b = append(b, '"')
		if n == 0 {
			return appendTrunc(b, "tftp")
		}
	}
	return b
}
