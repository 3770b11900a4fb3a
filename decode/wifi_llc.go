package decode

import "encoding/binary"

// wifiLLC prints the LLC payload of an 802.11 data frame as tcpdump's
// llc_print: SNAP with an Ethernet OUI goes to the ethertype's printer.
// src and dst are the frame's addresses; n is the LLC header length
// consumed.
func (p *Printer) wifiLLC(b, d []byte, length int, src, dst []byte) ([]byte, int) {
	// llc_print dumps cut-off headers even under -x (dumpAlways).
	if len(d) < 3 || length < 3 {
		p.dump, p.dumpAlways = d, true
		return appendTrunc(b, "llc"), min(len(d), length)
	}
	dsapF, ssapF, ctl := d[0], d[1], uint16(d[2])
	hl, isU := 3, ctl&3 == 3
	if !isU {
		if len(d) < 4 || length < 4 {
			p.dump, p.dumpAlways = d, true
			return appendTrunc(b, "llc"), min(len(d), length)
		}
		ctl, hl = binary.LittleEndian.Uint16(d[2:]), 4
	}
	if dsapF == 0xff && ssapF == 0xff {
		// Ethernet_802.3 IPX bridged onto 802.11: the 802.3 LLC
		// printer (etherL2 with a length for type) has IPX.
		if p.opts.Link {
			b = append(b, "IPX 802.3: "...)
		}
		if t, ok := p.etherL2(b, d, length, uint16(min(length, 1500))); ok {
			return t, 0
		}
		p.dump = d
		return append(b, "IPX"...), 0
	}
	dsap, ssap := dsapF&^1, ssapF&^1
	if p.opts.Link {
		b = append(b, "LLC, dsap "...)
		b = appendWifiSAPName(b, dsap)
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(dsap), 2)
		if dsapF&1 != 0 {
			b = append(b, ") Group, ssap "...)
		} else {
			b = append(b, ") Individual, ssap "...)
		}
		b = appendWifiSAPName(b, ssap)
		b = append(b, " (0x"...)
		b = appendHex(b, uint64(ssap), 2)
		if ssapF&1 != 0 {
			b = append(b, ") Response, ctrl 0x"...)
		} else {
			b = append(b, ") Command, ctrl 0x"...)
		}
		b = appendHex(b, uint64(ctl), 2*(hl-2))
		b = append(b, ": "...)
	}
	if dsap == 0xaa && ssap == 0xaa && ctl == 3 {
		s := d[3:]
		if len(s) < 5 || length-3 < 5 {
			return appendTrunc(b, "snap"), hl + 5
		}
		oui := uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
		et := be16(s[3:])
		if p.opts.Link {
			b = append(b, "oui "...)
			b = append(b, wifiOUIName(oui)...)
			b = append(b, " (0x"...)
			b = appendHex(b, uint64(oui), 6)
			if oui == 0 {
				b = append(b, "), ethertype "...)
			} else {
				b = append(b, "), pid "...)
			}
			b = appendWifiSNAPPid(b, oui, et)
			b = append(b, ", length "...)
			b = appendInt(b, length-8)
			b = append(b, ": "...)
		}
		if oui == 0 || oui == 0xf8 {
			if t, ok := p.wifiEtherType(b, s[5:], length-8, et); ok {
				return t, hl + 5
			}
		}
		if !p.opts.Link {
			b = appendMAC(b, src)
			b = append(b, " > "...)
			b = appendMAC(b, dst)
			if oui == 0 {
				b = append(b, " SNAP, ethertype "...)
			} else {
				b = append(b, " SNAP, oui "...)
				b = append(b, wifiOUIName(oui)...)
				b = append(b, " (0x"...)
				b = appendHex(b, uint64(oui), 6)
				b = append(b, "), pid "...)
			}
			b = appendWifiSNAPPid(b, oui, et)
			b = append(b, ", length "...)
			b = appendInt(b, length-8)
			b = append(b, ": "...)
		}
		p.dump = d
		return b, hl + 5
	}
	if dsap == 0x06 && ssap == 0x06 && ctl == 3 {
		return p.ip4(b, d[3:], length-3), 3
	}
	if ctl == 3 && dsap == ssap && (dsap == 0x42 || dsap == 0xe0 || dsap == 0xfe) {
		// STP, IPX and OSI: the 802.3 LLC printer (etherL2 with a
		// length for type) has them.
		if t, ok := p.etherL2(b, d, length, uint16(min(length, 1500))); ok {
			return t, 3
		}
	}
	if !p.opts.Link {
		b = appendMAC(b, src)
		if ssap != dsap {
			b = append(b, ' ')
			b = appendWifiSAP(b, ssap, "SSAP")
		}
		b = append(b, " > "...)
		b = appendMAC(b, dst)
		b = append(b, ' ')
		b = appendWifiSAP(b, dsap, "DSAP")
		b = append(b, ' ')
	}
	flag := uint16(ssapF&1) | ctl&0x10
	if !isU {
		flag = uint16(ssapF&1) | ctl&0x0100
	}
	switch {
	case isU:
		b = append(b, "Unnumbered, "...)
		b = appendWifiLLCCmd(b, byte(ctl&^0x10))
		b = append(b, ", Flags ["...)
		b = appendWifiLLCFlag(b, flag)
		b = append(b, "], length "...)
		b = appendInt(b, length)
		if ctl&^0x10 == 0xaf && length > hl && len(d) > hl && d[hl] == 0x81 {
			if len(d) < hl+3 || length < hl+3 {
				b = appendTrunc(b, "llc")
				p.dump, p.dumpAlways = d[hl:], true
				return b, hl
			}
			b = append(b, ": "...)
			b = appendHex(b, uint64(d[hl+1]), 2)
			b = append(b, ' ')
			b = appendHex(b, uint64(d[hl+2]), 2)
			return b, hl
		}
		if ctl&^0x10 == 0xaf && length == hl {
			return b, hl
		}
		if ctl&^0x10 == 0xaf && len(d) == hl {
			return appendTrunc(b, "llc"), hl
		}
	case ctl&1 == 1:
		b = append(b, "Supervisory, "...)
		switch ctl >> 2 & 3 {
		case 0:
			b = append(b, "Receiver Ready"...)
		case 1:
			b = append(b, "Receiver not Ready"...)
		case 2:
			b = append(b, "Reject"...)
		default:
			b = append(b, '?')
		}
		b = append(b, ", rcv seq "...)
		b = appendUint(b, uint64(ctl>>9))
		b = append(b, ", Flags ["...)
		b = appendWifiLLCFlag(b, flag)
		b = append(b, "], length "...)
		return appendInt(b, length), hl
	default:
		b = append(b, "Information, send seq "...)
		b = appendUint(b, uint64(ctl>>1&0x7f))
		b = append(b, ", rcv seq "...)
		b = appendUint(b, uint64(ctl>>9))
		b = append(b, ", Flags ["...)
		b = appendWifiLLCFlag(b, flag)
		b = append(b, "], length "...)
		b = appendInt(b, length)
	}
	p.dump = d
	return b, hl
}

