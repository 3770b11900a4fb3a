package decode

// llc prints an IEEE 802.2 LLC frame (an 802.3 frame whose type field is a
// length, length bytes of payload): STP, IS-IS, IPX and SNAP are
// dissected; other frames print their SAPs and control field with the
// Ethernet addresses, as tcpdump does.
//
//	| DSAP | SSAP | control 1 (U frames) or 2 (I and S frames) |
func (p *Printer) llc(b, d []byte, length int) []byte {
	if len(d) < 3 || length < 3 {
		if len(d) >= 2 && d[0] == 0xff && d[1] == 0xff {
			return p.ipx(b, d, length)
		}
		return appendTrunc(b, "llc")
	}
	dsap, ssap, ctl := d[0], d[1], d[2]
	if dsap == 0xff && ssap == 0xff {
		// Novell "raw" 802.3: IPX with its checksum 0xffff.
		return p.ipx(b, d, length)
	}
	if ctl == 0x03 && p.opts.Link {
		b = appendLLCHeader(b, dsap, ssap, ctl)
	}
	if ctl == 0x03 {
		switch {
		case dsap == 0x42 && ssap == 0x42:
			return stp(b, d[3:], length-3)
		case dsap == 0xe0 && ssap == 0xe0:
			if p.opts.Link {
				b = append(b, "IPX 802.2: "...)
			}
			return p.ipx(b, d[3:], length-3)
		case dsap == 0xfe && ssap == 0xfe:
			return p.osi(b, d[3:], length-3)
		case dsap == 0xaa && ssap == 0xaa:
			return p.snap(b, d, length)
		}
	}
	return p.llcUnknown(b, d, length)
}

// appendLLCHeader appends the LLC header as tcpdump -e prints it.
func appendLLCHeader(b []byte, dsap, ssap, ctl byte) []byte {
	b = append(b, "LLC, dsap "...)
	b = appendSAPName(b, dsap)
	if dsap&1 == 0 {
		b = append(b, " Individual, ssap "...)
	} else {
		b = append(b, " Group, ssap "...)
	}
	b = appendSAPName(b, ssap)
	if ssap&1 == 0 {
		b = append(b, " Command, ctrl 0x"...)
	} else {
		b = append(b, " Response, ctrl 0x"...)
	}
	b = appendHex(b, uint64(ctl), 2)
	return append(b, ": "...)
}

