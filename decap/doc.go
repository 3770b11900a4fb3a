// Package decap strips tunnel headers from captured packets, leaving the
// inner frame with its capture and wire lengths made consistent, so that
// filters, decoders, flow tables and pcap writers see the traffic that was
// tunnelled rather than the tunnel.
//
// # Use
//
// Make one [Decapsulator] per goroutine and call Strip for every packet:
//
//	d, err := decap.New(nil) // every kind, to the innermost frame
//	...
//	inner, ci, link, tunnels, err := d.Strip(src.LinkType(), data, ci)
//	// err != nil only explains what could not be stripped; inner is usable.
//	w.WritePacket(ci, inner) // a writer for link (Ethernet, or RAW for inner IP)
//
// Strip does not allocate: inner is a sub-slice of data (or, with
// [InnerEthernet], a buffer the Decapsulator owns), and tunnels is a slice
// of an array the Decapsulator owns. Both are valid until the next call.
//
// # What is stripped
//
//   - GRE version 0 (RFC 2784 with RFC 2890's key and sequence number, any
//     checksum) carrying IPv4 (0x0800), IPv6 (0x86dd) or Ethernet
//     (transparent Ethernet bridging, 0x6558). The key is reported as the
//     tunnel's ID.
//   - ERSPAN over GRE. Type I: protocol 0x88be and no sequence number; the
//     mirrored frame follows the 4-byte GRE header (Cisco's type I, as
//     Wireshark and Linux read it). Type II: protocol 0x88be with a sequence
//     number, then an 8-byte header of version 1. Type III: protocol
//     0x22eb, a 12-byte header of version 2, plus the 8-byte
//     platform-specific subheader when its O flag is set; frame type 0
//     (Ethernet) and 2 (IP) are stripped. The session ID is the ID, and the
//     T flag (the mirror cut the frame) is reported.
//   - VXLAN (RFC 7348, UDP destination port 4789 or [Config.VXLANPort]; the
//     I flag must be set). The VNI is the ID.
//   - Geneve (RFC 8926, UDP destination port 6081 or [Config.GenevePort],
//     version 0, any options) carrying Ethernet, IPv4 or IPv6. The VNI is
//     the ID.
//   - IP in IP: IPv4 or IPv6 as protocol (next header) 4 or 41 of IPv4 or
//     IPv6 (IPIP, 6in4/SIT, 4in6, 6in6), after any IPv6 extension headers
//     and an authentication header in either family.
//
// Tunnels nest (VXLAN carrying GRE carrying IPv6 ...): Strip removes up to
// [Config.Depth] of them, outermost first, 8 at most. The outer frame may be
// Ethernet (with any number of 802.1Q/802.1ad tags, up to 8), raw IP
// (LINKTYPE_RAW, IPV4, IPV6), Linux cooked (SLL, SLL2) or BSD NULL/LOOP.
// Inner Ethernet frames may be tagged too.
//
// # Lengths
//
// The inner frame ends where the IP packet that carried it ends (its total
// length, or the UDP length for VXLAN and Geneve), so an outer frame's
// Ethernet padding or trailer never becomes inner data. Its capture length
// is its captured bytes; its wire length is the carrier's wire length minus
// the stripped headers. A capture cut by a snap length therefore gives an
// inner frame cut the same way, with CaptureLength <= Length always (GopherCap
// 0.3.2 set both to the captured length). An IP total length of 0 (Linux
// BIG TCP and GSO packets captured before segmentation) means "as captured".
//
// # Inner IP packets
//
// When what remains is an IP packet with no link header, Strip returns it
// as link type RAW (LINKTYPE_RAW, 101) by default ([InnerRaw]), or, with
// [InnerEthernet], behind a built 14-byte Ethernet header (MAC addresses of
// the last Ethernet header seen, EtherType from the IP version) so that a
// pcap file of link type Ethernet can hold every packet.
//
// # Bad headers
//
// A tunnel header that is cut by the capture, malformed, unsupported (GRE
// version 1/PPTP, RFC 1701 routing, GRE protocol types such as PPP, MPLS,
// WCCP or Cisco MetaData), or in an IP fragment is not stripped: Strip
// returns the packet as stripped so far with an [*Error] whose Reason
// ([ErrTruncated], [ErrMalformed], [ErrUnsupported], [ErrFragmented])
// classifies it. Strip never panics (FuzzStrip checks this) and never
// reassembles fragments.
//
// # Differences
//
// From GopherCap's filter --decap: GopherCap decodes each packet with
// gopacket and re-decodes the payload of the innermost GRE or ERSPAN II
// layer, so it strips GRE and ERSPAN (as far as gopacket's decoders read
// them) but not ERSPAN III, VXLAN, Geneve or IP in IP. Its --decap-depth
// counts gopacket layers from the link layer (default -1: all), not
// tunnels, and a depth of N looks only at the first N-1 layers. It writes
// the inner frame with CaptureLength and Length both set to the captured
// length, so a truncated packet's wire length is lost. decap counts
// tunnels ([Config.Depth], default all) and keeps the wire length.
//
// From tshark, over the tunnel captures of tcpdump's and libpcap's test
// suites (see corpus_test.go): same innermost addresses for 525 of 579
// frames; decap does not strip MPLS, NHRP, WCCP redirect, Cisco MetaData,
// VXLAN-GPE/NSH or IPcomp (tshark does), and does strip VXLAN and Geneve in
// BIG TCP packets (tshark and tcpdump stop at their zero lengths).
package decap
