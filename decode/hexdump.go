package decode

// appendDump appends the -x/-X/-A dump of data; net is where the network
// layer starts (dumps without the link header begin there).
func (p *Printer) appendDump(b, data []byte, net int) []byte {
	style := p.opts.Hex
	if style == HexBytes || style == HexASCII || style == ASCII {
		data = data[min(net, len(data)):]
	}
	if style == ASCII || style == ASCIILink {
		if len(data) == 0 {
			return b
		}
		for i, c := range data {
			switch {
			case c == '\r':
				if len(data)-i-1 > 1 && data[i+1] != '\n' {
					b = append(b, '.')
				}
			case c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f):
				b = append(b, c)
			default:
				b = append(b, '.')
			}
		}
		return append(b, '\n')
	}
	return appendHexDump(b, data, style == HexASCII || style == HexASCIILink)
}

// appendHexDump appends tcpdump's "\t0x0000:  4500 ..." lines, with the
// ASCII column when ascii is set.
func appendHexDump(b, data []byte, ascii bool) []byte {
	for off := 0; off < len(data); off += 16 {
		line := data[off:min(off+16, len(data))]
		b = append(b, "\t0x"...)
		b = appendHex(b, uint64(off), 4)
		b = append(b, ": "...)
		n := len(b)
		for i, c := range line {
			if i%2 == 0 {
				b = append(b, ' ')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
		if ascii {
			for len(b)-n < 41 {
				b = append(b, ' ')
			}
			b = append(b, ' ')
			for _, c := range line {
				if c > 0x20 && c < 0x7f {
					b = append(b, c)
				} else {
					b = append(b, '.')
				}
			}
		}
		b = append(b, '\n')
	}
	return b
}