func appendSAPName(b []byte, sap byte) []byte {
	if n := sapName(sap &^ 1); n != "" {
		b = append(b, n...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(sap&^1), 2)
	return append(b, ')')
}

// appendL2Addrs appends "SRC > DST " for a frame tcpdump prints without
// understanding it (unless -e printed the addresses already).
func (p *Printer) appendL2Addrs(b []byte) []byte {
	if p.opts.Link || p.l2.mac == nil {
		return b
	}
	b = appendMAC(b, p.l2.mac[6:12])
	b = append(b, " > "...)
	b = appendMAC(b, p.l2.mac[0:6])
	return append(b, ' ')
}

func appendSAP(b []byte, kind string, sap byte) []byte {
	if name := sapName(sap); name != "" {
		return append(b, name...)
	}
	b = append(b, "Unknown "...)
	b = append(b, kind...)
	b = append(b, " 0x"...)
	return appendHex(b, uint64(sap), 2)
}

// sapName names an LLC SAP as tcpdump does ("" when it has no name).
func sapName(s byte) string {
	if s == 0xff {
		return "Global"
	}
	switch s &^ 1 {
	case 0x00:
		return "Null"
	case 0x02:
		return "LLC Sub-Layer Management"
	case 0x04:
		return "SNA Path Control"
	case 0x06:
		return "IP"
	case 0x08:
		return "SNA"
	case 0x0c:
		return "SNA"
	case 0x0e:
		return "PROWAY NM"
	case 0x18:
		return "Texas Instruments"
	case 0x42:
		return "STP"
	case 0x4e:
		return "EIA RS-511"
	case 0x5e:
		return "ISI IP"
	case 0x7e:
		return "ISO8208"
	case 0x80:
		return "XNS"
	case 0x86:
		return "Nestar"
	case 0x8e:
		return "PROWAY ASLM"
	case 0x98:
		return "ARP"
	case 0xaa:
		return "SNAP"
	case 0xbc:
		return "Banyan"
	case 0xe0:
		return "IPX"
	case 0xf0:
		return "NetBeui"
	case 0xf4:
		return "LanManager"
	case 0xf8:
		return "IMPL"
	case 0xfa:
		return "UB"
	case 0xfe:
		return "OSI"
	}
	return ""
}

// llcUnknown prints an LLC frame of a SAP without a dissector: the
// addresses with the SAP names ("SRC [SSAP] > DST DSAP"), then the frame
// kind, its sequence numbers and flags.
func (p *Printer) llcUnknown(b, d []byte, length int) []byte {
	dsap, ssap, ctl := d[0]&^1, d[1]&^1, d[2]
	if !p.opts.Link && p.l2.mac != nil {
		b = appendMAC(b, p.l2.mac[6:12])
		if ssap != dsap {
			b = appendSAP(append(b, ' '), "SSAP", ssap)
		}
		b = append(b, " > "...)
		b = appendMAC(b, p.l2.mac[0:6])
		b = append(b, ' ')
	}
	b = appendSAP(b, "DSAP", dsap)
	cmd := d[1]&1 == 0
	var pf bool
	hdr := 3
	switch {
	case ctl&1 == 0: // I frame
		if len(d) < 4 || length < 4 {
			return appendTrunc(b, "llc")
		}
		hdr, pf = 4, d[3]&1 != 0
		b = append(b, " Information, send seq "...)
		b = appendUint(b, uint64(ctl>>1))
		b = append(b, ", rcv seq "...)
		b = appendUint(b, uint64(d[3]>>1))
	case ctl&3 == 1: // S frame
		if len(d) < 4 || length < 4 {
			return appendTrunc(b, "llc")
		}
		hdr, pf = 4, d[3]&1 != 0
		b = append(b, " Supervisory, "...)
		switch ctl & 0x0c {
		case 0x00:
			b = append(b, "Receiver Ready"...)
		case 0x04:
			b = append(b, "Receiver not Ready"...)
		case 0x08:
			b = append(b, "Reject"...)
		default:
			b = append(b, "unknown"...)
		}
		b = append(b, ", rcv seq "...)
		b = appendUint(b, uint64(d[3]>>1))
	default: // U frame
		pf = ctl&0x10 != 0
		b = append(b, " Unnumbered, "...)
		b = append(b, llcUName(ctl&^0x10)...)
	}
	b = append(b, ", Flags ["...)
	switch {
	case cmd && pf:
		b = append(b, "Poll"...)
	case cmd:
		b = append(b, "Command"...)
	case pf:
		b = append(b, "Final"...)
	default:
		b = append(b, "Response"...)
	}
	b = append(b, "], length "...)
	b = appendInt(b, length)
	if hdr == 3 && ctl&^0x10 == 0xaf && (len(d) < 6 || length < 6) {
		// XID: format identifier, LLC types, receive window
		return appendTrunc(b, "llc")
	}
	p.dump = d[:min(len(d), max(length, 0))]
	return b
}

func llcUName(c byte) string {
	switch c {
	case 0x03:
		return "ui"
	case 0x0f:
		return "dm"
	case 0x43:
		return "disc"
	case 0x63:
		return "ua"
	case 0x6f:
		return "sabme"
	case 0x87:
		return "frmr"
	case 0xaf:
		return "xid"
	case 0xe3:
		return "test"
	}
	return "unknown"
}

// snap prints a SNAP frame (LLC aa aa 03): a 3-byte OUI and a 2-byte
// protocol identifier; OUI 0 carries an ethertype, Cisco's OUI CDP, DTP,
// UDLD, VTP and PVST.
func (p *Printer) snap(b, d []byte, length int) []byte {
	return p.snapAt(b, d, length, 3)
}

// snapAt prints a SNAP header at d[at:] (the OUI) of a frame d whose
// first at bytes are the LLC or NLPID header before it.
func (p *Printer) snapAt(b, d []byte, length, at int) []byte {
	if len(d) < at+5 || length < at+5 {
		return appendTrunc(b, "snap")
	}
	oui := uint32(d[at])<<16 | uint32(d[at+1])<<8 | uint32(d[at+2])
	pid := be16(d[at+3:])
	rest, n := d[at+5:], length-at-5
	if p.opts.Link {
		b = appendSNAPHeader(b, oui, pid, n)
	}
	switch oui {
	case 0x000000, 0x0000f8:
		if t, ok := p.etherType(b, rest, n, pid); ok {
			return t
		}
	case 0x00000c:
		switch pid {
		case 0x2000:
			return p.cdp(b, rest, n)
		case 0x2004:
			return dtp(b, rest, n)
		case 0x0111:
			return udld(b, rest, n)
		case 0x2003:
			return vtp(b, rest, n)
		case 0x010b:
			return stp(b, rest, n)
		}
	case 0x0080c2:
		switch pid {
		case 0x0007, 0x000e: // bridged 802.5/FDDI, BPDU
			if pid == 0x000e {
				return stp(b, rest, n)
			}
		}
	}
	if !p.opts.Link {
		b = p.appendL2Addrs(b)
		b = appendSNAPHeader(append(b, "SNAP, "...), oui, pid, n)
	}
	p.dump = d
	return b
}

// appendSNAPHeader appends "oui NAME (0x...), pid NAME (0x...), length N: ".
func appendSNAPHeader(b []byte, oui uint32, pid uint16, n int) []byte {
	b = append(b, "oui "...)
	b = append(b, ouiName(oui)...)
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(oui), 6)
	b = append(b, "), pid "...)
	b = append(b, snapPIDName(oui, pid)...)
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(pid), 4)
	b = append(b, "), length "...)
	b = appendInt(b, n)
	return append(b, ": "...)
}