// wifiEtherType prints a SNAP payload whose protocol is an ethertype; it
// reports false for an ethertype without a printer.
func (p *Printer) wifiEtherType(b, d []byte, length int, et uint16) ([]byte, bool) {
	switch et {
	case 0x0800, 0x86dd, 0x0806, 0x8035:
		return p.etherPayload(b, d, length, et), true
	case 0x888e:
		return appendWifiEAPOL(b, d), true
	}
	if t, ok := p.etherL2(b, d, length, et); ok {
		return t, true
	}
	return p.etherMisc(b, d, length, et)
}

// wifiOUIName names the SNAP OUIs tcpdump knows that 802.11 frames carry.
func wifiOUIName(oui uint32) string {
	switch oui {
	case 0x000000:
		return "Ethernet"
	case 0x00000c:
		return "Cisco"
	case 0x00005e:
		return "IANA"
	case 0x0000f8:
		return "Cisco bridged"
	case 0x0080c2:
		return "Ethernet bridged"
	case 0x080007:
		return "Appletalk"
	case 0x080009:
		return "Hewlett-Packard"
	case 0x00120f:
		return "IEEE 802.3 Private"
	case 0x0012bb:
		return "ANSI/TIA"
	}
	return "Unknown"
}

// appendWifiSNAPPid appends a SNAP protocol id as "NAME (0x%04x)": an
// ethertype for the Ethernet, Cisco-bridged and Appletalk OUIs.
func appendWifiSNAPPid(b []byte, oui uint32, pid uint16) []byte {
	if oui == 0 || oui == 0xf8 || oui == 0x080007 {
		return appendEtherType(b, pid)
	}
	n := "Unknown"
	switch {
	case oui == 0x00000c && pid == 0x2000:
		n = "CDP"
	case oui == 0x00000c && pid == 0x2003:
		n = "VTP"
	case oui == 0x00000c && pid == 0x2004:
		n = "DTP"
	case oui == 0x00000c && pid == 0x0111:
		n = "UDLD"
	case oui == 0x00000c && pid == 0x010b:
		n = "PVST"
	case oui == 0x0080c2 && pid == 0x0007:
		n = "Ethernet w/o FCS"
	case oui == 0x0080c2 && pid == 0x0001:
		n = "Ethernet + FCS"
	case oui == 0x0080c2 && pid == 0x000e:
		n = "BPDU"
	}
	b = append(b, n...)
	b = append(b, " (0x"...)
	b = appendHex(b, uint64(pid), 4)
	return append(b, ')')
}

