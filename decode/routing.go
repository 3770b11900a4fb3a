package decode

// ipRouting prints IP protocols without a transport printer of their own:
// PIM, OSPF, VRRP, EIGRP, RSVP, SCTP, DCCP, mobility...
func (p *Printer) ipRouting(b, d []byte, length int, h *ipHdr, proto uint8) ([]byte, bool) {
	return b, false
}
