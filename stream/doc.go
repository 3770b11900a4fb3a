// Package stream reassembles TCP connections from captured packets and
// hands each direction's bytes, in order, to the caller.
//
// An Assembler takes packets of any link type wirekit reads (Ethernet with
// VLAN tags, Linux cooked SLL and SLL2, BSD loopback, raw IPv4 and IPv6),
// keeps one Conn per TCP connection, and calls the Handler's ConnHandler
// with Chunks of contiguous bytes for each direction, then with the
// connection's final statistics when it ends (FIN, RST, an idle timeout, or
// the end of input). The reassembly itself is gopacket's reassembly
// package; this package adds link and IP decoding, client/server
// orientation, per-direction counters, memory caps and time-driven
// flushing.
//
// # Policies
//
// Direction: the side that sent a SYN without ACK is the client; if the
// handshake was not captured, the side with the higher port is taken as the
// client (ties: the sender of the first packet).
//
// Connections without a handshake (capture started mid-connection) start at
// the first segment seen in each direction. Bytes that arrive later but lie
// before that point are dropped and counted as retransmitted.
//
// Overlaps: bytes already delivered to the handler win over later copies
// (first wins, as in Linux and the BSDs); a retransmission is counted but
// never delivered twice. Between segments still buffered out of order, the
// newer segment's bytes replace the older ones (this is gopacket's
// behaviour; it matters only if a sender sends different bytes for the same
// sequence numbers, which a capture of a healthy stack never shows).
//
// Gaps: bytes that never arrived are not invented. A Chunk whose Lost is
// non-zero follows that many missing bytes. The Assembler waits
// Config.GapTimeout of capture time for a missing segment before giving up
// on it, or less when a buffer cap is reached (Conn counters Missing and
// Overflow say which). Packets cut short by the capture's snap length leave
// gaps too.
//
// Memory: out-of-order bytes are buffered up to Config.MaxBufferedPerConn
// for one connection and Config.MaxBufferedTotal for all of them; past a
// cap the oldest gap is skipped (its bytes counted in Overflow) instead of
// buffering more. Idle connections are closed after Config.IdleTimeout of
// capture time, so the connection table does not grow without bound on long
// captures.
//
// Ending: a connection is reported (ConnHandler.Close, then the onClose
// function) about a second of capture time after both directions ended
// with FIN, so that the last ACK is counted in it rather than starting a
// new connection; GapTimeout after an RST; and at once when the idle
// timeout or Flush closes it. An ended connection stays in gopacket's
// table until the idle timeout, or until a SYN reuses its ports.
//
// Time is capture time: timeouts advance with packet timestamps, so a file
// gives the same result however fast it is read. A live capture that is
// quiet advances it with Advance: ReadFrom (and http.Transactions) do so
// with the wall-clock time at each read timeout (IsTimeout), which they
// skip; they end when the source returns io.EOF, as a capture does once
// closed.
//
// Order: the calls are the same on every run over the same packets.
// Connections ended together (at the end of input, or by one timeout)
// are reported in the order of their IDs. Async runs a Handler on a
// goroutine of its own, with the same calls in the same order, so that
// what it does with the bytes overlaps with the reassembly.
package stream
