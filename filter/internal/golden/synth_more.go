package main

import "github.com/gopacket/gopacket/layers"

// Synthetic captures of the link types of filter/codegen_linkmore.go, and
// the corpus captures of two of them (MTP2's isup_load_generator.pcap,
// BACNET_MS_TP's mstp_20140225214217.pcap). Their golden rows go to
// filter/testdata/golden-linkmore.tsv (scripts/filter-golden-linkmore.sh).
var moreSynth = []struct {
	name string
	lt   layers.LinkType
}{
	{"synth-sunatm.pcap", 123}, {"synth-atm-rfc1483.pcap", 100}, {"synth-atm-clip.pcap", 106},
	{"synth-mtp2.pcap", 140}, {"synth-mtp2-phdr.pcap", 139}, {"synth-mtp3.pcap", 141},
	{"synth-bacnet.pcap", 165}, {"synth-ltalk.pcap", 114}, {"synth-ipoieee1394.pcap", 138},
	{"synth-slip-bsdos.pcap", 102}, {"synth-ppp-pppd.pcap", 166},
}

func init() {
	corpusLink[140] = true // MTP2
	corpusLink[165] = true // BACNET_MS_TP
}

// llcSNAP is the 802.2 header of a routed PDU with an Ethernet type.
func llcSNAP(et uint16) []byte { return []byte{0xaa, 0xaa, 0x03, 0, 0, 0, byte(et >> 8), byte(et)} }

// llcPayload is the frame's payload as an LLC-multiplexed PDU carries it:
// an 802.3 frame's LLC header as it is, or an Ethernet type in SNAP.
func llcPayload(et uint16, body []byte) []byte {
	if et <= 1500 {
		return body
	}
	return append(llcSNAP(et), body...)
}

// ss7Unit builds an MTP2 signal unit from frame material: FISUs, LSSUs
// and MSUs in turn (length indicator 0, 1 or 2, 3 and more), SIOs in
// turn, the routing label and the high-speed forms' fields taken from
// body.
func ss7Unit(n int, body []byte) []byte {
	li := []byte{0, 1, 2, 3, 20, 63, 0x45}[n%7]
	sio := []byte{0x83, 0x03, 0x85, 0x00, 0xc5}[n%5]
	u := []byte{byte(n), 0x80 | byte(n>>1), li, sio}
	return append(u, body...)
}

// relinkMore is relink for the link types of moreSynth: the frames it
// makes of one Ethernet frame f (n frames made before it), or none.
func relinkMore(lt layers.LinkType, f []byte, n int) [][]byte {
	et := uint16(f[12])<<8 | uint16(f[13])
	body := f[14:]
	switch lt {
	case 123: // SUNATM: flags (payload type), VPI, VCI, then the PDU
		vpi := []byte{0, 0, 1, 0, 5}[n%5]
		vci := []byte{1, 2, 3, 4, 5, 16, 32, 100}[n%8]
		llc := append([]byte{0x02, vpi, 0, vci}, llcPayload(et, body)...)
		// LANE: an LE header (a data frame, or 0xff00 for an LE
		// control frame), then the Ethernet frame.
		le := []byte{0, byte(n)}
		if n%4 == 3 {
			le = []byte{0xff, 0x00}
		}
		lane := append(append([]byte{0x01, vpi, 0, vci}, le...), f...)
		// Q.2931 signalling: discriminator, call reference, message type.
		msg := []byte{0x05, 0x02, 0x07, 0x0f, 0x4d, 0x5a, 0x46}[n%7]
		sig := append([]byte{0x00, 0, 0, []byte{5, 1, 5, 2}[n%4], 0x09, 0x03, 0, 0, byte(n), msg, 0x80, 0, 0}, body...)
		return [][]byte{llc, lane, sig}
	case 100, 106: // ATM_RFC1483, ATM_CLIP
		return [][]byte{llcPayload(et, body)}
	case 140, 139, 141: // MTP2, MTP2_WITH_PHDR, MTP3
		u := ss7Unit(n, body)
		switch lt {
		case 139: // sent, annex A, link number
			u = append([]byte{byte(n % 2), 0, 0, byte(n)}, u...)
		case 141: // MTP3: from the SIO on
			u = u[3:]
		}
		return [][]byte{u}
	case 165: // BACNET_MS_TP: preamble (broken in one frame of 5), type, addresses, length, CRC
		pre := []byte{0x55, 0xff}
		if n%5 == 4 {
			pre = []byte{0x55, 0xfe}
		}
		h := append(pre, byte(n%8), f[5], f[11], byte(len(body)>>8), byte(len(body)), 0)
		return [][]byte{append(h, body...)}
	case 114: // LTALK: LLAP destination, source, type (2: long DDP)
		return [][]byte{append([]byte{f[5], f[11], 2}, body...)}
	case 138: // APPLE_IP_OVER_IEEE1394: two EUI-64s, the Ethernet type
		h := append(append(append(append([]byte{}, f[0:6]...), 0, 1), f[6:12]...), 0, 2)
		return [][]byte{append(append(h, f[12], f[13]), body...)}
	case 102: // SLIP_BSDOS: a 24-byte header, then IP
		if et != 0x0800 && et != 0x86dd {
			return nil
		}
		h := make([]byte, 24)
		h[0] = []byte{0, 1, 0x45, 0x60}[n%4]
		return [][]byte{append(h, body...)}
	case 166: // PPP_PPPD: direction (0 in, 1 out), control, protocol
		p := pppProto(et)
		return [][]byte{append([]byte{byte(n % 3), 0x03, byte(p >> 8), byte(p)}, body...)}
	}
	return nil
}

