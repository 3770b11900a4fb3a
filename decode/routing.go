package decode

// IP protocol numbers of the routing and signalling protocols ipRouting
// prints.
const (
	protoRSVP     = 46
	protoAH       = 51
	protoEIGRP    = 88
	protoOSPF     = 89
	protoPIM      = 103
	protoVRRP     = 112
	protoPGM      = 113
	protoMobility = 135
)

// ipRouting prints IP protocols without a transport printer of their own:
// PIM, OSPF, VRRP, EIGRP, RSVP, SCTP, DCCP, mobility... The line already
// holds "src > dst: " except for SCTP and DCCP, which print ports.
func (p *Printer) ipRouting(b, d []byte, length int, h *ipHdr, proto uint8) ([]byte, bool) {
	switch proto {
	case protoPIM:
		return pim(b, d, length), true
	case protoOSPF:
		return ospf(b, d, length), true
	case protoEIGRP:
		return eigrp(b, d, length), true
	case protoVRRP:
		return vrrp(b, d, length, h.ttl), true
	case protoSCTP:
		return p.sctp(b, d, length, h), true
	}
	return b, false
}
