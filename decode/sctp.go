package decode

// sctpChunkNames are tcpdump's names for SCTP chunk types.
var sctpChunkNames = [256]string{0: "DATA", 1: "INIT", 2: "INIT ACK", 3: "SACK", 4: "HB REQ",
	5: "HB ACK", 6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN ACK", 9: "OP ERR", 10: "COOKIE ECHO",
	11: "COOKIE ACK", 12: "ECN ECHO", 13: "ECN CWR", 14: "SHUTDOWN COMPLETE",
	0xc0: "FOR CUM TSN", 0xc1: "REL CTRL", 0xc2: "REL CTRL ACK"}

// sctpPPIDs names the payload protocol identifiers of DATA chunks.
var sctpPPIDs = [...]string{1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2",
	7: "H.248", 8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC",
	15: "SIMCO", 16: "DDPSC", 17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP", 21: "ForCES HP",
	22: "ForCES MP", 23: "ForCES LP", 24: "SBc-AP", 25: "NBAP", 27: "X2AP"}

// SCTP ports of the ForCES channels (RFC 5811), printed after "sctp".
const (
	forcesHP = 6704
	forcesMP = 6705
	forcesLP = 6706
)

func forcesChannel(port int) string {
	switch port {
	case forcesHP:
		return "ForCES HP"
	case forcesMP:
		return "ForCES MP"
	case forcesLP:
		return "ForCES LP"
	}
	return ""
}

// appendPorts appends "src.sp > dst.dp: " for a transport that prints its
// own addresses (even behind IPv6 extension headers, after "HBH ").
func appendPorts(b []byte, h *ipHdr, sp, dp int) []byte {
	b = appendAddr(b, h.src)
	b = append(b, '.')
	b = appendInt(b, sp)
	b = append(b, " > "...)
	b = appendAddr(b, h.dst)
	b = append(b, '.')
	b = appendInt(b, dp)
	return append(b, ": "...)
}