func ouiName(oui uint32) string {
	switch oui {
	case 0x000000:
		return "Ethernet"
	case 0x00000c:
		return "Cisco"
	case 0x0000f8:
		return "Cisco bridged"
	case 0x0080c2:
		return "Ethernet bridged"
	case 0x00e02b:
		return "Extreme"
	case 0x00a0ea:
		return "Juniper"
	}
	return "Unknown"
}

func snapPIDName(oui uint32, pid uint16) string {
	switch oui {
	case 0x000000, 0x0000f8:
		if n, ok := etherTypeNames[pid]; ok {
			return n
		}
	case 0x00000c:
		switch pid {
		case 0x2000:
			return "CDP"
		case 0x2004:
			return "DTP"
		case 0x0111:
			return "UDLD"
		case 0x2003:
			return "VTP"
		case 0x010b:
			return "PVST"
		}
	}
	return "Unknown"
}

// STP BPDU protocol versions and types.
const (
	stpConfig = 0x00
	stpRSTP   = 0x02
	stpTCN    = 0x80
)

// stp prints a spanning tree BPDU as tcpdump does at default verbosity:
//
//	| protocol 2 | version | type | flags | root ID 8 | root cost 4 |
//	| bridge ID 8 | port ID 2 | ages and timers 8 | [v1 length] |
//	[v3 length 2, MST configuration, CIST fields, MSTIs (802.1s)] ...
func stp(b, d []byte, length int) []byte {
	if len(d) < 3 || length < 3 {
		return appendTrunc(b, "stp")
	}
	if be16(d) != 0 {
		b = append(b, "unknown STP version, length "...)
		return appendInt(b, length)
	}
	ver := d[2]
	b = append(b, "STP "...)
	switch ver {
	case 0:
		b = append(b, "802.1d"...)
	case 2:
		b = append(b, "802.1w"...)
	case 3:
		b = append(b, "802.1s"...)
	case 4:
		b = append(b, "802.1aq"...)
	default:
		b = append(b, "unknown STP version, length "...)
		return appendInt(b, length)
	}
	if len(d) < 4 {
		return appendTrunc(b, "stp")
	}
	typ := d[3]
	switch typ {
	case stpConfig:
		b = append(b, ", Config"...)
		if length < 35 {
			return append(b, " (invalid)"...)
		}
	case stpTCN:
		b = append(b, ", Topology Change"...)
		if length < 4 {
			return append(b, " (invalid)"...)
		}
		b = append(b, ", length "...)
		return appendInt(b, length)
	case stpRSTP:
		b = append(b, ", Rapid STP"...)
		switch {
		case ver == 2 && length < 36:
			return append(b, " (invalid)"...)
		case ver >= 3:
			if len(d) < 38 {
				return appendTrunc(b, "stp")
			}
			v3 := int(be16(d[36:]))
			if length < 102 || v3 < 64 || length < 38+v3 {
				return append(b, " (invalid)"...)
			}
			if ver == 4 && length < 38+v3+4 {
				return append(b, " (invalid)"...)
			}
		}
	default:
		b = append(b, ", unknown type 0x"...)
		return appendHex(b, uint64(typ), 2)
	}
	if len(d) < 5 {
		return appendTrunc(b, "stp")
	}
	b = append(b, ", "...)
	if ver >= 3 {
		b = append(b, "CIST "...)
	}
	b = append(b, "Flags ["...)
	b = appendSTPFlags(b, d[4])
	b = append(b, ']')
	if ver < 3 {
		if len(d) < 28 {
			return appendTrunc(b, "stp")
		}
		b = append(b, ", bridge-id "...)
		b = appendHex(b, uint64(be16(d[17:])), 4)
		b = append(b, '.')
		b = appendMAC(b, d[19:25])
		b = append(b, '.')
		b = appendHex(b, uint64(be16(d[25:])), 4)
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}

func appendSTPFlags(b []byte, f byte) []byte {
	n := len(b)
	for _, x := range stpFlags {
		if f&x.bit != 0 {
			if len(b) > n {
				b = append(b, ", "...)
			}
			b = append(b, x.name...)
		}
	}
	if len(b) == n {
		b = append(b, "none"...)
	}
	return b
}

var stpFlags = [...]struct {
	bit  byte
	name string
}{{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"}, {0x20, "Forward"},
	{0x40, "Agreement"}, {0x80, "Topology change ACK"}}
