package decode

// DHCPv6 (UDP ports 546 and 547), printed as tcpdump 4.99: "dhcp6" and the
// message type; the options (-v) are not printed yet.
//
//	| msg-type 8 | transaction-id 24 | options ...

var dhcp6Types = [16]string{1: "solicit", 2: "advertise", 3: "request", 4: "confirm",
	5: "renew", 6: "rebind", 7: "reply", 8: "release", 9: "decline", 10: "reconfigure",
	11: "inf-req", 12: "relay-fwd", 13: "relay-reply", 14: "leasequery", 15: "leasequery-reply"}

func (p *Printer) appendDHCP6(b, d []byte, length int) []byte {
	b = append(b, "dhcp6"...)
	if len(d) < 4 {
		return appendTrunc(b, "dhcp6")
	}
	b = append(b, ' ')
	if t := d[0]; int(t) < len(dhcp6Types) && dhcp6Types[t] != "" {
		b = append(b, dhcp6Types[t]...)
	} else {
		b = append(b, "msgtype-"...)
		b = appendUint(b, uint64(t))
	}
	return b
}
