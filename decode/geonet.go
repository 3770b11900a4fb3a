package decode

// geonet prints an ETSI GeoNetworking packet as tcpdump does: the common
// header, the sender's long position vector, and BTP with the ITS PDU
// header under it.
//
//	| version 4 | next header 4 | type 4 | subtype 4 | reserved 2 |
//	| payload length 2 | reserved | hop limit |
//	| long position vector 28: address 8, time 4, lat 4, lon 4, speed 2,
//	  heading 2, reserved 4 |
func (p *Printer) geonet(b, d []byte, length int) []byte {
	b = append(b, "GeoNet "...)
	if p.l2.mac != nil {
		b = append(b, "src:"...)
		b = appendMAC(b, p.l2.mac[6:12])
		b = append(b, "; "...)
	}
	if len(d) < 8 {
		return appendTrunc(b, "geonet")
	}
	ver, nh := d[0]>>4, d[0]&0x0f
	ht, hst := d[1]>>4, d[1]&0x0f
	b = append(b, "v:"...)
	b = appendUint(b, uint64(ver))
	b = append(b, " NH:"...)
	b = appendUint(b, uint64(nh))
	b = append(b, '-')
	switch nh {
	case 0:
		b = append(b, "Any"...)
	case 1:
		b = append(b, "BTP-A"...)
	case 2:
		b = append(b, "BTP-B"...)
	case 3:
		b = append(b, "IPv6"...)
	default:
		b = append(b, "Unknown"...)
	}
	b = append(b, " HT:"...)
	b = appendUint(b, uint64(ht))
	b = append(b, '-')
	b = appendUint(b, uint64(hst))
	b = append(b, '-')
	name, hsize := geonetType(ht, hst)
	b = append(b, name...)
	b = append(b, " HopLim:"...)
	b = appendUint(b, uint64(d[7]))
	b = append(b, " Payload:"...)
	b = appendUint(b, uint64(be16(d[4:])))
	b = append(b, ' ')
	if len(d) < 28 {
		return appendTrunc(b, "geonet")
	}
	b = append(b, "GN_ADDR:"...)
	b = appendMAC(b, d[8:16])
	b = append(b, " lat:"...)
	b = appendUint(b, uint64(be32(d[20:])))
	b = append(b, " lon:"...)
	b = appendUint(b, uint64(be32(d[24:])))
	if length < 36 {
		return append(b, " (invalid)"...)
	}
	d, length = d[min(36, len(d)):], length-36
	if hsize < 0 {
		return b
	}
	if length < hsize {
		b = append(b, " (header size "...)
		b = appendInt(b, hsize)
		b = append(b, " > "...)
		b = appendInt(b, length)
		return append(b, ") (invalid)"...)
	}
	if len(d) < hsize {
		return appendTrunc(b, "geonet")
	}
	d, length = d[hsize:], length-hsize
	if nh != 1 && nh != 2 {
		return b
	}
	if len(d) < 4 {
		return appendTrunc(b, "geonet")
	}
	b = append(b, "; BTP Dst:"...)
	b = appendUint(b, uint64(be16(d)))
	if nh == 1 {
		b = append(b, " Src:"...)
	} else {
		b = append(b, " Dst-Info:"...)
	}
	b = appendUint(b, uint64(be16(d[2:])))
	if length <= 4 {
		return b
	}
	if len(d) < 6 {
		return appendTrunc(b, "geonet")
	}
	b = append(b, "; ItsPduHeader v:"...)
	b = appendUint(b, uint64(d[4]))
	b = append(b, " t:"...)
	b = appendUint(b, uint64(d[5]))
	b = append(b, '-')
	switch d[5] {
	case 0:
		b = append(b, "CAM"...)
	case 1:
		b = append(b, "DENM"...)
	case 101:
		b = append(b, "TPEDM"...)
	case 102:
		b = append(b, "TLM"...)
	case 103:
		b = append(b, "RLT"...)
	case 104:
		b = append(b, "TSM"...)
	case 105:
		b = append(b, "TIM"...)
	case 106:
		b = append(b, "ecoCAM"...)
	default:
		b = append(b, "Unknown"...)
	}
	return b
}

// geonetType names a header type and subtype and gives the length of its
// extended header (-1 when tcpdump does not go past the common header).
func geonetType(ht, hst byte) (string, int) {
	switch ht {
	case 0:
		return "Any", -1
	case 1:
		return "Beacon", 0
	case 2:
		return "GeoUnicast", -1
	case 3:
		switch hst {
		case 0:
			return "GeoAnycastCircle", -1
		case 1:
			return "GeoAnycastRect", -1
		case 2:
			return "GeoAnycastElipse", -1
		}
		return "GeoAnycast???", -1
	case 4:
		switch hst {
		case 0:
			return "GeoBroadcastCircle", -1
		case 1:
			return "GeoBroadcastRect", -1
		case 2:
			return "GeoBroadcastElipse", -1
		}
		return "GeoBroadcast???", -1
	case 5:
		switch hst {
		case 0:
			return "TopoScopeBcast-SH", 0
		case 1:
			return "TopoScopeBcast-MH", 32
		}
		return "TopoScopeBcast-??", -1
	case 6:
		switch hst {
		case 0:
			return "LocService-Request", -1
		case 1:
			return "LocService-Reply", -1
		}
		return "LocService-??", -1
	}
	return "Reserved", -1
}