// sctp prints an SCTP packet (IP protocol 132) as tcpdump does without -v:
// the ports, then each chunk's type and, for DATA, INIT, INIT ACK and SACK,
// its header fields; length is the IP payload length.
//
//	common header: | source port 16 | destination port 16 | verification tag 32 | checksum 32 |
//	chunk:         | type 8 | flags 8 | length 16 | value... (padded to 4 bytes)
func (p *Printer) sctp(b, d []byte, length int, h *ipHdr) []byte {
	if length < 12 {
		b = append(b, "truncated-sctp - "...)
		b = appendInt(b, 12-length)
		return append(b, " bytes missing!"...)
	}
	if len(d) < 12 {
		return appendTrunc(b, "sctp")
	}
	sp, dp := int(be16(d)), int(be16(d[2:]))
	b = appendPorts(b, h, sp, dp)
	b = append(b, "sctp"...)
	forces := false
	if c := forcesChannel(sp); c != "" {
		b = append(b, '[')
		b = append(b, c...)
		b = append(b, ']')
		forces = true
	}
	if c := forcesChannel(dp); c != "" {
		b = append(b, '[')
		b = append(b, c...)
		b = append(b, ']')
		forces = true
	}
	d = d[12:]
	rem := length - 12
	sep := " ("
	if p.opts.Verbose > 1 {
		sep = "\n\t"
	}
	for n := 1; rem > 0; n++ {
		if rem < 4 {
			b = append(b, sep...)
			b = appendInt(b, n)
			return append(b, ") [chunk descriptor cut off at end of packet]"...)
		}
		if len(d) < 4 {
			return appendTrunc(b, "sctp")
		}
		id, fl, cl := d[0], d[1], int(be16(d[2:]))
		if cl < 4 {
			b = append(b, sep...)
			b = appendInt(b, n)
			b = append(b, ") [Bad chunk length "...)
			b = appendInt(b, cl)
			return append(b, ", < size of chunk descriptor]"...)
		}
		align := (4 - cl%4) % 4
		if rem < align {
			b = append(b, sep...)
			b = appendInt(b, n)
			b = append(b, ") [Bad chunk length "...)
			b = appendInt(b, cl)
			return append(b, ", > remaining data in packet]"...)
		}
		if len(d) < cl {
			return appendTrunc(b, "sctp")
		}
		body := d[4:cl]
		b = append(b, sep...)
		b = appendInt(b, n)
		b = append(b, ") ["...)
		if name := sctpChunkNames[id]; name != "" {
			b = append(b, name...)
		} else {
			b = append(b, "Unknown chunk type: 0x"...)
			b = appendHex(b, uint64(id), 1)
		}
		b = append(b, "] "...)
		bogus := func(b []byte) []byte {
			b = append(b, "bogus chunk length "...)
			b = appendInt(b, cl)
			return append(b, ']')
		}
		switch id {
		case 0:
			if fl&4 != 0 {
				b = append(b, "(U)"...)
			}
			if fl&2 != 0 {
				b = append(b, "(B)"...)
			}
			if fl&1 != 0 {
				b = append(b, "(E)"...)
			}
			if fl&7 != 0 {
				b = append(b, ' ')
			}
			if len(body) < 12 {
				return bogus(b)
			}
			ppid := be32(body[8:])
			b = append(b, "[TSN: "...)
			b = appendUint(b, uint64(be32(body)))
			b = append(b, "] [SID: "...)
			b = appendUint(b, uint64(be16(body[4:])))
			b = append(b, "] [SSEQ "...)
			b = appendUint(b, uint64(be16(body[6:])))
			b = append(b, "] [PPID "...)
			if ppid < uint32(len(sctpPPIDs)) && sctpPPIDs[ppid] != "" {
				b = append(b, sctpPPIDs[ppid]...)
			} else {
				b = append(b, "0x"...)
				b = appendHex(b, uint64(ppid), 1)
			}
			b = append(b, "] "...)
			if ppid >= 21 && ppid <= 23 {
				forces = true
			}
			if payload := body[12:]; forces && len(payload) > 0 {
				var ok bool
				if b, ok = forcesPrint(b, payload); !ok {
					return b
				}
			} else if p.opts.Verbose > 1 && len(payload) > 0 && ppid == 3 {
				// tcpdump decodes M3UA (left out here but for its
				// length check).
				if len(payload) < 8 {
					b = append(b, " (invalid)"...)
				}
			} else if p.opts.Verbose > 1 && len(payload) > 0 {
				b = append(b, "[Payload:\n"...)
				b = appendHexDump(b, payload, true)
				b = b[:len(b)-1]
				b = append(b, ']')
			}
		case 1, 2:
			if len(body) < 16 {
				return bogus(b)
			}
			b = append(b, "[init tag: "...)
			b = appendUint(b, uint64(be32(body)))
			b = append(b, "] [rwnd: "...)
			b = appendUint(b, uint64(be32(body[4:])))
			b = append(b, "] [OS: "...)
			b = appendUint(b, uint64(be16(body[8:])))
			b = append(b, "] [MIS: "...)
			b = appendUint(b, uint64(be16(body[10:])))
			b = append(b, "] [init TSN: "...)
			b = appendUint(b, uint64(be32(body[12:])))
			b = append(b, "] "...)
		case 3:
			if len(body) < 12 {
				return bogus(b)
			}
			b = append(b, "[cum ack "...)
			b = appendUint(b, uint64(be32(body)))
			b = append(b, "] [a_rwnd "...)
			b = appendUint(b, uint64(be32(body[4:])))
			b = append(b, "] [#gap acks "...)
			gaps, dups := int(be16(body[8:])), int(be16(body[10:]))
			b = appendInt(b, gaps)
			b = append(b, "] [#dup tsns "...)
			b = appendInt(b, dups)
			b = append(b, "] "...)
			tsn := be32(body)
			r := body[12:]
			for i := 1; i <= gaps; i++ {
				if len(r) < 4 {
					return bogus(b)
				}
				b = append(b, "\n\t\t[gap ack block #"...)
				b = appendInt(b, i)
				b = append(b, ": start = "...)
				b = appendUint(b, uint64(tsn+uint32(be16(r))))
				b = append(b, ", end = "...)
				b = appendUint(b, uint64(tsn+uint32(be16(r[2:]))))
				b = append(b, "] "...)
				r = r[4:]
			}
			for i := 1; i <= dups; i++ {
				if len(r) < 4 {
					return bogus(b)
				}
				b = append(b, "\n\t\t[dup TSN #"...)
				b = appendInt(b, i)
				b = append(b, ": "...)
				b = appendUint(b, uint64(be32(r)))
				b = append(b, "] "...)
				r = r[4:]
			}
		}
		rem -= cl
		d = d[cl:]
		if p.opts.Verbose < 2 {
			sep = ", ("
		}
		if align > 0 {
			if len(d) < align {
				return appendTrunc(b, "sctp")
			}
			rem -= align
			d = d[align:]
		}
	}
	return b
}

// forcesTypes names ForCES message types (RFC 5810).
var forcesTypes = [...]string{1: "Association Setup", 2: "Association TearDown", 3: "Config",
	4: "Query", 5: "Event Notification", 6: "Packet Redirect", 0xf: "HeartBeat",
	0x11: "Association Response", 0x13: "Config Response", 0x14: "Query Response"}

// forcesPrint appends the line tcpdump prints without -v for a ForCES
// message carried in an SCTP DATA chunk; ok is false when the line ends.
//
//	| version 4 | rsvd 4 | message type 8 | length (32-bit words) 16 |
//	| source ID 32 | destination ID 32 | correlator 64 | flags 32 |
func forcesPrint(b, d []byte) (_ []byte, ok bool) {
	if len(d) < 24 {
		return appendTrunc(b, "forces"), false
	}
	t := d[1]
	if int(t) >= len(forcesTypes) || forcesTypes[t] == "" {
		// tcpdump follows this with a dump of the message.
		b = append(b, "Invalid ForCES message type "...)
		return appendUint(b, uint64(t)), false
	}
	b = append(b, "\n\tForCES "...)
	b = append(b, forcesTypes[t]...)
	return append(b, ' '), true
}
