package decode

// OLSR (RFC 3626, optimized link state routing) over UDP 698, printed as
// tcpdump prints it at default verbosity: version (4 or 6 after the IP
// version), sequence number and length.
//
//	| packet length 2 | packet sequence 2 | messages |

// olsr prints an OLSR packet d (length bytes on the wire).
func olsr(b, d []byte, length int, v6 bool) []byte {
	b = append(b, "OLSRv"...)
	if v6 {
		b = append(b, '6')
	} else {
		b = append(b, '4')
	}
	if length < 4 || len(d) < 4 {
		return appendTrunc(b, "olsr")
	}
	length = min(length, int(be16(d)))
	b = append(b, ", seq 0x"...)
	b = appendHex(b, uint64(be16(d[2:])), 4)
	b = append(b, ", length "...)
	return appendInt(b, length)
}
