// Package capture reads live traffic from a network interface and injects
// packets into one, on Linux through AF_PACKET with a TPACKET_V3
// memory-mapped ring, without libpcap.
//
// A filter compiled by package filter is attached to the socket
// (SO_ATTACH_FILTER), so the kernel drops unwanted packets before they
// reach the ring. The socket is bound to its interface only once the
// filter is attached, so no packet is queued before it; a filter the
// kernel cannot run (one testing VLAN tags, or one it refuses) runs in
// user space instead. The ring is read by this package (no per-packet
// system call; waits go through Go's netpoller). A Handle is a
// pcapio.Source.
//
// Open(Any, ...) captures on every interface at once, as libpcap's "any":
// each packet gets a LINUX_SLL2 header (or LINUX_SLL, Config.AnyLinkType),
// and a filter compiled for that link type is rewritten for the kernel. Devices lists what can be opened;
// DropPrivileges switches user once the socket is open (tcpdump -Z).
//
// A Handle feeds gopacket as a pcap handle does: the tutorial's loop
//
//	for packet := range gopacket.NewPacketSource(h, h.LinkType()).Packets() { ... }
//
// ends when another goroutine (a signal handler) calls h.Close, since reads
// return io.EOF from then on. A read timeout (ErrTimeout) is a net.Error
// whose Timeout reports true, which gopacket and stream-reading code retry;
// Config.ReadTimeout BlockForever makes reads wait with no timeout at all.
//
// If the interface captured on is deleted (or moved to another network
// namespace), reads return the packets it sent before, then an
// *InterfaceError matching ErrInterfaceGone (and io.ErrUnexpectedEOF, so
// gopacket's loop ends), then io.EOF. If it is set down, they return an
// *InterfaceError matching ErrInterfaceDown, which is also a read timeout:
// the capture goes on, and packets come again once the interface is up,
// as with libpcap 1.10.
//
// OpenMulti captures on several interfaces at once and merges their
// packets in timestamp order into one pcapio.Source (a *Multi), each
// packet with the index of its interface in Interfaces and so its own link
// type; a filter expression (MultiConfig.Expr) is compiled for each
// interface. A Multi is what stream.Assembler.ReadFrom and
// http.Transactions read live: its reads return ErrTimeout while all is
// quiet, which they read on through, and io.EOF once Close has run (from a
// signal handler, say). wirekit's http, streams, flows and capture
// commands read -i through it.
//
// On other systems Open, OpenMulti and DropPrivileges return
// ErrNotSupported.
package capture
