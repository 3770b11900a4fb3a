// Package eve reads Suricata EVE JSON events: the fields that identify a
// flow (addresses, ports, protocol, flow_id, the tunnel that carried it)
// and when it was seen (timestamp, flow.start, flow.end), so that the
// packets of an alert's flow can be found again in capture files.
//
// # Use
//
//	sc := eve.NewScanner(f) // one event per line, as Suricata writes eve.json
//	for sc.Scan() {
//		ev := sc.Event()
//		...
//	}
//	for _, bad := range sc.Skipped() { ... } // *LineError: line number and cause
//	if err := sc.Err(); err != nil { ... }  // a read error, not a bad line
//
// EVE input is outside input: a line that is not a JSON object, or whose
// known fields have the wrong type or an impossible value (an address that
// does not parse, a port above 65535, a timestamp in no format Suricata
// writes), is skipped with a [*LineError] giving its line number, and the
// scan goes on. Blank lines are ignored. Lines longer than [MaxLine] are
// skipped the same way, without reading them into memory whole. Parse
// never panics (FuzzParse checks this).
//
// # Matching packets
//
// [NewMatcher] says whether a captured packet belongs to an event's flow:
// same protocol, addresses and ports, either direction, by a filter that
// package filter compiles per link type ([FilterExpr] gives its text), or
// with [MatchConfig.Decode] by decoding the packet with gopacket. For an
// event with a tunnel object, the packet's tunnels are stripped with
// package decap (to the innermost frame), the inner packet must be the
// flow, and the outermost carrier must join the tunnel's src_ip and
// dest_ip; untunnelled packets never match such an event, and tunnelled
// ones never match an event without a tunnel. Suricata's tunnel proto and
// depth are not compared.
//
// Fields wirekit does not use are ignored, and unknown event types are
// returned as they are: callers pick the types they want (extract takes
// every event with a flow, eve2filter only alerts, as GopherCap does).
package eve
