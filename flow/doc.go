// Package flow is a conversation table for all traffic: fed packet by
// packet (captured bytes, capture info, link type), it keeps one entry per
// bidirectional conversation and emits a [Record] with the fields of
// Zeek's conn.log as each conversation ends, so it works on live captures
// as well as on files.
//
// # Use
//
//	t, err := flow.New(nil, func(r *flow.Record) { w.Write(r) })
//	for each packet {
//		t.Packet(ci, data, linkType)
//	}
//	t.Flush() // the conversations still open
//
// [Records] does the same over a [github.com/wirekit/wirekit/pcapio.Source]
// as an iterator. Packet does not allocate for a packet of a conversation
// already in the table (TestPacketAllocs).
//
// # Conversations
//
// Keys: TCP, UDP and SCTP by addresses and ports; ICMP and ICMPv6 by
// addresses, type and counterpart type (an echo request and its reply are
// one conversation, as in Zeek) and the echo identifier; other IP protocols
// by address pair and protocol; non-IP Ethernet frames by MAC pair and
// EtherType. Link types read: Ethernet (VLAN tags, PPPoE sessions and MPLS
// stacks stepped over), raw IP, Linux SLL and SLL2, BSD NULL/LOOP, Cisco
// HDLC, PPP, PPPoE, and unprotected 802.11 data frames (plain, radiotap,
// PPI, Prism, AVS) carrying IP in LLC/SNAP. The VLAN ids of the first two 802.1Q/802.1ad tags are part of
// the key. IP fragments after the first have no ports and count in an
// address-pair conversation of their protocol.
//
// The originator is the sender of the first SYN for TCP, else the sender of
// the first packet, except that a first packet that is a SYN+ACK, an ICMP
// reply, or (with no SYN) a packet from a server-like port (below 1024, or
// a well-known higher one) to a client-like port makes its receiver the
// originator, and the history starts with '^', as Zeek does.
//
// A conversation ends: after TCP closed it on both sides or reset it, once
// [Config.CloseDelay] of packet time passed (5 s); when idle past its
// protocol's timeout (TCP 5 min, UDP, ICMP and others 1 min, Zeek's
// defaults); when a new SYN reuses the ports of a finished TCP
// conversation; when the table holds [Config.MaxFlows] conversations and a
// new one comes (the one idle longest ends first); on Flush.
//
// # Fields
//
// As Zeek's conn.log: ts, uid (deterministic for the same input and
// [Config.Seed]), id.orig_h/p, id.resp_h/p, proto, service, duration,
// orig/resp_bytes (payload bytes; for TCP from sequence numbers, so bytes
// not captured count, and missed_bytes counts the gaps), conn_state (S0,
// S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH with Zeek's
// definitions), history (Zeek's letters: S h A D a d F f R r, T t for
// retransmitted payload, W w for zero windows and G g for gaps counted at
// 1, 10, 100..., I i and Q q for inconsistent and multi-flag packets;
// upper case for the originator), orig/resp_pkts and orig/resp_ip_bytes.
// Plus vlan and inner_vlan, orig_l2_addr and resp_l2_addr (Zeek's policy
// scripts' names), the link-layer bytes per direction (what tshark's
// conversation tables count), and the application facts found: the first
// DNS query name, the TLS ClientHello's server name and the ALPN protocols
// (the ServerHello's choice when seen), the first HTTP request's Host.
//
// The service is found by content, not by port, in the first four payload
// packets of each direction: dns (a well-formed DNS question, over UDP or
// TCP), http (an HTTP/1.x request or status line), ssl (a TLS ClientHello
// or ServerHello), ssh (an SSH- banner), smtp (EHLO/HELO), ftp (a 220
// banner, then USER), dhcp (the BOOTP magic cookie), ntp (a 48-byte NTP v3/4
// client or server message on port 123), quic (a QUIC version 1 long
// header in a 1200-byte datagram).
//
// # Differences from Zeek
//
// Zeek reassembles IP fragments and TCP streams; this table reads packets
// one by one, so orig/resp_bytes and missed_bytes come from sequence
// numbers only and an out-of-order segment counts as a retransmission ('T').
// ICMP payload bytes are the bytes after the 8-byte ICMP header. conn_state
// of a non-TCP, non-UDP conversation is OTH; SCTP is not analysed beyond
// its ports. Zeek does not log non-IP traffic; here it gets a record with
// the MAC addresses and the EtherType as proto ("arp", "lldp",
// "ether-0x88b5"). Other IP protocols, SCTP included, are
// "unknown_transport" as in Zeek, with ip_proto (Zeek 7's field) telling
// them apart. Checksums
// are not verified (no 'C' letters): capture hosts offload them.
package flow
