// Package decode turns captured packets into readable records: one-line
// tcpdump-style summaries (Printer) and JSON Lines (JSONWriter).
//
// The Printer is the heart of `wirekit read`. It prints what `tcpdump -n`
// (tcpdump 4.99) prints for the link, network and transport layers:
// Ethernet with 802.1Q/QinQ, Linux cooked captures (SLL, SLL2), BSD
// loopback, raw IP; ARP, IPv4, IPv6 and its extension headers, TCP with
// relative sequence numbers, UDP, ICMP, ICMPv6. Application protocols are
// not dissected: a line stops at the transport layer's `length N`.
//
// The Printer parses headers straight from the captured bytes and appends
// into a reused buffer, so it allocates nothing per packet once warm; only
// the TCP sequence table grows when a new connection appears, up to a bound.
// Truncated or malformed packets print tcpdump's markers, such as " [|tcp]",
// and never panic.
package decode
