package decode

// PTP (IEEE 1588 precision time protocol) over UDP ports 319/320 and over
// Ethernet type 0x88f7, printed as tcpdump prints it.
//
// The common header (34 bytes):
//
//	+------------+---------+--------+--------+-----------+--------+
//	| type/ver 2 | len 2   | dom 1  | rsvd 1 | flags 2   | corr 8 |
//	+------------+---------+--------+--------+-----------+--------+
//	| rsvd 4     | clock identity 8 | port 2 | seq 2 | control 1 | log 1 |
//	+------------+------------------+--------+-------+-----------+-------+

var ptpMsgNames = [16]string{0: "sync msg", 1: "delay req msg", 2: "peer delay req msg",
	3: "peer delay resp msg", 8: "follow up msg", 9: "delay resp msg",
	10: "pdelay resp fup msg", 11: "announce msg", 12: "signalling msg", 13: "management msg"}

var ptpControlNames = [6]string{"Sync", "Delay_Req", "Follow_Up", "Delay_Resp", "Management", "Other"}

// ptpFlags are the flag bits tcpdump names, in its order.
var ptpFlags = [...]struct {
	bit  uint16
	name string
}{{0x1, "l1 61"}, {0x2, "l1 59"}, {0x4, "utc reasonable"}, {0x8, "timescale"},
	{0x10, "time tracable"}, {0x20, "frequency tracable"}, {0x100, "alternate master"},
	{0x200, "two step"}, {0x400, "unicast"}, {0x1000, "profile specific 1"},
	{0x2000, "profile specific 2"}, {0x4000, "security mask"}, {0x18c0, "unknown"}}

// ptp prints a PTP message d (length bytes on the wire).
func (p *Printer) ptp(b, d []byte, length int) []byte {
	if length < 34 {
		return appendLenInvalid(b, length, 34)
	}
	if len(d) < 2 {
		return appendTrunc(b, "ptp")
	}
	vers := d[1]
	b = append(b, "PTPv"...)
	b = appendUint(b, uint64(vers))
	if vers != 2 {
		if vers == 1 {
			b = append(b, " (not implemented)"...)
		}
		return b
	}
	b = append(b, ", v1 compat : "...)
	if d[0]&0x10 != 0 {
		b = append(b, "yes"...)
	} else {
		b = append(b, "no"...)
	}
	b = append(b, ", msg type : "...)
	if n := ptpMsgNames[d[0]&0xf]; n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "Reserved"...)
	}
	msg := d[0] & 0xf
	if len(d) < 4 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", length : "...)
	b = appendUint(b, uint64(be16(d[2:])))
	if len(d) < 6 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", domain : "...)
	b = appendUint(b, uint64(d[4]))
	b = append(b, ", reserved1 : "...)
	b = appendUint(b, uint64(d[5]))
	if len(d) < 8 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", Flags ["...)
	b = appendBitNames(b, be16(d[6:]))
	b = append(b, ']')
	if len(d) < 14 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", NS correction : "...)
	b = appendUint(b, load48(d[8:]))
	if len(d) < 16 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", sub NS correction : "...)
	b = appendUint(b, uint64(be16(d[14:])))
	if len(d) < 20 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", reserved2 : "...)
	b = appendUint(b, uint64(be32(d[16:])))
	if len(d) < 28 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", clock identity : 0x"...)
	b = appendHex(b, load64(d[20:]), 1)
	if len(d) < 30 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", port id : "...)
	b = appendUint(b, uint64(be16(d[28:])))
	if len(d) < 32 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", seq id : "...)
	b = appendUint(b, uint64(be16(d[30:])))
	if len(d) < 33 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", control : "...)
	b = appendUint(b, uint64(d[32]))
	b = append(b, " ("...)
	if d[32] < byte(len(ptpControlNames)) {
		b = append(b, ptpControlNames[d[32]]...)
	} else {
		b = append(b, "Reserved"...)
	}
	b = append(b, ')')
	// tcpdump reads the log message interval as a 16-bit field.
	if len(d) < 34 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", log message interval : "...)
	b = appendUint(b, uint64(d[33]))
	body := d[34:]
	switch msg {
	case 0, 1:
		return ptpStamp(b, body, "originTimeStamp", false)
	case 8:
		return ptpStamp(b, body, "preciseOriginTimeStamp", false)
	case 2:
		return ptpStamp(b, body, "preciseOriginTimeStamp", true)
	case 3, 9:
		return ptpStamp(b, body, "receiveTimeStamp", true)
	case 10:
		return ptpStamp(b, body, "preciseOriginTimeStamp", true)
	case 11:
		return ptpAnnounce(b, body)
	case 12:
		return ptpPortID(b, body)
	case 13:
		// tcpdump reads the four one-byte fields after the target port
		// identity from the identity's first byte (its printer does not
		// advance), and separates each with ", , ".
		if b = ptpPortID(b, body); len(body) < 10 {
			return b
		}
		for i, f := range [4]string{"start boundary hops ", "boundary hops ", "flags ", "reserved "} {
			b = append(b, ", , "...)
			b = append(b, f...)
			if i < 2 {
				b = append(b, ' ')
				b = appendUint(b, uint64(body[0]))
			} else {
				b = append(b, " 0x"...)
				b = appendHex(b, uint64(body[0]), 1)
			}
		}
	}
	return b
}

