// Package synth generates deterministic synthetic Ethernet captures: a
// realistic mix of traffic for tests, benchmarks and demos.
//
// The mix holds TCP connections (three-way handshake with the usual SYN
// options, HTTP-like or TLS-like request and response payloads in
// MSS-sized segments, delayed ACKs, FIN or RST close), DNS queries and
// responses in real wire format over UDP, ICMP and ICMPv6 echo, IPv6
// neighbour solicitation and advertisement, and ARP request and reply.
// Flows run over IPv4 and IPv6, some inside an 802.1Q tag and a few inside
// two (QinQ). A few hundred flows are interleaved at once, timestamps come
// in bursts and never go backwards, and every IPv4, TCP, UDP, ICMP and
// ICMPv6 checksum is valid.
//
// The same Config (seed included) always gives byte-identical output, on
// any platform and Go version: the generator uses its own random number
// generator, not math/rand.
//
// Generate builds each packet by hand into one reused buffer and does not
// allocate per packet: a gigabyte of capture takes well under a second.
package synth
