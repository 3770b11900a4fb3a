package decode

// BOOTP and DHCP (UDP ports 67 and 68), printed as tcpdump 4.99: the
// operation, the client's hardware address on an Ethernet request, and
// the length; the fields and options (-v) are not printed yet.
//
//	| op 8 | htype 8 | hlen 8 | hops 8 | xid 32 | secs 16 | flags 16 |
//	| ciaddr | yiaddr | siaddr | giaddr | chaddr 16 bytes | sname 64 |
//	| file 128 | magic cookie 99.130.83.99 | options ...

func (p *Printer) appendBOOTP(b, d []byte, length int) []byte {
	if len(d) < 1 {
		return appendTrunc(b, "bootp")
	}
	op := d[0]
	b = append(b, "BOOTP/DHCP, "...)
	switch op {
	case 1:
		b = append(b, "Request"...)
	case 2:
		b = append(b, "Reply"...)
	default:
		b = append(b, "unknown (0x"...)
		b = appendHex(b, uint64(op), 2)
		b = append(b, ')')
	}
	if len(d) < 3 {
		return appendTrunc(b, "bootp")
	}
	if d[1] == 1 && d[2] == 6 && op == 1 {
		if len(d) < 34 {
			return appendTrunc(b, "bootp")
		}
		b = append(b, " from "...)
		b = appendMAC(b, d[28:34])
	}
	b = append(b, ", length "...)
	return appendInt(b, length)
}
