package decode

// OpenFlow over TCP ports 6633 (pre-IANA) and 6653, as tcpdump -n prints it
// at default verbosity: ": OpenFlow", then one line per message of the
// segment, "\n\tversion 1.0, type HELLO, length 8, xid 0x00000001".
//
//	| version 1 | type 1 | length 2 | xid 4 | body (length-8) |
//
// tcpdump does not reassemble TCP, so a message cut by the segment's end
// ends the line with [|openflow], and a message shorter than its header
// "(invalid)" stops the segment.

const ofHeaderLen = 8

// ofVersions names the wire version byte (1.0 is 0x01, 1.3 is 0x04).
var ofVersions = [7]string{1: "1.0", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.4", 6: "1.5"}

// of10Types names the OpenFlow 1.0 message types.
var of10Types = [...]string{"HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "VENDOR",
	"FEATURES_REQUEST", "FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY",
	"SET_CONFIG", "PACKET_IN", "FLOW_REMOVED", "PORT_STATUS", "PACKET_OUT", "FLOW_MOD",
	"PORT_MOD", "STATS_REQUEST", "STATS_REPLY", "BARRIER_REQUEST", "BARRIER_REPLY",
	"QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY"}

// of13Types names the OpenFlow 1.3 message types.
var of13Types = [...]string{"HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "EXPERIMENTER",
	"FEATURES_REQUEST", "FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY",
	"SET_CONFIG", "PACKET_IN", "FLOW_REMOVED", "PORT_STATUS", "PACKET_OUT", "FLOW_MOD",
	"GROUP_MOD", "PORT_MOD", "TABLE_MOD", "MULTIPART_REQUEST", "MULTIPART_REPLY",
	"BARRIER_REQUEST", "BARRIER_REPLY", "QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY",
	"ROLE_REQUEST", "ROLE_REPLY", "GET_ASYNC_REQUEST", "GET_ASYNC_REPLY", "SET_ASYNC",
	"METER_MOD"}

// ofTypeName returns the name of message type t in version v, or "".
func ofTypeName(v, t byte) string {
	switch v {
	case 1:
		if int(t) < len(of10Types) {
			return of10Types[t]
		}
	case 4:
		if int(t) < len(of13Types) {
			return of13Types[t]
		}
	}
	return ""
}

// appendUnknownByte appends "unknown (0xNN)".
func appendUnknownByte(b []byte, v byte) []byte {
	b = append(b, "unknown (0x"...)
	b = appendHex(b, uint64(v), 2)
	return append(b, ')')
}

// openflow prints the OpenFlow messages of a TCP segment: d is the captured
// payload, plen its length on the wire.
func openflow(b, d []byte, plen int) []byte {
	b = append(b, ": OpenFlow"...)
	for plen > 0 {
		if len(d) < 1 {
			return appendTrunc(b, "openflow")
		}
		v := d[0]
		b = append(b, "\n\tversion "...)
		if int(v) < len(ofVersions) && ofVersions[v] != "" {
			b = append(b, ofVersions[v]...)
		} else {
			b = appendUnknownByte(b, v)
		}
		if plen < 2 {
			return ofEnd(b, d, plen)
		}
		if len(d) < 2 {
			return appendTrunc(b, "openflow")
		}
		t := d[1]
		b = append(b, ", type "...)
		if name := ofTypeName(v, t); name != "" {
			b = append(b, name...)
		} else {
			b = appendUnknownByte(b, t)
		}
		if plen < 4 {
			return ofEnd(b, d, plen)
		}
		if len(d) < 4 {
			return appendTrunc(b, "openflow")
		}
		mlen := int(be16(d[2:]))
		b = append(b, ", length "...)
		b = appendInt(b, mlen)
		if mlen < ofHeaderLen {
			b = append(b, " (too short!)"...)
		}
		if plen < 8 {
			return ofEnd(b, d, plen)
		}
		if len(d) < 8 {
			return appendTrunc(b, "openflow")
		}
		b = append(b, ", xid 0x"...)
		b = appendHex(b, uint64(be32(d[4:])), 8)
		if mlen < ofHeaderLen {
			b = append(b, " (invalid)"...)
			if len(d) < plen {
				b = appendTrunc(b, "openflow")
			}
			return b
		}
		if len(d) < mlen {
			return appendTrunc(b, "openflow")
		}
		d = d[mlen:]
		plen -= mlen
	}
	return b
}

// ofEnd ends a segment that stops inside a message header, as tcpdump does
// (" (end of TCP payload)"), with [|openflow] when fewer bytes were captured.
func ofEnd(b, d []byte, plen int) []byte {
	b = append(b, " (end of TCP payload)"...)
	if len(d) < plen {
		b = appendTrunc(b, "openflow")
	}
	return b
}