// moreCapture reports whether a capture's rows belong in
// golden-linkmore.tsv rather than golden.tsv.
func moreCapture(name string) bool {
	for _, s := range moreSynth {
		if s.name == name {
			return true
		}
	}
	return name == "corpus:isup_load_generator.pcap" || name == "corpus:mstp_20140225214217.pcap"
}

// relinkRandom makes the random Ethernet frames packets of link type lt.
func relinkRandom(frames [][]byte, lt layers.LinkType) [][]byte {
	if lt == layers.LinkTypeEthernet {
		return frames
	}
	if out := relinkOther(frames, lt); len(out) > 0 {
		return out
	}
	return relink(frames, lt)
}

// morePrimitives returns the keyword primitives of the link types of
// moreSynth for the random expressions on them (nil for the others).
func morePrimitives(lt layers.LinkType) []string {
	switch lt {
	case 123: // SUNATM
		return []string{"lane", "lane and ip", "lane and ether src 00:11:22:33:44:55", "lane and broadcast",
			"lane and multicast", "lane and vlan", "lane and llc", "llc", "llc i", "llc u", "vpi 0", "vpi 1", "vpi > 0",
			"vpi != 1", "vci 5", "vci < 5", "vci >= 16", "vci (1 or 2 or 5)", "oam", "oamf4", "oamf4ec", "oamf4sc",
			"metac", "bcc", "sc", "ilmic", "connectmsg", "metaconnect"}
	case 100, 106: // ATM_RFC1483, ATM_CLIP
		return []string{"llc", "llc i", "llc s", "vpi 0", "lane"}
	case 139, 140, 141: // MTP2_WITH_PHDR, MTP2, MTP3
		return []string{"fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu", "sio 3", "sio 0x83", "sio > 0x80",
			"sio != 3", "hsio 0x45", "opc 1", "opc >= 2", "opc <= 100", "dpc 2", "dpc < 2", "dpc != 0", "sls 9",
			"sls (1 or 9)", "hopc 100", "hdpc 0x100", "hsls > 5", "hsls < 5", "link[2] & 0x3f = 0"}
	case 166: // PPP_PPPD
		return []string{"inbound", "outbound", "inbound and ip", "not outbound"}
	case 114, 138, 165, 102: // LTALK, APPLE_IP_OVER_IEEE1394, BACNET_MS_TP, SLIP_BSDOS
		return []string{"link[0] = 0x55", "link[1] = 0xff", "link[2] < 4", "link[16:2] = 0x800", "atalk", "link proto 5"}
	}
	return nil
}