// appendWifiSAPName names an LLC SAP as tcpdump -e does ("Unknown" otherwise).
func appendWifiSAPName(b []byte, sap byte) []byte {
	if n := wifiSAPNames[sap]; n != "" {
		return append(b, n...)
	}
	return append(b, "Unknown"...)
}

var wifiSAPNames = [256]string{
	0x00: "Null", 0xff: "Global", 0x02: "802.1B I", 0x03: "802.1B G", 0x06: "IP", 0x04: "SNA",
	0x0e: "ProWay NM", 0x42: "STP", 0x4e: "RS511", 0x7e: "ISO8208", 0x8e: "ProWay", 0xaa: "SNAP",
	0xe0: "IPX", 0xf0: "NetBeui", 0xfe: "OSI",
}

// appendWifiSAP names an LLC SAP as tcpdump does without -e ("Unknown DSAP
// 0x%02x" otherwise).
func appendWifiSAP(b []byte, sap byte, kind string) []byte {
	if n := wifiSAPNames[sap]; n != "" {
		return append(b, n...)
	}
	b = append(b, "Unknown "...)
	b = append(b, kind...)
	b = append(b, " 0x"...)
	return appendHex(b, uint64(sap), 2)
}

func appendWifiLLCCmd(b []byte, c byte) []byte {
	switch c {
	case 0x03:
		return append(b, "ui"...)
	case 0xe3:
		return append(b, "test"...)
	case 0xaf:
		return append(b, "xid"...)
	case 0x63:
		return append(b, "ua"...)
	case 0x43:
		return append(b, "disc"...)
	case 0x0f:
		return append(b, "dm"...)
	case 0x6f:
		return append(b, "sabme"...)
	case 0x87:
		return append(b, "frmr"...)
	}
	return appendHex(b, uint64(c), 2)
}

// appendWifiLLCFlag names the command/response bit with the poll/final bit
// (0x10 in U frames, 0x0100 in I and S frames).
func appendWifiLLCFlag(b []byte, f uint16) []byte {
	switch f {
	case 0:
		return append(b, "Command"...)
	case 1:
		return append(b, "Response"...)
	case 0x10, 0x0100:
		return append(b, "Poll"...)
	case 0x11, 0x0101:
		return append(b, "Final"...)
	}
	return append(b, '?')
}

// appendWifiEAPOL prints an 802.1X (EAPOL) frame as tcpdump does at default
// verbosity: "EAPOL key (3) v2, len 95" (type name and number, version,
// body length).
func appendWifiEAPOL(b, d []byte) []byte {
	if len(d) < 4 {
		return appendTrunc(b, "eap")
	}
	switch d[1] {
	case 0:
		b = append(b, "EAP packet"...)
	case 1:
		b = append(b, "EAPOL start"...)
	case 2:
		b = append(b, "EAPOL logoff"...)
	case 3:
		b = append(b, "EAPOL key"...)
	case 4:
		b = append(b, "Encapsulated ASF alert"...)
	default:
		b = append(b, "unknown"...)
	}
	b = append(b, " ("...)
	b = appendUint(b, uint64(d[1]))
	b = append(b, ") v"...)
	b = appendUint(b, uint64(d[0]))
	b = append(b, ", len "...)
	return appendUint(b, uint64(be16(d[2:])))
}
