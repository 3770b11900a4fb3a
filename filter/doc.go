// Package filter compiles the pcap-filter(7) language, as libpcap 1.10
// accepts it, to classic BPF, in pure Go: no cgo and no libpcap.
//
// # Use
//
//	prog, err := filter.Compile("tcp dst port 21", layers.LinkTypeEthernet, 65535)
//	ok := prog.Matches(ci, data)          // ci.Length == 0 means len(data)
//	raw := prog.Raw()                     // []bpf.RawInstruction for a socket
//	text, _ := filter.Format(prog, "d")   // tcpdump -d text ("dd", "ddd" too)
//
// NewBPF(linkType, snaplen, expr) has the argument order of gopacket/pcap's
// NewBPF and can replace it; its doc says where the wire length differs
// (a zero CaptureInfo means len(data) here, 0 in gopacket/pcap).
//
// A socket server matches what it knows without building a packet:
// prog.MatchFlow(filter.Flow{...}, payload), or MatchFlowErr to learn why
// a flow could not be built. NewSourceFilter(expr, src, nil) filters the
// packets of a pcapio.Source whose interfaces have different link types (a
// pcapng file, a merge), compiling once per link type.
//
// # How it works
//
// Like libpcap, the parser generates code as it reduces each construct, so
// errors come in libpcap's left-to-right order and vlan, mpls and pppoes
// shift the offsets of everything after them. Code is generated per
// boolean fragment with explicit true/false exits and laid out in
// expression order; jumps longer than a conditional jump's 255 get "ja"
// trampolines. That code is libpcap's unoptimized code (tcpdump -O -d),
// instruction for instruction for most expressions, in a different block
// order for the rest; Options.NoOptimize returns it as is.
//
// By default Compile then runs Optimize, as tcpdump does: a dataflow of
// symbolic values over basic blocks removes repeated loads and tests
// already decided on every path (the link type tested again for each
// alternative), folds constants and scratch-memory shuffles of
// arithmetic, fuses "sub #c; jeq #0" into "jeq #c" and "and #m; jeq #0"
// into "jset #m", drops dead and unreachable code and merges identical
// blocks. On the golden expressions the optimized programs are about as
// long as libpcap's optimized ones (TestOptimizeCount prints the ratio).
// Optimize also works on raw programs from elsewhere.
//
// Errors are *SyntaxError values carrying the byte position of the
// offending token and libpcap's own message text ("syntax error", "unknown
// host 'foo'", "illegal port number 70000 > 65535"...). Constructs libpcap
// accepts but this package does not compile yet wrap ErrUnsupported; it
// never compiles them to a silently different program.
//
// # Limits
//
// Programs may be of any length, as libpcap's are: 10,000 "host" terms
// joined by "or" give 299,938 instructions unoptimized. The Linux kernel
// refuses socket filters of more than 4096 instructions when they are
// attached; Validate checks for that, and package capture runs such a
// filter in user space. Compiling takes time in proportion to the
// expression's length, optimizer included: for programs of more than a
// few thousand blocks the optimizer remembers only the latest of the
// comparisons decided on a path, so a huge program may come out longer
// than an unbounded optimizer would make it (libpcap's optimizer, which
// has no such bound, ran for more than 40 minutes on those 10,000 terms).
// Nesting (parentheses, "not", unary minus, "%" and "^") is bounded at
// 10000 levels, with an error naming the column; libpcap's parser stops
// at about as many ("memory exhausted" beyond 9995 parentheses around
// "tcp"). A snaplen of 0 means DefaultSnapLen (262144), as tcpdump's
// "-s 0" does.
//
// # What is supported
//
// Link types: EN10MB (Ethernet), RAW (LINKTYPE_RAW 101 and DLT_RAW 12/14),
// IPV4, IPV6, LINUX_SLL, LINUX_SLL2, LOOP, NULL, PPP, PPP_ETHER, PFLOG,
// IEEE802_11, IEEE802_11_RADIO, C_HDLC (Cisco HDLC: the Ethernet type
// at byte 2, OSI as 0xfefe with a padding byte before the NLPID) and SLIP
// (a 16-byte pseudo header; as libpcap 1.10, ip and ip6 test the IP
// version on the first byte of that header, the direction byte, rather
// than the packet's), and the MAC-address LANs with 802.2 LLC headers as
// libpcap lays them out: FDDI, IEEE802 (token ring, without a
// source-routing field) and IP_OVER_FC (RFC 2625): ether host/src/dst,
// broadcast and multicast on their addresses, SAPs in the 802.2 header
// and Ethernet types in SNAP; llc is always true on FDDI and token ring
// and refused on IP_OVER_FC, as libpcap does. Also PPP_SERIAL (laid out
// as PPP), PPP_BSDOS (the PPP protocol at 5 of a 24-byte header; ip also
// accepts Van Jacobson compressed TCP), FRELAY (the control byte and the
// NLPID at 2; as libpcap 1.10, the network layer is taken to start at
// byte 0) and ARCNET and ARCNET_LINUX (ARCnet's type values, $XY
// addresses after "link" or "ether", read as libpcap 1.10 reads them:
// 0xd0 plus the first digit). And the other link types libpcap 1.10
// compiles for (codegen_other.go): PRISM_HEADER, IEEE802_11_RADIO_AVS and
// PPI as 802.11 after their radio headers (PPI also checks that its DLT
// field says 802.11, and takes no type/subtype/dir, radio[] or vlan);
// NETANALYZER and NETANALYZER_TRANSPARENT as Ethernet after their
// pseudo-headers (llc refused); IPNET; the Juniper types, whose protocol
// tests only check Juniper's magic number; ENC (as NULL); SYMANTEC_FIREWALL;
// NetBSD's HDLC (LINKTYPE 112, as C_HDLC); and every other LINKTYPE from
// 104 to 289, on which libpcap compiles raw link[N:M] tests and refuses
// the protocol keywords with its message ("Broadcom tag link-layer type
// filtering not implemented"). Offsets a link type lacks are libpcap's
// (u_int)-1, wrapping around in its arithmetic as in libpcap's. The ATM
// and SS7 link types (SUNATM, ATM_RFC1483, ATM_CLIP, MTP2, MTP2_WITH_PHDR,
// MTP3), BACNET_MS_TP, LTALK, APPLE_IP_OVER_IEEE1394, SLIP_BSDOS,
// PPP_PPPD and link types libpcap does not know are refused with
// ErrUnsupported.
//
// ATM and SS7, and older serial link types, as libpcap 1.10 lays them out:
// SUNATM (the 4-byte SunATM pseudo header) with vpi and vci compared as
// numbers, lane, oam, oamf4, oamf4ec, oamf4sc, metac, bcc, sc, ilmic,
// connectmsg, metaconnect and llc (LLC-multiplexed PDUs; Ethernet types
// in SNAP), after "lane" the tests apply to the LANE Ethernet frame and
// check it is not an LE control frame; ATM_RFC1483 and ATM_CLIP (an
// 802.2 LLC/SNAP header first); MTP2 and MTP2_WITH_PHDR with fisu, lssu,
// msu, hfisu, hlssu, hmsu and the MTP3 fields sio, opc, dpc, sls, hsio,
// hopc, hdpc and hsls, with libpcap's range errors ("sio value 256 too
// big; max value = 255"); MTP3 (link[...] only, as libpcap 1.10);
// BACNET_MS_TP (every protocol test is the 0x55 0xff preamble; as
// libpcap 1.10 adds its "offset not set" to the offsets, "host" and the
// like read bytes 10 and 14...); LTALK (atalk is always true, everything
// else false); APPLE_IP_OVER_IEEE1394 (the Ethernet type at 16);
// SLIP_BSDOS (no type: the IP version on the first byte, as on SLIP);
// PPP_PPPD (PPP with inbound and outbound on its direction byte). As in
// libpcap 1.10, "!=" on vpi, vci and the MTP3 fields compiles as "=="
// (its gen_ncmp reverses only > and >=; the development branch negates
// it), and ATM_RFC1483, ATM_CLIP and SLIP_BSDOS also have their DLT
// numbers (11, 19, 15).
//
// NULL (BSD loopback) starts with the address family in the byte order of
// the host that captured, which is the byte order of the pcap file; as
// libpcap does when it reads a file, the program compares it in that
// order, and for IPv6 accepts the BSD, FreeBSD and Darwin values (24, 28,
// 30). Compile assumes a little-endian file; CompileWith with
// Options.NullBigEndian compiles for a big-endian one. (tcpdump -d without
// -r compiles for a live capture instead: IPv6 is then this host's
// AF_INET6 only.)
//
// The whole grammar is parsed. Compiled: the protocol keywords ether/link,
// ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6, igmp, igrp, pim, vrrp,
// carp, ah, esp, decnet, lat, sca, moprc, mopdl; host, net (CIDR, "mask",
// short forms like "net 10"), port, portrange and proto with every
// direction qualifier, libpcap's qualifier inheritance ("host a or b",
// "tcp port 80 or 443"); IPv6 addresses and prefixes; MAC addresses;
// broadcast, multicast, ip/ip6 multicast, ip broadcast (netmask 0 as
// tcpdump uses when it has none); less, greater, len; byte N =|<|> M;
// vlan [id], mpls [label], pppoed, pppoes [id] with the offset shifts;
// packet accessors proto[expr:size] for link, ether, ip, ip6, arp, rarp,
// tcp, udp, sctp, icmp, icmp6, igmp, igrp, pim, vrrp, carp and the other
// network protocols; arithmetic (+ - * / % & | ^ << >>, unary minus) and
// comparisons with libpcap's precedence, including its odd one for % and ^;
// named constants (tcpflags, tcp-syn..., icmptype, icmp-echo..., icmp6type,
// icmp6-echo...). IPv4 transport fields are read only from first fragments
// and through the variable header length; for IPv6, as in libpcap, ports
// and transport fields are read only right after the fixed header, while
// "ip6 proto" also looks through one fragment header.
//
// 802.2 LLC, as libpcap 1.10 treats it: on Ethernet, a link-layer value
// of at most 1500 ("ether proto 0x42") is an LLC SAP, tested as the DSAP
// of an 802.3 frame (both DSAP and SSAP for iso, netbeui and 0x06); ipx
// matches Ethernet II, Novell raw 802.3, 802.2 and SNAP frames; atalk and
// aarp also match their SNAP forms; the keywords llc, llc i|s|u and llc
// with a subtype (rr, rnr, rej, ui, ua, disc, dm, sabme, test, xid,
// frmr); stp, ipx, netbeui, iso, esis, isis, clnp, l1, l2, iih, lsp, snp,
// csnp, psnp; "iso proto" and "isis proto" with numbers or the names
// clnp, esis and isis; the LLC names in "ether proto \iso" (iso, stp,
// ipx, netbeui). On LINUX_SLL the 802.2 frames are those with protocol 4
// (1 for raw 802.3 IPX) in the cooked header; on LINUX_SLL2, libpcap 1.10
// compares the protocol field with the value as is, and so does this
// package; llc is refused on both, as libpcap does.
//
// Names: no name resolution is done. Host and network names give libpcap's
// "unknown host"/"unknown network" errors; service names ("port http") and
// protocol names ("proto \tcp", "ether proto \ip") come from small fixed
// tables.
//
// vxlan [vni] is compiled as libpcap's development branch does (libpcap
// 1.10 has no such keyword).
//
// Also compiled: protochain (libpcap's loop with a backward jump: such
// programs run in this package's executor but not in a kernel, so capture
// keeps them in user space); geneve [vni] with its variable offsets;
// decnet host/src/dst; ifindex on LINUX_SLL2; inbound/outbound on LINUX_SLL, LINUX_SLL2,
// PFLOG, SLIP, IPNET and the Juniper types, from their headers; on other link types, for a live
// capture (Options.Live, as tcpdump -i on Linux), inbound, outbound and
// ifindex load the kernel's packet type and interface index (SKF_AD_PKTTYPE,
// SKF_AD_IFINDEX: "ldh [type]", "ld [ifidx]"), which a kernel gives the
// program and Program.MatchesMeta gives it in user space (a Meta; Matches
// gives none, and the loads reject), and for files they are refused as
// libpcap does ("inbound/outbound not supported on Ethernet when reading
// savefiles"); the
// pflog fields ifname/on, ruleset, rnr, srnr, reason, action; 802.11
// (IEEE802_11, IEEE802_11_RADIO, PRISM_HEADER, IEEE802_11_RADIO_AVS, PPI): wlan host/src/dst/addr1-4/ra/ta,
// type/subtype/dir with libpcap's names, radio[], LLC/SNAP types over the
// variable MAC header (as libpcap 1.10, a fourth address and HT control
// are not counted in the header length).
//
// Not compiled (ErrUnsupported): gateway by name, the ATM and MTP2/MTP3 keywords (also on ERF), and link types other than the
// ones above.
//
// Deliberate difference: "byte N & M" and "byte N | M" load the byte;
// libpcap 1.10 forgets to and compares 0 & M (0 | M), rejecting (or
// accepting) every packet.
//
// # Known differences from libpcap
//
// The optimizer never removes a load unless the bytes it reads are proven
// inside the packet on every path (or every path from it rejects), so an
// optimized program gives exactly the verdicts of the unoptimized one.
// libpcap's optimizer is less careful: it may remove a load that a packet
// is too short for (a tautology such as "not (dst host A and dst host
// B)", a test repeated or already decided), and then accepts a short
// packet this package rejects. scripts/filter-random.sh measures it:
// every disagreement it has found is of this kind.
//
// As libpcap's pcap_compile does, Compile refuses with "expression rejects
// all packets" (ErrRejectsAll) an expression whose optimized program can
// only reject ("ip6 and igmp" on IPV4, "arp host 1.2.3.4" on RAW): the
// optimizer turns every block from which all paths reject into "ret #0",
// and the program is refused when that is its first instruction and the
// optimizer, run again without the reasoning libpcap's does not do, finds
// so too. Not counted: the bounds of a load ("proto 256": a byte is never
// 256), a "jeq" deciding another kind of test ("mpls and llc"), loads
// through an index merged from different values (802.11's header length,
// Geneve's offsets). Counted, as libpcap's and_pullup does: a later test
// of the value an "or" of tests left behind ("icmp and port 80" on ARCnet,
// whose ip is one of two types). Options.NoOptimize (as "tcpdump -O") and
// Options.AllowRejectAll compile such programs. The two optimizers still
// differ on a few, where wirekit refuses what libpcap compiles: wirekit's
// threads each of the three AF_INET6 values of LOOP and big-endian NULL
// files past "link[0:4] = 0x1c000000"; it keeps a test made on both ways
// into a merge; and libpcap's optimizer sometimes stops before it has
// reduced such a program (leaving a jump whose two targets are "ret #0").
// scripts/filter-random.sh finds 1 to 3 such expressions in 600, and no
// expression libpcap refuses that wirekit compiles. The verdicts agree
// either way.
//
// Service names are limited to the fixed table, where libpcap reads
// /etc/services.
package filter