// appendBitNames appends the names of PTP's flags separated by ", ", or
// "none". As tcpdump's bittok2str, a name whose mask has several bits
// ("unknown") needs all of them set.
func appendBitNames(b []byte, v uint16) []byte {
	n := 0
	for _, f := range ptpFlags {
		if v&f.bit == f.bit {
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
	return b
}

// ptpStamp prints a 10-byte timestamp named name, followed (ident) by a
// port identity.
func ptpStamp(b, d []byte, name string, ident bool) []byte {
	b = append(b, ", "...)
	b = append(b, name...)
	b = append(b, " :"...)
	if len(d) < 6 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ' ')
	b = appendUint(b, load48(d))
	b = append(b, " seconds,"...)
	if len(d) < 10 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ' ')
	b = appendUint(b, uint64(be32(d[6:])))
	b = append(b, " nanoseconds"...)
	if ident {
		return ptpPortID(b, d[10:])
	}
	return b
}

// ptpPortID prints a port identity: clock identity and port number.
func ptpPortID(b, d []byte) []byte {
	if len(d) < 8 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", port identity : 0x"...)
	b = appendHex(b, load64(d), 1)
	if len(d) < 10 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", port id : "...)
	return appendUint(b, uint64(be16(d[8:])))
}

// ptpAnnounce prints an announce message's body.
func ptpAnnounce(b, d []byte) []byte {
	b = append(b, ", originTimeStamp :"...)
	if len(d) < 6 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ' ')
	b = appendUint(b, load48(d))
	b = append(b, " seconds"...)
	if len(d) < 10 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ' ')
	b = appendUint(b, uint64(be32(d[6:])))
	b = append(b, " nanoseconds"...)
	if len(d) < 12 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", origin cur utc :"...)
	b = appendUint(b, uint64(be16(d[10:])))
	fields := [...]struct {
		name string
		off  int
		size int
	}{{", rsvd : ", 12, 1}, {", gm priority_1 : ", 13, 1}, {", gm clock class : ", 14, 1},
		{", gm clock accuracy : ", 15, 1}, {", gm clock variance : ", 16, 2},
		{", gm priority_2 : ", 18, 1}}
	for _, f := range fields {
		if len(d) < f.off+f.size {
			return appendTrunc(b, "ptp")
		}
		b = append(b, f.name...)
		if f.size == 1 {
			b = appendUint(b, uint64(d[f.off]))
		} else {
			b = appendUint(b, uint64(be16(d[f.off:])))
		}
	}
	if len(d) < 27 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", gm clock id : 0x"...)
	b = appendHex(b, load64(d[19:]), 1)
	if len(d) < 29 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", steps removed : "...)
	b = appendUint(b, uint64(be16(d[27:])))
	if len(d) < 30 {
		return appendTrunc(b, "ptp")
	}
	b = append(b, ", time source : 0x"...)
	return appendHex(b, uint64(d[29]), 1)
}
