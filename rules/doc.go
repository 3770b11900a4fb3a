// Package rules reads GopherCap's filter files and turns each named filter
// into a packet matcher that runs as classic BPF.
//
// A filter file is YAML: a map from filter name to a list of conditions,
// as GopherCap's "filter --yaml" takes it:
//
//	web-to-lan:
//	  conditions:
//	    - kind: subnet
//	      match: [10.0.0.0/8, 2001:db8::/32]
//	    - kind: port
//	      negate: true
//	      match: [53/udp]
//
// A packet passes a filter when it satisfies every condition (AND); a
// condition is satisfied when the packet matches any of its match values
// (OR), or, with negate, when it matches none. The kinds are:
//
//   - subnet: the IPv4 or IPv6 source or destination is in one of the
//     networks (CIDR; a bare address means the address alone).
//   - port: the TCP or UDP source or destination port is one of the values,
//     written "N/tcp", "N/udp" or "N" (either protocol).
//   - ether: the Ethernet source or destination address is one of the MACs.
//   - raw and bpf: any pcap-filter(7) expression; a packet matches a value
//     when the expression accepts it.
//   - asn: the source or destination address belongs to one of the
//     autonomous system numbers, looked up in a MaxMind ASN database
//     (OpenASN, Options.ASN).
//
// Subnet and port conditions also look behind one 802.1Q tag, as
// GopherCap's decoder does. Every condition becomes a pcap-filter
// expression (Rule.Expr), and a rule is compiled by package filter into one
// program per link type (Matcher.Program), so matching costs one BPF run
// per packet and allocates nothing; asn conditions, which BPF cannot
// express, are then tested in Go on the packets the program accepts. A
// condition that cannot apply to a link
// type (ether on raw IP) is false there, as GopherCap finds no link layer.
//
// # Differences from GopherCap
//
// GopherCap ignores the match values of kind raw and passes every packet;
// here they are filters. GopherCap compares MAC addresses as written, so an
// upper-case or dash-separated MAC never matches; here any form net.ParseMAC
// takes works. GopherCap accepts ports above 65535 (they never match) and
// needs a prefix length on every subnet; here a port out of range is an
// error and a bare address is a host.
package rules
